"""The command line: arguments in, an exit status out. The commands themselves are
in ``commands``; what they print goes through ``console``.

``assemble all`` first asks ``freshness`` whether any quarter needs building,
without loading a reader, a writer or the console: that is what keeps a
``make`` with nothing to do quick.

Exit status: 0 done, 1 the inputs or folders have problems, 2 a usage mistake.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from .. import __version__
from . import speedups

if TYPE_CHECKING:
    from ..plan.plans import Plans
    from .commands import Options
    from .console import Console

RENDERING = frozenset({"build", "release", "watch", "all", "preview"})  # commands that lay out a PDF


QUARTER_HELP = ("the quarter's folder, e.g. inputs/2020-21-Q3, or its name alone (2020-21-Q3 means "
                "inputs/2020-21-Q3)")
WRITES = {  # what each command writes, for its --help
    "build": "the next version's PDF, Word file and HTML edition (a draft), its outline and change log, "
             "report.md and coverage.xlsx, into DIR/<quarter>/ (no version when the content is unchanged); "
             "and what feedback writes, on errors too",
    "feedback": "DIR/<quarter>/feedback/, replaced whole: for each return with a problem, a copy of it with "
                "each problem as a Word comment or an Excel note where it stands, and for each area with a "
                "problem a text to paste into the reply (what was read, what to fix, what is attached)",
    "check": "nothing",
    "status": "nothing",
    "release": "the newest version's PDF, Word file and HTML edition without the DRAFT mark, under the name "
               "leadership sees, into DIR/<quarter>/, and who released it in its manifest",
    "preview": "the quarter's PDF, Word file and HTML edition marked PREVIEW into DIR/<quarter>/preview/ "
               "(replaced each time); no version",
    "templates": "the quarter's folder (QUARTER_DIR), and each area's return into DIR/<quarter>/returns/",
    "watch": "what build writes, each time the folder changes",
    "all": "what build writes, for every quarter that changed",
}


def _parser() -> argparse.ArgumentParser:
    plan = argparse.ArgumentParser(add_help=False)
    plan.add_argument("--plan", type=Path, default=argparse.SUPPRESS, metavar="FILE",
                      help="build with this plan file instead of the one in templates/plans/ covering the quarter "
                           "(default: that one)")
    p = argparse.ArgumentParser(prog="assemble", parents=[plan],
                                description="Assemble the Quarterly Update from area submissions.")
    p.add_argument("--version", action="version", version=f"assemble {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, does: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=does, parents=[plan], description=f"{does[0].upper()}{does[1:]}. "
                           f"Writes: {WRITES[name]}.")
        c.add_argument("quarter_dir", type=Path, metavar="QUARTER_DIR", help=QUARTER_HELP)
        return c

    def outputs(c: argparse.ArgumentParser, help: str = "where the outputs go (default: outputs/)") -> None:
        c.add_argument("--outputs", type=Path, default=Path("outputs"), metavar="DIR", help=help)

    def strict(c: argparse.ArgumentParser) -> None:
        c.add_argument("--strict", action="store_true", help="treat warnings as errors (default: off)")

    def reissue(c: argparse.ArgumentParser) -> None:
        c.add_argument("--reissue", action="store_true",
                       help="start the next major version (v2.0) even when nothing changed (default: off)")

    b = command("build", "read, merge, check and write the next version: PDF, Word file and HTML edition")
    outputs(b)
    strict(b)
    reissue(b)
    c = command("check", "read, merge and check; print every problem; write nothing")
    outputs(c, "where earlier quarters' outputs are, to compare with (default: outputs/)")
    strict(c)
    f = command("feedback", "send back each return with a problem: a copy with the problems in it, and a text "
                            "for the reply")
    outputs(f, "written to DIR/<quarter>/feedback/ (default DIR: outputs/)")
    s = command("status", "who has sent: each area the plan expects, what it sent, who has not")
    outputs(s, "where earlier quarters' outputs are (default: outputs/)")
    r = command("release", "release the newest version to leadership: its PDF, Word file and HTML edition "
                           "without the DRAFT mark")
    outputs(r)
    r.add_argument("--by", default=None, metavar="NAME", help="who releases it (default: your user name)")
    v = command("preview", "render the quarter with the current templates, marked PREVIEW, without a version")
    outputs(v, "written to DIR/<quarter>/preview/ (default DIR: outputs/)")
    t = command("templates", "make the quarter's folder and write each area's return for it")
    outputs(t, "written to DIR/<quarter>/returns/ (default DIR: outputs/)")
    t.add_argument("--overwrite", action="store_true", help="replace returns already written there (default: off)")
    w = command("watch", "build, then build again whenever a return lands (Ctrl-C stops)")
    outputs(w)
    strict(w)
    w.add_argument("--poll", action="store_true",
                   help="look at the folder every 0.3 s, for network shares (default: the system's notifications)")
    does = "build every quarter under INPUTS whose returns or templates changed (what `make` runs)"
    a = sub.add_parser("all", parents=[plan], help=does, description=f"{does[0].upper()}{does[1:]}. "
                       f"Writes: {WRITES['all']}.")
    a.add_argument("inputs", type=Path, nargs="?", default=Path("inputs"), metavar="INPUTS",
                   help="the folder holding the quarter folders (default: inputs)")
    a.add_argument("--quarter", default=None, metavar="QUARTER",
                   help="only this quarter, by name, e.g. 2020-21-Q2 (default: every quarter)")
    outputs(a)
    strict(a)
    reissue(a)
    return p


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None,
         before: Callable[[str], AbstractContextManager[object]] | None = None) -> int:
    """Run one command; in the context `before(command)` gives, entered once the arguments
    are understood, when there is one."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse: usage mistakes exit 2 (it printed why), --help exits 0
        return int(exc.code or 0)
    if args.command == "all" and (quick := _quick(args)) is not None:
        for line in quick:
            print(line, file=out or sys.stdout)
        return 0
    with ExitStack() as context:
        if before is not None:
            context.enter_context(before(args.command))
        from .commands import guarded
        from .console import Console

        console = Console(out, err)
        return guarded(lambda: _dispatch(args, console), console)


