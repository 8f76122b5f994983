"""Read a Word return (.docx, .docm) into a Record: every paragraph of it, once.

What Word shows is read, in reading order, and nothing twice:

- paragraphs with their text, emphasis and list level (from Word's numbering, a
  list style, or a typed marker such as "•" or "-"), the number Word's numbering
  shows before them ("1.", "Priority 2 –"), and their outline level when their
  style is a heading's; a line break (Shift+Enter) is kept in the text (``resolve``
  tells a bullet typed after one); each is placed by its number, its opening words
  and whether Word shows it as a heading, a bullet or a line;
- a table with a header row naming Priority (or Commitment) and Update is kept
  whole as rows; any other table is read cell by cell, each paragraph knowing its
  table, row and column;
- text boxes and shapes: their current content (``mc:Choice``, ``wps:txbx``), never
  the compatibility copy kept beside it (``mc:Fallback``, VML), as paragraphs of
  their own after the paragraph they are anchored to;
- content controls, fields (their results), hyperlinks, internal ones included;
  a content control still showing its placeholder text is empty;
- footnotes and endnotes, as notes of the paragraph that refers to them;
- tracked insertions are taken and deletions dropped;
- a symbol character (``w:sym``, a font and a code) as the character it shows
  (``symbols``), reported when it cannot be said;
- hidden text (the Hidden font effect, ``w:vanish``: the run's own, else its
  character style's, its paragraph style's, the document's default) is not read
  but kept aside to be reported: a paragraph all of whose text is hidden is none;
- comments (and replies to them) as remarks, each at the paragraph it is anchored
  to, the unit's own (``signature``) passed over.

What cannot be read (an embedded HTML chunk, a chart, SmartArt, an embedded object)
is recorded as skipped, to be reported. The package is opened by relationship
(``package``), Strict Open XML as well; macros are never run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from docx.styles import BabelFish
from lxml import etree

from .. import safety, signature
from ..errors import InputError, Place, Problem, error, warning
from ..model import Span, drop_prefix
from ..records import Block, Hidden, Paragraph, Record, Remark, Row, Skipped, Table
from ..text import MARKER, opening
from . import header, symbols
from .package import Package

Element = Any  # an lxml element

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "o": "urn:schemas-microsoft-com:office:office",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
}


def q(name: str) -> str:
    """'w:p' -> '{http://…/main}p'."""
    prefix, _, local = name.partition(":")
    return f"{{{_NS[prefix]}}}{local}"


P, R, T, TBL, TR, TC = q("w:p"), q("w:r"), q("w:t"), q("w:tbl"), q("w:tr"), q("w:tc")
PPR, RPR, SDT, SDT_CONTENT = q("w:pPr"), q("w:rPr"), q("w:sdt"), q("w:sdtContent")
ALTERNATE, CHOICE, FALLBACK = q("mc:AlternateContent"), q("mc:Choice"), q("mc:Fallback")
TXBX = q("w:txbxContent")
W_VAL, W_ID = q("w:val"), q("w:id")
COMMENT_START, COMMENT_REF = q("w:commentRangeStart"), q("w:commentReference")

# Inline elements whose content is not the paragraph's text: properties, deleted text,
# a content control's own properties, marks. Everything else is looked into.
_NOT_TEXT = {q(n) for n in ("w:pPr", "w:rPr", "w:del", "w:moveFrom", "w:sdtPr", "w:sdtEndPr", "w:proofErr",
                            "w:bookmarkStart", "w:bookmarkEnd", "w:commentRangeStart", "w:commentRangeEnd",
                            "w:permStart", "w:permEnd", "w:rt", "w:fldData")}
# Block containers that wrap ordinary paragraphs and tables.
_BLOCK_WRAPPERS = {q(n) for n in ("w:customXml", "w:ins", "w:moveTo", "w:smartTag")}
_MARKER = MARKER  # a list marker typed before the text ("•", "-", "1.")
_STYLE_LEVEL = re.compile(r"^list (?:bullet|number|continue)(?: (\d))?$", re.IGNORECASE)
_HEADING_NAME = re.compile(r"^heading ([1-9])$", re.IGNORECASE)
_W_TRUE = {None, "1", "true", "on"}
_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_DIAGRAM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"


def read(path: Path) -> Record:
    """The file's body as paragraphs and update tables, with what reading it found."""
    name = path.name
    with Package(path) as package:
        main = package.related("", "officeDocument") or _first(package, "word/document.xml")
        root = package.xml(main) if main else None
        if main is None or root is None or root.find(q("w:body")) is None:
            raise InputError([error("has no Word document inside it", Place(name),
                                    "open it in Word and save it again as .docx")])
        styles = _Styles(_part(package, main, "styles"))
        numbering = _Numbering(_part(package, main, "numbering"), styles)
        notes = _notes(styles, _part(package, main, "footnotes"), _part(package, main, "endnotes"))
        modified = _modified(package)
        body = root.find(q("w:body"))
        walker = _Walker(name, styles, numbering, notes)
        walker.blocks_of(body)
        remarks = _remarks(_part(package, main, "comments"), _part(package, main, "commentsExtended"), walker)
    problems: list[Problem] = []
    if any(True for _ in body.iter(q("w:ins"), q("w:del"))):
        problems.append(warning("the document still has tracked changes; insertions were taken and deletions "
                                "dropped", Place(name), "accept or reject all changes in Word and send it again"))
    problems += [safety.removed_characters(place) for place in walker.cleaned]
    problems += [_unknown_symbol(place, font, code) for place, font, code in dict.fromkeys(walker.symbols)]
    return Record(name, "docx", tuple(walker.blocks), None, modified, tuple(problems), tuple(walker.skipped),
                  remarks, tuple(walker.hidden))


