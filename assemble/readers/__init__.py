"""Readers, one module per format, looked up by file extension: a file → a Record.

``read`` checks the package before any library opens it (``safety.check``), reads it
with the reader for its extension, and turns what a library could not read
(``unreadable``: mapped where each library is called) into an InputError naming the
file. Anything else a reader raises is a bug in assemble: an InternalError naming the
file, to report it with. An email saved into the folder (``messages``: .eml, .msg) is
opened by ``open_message``, and each return attached to it read through ``read``, as a
file is. A ``ReadCache`` keeps records (and opened messages) for as long as their files do
not change.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..errors import AssembleError, InternalError
from ..intake import SUFFIXES
from ..records import Record
from ..safety.check import check_package
from . import docx, messages, xlsx
from .messages.returns import Opened, read_returns
from .package import is_strict
from .unreadable import Unreadable, refusal

Reader = Callable[[Path], Record]

READERS: dict[str, Reader] = {
    ".docx": docx.read,
    ".docm": docx.read,
    ".xlsx": xlsx.read,
    ".xlsm": xlsx.read,
}
assert tuple(READERS) == SUFFIXES  # intake admits exactly what can be read


def read(path: Path) -> Record:
    """The record of one submission file; InputError when it cannot be read at all."""
    check_package(path)
    try:
        record = READERS[path.suffix.casefold()](path)
    except Unreadable as exc:
        raise refusal(path, exc, is_strict(path)) from exc
    except (AssembleError, OSError):
        raise  # a refusal in words already, or the disk's: said as such
    except Exception as exc:  # not the file's fault but assemble's: a bug, named with the file to report
        raise InternalError(f"unexpected {type(exc).__name__} reading {path.name}: {exc}", (path.name,)) from exc
    if record.modified:
        return record
    # a document without its own last-saved time is as new as the file
    when = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
    return replace(record, modified=when.isoformat())


Located = docx.Paragraphs | xlsx.Cells
LOCATORS: dict[str, Callable[[Path], Located]] = {
    ".docx": docx.paragraphs,
    ".docm": docx.paragraphs,
    ".xlsx": xlsx.cells,
    ".xlsm": xlsx.cells,
}


def locate(path: Path) -> Located:
    """Where the places ``read`` gives stand in the file's package — a Word paragraph's
    w:p, an Excel row's cell — for a writer that edits a copy of it (the feedback sent
    back); checked and refused as ``read`` is."""
    check_package(path)
    try:
        return LOCATORS[path.suffix.casefold()](path)
    except Unreadable as exc:
        raise refusal(path, exc, is_strict(path)) from exc


def open_message(path: Path, read: Reader = read) -> Opened:
    """An email in the folder and the returns attached to it, each read through `read`;
    InputError naming the message when it cannot be read at all. A ReadCache keeps it."""
    if isinstance(read, ReadCache):
        return read.message(path)
    return read_returns(messages.read(path), read)


class ReadCache:
    """Records by file, reused while the file's size, time and inode stay the same.

    A record depends on the file alone, so a warm process (``watch``) reads again
    only what changed. What fails to read is read again every time, as a build would.
    """

    def __init__(self, reader: Callable[[Path], Record] = read):
        self.reader = reader
        self._seen: dict[str, tuple[tuple[int, int, int], Record]] = {}
        self._opened: dict[str, tuple[tuple[int, int, int], Opened]] = {}
        self.reads = 0  # files actually read: for tests and the watch loop's report

    def __call__(self, path: Path) -> Record:
        key = _key(path)
        seen = self._seen.get(str(path))
        if seen is not None and seen[0] == key:
            return seen[1]
        record = self.reader(path)
        self.reads += 1
        self._seen[str(path)] = (key, record)
        return record

    def message(self, path: Path) -> Opened:
        """An email and its returns, opened again only when the file changed."""
        key = _key(path)
        seen = self._opened.get(str(path))
        if seen is not None and seen[0] == key:
            return seen[1]
        opened = read_returns(messages.read(path), self.reader)
        self.reads += 1
        self._opened[str(path)] = (key, opened)
        return opened


def _key(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size, st.st_ino


__all__ = ["LOCATORS", "READERS", "Located", "Opened", "ReadCache", "Reader", "locate", "open_message", "read"]