def _quick(args: argparse.Namespace) -> list[str] | None:
    """The lines of an `assemble all` with nothing to build, or None (then it runs in full)."""
    from ..errors import AssembleError
    from ..versions.freshness import quick_all

    try:
        return quick_all(args.inputs, args.outputs, _plans(args), strict=args.strict, reissue=args.reissue,
                         only=args.quarter)
    except (AssembleError, OSError):
        return None  # the full run says what is wrong


def _plans(args: argparse.Namespace) -> Plans:
    from ..plan.plans import Plans

    return Plans(only=getattr(args, "plan", None))


def _options(args: argparse.Namespace) -> Options:
    from .commands import Options

    return Options(
        outputs=getattr(args, "outputs", Path("outputs")),
        strict=getattr(args, "strict", False),
        reissue=getattr(args, "reissue", False),
        by=getattr(args, "by", None),
        overwrite=getattr(args, "overwrite", False),
        quarter=getattr(args, "quarter", None),
    )


def _dispatch(args: argparse.Namespace, console: Console) -> int:
    from . import commands

    plans, options = _plans(args), _options(args)
    if args.command == "all":
        return commands.build_all(args.inputs, plans, options, console)
    from ..folders import locate, named

    # templates makes the folder: only its name must be a quarter's
    folder = named(args.quarter_dir) if args.command == "templates" else locate(args.quarter_dir)
    if args.command == "watch":
        from .watch import watch

        return watch(folder, plans, options, console, poll=args.poll)
    run: dict[str, Callable[[Path, Plans, commands.Options, Console], int]] = {
        "build": commands.build,
        "check": commands.check,
        "feedback": commands.feedback,
        "status": commands.status,
        "release": commands.release,
        "preview": commands.preview,
        "templates": commands.templates,
    }
    return run[args.command](folder, plans, options, console)


def run() -> NoReturn:
    """The `assemble` command: main() with the measured speed-ups (``speedups``), then leave."""
    status = main(before=lambda command: speedups.prepare(render=command in RENDERING,
                                                          once=command in RENDERING - {"watch"}))
    speedups.leave(status)


if __name__ == "__main__":
    run()
