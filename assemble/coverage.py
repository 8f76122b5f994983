"""Coverage: who reported against what this quarter.

A table of areas (plan order) by priorities, each cell the number of updates
(``Update.count()``: bare labels are structure, not updates), with the areas
that sent nothing and the commitments nobody reported against. The console
shows it (``console.py``); the run report writes it (``writers/report.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import newest
from .assembly import Assembly
from .model import Submission
from .plan import Plan
from .text import excerpt
from .verdicts import Verdict, unread_by_area

UNKNOWN_AREA = "(area not known)"


@dataclass(frozen=True)
class Coverage:
    priorities: tuple[tuple[int, str], ...]  # (number, title), plan order: the columns
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (area, count per priority), plan order
    silent: tuple[str, ...]  # plan areas with no update at all
    uncovered: tuple[tuple[str, str], ...]  # (commitment id, text) with no update
    outside_plan: int = 0  # updates against commitments the plan does not have
    unread: tuple[tuple[str, str], ...] = ()  # (area, what it sent that was not read): sent, not silent
    emailed: tuple[Verdict, ...] = ()  # the returns (and emails) that came by email: who sent each, when

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(area for area, _ in self.rows)

    def count(self, area: str, priority: int) -> int:
        numbers = [n for n, _ in self.priorities]
        counts = dict(self.rows)[area]
        return counts[numbers.index(priority)]

    def area_total(self, area: str) -> int:
        return sum(dict(self.rows)[area])

    def priority_totals(self) -> tuple[int, ...]:
        return tuple(sum(counts[i] for _, counts in self.rows) for i in range(len(self.priorities)))

    @property
    def total(self) -> int:
        return sum(sum(counts) for _, counts in self.rows)


def coverage(submissions: Sequence[Submission], plan: Plan, files: Sequence[Verdict] = ()) -> Coverage:
    """Count the updates by area and priority: per area and commitment what the merge keeps
    (the newest file's; one file's when none is clearly newer), so no area's commitment is
    counted twice; a file whose area is not known, all of it. An area whose files were not
    read (`files`: refused, misfiled) sent something: it is not among the silent, and is
    listed with what it sent."""
    numbers = [p.number for p in plan.priorities]
    commitments = plan.commitments_by_id()
    names = [a.name for a in plan.areas]
    table: dict[str, list[int]] = {name: [0] * len(numbers) for name in names}
    by_commitment = dict.fromkeys(commitments, 0)
    outside = 0
    counted = [(area if area in table else UNKNOWN_AREA, c)
               for (area, _), kept in newest.kept(submissions).items() for c in kept]
    counted += [(UNKNOWN_AREA, c) for s in submissions if s.area is None for c in s.contributions]
    for area, c in counted:
        n = c.count()
        commitment = commitments.get(c.commitment)
        if commitment is None:
            outside += n
            continue
        by_commitment[c.commitment] += n
        row = table.setdefault(area, [0] * len(numbers))
        row[numbers.index(commitment.priority)] += n
    rows = [(name, tuple(table[name])) for name in names]
    if any(table.get(UNKNOWN_AREA, ())):
        rows.append((UNKNOWN_AREA, tuple(table[UNKNOWN_AREA])))
    unread = unread_by_area(files)
    return Coverage(
        priorities=tuple((p.number, p.title) for p in plan.priorities),
        rows=tuple(rows),
        silent=tuple(name for name in names if not any(table[name]) and name not in unread),
        uncovered=tuple((cid, commitments[cid].text) for cid, n in by_commitment.items() if not n),
        outside_plan=outside,
        unread=tuple((name, "; ".join(f"'{v.file}' {v.kind}" for v in unread[name])) for name in names
                     if name in unread and not any(table[name])),
        emailed=tuple(f for f in files if f.message),
    )


def of(asm: Assembly) -> Coverage:
    """The coverage of an assembled quarter: its submissions, and what it sent that was not read."""
    return coverage(asm.submissions, asm.plan, asm.files)


def notes(cov: Coverage, width: int | None = 60) -> list[tuple[str, list[str]]]:
    """The gaps in words: (title, items), commitment texts cut to `width` when given."""
    notes = [
        ("Areas that sent nothing", list(cov.silent)),
        ("Commitments with no update",
         [f"{cid} {excerpt(text, width) if width else text}" for cid, text in cov.uncovered]),
    ]
    if cov.unread:
        notes.append(("Areas whose returns were not read", [f"{area}: {what}" for area, what in cov.unread]))
    if cov.outside_plan:
        notes.append(("Not in the plan",
                      [f"{cov.outside_plan} update(s) against commitments the plan does not have"]))
    return notes
