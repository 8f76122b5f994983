"""Time warm rebuilds of the sample, stage by stage, as `assemble watch` makes them.

    .venv/bin/python tools/warm.py [ROUNDS]

Builds a copy of the sample in bench/tmp/warm/ once, then ROUNDS times (5) changes
the text of one update in a Word return and builds again in the same process, with the
PDF on two cores and its unchanged parts kept (``PdfJobs.rebuilds``, as watch does).
Prints, for each build, its time and the time spent in the writer's calls: reading and
checking, the PDF's layout (the front, cover and contents, among it), its writing (join,
PDF/UA pass, stamping among it), the Word file and the HTML edition. Not part of
`make bench`, which measures watch from outside (a file landing to the version written).
"""

from __future__ import annotations

import functools
import io
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from make_sample import read_outlines, render  # noqa: E402

from assemble import pipeline  # noqa: E402
from assemble.cli import commands  # noqa: E402
from assemble.cli.console import Console  # noqa: E402
from assemble.plan.plans import Plans  # noqa: E402
from assemble.quarter import parse_quarter  # noqa: E402
from assemble.readers import ReadCache  # noqa: E402
from assemble.writers import docx, html  # noqa: E402
from assemble.writers.pdf import PdfJobs, document, engine, join, pdfua  # noqa: E402

QUARTER = "2020-21-Q2"
SPENT: dict[str, float] = {}


def timed(owner: Any, name: str, label: str) -> None:
    """Wrap owner.name so that the time spent in it adds up under label."""
    real: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(real)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            SPENT[label] = SPENT.get(label, 0.0) + time.perf_counter() - start

    setattr(owner, name, wrapper)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for owner, name, label in [
        (pipeline, "assemble", "read+check"), (document, "lay_out_pdf", "layout"), (engine.Engine, "front", "front"),
        (document.PdfLayout, "write", "pdf write"), (join, "joined", "join"), (pdfua, "finish_pdf", "pdfua"),
        (join, "stamp", "stamp"), (docx, "write_docx", "word"), (html, "write_html", "html"),
    ]:
        timed(owner, name, label)
    root = ROOT / "bench" / "tmp" / "warm"
    shutil.rmtree(root, ignore_errors=True)
    folder = root / "in" / QUARTER
    shutil.copytree(ROOT / "inputs" / QUARTER, folder)
    plan = Plans().for_quarter(parse_quarter("2020-21-Q2"))
    outline = next(o for o in read_outlines(ROOT / "tools" / "sample" / QUARTER) if o.file.endswith(".docx"))
    bullet = outline.first_update()
    assert bullet is not None
    original = bullet.text
    cache = ReadCache()
    options = commands.Options(outputs=root / "out")
    console = Console(io.StringIO(), io.StringIO())
    with PdfJobs.rebuilds():
        for n in range(rounds + 1):
            if n:
                bullet.text = f"{original} (revised {n})"
                (folder / outline.file).write_bytes(render(outline, plan))
            SPENT.clear()
            start = time.perf_counter()
            status = commands.guarded(lambda: commands.build(folder, Plans(), options, console, read=cache), console)
            took = time.perf_counter() - start
            stages = "  ".join(f"{label} {spent:.3f}" for label, spent in SPENT.items())
            print(f"{'cold' if n == 0 else 'warm'} build {took:.3f} s (status {status}): {stages}")


if __name__ == "__main__":
    main()
