"""Turn a merged Report into a plain-text outline and back.

Like Pandoc's "native" format: golden tests compare outlines, which a person can
read and review, instead of binary documents. Format, one line each, indented
two spaces per bullet level inside a commitment:

    priority 1: More Local, Visible and Accessible Policing
    lead-in: We will:
    commitment 1.3: Make it easier to contact the police. ...
    area: Force Control Room                (who sent the blocks below; not shown)
    subheading: The Force Control Room (FCR)
    - plain update text with **bold** and *italic* spans
      - [Colchester] a labelled update
      - [Chelmsford]
        - an update under a bare label
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import CommitmentSection, Item, Meta, PrioritySection, Report, Span, SubHeading

_EMPHASIS = re.compile(r"(\*\*\*.+?\*\*\*|\*\*.+?\*\*|(?<!\*)\*(?!\*).+?(?<!\*)\*(?!\*))")


def dump(report: Report) -> str:
    lines: list[str] = []
    for p in report.priorities:
        lines.append(f"priority {p.number}: {p.title}")
        lines.append(f"lead-in: {p.lead_in}")
        for c in p.commitments:
            lines.append(f"commitment {c.id}: {c.text}")
            area = None
            for block in c.blocks:
                if block.area and block.area != area:
                    lines.append(f"area: {block.area}")
                area = block.area
                if isinstance(block, SubHeading):
                    lines.append(f"subheading: {block.text}")
                else:
                    _dump_item(block, 0, lines)
    return "\n".join(lines) + "\n"


def _dump_item(item: Item, depth: int, lines: list[str]) -> None:
    label = f"[{item.label}]" if item.label else ""
    text = spans_to_text(item.spans)
    sep = " " if label and text else ""
    lines.append(f"{'  ' * depth}- {label}{sep}{text}".rstrip())
    for child in item.children:
        _dump_item(child, depth + 1, lines)


def spans_to_text(spans: tuple[Span, ...]) -> str:
    out = []
    for s in spans:
        mark = ("**" if s.bold else "") + ("*" if s.italic else "")
        out.append(f"{mark}{s.text}{mark[::-1]}" if mark and s.text.strip() else s.text)
    return "".join(out)


def text_to_spans(text: str) -> tuple[Span, ...]:
    spans = []
    for part in _EMPHASIS.split(text):
        if not part:
            continue
        if part.startswith("***"):
            spans.append(Span(part[3:-3], bold=True, italic=True))
        elif part.startswith("**"):
            spans.append(Span(part[2:-2], bold=True))
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            spans.append(Span(part[1:-1], italic=True))
        else:
            spans.append(Span(part))
    return tuple(spans)


_ITEM = re.compile(r"^(?P<indent>(?:  )*)- (?:\[(?P<label>[^\]]+)\])? ?(?P<text>.*)$")


def load(text: str, meta: Meta) -> Report:
    """Parse an outline written by `dump` into a Report with the given meta."""
    return Report(meta=meta, priorities=parse(text))


def parse(text: str) -> tuple[PrioritySection, ...]:
    """The priorities of an outline written by `dump`."""
    priorities: list[PrioritySection] = []
    commitments: list[CommitmentSection] = []
    blocks: list[_Node | SubHeading] = []
    stack: list[tuple[int, _Node]] = []  # (depth, item being built) for nesting

    def close_commitment() -> None:
        if commitments and blocks is not None:
            last = commitments[-1]
            commitments[-1] = CommitmentSection(last.id, last.text, tuple(_freeze(b) for b in blocks))

    def close_priority() -> None:
        close_commitment()
        if priorities:
            p = priorities[-1]
            priorities[-1] = PrioritySection(p.number, p.title, p.lead_in, tuple(commitments))

    lead_in = ""
    area: str | None = None
    for raw in text.splitlines():
        if not raw.strip():
            continue
        if raw.startswith("priority "):
            close_priority()
            commitments, blocks, stack = [], [], []
            num, title = raw[len("priority "):].split(": ", 1)
            priorities.append(PrioritySection(int(num), title, "", ()))
        elif raw.startswith("lead-in: "):
            lead_in = raw[len("lead-in: "):]
            p = priorities[-1]
            priorities[-1] = PrioritySection(p.number, p.title, lead_in, ())
        elif raw.startswith("commitment "):
            close_commitment()
            blocks, stack, area = [], [], None
            cid, ctext = raw[len("commitment "):].split(": ", 1)
            commitments.append(CommitmentSection(cid, ctext, ()))
        elif raw.startswith("area: "):
            area = raw[len("area: "):]
        elif raw.startswith("subheading: "):
            blocks.append(SubHeading(raw[len("subheading: "):], area))
            stack = []
        else:
            m = _ITEM.match(raw)
            if not m:
                raise ValueError(f"not an outline line: {raw!r}")
            depth = len(m.group("indent")) // 2
            node = _Node(m.group("label"), m.group("text"))
            while stack and stack[-1][0] >= depth:
                stack.pop()
            if stack:
                stack[-1][1].children.append(node)
            else:
                node.area = area
                blocks.append(node)
            stack.append((depth, node))
    close_priority()
    return tuple(priorities)


@dataclass
class _Node:
    """An item while its children are still being read."""

    label: str | None
    text: str
    children: list[_Node] = field(default_factory=list)
    area: str | None = None


def _freeze(block: _Node | SubHeading) -> Item | SubHeading:
    if isinstance(block, SubHeading):
        return block
    return _item(block)


def _item(node: _Node) -> Item:
    return Item(spans=text_to_spans(node.text), children=tuple(_item(c) for c in node.children),
                label=node.label, area=node.area)
