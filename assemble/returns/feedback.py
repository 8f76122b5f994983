"""The returns sent back: each return with a problem, copied with every problem
attached where it stands, and for each area with a problem a short text to paste
into the reply — written into outputs/<quarter>/feedback/ by every build (one that
stops on errors too) and by ``assemble feedback``.

A copy is the contributor's own file with, for each problem, a Word comment on its
paragraph or a note on its Excel cell (a problem of no place in the file on the first
paragraph, or the first cell of the sheet read, saying so), in the console's words
without the file's name, by the plan's unit and marked as the unit's
(``signature.sign``): sent back with them still in it, the file reads as its
contributor's and they are not reported back; copied again, those of the round before
are taken out first, so that they never stack. Where the readers place a problem is
told by the readers themselves (``readers.locate``); the XML is edited by
``word_comments`` and ``excel_notes`` through ``repack``, which keeps every other part
of the package as it was. The originals are only read. A return without a problem
gets no copy; a file that could not be read at all gets none either (its area's text
says what to send instead).

The folder is made in a staging folder beside it and swapped in whole, replacing the
one before, so a build never leaves it half-written and building again never stacks
comments; when nothing in it changed, the folder before is kept as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import filecmp
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import clock, readers, signature
from ..assembly import Assembly
from ..errors import InputError, Problem, Severity
from ..readers import messages
from ..readers.docx import Paragraphs
from ..readers.xlsx import Cells
from ..text import plural, without_forbidden
from ..verdicts import Kind, Verdict
from .excel_notes import add_notes
from .excel_notes import remove_signed as remove_notes
from .repack import CannotEdit, Repack
from .word_comments import add_comments
from .word_comments import remove_signed as remove_comments

FOLDER = "feedback"
UNKNOWN_AREA = "area not known"  # the text for files whose area could not be told


@dataclass(frozen=True)
class Feedback:
    """What a run sent back: the folder, the copies and texts in it, and the files with a
    problem that got no copy, with why."""

    folder: Path
    copies: tuple[Path, ...] = ()
    texts: tuple[Path, ...] = ()
    uncopied: dict[str, str] = field(default_factory=dict)  # file -> why it has no copy

    def line(self) -> str:
        """What the console says of it."""
        if not self.texts:
            return f"feedback: none (no return has a problem), in {self.folder}"
        return (f"feedback: {plural(len(self.copies), 'return')} with comments or notes, and a text for "
                f"{plural(len(self.texts), 'area')}, in {self.folder}")


def write(asm: Assembly, out_dir: Path) -> Feedback:
    """outputs/<quarter>/feedback/ for the assembled quarter, swapped in whole."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / FOLDER
    staging = out_dir / f".{FOLDER}-{os.getpid()}-{secrets.token_hex(4)}"  # made as any folder is: its mode
    staging.mkdir()
    try:
        made = _fill(asm, staging)
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Feedback(target, tuple(target / p.name for p in made.copies), tuple(target / p.name for p in made.texts),
                    made.uncopied)


# --- what goes in it ----------------------------------------------------------------------


def _fill(asm: Assembly, folder: Path) -> Feedback:
    """The copies and texts, written into `folder`. A return that came in an email is copied
    from the attachment, and its copy named after the attachment."""
    found = problems_by_file(asm)
    paths = {path.name: path for path in asm.inputs}
    verdicts = {v.file: v for v in reversed(asm.files)}  # a file split by area: its first verdict
    copies: list[Path] = []
    copied: dict[str, str] = {}  # a return's name as told -> its copy's
    uncopied: dict[str, str] = {}
    for name, problems in found.items():
        verdict = verdicts.get(name)
        if verdict is None or not verdict.read or (verdict.message or name) not in paths:
            uncopied[name] = "it could not be read"
            continue
        target = _free(folder / (verdict.attachment or name))
        try:
            with _source(verdict, paths[verdict.message or name], folder) as source:
                copies.append(copy(source, target, problems, asm.plan.unit, clock.stamp(asm.quarter)))
            copied[name] = target.name
        except (CannotEdit, InputError) as exc:
            uncopied[name] = str(exc)
    texts = []
    for area, files in _areas(asm, found).items():
        text = reply(asm, area, files, found, copied, uncopied)
        path = folder / f"{_file_name(area)}.txt"
        path.write_text(text, encoding="utf-8")
        texts.append(path)
    return Feedback(folder, tuple(copies), tuple(texts), uncopied)


