"""Turn the flat, levelled lines of a return into update trees and district
contributions, labels recognised against the plan. Shared by every format, so
Word and Excel returns of the same content give the same model.

Bullets typed inside one paragraph or cell, each after a line break (Shift+Enter in
Word, Alt+Enter in Excel), are cut into lines of their own first (``typed_lines``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Place
from ..model import Contribution, Span, Update, drop_prefix, spans_text, strip_spans
from ..plan import Area, Plan, matching
from ..text import MARKER, normalise

LABEL_MAX = 80  # a "Label:" line up to this long introduces the list under it
_BREAK = re.compile(r"\r\n|\r|\n")
_BARE = re.compile(r"^\s*(?P<mark>[•\-–—o▪■◦●*·]|\d{1,2}[.)]|[a-z][.)])\s*$")  # a marker with nothing after it
# Bullet characters a symbol font puts in Word's numbering, as they show.
_SYMBOL_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf06f": "o", "\uf0d8": "•", "\uf0fc": "•"}


@dataclass(frozen=True)
class Piece:
    """One line of a paragraph or cell cut at its line breaks: an update of its own."""

    spans: tuple[Span, ...]
    depth: int  # levels below the paragraph's or cell's own
    marker: str = ""  # the marker typed before it, taken off its text


def typed_lines(spans: tuple[Span, ...], marker: str = "") -> list[Piece]:
    """A paragraph's or cell's text (line breaks as "\\n") as the updates typed in it.

    Each line that opens with a typed marker ("•", "-", "–", "o", "▪", "*", "1.", "a)")
    is an update of its own, the marker taken off; a line without one carries on the
    line before it, after a space. `marker` is what stands before the first line (a
    marker the reader took off, or Word's bullet); without one, a marker opening the
    first line is taken off it. Depth: the first line is at 0; a marked line is at the
    depth of the last line opened by a marker of its kind, else one deeper than the
    line before (first "• a", then "- b": b one deeper). After a first line without a
    marker, marked lines are at its depth, as bullets after a plain line are, or one
    deeper when it is a label over them ("Colchester:").
    """
    lines = _split(spans)
    if len(lines) == 1 and marker:
        return [Piece(spans, 0, marker)]
    first = lines[0]
    # a marker alone on the first line opens the line after it; alone in the cell ("-") it is its text
    if not marker and (m := MARKER.match(spans_text(first)) or (len(lines) > 1 and _BARE.match(spans_text(first)))):
        marker, first = m.group("mark"), drop_prefix(first, m.end())
    pieces = [Piece(first, 0, marker)]
    kinds: list[str | None] = [marker_kind(marker) if marker else None]
    lead = not marker and is_label(spans_text(first))
    for line in lines[1:]:
        text = spans_text(line)
        m = MARKER.match(text) or _BARE.match(text)
        if m is None:
            if text.strip():  # carries on the line before
                last = pieces[-1]
                pieces[-1] = Piece((*last.spans, Span(" "), *line) if spans_text(last.spans).strip() else line,
                                   last.depth, last.marker)
            continue
        kind = marker_kind(m.group("mark"))
        if kind in kinds:
            depth = kinds.index(kind)
            del kinds[depth + 1:]
        elif kinds == [None] and not lead:
            kinds, depth = [kind], 0
        else:
            kinds.append(kind)
            depth = len(kinds) - 1
        pieces.append(Piece(drop_prefix(line, m.end()), depth, m.group("mark")))
    return pieces


def is_label(text: str) -> bool:
    """A short line ending in a colon ("Colchester:"): a label over the lines under it."""
    text = text.strip()
    return text.endswith(":") and len(text) <= LABEL_MAX


def marker_kind(marker: str) -> str:
    """Markers of one kind mark one level: any number ("1.", "2)"), any letter ("a)"),
    any dash, any round bullet (Word's own from a symbol font too); else the character."""
    mark = marker.strip()
    mark = _SYMBOL_BULLETS.get(mark, mark)
    if mark[:1].isdigit() or (mark[:1] == "(" and mark[1:2].isdigit()):
        return "1."
    if len(mark) >= 2 and mark[0].isalpha():
        return "a."
    if mark in ("-", "–", "—"):
        return "-"
    if mark in ("•", "●", "·"):
        return "•"
    if mark in ("▪", "■"):
        return "▪"
    return mark


def _split(spans: tuple[Span, ...]) -> list[tuple[Span, ...]]:
    """The spans cut at each line break, emphasis kept."""
    lines: list[list[Span]] = [[]]
    for s in spans:
        parts = _BREAK.split(s.text)
        for k, part in enumerate(parts):
            if k:
                lines.append([])
            if part:
                lines[-1].append(Span(part, s.bold, s.italic))
    return [tuple(line) for line in lines]


@dataclass
class Line:
    """One update as a return gives it, before nesting."""

    commitment: str
    level: int  # 0 = top level (under the district when one is given)
    spans: tuple[Span, ...]
    place: Place
    district: str | None = None  # named by the file's structure (an Excel column)
    subheading: bool = False  # a short "Label:" line that is not a list item: structure, not an update


@dataclass
class _Node:
    line: Line
    children: list[_Node] = field(default_factory=list)


def contributions(lines: list[Line], area: Area | None, plan: Plan) -> list[Contribution]:
    """Group lines by commitment and district, in the order they came."""
    groups: list[tuple[str, str | None, list[Line]]] = []
    for line in lines:
        if groups and groups[-1][0] == line.commitment and groups[-1][1] == line.district:
            groups[-1][2].append(line)
        else:
            groups.append((line.commitment, line.district, [line]))
    out: list[Contribution] = []
    for commitment, district, group in groups:
        updates = [_update(n, area, plan) for n in _nest(group)]
        out.extend(_districts(commitment, district, updates, area, plan, group[0].place))
    return out


def _nest(lines: list[Line]) -> list[_Node]:
    """Stack-based nesting; a level that jumps by more than one nests one deeper."""
    roots: list[_Node] = []
    stack: list[tuple[int, _Node]] = []
    for line in lines:
        node = _Node(line)
        while stack and stack[-1][0] >= line.level:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((line.level, node))
    return roots


def _update(node: _Node, area: Area | None, plan: Plan) -> Update:
    spans = strip_spans(node.line.spans)
    label = None
    split = matching.split_label(spans_text(spans))
    if split and (matching.is_place_label(plan, split[0]) or _own_label(split[0], area)):
        label = split[0]
        spans = strip_spans(drop_prefix(spans, len(spans_text(spans)) - len(split[1])))
    elif node.children and matching.is_place_label(plan, spans_text(spans)):
        label, spans = spans_text(spans).strip(), ()  # "Chelmsford" standing alone over its updates
    elif node.line.subheading:
        label, spans = spans_text(spans).strip().rstrip(":").strip(), ()
    if label and _own_label(label, area):
        label = None  # the department's own name: the merge adds it from the plan
    children = tuple(_update(c, area, plan) for c in node.children)
    return Update(spans=spans, children=children, label=label, place=node.line.place)


def _own_label(label: str, area: Area | None) -> bool:
    return area is not None and normalise(label) in {normalise(n) for n in matching.area_names(area)}


def _districts(
    commitment: str, district: str | None, updates: list[Update],
    area: Area | None, plan: Plan, place: Place,
) -> list[Contribution]:
    """In an LPA's file, a top-level place label is a district: lift it out."""
    if district is not None or area is None or area.kind != "lpa":
        return [Contribution(commitment, tuple(updates), district, place)]
    out: list[Contribution] = []
    plain: list[Update] = []

    def flush() -> None:
        if plain:
            out.append(Contribution(commitment, tuple(plain), None, place))
            plain.clear()

    for u in updates:
        if u.label and matching.is_place_label(plan, u.label):
            flush()
            inner = u.children if not u.text.strip() else (
                Update(u.spans, u.children, None, u.place),
            )
            out.append(Contribution(commitment, tuple(inner), u.label, u.place))
        else:
            plain.append(u)
    flush()
    return out