def _first(package: Package, name: str) -> str | None:
    return name if package.has(name) else None


def _part(package: Package, main: str, kind: str) -> Element | None:
    """A part of the document by its relationship (styles, numbering, footnotes, endnotes, comments)."""
    found = package.related(main, kind) or _first(package, f"word/{kind}.xml")
    return package.xml(found) if found else None


def _modified(package: Package) -> str | None:
    """The document's own last-saved time, read as python-docx reads it; None when it has none."""
    found = package.related("", "core-properties") or _first(package, "docProps/core.xml")
    data = package.read(found) if found else None
    if not data:
        return None
    try:
        when = getattr(parse_xml(data), "modified_datetime", None)
    except (etree.LxmlError, ValueError):
        return None  # properties that cannot be read say nothing of the content
    return when.isoformat() if when else None


class _Walker:
    """Walks a body in reading order, numbering non-empty paragraphs as Word shows them."""

    def __init__(self, file: str, styles: _Styles, numbering: _Numbering, notes: dict[str, _Note]):
        self.file = file
        self.styles = styles
        self.numbering = numbering
        self.notes = notes
        self.blocks: list[Block] = []
        self.skipped: list[Skipped] = []
        self.cleaned: list[Place] = []  # paragraphs where control characters were removed
        self.hidden: list[Hidden] = []
        self.symbols: list[tuple[Place, str, str]] = []  # symbols (font, code) that cannot be said
        self.anchors: dict[str, Place] = {}  # a comment's id -> the paragraph (or form row) it is anchored to
        self.loose: dict[str, Place] = {}  # ... where it stands, when only empty paragraphs hold its anchors
        self.order: dict[str, int] = {}  # a comment's id -> when its anchor was first met
        self.paragraphs = 0
        self.tables = 0

    def blocks_of(self, parent: Element, cell: tuple[int, int, int] | None = None, box: bool = False) -> None:
        for child in parent:
            tag = child.tag
            if tag == P:
                self._paragraph(child, cell, box)
            elif tag == TBL:
                self._table(child, box)
            elif tag == SDT:
                if not _placeholder(child):
                    content = child.find(SDT_CONTENT)
                    if content is not None:
                        self.blocks_of(content, cell, box)
            elif tag == ALTERNATE:
                chosen = _chosen(child)
                if chosen is not None:
                    self.blocks_of(chosen, cell, box)
            elif tag in _BLOCK_WRAPPERS:
                self.blocks_of(child, cell, box)
            elif tag == COMMENT_START:  # a comment's range opening between paragraphs
                self._anchor(child.get(W_ID) or "", None)
            elif tag == q("w:altChunk"):
                self.skipped.append(Skipped(
                    self._here("an embedded chunk"), "",
                    "an embedded chunk of HTML or of another document (altChunk) is not read",
                    "open the file in Word and save it again: Word makes the chunk part of the document"))

    def _here(self, what: str) -> Place:
        return Place(self.file, f"{what} after paragraph {self.paragraphs}" if self.paragraphs
                     else f"{what} before the first paragraph")

    # --- paragraphs -------------------------------------------------------------

    def _paragraph(self, p: Element, cell: tuple[int, int, int] | None, box: bool) -> None:
        ppr = p.find(PPR)
        style_id = _val(ppr, "w:pStyle")
        numbered = self._numbered(ppr, style_id)
        number = self.numbering.label(*numbered) if numbered else ""  # a hidden one counts too, as LibreOffice counts
        inline = _Inline(self.notes, self.styles, style_id)
        inline.runs(p)
        spans = tuple(inline.spans)
        if inline.notes and not "".join(s.text for s in spans).strip():
            spans, inline.notes = (Span(" ".join(inline.notes)),), []  # a line of nothing but a note: its text
        place = self._line(p, ppr, style_id, numbered, number, spans, inline, cell, box) \
            if "".join(s.text for s in spans).strip() else None
        self._beside(inline, place)
        for what in inline.unread:
            self.skipped.append(Skipped(place or self._here(what), "", f"{what} is not read",
                                        "give what it shows in the text of an update"))
        for content in inline.boxes:
            self.blocks_of(content, None, box=True)

    def _line(self, p: Element, ppr: Element | None, style_id: str | None, numbered: tuple[str, int] | None,
              number: str, spans: tuple[Span, ...], inline: _Inline, cell: tuple[int, int, int] | None,
              box: bool) -> Place:
        self.paragraphs += 1
        if self.paragraphs > safety.MAX_PARAGRAPHS:
            raise InputError([error(
                f"has more than the {safety.MAX_PARAGRAPHS:,} paragraphs a return may have", Place(self.file),
                "split it into several files, one per priority")])
        heading = _outline(ppr) if _outline(ppr) is not None else self.styles.outline(style_id)
        level, spans, marker = self._level(ppr, style_id, numbered, spans, heading)
        text = "".join(s.text for s in spans).strip()
        where = " in a text box" if box else (f" in table {cell[0]}, row {cell[1]}" if cell else "")
        kind = "heading" if heading is not None else "bullet" if level is not None else "line"
        place = Place(self.file, f"paragraph {self.paragraphs}{where}", opening(text.split("\n", 1)[0]), kind)
        if inline.cleaned:
            self.cleaned.append(place)
        self.blocks.append(Paragraph(place, spans, level, self.styles.name(style_id) or "Normal", number, marker,
                                     heading, cell, tuple(inline.notes)))
        return place

    def _beside(self, inline: _Inline, place: Place | None) -> None:
        """What a paragraph holds besides its text, kept at its place (where it stands, when
        it shows no text): the comments anchored in it, its hidden text, symbols not said."""
        for comment in inline.anchors:
            self._anchor(comment, place)
        hidden = " ".join(" ".join(inline.hidden).split())
        if hidden:
            self.hidden.append(Hidden(place or self._here("hidden text"), hidden))
        self.symbols += [(place or self._here("a symbol"), font, code) for font, code in inline.missing]

    def _anchor(self, comment: str, place: Place | None) -> None:
        self.order.setdefault(comment, len(self.order))
        if place is not None:
            self.anchors.setdefault(comment, place)
        else:
            self.loose.setdefault(comment, self._here("a comment"))

    def _numbered(self, ppr: Element | None, style_id: str | None) -> tuple[str, int] | None:
        """(numId, level) of Word's numbering for a paragraph, its own or its style's."""
        numpr = ppr.find(q("w:numPr")) if ppr is not None else None
        own = _numpr(numpr) if numpr is not None else None
        style = self.styles.numbering(style_id)
        if own is not None and own[0] is None and style is not None:
            own = (style[0], own[1])  # a level given, the list left to the style
        found = own if own is not None and own[0] is not None else (style if numpr is None else None)
        if found is None or found[0] in (None, "0"):
            return None
        return str(found[0]), found[1]

    def _level(self, ppr: Element | None, style_id: str | None, numbered: tuple[str, int] | None,
               spans: tuple[Span, ...], heading: int | None) -> tuple[int | None, tuple[Span, ...], str]:
        """List level from numbering, a list style, or a typed marker (not in a heading)."""
        numpr = ppr.find(q("w:numPr")) if ppr is not None else None
        if numpr is not None and numbered is not None:
            return min(numbered[1], 2), spans, ""
        style = self.styles.name(style_id)
        if style and (m := _STYLE_LEVEL.match(style)):
            return min(int(m.group(1) or 1) - 1, 2), spans, ""
        if numbered is not None and heading is None:
            return min(numbered[1], 2), spans, ""  # a list style of the document's own
        if heading is not None:
            return None, spans, ""  # "1. More Local…" typed in a heading is its text, not a bullet
        text = "".join(s.text for s in spans)
        if m := _MARKER.match(text):
            indent = m.group("indent").replace("\u00a0", " ")
            level = indent.count("\t") + len(indent.replace("\t", "")) // 2 or _indent_level(ppr)
            return min(level, 2), drop_prefix(spans, m.end()), m.group("mark")
        if style and style.lower() == "list paragraph":
            return _indent_level(ppr), spans, ""
        return None, spans, ""

    # --- tables ---------------------------------------------------------------------

    def _table(self, tbl: Element, box: bool) -> None:
        self.tables += 1
        number = self.tables
        rows = list(_rows(tbl))
        inlines: list[list[_Inline]] = [[] for _ in rows]  # each row's paragraphs, as a form's cells read them
        texts = [[_cell_text(tc, self.notes, self.styles, found) for tc in cells]
                 for cells, found in zip(rows, inlines, strict=True)]
        for i, cells in enumerate(texts[:3]):
            cols = header.columns(cells, word=True)
            if cols:
                width = max((len(c) for c in texts), default=0)
                made = [Row(Place(self.file, f"table {number}, row {r + 1}"), tuple(c)) for r, c in enumerate(texts)]
                for row, found in zip(made, inlines, strict=True):
                    for inline in found:
                        self._beside(inline, row.place)
                self.blocks.append(Table(cols, tuple(made[i + 1:]), tuple(made[:i + 1]),
                                         tuple(f"column {n + 1}" for n in range(width))))
                return
        for r, cells in enumerate(rows, start=1):
            for c, tc in enumerate(cells, start=1):
                self.blocks_of(tc, (number, r, c), box)


