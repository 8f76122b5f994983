"""Submissions made straight from the model's dataclasses, assembled for the checks."""

from __future__ import annotations

from collections.abc import Sequence

from assemble import checks
from assemble.assembly import Assembly
from assemble.errors import Place, Problem
from assemble.merge import merge
from assemble.model import Contribution, Span, Submission, Update
from assemble.quarter import Quarter
from assemble.verdicts import Verdict

from ..plans import sample_plan

PLAN = sample_plan()
Q2 = Quarter(2020, 2)


def u(text: str = "", *children: Update, label: str | None = None, where: str = "",
      file: str = "x.docx") -> Update:
    place = Place(file, where) if where else None
    return Update((Span(text),) if text else (), tuple(children), label, place)


def sub(*contributions: Contribution, file: str = "x.docx", area: str | None = "North LPA",
        modified: str | None = None) -> Submission:
    return Submission(file, "docx", area, tuple(contributions), modified)


def c(*updates: Update, commitment: str = "2.1", district: str | None = None, place: Place | None = None
      ) -> Contribution:
    return Contribution(commitment, tuple(updates), district, place)


def assembly(submissions: Sequence[Submission], quarter: Quarter = Q2) -> Assembly:
    """The quarter as a build assembles it, before its checks are run."""
    files = tuple(Verdict(s.file, s.area, s.format, s.count()) for s in submissions)
    return Assembly(quarter, PLAN, files, tuple(submissions), merge(submissions, PLAN))


def places_in_order(submissions: Sequence[Submission]) -> list[Place]:
    """Every place of the submissions in reading order, as a build passes them to the checks."""
    out: list[Place] = []

    def walk(update: Update) -> None:
        if update.place:
            out.append(update.place)
        for child in update.children:
            walk(child)

    for s in submissions:
        out.append(Place(s.file))
        for contribution in s.contributions:
            if contribution.place:
                out.append(contribution.place)
            for update in contribution.updates:
                walk(update)
    return list(dict.fromkeys(out))


def proofread(submissions: Sequence[Submission], quarter: Quarter = Q2) -> list[Problem]:
    """Every proofreading finding (places, figures, dates, duplicates) in the order the
    updates stand: what ``checks.run`` reports between the merge's findings and the totals."""
    asm = assembly(submissions, quarter)
    before = sum(len(check(asm)) for check in checks.MERGE)
    after = sum(len(check(asm)) for check in checks.TOTALS)
    found = checks.run(asm, places_in_order(submissions))
    return found[before : len(found) - after]


def check(*updates: Update, **kw) -> list[Problem]:
    """Proofread one submission holding these updates under one commitment."""
    return proofread([sub(c(*updates, **kw))])
