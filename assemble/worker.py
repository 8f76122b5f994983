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

What goes wrong in the worker comes back as it would have been raised here: an
``AssembleError`` as itself, an ``OSError`` with its errno and path, anything else as
an ``InternalError``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from . import errors
from .errors import AssembleError, InternalError, Problem

if TYPE_CHECKING:  # not loaded on a no-op make
    from .model import Pagination, Report

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
    jobs_r, jobs_w = os.pipe()
    results_r, results_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(jobs_w)
        os.close(results_r)
        code = 1
        try:
            with open(jobs_r, "rb") as jobs, open(results_w, "wb") as results:
                code = _serve(jobs, results, warm)
        finally:
            os._exit(code)
    os.close(jobs_r)
    os.close(results_w)
    _started.append(_Worker(pid, os.fdopen(jobs_w, "wb"), os.fdopen(results_r, "rb")))
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
    """The forked worker, from this side: a pipe to it, a pipe back, its process id."""

    def __init__(self, pid: int, jobs: IO[bytes], results: IO[bytes]):
        self.pid, self.jobs, self.results = pid, jobs, results
        self._pagination: Pagination | None = None

    def send(self, report: Report, path: Path) -> bool:
        try:
            _write(self.jobs, (report, str(path)))
            self.jobs.close()
        except OSError:  # it has gone: lay the PDF out here instead
            self._end()
            return False
        return True

    def pagination(self) -> Pagination:
        if self._pagination is None:
            self._pagination = self._receive("pagination")
        return self._pagination

    def problems(self) -> list[Problem]:
        self.pagination()
        try:
            found: list[Problem] = self._receive("problems")
            return found
        finally:
            self._end()

    def _receive(self, expected: str) -> Any:
        try:
            kind, value = _read(self.results)
        except (EOFError, OSError, pickle.UnpicklingError):
            self._end()
            raise InternalError("the PDF worker ended without a word") from None
        if kind == expected:
            return value
        self._end()
        raise _rebuilt(kind, value)

    def _end(self) -> None:
        with contextlib.suppress(OSError):
            self.jobs.close()
        with contextlib.suppress(OSError):
            self.results.close()
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, 0)


def _serve(jobs: IO[bytes], results: IO[bytes], warm: Any) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to act on
    if warm is not None:
        warm()
    from .writers.pdf.document import lay_out_pdf
    from .writers.pdf.engine import load

    loaded = load()  # the fonts and stylesheet, while the report is read
    gc.freeze()  # as speedups does here: what is loaded now stays out of the collector's passes
    try:
        report, path = _read(jobs)
    except (EOFError, OSError, pickle.UnpicklingError):
        return 0  # nothing to lay out: the command did not render
    try:
        laid = lay_out_pdf(report, layouts.processes, loaded=loaded)
        _write(results, ("pagination", laid.pagination))
        _write(results, ("problems", laid.write(Path(path))))
    except AssembleError as exc:
        _write(results, ("assemble", (type(exc).__name__, exc.message, exc.hint)))
    except OSError as exc:
        _write(results, ("os", (exc.errno, exc.strerror, exc.filename)))
    except BaseException as exc:  # told to the parent, which raises it as a bug
        _write(results, ("crash", f"{type(exc).__name__}: {exc}"))
    return 0


def _rebuilt(kind: str, value: Any) -> BaseException:
    if kind == "assemble":
        name, message, hint = value
        cls = getattr(errors, name, None)
        if isinstance(cls, type) and issubclass(cls, AssembleError) and cls not in (InternalError,):
            try:
                return cls(message, hint)
            except TypeError:
                pass
        return InternalError(message)
    if kind == "os":
        number, strerror, filename = value
        return OSError(number, strerror, filename)
    return InternalError(f"the PDF worker failed: {value}")


def _write(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack(">Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # our own process's pickles, over our own pipe
