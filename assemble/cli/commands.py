"""The commands a user runs, each from its options to an exit status, printing
through a Console. The command line (``cli``) and the warm rebuild loop
(``watch``) both call these; neither knows how the other is made.

Every command builds a quarter with the plan that covers it (``plans``), reads
last quarter's newest version to compare with (``history``), and says what it
did in the words of ``console``. Exit status: 0 done, 1 a problem with the
inputs, folders or files, 2 a mistake in the command itself (``errors``).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .. import clock, folders, pipeline
from ..assembly import Assembly
from ..coverage import Coverage
from ..coverage import of as coverage_of
from ..errors import (
    AssembleError,
    FolderError,
    InternalError,
    OutputError,
    Problem,
    UsageError,
    os_errors,
    os_problem,
)
from ..intake import scan
from ..plan.plans import Plans
from ..quarter import Quarter, QuarterError, parse_quarter
from ..readers import read as read_file
from ..returns import feedback as sent_back
from ..returns import write as returns
from ..verdicts import entry
from ..versions import freshness, history
from ..versions.publish import AlreadyReleased
from ..writers import report as run_report
from .console import Console

Show = Callable[[Assembly, Coverage], None]  # how a build prints what it read


@dataclass(frozen=True)
class Options:
    outputs: Path = Path("outputs")
    strict: bool = False  # warnings count as errors
    reissue: bool = False  # start the next major version
    by: str | None = None  # who releases
    overwrite: bool = False  # templates: replace files already there
    quarter: str | None = None  # all: only this quarter


def guarded(action: Callable[[], int], console: Console, inputs: tuple[str, ...] = ()) -> int:
    """Run a command; every failure becomes one line and an exit status, never a traceback."""
    try:
        return action()
    except AssembleError as exc:
        console.error(exc)
        return exc.exit_status
    except OSError as exc:  # a file or folder the command itself could not use
        problem = os_problem(exc, exc.filename, "use")
        console.error(problem)
        return problem.exit_status
    except KeyboardInterrupt:
        console.notice("interrupted: nothing was written")
        return 1
    except Exception as exc:  # the last guard: a user never sees a traceback
        bug = InternalError(f"unexpected {type(exc).__name__}: {exc}", inputs)
        console.error(bug)
        return bug.exit_status


def build(folder: Path, plans: Plans, options: Options, console: Console,
          read: pipeline.Read = read_file, show: Show | None = None) -> int:
    """Read, check and write the next version; exit 1 with nothing written on errors.
    `show` prints what was read (``console.reading`` unless told otherwise: watch prints changes)."""
    quarter = pipeline.quarter_of_folder(folder)
    if (waiting := _waiting(folder, quarter, plans, options, console)) is not None:
        return waiting
    with console.progress() as step:
        asm = _assemble(folder, quarter, plans, options, read, step)
        step.pause()
        cov = coverage_of(asm)
        (show or console.reading)(asm, cov)
        out_dir = options.outputs / quarter.name
        with os_errors(out_dir):
            written = run_report.write(asm, cov, out_dir, clock.stamp(quarter))
            back = sent_back.write(asm, out_dir)
        console.result(f"report: {written[0]} (coverage: {written[1].name})")
        console.result(back.line())
        if _failed(asm, options):
            freshness.forget(quarter, options.outputs)
            return _not_built(folder, asm, console)
        step.resume()
        with os_errors(out_dir):
            outcome, problems = pipeline.build(asm, options.outputs, reissue=options.reissue, step=step)
    if outcome.status == "built":
        for problem in problems:
            console.problem(problem)
        console.result(f"built v{outcome.version}:")
        for f in outcome.files.values():
            console.result(f"  {f}")
        if outcome.changes:
            console.result(f"  {outcome.changes}")
    for line in outcome.summary:
        console.result(line)
    freshness.record(quarter, folder, options.outputs, plans, options.strict, outcome.version)
    return 0


def check(folder: Path, plans: Plans, options: Options, console: Console,
          read: pipeline.Read = read_file) -> int:
    """Read and check; print everything; write nothing. Fails exactly when a build would:
    on errors (warnings too with --strict), and on a Word template the writer cannot use."""
    quarter = pipeline.quarter_of_folder(folder)
    if (waiting := _waiting(folder, quarter, plans, options, console)) is not None:
        return waiting
    asm = _assemble(folder, quarter, plans, options, read)
    console.reading(asm, coverage_of(asm))
    if _failed(asm, options):
        return _not_built(folder, asm, console)
    from ..writers.docx import check_template

    check_template()
    console.result(f"{folder}: ready to build")
    return 0


def feedback(folder: Path, plans: Plans, options: Options, console: Console) -> int:
    """Each return with a problem sent back: a copy of it with each problem attached where it
    stands, and a text for each area to paste into the reply (``returns.feedback``), into
    outputs/<quarter>/feedback/, as every build writes them; no version is made."""
    quarter = pipeline.quarter_of_folder(folder)
    if (waiting := _waiting(folder, quarter, plans, options, console)) is not None:
        return waiting
    asm = _assemble(folder, quarter, plans, options, read_file)
    for problem in asm.problems:
        console.problem(problem)
    out_dir = options.outputs / quarter.name
    with os_errors(out_dir):
        back = sent_back.write(asm, out_dir)
    console.result(back.line())
    for path in (*back.texts, *back.copies):
        console.result(f"  {path.name}")
    for name, why in back.uncopied.items():
        console.result(f"  {name}: no copy ({why})")
    return 0


def status(folder: Path, plans: Plans, options: Options, console: Console) -> int:
    """Who has sent: every area the plan expects, what it sent (read or not), who to chase."""
    quarter = pipeline.quarter_of_folder(folder)
    if (waiting := _waiting(folder, quarter, plans, options, console)) is not None:
        return waiting
    asm = _assemble(folder, quarter, plans, options, read_file)
    console.result(f"{quarter.name}: {quarter.long} ({asm.plan.file})", style="bold")
    console.status(asm)
    for problem in _turned_away(asm):
        console.problem(problem)
    return 0


def release(folder: Path, plans: Plans, options: Options, console: Console) -> int:
    """Release the newest version to leadership: its PDF, Word file and HTML edition without the
    DRAFT mark. Refused when `make` would build a new version first (the same content test)."""
    quarter = pipeline.quarter_of_folder(folder)
    asm = _assemble(folder, quarter, plans, options, read_file)
    if _failed(asm, options):
        console.reading(asm, coverage_of(asm))
        return _not_built(folder, asm, console)
    try:
        with os_errors(options.outputs / quarter.name):
            released = pipeline.release_newest(asm, options.outputs, options.by or _user())
    except AlreadyReleased as done:
        console.result(f"{quarter.name}: {done.message}; nothing to do")
        return 0
    cov = coverage_of(asm)
    console.released(asm, cov, released.version)
    for path in released.files.values():
        console.result(f"  {path}")
    return 0


def preview(folder: Path, plans: Plans, options: Options, console: Console) -> int:
    """The quarter rendered with today's templates into a scratch folder, marked PREVIEW:
    to look at a template change before it makes a version. No version is made."""
    quarter = pipeline.quarter_of_folder(folder)
    if (waiting := _waiting(folder, quarter, plans, options, console)) is not None:
        return waiting
    asm = _assemble(folder, quarter, plans, options, read_file)
    if asm.errors:
        console.reading(asm, coverage_of(asm))
        return _not_built(folder, asm, console)
    target = options.outputs / quarter.name / "preview"
    with os_errors(target):
        files, problems = pipeline.preview(asm, target)
    for problem in problems:
        console.problem(problem)
    console.result(f"{quarter.name}: a PREVIEW with the current templates (not a version):")
    for path in files.values():
        console.result(f"  {path}")
    return 0


def templates(folder: Path, plans: Plans, options: Options, console: Console) -> int:
    """The quarter's returns for every area: last quarter's updates carried over where
    there were any, blank otherwise; and the quarter's folder, ready for them."""
    quarter = folders.name_quarter(folder.name, folder.parent)
    plan = plans.for_quarter(quarter)
    target = options.outputs / quarter.name / "returns"
    earlier = history.earlier(options.outputs, quarter)
    sent = history.sent(options.outputs, quarter.previous())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        paths = returns.write_returns(plan, quarter, target, earlier, sent, overwrite=options.overwrite)
    except FileExistsError as exc:
        raise OutputError(f"{exc}; nothing was written", "--overwrite replaces them") from None
    except OSError as exc:
        raise os_problem(exc, exc.filename or target) from None
    carried = f"pre-filled from {earlier.quarter} v{earlier.version}" if earlier \
        else "blank (no earlier quarter was built)"
    console.result(f"{quarter.name}: {len(paths)} returns, {carried}, in {target}")
    for path in paths:
        console.result(f"  {path.name}")
    console.result(f"send each area its return; put what comes back in {folder}")
    return 0


