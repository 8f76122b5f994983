"""A paragraph's runs → its text as Word shows it, in spans of emphasis, with what
the paragraph holds besides: the text boxes anchored in it, the notes it refers to,
the comments anchored in it, the bookmarks that start in it, its hidden text, the symbols that cannot be said as
characters, and what cannot be read (a chart, SmartArt, an embedded object).

Content controls, fields (their results), hyperlinks and insertions are looked
into; deleted text and a content control still showing its placeholder are not.
A line break (Shift+Enter) is kept as one, for ``resolve`` to tell a bullet typed
after it."""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Span
from ...text import clean_text
from . import symbols
from .hidden import Hiding
from .wordml import (
    ALTERNATE,
    BOOKMARK_START,
    COMMENT_REF,
    COMMENT_START,
    RPR,
    SDT,
    SDT_CONTENT,
    TXBX,
    W_ID,
    Element,
    R,
    T,
    chosen,
    flag,
    placeholder,
    q,
    toggle,
)

# Inline elements whose content is not the paragraph's text: properties, deleted text,
# a content control's own properties, marks. Everything else is looked into.
_NOT_TEXT = {q(n) for n in ("w:pPr", "w:rPr", "w:del", "w:moveFrom", "w:sdtPr", "w:sdtEndPr", "w:proofErr",
                            "w:bookmarkStart", "w:bookmarkEnd", "w:commentRangeStart", "w:commentRangeEnd",
                            "w:permStart", "w:permEnd", "w:rt", "w:fldData")}
# Run content that stands for a character: a tab, a line break (Shift+Enter: kept, for
# resolve to tell a typed bullet after it), a non-breaking hyphen.
_CHARACTERS = {q("w:tab"): "\t", q("w:ptab"): "\t", q("w:br"): "\n", q("w:cr"): "\n", q("w:noBreakHyphen"): "-"}
_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_DIAGRAM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"


@dataclass(frozen=True)
class Note:
    """A footnote or endnote: its text, and what it holds besides (as a paragraph does)."""

    text: str
    hidden: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()


class Inline:
    """A paragraph's text as Word shows it, with what it anchors and refers to, and the
    text Word hides (the runs of a paragraph of style `style_id` hidden by `hiding`)."""

    def __init__(self, notes: dict[str, Note], hiding: Hiding | None = None, style_id: str | None = None):
        self.known_notes = notes
        self.hiding = hiding
        self.style_id = style_id
        self.spans: list[Span] = []
        self.boxes: list[Element] = []  # text boxes anchored here: read after the paragraph
        self.notes: list[str] = []  # the footnotes and endnotes it refers to
        self.unread: list[str] = []  # a chart, SmartArt, an embedded object
        self.hidden: list[str] = []  # hidden text, a stretch of it an item
        self.missing: list[tuple[str, str]] = []  # symbols (font, code) that cannot be said as characters
        self.anchors: list[str] = []  # the ids of the comments anchored here
        self.marks: list[str] = []  # the names of the bookmarks that start here
        self.cleaned = False
        self._hiding = False  # the last text read was hidden: a hidden run next goes on its stretch

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    def runs(self, parent: Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == COMMENT_START:
                self.anchors.append(child.get(W_ID) or "")
            elif tag == BOOKMARK_START:
                self.marks.append(child.get(q("w:name")) or "")
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue
            if tag == R:
                self._run(child)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None and not placeholder(child):
                    self.runs(content)
            elif tag == ALTERNATE:
                branch = chosen(child)
                if branch is not None:
                    self.runs(branch)
            elif tag == q("m:r"):
                self._add("".join(t.text or "" for t in child.iter(q("m:t"))), False, False)
            elif tag == TXBX:
                self.boxes.append(child)
            else:  # hyperlinks, simple fields, smart tags, insertions, equations…
                self.runs(child)

    def _run(self, r: Element) -> None:
        rpr = r.find(RPR)
        text: list[str] = []
        missing: list[tuple[str, str]] = []
        for child in r:
            tag = child.tag
            if tag == T:
                text.append(child.text or "")
            elif tag in _CHARACTERS:
                text.append(_CHARACTERS[tag])
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
                self._note(f"{tag.rpartition('}')[2][:3]}:{child.get(q('w:id'))}")
            elif isinstance(tag, str) and tag != RPR:
                self._graphics(child)  # a drawing, a VML picture, an embedded object
        if self._hides(rpr):
            self._hide("".join(text))
        else:
            self._add("".join(text), flag(rpr, "w:b"), flag(rpr, "w:i"))
            self.missing += missing

    def _note(self, key: str) -> None:
        """A footnote or endnote referred to ('foo:2', 'end:1'): its text, and what it holds besides."""
        note = self.known_notes.get(key)
        if note is not None:
            if note.text:
                self.notes.append(note.text)
            self.hidden += note.hidden
            self.missing += note.missing

    def _hides(self, rpr: Element | None) -> bool:
        """Whether a run is hidden: by its own properties, else by its styles'."""
        if self.hiding is None:
            return bool(toggle(rpr, "w:vanish"))
        return self.hiding.run(rpr, self.style_id)

    def _hide(self, text: str) -> None:
        if text:
            text = clean_text(text)[0]
            if self._hiding and self.hidden:
                self.hidden[-1] += text  # a word split over runs stays one word
            else:
                self.hidden.append(text)
            self._hiding = True

    def _add(self, text: str, bold: bool, italic: bool) -> None:
        if text:
            cleaned, removed = clean_text(text)
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
            branch = chosen(el)
            if branch is not None:
                self._graphics(branch)
        elif tag == q("a:graphicData") and el.get("uri") in (_CHART, _DIAGRAM):
            self.unread.append("a chart" if el.get("uri") == _CHART else "a SmartArt diagram")
        elif tag == q("o:OLEObject"):
            self.unread.append("an embedded object" + (f" ({el.get('ProgID')[:40]})" if el.get("ProgID") else ""))
        else:
            for child in el:
                self._graphics(child)

