"""What became of each thing in a quarter's folder, said the same way by every command.

A quarter's files are classified by one code path (``intake`` for what the folder
holds, ``pipeline`` for what reading gave) into one ``Verdict`` each: read (with its
updates), refused (and why), not in a quarter folder, a folder inside the quarter.
``check``, ``status``, ``build`` and ``release`` all print these, in the returns table,
the report and the coverage. A file that was not read still counts as sent by the area
its name gives, so nobody is chased for what they sent; an area with no verdict at all
is waiting.

Light on purpose: the quick ``make`` imports it, and nothing here reads a file.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

SEP = " › "  # a return that came attached to an email is named after it: "RE Q2.msg › North LPA.docx"


class Kind(enum.StrEnum):
    """What became of one entry of a quarter's folder (or of the inputs folder above it)."""

    READ = "read"
    REFUSED = "refused"
    LOOSE = "not in a quarter folder"
    FOLDER = "a folder inside the quarter"


@dataclass(frozen=True)
class Verdict:
    """One line of a run's returns table: a file (or folder), and what became of it."""

    file: str
    area: str | None
    format: str
    updates: int = 0
    not_read: int = 0  # lines of the file not read, each reported (a file split by area: on its first line)
    kind: Kind = Kind.READ
    why: str = ""  # not read: what is wrong with it, in the words of its problem
    # a return that came attached to an email, or the email itself when it carried none: the
    # message's file in the folder, the return's own name as attached ("" for the message),
    # who sent it (a display name, and the address where there is one) and when (ISO 8601)
    message: str = ""
    attachment: str = ""
    sender: str = ""
    sent: str = ""

    @property
    def read(self) -> bool:
        return self.kind is Kind.READ

    def of(self, name: str) -> bool:
        """Whether this is the line of the file `name` in the folder: the file's own, or a
        return that came in the email `name`."""
        return name in (self.file, self.message)

    @property
    def shown(self) -> str:
        """How the returns table and report say what it gave: '14' updates, or 'refused: …'."""
        if self.kind is Kind.READ:
            return str(self.updates)
        return f"{self.kind}: {self.why}" if self.why and self.kind is Kind.REFUSED else str(self.kind)


def entry(file: str) -> str:
    """The name in the folder a place's file stands for: the file's own name (a file loose in
    inputs/ is named by its path), or the email a return came attached to."""
    return file.replace("\\", "/").rpartition("/")[2].split(SEP)[0]


def sent_by(verdicts: Iterable[Verdict], area: str) -> list[Verdict]:
    """What an area sent, read or not."""
    return [v for v in verdicts if v.area == area]


def unread_by_area(verdicts: Iterable[Verdict]) -> dict[str, list[Verdict]]:
    """Area -> what it sent that was not read (refused, misfiled): it has sent, but
    the unit must act on what it sent."""
    out: dict[str, list[Verdict]] = {}
    for v in verdicts:
        if v.area is not None and not v.read:
            out.setdefault(v.area, []).append(v)
    return out
