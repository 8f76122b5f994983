"""Read a Word return (.docx, .docm) into a Record: its body as paragraphs.

Each non-empty paragraph keeps its text, emphasis and list level (from Word's
numbering, a list style, or a typed marker such as "•" or "-"). A table with a
header row naming Priority and Update is kept whole as rows; any other table is
read as its paragraphs. Tracked insertions are taken and deletions dropped.
Macros are never run: only document.xml and its styles are read.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from .. import safety
from ..errors import InputError, Place, error, warning
from ..model import Span, drop_prefix
from ..records import Block, Paragraph, Record, Row, Table
from ..text import first_words
from . import header

_MARKER = re.compile(r"^(?P<indent>[ \t\u00a0]*)(?P<mark>[•\-–—o▪■◦●*·]|\d+[.)]|[a-z][.)])[ \t\u00a0]+(?=\S)")
_STYLE_LEVEL = re.compile(r"^list (?:bullet|number|continue)(?: (\d))?$", re.IGNORECASE)
_W_TRUE = {None, "1", "true", "on"}

Element = Any  # an lxml element of python-docx's oxml classes


def read(path: Path) -> Record:
    """The file's body as paragraphs and update tables, with what reading it found."""
    name = path.name
    try:
        document = docx.Document(safety.word_source(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError([error(f"not a readable Word document ({exc})", Place(name),
                                "open it in Word and save it again as .docx")]) from exc
    body = getattr(document.element, "body", None)  # None when the main part is not a document
    walker = _Walker(name, {s.style_id: s for s in document.styles})
    if body is not None:
        walker.walk(body)
    if walker.paragraphs > safety.MAX_PARAGRAPHS:
        raise InputError([error(
            f"has {walker.paragraphs:,} paragraphs, more than the {safety.MAX_PARAGRAPHS:,} a return may have",
            Place(name), "split it into several files, one per priority")])
    problems = []
    if body is not None and any(body.find(".//" + qn(tag)) is not None for tag in ("w:ins", "w:del")):
        problems.append(warning("the document still has tracked changes; insertions were taken and deletions "
                                "dropped", Place(name), "accept or reject all changes in Word and send it again"))
    problems += [safety.removed_characters(place) for place in walker.cleaned]
    modified = document.core_properties.modified
    return Record(name, "docx", tuple(walker.blocks), None,
                  modified.isoformat() if modified else None, tuple(problems))


class _Walker:
    """Walks a body in reading order, numbering non-empty paragraphs as Word shows them."""

    def __init__(self, file: str, styles: dict[str, Any]):
        self.file = file
        self.styles = styles
        self.blocks: list[Block] = []
        self.cleaned: list[Place] = []  # paragraphs where control characters were removed
        self.paragraphs = 0
        self.tables = 0

    def walk(self, parent: Element) -> None:
        for child in parent:
            if child.tag == qn("w:p"):
                self._paragraph(child)
            elif child.tag == qn("w:tbl"):
                self.tables += 1
                table = _update_table(child, self.file, self.tables)
                if table:
                    self.blocks.append(table)
                else:
                    for p in child.iter(qn("w:p")):
                        self._paragraph(p)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins")):
                self.walk(child)  # content controls and the like wrap ordinary paragraphs

    def _paragraph(self, p: Element) -> None:
        spans = _spans(p)
        if not "".join(s.text for s in spans).strip():
            return
        self.paragraphs += 1
        level, spans = _level(p, spans, self.styles)
        text = "".join(s.text for s in spans).strip()
        place = Place(self.file, f"paragraph {self.paragraphs} ('{first_words(text, 6)}')")
        if any(safety.clean_text(t.text or "")[1] for t in p.iter(qn("w:t"))):
            self.cleaned.append(place)
        self.blocks.append(Paragraph(place, spans, level, _style_name(p.find(qn("w:pPr")), self.styles) or "Normal"))


def _update_table(tbl: Element, file: str, number: int) -> Table | None:
    """A table filled in like a form: a header row in its first three, then one update per row."""
    rows = [
        [" ".join("".join(s.text for s in _spans(p)) for p in tc.iter(qn("w:p"))).strip()
         for tc in tr.iter(qn("w:tc"))]
        for tr in tbl.iter(qn("w:tr"))
    ]
    for i, cells in enumerate(rows[:3]):
        cols = header.columns(cells)
        if cols:
            return Table(cols, tuple(Row(Place(file, f"table {number}, row {r + 1}"), tuple(c))
                                     for r, c in enumerate(rows) if r > i))
    return None


def _spans(p: Element) -> tuple[Span, ...]:
    out: list[Span] = []
    for r in p.iter(qn("w:r")):
        if _deleted(r, p):
            continue
        rpr = r.find(qn("w:rPr"))
        bold, italic = _flag(rpr, "w:b"), _flag(rpr, "w:i")
        text = []
        for child in r:
            tag = child.tag
            if tag == qn("w:t"):
                text.append(child.text or "")
            elif tag in (qn("w:tab"), qn("w:br"), qn("w:cr")):
                text.append(" " if tag != qn("w:tab") else "\t")
            elif tag == qn("w:noBreakHyphen"):
                text.append("-")
        if text:
            out.append(Span(safety.clean_text("".join(text))[0], bold, italic))
    return tuple(out)


def _deleted(r: Element, p: Element) -> bool:
    node = r.getparent()
    while node is not None and node is not p:
        if node.tag in (qn("w:del"), qn("w:moveFrom")):
            return True
        node = node.getparent()
    return False


def _flag(rpr: Element | None, tag: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(qn(tag))
    return el is not None and el.get(qn("w:val")) in _W_TRUE


def _level(p: Element, spans: tuple[Span, ...], styles: dict[str, Any]) -> tuple[int | None, tuple[Span, ...]]:
    """List level from numbering, a list style, or a typed marker."""
    ppr = p.find(qn("w:pPr"))
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is not None:
        num_id = numpr.find(qn("w:numId"))
        if num_id is None or num_id.get(qn("w:val")) != "0":
            ilvl = numpr.find(qn("w:ilvl"))
            value = ilvl.get(qn("w:val"), "0") if ilvl is not None else "0"
            return min(int(value), 2) if value.isdigit() else 0, spans
    style = _style_name(ppr, styles)
    if style and (m := _STYLE_LEVEL.match(style)):
        return min(int(m.group(1) or 1) - 1, 2), spans
    text = "".join(s.text for s in spans)
    if m := _MARKER.match(text):
        indent = m.group("indent").replace("\u00a0", " ")
        level = indent.count("\t") + len(indent.replace("\t", "")) // 2 or _indent_level(ppr)
        return min(level, 2), drop_prefix(spans, m.end())
    if style and style.lower() == "list paragraph":
        return _indent_level(ppr), spans
    return None, spans


def _style_name(ppr: Element | None, styles: dict[str, Any]) -> str | None:
    if ppr is None:
        return None
    ps = ppr.find(qn("w:pStyle"))
    if ps is None:
        return None
    style = styles.get(ps.get(qn("w:val")))
    return str(style.name) if style is not None else None


def _indent_level(ppr: Element | None) -> int:
    """List Paragraph without numbering: about every 0.63 cm of indent is a level."""
    ind = ppr.find(qn("w:ind")) if ppr is not None else None
    if ind is None:
        return 0
    left = ind.get(qn("w:left")) or ind.get(qn("w:start")) or "0"
    try:
        return max(0, min(2, round(int(left) / 360) - 1))
    except ValueError:
        return 0
