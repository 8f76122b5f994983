"""A command's PDF jobs (assemble/writers/pdf/jobs.py): the worker writes the same PDF as
this process would, its failures are raised here as they would have been, it ends when it
is given nothing or the command ends; and what a command holds is held by the context it
enters, not by a module. The worker's cases run in a process of their own (the worker
forks it), never in the test runner's."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from assemble.writers.pdf import PdfJobs

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import errno, os, sys
from dataclasses import replace
from pathlib import Path
from assemble.versions import native
from assemble.writers.pdf import PdfJobs
from tests.meta import META
from tests.quarters import GOLDEN
sample = native.load(GOLDEN.read_text(encoding="utf-8"), replace(META, draft=True))
report = replace(sample, priorities=sample.priorities[:1])  # the sample's first priority: 5 pages
out = Path(sys.argv[1])
jobs = PdfJobs()
"""


def run(code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    script = SETUP + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script, str(folder)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_worker_writes_the_pdf_this_process_would(tmp_path):
    result = run("""
        assert jobs.start()
        job = jobs.pdf(report, out / "worker.pdf")
        pagination = job.pagination()
        problems = job.problems()
        here = jobs.pdf(report, out / "here.pdf")  # the worker served one PDF: this one is laid out here
        assert here.pagination() == pagination and here.problems() == problems == []
        assert job.engine() == here.engine() and job.engine().pango  # what the worker wrote it with
        print(pagination.pages)
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5"]
    assert (tmp_path / "worker.pdf").read_bytes() == (tmp_path / "here.pdf").read_bytes()


def test_what_fails_in_the_worker_is_raised_here(tmp_path):
    result = run("""
        assert jobs.start()
        job = jobs.pdf(report, out / "no such folder" / "x.pdf")
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
        assert jobs.start()
        process = jobs._worker.process
        process.done_sending()
        pid, status = os.waitpid(process.pid, 0)
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
            assert jobs.start()
            job = jobs.pdf(report, out / "x.pdf")
            try:
                job.pagination()
            except (InputError, TemplateError) as exc:
                print(type(exc).__name__, exc.exit_status, exc.hint or "-",
                      *[p.place.file for p in getattr(exc, "problems", [])])
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["InputError 1 - north.docx",
                                          "TemplateError 1 use only files under templates/"]


def test_the_jobs_a_command_entered_are_the_current_ones_until_it_leaves():
    from assemble.writers.pdf.cache import LayoutCache

    outside = PdfJobs.current()
    assert (outside.processes, outside.cache) == (1, None)  # here, keeping nothing
    with PdfJobs.rebuilds() as watching:
        assert PdfJobs.current() is watching and isinstance(watching.cache, LayoutCache)
        with PdfJobs() as inner:
            assert PdfJobs.current() is inner
        assert PdfJobs.current() is watching
    after = PdfJobs.current()
    assert after is not watching and (after.processes, after.cache) == (1, None)


def test_leaving_the_command_ends_the_worker_it_did_not_use(tmp_path):
    result = run("""
        import os
        with PdfJobs() as command:
            assert command.start()
            pid = command._worker.process.pid
        try:
            os.waitpid(pid, os.WNOHANG)
            print("still there")
        except ChildProcessError:
            print("ended")
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ended"]
