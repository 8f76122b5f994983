"""Keep assemble warm and rebuild a quarter whenever a return lands.

    assemble watch QUARTER_DIR [--outputs DIR] [--poll]

On deadline day late returns arrive one by one. A fresh ``assemble build``
spends a good part of its time starting (Python, WeasyPrint, python-docx,
openpyxl); ``watch`` pays that once, builds, then waits for the folder to change
and builds again through the same command ``assemble build`` runs. The first build
prints what ``build`` prints; each rebuild prints only what changed: the file that
landed, its line of the returns table, its problems, any other file's problems that
appeared or cleared because of it, then the new version and the time it took. A version is written only when
the content changed, and a rebuild that finds errors writes nothing, as always.
Records of files that did not change are kept, so only what landed is read.

Changes are noticed by watchfiles: the operating system's notifications where
there are any, and with ``--poll`` (or on network shares, where notifications do
not arrive) by looking at the folder every ``POLL_MS``. Office lock files
(``~$…``) and hidden files do not count. A Word or Excel file still being
copied is built once it is a whole zip (its end record is there), or once it has
not changed for ``STEADY`` seconds (then the build reports it if it is broken). An
email is whole once its size has held for ``MESSAGE_STEADY`` seconds and, for an
Outlook file, it is a compound file of whole sectors; an .eml whose last MIME boundary
is there is whole at once.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import watchfiles

from ..assembly import Assembly
from ..coverage import Coverage
from ..folders import passed_over
from ..intake import MESSAGES, SUFFIXES
from ..plan.plans import Plans
from ..readers import ReadCache
from ..safety.sniff import OLE2
from ..writers.pdf import PdfJobs
from . import commands
from .console import Console

SETTLE = 0.05  # s between looks while a changed file is not yet whole
STEADY = 2.0  # s unchanged after which a file that is still not whole is built anyway
MESSAGE_STEADY = 0.5  # s an email's size must hold: nothing in it says it is whole
DEBOUNCE_MS = 50  # changes this close together are one change
POLL_MS = 300  # how often --poll looks at the folder
QUIET_MS = 200  # with no change for this long, the watcher says so (then it is surely listening)


def watch(folder: Path, plans: Plans, options: commands.Options, console: Console, *, poll: bool = False,
          once: bool = False, rounds: int | None = None, stop: threading.Event | None = None,
          listening: threading.Event | None = None) -> int:
    """Build `folder`, then rebuild on every change until interrupted (or `stop` is set).

    Returns the status of the last build, as ``assemble build`` would: with `once`
    right after the first build, with `rounds` after that many rebuilds (for tests).
    `listening` is set once the folder is being watched (and again after each rebuild):
    a change made after that is seen.
    """
    with PdfJobs.rebuilds():  # the PDF on two cores, and only its changed parts laid out again
        return _watch(Path(folder), plans, options, console, poll=poll, once=once, rounds=rounds, stop=stop,
                      listening=listening or threading.Event())


def _watch(folder: Path, plans: Plans, options: commands.Options, console: Console, *, poll: bool,
           once: bool, rounds: int | None, stop: threading.Event | None, listening: threading.Event) -> int:
    cache = ReadCache()
    seen = _Seen()
    status = _build(folder, plans, options, console, cache, seen.first(console))
    if once:
        return status
    console.result(f"watching {folder} for changes (Ctrl-C to stop)")
    changes = watchfiles.watch(folder, watch_filter=_counts, debounce=DEBOUNCE_MS, step=int(SETTLE * 1000),
                               stop_event=stop, force_polling=poll or None, poll_delay_ms=POLL_MS,
                               recursive=False, raise_interrupt=False, rust_timeout=QUIET_MS, yield_on_timeout=True)
    try:
        for batch in changes:
            if not batch:  # quiet for QUIET_MS: the watcher is up
                listening.set()
                continue
            listening.clear()
            landed = {Path(p).name for _, p in batch}
            _settle(folder, landed)
            console.result()
            console.result(f"{describe(batch)}: building again")
            started = time.perf_counter()
            status = _build(folder, plans, options, console, cache, seen.since(console, landed))
            console.result(f"rebuilt in {time.perf_counter() - started:.2f} s; watching {folder} (Ctrl-C to stop)")
            if rounds is not None:
                rounds -= 1
                if rounds <= 0:
                    break
    except KeyboardInterrupt:
        pass
    console.result("stopped watching")
    return status


def _build(folder: Path, plans: Plans, options: commands.Options, console: Console, cache: ReadCache,
           show: commands.Show) -> int:
    return commands.guarded(lambda: commands.build(folder, plans, options, console, read=cache, show=show), console)


class _Seen:
    """The quarter as the last build read it: each rebuild prints only what changed since."""

    def __init__(self) -> None:
        self.last: Assembly | None = None

    def first(self, console: Console) -> commands.Show:
        """The first build prints everything, as build does."""
        def show(asm: Assembly, cov: Coverage) -> None:
            console.reading(asm, cov)
            self.last = asm
        return show

    def since(self, console: Console, landed: set[str]) -> commands.Show:
        """A rebuild prints what landed and what its landing changed."""
        def show(asm: Assembly, cov: Coverage) -> None:
            console.changes(self.last, asm, landed)
            self.last = asm
        return show


def _counts(change: watchfiles.Change, path: str) -> bool:
    """Whether a change is to a file a build may read: not a lock file, a hidden file or clutter."""
    return not passed_over(os.path.basename(path))


def describe(batch: Iterable[tuple[watchfiles.Change, str]]) -> str:
    """'new: b.xlsx; changed: a.docx; gone: c.docx'."""
    words = {watchfiles.Change.added: "new", watchfiles.Change.modified: "changed",
             watchfiles.Change.deleted: "gone"}
    names: dict[str, set[str]] = {"new": set(), "changed": set(), "gone": set()}
    for change, path in batch:
        names[words[change]].add(Path(path).name)
    return "; ".join(f"{word}: {', '.join(sorted(found))}" for word, found in names.items() if found)


def _settle(folder: Path, names: set[str]) -> None:
    """Wait until every changed Word or Excel file is whole, or has been still for STEADY s."""
    seen = {name: _stat(folder / name) for name in names}
    still_since = time.monotonic()
    while (not all(_whole(folder / n, time.monotonic() - still_since) for n in names)
           and time.monotonic() - still_since < STEADY):
        time.sleep(SETTLE)
        now = {name: _stat(folder / name) for name in names}
        if now != seen:
            seen, still_since = now, time.monotonic()


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _whole(path: Path, steady: float = 0.0) -> bool:
    """Whether a zip file ends with its end-of-central-directory record (written last); an
    email, whether it looks whole (``_message_whole``) after `steady` seconds unchanged."""
    if path.suffix.casefold() in MESSAGES:
        return _message_whole(path, steady)
    if path.suffix.casefold() not in SUFFIXES:  # every return read is a zip package
        return True
    try:
        with open(path, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - 65_557))  # the record (22 bytes) and the longest comment
            return b"PK\x05\x06" in f.read()
    except OSError:
        return True  # gone or unreadable: the build says so


_BOUNDARY = re.compile(rb'^content-type:\s*multipart/[^\n]*(?:\n[ \t][^\n]*)*?boundary="?([^";\r\n]+)"?',
                       re.IGNORECASE | re.MULTILINE)


def _message_whole(path: Path, steady: float) -> bool:
    """An Outlook file: its header there, whole sectors (512 bytes each) and its size steady; an
    .eml: its last MIME boundary there (a multipart message ends with it), else its size steady."""
    try:
        with open(path, "rb") as f:
            head = f.read(64 * 1024)
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - 4096))
            tail = f.read()
    except OSError:
        return True  # gone or unreadable: the build says so
    if head.startswith(OLE2):  # an Outlook message is a compound file
        return size % 512 == 0 and steady >= MESSAGE_STEADY
    found = _BOUNDARY.search(head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].replace(b"\r\n", b"\n"))
    if found and b"--" + found.group(1).strip() + b"--" in tail:
        return True
    return steady >= MESSAGE_STEADY
