"""Merge every area's submission into one document in the plan's order.

Priorities and commitments in plan order; within a commitment the areas in
plan order (force departments, then the LPAs); inside an LPA its own updates
first, then its districts in the plan's order. Each area's own order is kept
otherwise. A commitment nobody reported on this quarter is left out, as the
published update does (a plan with ``show_empty = true`` keeps it, to say "No
update this quarter"), and a priority left with none leaves the contents too.
Nothing is dropped in silence: what is not placed is returned with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from . import newest
from .model import (
    Block,
    CommitmentSection,
    Contribution,
    Item,
    LeftOut,
    Merged,
    PrioritySection,
    SubHeading,
    Submission,
    Update,
)
from .plan import Area, Plan, matching

AREA_NOT_KNOWN = "the area that sent it is not known"


def merge(submissions: Sequence[Submission], plan: Plan) -> Merged:
    left_out: list[LeftOut] = []
    for sub in submissions:
        if sub.area is None:
            left_out.append(LeftOut(sub.file, sub.count(), AREA_NOT_KNOWN))
    chosen, lost, clashes = newest.per_commitment(submissions)
    left_out += lost
    priorities = []
    for p in plan.priorities:
        sections = [CommitmentSection(c.id, c.text, _blocks(c.id, chosen, plan)) for c in p.commitments]
        reported = tuple(s for s in sections if s.blocks or plan.show_empty)
        if reported:
            priorities.append(PrioritySection(p.number, p.title, p.lead_in, reported))
    return Merged(tuple(priorities), tuple(left_out), tuple(clashes))


def _blocks(cid: str, chosen: newest.Chosen, plan: Plan) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for area in plan.areas:
        contributions = chosen.get((area.name, cid), [])
        items = _lpa_items(contributions, area, plan) if area.kind == "lpa" else _items(contributions)
        if not items:
            continue
        shown: list[Block]
        if area.show == "subheading":
            shown = [SubHeading(area.display), *items]
        elif area.show == "label":
            shown = [labelled(area.display, items)]
        else:
            shown = list(items)
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
