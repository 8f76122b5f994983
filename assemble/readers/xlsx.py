"""Read an Excel return (.xlsx, .xlsm) into a Record: the rows under its header.

The first visible sheet with a header row naming Priority and Update (title rows
above it are fine, and an "Area: North LPA" cell there names the area). Every
non-empty cell of it is kept, in whatever column, for ``resolve`` to account for.
Values are read as saved and shown as the user sees them (formulas as their last
computed value, numbers and dates in their cell's format); macros are never run.

openpyxl reads the sheets in its read-only mode, row by row as the file stores
them: what its full mode refuses (pivot tables, unusual styles, drawings it does
not know) never stops a return being read, and a sheet whose claimed used range
runs to a million empty rows is read by the rows that hold something. A Strict
Open XML workbook is read through its Transitional copy (``package``). openpyxl's
warnings never reach the terminal: one that says a cell was changed becomes a
Problem naming the sheet and the cell; the rest say nothing about the data and
are dropped; nor does a line it prints.

The notes on cells (and Excel's threaded comments, with their replies), which the
read-only mode does not load, are read from the sheets' parts as remarks, each at
its cell; the unit's own (``signature``) are passed over.

What openpyxl raises on a workbook it cannot make sense of is mapped by type where it
is called (``OPENPYXL``): opening the workbook, and reading each row of a sheet.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import io
import re
import struct
import warnings
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .. import signature
from ..errors import InputError, Place, Problem, error, warning
from ..records import Columns, Record, Remark, Row, Skipped, Table
from ..safety.unpacking import unpacking
from ..text import area_named, clean_text, removed_characters
from . import header
from .package import Package
from .unreadable import Table as Mapping
from .unreadable import mapped

_HEADER_SEARCH_ROWS = 20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_THREADED = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"
# openpyxl's one warning that a cell's value was changed (it then holds "#VALUE!").
_DATE_OUT_OF_RANGE = re.compile(r"Cell (\$?[A-Z]{1,3}\$?\d+) is marked as a date but the serial value (\S+) is outside")

Sheet = Any  # an openpyxl read-only worksheet
Cell = Any  # an openpyxl cell


def _picture_bombs() -> tuple[type[Exception], ...]:
    """Pillow's refusal of a picture declaring billions of pixels: openpyxl opens
    pictures in a workbook with Pillow when it is installed (WeasyPrint needs it)."""
    try:
        from PIL.Image import DecompressionBombError
    except ImportError:
        return ()
    return (DecompressionBombError,)


# What openpyxl raises, opening a workbook or reading a sheet's rows, on one it cannot make
# sense of: its parsers' errors, a part the workbook names but lacks (KeyError), a damaged
# part, and, inside its own code, what values no application writes make of it (a style
# index past its list, a date in year 90000, a number where text belongs).
OPENPYXL: Mapping = {
    **dict.fromkeys((etree.LxmlError, ElementTree.ParseError, xml.parsers.expat.ExpatError),
                    "a part is not well-formed XML"),
    KeyError: "a part it refers to is missing",
    **dict.fromkeys((zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, EOFError), unpacking),
    **dict.fromkeys(_picture_bombs(),
                    "a picture in it declares more pixels than any real picture has (a possible decompression bomb)"),
    **dict.fromkeys((ValueError, TypeError, IndexError, OverflowError, NotImplementedError),
                    "it holds a value Excel does not write"),
}


def read(path: Path) -> Record:
    """The rows under the first visible sheet's header row, with the area its cells name."""
    name = path.name
    # openpyxl is handed a file this function opens and closes: a workbook it fails on
    # leaves nothing open behind it. It prints a line of its own for a style index the
    # workbook lacks (styles/cell_style.py): that line never reaches the terminal either.
    with Package(path) as package, warnings.catch_warnings(record=True) as caught, \
            contextlib.redirect_stdout(io.StringIO()), \
            (package.transitional() if package.strict else path.open("rb")) as source:
        warnings.simplefilter("always")
        book = _workbook(source, name)
        try:
            reading = _Reading(name, caught, package, _sheet_parts(package))
            return reading.record(book)
        finally:
            book.close()


