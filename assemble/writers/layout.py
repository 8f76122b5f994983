"""Turn a Report's commitments into what the HTML templates lay out: runs of
bullets (one list each), sub-headings, the ids the PDF writer finds them by, and,
where a page breaks inside a commitment, the cut that starts the next page.

A commitment's blocks become *segments*: a list (every run of bullets between
sub-headings is one list), a sub-heading, "no update", or a page's *continuation*:
what a continuation page repeats before the updates go on (the priority heading,
lead-in and commitment, then the label of every group the break fell inside, each
marked "(continued)"). A cut closes the lists open at the break and opens them
again after the continuation, with wrappers that carry no marker, so the reader
sees the same nesting and the PDF's structure pass can join the pieces again.

Pure: no layout engine here; the PDF writer says where pages broke
(``Commitment.cut``), the HTML edition asks for no cuts at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .. import TEMPLATES
from ..model import Block, CommitmentSection, Item, PrioritySection, Report, Span, SubHeading


@dataclass(frozen=True)
class Node:
    """A bullet as laid out. `cont`: the same bullet reopened after a cut, showing only
    its remaining children (no marker, no text)."""

    id: str
    item: Item
    children: tuple[Node, ...] = ()
    level: int = 1
    cont: bool = False

    @property
    def label(self) -> str | None:
        return self.item.label

    @property
    def spans(self) -> tuple[Span, ...]:
        return self.item.spans

    @property
    def bare(self) -> bool:
        """A label standing alone over its updates ("Colchester:")."""
        return bool(self.item.label) and not self.item.text.strip()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Heading:
    """A sub-heading line introducing a force department's updates."""

    id: str
    text: str
    area: str | None


@dataclass(frozen=True)
class Continued:
    """What a continuation page repeats above the updates: the groups the page broke inside."""

    subheading: str | None  # the department's sub-heading, when the break fell among its updates
    labels: tuple[str, ...]  # the labels of the bullets the break fell inside, outermost first
    before: str  # the id of the bullet (or sub-heading) the page opens with


Segment = tuple[Node, ...] | Heading | Continued | None  # a list; a sub-heading; a page's continuation; no update


@dataclass(frozen=True)
class Commitment:
    id: str  # "commitment-2-1", the HTML id
    section: CommitmentSection
    first: bool  # the priority's first commitment: its heading and lead-in are the priority's own
    segments: tuple[Segment, ...]
    resumed: bool = False  # only its pages from a cut on (see `resume`)

    @property
    def text(self) -> str:
        return self.section.text

    def nodes(self) -> Iterator[Node]:
        for segment in self.segments:
            if isinstance(segment, tuple):
                for node in segment:
                    yield from node.walk()

    def cut(self, before: str) -> Commitment:
        """The commitment with a new page starting before node (or sub-heading) `before`."""
        return replace(self, segments=cut_segments(self.segments, before))

    def resume(self, before: str | None, budget: int | None = None) -> tuple[Commitment, bool]:
        """The commitment from its cut before `before` on (from its start when None): what the
        pages from there show; with a `budget`, only as many bullets (whole top-level ones, at
        least one) as measure about that much (`size`). Also whether bullets were left out so."""
        if before is None:
            kept, cut = _within(self.segments, budget)
            return replace(self, segments=kept), cut
        for index, segment in enumerate(self.segments):
            if isinstance(segment, Continued) and segment.before == before:
                kept, cut = _within(self.segments[index:], budget)
                return replace(self, segments=kept, resumed=True), cut
        raise ValueError(f"{self.id} has no cut before {before!r}")

    def order(self) -> list[str]:
        """The ids of its bullets and sub-headings in reading order (reopened bullets aside)."""
        out = []
        for segment in self.segments:
            if isinstance(segment, Heading):
                out.append(segment.id)
            elif isinstance(segment, tuple):
                out += [node.id for top in segment for node in top.walk() if not node.cont]
        return out

    def ancestors(self, node_id: str) -> list[str]:
        """The ids of the bullets a bullet stands inside, outermost first (reopened ones by their own id)."""

        def path(nodes: tuple[Node, ...], trail: list[str]) -> list[str] | None:
            for node in nodes:
                if node.id == node_id:
                    return trail
                found = path(node.children, [*trail, node.id.removesuffix("-cont")])
                if found is not None:
                    return found
            return None

        for segment in self.segments:
            if isinstance(segment, tuple):
                found = path(segment, [])
                if found is not None:
                    return found
        return []


@dataclass(frozen=True)
class Priority:
    id: str  # "priority-2"
    section: PrioritySection
    commitments: tuple[Commitment, ...]

    @property
    def number(self) -> int:
        return self.section.number

    @property
    def heading(self) -> str:
        return self.section.heading

    @property
    def lead_in(self) -> str:
        return self.section.lead_in


@dataclass
class _Ids:
    prefix: str
    count: int = field(default=0)

    def next(self, kind: str) -> str:
        self.count += 1
        return f"{kind}-{self.prefix}-{self.count}"


