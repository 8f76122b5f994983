"""WordprocessingML as the Word reader looks at it: a prefixed name ("w:p") → the
name lxml gives the element, and a properties element → the values Word keeps in
it (on/off toggles, a w:val, a numbering reference, an outline level), read as
Word reads them whatever else is written there."""

from __future__ import annotations

from typing import Any

Element = Any  # an lxml element

NS = {
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
    return f"{{{NS[prefix]}}}{local}"


P, R, T, TBL, TR, TC = q("w:p"), q("w:r"), q("w:t"), q("w:tbl"), q("w:tr"), q("w:tc")
PPR, RPR, SDT, SDT_CONTENT = q("w:pPr"), q("w:rPr"), q("w:sdt"), q("w:sdtContent")
ALTERNATE, CHOICE, FALLBACK = q("mc:AlternateContent"), q("mc:Choice"), q("mc:Fallback")
TXBX = q("w:txbxContent")
W_VAL, W_ID = q("w:val"), q("w:id")
COMMENT_START, COMMENT_REF = q("w:commentRangeStart"), q("w:commentReference")
BOOKMARK_START = q("w:bookmarkStart")

# Block containers that wrap ordinary paragraphs and tables.
BLOCK_WRAPPERS = {q(n) for n in ("w:customXml", "w:ins", "w:moveTo", "w:smartTag")}
_W_TRUE = {None, "1", "true", "on"}


def chosen(alternate: Element) -> Element | None:
    """The branch of mc:AlternateContent Word shows: its first choice, the fallback only without one."""
    choice = alternate.find(CHOICE)
    return choice if choice is not None else alternate.find(FALLBACK)


def placeholder(sdt: Element) -> bool:
    """A content control still showing its placeholder text ("Click or tap here…"): empty."""
    props = sdt.find(q("w:sdtPr"))
    return props is not None and props.find(q("w:showingPlcHdr")) is not None


def flag(rpr: Element | None, tag: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(q(tag))
    return el is not None and el.get(W_VAL) in _W_TRUE


def toggle(props: Element | None, tag: str) -> bool | None:
    """A property turned on or off by these properties; None when they do not say."""
    el = props.find(q(tag)) if props is not None else None
    return None if el is None else el.get(W_VAL) in _W_TRUE


def val(parent: Element | None, tag: str) -> str | None:
    el = parent.find(q(tag)) if parent is not None else None
    return el.get(W_VAL) if el is not None else None


def number(text: str | None, default: int = 0) -> int:
    """A count Word writes ("3"); `default` for anything else, a huge number included."""
    return int(text) if text is not None and text.isdigit() and len(text) < 6 else default


def numpr(props: Element) -> tuple[str | None, int]:
    """(numId, level) of a numbering reference (w:numPr); the level at most 8, as Word's are."""
    num, ilvl = val(props, "w:numId"), val(props, "w:ilvl")
    return num, min(number(ilvl), 8)


def outline(ppr: Element | None) -> int | None:
    """A paragraph's own outline level (0 for a level-1 heading), None when it gives none."""
    level = val(ppr, "w:outlineLvl")
    return number(level) if level is not None and level.isdigit() and int(level) < 9 else None
