"""Decide which files in a quarter folder are submissions, and refuse the rest
with a message the sender can act on. Knows file names, not file contents.

Each entry the folder holds that is not admitted gets its verdict here (refused, or a
folder inside the quarter), with the problem that says why; ``pipeline`` gives the
admitted files theirs once they are read. Every command classifies a folder through
``scan``, so each says the same of every file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Place, Problem, error, warning
from .folders import loose_for, passed_over, unreadable
from .verdicts import Kind, Verdict

# the files admitted as submissions, each read by a reader (readers.READERS): Word and Excel, macros never run
WORD = (".docx", ".docm")
EXCEL = (".xlsx", ".xlsm")
SUFFIXES = WORD + EXCEL
# emails saved whole (MIME, and Outlook's OLE compound files): their attachments are the returns
MESSAGES = (".eml", ".msg")
LEGACY = {
    ".doc": "an old Word 97-2003 file: open it in Word and save it as .docx",
    ".xls": "an old Excel 97-2003 file: open it in Excel and save it as .xlsx",
}


@dataclass(frozen=True)
class Turned:
    """An entry of the folder that is not read, its verdict (its area not yet known) and its problem."""

    path: Path
    verdict: Verdict
    problem: Problem


@dataclass(frozen=True)
class Intake:
    submissions: tuple[Path, ...]
    turned: tuple[Turned, ...] = ()  # what is in the folder and not read

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(t.problem for t in self.turned)

    @property
    def empty(self) -> bool:
        """Nothing in the folder at all: a quarter waiting for its returns."""
        return not self.submissions and not self.turned


def scan(folder: Path) -> Intake:
    files: list[Path] = []
    turned: list[Turned] = []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name.casefold())
    except OSError as exc:
        raise unreadable(exc, folder) from None
    for path in entries:
        if passed_over(path.name):
            continue
        found = _turned(path)
        if found is None:
            files.append(path)
        else:
            turned.append(found)
    return Intake(tuple(files), tuple(turned))


def beside(folder: Path) -> tuple[Turned, ...]:
    """What lies loose in the inputs folder and belongs with this quarter (``folders.loose_for``):
    not read, each with its verdict."""
    return tuple(Turned(folder.parent / f.name, Verdict(f.name, None, Path(f.name).suffix[1:].lower(), kind=Kind.LOOSE,
                                                         why=f.problem.message), f.problem)
                 for f in loose_for(folder))


def admitted(folder: Path) -> list[Path] | None:
    """The files a build of `folder` would read; None when anything else is there too (another
    kind of file, a sub-folder, a link): then a build must say so."""
    intake = scan(folder)
    return None if intake.turned else list(intake.submissions)


def _turned(path: Path) -> Turned | None:
    """None for a submission; else why the entry is not read."""
    name = path.name
    suffix = path.suffix.casefold()
    fmt = suffix[1:]
    if path.is_symlink():
        return _refused(path, fmt, error("is a symbolic link; links are not followed", Place(name),
                                         "copy the file itself into the folder"))
    if path.is_dir():
        problem = warning("is a folder; files in a folder inside the quarter's folder are not read",
                          Place(name), "move the returns it holds into the quarter's folder itself")
        return Turned(path, Verdict(name, None, "folder", kind=Kind.FOLDER, why=problem.message), problem)
    if suffix in SUFFIXES or suffix in MESSAGES:
        return None
    if suffix in LEGACY:
        return _refused(path, fmt, error(LEGACY[suffix], Place(name)))
    return _refused(path, fmt, error(f"'{suffix or 'no extension'}' is not a submission format", Place(name),
                                     "send .docx or .xlsx"))


def _refused(path: Path, fmt: str, problem: Problem) -> Turned:
    return Turned(path, Verdict(path.name, None, fmt, kind=Kind.REFUSED, why=problem.message), problem)
