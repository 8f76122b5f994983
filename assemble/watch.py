"""Keep assemble warm and rebuild a quarter whenever a submission lands.

    assemble watch QUARTER_DIR [--outputs DIR]

On deadline day late submissions arrive one by one. A fresh `assemble build`
spends about a third of its time starting: Python, WeasyPrint and its libraries,
python-docx, openpyxl. `watch` pays that once: it imports everything, builds,
then waits for the folder to change and builds again, printing exactly what
`assemble build` prints, then one line with the time the rebuild took. A version
is written only when the content changed (the usual rules of `assemble build`),
and a rebuild that finds errors writes nothing, as always. Only the files that
changed are read again.

Noticing a change: on Linux the kernel says at once when a file in the folder is
closed after writing, moved in or out, or deleted (inotify); everywhere, and for
folders on network shares, the folder is also looked at every `interval`
seconds (each file's size and modification time: the files `assemble build`
reads). Office lock files (``~$…``) and hidden files do not count.

Not reading a file half-copied: a changed Word or Excel file is built once it is
a whole zip (its end record is there), or once it has not changed for
`STEADY` seconds (then the build reports it, if it is still broken). The plan
file is read once, at the start.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import functools
import os
import select
import stat
import sys
import time
from pathlib import Path
from typing import TextIO

Snapshot = dict[str, tuple[int, int]] | None

SETTLE = 0.05  # s between looks while a changed file is not yet whole
STEADY = 2.0  # s unchanged after which a file that is still not whole is built anyway
_ZIPS = (".docx", ".docm", ".xlsx", ".xlsm")


def watch(folder: Path, outputs: Path, plan, out: TextIO, *, interval: float = 0.5,
          once: bool = False, strict: bool = False, rounds: int | None = None) -> int:
    """Build `folder` into `outputs`, then rebuild on every change until interrupted.

    Returns the status of the last build (0 built or up to date, 1 problems), as
    `assemble build` would: with `once` right after the first build, with
    `rounds` after that many rebuilds (for tests), else at Ctrl-C.
    """
    _warm_up()
    folder, outputs = Path(folder), Path(outputs)
    with _files_read_once(), _Notifier(folder) as notifier:
        return _loop(folder, outputs, plan, out, interval, 0 if once else rounds, strict, notifier)


def _loop(folder: Path, outputs: Path, plan, out: TextIO, interval: float, rounds: int | None,
          strict: bool, notifier: _Notifier) -> int:
    last = snapshot(folder)
    status = _build(folder, outputs, plan, out, strict)
    if rounds == 0:
        return status
    print(f"watching {folder} for changes (Ctrl-C to stop)", file=out, flush=True)
    try:
        while True:
            notifier.wait(interval)
            now = snapshot(folder)
            if now == last:
                continue
            now = _settled(folder, last, now, notifier)
            print(f"\n{_changes(last, now)}: building again", file=out, flush=True)
            last = now
            started = time.perf_counter()
            status = _build(folder, outputs, plan, out, strict)
            print(f"rebuilt in {time.perf_counter() - started:.2f} s; watching {folder} "
                  "(Ctrl-C to stop)", file=out, flush=True)
            if rounds is not None:
                rounds -= 1
                if rounds == 0:
                    return status
    except KeyboardInterrupt:
        print("stopped watching", file=out, flush=True)
    return status


# --- what is in the folder -------------------------------------------------------------


def snapshot(folder: Path) -> Snapshot:
    """Each candidate file's (modification time, size); None when the folder is not there."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return None
    out: dict[str, tuple[int, int]] = {}
    for path in entries:
        if path.name.startswith(("~$", ".")):
            continue
        try:
            st = path.lstat()
        except OSError:  # gone between the listing and the look
            continue
        if stat.S_ISDIR(st.st_mode):  # not read; and it may be where the outputs go
            continue
        out[path.name] = (st.st_mtime_ns, st.st_size)
    return out


