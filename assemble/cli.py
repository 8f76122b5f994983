"""Command line: arguments, exit codes and what the user reads. No logic.

Exit status: 0 done, 1 the inputs or folders have problems, 2 a usage mistake.
"""

from __future__ import annotations

import argparse
import gc
import getpass
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from . import __version__
from .intake import quarter_folders
from .model import Problem
from . import blanks, coverage, pipeline, runreport
from .pipeline import Assembly, QuarterFolderError, assemble
from .plan import PlanError, load_plan
from .quarter import QuarterError, parse_quarter
from .versions import VersionError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assemble", description="Assemble the Quarterly Update from area submissions.")
    p.add_argument("--version", action="version", version=f"assemble {__version__}")
    p.add_argument("--plan", type=Path, help="the plan file (default: templates/plan.toml)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="read, merge, check and write the Word and PDF outputs")
    b.add_argument("quarter_dir", type=Path, metavar="QUARTER_DIR")
    b.add_argument("--outputs", type=Path, default=Path("outputs"), metavar="DIR")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--reissue", action="store_true", help="start the next major version (v2.0)")

    c = sub.add_parser("check", help="read, merge and check; print every problem; write nothing")
    c.add_argument("quarter_dir", type=Path, metavar="QUARTER_DIR")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")

    r = sub.add_parser("release", help="mark the newest version as sent to leadership; write its final PDF")
    r.add_argument("quarter_dir", type=Path, metavar="QUARTER_DIR")
    r.add_argument("--outputs", type=Path, default=Path("outputs"), metavar="DIR")
    r.add_argument("--by", default=None, metavar="NAME", help="who releases it (default: your user name)")

    t = sub.add_parser("templates", help="write a blank submission template (.xlsx and .docx) per area")
    t.add_argument("quarter_dir", type=Path, metavar="QUARTER_DIR",
                   help="the quarter they are for (a folder name like inputs/2020-21-Q3)")
    t.add_argument("--outputs", type=Path, default=Path("outputs"), metavar="DIR",
                   help="written to DIR/<quarter>/blank-templates/ (default DIR: outputs/)")
    t.add_argument("--overwrite", action="store_true", help="replace templates already there")

    w = sub.add_parser("watch", help="build, then build again whenever a submission lands (Ctrl-C stops)")
    w.add_argument("quarter_dir", type=Path, metavar="QUARTER_DIR")
    w.add_argument("--outputs", type=Path, default=Path("outputs"), metavar="DIR")
    w.add_argument("--strict", action="store_true", help="treat warnings as errors")

    a = sub.add_parser("all", help="build every quarter folder under INPUTS (what `make` runs)")
    a.add_argument("inputs", type=Path, nargs="?", default=Path("inputs"), metavar="INPUTS")
    a.add_argument("--outputs", type=Path, default=Path("outputs"), metavar="DIR")
    a.add_argument("--strict", action="store_true", help="treat warnings as errors")
    a.add_argument("--reissue", action="store_true", help="start the next major version (v2.0)")
    return p


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse: usage mistakes exit 2, --help exits 0
        return int(exc.code or 0)
    return guarded(lambda: _dispatch(args, out), out)


def _dispatch(args, out: TextIO) -> int:
    plan = load_plan(args.plan) if args.plan else load_plan()
    if args.command == "all":
        return _all(args, plan, out)
    if args.command == "templates":
        return _templates(args, plan, out)
    if args.command == "watch":
        from .watch import watch

        return watch(args.quarter_dir, args.outputs, plan, out, strict=args.strict)
    return _one(args.command, args.quarter_dir, args, plan, out)


def guarded(action: Callable[[], int], out: TextIO) -> int:
    """Run a command; every failure becomes one line and exit status 1, never a traceback."""
    try:
        return action()
    except (PlanError, QuarterFolderError, QuarterError, VersionError) as exc:
        print(f"error: {exc}", file=out)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=out)
        return 1
    except Exception as exc:  # the last guard: a user never sees a traceback
        print(f"error: unexpected {type(exc).__name__}: {exc} "
              "(this is a bug in assemble; please report it with the inputs)", file=out)
        return 1