_LOCATOR = re.compile(r"^sheet '(.*)', (row|cell) ([A-Z]{0,3})(\d{1,7})$")


@dataclass(frozen=True)
class Cells:
    """Where the places ``read`` gives stand in the workbook, for a writer that edits it (the
    feedback sent back): each sheet's part, the sheet read, and the cell a note on each row
    read goes on (its Update cell, else its first cell holding something)."""

    sheets: dict[str, str]  # sheet name -> its part
    sheet: str  # the name of the sheet read ("" when none was)
    rows: dict[str, str]  # a row's locator ("sheet 'Updates', row 7") -> its cell ("E7")

    def cell(self, where: str) -> tuple[str, str] | None:
        """(the sheet's part, a cell) for a place's locator — "sheet 'Updates', row 7" (the
        row's cell) or "sheet 'Updates', cell E7" —; None for any other."""
        m = _LOCATOR.match(where)
        if m is None or m.group(1) not in self.sheets or (m.group(2) == "cell") != bool(m.group(3)):
            return None
        ref = self.rows.get(where, f"A{m.group(4)}") if m.group(2) == "row" else m.group(3) + m.group(4)
        return self.sheets[m.group(1)], ref

    @property
    def first(self) -> tuple[str, str] | None:
        """The first cell of the sheet read (of the first sheet, when none was read)."""
        name = self.sheet or next(iter(self.sheets), "")
        return (self.sheets[name], "A1") if name in self.sheets else None


def cells(path: Path) -> Cells:
    """Each row's cell in the workbook (see ``Cells``)."""
    record = read(path)
    with Package(path) as package:
        sheets = _sheet_parts(package)
    table = next((b for b in record.blocks if isinstance(b, Table)), None)
    rows: dict[str, str] = {}
    sheet = ""
    update = table.columns.get("update") if table is not None else None
    for row in (*table.head, *table.rows) if table is not None else ():
        m = _LOCATOR.match(row.place.where)
        if m is None:
            continue
        sheet = m.group(1)
        filled = [i for i, text in enumerate(row.cells) if text.strip()]
        at = update if update is not None and update in filled else filled[0] if filled else 0
        rows[row.place.where] = f"{get_column_letter(at + 1)}{m.group(4)}"
    return Cells(sheets, sheet, rows)


def _workbook(source: Any, name: str) -> Any:
    """openpyxl's read-only workbook, from a file open for reading."""
    with mapped(OPENPYXL):
        try:
            return openpyxl.load_workbook(source, read_only=True, data_only=True, keep_links=False)
        except (InvalidFileException, zipfile.BadZipFile, OSError) as exc:  # OSError: "no valid workbook part"
            raise InputError([error("has no Excel workbook inside it that can be read", Place(name),
                                    "open it in Excel and save it again as .xlsx")]) from exc


def _rows(sheet: Sheet, start: int, stop: int | None) -> Iterator[tuple[Cell, ...]]:
    """openpyxl's rows of a sheet from row `start` (to `stop`). What openpyxl raises reading
    them is mapped; what the caller does with a row is not: it runs outside this frame."""
    with mapped(OPENPYXL):
        yield from sheet.iter_rows(min_row=start, max_row=stop)


