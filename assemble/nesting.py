"""Turn the flat, levelled lines of a return into update trees and district
contributions, labels recognised against the plan. Shared by every format, so
Word and Excel returns of the same content give the same model."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import matching
from .errors import Place
from .model import Contribution, Span, Update, drop_prefix, spans_text, strip_spans
from .plan import Area, Plan
from .text import normalise


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
