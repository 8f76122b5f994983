"""The commands a user runs, each from its options to an exit status, printing
through a Console. The command line (``cli``) and the warm rebuild loop
(``watch``) both call these; neither knows how the other is made.

Exit status: 0 done, 1 a problem with the inputs, folders or files, 2 a mistake
in the command itself (``errors``).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import clock, pipeline, returns
from .console import Console
from .coverage import coverage
from .errors import AssembleError, FolderError, InternalError, OutputError, os_errors, os_problem
from .intake import quarter_folders
from .model import Assembly
from .plan import Plan
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


def build(folder: Path, plan: Plan, options: Options, console: Console,
          read: pipeline.Read = read_file) -> int:
    """Read, check and write the next version; exit 1 with nothing written on errors."""
    with console.progress() as step:
        asm = pipeline.assemble(folder, plan, read, step)
        step.pause()
        cov = coverage(asm.submissions, asm.plan)
        console.reading(asm, cov)
        out_dir = options.outputs / asm.quarter.name
        with os_errors(out_dir):
            written = run_report.write(asm, cov, out_dir, clock.stamp(asm.quarter))
        console.result(f"report: {written[0]} (coverage: {written[1].name})")
        if _failed(asm, options):
            return _not_built(folder, asm, console)
        step.resume()
        with os_errors(out_dir):
            outcome, problems = pipeline.build(asm, options.outputs, reissue=options.reissue, step=step)
    if outcome.status == "built":
        from .writers.pdf import font_problems

        for problem in problems + font_problems():
            console.problem(problem)
        console.result(f"built v{outcome.version}:")
        for f in outcome.files.values():
            console.result(f"  {f}")
        if outcome.changes:
            console.result(f"  {outcome.changes}")
    for line in outcome.summary:
        console.result(line)
    return 0


def check(folder: Path, plan: Plan, options: Options, console: Console,
          read: pipeline.Read = read_file) -> int:
    """Read and check; print everything; write nothing."""
    asm = _assemble(folder, plan, console, read)
    if _failed(asm, options):
        return _not_built(folder, asm, console)
    console.result(f"{folder}: ready to build")
    return 0


def release(folder: Path, plan: Plan, options: Options, console: Console) -> int:
    """Release the newest version to leadership: its PDF without the DRAFT mark."""
    asm = _assemble(folder, plan, console, read_file)
    if _failed(asm, options):
        return _not_built(folder, asm, console)
    with os_errors(options.outputs / asm.quarter.name):
        path = pipeline.release_newest(asm, options.outputs, options.by or _user())
    console.result(f"released: {path}")
    return 0


def templates(folder: Path, plan: Plan, options: Options, console: Console) -> int:
    """Blank returns for every area of the plan, for the quarter `folder` names."""
    quarter = parse_quarter(folder.name)
    target = options.outputs / quarter.name / "blank-templates"
    try:
        paths = returns.write_blanks(plan, quarter, target, overwrite=options.overwrite)
    except FileExistsError as exc:
        raise OutputError(f"{exc}; nothing was written", "--overwrite replaces them") from None
    except OSError as exc:
        raise os_problem(exc, exc.filename or target) from None
    for path in paths:
        console.result(f"wrote {path}")
    return 0


def build_all(inputs: Path, plan: Plan, options: Options, console: Console) -> int:
    """Build every quarter folder under `inputs` (what `make` runs)."""
    if not inputs.is_dir():
        raise FolderError(f"{inputs}: no such folder")
    status = 0
    folders = quarter_folders(inputs)
    quarters: dict[str, Quarter] = {}
    for folder in folders:
        try:
            quarters[folder.name] = parse_quarter(folder.name)
        except QuarterError as exc:
            console.error(FolderError(f"{inputs / folder.name}: {exc.message}"))
            status = 1
    loose = sorted(p.name for p in inputs.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    if loose:
        newest = max(quarters.values(), default=None)
        where = f"{inputs}/{newest.name}/ or {inputs}/{newest.next().name}/" if newest else f"{inputs}/2020-21-Q2/"
        for name in loose:
            console.error(FolderError(f"{inputs / name}: not in a quarter folder, so not read; "
                                      f"move it into the quarter it reports on, e.g. {where}"))
        status = 1
    for folder in folders:
        if folder.name in quarters:
            status = max(status, guarded(_builder(folder, plan, options, console), console))
    return status


# --- the pieces ---------------------------------------------------------------------------


def _builder(folder: Path, plan: Plan, options: Options, console: Console) -> Callable[[], int]:
    return lambda: build(folder, plan, options, console)


def _assemble(folder: Path, plan: Plan, console: Console, read: pipeline.Read) -> Assembly:
    asm = pipeline.assemble(folder, plan, read)
    console.reading(asm, coverage(asm.submissions, asm.plan))
    return asm


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