def _within(segments: tuple[Segment, ...], budget: int | None) -> tuple[tuple[Segment, ...], bool]:
    """The segments as far as `budget` reaches (at least one bullet), bullets cut off at any
    depth; and whether anything was cut off."""
    if budget is None:
        return segments, False
    room = [budget]

    def take(nodes: tuple[Node, ...]) -> tuple[tuple[Node, ...], bool]:
        kept: list[Node] = []
        for node in nodes:
            if room[0] < 0:
                return tuple(kept), True
            room[0] -= size(node)
            children, cut = take(node.children)
            kept.append(replace(node, children=children))
            if cut:
                return tuple(kept), True
        return tuple(kept), False

    out: list[Segment] = []
    for segment in segments:
        if isinstance(segment, tuple):
            kept, cut = take(segment)
            if kept:
                out.append(kept)
            if cut:
                return tuple(out), True
        elif room[0] < 0:
            return tuple(out), True
        else:
            out.append(segment)
    return tuple(out), False


def size(node: Node) -> int:
    """A bullet's own measure for budgets: its characters, and a line's worth for the bullet itself."""
    return len(node.item.text) + len(node.item.label or "") + 40


def priority_id(number: int) -> str:
    return f"priority-{number}"


def commitment_id(section: CommitmentSection) -> str:
    return "commitment-" + section.id.replace(".", "-")


def priorities(report: Report) -> tuple[Priority, ...]:
    """The report as laid out, uncut."""
    out = []
    for p in report.priorities:
        commitments = []
        for index, c in enumerate(p.commitments):
            cid = commitment_id(c)
            segments = _segments(c.blocks, _Ids(cid.removeprefix("commitment-")))
            commitments.append(Commitment(cid, c, index == 0, segments))
        out.append(Priority(priority_id(p.number), p, tuple(commitments)))
    return tuple(out)


def _segments(blocks: Sequence[Block], ids: _Ids) -> tuple[Segment, ...]:
    if not blocks:
        return (None,)
    segments: list[Segment] = []
    run: list[Node] = []
    for block in blocks:
        if isinstance(block, SubHeading):
            if run:
                segments.append(tuple(run))
                run = []
            segments.append(Heading(ids.next("s"), block.text, block.area))
        else:
            run.append(_node(block, 1, ids))
    if run:
        segments.append(tuple(run))
    return tuple(segments)


def _node(item: Item, level: int, ids: _Ids) -> Node:
    node_id = ids.next("u")
    return Node(node_id, item, tuple(_node(c, level + 1, ids) for c in item.children), level)


# --- cutting at a page break --------------------------------------------------------


def cut_segments(segments: tuple[Segment, ...], before: str) -> tuple[Segment, ...]:
    """The segments with a continuation starting a new page before node (or sub-heading) `before`."""
    out: list[Segment] = []
    subheading: Heading | None = None
    for index, segment in enumerate(segments):
        if isinstance(segment, Heading):
            if segment.id == before:
                return (*out, Continued(None, (), before), *segments[index:])
            subheading = segment
        elif isinstance(segment, tuple):
            split = _split(segment, before, ())
            if split is not None:
                left, right, labels = split
                area = _top_area(segment, before)
                within = subheading.text if subheading and area == subheading.area else None
                return (*out, *([left] if left else []), Continued(within, labels, before), right,
                        *segments[index + 1:])
        elif isinstance(segment, Continued):
            subheading = None if segment.subheading is None else subheading
        out.append(segment)
    raise ValueError(f"no node {before!r} to cut before")


def _split(nodes: tuple[Node, ...], before: str,
           labels: tuple[str, ...]) -> tuple[tuple[Node, ...], tuple[Node, ...], tuple[str, ...]] | None:
    """(nodes before the cut, nodes from it on, the labels of the groups it falls inside)."""
    for index, node in enumerate(nodes):
        if node.id == before:
            return nodes[:index], nodes[index:], labels
        inner = _split(node.children, before, (*labels, node.label) if node.label else labels)
        if inner is not None:
            left, right, found = inner
            kept = Node(node.id, node.item, left, node.level, node.cont)
            reopened = Node(node.id.removesuffix("-cont") + "-cont", node.item, right, node.level, cont=True)
            return (*nodes[:index], kept), (reopened, *nodes[index + 1:]), found
    return None


def _top_area(nodes: tuple[Node, ...], before: str) -> str | None:
    for node in nodes:
        if any(n.id == before for n in node.walk()):
            return node.item.area
    return None


def with_colon(text: str) -> str:
    """A label as it is shown: with its colon."""
    text = text.rstrip()
    return text if text.endswith(":") else text + ":"


def environment(*, loader: bool = True, finalize: Callable[[Any], Any] | None = None,
                keep_trailing_newline: bool = False) -> SandboxedEnvironment:
    """The one Jinja environment the unit's templates are rendered in: sandboxed, every value
    autoescaped (submission text is data, never markup), an unknown name an error, the
    templates/ folder its loader (`loader`), and the layouts' own tests and filters."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES) if loader else None,
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=keep_trailing_newline,
    )
    if finalize is not None:
        env.finalize = finalize
    env.tests["heading"] = lambda segment: isinstance(segment, Heading)
    env.tests["continued"] = lambda segment: isinstance(segment, Continued)
    env.filters["with_colon"] = with_colon
    return env