@dataclass
class _Reading:
    file: str
    caught: list[warnings.WarningMessage]  # what openpyxl warned of, as it warns
    package: Package
    parts: dict[str, str]  # sheet name -> its part, for its merged cells
    seen: int = 0  # warnings already looked at
    problems: list[Problem] = field(default_factory=list)

    def record(self, book: Any) -> Record:
        found = self._find_sheet(book)
        if found is None:
            raise InputError([error(
                "no visible sheet has a header row naming Priority and Update", Place(self.file),
                "put a header row with columns Priority, Commitment, District, Level, Update")])
        sheet, header_at, cols, area_cell, head = found
        rows = tuple(Row(Place(self.file, f"sheet '{sheet.title}', row {r}"), tuple(cells))
                     for r, cells in self._cells(sheet, start=header_at + 1))
        width = max((len(r.cells) for r in (*head, *rows)), default=0)
        skipped = [Skipped(Place(self.file, f"sheet '{other.title}', row {r}"), "",
                           f"sheet '{other.title}' also has a header row naming Priority and Update, and is not "
                           f"read: only the first such sheet, '{sheet.title}', is",
                           f"move its rows into '{sheet.title}', or delete the sheet")
                    for other, r in self._other_sheets(book, sheet)]
        modified = book.properties.modified if book.properties is not None else None
        return Record(self.file, "xlsx",
                      (Table(cols, rows, head, tuple(f"column {get_column_letter(i + 1)}" for i in range(width))),),
                      area_cell, modified.isoformat() if isinstance(modified, dt.datetime) else None,
                      tuple(self.problems), tuple(skipped), _remarks(self.package, self.parts, self.file))

    def _find_sheet(self, book: Any) -> tuple[Sheet, int, Columns, str | None, tuple[Row, ...]] | None:
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            area_cell = None
            above: list[Row] = []
            for r, cells in self._cells(sheet, start=1, stop=_HEADER_SEARCH_ROWS, fix=False):
                row = Row(Place(self.file, f"sheet '{sheet.title}', row {r}"), tuple(cells))
                cols = header.columns(cells)
                if cols:
                    return sheet, r, cols, area_cell, (*above, row)
                above.append(row)
                area_cell = area_cell or area_named(cells)
        return None

    def _other_sheets(self, book: Any, first: Sheet) -> Iterator[tuple[Sheet, int]]:
        after = False
        for sheet in book.worksheets:
            if sheet is first:
                after = True
            elif after and getattr(sheet, "sheet_state", "visible") == "visible":
                for r, cells in self._cells(sheet, start=1, stop=_HEADER_SEARCH_ROWS, fix=False):
                    if header.columns(cells):
                        yield sheet, r
                        break

    def _cells(self, sheet: Sheet, start: int, stop: int | None = None,
               fix: bool = True) -> Iterator[tuple[int, list[str]]]:
        """(row number, cell texts) of the rows holding anything, as shown; a merged
        block's cells filled from its top-left cell; trailing empty cells dropped."""
        sheet.reset_dimensions()  # a claimed used range says nothing: the rows stored do
        blocks = _merges(self.package, self.parts.get(sheet.title)) if fix else []
        merged = Merges(blocks)
        anchors: dict[tuple[int, int], str] = {}
        number = start
        # openpyxl gives every row from `start`, those the sheet does not store as no cells
        for at, row in enumerate(_rows(sheet, start, stop), start=start):
            covering = merged.at(at) if blocks else []
            if not row and not covering:
                number += 1  # a row the sheet does not store, in no merged block: nothing here
                continue
            cells = [display(c) for c in row]
            number = next((c.row for c in row if getattr(c, "row", None)), number)
            if fix:
                self._warnings(sheet, number, cells)
            for top, left, _, right in covering:
                if at == top:
                    anchors[(top, left)] = cells[left - 1] if left - 1 < len(cells) else ""
                value = anchors.get((top, left), "")
                if value:
                    cells += [""] * max(0, right - len(cells))
                    for col in range(left - 1, right):
                        cells[col] = cells[col] or value
            while cells and not cells[-1].strip():
                cells.pop()
            if cells:
                if fix:
                    self._removed(sheet, number, row)
                yield number, cells
            number += 1

    def _warnings(self, sheet: Sheet, row: int, cells: list[str]) -> None:
        """What openpyxl warned of while reading this row: a changed cell is put back and said."""
        for caught in self.caught[self.seen:]:
            m = _DATE_OUT_OF_RANGE.search(str(caught.message))
            if m:
                coordinate = m.group(1).replace("$", "")
                col = column_index_from_string(re.sub(r"\d", "", coordinate))
                if col - 1 < len(cells):
                    cells[col - 1] = m.group(2).removesuffix(".0")
                self.problems.append(warning(
                    f"is formatted as a date, but {m.group(2).removesuffix('.0')} is no date Excel can show; "
                    "it was read as the number", Place(self.file, f"sheet '{sheet.title}', cell {coordinate}"),
                    "give the cell a number format, or type the date again"))
        self.seen = len(self.caught)

    def _removed(self, sheet: Sheet, number: int, row: Any) -> None:
        """A warning for a row where display() dropped control characters."""
        if any(isinstance(c.value, str) and clean_text(c.value)[1] for c in row):
            self.problems.append(removed_characters(Place(self.file, f"sheet '{sheet.title}', row {number}")))


