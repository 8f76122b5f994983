"""The inputs folder and its quarter folders: which folder a command means, and what
lies in ``inputs/`` outside any quarter.

A command names a quarter by its folder (``inputs/2020-21-Q3``) or by its bare name
(``2020-21-Q3``, meaning ``inputs/2020-21-Q3``). A name that is not a quarter's is a
mistake in the command (exit 2); a quarter whose folder is not there is a problem
with the folders (exit 1); both name the quarters that exist. A file dropped
straight into ``inputs/`` is not read: it is named, with the quarter it probably
belongs to, by every command that looks at the newest quarter.

Light on purpose: the quick ``make`` uses it; it knows names, not contents.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from .errors import FolderError, Place, Problem, UsageError, os_problem, warning
from .quarter import Quarter, QuarterError, parse_quarter

INPUTS = Path("inputs")  # where a bare quarter name is looked for, as the Makefile's INPUTS
IGNORED_NAMES = frozenset({"thumbs.db", ".ds_store", "desktop.ini"})  # folder clutter, never a return


def passed_over(name: str) -> bool:
    """Office lock files, hidden files and folder clutter: never returns, never named."""
    return name.startswith(("~$", ".")) or name.casefold() in IGNORED_NAMES


def quarter_folders(inputs: Path) -> list[Path]:
    """The folders of `inputs`, not hidden ones, in name order (whether or not they are quarters)."""
    try:
        return sorted(p for p in inputs.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError as exc:
        raise unreadable(exc, inputs) from None


def quarters(inputs: Path) -> list[tuple[Path, Quarter]]:
    """The folders of `inputs` named like quarters, oldest first."""
    found = []
    for folder in quarter_folders(inputs) if inputs.is_dir() else []:
        with contextlib.suppress(QuarterError):
            found.append((folder, parse_quarter(folder.name)))
    return sorted(found, key=lambda fq: fq[1])


def newest(inputs: Path) -> Path | None:
    """The newest quarter folder of `inputs`: the one a file left loose there most likely belongs to."""
    found = quarters(inputs)
    return found[-1][0] if found else None


def named(given: Path, inputs: Path = INPUTS) -> Path:
    """The quarter folder a command means: `given` itself, or, for a bare name that is not a
    folder here, inputs/<name>; its name checked (a UsageError, exit 2, when it is not a quarter's)."""
    if not given.exists() and len(given.parts) == 1 and not given.is_absolute():
        given = inputs / given
    name_quarter(given.name, given.parent)
    return given


def locate(given: Path, inputs: Path = INPUTS) -> Path:
    """`named`, and there: a folder that is not there is a FolderError (exit 1)."""
    given = named(given, inputs)
    if not given.exists():
        raise FolderError(f"{given}: no such quarter folder", _existing(given.parent, create=True))
    if not given.is_dir():
        raise FolderError(f"{given}: is a file, not a quarter folder", _existing(given.parent))
    return given


def name_quarter(name: str, inputs: Path) -> Quarter:
    """The quarter a name on the command line gives; a UsageError naming the quarters that exist."""
    try:
        return parse_quarter(name)
    except QuarterError as exc:
        raise UsageError(f"{exc.message}", _existing(inputs)) from None


def missing(name: str, inputs: Path) -> FolderError:
    """A quarter asked for by name whose folder `inputs` does not have."""
    return FolderError(f"{inputs / name}: no such quarter folder", _existing(inputs, create=True))


def _existing(inputs: Path, create: bool = False) -> str:
    names = [q.name for _, q in quarters(inputs)]
    have = f"the quarters in {inputs}/ are {', '.join(names)}" if names else f"{inputs}/ has no quarter folder yet"
    return have + ("; make a new quarter's folder with make templates QUARTER=…" if create else "")


@dataclass(frozen=True)
class Loose:
    """A file dropped straight into the inputs folder."""

    name: str
    problem: Problem


def loose(inputs: Path) -> list[Loose]:
    """Files dropped straight into `inputs`: not read; each named with where it belongs.
    A warning in every command (``--strict`` makes it an error), never read."""
    if not inputs.is_dir():
        return []
    try:
        names = sorted(p.name for p in inputs.iterdir() if p.is_file() and not passed_over(p.name))
    except OSError:
        return []
    if not names:
        return []
    found = quarters(inputs)
    last = found[-1][1] if found else None
    where = f"{inputs}/{last.name}/ or {inputs}/{last.next().name}/" if last else f"{inputs}/2020-21-Q2/"
    return [Loose(name, warning("not in a quarter folder, so not read", Place(str(inputs / name)),
                                f"move it into the quarter it reports on, e.g. {where}"))
            for name in names]


def loose_for(folder: Path) -> list[Loose]:
    """The files loose in the inputs folder above the quarter folder `folder` when it is the
    newest quarter there (where they most likely belong); none for an older quarter."""
    return loose(folder.parent) if newest(folder.parent) == folder else []


def unreadable(exc: OSError, folder: Path) -> FolderError:
    out = os_problem(exc, folder, "read")
    return FolderError(out.message, "check the folder exists and you may read it")
