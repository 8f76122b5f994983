"""Turn the body of a report into parts: tagged PDFs of consecutive pages, laid out in
windows of commitments, each commitment as far as about a page at a time.

Every commitment (and every priority without one) starts a page: a *chunk*. The body's
chunks are grouped in *windows* of consecutive chunks, about WINDOW_PAGES pages each,
a window in one layout, each chunk in it only as far as about a page and a third of its
bullets (``PART_BUDGET``, ``layout.size``). A chunk that fits its page is done. One
that goes on keeps its first page, and is cut before the bullet its next page opens
with (``Commitment.cut``): a continuation page repeats the priority heading, lead-in
and commitment, and the label of every group the break fell inside with
"(continued)". The next layout of the window lays out every chunk still going from its
cut, and so on, round by round, until each is done. A window's pages are written as a
tagged PDF of their own (a *part*) once they are final and in order, FLUSH_PAGES at a
time, so memory holds about a window, never the document.

Windows are taken from a ``Queue`` by whichever process is free (``forked``); the
windows are the same whatever the number of processes, so that the PDF is too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import layout
from . import fonts, links
from .engine import PDF_OPTIONS
from .fonts import Drawn

if TYPE_CHECKING:
    import weasyprint

    from ...model import Report
    from .engine import Engine

PART_BUDGET = 4500  # bullets laid out after a cut (layout.size): a page and a bit, till pages say better
PAGE_MEASURE = 3000  # about what a page holds, in layout.size: to size windows
WINDOW_PAGES = 24  # a window's pages, about: what one layout holds in memory at most
FLUSH_PAGES = 16  # final pages held before they are written as a part
ACTIVE = 1  # windows a process lays out together
SPLIT = 3  # windows at least, when there are as many chunks: for two processes to share evenly


@dataclass(frozen=True)
class Count:
    """A part's pages, counted before it is written: enough for the contents' ranges."""

    window: int  # the window it comes from (-1: the front), and its place among that window's parts
    order: int
    pages: int
    starts: tuple[tuple[str, int], ...]  # (chunk id, index of its first page in the part)
    last: bool  # the window's last part


@dataclass
class Part:
    """Pages written as a tagged PDF of their own: their count, the PDF, the fonts it drew with."""

    count: Count
    data: bytes
    fonts: Drawn


@dataclass(frozen=True)
class Laid:
    """A commitment's pages as a layout made them, and a document of that layout (the
    engine's fonts and the report's metadata, to write pages with: ``Document.copy``)."""

    pages: tuple[Any, ...]
    document: Any


@dataclass
class Chunk:
    """A part of the body that starts a page (a commitment, or a priority with none) as its
    layout goes: its cuts so far, where its next layout starts, the pages it has kept."""

    id: str
    priority: layout.Priority
    commitment: layout.Commitment | None
    opens: bool = True  # the priority's first chunk
    before: str | None = None  # the bullet its next page opens with (None: its start)
    budget: int | None = PART_BUDGET
    pages: list[Any] = field(default_factory=list)
    done: bool = False
    flushed: int = 0  # pages already written
    kept: bool = False  # with a LayoutCache: its pages are not let go as they are written, for the next build
    source: Any = None  # a document of the layout its pages came from

    def reuse(self, laid: Laid | None, keep: bool) -> None:
        """Take the pages an earlier build laid out for what this holds, if there are any;
        with `keep`, keep its pages for the next build."""
        self.kept = keep
        if laid is not None:
            self.pages, self.done, self.source = list(laid.pages), True, laid.document

    def laid(self) -> Laid | None:
        """Its pages for the next build, when this process has them all (not when they were
        laid out in a forked process)."""
        return Laid(tuple(self.pages), self.source) if self.kept and self.done else None

    def piece(self) -> tuple[layout.Commitment | None, bool]:
        """What the next layout shows of it, and whether bullets are left out of that."""
        if self.commitment is None:
            return None, False
        return self.commitment.resume(self.before, self.budget)

    def take(self, pages: list[Any], truncated: bool) -> None:
        """Keep what a layout of its piece got right; cut where its next page must start."""
        if self.commitment is None:
            self.pages += pages
            self.done = True
            return
        number = next((n for n in range(1, len(pages))
                       if continuations_in(self.commitment, pages, n) is not None), None)
        if number is None:
            if truncated:  # too few bullets to fill the page, or no place for the next cut: more
                self.budget = self.budget * 2 if len(pages) < 2 and self.budget else None
                return
            self.pages += pages
            self.done = True
            return
        opening = continuations_in(self.commitment, pages, number)
        assert opening is not None
        self.pages += pages[:number]
        # what the page before held, and room for a few bullets more: a budget the next page
        # overruns costs a layout again (30x: 1.39x the bullets laid out with a twentieth and
        # 150 more, 1.30x with a tenth and 400)
        self.budget = _filled(self.commitment, pages[number - 1]) * 11 // 10 + 400
        self.commitment = self.commitment.cut(opening)
        self.before = opening


def chunks(report: Report) -> list[Chunk]:
    """The parts of the body each starting a page: commitments, and priorities without one."""
    out: list[Chunk] = []
    for priority in layout.priorities(report):
        if not priority.commitments:
            out.append(Chunk(priority.id, priority, None, budget=None))
        out += [Chunk(c.id, priority, c, opens=n == 0) for n, c in enumerate(priority.commitments)]
    return out


def _measure(chunk: Chunk) -> int:
    """How much a chunk holds to lay out, by ``layout.size``."""
    nodes = chunk.commitment.nodes() if chunk.commitment is not None else iter(())
    return sum(layout.size(n) for n in nodes)


def windows(chunks: list[Chunk]) -> list[list[Chunk]]:
    """Runs of consecutive chunks of about WINDOW_PAGES pages, by the measure of their
    bullets, and at least three runs when there are three chunks, for two processes to
    share (``Queue``). The same whatever the number of processes, so that the PDF is too."""
    def pages(chunk: Chunk) -> float:
        return 1 + _measure(chunk) / PAGE_MEASURE

    total = sum(pages(c) for c in chunks)
    most = min(float(WINDOW_PAGES), total / SPLIT)
    out: list[list[Chunk]] = []
    held = 0.0
    for chunk in chunks:
        if out and held + pages(chunk) / 2 <= most:
            out[-1].append(chunk)
            held += pages(chunk)
        else:
            out.append([chunk])
            held = pages(chunk)
    return out


class Queue:
    """The windows still to lay out, the longest first, each taken by whichever process is
    free: a commitment's pages are laid out one after another, so the longest ones start
    first, and no process waits while another has windows left. Shared between processes
    when `shared` (made before they fork)."""

    def __init__(self, windows: list[tuple[int, list[Chunk]]], shared: bool):
        self._windows = sorted(windows, key=lambda w: (-sum(_measure(chunk) for chunk in w[1]), w[0]))
        self._taken: Any = None
        self._here = 0
        if shared:
            import multiprocessing

            self._taken = multiprocessing.get_context("fork").Value("i", 0)

    def take(self) -> tuple[int, list[Chunk]] | None:
        if self._taken is None:
            index, self._here = self._here, self._here + 1
        else:
            with self._taken.get_lock():
                index = self._taken.value
                self._taken.value = index + 1
        return self._windows[index] if index < len(self._windows) else None


def lay_out_share(engine: Engine, queue: Queue, counted: Callable[[Count], None]) -> list[Part]:
    """Windows taken from the queue, laid out and written, in parts; each part's pages
    `counted` before it is written. Up to ACTIVE windows are laid out together, round by
    round: each layout holds the next page or so of every commitment still going in them."""
    parts: list[Part] = []
    active: list[_Window] = []
    document: weasyprint.Document | None = None
    while active := _topped_up(active, queue):
        going = [chunk for window in active for chunk in window.chunks if not chunk.done]
        if going:
            document = _lay_out_round(engine, going)
        if document is None:  # every commitment of the windows laid out before (a LayoutCache): write them
            document = next((c.source for window in active for c in window.chunks if c.source is not None), None)
        if document is not None:
            for window in active:
                parts += window.flush(document, engine.loaded.bundled, counted)
        active = [window for window in active if not window.finished]
    return parts


def _topped_up(active: list[_Window], queue: Queue) -> list[_Window]:
    """The windows being laid out, with windows from the queue while there are fewer than
    ACTIVE, in the document's order (a priority's pieces together)."""
    while len(active) < ACTIVE and (taken := queue.take()) is not None:
        active.append(_Window(*taken))
    return sorted(active, key=lambda window: window.index)


def _lay_out_round(engine: Engine, going: list[Chunk]) -> weasyprint.Document:
    """One layout of the next piece of every chunk still going; each takes its pages."""
    pieces = {chunk.id: chunk.piece() for chunk in going}
    shown = [layout.Priority(chunk.priority.id, chunk.priority.section,
                             tuple(c for c in (pieces[chunk.id][0],) if c is not None))
             for chunk in going]
    document = engine.body(_grouped(shown))
    spread: dict[str, list[Any]] = {chunk.id: [] for chunk in going}
    for page in document.pages:
        for ident, pages in spread.items():
            if ident in page.anchors:
                pages.append(page)
    document.pages = []
    for chunk in going:
        chunk.take(spread[chunk.id], pieces[chunk.id][1])
        chunk.source = document
    return document


@dataclass
class _Window:
    """Consecutive chunks, whose pages are written in parts of FLUSH_PAGES (the last one
    shorter) as soon as they are final: where parts begin follows from the pages alone."""

    index: int
    chunks: list[Chunk]
    written: int = 0  # parts written
    finished: bool = False

    def flush(self, document: weasyprint.Document, bundled: frozenset[bytes],
              counted: Callable[[Count], None]) -> list[Part]:
        parts: list[Part] = []
        while True:
            ready: list[tuple[Chunk, int]] = []  # (chunk, how many of its pages are final and unwritten)
            for chunk in self.chunks:
                if len(chunk.pages) > chunk.flushed:
                    ready.append((chunk, len(chunk.pages) - chunk.flushed))
                if not chunk.done:
                    break
            done = all(chunk.done for chunk in self.chunks)
            count = sum(n for _, n in ready)
            if not count or (count < FLUSH_PAGES and not done):
                self.finished = done and not count
                return parts
            parts.append(self._write(ready, min(count, FLUSH_PAGES), document, bundled, counted))

    def _write(self, ready: list[tuple[Chunk, int]], size: int, document: weasyprint.Document,
               bundled: frozenset[bytes], counted: Callable[[Count], None]) -> Part:
        pages: list[Any] = []
        starts = []
        for chunk, final in ready:
            n = min(final, size - len(pages))
            if n <= 0:
                break
            if chunk.flushed == 0:
                starts.append((chunk.id, len(pages)))
            pages += chunk.pages[chunk.flushed:chunk.flushed + n]
            if not chunk.kept:
                chunk.pages[chunk.flushed:chunk.flushed + n] = [None] * n  # let the laid-out pages go
            chunk.flushed += n
        last = all(chunk.done and chunk.flushed == len(chunk.pages) for chunk in self.chunks)
        count = Count(self.index, self.written, len(pages), tuple(starts), last)
        self.written += 1
        counted(count)
        part = document.copy(pages)
        opened = {ident for ident, _ in starts}  # a priority's destination is its first chunk's first page
        keep = {chunk.priority.id for chunk, _ in ready if chunk.id in opened and chunk.opens}
        data = write_part(part, keep)
        return Part(count, data, fonts.drawn(part, bundled))


def _grouped(shown: list[layout.Priority]) -> tuple[layout.Priority, ...]:
    """Consecutive pieces of one priority as one priority holding them all."""
    out: list[layout.Priority] = []
    for p in shown:
        if out and out[-1].id == p.id:
            out[-1] = layout.Priority(p.id, p.section, out[-1].commitments + p.commitments)
        else:
            out.append(p)
    return tuple(out)


def write_part(document: weasyprint.Document, keep: set[str]) -> bytes:
    """Pages as a tagged PDF, its named destinations only the priorities' (`keep`) and
    the targets of its links."""
    links.keep_link_targets(document, keep)
    data: bytes = document.write_pdf(**PDF_OPTIONS, uncompressed_pdf=True)  # pikepdf compresses them, once
    return data


def in_order(shares: list[list[Part]]) -> list[Part]:
    """The parts of every share in the order of the document (windows alternate between shares)."""
    return sorted((part for share in shares for part in share), key=lambda part: (part.count.window, part.count.order))


def chunk_starts(counts: Sequence[Count]) -> list[tuple[str, int]]:
    """Each chunk's first page, counted from the body's first."""
    out = []
    offset = 0
    for count in counts:
        out += [(ident, offset + index) for ident, index in count.starts]
        offset += count.pages
    return out


def _filled(commitment: layout.Commitment, page: Any) -> int:
    """How much of the budget's measure of bullets a page held."""
    return sum(layout.size(node) for node in commitment.nodes() if node.id in page.anchors and not node.cont)


def continuations_in(commitment: layout.Commitment, pages: Sequence[Any], number: int) -> str | None:
    """The bullet (or sub-heading) page `number` of a commitment opens with, where a cut can go."""
    first: dict[str, int] = {}
    for n, page in enumerate(pages[:number + 1]):
        for name in page.anchors:
            first.setdefault(name, n)
    order = commitment.order()
    opening = next((name for name in order if first.get(name) == number), None)
    if opening is None:
        return None
    within = set(commitment.ancestors(opening))
    on = pages[number].anchors
    if any(first.get(n, number) < number and n in on and n not in within for n in order):
        return None  # the page opens inside an update that started on the page before
    return opening
