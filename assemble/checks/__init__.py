"""The checks run on every assembled quarter, from one list.

A check is a function from the assembled quarter to Problems. It never changes a
word; it says where to look and what was probably meant. ``run`` applies every
check in ``CHECKS`` and reports their findings in the order their places stand in
the files (a check's findings at one place in the order of the list). A return
sent back as it was sent out is one finding standing for every other finding about
its updates (``unchanged.fold``). What they flag on single updates is kept with the
version (``flags``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..assembly import Assembly
from ..errors import Place, Problem
from . import counts, dates, duplicates, figures, left_out, places, unchanged
from .flags import flags

Check = Callable[[Assembly], list[Problem]]

# Findings about the merge first (what was left out), then proofreading of the
# updates, then the counts that must add up.
MERGE: tuple[Check, ...] = (left_out.check,)
PROOFREADING: tuple[Check, ...] = (places.check, figures.check, dates.check, duplicates.check, unchanged.check)
TOTALS: tuple[Check, ...] = (counts.check,)
CHECKS: tuple[Check, ...] = MERGE + PROOFREADING + TOTALS


def run(assembly: Assembly, places_in_order: Sequence[Place] = ()) -> list[Problem]:
    """Every check's findings. Proofreading findings are put in the order of
    `places_in_order` (the places of the quarter's records, as read), so a file's
    warnings come together and top to bottom, whichever check found them."""
    rank = {place: i for i, place in enumerate(places_in_order)}
    files = {place.file: rank[place] for place in reversed(places_in_order)}

    def position(problem: Problem) -> int:
        p = problem.place
        if p is None:
            return len(rank)
        return rank.get(p, files.get(p.file, len(rank)))

    out: list[Problem] = []
    for check in MERGE:
        out += check(assembly)
    proofread = [p for check in PROOFREADING for p in check(assembly)]
    out += unchanged.fold(sorted(proofread, key=position) if rank else proofread, position)
    for check in TOTALS:
        out += check(assembly)
    return list(dict.fromkeys(out))  # the same finding twice at one place ("Q2 … Q2") is said once


__all__ = ["CHECKS", "Check", "flags", "run"]