@contextlib.contextmanager
def _source(verdict: Verdict, path: Path, folder: Path) -> Iterator[Path]:
    """The file a return's copy is made from: the file itself, or the attachment of the email
    it came in, written aside for the while (the email itself is never changed)."""
    if not verdict.message:
        yield path
        return
    found = messages.attachment(path, verdict.file)
    if found is None:
        raise CannotEdit(f"{verdict.message} no longer carries {verdict.attachment}")
    aside = folder / f".{secrets.token_hex(4)}{Path(found.name).suffix}"
    aside.write_bytes(found.data)
    try:
        yield aside
    finally:
        aside.unlink(missing_ok=True)


def _free(target: Path) -> Path:
    """`target`, or 'name (2).docx' … when a copy of that name is there already (two emails
    may carry attachments of one name)."""
    found, n = target, 1
    while found.exists():
        n += 1
        found = target.with_name(f"{target.stem} ({n}){target.suffix}")
    return found


def problems_by_file(asm: Assembly) -> dict[str, list[Problem]]:
    """Each file of the quarter's folder with a problem (read, or refused) -> its problems,
    in the order found."""
    files = {v.file for v in asm.files if v.kind in (Kind.READ, Kind.REFUSED)}
    out: dict[str, list[Problem]] = {}
    for p in asm.problems:
        if p.place is not None and p.place.file in files:
            out.setdefault(p.place.file, []).append(p)
    return out


def _areas(asm: Assembly, found: dict[str, list[Problem]]) -> dict[str, list[Verdict]]:
    """Each area with a problem, in the plan's order (an unknown area last) -> every file it
    sent (read or refused)."""
    first_area = {v.file: v.area for v in reversed(asm.files)}
    with_problems = {first_area.get(name) or UNKNOWN_AREA for name in found}
    out: dict[str, list[Verdict]] = {}
    for area in [*(a.name for a in asm.plan.areas), UNKNOWN_AREA]:
        if area in with_problems:
            out[area] = [v for v in asm.files if (v.area or UNKNOWN_AREA) == area
                         and v.kind in (Kind.READ, Kind.REFUSED)]
    return out


def said(p: Problem) -> str:
    """A problem in the console's words without the file's name; one of no place in the
    file says it is about the whole file."""
    shown = p.place.shown if p.place is not None else ""
    where = f"{shown}: " if shown else "about the whole file: "
    return without_forbidden(f"{p.severity}: {where}{p.message}" + (f" ({p.hint})" if p.hint else ""))


def attached(problems: list[Problem]) -> list[Problem]:
    """What a copy carries: each problem, and each finding it stands for (its details) at
    its own place."""
    out = []
    for p in problems:
        out.append(p)
        out += [d for d in p.details if d.place is not None and p.place is not None and d.place.file == p.place.file]
    return out


# --- the copy ------------------------------------------------------------------------------


def copy(source: Path, target: Path, problems: list[Problem], unit: str, when: dt.datetime) -> Path:
    """`source` copied to `target` with each problem attached where it stands, by `unit`
    (a Word comment dated `when`: one without a date, LibreOffice dates the year 0); the
    unit's comments or notes of an earlier round taken out first."""
    located = readers.locate(source)
    with Repack(source) as package:
        if isinstance(located, Paragraphs):
            remove_comments(package, located.part, signature.signed)
            add_comments(package, located.part, _by_paragraph(located, problems), unit, signature.initials(unit), when)
        else:
            for part in located.sheets.values():
                remove_notes(package, part, signature.signed_note)
            for part, cells in _by_cell(located, problems).items():
                add_notes(package, part, cells, unit)
        package.write(target)
    return target