def _sheet_parts(package: Package) -> dict[str, str]:
    """Sheet name -> its part in the package, as the workbook lists them."""
    workbook = package.related("", "officeDocument") or "xl/workbook.xml"
    root = package.xml(workbook) if package.has(workbook) else None
    if root is None:
        return {}
    parts = {r.id: r.target for r in package.relationships(workbook) if not r.external}
    return {sheet.get("name"): parts[sheet.get(_REL_ID)] for sheet in root.iter(f"{_MAIN}sheet")
            if sheet.get("name") and sheet.get(_REL_ID) in parts}


def _remarks(package: Package, parts: dict[str, str], file: str) -> tuple[Remark, ...]:
    """The notes and comments on cells, sheet by sheet and cell by cell, replies after
    what they answer. A sheet with threaded comments keeps, beside each, a note that
    copies it for older Excel: that copy is passed over."""
    workbook = package.related("", "officeDocument") or "xl/workbook.xml"
    people = _xml(package, package.related(workbook, "person"))
    names = {p.get("id"): p.get("displayName") or "" for p in people.iter(f"{_THREADED}person")} \
        if people is not None else {}
    out: list[Remark] = []
    for title, part in parts.items():
        found: list[tuple[tuple[int, int, int], Remark]] = []
        cells: set[str] = set()  # those with threaded comments, the unit's too
        thread = _xml(package, package.related(part, "threadedComment"))
        for n, comment in enumerate(thread.iter(f"{_THREADED}threadedComment") if thread is not None else ()):
            ref, text = (comment.get("ref") or "").upper(), comment.findtext(f"{_THREADED}text") or ""
            cells.add(ref)
            if not signature.signed(text):
                found.append((_order(ref, n), _remark(file, title, ref, names.get(comment.get("personId"), ""),
                                                      text, "comment", bool(comment.get("parentId")))))
        notes = _xml(package, package.related(part, "comments"))
        authors = [a.text or "" for a in notes.iter(f"{_MAIN}author")] if notes is not None else []
        for n, note in enumerate(notes.iter(f"{_MAIN}comment") if notes is not None else ()):
            ref, text = (note.get("ref") or "").upper(), _note_text(note.find(f"{_MAIN}text"))
            at = note.get("authorId") or "0"
            known = at.isascii() and at.isdigit() and len(at) < 7 and int(at) < len(authors)
            author = authors[int(at)] if known else ""
            if signature.signed_note(text):
                continue  # the unit's (under the "Name:" line Excel opens a note with, too)
            head, _, rest = text.strip().partition("\n")
            if author and head.strip() == f"{author}:":
                text = rest  # Excel's "Name:" line says no more than the author does
            if ref not in cells:
                found.append((_order(ref, n), _remark(file, title, ref, author, text, "note")))
        out += [remark for _, remark in sorted(found, key=lambda f: f[0]) if remark.text]
    return tuple(out)


def _xml(package: Package, part: str | None) -> Any:
    return package.xml(part) if part else None


def _remark(file: str, sheet: str, ref: str, author: str, text: str, kind: str, reply: bool = False) -> Remark:
    author = " ".join(clean_text(author)[0].split())
    return Remark(Place(file, f"sheet '{sheet}', cell {ref}"), "" if author.startswith("tc=") else author,
                  " ".join(clean_text(text)[0].split()), kind, reply)


