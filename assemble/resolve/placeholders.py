"""A blank return's example bullets: they start "Replace this" (``returns`` writes
them) and are not updates. Read back, they are set aside with a warning saying where,
and their lines go in the ledger as not read."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import Place, Problem, warning
from ..model import Contribution, Submission, Update
from .ledger import Fate

if TYPE_CHECKING:
    from .walk import Walk

PLACEHOLDER = "Replace this"  # how a blank return's example bullets start (see returns.py)


def is_placeholder(text: str) -> bool:
    """An example bullet of a blank return that nobody replaced."""
    return text.strip().casefold().startswith(PLACEHOLDER.casefold())


def set_aside(walk: Walk, sub: Submission, problems: list[Problem]) -> Submission:
    """A blank return's example bullets are not updates: drop them, say where."""
    kept, places = strip_placeholders(sub)
    if places:
        found = warning(f"{len(places)} example bullet(s) still start '{PLACEHOLDER}' and were not read",
                        places[0], "replace them with real updates or delete them")
        problems.append(found)
        walk.placeholders += len(places)
        for place in places:
            for index in walk.of_line.get(place, ()):
                e = walk.entries[index]
                walk.entries[index] = replace(e, fate=Fate.NOT_READ, problem=found)
    return kept


def strip_placeholders(sub: Submission) -> tuple[Submission, list[Place]]:
    """The submission without unreplaced example bullets, and where they were.

    A placeholder's own real sub-bullets take its place; a contribution left
    with no updates is dropped.
    """
    found: list[Place] = []

    def clean(updates: tuple[Update, ...]) -> tuple[Update, ...]:
        out: list[Update] = []
        for u in updates:
            children = clean(u.children)
            if is_placeholder(u.text):
                found.append(u.place or Place(sub.file))
                out += children
            else:
                out.append(replace(u, children=children))
        return tuple(out)

    kept: list[Contribution] = []
    for c in sub.contributions:
        updates = clean(c.updates)
        if updates:
            kept.append(replace(c, updates=updates))
    return replace(sub, contributions=tuple(kept)), found