def _by_paragraph(located: Paragraphs, problems: list[Problem]) -> dict[int | None, list[str]]:
    """The paragraph's position -> the signed texts of the problems at it; one of no place,
    or of one not found, at the first paragraph."""
    out: dict[int | None, list[str]] = {}
    for p in attached(problems):
        where = p.place.where if p.place is not None else ""
        position = located.position(where) if where else None
        out.setdefault(located.first if position is None else position, []).append(signature.sign(said(p)))
    return out


def _by_cell(located: Cells, problems: list[Problem]) -> dict[str, dict[str, list[str]]]:
    """A sheet's part -> a cell -> the signed texts of the problems at it; one of no place,
    or of one not found, at the first cell of the sheet read."""
    out: dict[str, dict[str, list[str]]] = {}
    for p in attached(problems):
        at = located.cell(p.place.where if p.place is not None else "") or located.first
        if at is not None:
            out.setdefault(at[0], {}).setdefault(at[1], []).append(signature.sign(said(p)))
    return out


# --- the text to paste -------------------------------------------------------------------------


def reply(asm: Assembly, area: str, files: list[Verdict], found: dict[str, list[Problem]], copies: dict[str, str],
          uncopied: dict[str, str]) -> str:
    """An area's text: what was read, what to fix (errors first, one line each, as the
    console says them) and which files are attached."""
    senders = list(dict.fromkeys(v.sender for v in files if v.sender))
    lines = [f"To: {'; '.join(senders)}", ""] if senders else []  # a return that came by email: reply to it
    lines += [f"{area} – your return for the {asm.plan.document}, {asm.quarter.long}", "", "What we read:"]
    for v in files:
        if v.read:
            lines.append(f"- {v.file}: {plural(v.updates, 'update')}"
                         + (f", {plural(v.not_read, 'line')} not read" if v.not_read else ", every line read"))
        else:
            lines.append(f"- {v.file}: not read ({v.why or 'it cannot be read'})")
    problems = [p for v in files for p in found.get(v.file, [])]
    problems = list(dict.fromkeys(problems))  # a file split by area is listed once
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    lines += ["", f"What to fix ({_counts(errors, warnings)}):"]
    lines += [f"- {without_forbidden(str(p))}" for p in (*errors, *warnings)]
    sent = list(dict.fromkeys(copies[v.file] for v in files if v.file in copies))
    lines.append("")
    if sent:
        kinds = {"a note" if Path(name).suffix.casefold() in (".xlsx", ".xlsm") else "a comment" for name in sent}
        lines.append(f"Attached: {', '.join(sent)} – your return with {' or '.join(sorted(kinds))} on each of "
                     "these where it stands. Please fix them and send the file back; the comments can stay.")
    lines += [f"Not attached: {name} ({uncopied[name]})." for name in dict.fromkeys(v.file for v in files)
              if name in uncopied]
    return "\n".join(lines) + "\n"


def _counts(errors: list[Problem], warnings: list[Problem]) -> str:
    parts = [plural(len(errors), "error")] if errors else []
    return ", ".join([*parts, *([plural(len(warnings), "warning")] if warnings else [])])


def _file_name(area: str) -> str:
    """An area's name as a file name: what no file system allows made a space."""
    name = "".join(" " if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in area).strip(" .")
    return name or UNKNOWN_AREA


# --- the swap ----------------------------------------------------------------------------------


def _swap(staging: Path, target: Path) -> None:
    """`staging` in the place of `target`, whole; nothing done when they hold the same files."""
    if target.is_dir() and _same(staging, target):
        return
    if target.exists() and not target.is_dir():
        raise FileExistsError(17, "it is a file, not a folder", str(target))
    old = target.with_name(f".{FOLDER}-old-{os.getpid()}")
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except OSError:
        if old.exists():
            os.replace(old, target)  # the folder before stays, whole
        raise
    shutil.rmtree(old, ignore_errors=True)


def _same(a: Path, b: Path) -> bool:
    """Whether two folders hold the same files with the same bytes."""
    names = sorted(p.name for p in a.iterdir())
    if names != sorted(p.name for p in b.iterdir()):
        return False
    return all((a / n).is_file() and (b / n).is_file() and filecmp.cmp(a / n, b / n, shallow=False) for n in names)
