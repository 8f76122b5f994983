"""Recognise a header row: the cells that name a return's columns (any order and
case), in an Excel sheet or a table of a Word return. Each row below it is one
update; ``resolve`` says what the rows mean."""

from __future__ import annotations

from ..records import Columns
from ..text import normalise

TEXT_HEADERS = ("update", "updates", "text", "narrative", "comment", "comments")
_KEYS = ("priority", "commitment", "district", "level", "area")


def columns(cells: list[str]) -> Columns | None:
    """Column positions when these cells are a header row naming Priority and Update."""
    cols: Columns = {}
    for i, cell in enumerate(cells):
        key = normalise(cell)
        if key in _KEYS and key not in cols:
            cols[key] = i
        elif key in TEXT_HEADERS and "update" not in cols:
            cols["update"] = i
    return cols if "priority" in cols and "update" in cols else None
