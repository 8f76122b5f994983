"""The spine: read every submission of a quarter, merge, check, write.

Each stage is a function of the one before; nothing here knows a file format
or a layout. The CLI prints what these return.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from . import inventory, native, versions
from .blanks import PLACEHOLDER, strip_placeholders
from .coverage import Coverage, coverage
from .intake import scan
from .merge import Merged, count_items, merge
from .model import InputError, Meta, Place, Problem, Report, Submission
from .plan import Plan
from .proofread import proofread
from .quarter import Quarter, parse_quarter
from .readers import READERS


class QuarterFolderError(Exception):
    """The quarter folder itself is unusable: one line for the user, exit 1."""


@dataclass(frozen=True)
class FileRead:
    file: str
    area: str | None
    format: str
    updates: int


@dataclass
class Assembly:
    """What a quarter folder holds, merged and checked, before anything is written."""

    quarter: Quarter
    plan: Plan
    files: list[FileRead]
    submissions: list[Submission]
    merged: Merged
    problems: list[Problem] = field(default_factory=list)
    inputs: tuple[Path, ...] = ()  # the submission files read, for the manifest

    @cached_property
    def coverage(self) -> Coverage:
        return coverage(self.submissions, self.plan)

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
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def counts_line(self) -> str:
        n_files = len({f.file for f in self.files})
        return (f"{self.read} updates read from {n_files} file{'s' * (n_files != 1)}; "
                f"{self.placed} placed; {self.left_out} left out")


def quarter_of_folder(folder: Path) -> Quarter:
    if not folder.exists():
        raise QuarterFolderError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise QuarterFolderError(f"{folder}: is not a folder")
    quarter = parse_quarter(folder.name)  # QuarterError is a ValueError with a clear line
    return quarter


def assemble(folder: Path, plan: Plan) -> Assembly:
    """Read and merge a quarter folder; collect every problem, write nothing."""
    quarter = quarter_of_folder(folder)
    intake = scan(folder)
    if not intake.submissions and not intake.problems:
        raise QuarterFolderError(f"{folder}: no submissions (.docx or .xlsx) in the folder")
    problems = list(intake.problems)
    files: list[FileRead] = []
    submissions: list[Submission] = []
    for path in intake.submissions:
        reader = READERS[path.suffix.casefold()]
        try:
            subs, found = reader(path, plan)
        except InputError as exc:
            problems += exc.problems
            files.append(FileRead(path.name, None, path.suffix[1:].lower(), 0))
            continue
        problems += found
        subs = [_dated(_without_placeholders(s, problems), path) for s in subs]
        submissions += subs
        files += [FileRead(s.file, s.area, s.format, s.count()) for s in subs]
    merged = merge(submissions, plan)
    problems += merged.problems
    for lo in merged.left_out:
        problems.append(Problem("warning" if "superseded" in lo.reason else "error",
                                f"{lo.updates} update(s) left out: {lo.reason}", lo.place or Place(lo.file)))
    problems += proofread(submissions, plan, quarter)
    assembly = Assembly(quarter, plan, files, submissions, merged, problems, intake.submissions)
    if assembly.read == 0 and not assembly.errors:
        problems.append(Problem("error", f"{folder}: no updates in any submission",
                                hint="check that the files are filled in"))
    if assembly.read != assembly.placed + assembly.left_out:
        problems.append(Problem("error", f"counts do not add up: {assembly.counts_line()}",
                                hint="this is a bug in assemble; please report it with the inputs"))
    return assembly


def _dated(sub: Submission, path: Path) -> Submission:
    """A document without its own last-saved time is as new as the file."""
    if sub.modified:
        return sub
    when = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc)
    return replace(sub, modified=when.isoformat())


def _without_placeholders(sub: Submission, problems: list[Problem]) -> Submission:
    """A blank template's example bullets are not updates: drop them, say where."""
    kept, places = strip_placeholders(sub)
    if places:
        problems.append(Problem(
            "warning", f"{len(places)} example bullet(s) still start '{PLACEHOLDER}' and were not read",
            places[0], "replace them with real updates or delete them"))
    return kept


def timestamp(quarter: Quarter) -> dt.datetime:
    """Every date written into outputs: SOURCE_DATE_EPOCH, else the production month's first day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    year, month = quarter.end
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)


def report(assembly: Assembly, version: str, draft: bool = True) -> Report:
    q, plan = assembly.quarter, assembly.plan
    meta = Meta(
        plan_title=plan.full_title,
        document=plan.document,
        quarter=q.name,
        quarter_short=q.short,
        quarter_long=q.long,
        data_to=q.data_to,
        produced=q.produced,
        version=version,
        marking=plan.marking,
        unit=plan.unit,
        organisation=plan.organisation,
        timestamp=timestamp(q).isoformat(),
        draft=draft,
    )
    return Report(meta, assembly.merged.priorities)


def render(rep: Report, folder: Path) -> dict[str, Path]:
    """Write the PDF (which fixes the pagination) and then the Word document."""
    from .writers.docx import write_docx
    from .writers.pdf import write_pdf

    stem = versions.stem(rep.meta.quarter, rep.meta.version)
    pdf, docx = folder / f"{stem}.pdf", folder / f"{stem}.docx"
    pagination = write_pdf(rep, pdf)
    write_docx(rep, docx, pagination)
    return {"pdf": pdf, "docx": docx}


def fingerprint(asm: Assembly) -> dict:
    """What this build is made from, as the manifest records it."""
    return {
        "inputs": {p.name: inventory.sha256(p) for p in asm.inputs},
        "templates": inventory.templates(),
        "package": inventory.package(),
        "counts": {"read": asm.read, "placed": asm.placed, "left_out": asm.left_out},
    }


def build(asm: Assembly, outputs: Path, reissue: bool = False) -> versions.Outcome:
    """Publish the next version when the content changed; else report up to date."""
    outline = native.dump(report(asm, "0"))
    return versions.publish(
        outputs / asm.quarter.name, asm.quarter.name, outline, fingerprint(asm),
        lambda version, tmp: render(report(asm, version, draft=True), tmp),
        reissue=reissue,
    )


def release(asm: Assembly, outputs: Path, who: str) -> Path:
    """Render the newest version without its DRAFT mark under the name leadership sees."""
    out_dir = outputs / asm.quarter.name
    newest = versions.latest(out_dir)
    if newest is None:
        raise versions.VersionError(f"{asm.quarter.name}: nothing built yet; run assemble build first")
    built = native.load(versions.stored_outline(out_dir, newest), report(asm, newest, draft=False).meta)
    current = versions.content_hash(native.dump(report(asm, "0")), fingerprint(asm))
    return versions.release(
        out_dir, asm.quarter.name, who, lambda version, tmp: render(built, tmp),
        title=f"{asm.plan.title} {asm.plan.document}", content=current,
    )
