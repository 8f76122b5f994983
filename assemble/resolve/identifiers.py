"""The identifiers a return sent out carries on its priority headings and commitment
lines, and what a return's identifiers name in the quarter's plan.

A Word return written by ``returns.write`` marks Priority N's heading with the bookmark
``assemble_<plan>_p<N>`` and commitment N.M's line with ``assemble_<plan>_c<N>_<M>``,
where <plan> is the plan's period with every character but a letter or a digit made "_":
``assemble_2016_2020_p6``, ``assemble_2016_2020_c6_1``. Bookmarks, because they survive a
save in Word and two in LibreOffice (content controls' tags and locks, and document
variables, do not survive one). The plan is in the name so that a return sent out under
another plan is never read by its numbers.

An identifier that names a priority or commitment of the quarter's plan decides what its
line is, whatever its words say (``walk``); one that names nothing in it (another plan's,
or a number the plan no longer has) is ignored, and said. A bookmark of any other name
(Word's own ``_GoBack``, a contributor's) is no identifier.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..plan import Commitment, Plan, Priority

PREFIX = "assemble_"
_KEY_LENGTH = 20  # of the plan's part: Word keeps bookmark names of up to 40 characters
_OWN = re.compile(r"^(?:p(\d{1,3})|c(\d{1,3})_(\d{1,3}))$")


def plan_key(plan: Plan) -> str:
    """The plan's part of an identifier: '2016-2020' -> '2016_2020'."""
    return re.sub(r"[^A-Za-z0-9]", "_", plan.period)[:_KEY_LENGTH] or "plan"


def priority_mark(plan: Plan, priority: Priority) -> str:
    """'assemble_2016_2020_p6': the bookmark on Priority 6's heading."""
    return f"{PREFIX}{plan_key(plan)}_p{priority.number}"


def commitment_mark(plan: Plan, commitment: Commitment) -> str:
    """'assemble_2016_2020_c6_1': the bookmark on commitment 6.1's line."""
    return f"{PREFIX}{plan_key(plan)}_c{commitment.priority}_{commitment.number}"


@dataclass(frozen=True)
class Named:
    """What a line's identifiers name in the quarter's plan."""

    priority: Priority | None = None  # the priority whose heading it is
    commitment: Commitment | None = None  # the commitment whose line it is
    unknown: tuple[str, ...] = ()  # identifiers that name nothing in the plan: ignored

    @property
    def found(self) -> bool:
        return self.priority is not None or self.commitment is not None


def named(plan: Plan, marks: Sequence[str]) -> Named:
    """What the identifiers among a line's bookmark names (`marks`) name in `plan`."""
    ours = f"{PREFIX}{plan_key(plan)}_".casefold()
    priority: Priority | None = None
    commitment: Commitment | None = None
    unknown: list[str] = []
    for mark in marks:
        key = mark.casefold()  # Word compares bookmark names without regard to case
        if not key.startswith(PREFIX):
            continue
        m = _OWN.match(key[len(ours):]) if key.startswith(ours) else None
        p = plan.priority(int(m.group(1))) if m and m.group(1) else None
        c = plan.commitment(f"{int(m.group(2))}.{int(m.group(3))}") if m and m.group(2) else None
        if p is None and c is None:
            unknown.append(mark)
        priority, commitment = priority or p, commitment or c
    return Named(priority, commitment, tuple(unknown))
