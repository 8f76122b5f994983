"""Read an Excel submission (.xlsx, .xlsm) into Submissions.

One row per update under a header row naming Priority and Update; blank
Priority or Commitment cells mean "as above". Values are read as saved
(formulas as their last computed value); macros are never run.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .. import matching
from ..model import InputError, Place, Problem, Span, Submission
from ..plan import Plan
from . import nesting
from .docx import resolve_area
from .nesting import Line

_TEXT_HEADERS = ("update", "text", "narrative", "comment")
_HEADER_SEARCH_ROWS = 20


def read(path: Path, plan: Plan) -> tuple[list[Submission], list[Problem]]:
    name = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError([Problem("error", f"not a readable Excel workbook ({exc})", Place(name),
                                  "open it in Excel and save it again as .xlsx")]) from exc
    try:
        found = _find_sheet(book)
        if found is None:
            raise InputError([Problem(
                "error", "no sheet has a header row naming Priority and Update", Place(name),
                "put a header row with columns Priority, Commitment, District, Level, Update")])
        sheet, header_row, columns, rows, area_cell = found
        return _read_rows(name, path.stem, plan, sheet.title, header_row, columns, rows, area_cell)
    finally:
        book.close()


def _find_sheet(book):
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        area_cell = None
        for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
            cells = [_text(v) for v in row]
            columns = _columns(cells)
            if columns:
                return sheet, i + 1, columns, rows[i + 1:], area_cell
            area_cell = area_cell or _area_cell(cells)
    return None


def _columns(cells: list[str]) -> dict[str, int] | None:
    keys = [matching.normalise(c) for c in cells]
    cols: dict[str, int] = {}
    for i, k in enumerate(keys):
        if k in ("priority", "commitment", "district", "level", "area") and k not in cols:
            cols[k] = i
        elif k in _TEXT_HEADERS and "update" not in cols:
            cols["update"] = i
    return cols if "priority" in cols and "update" in cols else None


def _area_cell(cells: list[str]) -> str | None:
    for i, c in enumerate(cells):
        key = c.strip().lower()
        if key.startswith("area:") and c.split(":", 1)[1].strip():
            return c.split(":", 1)[1].strip()
        if key in ("area", "area:") and i + 1 < len(cells) and cells[i + 1].strip():
            return cells[i + 1].strip()
    return None


def _read_rows(name, stem, plan, sheet_name, header_row, columns, rows, area_cell):
    problems: list[Problem] = []
    by_area: dict[str | None, list[Line]] = {}
    priority: int | None = None
    commitment: str | None = None
    for offset, row in enumerate(rows, start=header_row + 1):
        cell = lambda key: _text(row[columns[key]]) if key in columns and columns[key] < len(row) else ""  # noqa: E731
        text = cell("update").strip()
        place = Place(name, f"sheet '{sheet_name}', row {offset}")
        if not any(_text(v).strip() for v in row):
            continue
        if cell("priority").strip():
            n = matching.priority_number("Priority " + cell("priority")) if cell("priority").strip()[0].isdigit() \
                else matching.priority_number(cell("priority"))
            if n is None or plan.priority(n) is None:
                problems.append(Problem("error", f"'{cell('priority')}' is not a priority of the plan",
                                        place, "give the priority's number, 1 to " + str(len(plan.priorities))))
                priority = commitment = None
                continue
            if n != priority:
                commitment = None
            priority = n
        if cell("commitment").strip() and priority is not None:
            found = matching.commitment(plan, priority, cell("commitment"))
            if not found:
                near = matching.closest_commitment(plan, priority, cell("commitment"))
                problems.append(Problem(
                    "error", f"cannot match commitment '{cell('commitment')[:60]}' to Priority {priority}",
                    place, f"closest in the plan is {near.id} '{near.text[:60]}…'" if near else ""))
                commitment = None
                continue
            commitment = found.id
        if not text:
            continue
        if priority is None or commitment is None:
            problems.append(Problem("error", "update has no priority and commitment above it", place,
                                    "fill in the Priority and Commitment columns"))
            continue
        level = _level(cell("level"))
        if level is None:
            problems.append(Problem("error", f"Level '{cell('level')}' is not 1, 2 or 3", place,
                                    "use 1 for a main bullet, 2 and 3 for sub-bullets"))
            continue
        district = cell("district").strip() or None
        line = Line(commitment, level, (Span(" ".join(text.split())),), place, district)
        by_area.setdefault(cell("area").strip() or area_cell, []).append(line)
    subs = []
    for typed, lines in by_area.items():
        area, area_problems = resolve_area(plan, name, stem, typed)
        problems += area_problems
        subs.append(Submission(name, "xlsx", area.name if area else None,
                               tuple(nesting.contributions(lines, area, plan))))
    return subs, problems


def _level(text: str) -> int | None:
    text = text.strip()
    if not text:
        return 0
    try:
        n = int(float(text))
    except ValueError:
        return None
    return n - 1 if 1 <= n <= 3 else None


def _text(value) -> str:
    """A cell as the user sees it (near enough: whole numbers without '.0', dates as dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
