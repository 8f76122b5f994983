"""Decide which files in a quarter folder are submissions, and refuse the rest
with a message the sender can act on. Knows file names, not file contents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import FolderError, Place, Problem, error, os_problem, warning

# the files admitted as submissions, each read by a reader (readers.READERS): Word and Excel, macros never run
SUFFIXES = (".docx", ".docm", ".xlsx", ".xlsm")
_IGNORED_NAMES = {"thumbs.db", ".ds_store", "desktop.ini"}
_LEGACY = {
    ".doc": "an old Word 97-2003 file: open it in Word and save it as .docx",
    ".xls": "an old Excel 97-2003 file: open it in Excel and save it as .xlsx",
}


@dataclass(frozen=True)
class Intake:
    submissions: tuple[Path, ...]
    problems: tuple[Problem, ...]


def scan(folder: Path) -> Intake:
    files: list[Path] = []
    problems: list[Problem] = []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name.casefold())
    except OSError as exc:
        raise _unreadable(exc, folder) from None
    for path in entries:
        name = path.name
        if name.startswith(("~$", ".")) or name.casefold() in _IGNORED_NAMES:
            continue  # Office lock files, hidden files, folder clutter
        if path.is_symlink():
            problems.append(error("is a symbolic link; links are not followed",
                                  Place(name), "copy the file itself into the folder"))
            continue
        if path.is_dir():
            problems.append(warning("is a folder; files in a folder inside the quarter's folder are not read",
                                    Place(name), "move the returns it holds into the quarter's folder itself"))
            continue
        suffix = path.suffix.casefold()
        if suffix in SUFFIXES:
            files.append(path)
        elif suffix in _LEGACY:
            problems.append(error(_LEGACY[suffix], Place(name)))
        else:
            problems.append(error(f"'{suffix or 'no extension'}' is not a submission format",
                                  Place(name), "send .docx or .xlsx"))
    return Intake(tuple(files), tuple(problems))


def quarter_folders(inputs: Path) -> list[Path]:
    try:
        return sorted(p for p in inputs.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError as exc:
        raise _unreadable(exc, inputs) from None


def _unreadable(exc: OSError, folder: Path) -> FolderError:
    out = os_problem(exc, folder, "read")
    return FolderError(out.message, "check the folder exists and you may read it")
