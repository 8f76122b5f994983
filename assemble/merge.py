"""Merge every area's submission into one document in the plan's order.

Priorities and commitments in plan order; within a commitment the areas in
plan order (force departments, then the LPAs); inside an LPA its own updates
first, then its districts in the plan's order. Each area's own order is kept
otherwise. Nothing is dropped in silence: what is not placed is returned with
the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import matching
from .model import (
    Block,
    CommitmentSection,
    Contribution,
    Item,
    Place,
    PrioritySection,
    Problem,
    SubHeading,
    Submission,
    Update,
)
from .plan import Area, Plan

_FILE_VERSION = re.compile(r"(?:^|[^a-z0-9])v(?:ersion)?\s*(\d+(?:\.\d+)?)(?![0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class LeftOut:
    """Updates not placed in the document, and why."""

    file: str
    updates: int
    reason: str
    place: Place | None = None


@dataclass(frozen=True)
class Merged:
    priorities: tuple[PrioritySection, ...]
    left_out: tuple[LeftOut, ...]
    problems: tuple[Problem, ...]


def merge(submissions: list[Submission], plan: Plan) -> Merged:
    left_out: list[LeftOut] = []
    problems: list[Problem] = []
    usable: list[Submission] = []
    for sub in submissions:
        if sub.area is None:
            left_out.append(LeftOut(sub.file, sub.count(), "the area that sent it is not known"))
        else:
            usable.append(sub)
    chosen, lost, clash = _newest_per_commitment(usable)
    left_out += lost
    problems += clash
    priorities = tuple(
        PrioritySection(
            p.number, p.title, p.lead_in,
            tuple(
                CommitmentSection(c.id, c.text, _blocks(c.id, chosen, plan))
                for c in p.commitments
            ),
        )
        for p in plan.priorities
    )
    return Merged(priorities, tuple(left_out), tuple(problems))


def _newest_per_commitment(subs: list[Submission]):
    """Per area and commitment, the contributions of the newest file that has it."""
    chosen: dict[tuple[str, str], list[Contribution]] = {}
    left_out: list[LeftOut] = []
    problems: list[Problem] = []
    holders: dict[tuple[str, str], list[Submission]] = {}
    for sub in subs:
        for cid in dict.fromkeys(c.commitment for c in sub.contributions):
            holders.setdefault((sub.area, cid), []).append(sub)
    for (area, cid), held in holders.items():
        winner = held[0]
        if len(held) > 1:
            ranked = sorted(held, key=_recency, reverse=True)
            if _recency(ranked[0]) == _recency(ranked[1]):
                problems.append(Problem(
                    "error",
                    f"{area}: {', '.join(s.file for s in held)} all carry commitment {cid} "
                    "and none is clearly newer",
                    hint="remove the older file, or put a version (v2) in the newer one's name"))
            winner = ranked[0]
            for loser in ranked[1:]:
                n = sum(c.count() for c in loser.contributions if c.commitment == cid)
                left_out.append(LeftOut(loser.file, n, f"superseded by {winner.file} for commitment {cid}"))
        chosen[(area, cid)] = [c for c in winner.contributions if c.commitment == cid]
    return chosen, left_out, problems


def _recency(sub: Submission) -> tuple:
    m = _FILE_VERSION.search(sub.file.rsplit(".", 1)[0])
    return (float(m.group(1)) if m else 0.0, sub.modified or "")


def _blocks(cid: str, chosen: dict, plan: Plan) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for area in plan.areas:
        contributions = chosen.get((area.name, cid), [])
        items = _lpa_items(contributions, area, plan) if area.kind == "lpa" else _items(contributions)
        if not items:
            continue
        if area.show == "subheading":
            shown = [SubHeading(area.display), *items]
        elif area.show == "label":
            shown = [labelled(area.display, items)]
        else:
            shown = items
        blocks += [replace(b, area=area.name) for b in shown]
    return tuple(blocks)


def _items(contributions: list[Contribution]) -> list[Item]:
    """A department's updates; a district it names becomes that update's label."""
    out: list[Item] = []
    for c in contributions:
        items = [item(u) for u in c.updates]
        out += [labelled(c.district, items)] if c.district else items
    return out


def _lpa_items(contributions: list[Contribution], area: Area, plan: Plan) -> list[Item]:
    own = [item(u) for c in contributions if not c.district for u in c.updates]
    groups: dict[str, list[Item]] = {}
    for c in contributions:
        if c.district:
            groups.setdefault(c.district.rstrip(":").strip(), []).extend(item(u) for u in c.updates)
    order = {d: i for i, d in enumerate(area.districts)}

    def rank(label: str) -> int:
        district = matching.district_of_label(plan, label)
        return order.get(district, len(order)) if district else len(order)

    ordered = sorted(groups.items(), key=lambda g: rank(g[0]))  # stable: ties keep submitted order
    return own + [labelled(label, items) for label, items in ordered]


def labelled(label: str, items: list[Item]) -> Item:
    """One unlabelled update goes inline after its label; several nest under it."""
    if len(items) == 1 and items[0].label is None:
        return Item(items[0].spans, items[0].children, label)
    return Item((), tuple(items), label)


def item(update: Update) -> Item:
    return Item(update.spans, tuple(item(c) for c in update.children), update.label)


def count_items(blocks) -> int:
    """Updates in merged blocks; a bare label is structure, not an update."""
    total = 0
    for b in blocks:
        if isinstance(b, Item):
            total += (1 if b.text.strip() else 0) + count_items(b.children)
    return total
