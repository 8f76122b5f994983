"""The PDF laid out and written by a second process, on a second core, while this one
reads the returns and then writes the Word file and the HTML edition.

``start()`` forks the worker (only the console entry point calls it, through
``speedups``, for a command that renders once): it imports the PDF engine and loads its
fonts while this process reads and checks the returns. ``pdf(report, path)`` hands it
the report; ``pagination()`` comes back as soon as the layout is done (the Word file
needs its page ranges), ``problems()`` once the PDF is written. The worker serves one
PDF and ends; without one (tests, ``watch``, ``ASSEMBLE_NO_SPEEDUPS``, one core, or
a second PDF in a run), the same two calls lay the PDF out in this process. The bytes
are the same either way.

What goes wrong in the worker comes back as it would have been raised here
(``writers.pdf.processes``, the one way work runs in another process): an
``AssembleError`` as the same kind, an ``OSError`` with its errno and path, anything
else as an ``InternalError``.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .errors import Problem

if TYPE_CHECKING:  # not loaded on a no-op make
    from .model import Pagination, Report
    from .writers.pdf.processes import Channel, Forked

_started: list[_Worker] = []  # the worker this process forked, until it is handed a report


@dataclass
class _Layouts:
    """How this process lays PDFs out: in how many processes (``use_cores``), and what it
    keeps of earlier builds' layouts (``rebuilds``)."""

    processes: int = 1
    cache: Any = None  # a writers.pdf.cache.LayoutCache


layouts = _Layouts()


class PdfJob(Protocol):
    def pagination(self) -> Pagination: ...

    def problems(self) -> list[Problem]: ...


def pdf(report: Report, path: Path) -> PdfJob:
    """Lay out and write the PDF of report at path: in the worker when there is one."""
    worker = _started.pop() if _started else None
    if worker is not None and worker.send(report, path):
        return worker
    return _Here(report, path)


def use_cores() -> None:
    """Lay each PDF's body out on two cores, when the machine has two (the console's choice:
    a forked process per layout; the bytes are the same either way)."""
    layouts.processes = 2 if hasattr(os, "fork") and (os.cpu_count() or 1) >= 2 else 1


@contextlib.contextmanager
def rebuilds() -> Iterator[None]:
    """While it lasts (``watch``), lay each PDF out on two cores and keep its parts from
    build to build in this process, so that only what changed is laid out again; then
    back as before, the kept layouts let go."""
    from .writers.pdf.cache import LayoutCache

    before = layouts.processes, layouts.cache
    use_cores()
    layouts.cache = LayoutCache()
    try:
        yield
    finally:
        layouts.processes, layouts.cache = before


def start(warm: Any = None) -> bool:
    """Fork the worker, which calls `warm()` (the engine's import) and waits for one report."""
    if _started or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return False
    from .writers.pdf.processes import Forked

    _started.append(_Worker(Forked(_serve(warm, layouts.processes), "the PDF worker")))
    return True


class _Here:
    """The PDF laid out in this process."""

    def __init__(self, report: Report, path: Path):
        from .writers.pdf.document import lay_out_pdf

        self._laid = lay_out_pdf(report, layouts.processes, layouts.cache)
        self._path = path

    def pagination(self) -> Pagination:
        return self._laid.pagination

    def problems(self) -> list[Problem]:
        return self._laid.write(self._path)


class _Worker:
    """The forked worker, from this side."""

    def __init__(self, process: Forked):
        self.process = process
        self._pagination: Pagination | None = None

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
            _, found = self.process.receive("problems")
            problems: list[Problem] = found
            return problems
        finally:
            self.process.end()


def _serve(warm: Any, processes: int) -> Callable[[Channel], None]:
    """The worker's work: the engine imported and its fonts loaded while this process
    reads the returns; then the one report it is sent laid out (its pagination sent as
    soon as it is known) and written."""
    def work(channel: Channel) -> None:
        if warm is not None:
            warm()
        from .writers.pdf.document import lay_out_pdf
        from .writers.pdf.engine import load

        loaded = load()
        gc.freeze()  # as speedups does here: what is loaded now stays out of the collector's passes
        _, (report, path) = channel.receive()  # Gone, ending it, when the command does not render
        laid = lay_out_pdf(report, processes, loaded=loaded)
        channel.send("pagination", laid.pagination)
        channel.send("problems", laid.write(Path(path)))
    return work
