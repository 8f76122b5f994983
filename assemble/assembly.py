"""The assembled quarter: a quarter folder read, resolved against its plan, merged and
checked, as the checks, the console and the writers of the run report see it, with
last quarter's version to compare with."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, errors, warnings
from .kept import Flag
from .model import Merged, PrioritySection, Submission, count_items
from .plan import Plan
from .quarter import Quarter
from .text import plural
from .verdicts import Verdict


@dataclass(frozen=True)
class SentOut:
    """One return as it was sent out for a quarter (``versions.outbox`` records them)."""

    file: str
    area: str
    sent: str  # when it was written, ISO 8601
    sha256: str  # of its bytes
    content: str  # ``content`` of what it reads as ("" when it could not be read back)
    updates: int  # how many updates it carried


@dataclass(frozen=True)
class Earlier:
    """The previous quarter's newest version, which this quarter's returns are compared with."""

    quarter: str  # "2020-21-Q2"
    version: str  # "1.0"
    priorities: tuple[PrioritySection, ...]  # its outline: the blocks carry the area that sent them
    inputs: dict[str, str] = field(default_factory=dict)  # its returns: file name -> sha256
    sent_out: tuple[SentOut, ...] = ()  # this quarter's returns as they were sent out, pre-filled from it
    flags: tuple[Flag, ...] = ()  # what its checks flagged in its updates: carried with them into the returns


@dataclass(frozen=True)
class Assembly:
    """A quarter folder read, resolved, merged and checked, before anything is written."""

    quarter: Quarter
    plan: Plan
    files: tuple[Verdict, ...]  # what became of each file of the folder (and of inputs/, for the newest)
    submissions: tuple[Submission, ...]
    merged: Merged
    problems: tuple[Problem, ...] = ()
    inputs: tuple[Path, ...] = ()  # the submission files read, for the manifest
    hashes: dict[str, str] = field(default_factory=dict)  # their names -> sha256 of their bytes
    earlier: Earlier | None = None  # last quarter, when it was built
    flags: tuple[Flag, ...] = ()  # the checks' warnings about single updates, for the manifest (``Flag``)

    @property
    def read(self) -> int:
        return sum(s.count() for s in self.submissions)

    @property
    def placed(self) -> int:
        return sum(count_items(c.blocks) for p in self.merged.priorities for c in p.commitments)

    @property
    def left_out(self) -> int:
        return sum(lo.updates for lo in self.merged.left_out)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return warnings(self.problems)

    @property
    def not_read(self) -> int:
        """Lines of the returns not read (each reported with its place and why)."""
        return sum(f.not_read for f in self.files)

    def counts_line(self) -> str:
        """What the run read, placed and left out; the lines not read when there are any."""
        n_files = len({f.file for f in self.files if f.read})
        line = (f"{plural(self.read, 'update')} read from {plural(n_files, 'file')}; "
                f"{self.placed} placed; {self.left_out} left out")
        return line + (f"; {plural(self.not_read, 'line')} not read" if self.not_read else "")
