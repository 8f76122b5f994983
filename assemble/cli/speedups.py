"""Measured speed-ups of a command-line run, applied only by the console entry
point (``assemble``, ``python -m assemble``), never by importing a module.

- The PDF's body is laid out in parts on two cores (``PdfJobs.on_cores``).
- A command that renders once forks a worker that imports WeasyPrint, loads the fonts,
  then lays out and writes the PDF (``writers.pdf.jobs``), while this process reads the
  returns and, once the page ranges are known, writes the Word file and the HTML
  edition: the second core does half the work.
- WeasyPrint is imported while ``ctypes.util.find_library`` looks libraries up
  in the dynamic linker's cache once, instead of running ``ldconfig``, gcc and
  ld for each of the 22 names WeasyPrint tries (about 0.25 s); the lookup is put
  back as soon as the import is done. A library the quick lookup misses is
  found the thorough way: the import is simply tried again without it.
- Everything imported by then is frozen out of the garbage collector's passes
  (``gc.freeze``): layout makes boxes by the hundred thousand, and each full pass
  would otherwise walk every module's objects again.
- The interpreter is left at once when the command is done (``os._exit``),
  after flushing the console: freeing every object of a process that ends anyway
  takes about 0.1 s. The outputs are closed and synced long before.

``ASSEMBLE_NO_SPEEDUPS=1`` turns them all off; the outputs are the same bytes
either way (a test builds the sample both ways).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import re
import sys
from collections.abc import Iterator
from typing import NoReturn

ENV = "ASSEMBLE_NO_SPEEDUPS"

_LDCONFIG_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


def enabled() -> bool:
    return not os.environ.get(ENV, "").strip()


@contextlib.contextmanager
def prepare(render: bool, once: bool = False) -> Iterator[None]:
    """The context a command runs in: when it will render, its PDF jobs on two cores, and the
    PDF engine imported quickly — in a worker process of its own when it renders once
    (``writers.pdf.jobs``), so that the engine loads and lays out on a second core while
    this process reads — then everything loaded frozen. Leaving it ends a worker unused."""
    if not enabled():
        yield
        return
    if not render:
        gc.freeze()
        yield
        return
    from ..writers.pdf import PdfJobs  # here: `assemble all` with nothing to build never needs it

    with PdfJobs.on_cores() as jobs:
        if not (once and jobs.start(warm=_import_weasyprint)):
            _import_weasyprint()
        gc.freeze()
        yield


def leave(status: int) -> NoReturn:
    """End the process with `status`, the console flushed; skip interpreter teardown when enabled."""
    if "logging" in sys.modules:  # its handlers flushed and closed, as at a normal exit
        sys.modules["logging"].shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    if enabled():
        os._exit(status)
    sys.exit(status)


def _import_weasyprint() -> None:
    try:
        # quietly: on failure WeasyPrint prints installation advice before raising
        with _quick_library_lookup(), contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except (OSError, ImportError):
        pass  # a library the quick lookup missed: the writer imports it the thorough way


@contextlib.contextmanager
def _quick_library_lookup() -> Iterator[None]:
    """While WeasyPrint loads Pango, HarfBuzz and fontconfig, look libraries up in the
    dynamic linker's cache (one ``ldconfig -p``) instead of ``find_library``'s
    subprocesses per name. Safe because WeasyPrint also tries each library's exact
    soname, which dlopen finds by itself. Anywhere but Linux nothing changes."""
    import ctypes.util  # here: a command that does not render never needs it

    listing = _ldconfig() if sys.platform.startswith("linux") else b""
    if not listing:
        yield
        return
    machine = os.uname().machine + ("-64" if sys.maxsize > 2**32 else "-32")
    abi = _LDCONFIG_ABI.get(machine, "libc6")  # as ctypes.util reads the listing

    def find_library(name: str) -> str | None:
        pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(os.fsencode(name)), os.fsencode(abi))
        m = re.search(pattern, listing)
        return os.fsdecode(m.group(1)) if m else None

    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _ldconfig() -> bytes:
    import subprocess

    try:
        return subprocess.run(
            ["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            stdout=subprocess.PIPE, env={"LC_ALL": "C", "LANG": "C"}, check=False,
        ).stdout
    except OSError:
        return b""
