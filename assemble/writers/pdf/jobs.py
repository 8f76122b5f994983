"""Turn a command's reports into PDFs: laid out in this process, or by a second process
started ahead (the worker), with the layout settings and cache the command owns.

A command holds one ``PdfJobs``, entered as a context for as long as it runs
(``speedups.prepare`` enters the console's, ``PdfJobs.rebuilds`` the one ``watch``
keeps), and ``PdfJobs.current()`` is that one (``pipeline.render`` asks it), or else one
that lays out in this process alone, keeping nothing. It says in how many processes each
PDF's body is laid out (``on_cores``), holds what is kept of earlier builds' layouts
(``rebuilds``), and the worker, when one was started. Nothing of it outlives the command:
leaving the context ends a worker it started.

``start()`` forks the worker (only the console entry point calls it, through
``speedups``, for a command that renders once): it imports the PDF engine and loads its
fonts while this process reads and checks the returns. ``pdf(report, path)`` hands it
the report; ``pagination()`` comes back as soon as the layout is done (the Word file
needs its page ranges), ``problems()`` once the PDF is written, and ``engine()``, what
no lock can pin but the PDF's bytes depend on (``record``). The worker serves one
PDF and ends; without one (tests, ``watch``, ``ASSEMBLE_NO_SPEEDUPS``, one core, or
a second PDF in a run), the same calls lay the PDF out in this process. The bytes
are the same either way.

What goes wrong in the worker comes back as it would have been raised here
(``processes``, the one way work runs in another process): an ``AssembleError`` as the
same kind, an ``OSError`` with its errno and path, anything else as an ``InternalError``.
"""

from __future__ import annotations

import contextvars
import gc
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # not loaded on a no-op make, nor by importing the package
    from ...errors import Problem
    from ...kept import EngineRecord
    from ...model import Pagination, Report
    from .cache import LayoutCache
    from .processes import Channel, Forked

_ENTERED: contextvars.ContextVar[PdfJobs | None] = contextvars.ContextVar("assemble_pdf_jobs", default=None)


class PdfJob(Protocol):
    """A PDF being laid out and written: its pagination as soon as it is laid out, the
    problems once it is written, and then what it was written with."""

    def pagination(self) -> Pagination: ...

    def problems(self) -> list[Problem]: ...

    def engine(self) -> EngineRecord: ...


class PdfJobs:
    """How a command lays its PDFs out: in how many processes, what it keeps of earlier
    builds' layouts, and the worker started ahead to lay out the first."""

    def __init__(self, processes: int = 1, cache: LayoutCache | None = None):
        self.processes, self.cache = processes, cache
        self._worker: _Worker | None = None  # started, not yet handed a report
        self._workers: list[_Worker] = []  # every worker started: ended with the command
        self._tokens: list[contextvars.Token[PdfJobs | None]] = []

    @classmethod
    def current(cls) -> PdfJobs:
        """The jobs the command entered, or jobs that lay out here, keeping nothing."""
        return _ENTERED.get() or cls()

    @classmethod
    def on_cores(cls) -> PdfJobs:
        """Each PDF's body laid out on two cores, when the machine has two (the console's
        choice: a forked process per layout; the bytes are the same either way)."""
        return cls(processes=2 if hasattr(os, "fork") and (os.cpu_count() or 1) >= 2 else 1)

    @classmethod
    def rebuilds(cls) -> PdfJobs:
        """For ``watch``: each PDF laid out on two cores, its parts kept from build to build
        in this process, so that only what changed is laid out again."""
        from .cache import LayoutCache

        jobs = cls.on_cores()
        jobs.cache = LayoutCache()
        return jobs

    def start(self, warm: Callable[[], None] | None = None) -> bool:
        """Fork the worker, which calls `warm()` (the engine's import), loads the fonts and
        waits for one report; False when there is no second core to give it (or one waits)."""
        if self._worker is not None or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            return False
        from .processes import Forked

        self._worker = _Worker(Forked(_serve(warm, self.processes), "the PDF worker"))
        self._workers.append(self._worker)
        return True

    def pdf(self, report: Report, path: Path) -> PdfJob:
        """Lay out and write the PDF of report at path: in the worker when there is one."""
        worker, self._worker = self._worker, None
        if worker is not None and worker.send(report, path):
            return worker
        return _Here(report, path, self)

    def __enter__(self) -> PdfJobs:
        self._tokens.append(_ENTERED.set(self))
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        _ENTERED.reset(self._tokens.pop())
        for worker in self._workers:  # one never handed a report, or whose PDF was not waited for
            worker.process.stop()
        self._worker, self._workers = None, []


class _Here:
    """The PDF laid out in this process."""

    def __init__(self, report: Report, path: Path, jobs: PdfJobs):
        from .document import lay_out_pdf

        self._laid = lay_out_pdf(report, jobs.processes, jobs.cache)
        self._path = path

    def pagination(self) -> Pagination:
        return self._laid.pagination

    def problems(self) -> list[Problem]:
        return self._laid.write(self._path)

    def engine(self) -> EngineRecord:
        return self._laid.engine


class _Worker:
    """The forked worker, from this side."""

    def __init__(self, process: Forked):
        self.process = process
        self._pagination: Pagination | None = None
        self._engine: EngineRecord | None = None

    def send(self, report: Report, path: Path) -> bool:
        sent = self.process.send("pdf", (report, str(path)))
        self.process.done_sending()
        if not sent:  # it has gone: lay the PDF out here instead
            self.process.end()
        return sent

    def pagination(self) -> Pagination:
        if self._pagination is None:
            _, self._pagination = self.process.receive("pagination")
        return self._pagination

    def problems(self) -> list[Problem]:
        self.pagination()
        try:
            _, (problems, self._engine) = self.process.receive("written")
            found: list[Problem] = problems
            return found
        finally:
            self.process.end()

    def engine(self) -> EngineRecord:
        if self._engine is None:
            self.problems()
        assert self._engine is not None
        return self._engine


def _serve(warm: Callable[[], None] | None, processes: int) -> Callable[[Channel], None]:
    """The worker's work: the engine imported and its fonts loaded while this process
    reads the returns; then the one report it is sent laid out (its pagination sent as
    soon as it is known) and written."""
    def work(channel: Channel) -> None:
        if warm is not None:
            warm()
        from .document import lay_out_pdf
        from .engine import load

        loaded = load()
        gc.freeze()  # as speedups does here: what is loaded now stays out of the collector's passes
        _, (report, path) = channel.receive()  # Gone, ending it, when the command does not render
        laid = lay_out_pdf(report, processes, loaded=loaded)
        channel.send("pagination", laid.pagination)
        problems = laid.write(Path(path))
        channel.send("written", (problems, laid.engine))
    return work