def _note_text(text: Any) -> str:
    """A note's text as Excel shows it: its runs, never the phonetic guide kept beside them."""
    if text is None:
        return ""
    out = []
    for child in text:
        if child.tag == f"{_MAIN}t":
            out.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            out.append(child.findtext(f"{_MAIN}t") or "")
    return "".join(out)


_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


def _order(ref: str, n: int) -> tuple[int, int, int]:
    """Row, column, then the order the file keeps: a cell's remarks in reading order."""
    m = _CELL.match(ref)
    return (int(m.group(2)), column_index_from_string(m.group(1)), n) if m else (0, 0, n)


_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7}):\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _merges(package: Package, part: str | None) -> list[tuple[int, int, int, int]]:
    """(top, left, bottom, right) of each merged block of a sheet (openpyxl's read-only mode has none)."""
    data = package.read(part) if part else None
    if not part or not data or b"mergeCell" not in data:
        return []
    out = []
    for el in package.elements(part, f"{_MAIN}mergeCell", data):
        m = _RANGE.match(el.get("ref") or "")
        if m:
            a = (int(m.group(2)), column_index_from_string(m.group(1).upper()))
            b = (int(m.group(4)), column_index_from_string(m.group(3).upper()))
            out.append((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])))
    return out


Block = tuple[int, int, int, int]  # a merged block's top row, left column, bottom row, right column


class Merges:
    """A sheet's merged blocks, met row by row from the top: each block is looked at for
    the rows it covers alone, so that a sheet of thousands of blocks, formatted to its
    millionth row, is not thousands of looks a row. ``looked_at`` counts them."""

    def __init__(self, blocks: list[Block]):
        self._waiting = sorted(((block[0], -i, block) for i, block in enumerate(blocks)), reverse=True)
        self._active: list[tuple[int, Block]] = []  # (its place in the file, the block): the file's order
        self.looked_at = 0

    def at(self, row: int) -> list[Block]:
        """The blocks covering `row`, in the file's order (rows asked for from the top down)."""
        while self._waiting and self._waiting[-1][0] <= row:
            _, i, block = self._waiting.pop()
            bisect.insort(self._active, (-i, block))
        if any(block[2] < row for _, block in self._active):
            self._active = [(i, block) for i, block in self._active if block[2] >= row]
        self.looked_at += len(self._active)
        return [block for _, block in self._active]


def display(cell: Cell) -> str:
    """A cell's value as Excel shows it, for the number formats people use."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    fmt = _number_format(cell)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return _date(value, fmt)
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        return _number(value, fmt)
    return clean_text(str(value))[0]


def _number_format(cell: Cell) -> str:
    """The cell's number format; "General" (as Excel shows an unformatted cell) for a style
    the workbook does not have, which openpyxl would print a line about and then fail on."""
    styles = getattr(getattr(getattr(cell, "parent", None), "parent", None), "_cell_styles", None)
    index = getattr(cell, "_style_id", None)
    if styles is not None and isinstance(index, int) and not 0 <= index < len(styles):
        return "General"
    try:
        return getattr(cell, "number_format", None) or "General"
    except (IndexError, KeyError, TypeError, AttributeError):
        return "General"


def _date(value: dt.date, fmt: str) -> str:
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return value.strftime("%d/%m/%Y %H:%M")
    low = fmt.lower()
    if "mmm" in low and "d" not in low:
        return value.strftime("%B %Y" if "mmmm" in low else "%b-%y")
    return value.strftime("%d/%m/%Y")


def _number(value: float, fmt: str) -> str:
    section = fmt.split(";", maxsplit=1)[0]
    decimals = min(sum(ch in "0#" for ch in section.split(".")[1]), 30) if "." in section else 0
    if "%" in section:
        return f"{value * 100:.{decimals}f}%"
    if "," in section and any(ch in section for ch in "0#"):
        return f"{value:,.{decimals}f}"
    if section != "General" and "0" in section:
        return f"{value:.{decimals}f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


