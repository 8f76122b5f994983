"""The spine: intake → read → resolve → merge → checks, then write.

Each stage is a function of the one before. The returns are read through the
readers' table (by suffix) and the outputs written by the writers (the PDF first:
it fixes the pagination the Word file's contents repeat); how a format is read or
a layout drawn is theirs. ``commands`` prints what these return.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from . import checks, clock, folders, readers
from .assembly import Assembly, Earlier
from .errors import FolderError, InputError, Place, Problem, VersionError, error, errors
from .intake import MESSAGES, Intake, beside, scan
from .merge import merge
from .model import Meta, Report, Submission
from .plan import Plan, matching
from .quarter import Quarter
from .readers import Opened
from .records import Record
from .resolve import Fate, account
from .safety import limits
from .verdicts import Kind, Verdict
from .versions import content_hash, native, preview_stem, stem
from .versions.fingerprint import fingerprint, inputs, templates_for
from .versions.publish import Outcome, Rendered, latest, pending, publish, release, stored_outline

Read = Callable[[Path], Record]


class Step(Protocol):
    """Told of each step of a build as it begins; `expect` is how many there will be."""

    def __call__(self, what: str) -> None: ...

    def expect(self, steps: int) -> None: ...


class _NoSteps:
    def __call__(self, what: str) -> None:
        pass

    def expect(self, steps: int) -> None:
        pass


NO_STEPS = _NoSteps()

RENDER_STEPS = 3  # the PDF, the Word file, the HTML edition


def quarter_of_folder(folder: Path) -> Quarter:
    """The quarter a folder holds; a UsageError for a name that is not a quarter's, a
    FolderError for a folder that is not there (``folders.locate``)."""
    folders.locate(folder)
    return folders.name_quarter(folder.name, folder.parent)


def look(folder: Path) -> Intake:
    """What a quarter's folder holds, and the files left loose in the inputs folder above it
    when it is the newest quarter there (where they most likely belong)."""
    intake = scan(folder)
    if intake.empty:
        raise FolderError(f"{folder}: no submissions (.docx or .xlsx) in the folder",
                          "put the quarter's returns in it")
    return replace(intake, turned=intake.turned + beside(folder))


def assemble(folder: Path, plan: Plan, read: Read = readers.read, step: Step = NO_STEPS, *,
             earlier: Earlier | None = None) -> Assembly:
    """Read, resolve, merge and check a quarter folder (against last quarter's version,
    `earlier`, when there is one); collect every problem, write nothing.

    An email saved into the folder is read as the returns attached to it (``readers.messages``);
    a file whose bytes are also attached to one is that one return, named after the message.
    A quarter is bounded as a file is (``limits.MAX_QUARTER_*``, its returns counting those
    attached to emails): past a limit the returns are still read and counted, but nothing of
    them is kept to merge or build, and the error says how far past it the quarter is."""
    quarter = quarter_of_folder(folder)
    intake = look(folder)
    hashes = inputs(intake.submissions)
    opened = _open_messages(intake.submissions, read)
    carried = {r.sha256 for o in opened.values() if isinstance(o, Opened) for r in o.returns}
    files_read = {p for p in intake.submissions if p not in opened and hashes[p.name] not in carried}
    count = len(files_read) + sum(len(o.returns) for o in opened.values() if isinstance(o, Opened))
    if count > limits.MAX_QUARTER_FILES:
        raise FolderError(f"{quarter.name}: {count:,} returns in {folder}, more than the "
                          f"{limits.MAX_QUARTER_FILES:,} a quarter may have",
                          "check the folder holds this quarter's returns only (each return attached to an "
                          "email counts)")
    step.expect(count + 1 + RENDER_STEPS)
    # what is not read still counts as sent by the area its name gives
    taken = _Taken(plan, [replace(t.verdict, area=_named(plan, t.path)) for t in intake.turned],
                   list(intake.problems))
    for path in intake.submissions:
        if path in opened:
            taken.message(path, opened[path], step)
        elif path in files_read:
            step(f"reading {path.name}")
            try:
                record = read(path)
            except InputError as exc:
                taken.refused(path.name, _named(plan, path), path.suffix[1:].lower(), exc.problems)
                continue
            taken.record(record, _named(plan, path))
    if taken.size.over():
        taken.problems.append(taken.size.problem(quarter.name))
        taken.submissions = []
    step("checking")
    merged = merge(taken.submissions, plan)
    asm = Assembly(quarter, plan, tuple(taken.files), tuple(taken.submissions), merged, tuple(taken.problems),
                   intake.submissions, hashes, earlier)
    checked = checks.run(asm, taken.places)
    return replace(asm, problems=asm.problems + tuple(checked), flags=checks.flags(asm.submissions, checked))


@dataclass
class _Size:
    """What a quarter's returns hold so far, against the limits of a quarter."""

    updates: int = 0
    characters: int = 0
    largest: tuple[int, str] = (0, "")  # updates, file

    def add(self, file: str, subs: list[Submission]) -> bool:
        """Count a file's submissions in; whether the quarter is still within the limits."""
        n = sum(s.count() for s in subs)
        self.updates += n
        self.characters += sum(s.characters() for s in subs)
        self.largest = max(self.largest, (n, file))
        return not self.over()

    def over(self) -> bool:
        return self.updates > limits.MAX_QUARTER_UPDATES or self.characters > limits.MAX_QUARTER_CHARACTERS

    def problem(self, quarter: str) -> Problem:
        if self.updates > limits.MAX_QUARTER_UPDATES:
            what = (f"{self.updates:,} updates in its returns, more than the {limits.MAX_QUARTER_UPDATES:,} "
                    "a quarter may have")
        else:
            what = (f"{self.characters:,} characters of updates in its returns, more than the "
                    f"{limits.MAX_QUARTER_CHARACTERS:,} a quarter may have")
        n, file = self.largest
        return error(f"{quarter}: {what}; nothing is built",
                     hint=f"the largest return is '{file}' ({n:,} updates): check each return holds this "
                     "quarter's updates only (the limits keep a build within 1 GB of memory)")


