"""A Word table → its rows of cells, through the content controls that may wrap them;
a table with a header row naming Priority (or Commitment) and Update in its first
three rows → an update table, kept whole as rows of cell texts, each cell's
paragraphs a line of its text (a line break between, as between the lines of an
Excel cell). Any other table is read cell by cell by the body's walk."""

from __future__ import annotations

from collections.abc import Iterator

from ...errors import Place
from ...records import Row, Table
from .. import header
from .hidden import Hiding
from .inline import Inline, Note
from .wordml import ALTERNATE, BLOCK_WRAPPERS, PPR, SDT, SDT_CONTENT, TBL, TC, TR, Element, P, chosen, placeholder, val

_HEADER_ROWS = 3  # a header row is looked for in a table's first rows: title rows may stand above it


def rows(tbl: Element) -> Iterator[list[Element]]:
    """A table's rows, each as its cells, through the content controls that may wrap them."""
    for row in _through(tbl, TR):
        yield list(_through(row, TC))


def _through(parent: Element, tag: str) -> Iterator[Element]:
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None and not placeholder(child):
                yield from _through(content, tag)
        elif child.tag in BLOCK_WRAPPERS:
            yield from _through(child, tag)


def update_table(file: str, number: int, cells: list[list[Element]], notes: dict[str, Note],
                 hiding: Hiding) -> tuple[Table, list[tuple[Place, list[Inline]]]] | None:
    """Table `number` as an update table, with each row's place and its paragraphs as read
    (for what they hold besides their text); None when no header row names its columns."""
    inlines: list[list[Inline]] = [[] for _ in cells]  # each row's paragraphs, as a form's cells read them
    texts = [[cell_text(tc, notes, hiding, found) for tc in row] for row, found in zip(cells, inlines, strict=True)]
    for i, row in enumerate(texts[:_HEADER_ROWS]):
        cols = header.columns(row, word=True)
        if cols:
            width = max((len(c) for c in texts), default=0)
            made = [Row(Place(file, f"table {number}, row {r + 1}"), tuple(c)) for r, c in enumerate(texts)]
            table = Table(cols, tuple(made[i + 1:]), tuple(made[:i + 1]),
                          tuple(f"column {n + 1}" for n in range(width)))
            return table, [(row.place, found) for row, found in zip(made, inlines, strict=True)]
    return None


def cell_text(tc: Element, notes: dict[str, Note], hiding: Hiding | None = None,
              found: list[Inline] | None = None) -> str:
    """A form cell's text: its paragraphs (text boxes in them too), a line break between,
    as between the lines of an Excel cell; each paragraph as read put in `found`, for what
    it holds besides its text."""
    out: list[str] = []

    def walk(parent: Element) -> None:
        for child in parent:
            if child.tag == P:
                inline = Inline(notes, hiding, val(child.find(PPR), "w:pStyle"))
                inline.runs(child)
                if found is not None:
                    found.append(inline)
                out.append(" ".join(t for t in (inline.text.strip(), *inline.notes) if t))
                for content in inline.boxes:
                    walk(content)
            elif child.tag == TBL:
                for cells in rows(child):
                    for inner in cells:
                        walk(inner)
            elif (inner := _inside(child)) is not None:
                walk(inner)

    walk(tc)
    return "\n".join(t for t in out if t).strip()


def _inside(el: Element) -> Element | None:
    """What a wrapper around paragraphs holds: a content control's content (none while it
    shows its placeholder), an alternate content's chosen branch, a custom XML element's."""
    if el.tag == SDT:
        return el.find(SDT_CONTENT) if not placeholder(el) else None
    if el.tag == ALTERNATE:
        return chosen(el)
    return el if el.tag in BLOCK_WRAPPERS else None
