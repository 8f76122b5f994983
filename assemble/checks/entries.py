"""Every update of a quarter's submissions, each with where it stands: what the
checks that look at update text walk over, in the order the files give them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Place
from ..model import Contribution, Submission, Update


@dataclass(frozen=True)
class Entry:
    """One update with where it stands."""

    index: int
    submission: Submission
    contribution: Contribution
    update: Update
    place: Place


def entries(submissions: Sequence[Submission]) -> list[Entry]:
    """Every update of every submission, depth first, in order."""
    out: list[Entry] = []

    def walk(s: Submission, c: Contribution, u: Update, inherited: Place) -> None:
        place = u.place or inherited
        out.append(Entry(len(out), s, c, u, place))
        for child in u.children:
            walk(s, c, child, place)

    for s in submissions:
        for c in s.contributions:
            for u in c.updates:
                walk(s, c, u, c.place or Place(s.file))
    return out
