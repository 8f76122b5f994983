"""The command line as the tests drive it: its arguments in; its exit status and what it
printed on standard output and standard error out (cli.main, in this process)."""

from __future__ import annotations

import io

from assemble.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()