def build_all(inputs: Path, plans: Plans, options: Options, console: Console) -> int:
    """Build every quarter folder under `inputs` whose returns or templates changed (what `make` runs).

    A file left loose in `inputs` is named by the build of the newest quarter, which is
    built again to say so (as check and status say it); when that quarter is not built in
    this run, it is named here."""
    status = 0
    picked = _quarters(inputs, options, console)
    loose = folders.loose(inputs)
    newest = folders.newest(inputs)
    building: list[Path] = []
    for folder, quarter in picked:
        if quarter is None:
            status = 1
            continue
        survey = freshness.survey(quarter, folder, options.outputs, plans, options.strict)
        again = survey.state == "fresh" and bool(loose) and folder == newest
        if survey.state != "stale" and not again and not options.reissue:
            console.result(survey.line)
            continue
        building.append(folder)
    if newest not in building:
        for found in loose:
            console.problem(found.problem)
        if options.strict and loose:
            status = 1
    for folder in building:
        status = max(status, guarded(_builder(folder, plans, options, console), console))
    return status


# --- the pieces ---------------------------------------------------------------------------


def _assemble(folder: Path, quarter: Quarter, plans: Plans, options: Options, read: pipeline.Read,
              step: pipeline.Step = pipeline.NO_STEPS) -> Assembly:
    plan = plans.for_quarter(quarter)
    earlier = history.earlier(options.outputs, quarter)
    return pipeline.assemble(folder, plan, read, step, earlier=earlier)