def _open_messages(paths: tuple[Path, ...], read: Read) -> dict[Path, Opened | InputError]:
    """Each email in the folder opened, its returns read (or why it cannot be)."""
    opened: dict[Path, Opened | InputError] = {}
    for path in paths:
        if path.suffix.casefold() in MESSAGES:
            try:
                opened[path] = readers.open_message(path, read)
            except InputError as exc:
                opened[path] = exc
    return opened


@dataclass(frozen=True)
class _Email:
    """The email a return came in, as its verdict says it (``Verdict``'s fields of the same names)."""

    message: str
    attachment: str = ""
    sender: str = ""
    sent: str = ""

    @staticmethod
    def on(email: _Email | None, verdict: Verdict) -> Verdict:
        if email is None:
            return verdict
        return replace(verdict, message=email.message, attachment=email.attachment, sender=email.sender,
                       sent=email.sent)


@dataclass
class _Taken:
    """What the quarter's returns gave, file by file: the verdicts, problems and submissions."""

    plan: Plan
    files: list[Verdict]
    problems: list[Problem]
    submissions: list[Submission] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)  # where updates stand, in reading order: problems' order
    size: _Size = field(default_factory=_Size)

    def record(self, record: Record, named: str | None, email: _Email | None = None) -> None:
        """A return read: a verdict for each area it gives, its submissions and problems."""
        found = account(record, self.plan)
        subs = list(found.submissions)
        # a file whose own area could not be told is listed under the area its name gives, its likely
        # sender (the error says what is wrong): that area is not chased for what it sent
        self.files += [_Email.on(email, Verdict(s.file, s.area or named, s.format, s.count(),
                                                found.not_read if i == 0 else 0)) for i, s in enumerate(subs)]
        if self.size.add(record.file, subs):
            self.problems += found.problems
            self.submissions += subs
            self.places += [Place(record.file), *(e.place for e in found.entries if e.fate is Fate.UPDATE)]
        else:  # past a limit: its counts only, and its errors, a few
            self.problems += errors(found.problems)[:_ERRORS_PAST_A_LIMIT]

    def refused(self, file: str, named: str | None, fmt: str, problems: list[Problem],
                email: _Email | None = None) -> None:
        self.problems += problems
        self.files.append(_Email.on(email, Verdict(file, named, fmt, kind=Kind.REFUSED, why=_why(problems))))

    def message(self, path: Path, opened: Opened | InputError, step: Step) -> None:
        """An email: each return attached to it, and what it holds that is not a return; one
        refused line when it cannot be read, or carries no return."""
        fmt = path.suffix[1:].lower()
        if isinstance(opened, InputError):
            self.refused(path.name, _named(self.plan, path), fmt, opened.problems, _Email(path.name))
            return
        m = opened.message
        about = _Email(m.file, "", m.sender.shown, m.sent or "")
        by_message = matching.area_of_message(self.plan, m.sender.address, m.subject, m.stem)
        sender = by_message.name if by_message else None
        if not opened.returns:
            self.refused(m.file, sender, fmt, list(m.aside), about)
            return
        self.problems += m.aside
        for found in opened.returns:
            step(f"reading {found.shown}")
            named = _named(self.plan, Path(found.name)) or sender
            email = replace(about, attachment=found.name)
            if found.record is None:
                self.refused(found.shown, named, found.format, list(found.problems), email)
            else:
                self.record(found.record, named, email)


_ERRORS_PAST_A_LIMIT = 10  # a file's errors kept once the quarter is past a limit


