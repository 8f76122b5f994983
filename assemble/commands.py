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

from . import clock, freshness, history, pipeline, returns
from .assembly import Assembly
from .console import Console
from .coverage import coverage
from .errors import AssembleError, FolderError, InternalError, OutputError, UsageError, os_errors, os_problem
from .intake import quarter_folders
from .plans import Plans
from .publish import AlreadyReleased
from .quarter import Quarter, QuarterError, parse_quarter
from .readers import read as read_file
from .writers import report as run_report


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
          read: pipeline.Read = read_file) -> int:
    """Read, check and write the next version; exit 1 with nothing written on errors."""
    quarter = pipeline.quarter_of_folder(folder)
    if _waiting(folder, quarter, plans, console):
        return 0
    with console.progress() as step:
        asm = _assemble(folder, quarter, plans, options, read, step)
        step.pause()
        cov = coverage(asm.submissions, asm.plan)
        console.reading(asm, cov)
        out_dir = options.outputs / quarter.name
        with os_errors(out_dir):
            written = run_report.write(asm, cov, out_dir, clock.stamp(quarter))
        console.result(f"report: {written[0]} (coverage: {written[1].name})")
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
    """Read and check; print everything; write nothing."""
    quarter = pipeline.quarter_of_folder(folder)
    if _waiting(folder, quarter, plans, console):
        return 0
    asm = _assemble(folder, quarter, plans, options, read)
    console.reading(asm, coverage(asm.submissions, asm.plan))
    if _failed(asm, options):
        return _not_built(folder, asm, console)
    console.result(f"{folder}: ready to build")
    return 0


def status(folder: Path, plans: Plans, options: Options, console: Console) -> int:
    """Who has sent: every area the plan expects, what it sent, who to chase."""
    quarter = pipeline.quarter_of_folder(folder)
    if _waiting(folder, quarter, plans, console):
        return 0
    asm = _assemble(folder, quarter, plans, options, read_file)
    console.result(f"{quarter.name}: {quarter.long} ({asm.plan.file})", style="bold")
    console.status(asm)
    return 0


def release(folder: Path, plans: Plans, options: Options, console: Console) -> int:
    """Release the newest version to leadership: its PDF, Word file and HTML edition without the DRAFT mark."""
    quarter = pipeline.quarter_of_folder(folder)
    asm = _assemble(folder, quarter, plans, options, read_file)
    if _failed(asm, options):
        console.reading(asm, coverage(asm.submissions, asm.plan))
        return _not_built(folder, asm, console)
    try:
        with os_errors(options.outputs / quarter.name):
            placed = pipeline.release_newest(asm, options.outputs, options.by or _user())
    except AlreadyReleased as done:
        console.result(f"{quarter.name}: {done.message}; nothing to do")
        return 0
    console.result("released:")
    for path in placed.values():
        console.result(f"  {path}")
    return 0


def preview(folder: Path, plans: Plans, options: Options, console: Console) -> int:
    """The quarter rendered with today's templates into a scratch folder, marked PREVIEW:
    to look at a template change before it makes a version. No version is made."""
    quarter = pipeline.quarter_of_folder(folder)
    if _waiting(folder, quarter, plans, console):
        return 0
    asm = _assemble(folder, quarter, plans, options, read_file)
    if asm.errors:
        console.reading(asm, coverage(asm.submissions, asm.plan))
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
    quarter = parse_quarter(folder.name)
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
    """Build every quarter folder under `inputs` whose returns or templates changed (what `make` runs)."""
    status = 0
    for line in freshness.loose_files(inputs):
        console.error(FolderError(line))
        status = 1
    for folder, quarter in _quarters(inputs, options, console):
        if quarter is None:
            status = 1
            continue
        survey = freshness.survey(quarter, folder, options.outputs, plans, options.strict)
        if survey.state != "stale" and not options.reissue:
            console.result(survey.line)
            continue
        status = max(status, guarded(_builder(folder, plans, options, console), console))
    return status


# --- the pieces ---------------------------------------------------------------------------


def _assemble(folder: Path, quarter: Quarter, plans: Plans, options: Options, read: pipeline.Read,
              step: pipeline.Step = pipeline.NO_STEPS) -> Assembly:
    plan = plans.for_quarter(quarter)
    earlier = history.earlier(options.outputs, quarter)
    return pipeline.assemble(folder, plan, read, step, earlier=earlier)


def _waiting(folder: Path, quarter: Quarter, plans: Plans, console: Console) -> bool:
    """An empty quarter folder: a quarter waiting for returns, not an error."""
    if freshness.returns_in(folder) != []:
        return False
    console.result(freshness.survey(quarter, folder, Path("."), plans, False).line)
    return True


def _quarters(inputs: Path, options: Options, console: Console) -> list[tuple[Path, Quarter | None]]:
    """The quarter folders to build, oldest first; a folder that is not one is named."""
    if not inputs.is_dir():
        raise FolderError(f"{inputs}: no such folder")
    if options.reissue and not options.quarter:
        raise UsageError("a reissue is of one quarter: say which", "make REISSUE=1 QUARTER=2020-21-Q2")
    out: list[tuple[Path, Quarter | None]] = []
    for folder in quarter_folders(inputs):
        if options.quarter and folder.name != options.quarter:
            continue
        try:
            out.append((folder, parse_quarter(folder.name)))
        except QuarterError as exc:
            console.error(FolderError(f"{inputs / folder.name}: {exc.message}"))
            out.append((folder, None))
    if options.quarter and not out:
        raise FolderError(f"{inputs / options.quarter}: no such quarter folder",
                          "make it first (make templates QUARTER=…), or check the name")
    return sorted(out, key=lambda fq: (fq[1] is None, fq[1] or Quarter(0, 1)))


def _builder(folder: Path, plans: Plans, options: Options, console: Console) -> Callable[[], int]:
    return lambda: build(folder, plans, replace(options, quarter=None), console)


def _failed(asm: Assembly, options: Options) -> bool:
    return bool(asm.errors) or (options.strict and bool(asm.warnings))


def _not_built(folder: Path, asm: Assembly, console: Console) -> int:
    what = "errors" if asm.errors else "warnings (--strict)"
    console.notice(f"{folder}: not built: fix the {what} above; no version was written")
    return 1


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on this machine: the manifest still says something
        return "unknown user"
