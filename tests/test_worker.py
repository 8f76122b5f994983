"""The PDF worker: the same PDF as in this process, its failures raised here as they would
have been, and it ends when it is given nothing. Each case runs in a process of its own
(the worker forks it), never in the test runner's."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
import errno, os, sys
from dataclasses import replace
from pathlib import Path
from assemble import native, worker
from tests.meta import META
sample = native.load(Path("tests/golden/2020-21-Q2.native").read_text(encoding="utf-8"), replace(META, draft=True))
report = replace(sample, priorities=sample.priorities[:1])  # the sample's first priority: 5 pages
out = Path(sys.argv[1])
"""


def run(code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    script = SETUP + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script, str(folder)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_worker_writes_the_pdf_this_process_would(tmp_path):
    result = run("""
        assert worker.start()
        job = worker.pdf(report, out / "worker.pdf")
        pagination = job.pagination()
        problems = job.problems()
        here = worker.pdf(report, out / "here.pdf")  # the worker served one PDF: this one is laid out here
        assert here.pagination() == pagination and here.problems() == problems == []
        print(pagination.pages)
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5"]
    assert (tmp_path / "worker.pdf").read_bytes() == (tmp_path / "here.pdf").read_bytes()


def test_what_fails_in_the_worker_is_raised_here(tmp_path):
    result = run("""
        assert worker.start()
        job = worker.pdf(report, out / "no such folder" / "x.pdf")
        job.pagination()
        try:
            job.problems()
        except OSError as exc:
            print(errno.errorcode[exc.errno], Path(exc.filename).name)
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ENOENT", "x.pdf"]


def test_a_worker_given_nothing_ends(tmp_path):
    result = run("""
        import os
        assert worker.start()
        (w,) = worker._started
        w.process.done_sending()
        pid, status = os.waitpid(w.process.pid, 0)
        print(os.waitstatus_to_exitcode(status))
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0"]


def test_a_quarters_error_raised_in_the_worker_comes_back_as_itself(tmp_path):
    """An InputError (with its problems) or a TemplateError (with its hint) raised where the
    worker lays the PDF out is raised here as itself, not as a bug."""
    result = run("""
        from assemble.errors import InputError, Place, TemplateError, error
        from assemble.writers.pdf import document

        here = os.getpid()
        for exc in [InputError([error("the table has no heading row", Place("north.docx", "table 2"))]),
                    TemplateError("refused to load file:///etc/passwd", "use only files under templates/")]:
            def failing(*args, exc=exc, **kwargs):
                assert os.getpid() != here, "laid out here, not in the worker"
                raise exc

            document.lay_out_pdf = failing  # the worker, forked after this, lays out with it
            assert worker.start()
            job = worker.pdf(report, out / "x.pdf")
            try:
                job.pagination()
            except (InputError, TemplateError) as exc:
                print(type(exc).__name__, exc.exit_status, exc.hint or "-",
                      *[p.place.file for p in getattr(exc, "problems", [])])
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["InputError 1 - north.docx",
                                          "TemplateError 1 use only files under templates/"]
