"""A document's body → blocks in reading order: paragraphs (numbered as Word shows
them, placed by their number, opening words and what they are), update tables, and
the paragraphs of other tables' cells and of text boxes; with what is kept beside
the text (comments' anchors, hidden text, symbols not said) and what is skipped (an
embedded chunk, a chart, SmartArt, an embedded object)."""

from __future__ import annotations

from ...errors import InputError, Place, error
from ...model import Span
from ...records import Block, Hidden, Paragraph, Skipped
from ...safety import limits
from ...text import opening
from . import lists, tables
from .comments import Anchors
from .hidden import Hiding
from .inline import Inline, Note
from .numbering import Numbering
from .styles import Styles
from .wordml import (
    ALTERNATE,
    BLOCK_WRAPPERS,
    BOOKMARK_START,
    COMMENT_START,
    PPR,
    SDT,
    SDT_CONTENT,
    TBL,
    W_ID,
    Element,
    P,
    T,
    chosen,
    outline,
    placeholder,
    q,
    val,
)

Cell = tuple[int, int, int]  # a table's number, a row's, a cell's


class Walker:
    """Walks a body in reading order, numbering non-empty paragraphs as Word shows them."""

    def __init__(self, file: str, styles: Styles, hiding: Hiding, numbering: Numbering, notes: dict[str, Note]):
        self.file = file
        self.styles = styles
        self.hiding = hiding
        self.numbering = numbering
        self.notes = notes
        self.blocks: list[Block] = []
        self.skipped: list[Skipped] = []
        self.cleaned: list[Place] = []  # paragraphs where control characters were removed
        self.hidden: list[Hidden] = []
        self.symbols: list[tuple[Place, str, str]] = []  # symbols (font, code) that cannot be said
        self.anchors = Anchors()  # where the comments are anchored
        self.at: dict[str, Element] = {}  # a place's locator (Place.where) -> its w:p, for ``paragraphs``
        self._last: Element | None = None  # the w:p of the paragraph numbered last
        self.paragraphs = 0
        self.tables = 0
        self.marks: list[str] = []  # bookmarks that start between paragraphs: the next paragraph's

    def blocks_of(self, parent: Element, cell: Cell | None = None, box: bool = False) -> None:
        for child in parent:
            tag = child.tag
            if tag == P:
                self._paragraph(child, cell, box)
            elif tag == TBL:
                self._table(child, box)
            elif tag == SDT:
                if not placeholder(child):
                    content = child.find(SDT_CONTENT)
                    if content is not None:
                        self.blocks_of(content, cell, box)
            elif tag == ALTERNATE:
                branch = chosen(child)
                if branch is not None:
                    self.blocks_of(branch, cell, box)
            elif tag in BLOCK_WRAPPERS:
                self.blocks_of(child, cell, box)
            elif tag == COMMENT_START:  # a comment's range opening between paragraphs
                self._anchor(child.get(W_ID) or "", None)
            elif tag == BOOKMARK_START:  # a bookmark opening between paragraphs starts the next one
                self.marks.append(child.get(q("w:name")) or "")
            elif tag == q("w:altChunk"):
                self.skipped.append(Skipped(
                    self._here("an embedded chunk"), "",
                    "an embedded chunk of HTML or of another document (altChunk) is not read",
                    "open the file in Word and save it again: Word makes the chunk part of the document"))

    def _here(self, what: str) -> Place:
        place = Place(self.file, f"{what} after paragraph {self.paragraphs}" if self.paragraphs
                      else f"{what} before the first paragraph")
        if self._last is not None:
            self.at.setdefault(place.where, self._last)
        return place

    # --- paragraphs -------------------------------------------------------------

    def _paragraph(self, p: Element, cell: Cell | None, box: bool) -> None:
        ppr = p.find(PPR)
        style_id = val(ppr, "w:pStyle")
        numbered = lists.numbered(ppr, style_id, self.styles)
        number = self.numbering.label(*numbered) if numbered else ""  # a hidden one counts too, as LibreOffice counts
        inline = Inline(self.notes, self.hiding, style_id)
        inline.marks, self.marks = self.marks, []  # those opened just before it, then its own
        inline.runs(p)
        spans = tuple(inline.spans)
        if inline.notes and not inline.text.strip():
            spans, inline.notes = (Span(" ".join(inline.notes)),), []  # a line of nothing but a note: its text
        place = self._line(ppr, style_id, numbered, number, spans, inline, cell, box) \
            if "".join(s.text for s in spans).strip() else None
        if place is not None:
            self.at[place.where] = self._last = p
        self._beside(inline, place)
        for what in inline.unread:
            self.skipped.append(Skipped(place or self._here(what), "", f"{what} is not read",
                                        "give what it shows in the text of an update"))
        for content in inline.boxes:
            self.blocks_of(content, None, box=True)

    def _line(self, ppr: Element | None, style_id: str | None, numbered: tuple[str, int] | None,
              number: str, spans: tuple[Span, ...], inline: Inline, cell: Cell | None, box: bool) -> Place:
        self.paragraphs += 1
        if self.paragraphs > limits.MAX_PARAGRAPHS:
            raise InputError([error(
                f"has more than the {limits.MAX_PARAGRAPHS:,} paragraphs a return may have", Place(self.file),
                "split it into several files, one per priority")])
        heading = outline(ppr) if outline(ppr) is not None else self.styles.outline(style_id)
        style = self.styles.name(style_id)
        level, spans, marker = lists.level(ppr, style, numbered, spans, heading)
        text = "".join(s.text for s in spans).strip()
        where = " in a text box" if box else (f" in table {cell[0]}, row {cell[1]}" if cell else "")
        kind = "heading" if heading is not None else "bullet" if level is not None else "line"
        place = Place(self.file, f"paragraph {self.paragraphs}{where}", opening(text.split("\n", 1)[0]), kind)
        if inline.cleaned:
            self.cleaned.append(place)
        self.blocks.append(Paragraph(place, spans, level, style or "Normal", number, marker, heading, cell,
                                     tuple(inline.notes), tuple(inline.marks)))
        return place

    def _beside(self, inline: Inline, place: Place | None) -> None:
        """What a paragraph holds besides its text, kept at its place (where it stands, when
        it shows no text): the comments anchored in it, its hidden text, symbols not said."""
        for comment in inline.anchors:
            self._anchor(comment, place)
        hidden = " ".join(" ".join(inline.hidden).split())
        if hidden:
            self.hidden.append(Hidden(place or self._here("hidden text"), hidden))
        self.symbols += [(place or self._here("a symbol"), font, code) for font, code in inline.missing]

    def _anchor(self, comment: str, place: Place | None) -> None:
        if place is not None:
            self.anchors.add(comment, place)
        else:
            self.anchors.add(comment, self._here("a comment"), loose=True)

    # --- tables ---------------------------------------------------------------------

    def _table(self, tbl: Element, box: bool) -> None:
        self.tables += 1
        number = self.tables
        cells = list(tables.rows(tbl))
        found = tables.update_table(self.file, number, cells, self.notes, self.hiding)
        if found is not None:
            table, beside = found
            for made, tcs in zip((*table.head, *table.rows), cells, strict=True):
                if (p := _row_paragraph(tcs, table.columns.get("update"))) is not None:
                    self.at[made.place.where] = p
            for place, inlines in beside:
                for inline in inlines:
                    self._beside(inline, place)
            self.blocks.append(table)
            return
        for r, row in enumerate(cells, start=1):
            for c, tc in enumerate(row, start=1):
                self.blocks_of(tc, (number, r, c), box)


def _row_paragraph(cells: list[Element], update: int | None) -> Element | None:
    """The w:p a form's row is found by: its Update cell's first paragraph with text, else
    the row's first with text, else its first."""
    for tc in ([cells[update]] if update is not None and update < len(cells) else []) + cells:
        for p in tc.iter(P):
            if "".join(t.text or "" for t in p.iter(T)).strip():
                return p
    return next((p for tc in cells for p in tc.iter(P)), None)
