"""The command line: arguments in, an exit status out. The commands themselves are
in ``commands``; what they print goes through ``console``.

Exit status: 0 done, 1 the inputs or folders have problems, 2 a usage mistake.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__, commands, speedups
from .console import Console
from .plan import load_plan

RENDERING = frozenset({"build", "release", "watch", "all"})  # commands that lay out a PDF


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assemble",
                                description="Assemble the Quarterly Update from area submissions.")
    p.add_argument("--version", action="version", version=f"assemble {__version__}")
    p.add_argument("--plan", type=Path, help="the plan file (default: templates/plan.toml)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help)
        c.add_argument("quarter_dir", type=Path, metavar="QUARTER_DIR")
        return c

    def outputs(c: argparse.ArgumentParser, help: str = "where the outputs go (default: outputs/)") -> None:
        c.add_argument("--outputs", type=Path, default=Path("outputs"), metavar="DIR", help=help)

    def strict(c: argparse.ArgumentParser) -> None:
        c.add_argument("--strict", action="store_true", help="treat warnings as errors")

    def reissue(c: argparse.ArgumentParser) -> None:
        c.add_argument("--reissue", action="store_true", help="start the next major version (v2.0)")

    b = command("build", "read, merge, check and write the Word and PDF outputs")
    outputs(b)
    strict(b)
    reissue(b)
    c = command("check", "read, merge and check; print every problem; write nothing")
    strict(c)
    r = command("release", "mark the newest version as sent to leadership; write its final PDF")
    outputs(r)
    r.add_argument("--by", default=None, metavar="NAME", help="who releases it (default: your user name)")
    t = sub.add_parser("templates", help="write a blank submission template (.xlsx and .docx) per area")
    t.add_argument("quarter_dir", type=Path, metavar="QUARTER_DIR",
                   help="the quarter they are for (a folder name like inputs/2020-21-Q3)")
    outputs(t, "written to DIR/<quarter>/blank-templates/ (default DIR: outputs/)")
    t.add_argument("--overwrite", action="store_true", help="replace templates already there")
    w = command("watch", "build, then build again whenever a submission lands (Ctrl-C stops)")
    outputs(w)
    strict(w)
    w.add_argument("--poll", action="store_true", help="look at the folder every 0.3 s (for network shares)")
    a = sub.add_parser("all", help="build every quarter folder under INPUTS (what `make` runs)")
    a.add_argument("inputs", type=Path, nargs="?", default=Path("inputs"), metavar="INPUTS")
    outputs(a)
    strict(a)
    reissue(a)
    return p


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None,
         before: Callable[[str], None] | None = None) -> int:
    """Run one command; `before(command)` is called once the arguments are understood."""
    console = Console(out, err)
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse: usage mistakes exit 2 (it printed why), --help exits 0
        return int(exc.code or 0)
    if before is not None:
        before(args.command)
    return commands.guarded(lambda: _dispatch(args, console), console)


def _dispatch(args: argparse.Namespace, console: Console) -> int:
    plan = load_plan(args.plan) if args.plan else load_plan()
    options = commands.Options(
        outputs=getattr(args, "outputs", Path("outputs")),
        strict=getattr(args, "strict", False),
        reissue=getattr(args, "reissue", False),
        by=getattr(args, "by", None),
        overwrite=getattr(args, "overwrite", False),
    )
    if args.command == "all":
        return commands.build_all(args.inputs, plan, options, console)
    if args.command == "watch":
        from .watch import watch

        return watch(args.quarter_dir, plan, options, console, poll=args.poll)
    run: dict[str, Callable[[], int]] = {
        "build": lambda: commands.build(args.quarter_dir, plan, options, console),
        "check": lambda: commands.check(args.quarter_dir, plan, options, console),
        "release": lambda: commands.release(args.quarter_dir, plan, options, console),
        "templates": lambda: commands.templates(args.quarter_dir, plan, options, console),
    }
    return run[args.command]()


def run() -> NoReturn:
    """The `assemble` command: main() with the measured speed-ups (``speedups``), then leave."""
    status = main(before=lambda command: speedups.prepare(render=command in RENDERING))
    speedups.leave(status)


if __name__ == "__main__":
    run()
