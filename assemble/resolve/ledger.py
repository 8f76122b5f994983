"""What became of every line of a return: the ledger resolve keeps, so that nothing is
lost in silence (every non-empty paragraph, note or cell ends as an update, as structure,
or as not read with the Problem that says where and why)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..errors import Place, Problem
from ..model import Submission


class Fate(enum.StrEnum):
    """What became of a line of a return."""

    UPDATE = "update"  # an update, or the label over updates
    STRUCTURE = "structure"  # the area, a priority, a commitment, the title lines before the first priority
    NOT_READ = "not read"  # reported: its problem says where and why


@dataclass(frozen=True)
class Entry:
    """One non-empty line (a paragraph, a note, a cell) and its fate."""

    place: Place
    text: str
    fate: Fate
    problem: Problem | None = None  # what reports it, when it was not read


@dataclass(frozen=True)
class Accounted:
    """A record read against a plan: its submissions, its problems, and every line's fate."""

    submissions: tuple[Submission, ...]
    problems: tuple[Problem, ...]
    entries: tuple[Entry, ...]

    @property
    def updates(self) -> int:
        return sum(s.count() for s in self.submissions)

    @property
    def not_read(self) -> int:
        """Lines not read: paragraphs, or rows of a sheet."""
        return len({e.place for e in self.entries if e.fate is Fate.NOT_READ})
