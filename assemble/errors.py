"""Everything that can go wrong, and how it is told: one path for every message.

A ``Problem`` is a finding about the inputs with a place a person can go to and a
hint saying what to do; its ``Severity`` decides whether the build stops. An
``AssembleError`` stops a command: each kind knows its exit status and shows itself
as one line. Operating-system errors become ``OutputError`` or ``FolderError`` through
``os_problem``, so a full disk or a read-only folder is never called a bug; only
``InternalError`` says "bug", with the inputs to report it with.

Exit status: 0 done, 1 a problem with the inputs, folders or files, 2 a mistake in
the command itself.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.StrEnum):
    """An error stops the build (no version is written); a warning is reported and it goes on."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Place:
    """Where something stands in a submission, named as a person finds it there.

    Excel shows row numbers and a plan file its lines, so their places are the locator
    alone ("sheet 'Updates', row 7", "cell E7", "line 42"). Word shows no paragraph
    numbers: a Word line is named by what Word shows, the headings it stands under, what
    it is and its opening words, with its locator kept after them: "under Priority 2 ›
    2.1, the bullet 'Saffron Waldon: Partnership…' (paragraph 12)". The reader gives the
    locator, the words and the kind; resolve, which knows the plan, adds the headings
    (``under``). Hashable: a place is a key (the ledger's, the order problems are told in).
    """

    file: str
    where: str = ""  # the locator: "paragraph 12", "paragraph 14 in table 2, row 3", "sheet 'Returns', row 7"
    words: str = ""  # a line's opening words, as Word shows them ("Saffron Waldon: Partnership…")
    kind: str = ""  # what the line is on the page: "heading", "bullet" or "line"
    under: str = ""  # the headings it stands under ("Priority 2 › 2.1"), added by resolve

    @property
    def shown(self) -> str:
        """The place within the file, as a message shows it after the file's name."""
        if self.words:
            what = f"the {self.kind or 'line'} '{self.words}'" + (f" ({self.where})" if self.where else "")
        else:
            what = self.where
        under = f"under {self.under}" if self.under else ""
        return f"{under}, {what}" if under and what else under or what

    def __str__(self) -> str:
        shown = self.shown
        return f"{self.file}: {shown}" if shown else self.file


@dataclass(frozen=True)
class Problem:
    """One finding: how serious, what, where, and what to do about it.

    `details` are the findings it stands for, folded into it ("14 updates are unchanged
    since …"): a console shows the problem's own line only; report.md lists them under it.
    """

    severity: Severity
    message: str
    place: Place | None = None
    hint: str = ""
    details: tuple[Problem, ...] = ()

    def __str__(self) -> str:
        head = f"{self.place}: " if self.place else ""
        tail = f" ({self.hint})" if self.hint else ""
        return f"{self.severity}: {head}{self.message}{tail}"


def error(message: str, place: Place | None = None, hint: str = "", details: tuple[Problem, ...] = ()) -> Problem:
    return Problem(Severity.ERROR, message, place, hint, details)


def warning(message: str, place: Place | None = None, hint: str = "", details: tuple[Problem, ...] = ()) -> Problem:
    return Problem(Severity.WARNING, message, place, hint, details)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.WARNING]


# --- the exception tree ----------------------------------------------------------------


class AssembleError(Exception):
    """A command cannot go on. Shown as one line: ``error: <message> (<hint>)``."""

    exit_status = 1

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def line(self) -> str:
        return f"error: {self.message}" + (f" ({self.hint})" if self.hint else "")

    def lines(self) -> list[str]:
        """Everything to show: the line, and for some errors the problems behind it."""
        return [self.line()]


class UsageError(AssembleError):
    """A mistake in the command itself (a missing argument, a flag that needs another)."""

    exit_status = 2


class FolderError(AssembleError):
    """A quarter or inputs folder that cannot be used as one: missing, misnamed, unreadable."""


class PlanError(AssembleError):
    """A plan file that cannot be used; the unit must fix it before any build."""

    def __init__(self, message: str, hint: str = "", problems: Sequence[Problem] = ()):
        super().__init__(message, hint)
        self.problems = list(problems)

    @classmethod
    def of(cls, path: Path, problems: Sequence[Problem]) -> PlanError:
        """Every problem of one plan file, each on a line of its own."""
        many = len(problems) != 1
        return cls(f"{path}: the plan cannot be used: {len(problems)} problem{'s' * many}",
                   f"fix {'them' if many else 'it'} and run it again", problems)

    def lines(self) -> list[str]:
        return [self.line(), *(f"  {p}" for p in self.problems)]


class PlanUnreadable(PlanError):
    """A plan file that cannot be opened at all (missing, a folder, not permitted)."""


class TemplateError(AssembleError):
    """A layout template the writers cannot use as it is."""


class VersionError(AssembleError):
    """A refusal about versions: a lock held, a manifest lost, something already released."""


class OutputError(AssembleError):
    """The outputs cannot be written: permissions, a full disk, a path that is a file."""


class InputError(AssembleError):
    """A file that cannot be read at all; carries the problems found, each naming it."""

    def __init__(self, problems: Sequence[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)


class InternalError(AssembleError):
    """Something assemble itself got wrong: the only message that says "bug"."""

    def __init__(self, what: str, inputs: Sequence[str] = ()):
        names = ", ".join(inputs)
        super().__init__(
            what,
            "this is a bug in assemble; please report it" + (f" with the inputs: {names}" if names else ""),
        )


# --- operating-system errors ----------------------------------------------------------------

_WHAT_TO_DO = {
    errno.EACCES: ("permission denied", "ask for write access to it, or choose another folder with --outputs"),
    errno.EPERM: ("not permitted", "ask for write access to it, or choose another folder with --outputs"),
    errno.EROFS: ("the file system is read-only", "choose a folder on a writable drive with --outputs"),
    errno.ENOSPC: ("no space left on the drive", "free some space and run it again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space and run it again"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "move that file aside or choose another path"),
    errno.EEXIST: ("it is a file, not a folder", "move that file aside or choose another path"),
    errno.EISDIR: ("it is a folder, not a file", "move that folder aside or choose another path"),
    errno.ENAMETOOLONG: ("the name is too long", "use a shorter folder path"),
    errno.ENOENT: ("no such file or folder", "check the path"),
    errno.ELOOP: ("too many symbolic links", "use the folder itself, not a link"),
    errno.EIO: ("the drive reported an input/output error", "check the drive or network share and run it again"),
}


def describe_os_error(exc: OSError) -> tuple[str, str]:
    """(what happened, what to do) for an OSError, in words rather than an errno."""
    known = _WHAT_TO_DO.get(exc.errno or -1)
    if known:
        return known
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else type(exc).__name__)
    return reason.lower() if reason else "it cannot be used", "check the path and run it again"


def os_problem(exc: OSError, path: Path | str | None = None, doing: str = "write") -> OutputError:
    """One line naming the path an OSError is about, what happened and what to do."""
    where = path if path is not None else exc.filename
    what, hint = describe_os_error(exc)
    return OutputError(f"{where}: cannot {doing} it: {what}" if where else f"cannot {doing}: {what}", hint)


@contextlib.contextmanager
def os_errors(path: Path | str, doing: str = "write") -> Iterator[None]:
    """Within the block, an OSError becomes an OutputError naming the file it is about (else `path`)."""
    try:
        yield
    except OSError as exc:
        raise os_problem(exc, exc.filename or path, doing) from None