def _named(plan: Plan, path: Path) -> str | None:
    """The area a file's (or folder's) name gives, when it names exactly one."""
    named = matching.area_in_filename(plan, path.stem if path.suffix else path.name)
    return named[0].name if len(named) == 1 else None


def _why(problems: list[Problem]) -> str:
    """What a refused file's first error says, for its line in the returns table."""
    first = errors(problems)[:1] or problems[:1]
    return first[0].message if first else "it cannot be read"


def report(asm: Assembly, version: str, draft: bool = True) -> Report:
    """The document the writers render: the merged quarter with every label derived."""
    q, plan = asm.quarter, asm.plan
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
        timestamp=clock.stamp(q).isoformat(),
        draft=draft,
        templates=tuple((name, t.version or "") for name, t in templates_for(plan).items()),
    )
    return Report(meta, asm.merged.priorities)


def render(rep: Report, folder: Path, step: Step = NO_STEPS) -> tuple[Rendered, list[Problem]]:
    """Write the PDF (which fixes the pagination), then the Word document and the HTML edition;
    the Word template is checked first, so a broken one stops the build before anything is laid out.
    What was written, with the PDF engine's record, and the problems of writing it."""
    from .writers.docx import check_template, write_docx
    from .writers.html import write_html
    from .writers.pdf import PdfJobs

    check_template()
    base = stem(rep.meta.quarter, rep.meta.version)
    pdf, docx, html = folder / f"{base}.pdf", folder / f"{base}.docx", folder / f"{base}.html"
    step("laying out the PDF")
    job = PdfJobs.current().pdf(rep, pdf)  # in a second process when there is one: it writes the PDF as we go on
    pagination = job.pagination()
    step("writing the Word document")
    write_docx(rep, docx, pagination)
    step("writing the HTML edition")
    write_html(rep, html)
    problems = job.problems()
    return Rendered({"pdf": pdf, "docx": docx, "html": html}, job.engine()), problems


def build(asm: Assembly, outputs: Path, reissue: bool = False,
          step: Step = NO_STEPS) -> tuple[Outcome, list[Problem]]:
    """Publish the next version when the content changed; else report it up to date."""
    outline = native.dump(report(asm, "0"))
    found: list[Problem] = []

    def render_version(version: str, tmp: Path) -> Rendered:
        rendered, problems = render(report(asm, version, draft=True), tmp, step)
        found.extend(problems)
        return rendered

    outcome = publish(outputs / asm.quarter.name, asm.quarter.name, outline, fingerprint(asm), render_version,
                      reissue=reissue, warnings=tuple(str(w) for w in asm.warnings), flags=asm.flags)
    return outcome, found


def preview(asm: Assembly, folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    """Render the quarter as it would be built now, marked PREVIEW, into `folder` (replaced
    whole): the newest version's number, no version made, nothing recorded."""
    newest = latest(folder.parent, asm.quarter.name) if folder.parent.is_dir() else None
    rep = report(asm, newest or "0.0", draft=True)
    rep = replace(rep, meta=replace(rep.meta, draft_label="PREVIEW"))
    staging = folder.with_name(f".{folder.name}-new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        rendered, problems = render(rep, staging)
        named = {kind: path.rename(staging / f"{preview_stem(asm.quarter.name)}{path.suffix}")
                 for kind, path in rendered.files.items()}
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {kind: folder / path.name for kind, path in named.items()}, problems


@dataclass(frozen=True)
class Released:
    """A version released to leadership: its number and the files placed, by kind."""

    version: str
    files: dict[str, Path]


def release_newest(asm: Assembly, outputs: Path, who: str) -> Released:
    """Render the newest version without its DRAFT mark, as PDF, Word file and HTML edition,
    under the name leadership sees. Refused when a build now would make a newer version
    (the same test ``build`` makes): what leadership receives is what the returns say."""
    out_dir = outputs / asm.quarter.name
    newest = latest(out_dir, asm.quarter.name)
    if newest is None:
        raise FolderError(f"{asm.quarter.name}: nothing built yet", "run make first, then release what it builds")
    outline, fp = native.dump(report(asm, "0")), fingerprint(asm)
    stale = pending(out_dir, asm.quarter.name, outline, fp)
    if stale is not None:
        since = f"v{stale.version}" + (" (released)" if stale.released else "")
        raise VersionError(f"{asm.quarter.name}: the returns have changed since {since} was built, so make "
                           "would build a new version", "run make first, check what it builds, then release that")
    built = native.load(stored_outline(out_dir, asm.quarter.name, newest), report(asm, newest, draft=False).meta)
    files = release(out_dir, asm.quarter.name, who, lambda version, tmp: render(built, tmp)[0],
                    title=f"{asm.plan.title} {asm.plan.document}", content=content_hash(outline, fp),
                    warnings=tuple(str(w) for w in asm.warnings))
    return Released(newest, files)
