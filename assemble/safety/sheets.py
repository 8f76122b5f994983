"""A worksheet part, streamed through expat (as openpyxl parses it) before openpyxl
loads it → how many cells reading it would make, and why that is too many: a stray
value at the last cell Excel has, or one merge or hyperlink over the whole sheet, is
17 billion cells. Cells that are only formatted, empty rows and the sheet's claimed
dimension count for nothing: the reader does not keep them."""

from __future__ import annotations

import re
import xml.parsers.expat

from .limits import MAX_SHEET_CELLS

EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # the last row and column Excel has
_COORD = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _coordinate(ref: str) -> tuple[int, int] | None:
    """(row, column) of "B7", as openpyxl reads it; None when it is not one."""
    m = _COORD.match(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


class SheetScan:
    """Stream a worksheet part through expat (as openpyxl parses it) to learn,
    before openpyxl loads it, how many cells reading it would make: the reader
    makes a cell for every cell a merge or a hyperlink covers, and walks every
    row up to the furthest cell that holds a value. One stray value at
    XFD1048576, or one merge of A1:XFD1048576, is 17 billion cells. Cells that
    are only formatted, empty rows and the sheet's claimed dimension count for
    nothing: the reader does not keep them."""

    def __init__(self) -> None:
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.row = self.col = self.max_row = self.max_col = 0
        self.cell: tuple[int, int] | None = None  # the cell being read, until it shows a value
        self.furthest = (0, 0)  # the furthest row and column named at all: Excel has no cell past XFD1048576
        self.covered = 0  # cells inside merges and hyperlinks
        self.failed = False

    def feed(self, data: bytes) -> None:
        if not self.failed:
            try:
                self.parser.Parse(data, False)
            except (xml.parsers.expat.ExpatError, ValueError, OverflowError):
                self.failed = True  # not well-formed: openpyxl will refuse it, having made nothing

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        name = name.rpartition(":")[2]
        if name == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() else self.row + 1
            self.col = 0
            self.cell = None
            self.furthest = (max(self.furthest[0], self.row), self.furthest[1])
        elif name == "c":
            where = _coordinate(attrs["r"]) if attrs.get("r") else None
            if where:
                row, self.col = where
            else:
                row, self.col = self.row, self.col + 1
            self.cell = (row, self.col)
            self.furthest = (max(self.furthest[0], row), max(self.furthest[1], self.col))
        elif name in ("v", "is", "f") and self.cell is not None:
            row, col = self.cell  # a value, an inline string or a formula: the cell is read
            self.max_row, self.max_col = max(self.max_row, row), max(self.max_col, col)
            self.cell = None
        elif name in ("mergeCell", "hyperlink") and ":" in attrs.get("ref", ""):
            first, _, last = attrs["ref"].partition(":")
            a, b = _coordinate(first), _coordinate(last)
            if a and b:
                self.covered += (abs(b[0] - a[0]) + 1) * (abs(b[1] - a[1]) + 1)

    def problem(self) -> str | None:
        rows, cols = self.furthest
        if rows > EXCEL_ROWS or cols > EXCEL_COLUMNS:  # the reader would walk every row up to it
            what = f"row {rows:,}" if rows > EXCEL_ROWS else f"column {cols:,}"
            return (f"has a sheet with a {what}, past the last Excel has "
                    f"({EXCEL_ROWS:,} rows, {EXCEL_COLUMNS:,} columns)")
        if self.covered > MAX_SHEET_CELLS:
            return (f"has a sheet whose merged cells and links cover {self.covered:,} cells; "
                    f"the limit is {MAX_SHEET_CELLS:,}")
        cells = self.max_row * self.max_col
        if cells > MAX_SHEET_CELLS:
            corner = _column_letters(self.max_col) + str(self.max_row)
            return (f"has a sheet that reaches cell {corner[:20]}: {cells:,} cells to read; "
                    f"the limit is {MAX_SHEET_CELLS:,}")
        return None


def _column_letters(n: int) -> str:
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters or "A"