def _rows(tbl: Element) -> Iterator[list[Element]]:
    """A table's rows, each as its cells, through the content controls that may wrap them."""
    for row in _through(tbl, TR):
        yield list(_through(row, TC))


def _through(parent: Element, tag: str) -> Iterator[Element]:
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None and not _placeholder(child):
                yield from _through(content, tag)
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _through(child, tag)


def _cell_text(tc: Element, notes: dict[str, _Note], styles: _Styles | None = None,
               found: list[_Inline] | None = None) -> str:
    """A form cell's text: its paragraphs (text boxes in them too), a line break between,
    as between the lines of an Excel cell; each paragraph as read put in `found`, for what
    it holds besides its text."""
    out: list[str] = []

    def walk(parent: Element) -> None:
        for child in parent:
            if child.tag == P:
                inline = _Inline(notes, styles, _val(child.find(PPR), "w:pStyle"))
                inline.runs(child)
                if found is not None:
                    found.append(inline)
                out.append(" ".join(t for t in ("".join(s.text for s in inline.spans).strip(), *inline.notes)
                                    if t))
                for content in inline.boxes:
                    walk(content)
            elif child.tag == TBL:
                for cells in _rows(child):
                    for inner in cells:
                        walk(inner)
            elif child.tag == SDT and not _placeholder(child):
                content = child.find(SDT_CONTENT)
                if content is not None:
                    walk(content)
            elif child.tag == ALTERNATE:
                chosen = _chosen(child)
                if chosen is not None:
                    walk(chosen)
            elif child.tag in _BLOCK_WRAPPERS:
                walk(child)

    walk(tc)
    return "\n".join(t for t in out if t).strip()


