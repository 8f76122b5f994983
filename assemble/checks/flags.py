"""What the checks flagged on single updates, kept with the version (``kept.Flag``): each
warning (and each a warning stands for) whose place is an update's, or a district's label
standing alone over its updates, with what it is about, so that next quarter's returns
carry it on the line they carry over."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import Place, Problem, Severity
from ..kept import Flag
from ..model import Submission
from .entries import entries


def flags(submissions: Sequence[Submission], found: Sequence[Problem]) -> tuple[Flag, ...]:
    """The checks' warnings (and those a warning stands for) that stand at one update, or at a
    district's label standing alone over its updates, each with what it is about: for the
    manifest, so that next quarter's returns carry them on the lines they carry over."""
    at: dict[Place, tuple[str, str, str, str | None]] = {}
    labels: dict[Place, tuple[str, str, str, str | None]] = {}
    for e in entries(submissions):
        area, c = e.submission.area, e.contribution
        if area is None:
            continue
        if e.update.place is not None:
            at[e.update.place] = (c.commitment, area, " ".join(e.update.text.split()), e.update.label or c.district)
        if c.place is not None and c.district:
            labels[c.place] = (c.commitment, area, "", c.district)
    out: dict[Flag, None] = {}
    for problem in found:
        for p in (problem, *problem.details):
            about = (at.get(p.place) or labels.get(p.place)) if p.place else None
            if about is not None and p.severity is Severity.WARNING:
                out[Flag(*about, p.message, p.hint)] = None
    return tuple(out)
