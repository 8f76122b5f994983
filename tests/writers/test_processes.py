"""Work in another process (assemble/writers/pdf/processes.py): one failure protocol,
which carries a problem's kind across, for the forked layout processes and the PDF
worker (tests/writers/test_jobs.py) alike."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from assemble.errors import (
    AssembleError,
    InputError,
    InternalError,
    Place,
    PlanError,
    TemplateError,
    UsageError,
    error,
)
from assemble.versions.publish import AlreadyReleased
from assemble.writers.pdf import document, processes, windows
from assemble.writers.pdf.engine import Engine
from assemble.writers.pdf.processes import Forked, failure, rebuilt

from ..present import there

NORTH = error("the table has no heading row", Place("north.docx", "table 2"), hint="add one")


def across(exc: BaseException) -> BaseException:
    """An exception as it comes back from another process: its failure pickled, as the pipe
    carries it, and raised again."""
    import pickle

    return rebuilt(pickle.loads(pickle.dumps(failure(exc))), "the work")


@pytest.mark.parametrize("exc", [
    InputError([NORTH]),
    PlanError("plans/x.toml: the plan cannot be used: 1 problem", "fix it", [NORTH]),
    TemplateError("refused to load file:///etc/passwd", "the layout templates may use only files under templates/"),
    UsageError("say which quarter"),
    InternalError("the parts are not the pages counted", ["north.docx"]),
    AlreadyReleased("v1.1 was already released", "a new version supersedes it"),
], ids=lambda exc: type(exc).__name__)
def test_an_assemble_error_comes_back_as_itself(exc):
    back = across(exc)
    assert type(back) is type(exc)
    assert isinstance(back, AssembleError) and isinstance(exc, AssembleError)
    assert (back.message, back.hint, back.exit_status, back.lines()) == (exc.message, exc.hint, exc.exit_status,
                                                                          exc.lines())
    assert getattr(back, "problems", None) == getattr(exc, "problems", None)


def test_an_os_error_comes_back_with_its_errno_and_path():
    back = across(FileNotFoundError(errno.ENOENT, "No such file or directory", "/out/x.pdf"))
    assert isinstance(back, FileNotFoundError)
    assert (back.errno, back.filename) == (errno.ENOENT, "/out/x.pdf")


def test_anything_else_comes_back_as_a_bug_naming_it():
    back = across(KeyError("commitment-9-9"))
    assert type(back) is InternalError
    assert back.message == "the work failed: KeyError: 'commitment-9-9'"


def test_what_fails_in_forked_work_is_raised_here_as_itself():
    def work(channel):
        channel.send("started")
        raise InputError([NORTH])

    process = Forked(work, "the work")
    assert process.receive("started") == ("started", None)
    with pytest.raises(InputError) as raised:
        process.receive("done")
    assert there(raised.value.problems[0].place).file == "north.docx"


def test_work_that_ends_without_a_word_is_a_bug():
    process = Forked(lambda channel: os._exit(3), "the work")
    with pytest.raises(InternalError, match="the work ended without a word"):
        process.receive("done")


def test_work_let_go_of_ends_quietly():
    def work(channel):
        channel.receive()  # Gone, once this side is done sending: the work ends here, quietly
        channel.send("never")

    process = Forked(work, "the work")
    process.done_sending()
    _, status = os.waitpid(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    with pytest.raises(InternalError, match="ended without a word"):  # it sent nothing, not even a failure
        process.receive("never")


def test_a_quarters_error_raised_in_a_layout_process_comes_back_as_itself(monkeypatch):
    """The layout processes lay out the body while this one waits: an InputError raised
    there is raised here as an InputError with its problems, not as a bug."""
    from .test_pdf import SMALL, report_from

    here = os.getpid()
    real = windows.lay_out_share

    def failing(*args):
        if os.getpid() != here:  # only in a layout process: here the real layout would go on
            raise InputError([NORTH])
        return real(*args)

    monkeypatch.setattr(windows, "lay_out_share", failing)
    with pytest.raises(InputError) as raised:
        document.lay_out_pdf(report_from(SMALL), processes=2)
    (problem,) = raised.value.problems
    assert problem.place is not None and problem.place.file == "north.docx"
    assert "no heading row" in problem.message


def test_a_layout_that_fails_leaves_no_layout_process(monkeypatch):
    from .test_pdf import SMALL, report_from

    started: list[int] = []
    real = processes.Forked.__init__

    def recorded(self, *args, **kwargs):
        real(self, *args, **kwargs)  # a forked process never comes back from this
        started.append(self.pid)

    def broken(self, ranges):
        raise TemplateError("the contents would not lay out", "fix the template")

    monkeypatch.setattr(processes.Forked, "__init__", recorded)
    monkeypatch.setattr(Engine, "front", broken)
    with pytest.raises(TemplateError):
        document.lay_out_pdf(report_from(SMALL), processes=3)
    assert len(started) == 3
    for pid in started:  # each ended, and waited for
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_the_protocol_is_the_only_one():
    """No other module forks, pipes or pickles its own way to a process."""
    package = Path(processes.__file__).resolve().parents[2]
    others = [path.relative_to(package).as_posix() for path in package.rglob("*.py")
              if path != Path(processes.__file__).resolve()
              and any(word in path.read_text(encoding="utf-8")
                      for word in ("os.fork(", "os.pipe(", "multiprocessing.Pipe", ".Process(", "pickle.dumps"))]
    assert others == []