def _one(command: str, folder: Path, args, plan, out: TextIO) -> int:
    asm = assemble(folder, plan)
    _print_reading(asm, out)
    failed = bool(asm.errors) or (getattr(args, "strict", False) and bool(asm.warnings))
    if command == "build":
        out_dir = args.outputs / asm.quarter.name
        written = runreport.write(asm, out_dir, pipeline.timestamp(asm.quarter))
        print(f"report: {written[0]} (coverage: {written[1].name})", file=out)
    if failed:
        what = "errors" if asm.errors else "warnings (--strict)"
        print(f"{folder}: not built: fix the {what} above; no version was written", file=out)
        return 1
    if command == "check":
        print(f"{folder}: ready to build", file=out)
        return 0
    if command == "release":
        who = args.by or _user()
        path = pipeline.release(asm, args.outputs, who)
        print(f"released: {path}", file=out)
        return 0
    outcome = pipeline.build(asm, args.outputs, reissue=getattr(args, "reissue", False))
    if outcome.status == "built":
        from .writers.pdf import font_problems

        for line in font_problems():
            print(line, file=out)
        print(f"built v{outcome.version}:", file=out)
        for f in outcome.files.values():
            print(f"  {f}", file=out)
        if outcome.changes:
            print(f"  {outcome.changes}", file=out)
    for line in outcome.summary:
        print(line, file=out)
    return 0


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on this machine: the manifest still says something
        return "unknown user"


def _print_reading(asm: Assembly, out: TextIO) -> None:
    print(f"{asm.quarter.name}: {asm.quarter.long}, data to {asm.quarter.data_to}", file=out)
    width = max((len(f.file) for f in asm.files), default=0)
    for f in asm.files:
        area = f.area or "(area unknown)"
        print(f"  {f.file:<{width}}  {area:<28} {f.format:<4}  {f.updates:>3} updates", file=out)
    for problem in asm.problems:
        _print_problem(problem, out)
    print(coverage.to_text(asm.coverage), file=out)
    errors, warnings = len(asm.errors), len(asm.warnings)
    print(f"{asm.counts_line()}; {errors} error{'s' * (errors != 1)}, "
          f"{warnings} warning{'s' * (warnings != 1)}", file=out)


def _print_problem(problem: Problem, out: TextIO) -> None:
    print(f"  {problem}", file=out)


def _templates(args, plan, out: TextIO) -> int:
    quarter = parse_quarter(args.quarter_dir.name)
    folder = args.outputs / quarter.name / "blank-templates"
    try:
        paths = blanks.write_blanks(plan, quarter, folder, overwrite=args.overwrite)
    except FileExistsError as exc:
        print(f"error: {exc}; nothing was written (--overwrite replaces them)", file=out)
        return 1
    for path in paths:
        print(f"wrote {path}", file=out)
    return 0


def _all(args, plan, out: TextIO) -> int:
    inputs: Path = args.inputs
    if not inputs.is_dir():
        print(f"error: {inputs}: no such folder", file=out)
        return 1
    status = 0
    folders = quarter_folders(inputs)
    quarters = []
    for folder in folders:
        try:
            quarters.append(parse_quarter(folder.name))
        except QuarterError as exc:
            print(f"error: {inputs / folder.name}: {exc}", file=out)
            status = 1
    loose = sorted(p.name for p in inputs.iterdir()
                   if p.is_file() and not p.name.startswith((".", "~$")))
    if loose:
        newest = max(quarters, key=lambda q: (q.start_year, q.number), default=None)
        where = f"{inputs}/{newest.name}/ or {inputs}/{newest.next().name}/" if newest else f"{inputs}/2020-21-Q2/"
        for name in loose:
            print(f"error: {inputs / name}: not in a quarter folder, so not read; "
                  f"move it into the quarter it reports on, e.g. {where}", file=out)
        status = 1
    for folder in folders:
        if folder.name not in {q.name for q in quarters}:
            continue
        try:
            status = max(status, _one("build", folder, args, plan, out))
        except (QuarterFolderError, QuarterError) as exc:
            print(f"error: {exc}", file=out)
            status = 1
    return status


def run() -> None:
    """The `assemble` command: main(), then leave at once.

    Objects made before the work starts (every imported module) are frozen out
    of the garbage collector's passes, and the interpreter is not torn down at
    exit (about 0.1 s of freeing what the process ends anyway); the outputs are
    closed and synced by then, and only the console needs flushing.
    """
    gc.freeze()
    try:
        status = main()
    except SystemExit as exc:  # pragma: no cover - main returns its status
        status = exc.code if isinstance(exc.code, int) else 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
