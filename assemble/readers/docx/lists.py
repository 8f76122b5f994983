"""A paragraph's place in a list → its level (0 to 2) and the marker typed before
its text, if any: from Word's numbering (the paragraph's own or its style's), a
list style ("List Bullet 2"), a typed marker ("•", "-", "1.") with its indent, or
a List Paragraph's indent. Text typed in a heading is its text, never a bullet."""

from __future__ import annotations

import re

from ...model import Span, drop_prefix
from ...text import MARKER
from .styles import Styles
from .wordml import Element, numpr, q

_STYLE_LEVEL = re.compile(r"^list (?:bullet|number|continue)(?: (\d))?$", re.IGNORECASE)


def numbered(ppr: Element | None, style_id: str | None, styles: Styles) -> tuple[str, int] | None:
    """(numId, level) of Word's numbering for a paragraph, its own or its style's."""
    props = ppr.find(q("w:numPr")) if ppr is not None else None
    own = numpr(props) if props is not None else None
    style = styles.numbering(style_id)
    if own is not None and own[0] is None and style is not None:
        own = (style[0], own[1])  # a level given, the list left to the style
    found = own if own is not None and own[0] is not None else (style if props is None else None)
    if found is None or found[0] in (None, "0"):
        return None
    return str(found[0]), found[1]


def level(ppr: Element | None, style: str | None, numbering: tuple[str, int] | None,
          spans: tuple[Span, ...], heading: int | None) -> tuple[int | None, tuple[Span, ...], str]:
    """List level from numbering, a list style (`style`, its name), or a typed marker (not in
    a heading); the spans with a typed marker taken off, and the marker."""
    props = ppr.find(q("w:numPr")) if ppr is not None else None
    if props is not None and numbering is not None:
        return min(numbering[1], 2), spans, ""
    if style and (m := _STYLE_LEVEL.match(style)):
        return min(int(m.group(1) or 1) - 1, 2), spans, ""
    if numbering is not None and heading is None:
        return min(numbering[1], 2), spans, ""  # a list style of the document's own
    if heading is not None:
        return None, spans, ""  # "1. More Local…" typed in a heading is its text, not a bullet
    text = "".join(s.text for s in spans)
    if m := MARKER.match(text):
        indent = m.group("indent").replace("\u00a0", " ")
        typed = indent.count("\t") + len(indent.replace("\t", "")) // 2 or indent_level(ppr)
        return min(typed, 2), drop_prefix(spans, m.end()), m.group("mark")
    if style and style.lower() == "list paragraph":
        return indent_level(ppr), spans, ""
    return None, spans, ""


def indent_level(ppr: Element | None) -> int:
    """List Paragraph without numbering: about every 0.63 cm of indent is a level."""
    ind = ppr.find(q("w:ind")) if ppr is not None else None
    if ind is None:
        return 0
    left = ind.get(q("w:left")) or ind.get(q("w:start")) or "0"
    try:
        return max(0, min(2, round(int(left) / 360) - 1))
    except ValueError:
        return 0