# --- the text of a paragraph ----------------------------------------------------------------


@dataclass(frozen=True)
class _Note:
    """A footnote or endnote: its text, and what it holds besides (as a paragraph does)."""

    text: str
    hidden: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()


class _Inline:
    """A paragraph's text as Word shows it, with what it anchors and refers to, and the
    text Word hides (the runs of a paragraph of style `style_id` hidden by `styles`)."""

    def __init__(self, notes: dict[str, _Note], styles: _Styles | None = None, style_id: str | None = None):
        self.known_notes = notes
        self.styles = styles
        self.style_id = style_id
        self.spans: list[Span] = []
        self.boxes: list[Element] = []  # text boxes anchored here: read after the paragraph
        self.notes: list[str] = []  # the footnotes and endnotes it refers to
        self.unread: list[str] = []  # a chart, SmartArt, an embedded object
        self.hidden: list[str] = []  # hidden text, a stretch of it an item
        self.missing: list[tuple[str, str]] = []  # symbols (font, code) that cannot be said as characters
        self.anchors: list[str] = []  # the ids of the comments anchored here
        self.cleaned = False
        self._hiding = False  # the last text read was hidden: a hidden run next goes on its stretch

    def runs(self, parent: Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == COMMENT_START:
                self.anchors.append(child.get(W_ID) or "")
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue
            if tag == R:
                self._run(child)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None and not _placeholder(child):
                    self.runs(content)
            elif tag == ALTERNATE:
                chosen = _chosen(child)
                if chosen is not None:
                    self.runs(chosen)
            elif tag == q("m:r"):
                self._add("".join(t.text or "" for t in child.iter(q("m:t"))), False, False)
            elif tag == TXBX:
                self.boxes.append(child)
            else:  # hyperlinks, simple fields, smart tags, insertions, equations…
                self.runs(child)

    def _run(self, r: Element) -> None:
        rpr = r.find(RPR)
        bold, italic = _flag(rpr, "w:b"), _flag(rpr, "w:i")
        text: list[str] = []
        missing: list[tuple[str, str]] = []
        for child in r:
            tag = child.tag
            if tag == T:
                text.append(child.text or "")
            elif tag in (q("w:tab"), q("w:ptab")):
                text.append("\t")
            elif tag in (q("w:br"), q("w:cr")):
                text.append("\n")  # Shift+Enter: kept, for resolve to tell a typed bullet after it
            elif tag == q("w:noBreakHyphen"):
                text.append("-")
            elif tag == q("w:sym"):
                font, code = child.get(q("w:font")) or "", child.get(q("w:char")) or ""
                shown = symbols.shown(font, code)
                if shown is None:
                    missing.append((font, code.upper()))
                else:
                    text.append(shown)
            elif tag == COMMENT_REF:
                self.anchors.append(child.get(W_ID) or "")
            elif tag in (q("w:footnoteReference"), q("w:endnoteReference")):
                note = self.known_notes.get(f"{tag.rpartition('}')[2][:3]}:{child.get(q('w:id'))}")
                if note is not None:
                    if note.text:
                        self.notes.append(note.text)
                    self.hidden += note.hidden
                    self.missing += note.missing
            elif isinstance(tag, str) and tag != RPR:
                self._graphics(child)  # a drawing, a VML picture, an embedded object
        if self._hides(rpr):
            self._hide("".join(text))
        else:
            self._add("".join(text), bold, italic)
            self.missing += missing

    def _hides(self, rpr: Element | None) -> bool:
        """Whether a run is hidden: by its own properties, else by its styles'."""
        own = _toggle(rpr, "w:vanish")
        if own is not None:
            return own
        return self.styles is not None and self.styles.hides(self.style_id, _val(rpr, "w:rStyle"))

    def _hide(self, text: str) -> None:
        if text:
            text = safety.clean_text(text)[0]
            if self._hiding and self.hidden:
                self.hidden[-1] += text  # a word split over runs stays one word
            else:
                self.hidden.append(text)
            self._hiding = True

    def _add(self, text: str, bold: bool, italic: bool) -> None:
        if text:
            cleaned, removed = safety.clean_text(text)
            self.cleaned = self.cleaned or removed
            self.spans.append(Span(cleaned, bold, italic))
            self._hiding = False

    def _graphics(self, el: Element) -> None:
        """Text boxes in a drawing, a VML shape or an alternate content's chosen branch
        (never its fallback copy); what else a drawing holds that cannot be read."""
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == TXBX:
            self.boxes.append(el)
        elif tag == ALTERNATE:
            chosen = _chosen(el)
            if chosen is not None:
                self._graphics(chosen)
        elif tag == q("a:graphicData") and el.get("uri") in (_CHART, _DIAGRAM):
            self.unread.append("a chart" if el.get("uri") == _CHART else "a SmartArt diagram")
        elif tag == q("o:OLEObject"):
            self.unread.append("an embedded object" + (f" ({el.get('ProgID')[:40]})" if el.get("ProgID") else ""))
        else:
            for child in el:
                self._graphics(child)


def _chosen(alternate: Element) -> Element | None:
    """The branch of mc:AlternateContent Word shows: its first choice, the fallback only without one."""
    choice = alternate.find(CHOICE)
    return choice if choice is not None else alternate.find(FALLBACK)


def _placeholder(sdt: Element) -> bool:
    """A content control still showing its placeholder text ("Click or tap here…"): empty."""
    props = sdt.find(q("w:sdtPr"))
    return props is not None and props.find(q("w:showingPlcHdr")) is not None


def _notes(styles: _Styles, *parts: Element | None) -> dict[str, _Note]:
    """'foo:2' / 'end:1' -> that footnote or endnote (separators have no text)."""
    out: dict[str, _Note] = {}
    for root in parts:
        if root is None:
            continue
        for note in root:
            if not isinstance(note.tag, str) or note.get(q("w:type")) not in (None, "normal"):
                continue
            kind = note.tag.rpartition("}")[2][:3]  # "foo" or "end", as the references' tags start
            texts: list[str] = []
            hidden: list[str] = []
            missing: list[tuple[str, str]] = []
            for p in note.iter(P):
                inline = _Inline({}, styles, _val(p.find(PPR), "w:pStyle"))
                inline.runs(p)
                texts.append(" ".join("".join(s.text for s in inline.spans).split()))
                hidden += inline.hidden
                missing += inline.missing
            text = " ".join(t for t in texts if t)
            if text or hidden or missing:
                out[f"{kind}:{note.get(q('w:id'))}"] = _Note(text, tuple(hidden), tuple(missing))
    return out


def _remarks(comments: Element | None, extended: Element | None, walker: _Walker) -> tuple[Remark, ...]:
    """The comments contributors wrote, in the order of their anchors, each at the paragraph
    it is anchored to (a reply Word anchored nowhere, at the comment it answers).

    A reply is a comment whose last paragraph's id (w14:paraId) has a parent in the
    comments' extended part (w15:paraIdParent), as Word writes it. The unit's own
    comments (``signature``) are passed over; a contributor's reply to one is not."""
    if comments is None:
        return ()
    parents: dict[str, str] = {}  # a comment's last paragraph id -> that of the comment it replies to
    if extended is not None:
        for ex in extended.iter(q("w15:commentEx")):
            para, parent = ex.get(q("w15:paraId")), ex.get(q("w15:paraIdParent"))
            if para and parent:
                parents[para] = parent
    found: list[tuple[str, str | None, str, str]] = []  # id, its last paragraph's id, author, text
    for comment in comments.iter(q("w:comment")):
        texts = []
        last = None
        for p in comment.iter(P):
            inline = _Inline({})
            inline.runs(p)
            texts.append("".join(s.text for s in inline.spans))
            last = p.get(q("w14:paraId"))
        author = safety.clean_text(comment.get(q("w:author")) or "")[0]
        found.append((comment.get(W_ID) or "", last, " ".join(author.split()), " ".join(" ".join(texts).split())))
    by_para = {last: cid for cid, last, _, _ in found if last}
    out: list[tuple[tuple[int, int, int], Remark]] = []
    for n, (cid, last, author, text) in enumerate(found):
        parent = by_para.get(parents.get(last or "", ""))
        if not text or signature.signed(text):
            continue
        place = (walker.anchors.get(cid) or walker.loose.get(cid)
                 or (walker.anchors.get(parent) or walker.loose.get(parent) if parent else None) or Place(walker.file))
        order = walker.order.get(cid, walker.order.get(parent or "", len(walker.order)))
        out.append(((order, parent is not None, n), Remark(place, author, text, "comment", parent is not None)))
    return tuple(remark for _, remark in sorted(out, key=lambda found: found[0]))


def _unknown_symbol(place: Place, font: str, code: str) -> Problem:
    return warning(f"a symbol ({font or 'no font'}, character {code}) cannot be read as a character and was left out",
                   place, "type what it stands for, or insert it from a font that is not a symbol font")


def _flag(rpr: Element | None, tag: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(q(tag))
    return el is not None and el.get(W_VAL) in _W_TRUE


def _toggle(props: Element | None, tag: str) -> bool | None:
    """A property turned on or off by these properties; None when they do not say."""
    el = props.find(q(tag)) if props is not None else None
    return None if el is None else el.get(W_VAL) in _W_TRUE


def _val(parent: Element | None, tag: str) -> str | None:
    el = parent.find(q(tag)) if parent is not None else None
    return el.get(W_VAL) if el is not None else None


def _int(text: str | None, default: int = 0) -> int:
    return int(text) if text is not None and text.isdigit() and len(text) < 6 else default


def _numpr(numpr: Element) -> tuple[str | None, int]:
    num, ilvl = _val(numpr, "w:numId"), _val(numpr, "w:ilvl")
    return num, min(_int(ilvl), 8)


def _outline(ppr: Element | None) -> int | None:
    level = _val(ppr, "w:outlineLvl")
    return _int(level) if level is not None and level.isdigit() and int(level) < 9 else None


def _indent_level(ppr: Element | None) -> int:
    """List Paragraph without numbering: about every 0.63 cm of indent is a level."""
    ind = ppr.find(q("w:ind")) if ppr is not None else None
    if ind is None:
        return 0
    left = ind.get(q("w:left")) or ind.get(q("w:start")) or "0"
    try:
        return max(0, min(2, round(int(left) / 360) - 1))
    except ValueError:
        return 0


# --- styles and numbering --------------------------------------------------------------------


class _Styles:
    """Paragraph styles by id: name as Word shows it, the style it is based on, its
    outline level and the numbering it carries."""

    def __init__(self, root: Element | None):
        self.styles: dict[str, tuple[str | None, str | None, int | None, tuple[str | None, int] | None]] = {}
        self.default: str | None = None
        self.vanish: dict[str, tuple[bool | None, str | None]] = {}  # any style -> its Hidden effect, its base
        self.vanish_default = False  # the document's default for runs
        self._hides: dict[tuple[str | None, str | None], bool] = {}
        if root is None:
            return
        defaults = root.find(f"{q('w:docDefaults')}/{q('w:rPrDefault')}/{RPR}")
        self.vanish_default = bool(_toggle(defaults, "w:vanish"))
        for style in root.iter(q("w:style")):
            sid = style.get(q("w:styleId"))
            if sid is not None:
                self.vanish.setdefault(sid, (_toggle(style.find(RPR), "w:vanish"), _val(style, "w:basedOn")))
            if sid is None or style.get(q("w:type"), "paragraph") != "paragraph":
                continue
            name = _val(style, "w:name")
            ppr = style.find(PPR)
            numpr = ppr.find(q("w:numPr")) if ppr is not None else None
            self.styles.setdefault(sid, (BabelFish.internal2ui(name) if name else None, _val(style, "w:basedOn"),
                                         _outline(ppr), _numpr(numpr) if numpr is not None else None))
            if style.get(q("w:default")) in ("1", "true", "on") and self.default is None:
                self.default = sid

    def _chain(self, sid: str | None) -> Iterator[tuple[str | None, str | None, int | None,
                                                        tuple[str | None, int] | None]]:
        seen: set[str] = set()
        sid = sid if sid in self.styles else self.default
        while sid is not None and sid in self.styles and sid not in seen and len(seen) < 20:
            seen.add(sid)
            yield self.styles[sid]
            sid = self.styles[sid][1]

    def name(self, sid: str | None) -> str | None:
        found = self.styles.get(sid) if sid is not None else None
        return found[0] if found else None

    def hides(self, para: str | None, char: str | None) -> bool:
        """Whether the styles hide a run of character style `char` in a paragraph of style
        `para`: the nearest that says decides — the character style (or one it is based
        on), the paragraph's style, then the document's default."""
        key = (para, char)
        if key not in self._hides:
            found = (self._vanish(char), self._vanish(para if para in self.styles else self.default))
            self._hides[key] = next((v for v in found if v is not None), self.vanish_default)
        return self._hides[key]

    def _vanish(self, sid: str | None) -> bool | None:
        seen: set[str] = set()
        while sid is not None and sid in self.vanish and sid not in seen and len(seen) < 20:
            seen.add(sid)
            own, sid = self.vanish[sid][0], self.vanish[sid][1]
            if own is not None:
                return own
        return None

    def outline(self, sid: str | None) -> int | None:
        """0 for Heading 1 (or a style based on it, or one with outline level 1), None for body text."""
        for name, _, outline, _ in self._chain(sid):
            if outline is not None:
                return outline
            if name and (m := _HEADING_NAME.match(name)):
                return int(m.group(1)) - 1
            if name and name.casefold() == "title":
                return 0
        return None

    def numbering(self, sid: str | None) -> tuple[str | None, int] | None:
        for _, _, _, numpr in self._chain(sid):
            if numpr is not None:
                return numpr
        return None


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    return chr(96 + (n - 1) % 26 + 1) * ((n - 1) // 26 + 1) if n > 0 else ""


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(min(n, 3999))
        return text.upper() if fmt == "upperRoman" else text
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(min(n, 780))
        return text.upper() if fmt == "upperLetter" else text
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """The numbers Word shows before numbered paragraphs, counted in reading order:
    lists sharing a definition continue each other unless one restarts."""

    def __init__(self, root: Element | None, styles: _Styles):
        self.styles = styles
        self.abstract: dict[str, dict[int, tuple[int, str, str]]] = {}  # id -> level -> (start, format, text)
        self.links: dict[str, str] = {}  # abstract id -> the numbering style it takes its levels from
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, tuple[int, str, str]]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(q("w:abstractNum")):
            aid = abstract.get(q("w:abstractNumId"))
            if aid is None:
                continue
            self.abstract.setdefault(aid, self._levels(abstract))
            link = _val(abstract, "w:numStyleLink")
            if link:
                self.links[aid] = link
        for num in root.iter(q("w:num")):
            nid, aid = num.get(q("w:numId")), _val(num, "w:abstractNumId")
            if nid is None or aid is None:
                continue
            starts: dict[int, int] = {}
            levels: dict[int, tuple[int, str, str]] = {}
            for override in num.iter(q("w:lvlOverride")):
                ilvl = min(_int(override.get(q("w:ilvl"))), 8)
                start = _val(override, "w:startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                levels.update(self._levels(override))
            self.nums.setdefault(nid, (aid, starts, levels))

    @staticmethod
    def _levels(parent: Element) -> dict[int, tuple[int, str, str]]:
        out = {}
        for lvl in parent.iter(q("w:lvl")):
            ilvl = min(_int(lvl.get(q("w:ilvl"))), 8)
            out[ilvl] = (_int(_val(lvl, "w:start"), 1), _val(lvl, "w:numFmt") or "decimal",
                         _val(lvl, "w:lvlText") or "")
        return out

    def _definition(self, nid: str) -> tuple[str, dict[int, tuple[int, str, str]]] | None:
        found = self.nums.get(nid)
        if found is None:
            return None
        aid, _, overrides = found
        for _ in range(3):  # a list that takes its levels from a numbering style
            link = self.links.get(aid)
            numpr = self.styles.numbering(link) if link else None
            linked = self.nums.get(numpr[0]) if numpr and numpr[0] else None
            if linked is None or linked[0] == aid:
                break
            aid = linked[0]
        return aid, {**self.abstract.get(aid, {}), **overrides}

    def label(self, nid: str, ilvl: int) -> str:
        """What Word shows before the next paragraph of list `nid` at level `ilvl`."""
        found = self._definition(nid)
        if found is None:
            return ""
        aid, levels = found
        counters = self.counters.setdefault(aid, [0] * 9)
        if nid not in self.started:
            self.started.add(nid)
            for level, start in self.nums[nid][1].items():
                counters[level] = start - 1
        start = levels.get(ilvl, (1, "decimal", ""))[0]
        counters[ilvl] = max(counters[ilvl] + 1, start)
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        _, fmt, text = levels.get(ilvl, (1, "decimal", ""))
        if fmt == "bullet":
            return text.strip()

        def number(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            first, level_fmt, _ = levels.get(level, (1, "decimal", ""))
            return _format(counters[level] or first, level_fmt)

        return re.sub(r"%([1-9])", number, text).strip()
