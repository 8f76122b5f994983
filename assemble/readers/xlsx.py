"""Read an Excel submission (.xlsx, .xlsm) into Submissions.

The first visible sheet with a header row naming Priority and Update; one row
per update (see rows.py). Values are read as saved and shown as the user sees
them (formulas as their last computed value); macros are never run.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .. import matching, safety
from ..model import InputError, Place, Problem, Submission
from ..plan import Plan
from . import nesting, rows

_HEADER_SEARCH_ROWS = 20


@safety.guarded  # checks the package first; library errors become InputErrors naming the file
def read(path: Path, plan: Plan) -> tuple[list[Submission], list[Problem]]:
    name = path.name
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError([Problem("error", f"not a readable Excel workbook ({exc})", Place(name),
                                  "open it in Excel and save it again as .xlsx")]) from exc
    try:
        found = _find_sheet(book)
        if found is None:
            raise InputError([Problem(
                "error", "no visible sheet has a header row naming Priority and Update", Place(name),
                "put a header row with columns Priority, Commitment, District, Level, Update")])
        sheet, header_at, cols, area_cell = found
        table = [
            (Place(name, f"sheet '{sheet.title}', row {r}"), cells)
            for r, cells in _cells(sheet, start=header_at + 1)
        ]
        got = rows.read(table, cols, plan, area_cell)
        problems = list(got.problems) + _removed(sheet, name, header_at + 1)
        modified = book.properties.modified
        subs = []
        for typed, lines in (got.by_area or {area_cell: []}).items():
            area, area_problems = matching.area_of_file(plan, name, path.stem, typed)
            problems += area_problems
            subs.append(Submission(name, "xlsx", area.name if area else None,
                                   tuple(nesting.contributions(lines, area, plan)),
                                   modified.isoformat() if modified else None))
        return subs, problems
    finally:
        book.close()


def _find_sheet(book):
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        area_cell = None
        for r, cells in _cells(sheet, start=1, stop=_HEADER_SEARCH_ROWS):
            cols = rows.columns(cells)
            if cols:
                return sheet, r, cols, area_cell
            area_cell = area_cell or _area_cell(cells)
    return None


def _cells(sheet, start: int, stop: int | None = None):
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


def _removed(sheet, name: str, start: int) -> list[Problem]:
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


def display(cell) -> str:
    """A cell's value as Excel shows it, for the number formats people use."""
    value = cell.value
    fmt = (getattr(cell, "number_format", None) or "General")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return _date(value, fmt)
    if isinstance(value, int | float):
        return _number(value, fmt)
    return safety.clean_text(str(value))[0]


def _date(value, fmt: str) -> str:
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return value.strftime("%d/%m/%Y %H:%M")
    low = fmt.lower()
    if "mmm" in low and "d" not in low:
        return value.strftime("%B %Y" if "mmmm" in low else "%b-%y")
    return value.strftime("%d/%m/%Y")


def _number(value: float, fmt: str) -> str:
    section = fmt.split(";")[0]
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
