"""Recognise a header row: the cells that name a return's columns (any order and
case), in an Excel sheet or a table of a Word return. Each row below it is one
update; ``resolve`` says what the rows mean."""

from __future__ import annotations

from ..records import Columns
from ..text import normalise

TEXT_HEADERS = ("update", "updates", "text", "narrative", "comment", "comments")
_KEYS = ("priority", "commitment", "district", "level", "area")


def columns(cells: list[str], word: bool = False) -> Columns | None:
    """Column positions when these cells are a header row naming Priority and Update.

    In a Word table (`word`) a header naming Commitment will do instead of Priority:
    the priority is the heading above the table. Its update column is then the one
    named like one, else the first column with a heading that is not a key.
    """
    cols: Columns = {}
    other: int | None = None
    for i, cell in enumerate(cells):
        key = normalise(cell)
        if key in _KEYS and key not in cols:
            cols[key] = i
        elif key in TEXT_HEADERS and "update" not in cols:
            cols["update"] = i
        elif key and other is None:
            other = i
    if word and "commitment" in cols and "update" not in cols and other is not None:
        cols["update"] = other
    named = "priority" in cols or (word and "commitment" in cols)
    return cols if named and "update" in cols else None
