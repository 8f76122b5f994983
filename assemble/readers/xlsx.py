"""Read an Excel return (.xlsx, .xlsm) into a Record: the rows under its header.

The first visible sheet with a header row naming Priority and Update (title rows
above it are fine, and an "Area: North LPA" cell there names the area). Values
are read as saved and shown as the user sees them (formulas as their last
computed value, numbers and dates in their cell's format); macros are never run.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .. import safety
from ..errors import InputError, Place, Problem, error
from ..records import Columns, Record, Row, Table
from . import header

_HEADER_SEARCH_ROWS = 20

Sheet = Any  # an openpyxl worksheet
Cell = Any  # an openpyxl cell


def read(path: Path) -> Record:
    """The rows under the first visible sheet's header row, with the area its cells name."""
    name = path.name
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError([error(f"not a readable Excel workbook ({exc})", Place(name),
                                "open it in Excel and save it again as .xlsx")]) from exc
    try:
        found = _find_sheet(book)
        if found is None:
            raise InputError([error(
                "no visible sheet has a header row naming Priority and Update", Place(name),
                "put a header row with columns Priority, Commitment, District, Level, Update")])
        sheet, header_at, cols, area_cell = found
        rows = tuple(
            Row(Place(name, f"sheet '{sheet.title}', row {r}"), tuple(cells))
            for r, cells in _cells(sheet, start=header_at + 1)
        )
        modified = book.properties.modified
        return Record(name, "xlsx", (Table(cols, rows),), area_cell,
                      modified.isoformat() if modified else None,
                      tuple(_removed(sheet, name, header_at + 1)))
    finally:
        book.close()


def _find_sheet(book: Any) -> tuple[Sheet, int, Columns, str | None] | None:
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        area_cell = None
        for r, cells in _cells(sheet, start=1, stop=_HEADER_SEARCH_ROWS):
            cols = header.columns(cells)
            if cols:
                return sheet, r, cols, area_cell
            area_cell = area_cell or _area_cell(cells)
    return None


def _cells(sheet: Sheet, start: int, stop: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) with merged blocks filled from their top-left cell."""
    merged = {}
    for rng in sheet.merged_cells.ranges:
        anchor = sheet.cell(rng.min_row, rng.min_col)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged[(r, c)] = anchor
    for row in sheet.iter_rows(min_row=start, max_row=stop):
        if row:
            yield row[0].row, [display(merged.get((c.row, c.column), c)) for c in row]


def _removed(sheet: Sheet, name: str, start: int) -> list[Problem]:
    """A warning for each row where display() dropped control characters."""
    return [safety.removed_characters(Place(name, f"sheet '{sheet.title}', row {row[0].row}"))
            for row in sheet.iter_rows(min_row=start)
            if row and any(isinstance(c.value, str) and safety.clean_text(c.value)[1] for c in row)]


def _area_cell(cells: list[str]) -> str | None:
    for i, c in enumerate(cells):
        key = c.strip().lower()
        if key.startswith("area:") and c.split(":", 1)[1].strip():
            return c.split(":", 1)[1].strip()
        if key in ("area", "area:") and i + 1 < len(cells) and cells[i + 1].strip():
            return cells[i + 1].strip()
    return None


def display(cell: Cell) -> str:
    """A cell's value as Excel shows it, for the number formats people use."""
    value = cell.value
    fmt = getattr(cell, "number_format", None) or "General"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return _date(value, fmt)
    if isinstance(value, int | float):
        return _number(value, fmt)
    return safety.clean_text(str(value))[0]


def _date(value: dt.date, fmt: str) -> str:
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return value.strftime("%d/%m/%Y %H:%M")
    low = fmt.lower()
    if "mmm" in low and "d" not in low:
        return value.strftime("%B %Y" if "mmmm" in low else "%b-%y")
    return value.strftime("%d/%m/%Y")


def _number(value: float, fmt: str) -> str:
    section = fmt.split(";", maxsplit=1)[0]
    decimals = sum(ch in "0#" for ch in section.split(".")[1]) if "." in section else 0
    if "%" in section:
        return f"{value * 100:.{decimals}f}%"
    if "," in section and any(ch in section for ch in "0#"):
        return f"{value:,.{decimals}f}"
    if section != "General" and "0" in section:
        return f"{value:.{decimals}f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