def _waiting(folder: Path, quarter: Quarter, plans: Plans, options: Options, console: Console) -> int | None:
    """An empty quarter folder: a quarter waiting for returns, not an error; its exit status,
    or None when the folder holds something. Files loose in the inputs folder above it are
    still named (with --strict, they fail it)."""
    if not scan(folder).empty:
        return None
    console.result(freshness.survey(quarter, folder, Path("."), plans, False).line)
    loose = folders.loose_for(folder)
    for found in loose:
        console.problem(found.problem)
    return 1 if options.strict and loose else 0


def _quarters(inputs: Path, options: Options, console: Console) -> list[tuple[Path, Quarter | None]]:
    """The quarter folders to build, oldest first; a folder that is not one is named."""
    if not inputs.is_dir():
        raise FolderError(f"{inputs}: no such folder")
    if options.reissue and not options.quarter:
        raise UsageError("a reissue is of one quarter: say which", "make REISSUE=1 QUARTER=2020-21-Q2")
    if options.quarter:
        folders.name_quarter(options.quarter, inputs)
    out: list[tuple[Path, Quarter | None]] = []
    for folder in folders.quarter_folders(inputs):
        if options.quarter and folder.name != options.quarter:
            continue
        try:
            out.append((folder, parse_quarter(folder.name)))
        except QuarterError as exc:
            console.error(FolderError(f"{inputs / folder.name}: {exc.message}"))
            out.append((folder, None))
    if options.quarter and not out:
        raise folders.missing(options.quarter, inputs)
    return sorted(out, key=lambda fq: (fq[1] is None, fq[1] or Quarter(0, 1)))


def _builder(folder: Path, plans: Plans, options: Options, console: Console) -> Callable[[], int]:
    return lambda: build(folder, plans, replace(options, quarter=None), console)


def _failed(asm: Assembly, options: Options) -> bool:
    return bool(asm.errors) or (options.strict and bool(asm.warnings))


def _not_built(folder: Path, asm: Assembly, console: Console) -> int:
    what = "errors" if asm.errors else "warnings (--strict)"
    console.notice(f"{folder}: not built: fix the {what} above; no version was written")
    return 1


def _turned_away(asm: Assembly) -> list[Problem]:
    """The problems of what was sent and not read (refused, misfiled): status names them (an email
    refused for what it holds, each of those)."""
    unread = {v.file for v in asm.files if not v.read}
    return [p for p in asm.problems
            if p.place is not None and (p.place.file in unread or entry(p.place.file) in unread)]


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on this machine: the manifest still says something
        return "unknown user"