def _settled(folder: Path, before: Snapshot, now: Snapshot, notifier: _Notifier) -> Snapshot:
    """`now` once every changed Word or Excel file in it is whole, or has been still for STEADY s."""
    still_since = time.monotonic()
    while not _whole(folder, before, now) and time.monotonic() - still_since < STEADY:
        notifier.wait(SETTLE)
        later = snapshot(folder)
        if later != now:
            now, still_since = later, time.monotonic()
    return now


def _whole(folder: Path, before: Snapshot, now: Snapshot) -> bool:
    if now is None:
        return True
    for name, seen in now.items():
        if (before or {}).get(name) != seen and name.lower().endswith(_ZIPS):
            if not _ends_like_a_zip(folder / name):
                return False
    return True


def _ends_like_a_zip(path: Path) -> bool:
    """Whether the file ends with a zip's end-of-central-directory record (written last)."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - 65_557))  # the record (22 bytes) and the longest comment
            return b"PK\x05\x06" in f.read()
    except OSError:
        return True  # gone or unreadable: the build says so


def _changes(before: Snapshot, after: Snapshot) -> str:
    """'changed: a.docx; new: b.xlsx; gone: c.docx', or what happened to the folder."""
    if after is None:
        return "the folder is gone"
    if before is None:
        return "the folder is back"
    parts = []
    for word, names in (
        ("new", sorted(set(after) - set(before))),
        ("changed", sorted(n for n in set(after) & set(before) if after[n] != before[n])),
        ("gone", sorted(set(before) - set(after))),
    ):
        if names:
            parts.append(f"{word}: {', '.join(names)}")
    return "; ".join(parts)


# --- waiting for a change ---------------------------------------------------------------

# inotify(7): a file written and closed, moved in or out, created, deleted; the folder itself moved or deleted
_IN_EVENTS = 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800


class _Notifier:
    """Sleep until the folder may have changed: at most `timeout` s, less when the
    kernel reports an event in it (Linux inotify; elsewhere a plain sleep)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.fd: int | None = None

    def __enter__(self) -> _Notifier:
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
                if fd >= 0:
                    if libc.inotify_add_watch(fd, os.fsencode(self.folder), _IN_EVENTS) >= 0:
                        self.fd = fd
                    else:
                        os.close(fd)
            except (OSError, AttributeError):
                self.fd = None
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def wait(self, timeout: float) -> None:
        if self.fd is None:
            time.sleep(timeout)
            return
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            with contextlib.suppress(BlockingIOError, InterruptedError):
                while os.read(self.fd, 65536):  # drain: the snapshot says what changed
                    pass


# --- building ---------------------------------------------------------------------------


@contextlib.contextmanager
def _files_read_once():
    """While watching, a submission is read again only when it changed.

    A reader is a function of the file and the plan alone, so its result for an
    unchanged file (same path, size, modification time and inode) is the one it
    gave last time; only the file that landed is read. What fails to read is read
    again every time, as a build would."""
    from . import readers

    originals = dict(readers.READERS)
    last: dict[str, tuple[tuple, object]] = {}

    def once(reader):
        @functools.wraps(reader)
        def read(path, plan):
            st = Path(path).stat()
            key = (st.st_mtime_ns, st.st_size, st.st_ino, id(plan))
            seen = last.get(str(path))
            if seen is None or seen[0] != key:
                last[str(path)] = seen = (key, reader(path, plan))
            return seen[1]
        return read

    readers.READERS.update({suffix: once(reader) for suffix, reader in originals.items()})
    try:
        yield
    finally:
        readers.READERS.update(originals)


def _warm_up() -> None:
    """Import what a build needs, once: the cost a fresh process pays every time."""
    from .writers import docx, pdf  # noqa: F401


def _build(folder: Path, outputs: Path, plan, out: TextIO, strict: bool) -> int:
    """One `assemble build`: the same output, the same exit status, never a traceback."""
    from . import cli

    args = argparse.Namespace(outputs=outputs, strict=strict, reissue=False)
    status = cli.guarded(lambda: cli._one("build", folder, args, plan, out), out)
    out.flush()
    return status
