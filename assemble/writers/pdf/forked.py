"""Turn the body's windows into parts on more than one core: forked layout processes,
each taking windows from the queue as it is free, while this process, which joins,
lays out only the cover and contents (its heap stays small); and the sheets of page
numbers, laid out by one of them while this process joins the parts.

Each layout process sends its parts' counts first (as each part is counted: the
contents' page ranges need only those), then its parts and what the engine said
there; the first is then asked for the sheets. What goes wrong in one is raised
here as it was raised there (``processes``), and no layout process outlives a layout
that failed. Same report, same bytes, however many processes.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from ...errors import InternalError
from . import windows
from .engine import engine_messages
from .processes import Channel, Forked, ready

if TYPE_CHECKING:
    from .cache import Reuse
    from .engine import Engine
    from .windows import Count, Part, Queue

SHEETS = 60  # page numbers laid out at a time


class Pool:
    """The body's waiting windows laid out: here when `processes` is 0, else in that many
    forked layout processes."""

    def __init__(self, engine: Engine, queue: Queue, processes: int):
        self._engine, self._queue = engine, queue
        self.others: list[_Forked] = []
        for _ in range(processes):
            self.others.append(_Forked(engine, queue, self.others))
        self._mine: list[Part] = []
        self.heard: list[str] = []  # what the engine said in the layout processes

    def counts(self, waiting: int) -> list[Count]:
        """The counts of the parts of the `waiting` windows, as each is laid out (here) or as
        they come (from the layout processes)."""
        if not self.others:
            found: list[Count] = []
            self._mine = windows.lay_out_share(self._engine, self._queue, found.append)
            return found
        return _counted(self.others, waiting)

    def sheets(self) -> _Forked | None:
        """The layout process that lays out the sheets of page numbers, when there is one."""
        return self.others[0] if self.others else None

    def parts(self) -> list[list[Part]]:
        """Every share's parts; the layout processes but the first let go."""
        given = [other.parts() for other in self.others]
        for other in self.others[1:]:  # the first lays out the page-number sheets (Sheets)
            other.end()
        self.heard = [message for _, messages in given for message in messages]
        return [self._mine, *(found for found, _ in given)]

    @contextlib.contextmanager
    def stopped_on_failure(self) -> Iterator[None]:
        """No layout process outlives a layout that failed."""
        try:
            yield
        except BaseException:
            for other in self.others:
                other.stop()
            raise


def _lay_out(engine: Engine, queue: Queue) -> Callable[[Channel], None]:
    """The work of a layout process: windows from the queue, laid out and written, each
    part's count sent as it is counted, then the parts and what the engine said; then,
    when asked for them, the page-number sheets."""
    def work(channel: Channel) -> None:
        with engine_messages() as heard:
            parts = windows.lay_out_share(engine, queue, lambda count: channel.send("count", count))
            channel.send("parts", (parts, list(heard)))
            _, wanted = channel.receive()  # Gone, ending it, when the PDF is not written after all
            if wanted:
                heard.clear()
                channel.send("sheets", ({key: engine.sheet(*key) for key in wanted}, heard))
    return work


class _Forked:
    """Windows laid out in a forked process, taken from the queue as it is free: its parts'
    counts come first (as each part is counted), then its parts and what the engine said
    there; then, asked for them, the page-number sheets (``Sheets``), laid out while this
    process joins the parts."""

    process: Forked

    def __init__(self, engine: Engine, queue: Queue, siblings: Sequence[_Forked] = ()):
        self.process = Forked(_lay_out(engine, queue), "a layout process", [s.process for s in siblings])
        self._parts: tuple[list[Part], list[str]] | None = None

    def count(self) -> Count | None:
        """The next part's count; None once it has no more parts to count (its parts have come)."""
        kind, value = self.process.receive("count", "parts")
        if kind == "parts":
            self._parts = value
            return None
        found: Count = value
        return found

    def fileno(self) -> int:
        return self.process.fileno()

    def parts(self) -> tuple[list[Part], list[str]]:
        if self._parts is None:
            while self.count() is not None:
                pass
        assert self._parts is not None
        return self._parts

    def sheets(self, wanted: list[tuple[int, int]]) -> None:
        """Ask for the page-number sheets (start, count): ``laid_sheets`` gives them."""
        self.process.send("sheets", wanted)
        self.process.done_sending()

    def laid_sheets(self) -> tuple[dict[tuple[int, int], bytes], list[str]]:
        _, found = self.process.receive("sheets")
        laid: tuple[dict[tuple[int, int], bytes], list[str]] = found
        return laid

    def end(self) -> None:
        """Let it go: once it has sent what it was asked for, it ends."""
        self.process.end()

    def stop(self) -> None:
        """End it now, whatever it is doing."""
        self.process.stop()


def _counted(others: list[_Forked], windows: int) -> list[Count]:
    """The counts of the parts of `windows` windows the other processes lay out, as they come."""
    found: list[Count] = []
    counting = list(others)
    while sum(count.last for count in found) < windows:
        if not counting:
            raise InternalError("the layout processes laid out fewer windows than there are")
        for other in ready(counting):
            count = other.count()
            if count is None:
                counting.remove(other)
            else:
                found.append(count)
    return found


class Sheets:
    """The page-number sheets of the body's pages, SHEETS pages to a sheet: laid out by a
    layout process while this one joins the parts, when there is one, else here; kept in
    the layout cache when there is one (`reuse`)."""

    def __init__(self, engine: Engine, first: int, pages: int, other: _Forked | None, reuse: Reuse):
        self._engine, self._other, self._reuse = engine, other, reuse
        self._wanted = [(start, min(SHEETS, first + pages - start)) for start in range(first, first + pages, SHEETS)]
        asked = [key for key in self._wanted if reuse.sheet(*key) is None]
        self._asked = False
        if other is not None:
            other.sheets(asked)
            self._asked = bool(asked)
            weakref.finalize(self, other.end)  # should the PDF not be written

    def get(self, heard: list[str]) -> Iterator[tuple[int, bytes]]:
        """Each sheet with the number of its first page; what the engine said goes to `heard`."""
        laid: dict[tuple[int, int], bytes] = {}
        if self._other is not None:
            try:
                if self._asked:
                    laid, messages = self._other.laid_sheets()
                    heard.extend(messages)
            finally:
                self._other.end()
        for key in self._wanted:
            data = laid.get(key) or self._reuse.sheet(*key)
            if data is None:
                data = self._engine.sheet(*key)
            self._reuse.keep_sheet(*key, data)
            yield key[0], data
