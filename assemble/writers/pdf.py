"""Turn a Report into the Quarterly Update PDF (WeasyPrint) and its Pagination.

Every commitment (and every priority without one) starts a page, so the body is laid
out in *parts* that know nothing of each other, on two cores when there are two, and
joined; the page numbers, the only thing a page owes to the pages before it, are
stamped on last. In order:

1. the cover and contents are laid out with a placeholder of fixed width for every
   range ("00-00"), to learn how many pages come before the body;
2. the body's commitments are laid out in *windows* of consecutive commitments, a
   window in one layout, each commitment in it only as far as about a page and a third
   of its bullets (``PART_BUDGET``, ``layout.size``). A commitment that fits its page
   is done. One that goes on keeps its first page, and is cut before the bullet its
   next page opens with (``Commitment.cut``): a continuation page repeats the priority
   heading, lead-in and commitment, and the label of every group the break fell inside
   with "(continued)". The next layout of the window lays out every commitment still
   going from its cut, and so on, round by round, until each is done. A window's pages
   are written as a tagged PDF of their own once they are final and in order, so
   memory holds about a window, never the document. With two cores, two forked
   processes take windows as each is free, and this one, which joins, only lays out
   the cover and contents: the joining process's heap stays small;
3. each priority's range follows from the parts' pages; the cover and contents are laid
   out again with the real ranges (should the contents come to another number of pages,
   the ranges move and they are laid out once more: the body is not);
4. ``pdfjoin`` joins the parts (pages, structure trees, destinations, outline), then
   ``pdfua.finish_pdf`` makes page furniture and repeated blocks artifacts and puts the
   structure tree right (PDF/UA-1), and ``pdfjoin.stamp`` draws, as artifacts, what the
   body's layouts leave out of the page margins: the furniture (running header, markings,
   DRAFT mark and watermark), laid out once on a page of its own, beneath every body page,
   and each page's number, from sheets of page numbers laid out with the same stylesheet.

The pages are those one layout of the whole document would give, cut the same way.
Same report, same bytes, however many processes. The fonts and the stylesheet are
loaded once for all the layouts of a build (``_Engine``).

All text is data: the template is autoescaped and submission text only ever
reaches it as values. WeasyPrint may load nothing but files under
``templates/`` (stylesheet, fonts, draft watermark); anything else stops it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
import weasyprint
from markupsafe import Markup
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from ..errors import InternalError, Problem, TemplateError, warning
from ..model import Item, Pagination, Report, SubHeading
from . import layout, pdfjoin, pdfua

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
TEMPLATE = "quarterly-update.html"
FRONT_PAGES = 2  # the cover and contents, as a first guess (the contents are laid out to see)
ACCEPTED_FONTS = ("Arial", "Liberation Sans")  # the same metrics: the same pagination
PDF_OPTIONS = {
    "pdf_variant": "pdf/ua-1",  # tagged, /Lang, DisplayDocTitle, XMP metadata
    "pdf_identifier": True,  # pydyf derives the /ID from the file's bytes: reproducible
    "custom_metadata": True,  # the version and marking as Info entries of their own
}
SETTLE = 4  # layouts of the front before giving up
PART_BUDGET = 4500  # bullets laid out after a cut (layout.size): a page and a bit, till pages say better
PAGE_MEASURE = 3000  # about what a page holds, in layout.size: to size windows
WINDOW_PAGES = 24  # a window's pages, about: what one layout holds in memory at most
FLUSH_PAGES = 16  # final pages held before they are written as a part
ACTIVE = 1  # windows a process lays out together
CACHED_PAGES = 400  # laid-out pages a LayoutCache holds at most (their boxes: 0.25-0.5 MB a page, measured)
SPLIT = 3  # windows at least, when there are as many chunks: for two processes to share evenly
SHEETS = 60  # page numbers laid out at a time

ENGINE_LOGGER = "weasyprint"
def write_pdf(report: Report, path: Path, processes: int = 1) -> tuple[Pagination, list[Problem]]:
    """Render report to a PDF at path; return page count and each priority's page range,
    and the problems: what the PDF engine reported (never printed by the engine itself),
    characters no installed font can draw (by update), a body font other than Liberation Sans."""
    laid = lay_out_pdf(report, processes)
    return laid.pagination, laid.write(path)


def lay_out_pdf(report: Report, processes: int = 1, cache: LayoutCache | None = None) -> PdfLayout:
    """The report laid out (its body in `processes` forked processes when there are more
    than one, while this one lays out the front and joins): its pagination known, the
    body's parts written, the joined PDF still to write (``write``). With a `cache`,
    windows laid out by an earlier build, holding the same, are not laid out again."""
    with _engine_messages() as heard:
        engine = _Engine(report, cache)
        windows = list(enumerate(_windows(_chunks(engine.report))))
        keys: dict[int, str] = {}
        kept: list[_Part] = []
        if cache is not None:
            keys = {index: _window_key(report, window, engine.digest) for index, window in windows}
            kept = [part for key in keys.values() for part in cache.get(key)]
        done = {part.count.window for part in kept}
        waiting = [w for w in windows if w[0] not in done]
        forking = processes > 1 and len(waiting) > 1
        chunk_keys: dict[str, str] = {}
        if cache is not None:  # a window laid out again takes its unchanged commitments' pages as they were
            chunk_keys = {chunk.id: _window_key(report, [chunk], engine.digest) for _, w in windows for chunk in w}
            for _, window in waiting:
                for chunk in window:  # pages laid out in a forked process never come back: not kept there
                    chunk.reuse(cache.pages(chunk_keys[chunk.id]), keep=not forking)
        queue = _Queue(waiting, forking)
        others: list[_Forked] = []
        for _ in range(processes if forking else 0):  # this one joins what they lay out: its heap stays small
            others.append(_Forked(engine, queue, others))
        try:
            counts = [part.count for part in kept]
            mine = [] if others else _lay_out_share(engine, queue, counts.append)
            theirs = len(waiting) - len({part.count.window for part in mine})
            counts += _counted(others, theirs)  # counted before they are written: the front goes on meanwhile
            counts.sort(key=lambda count: (count.window, count.order))
            body_pages = sum(count.pages for count in counts)
            starts = _chunk_starts(counts)
            front_pages = FRONT_PAGES
            for _ in range(SETTLE):
                ranges = page_ranges_from(report, starts, front_pages, body_pages)
                front = engine.front(ranges)
                if len(front.pages) == front_pages:
                    break
                front_pages = len(front.pages)
            else:
                raise InternalError("the contents page ranges did not settle")
            sheets = _Sheets(engine, front_pages + 1, body_pages, others[0] if others else None)
            _one_link_per_entry(front)
            cover = _Part(_Count(-1, 0, len(front.pages), (), True), _write_part(front, keep=set()), {})
            given = [other.parts() for other in others]
            for other in others[1:]:  # the first lays out the page-number sheets (_Sheets)
                other.end()
            parts = _interleave([mine, kept, *(found for found, _ in given)])
        except BaseException:  # no layout process outlives a layout that failed
            for other in others:
                other.stop()
            raise
        heard.extend(message for _, messages in given for message in messages)
        if cache is not None:  # kept unless the engine said something (its warnings go with them)
            by_key: dict[str, list[_Part]] = {}
            for part in parts:
                by_key.setdefault(keys[part.count.window], []).append(part)
            laid = {key: found for key in chunk_keys.values() if (found := cache.pages(key)) is not None}
            laid |= {chunk_keys[chunk.id]: found for _, window in windows for chunk in window
                     if (found := chunk.laid()) is not None}
            if heard:
                by_key, laid = {}, {}
            cache.keep(by_key, laid)
        if [part.count for part in parts] != counts:
            raise InternalError("the parts of the PDF are not the pages counted")
        fonts = _merge_fonts([*(part.fonts for part in parts), _text_fonts(front)])
    pagination = Pagination(pages=front_pages + body_pages, ranges=ranges)
    return PdfLayout(report, engine, [cover, *parts], pagination, heard, fonts, sheets)


class LayoutCache:
    """The parts of the body earlier builds of this process laid out (``watch`` keeps one),
    by what their windows hold: a window whose commitments, page furniture and layout
    templates are unchanged is not laid out again. And the laid-out pages of each
    commitment this process laid out itself (not those of forked layouts, which stay
    there), by what it holds: when a window must be written again, only its commitments
    that changed are laid out. Only the latest build's are kept, and pages only up to
    CACHED_PAGES."""

    def __init__(self) -> None:
        self._parts: dict[str, list[_Part]] = {}
        self._pages: dict[str, _Laid] = {}
        self.engine: tuple[str, FontConfiguration, weasyprint.CSS] | None = None  # fonts and stylesheet, loaded
        self.sheets: dict[tuple[str, int, int], bytes] = {}  # page numbers, laid out

    def get(self, key: str) -> list[_Part]:
        return self._parts.get(key, [])

    def pages(self, key: str) -> _Laid | None:
        return self._pages.get(key)

    def keep(self, parts: dict[str, list[_Part]], pages: dict[str, _Laid]) -> None:
        self._parts = parts
        self._pages = pages if sum(len(laid.pages) for laid in pages.values()) <= CACHED_PAGES else {}


@dataclass(frozen=True)
class _Laid:
    """A commitment's pages as a layout made them, and a document of that layout (the
    engine's fonts and the report's metadata, to write pages with: ``Document.copy``)."""

    pages: tuple[Any, ...]
    document: Any


def _window_key(report: Report, window: list[_Chunk], templates: str) -> str:
    """What a window's pages show, and the templates that lay them out, as a digest: the
    page furniture (not the version or dates, which only the cover shows) and its chunks."""
    meta = replace(report.meta, version="", timestamp="", produced="", templates=())
    digest = hashlib.sha256(repr((meta, [(c.id, c.opens, c.priority.section.number, c.priority.section.heading,
                                          c.priority.section.lead_in, c.commitment) for c in window])).encode())
    digest.update(templates.encode())
    return digest.hexdigest()


def _templates_digest() -> str:
    """The layout templates and fonts as they are now: what a kept layout was made with
    (read again only when a file's size or time has changed)."""
    paths = [TEMPLATES / TEMPLATE, TEMPLATES / "quarterly-update.css", *sorted(TEMPLATES.glob("fonts/*"))]
    stats = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths if p.is_file())
    return _digest_of(stats)


@cache
def _digest_of(stats: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _, _ in stats:
        digest.update(Path(name).name.encode() + b"\0" + Path(name).read_bytes())
    return digest.hexdigest()


class PdfLayout:
    """A laid-out report, to write as the PDF."""

    def __init__(self, report: Report, engine: _Engine, parts: list[_Part], pagination: Pagination,
                 heard: list[str], fonts: dict[str, str], sheets: _Sheets):
        self.report, self.pagination = report, pagination
        self._engine, self._parts, self._heard, self._fonts, self._sheets = engine, parts, heard, fonts, sheets

    def write(self, path: Path) -> list[Problem]:
        """Join the parts and write the PDF at path (finished by pdfua); the problems of
        layout and writing. Once only: each part is let go as it is joined."""
        with _engine_messages() as heard:
            front = self._parts[0].count.pages
            outline = self._outline()
            parts, self._parts = self._parts, []
            pdf = pdfjoin.joined(_let_go(parts), outline=outline)
            with pdf:
                _check_links(pdf, front)
                pdfua.finish_pdf(pdf, _link_descriptions(self.report, self.pagination.ranges))
                body = range(front, self.pagination.pages)
                pdfjoin.stamp(pdf, self._engine.furniture(), body, repeat=True, under=True, prefix="Fu")
                for number, sheets in self._sheets.get(heard):
                    pdfjoin.stamp(pdf, sheets, range(number - 1, number - 1 + SHEETS))
                pdfua.save(pdf, Path(path))
        missing: set[str] = set()
        problems = []
        for message in dict.fromkeys(self._heard + heard):
            notdef = _NOTDEF.search(message)
            if notdef:
                missing.add(chr(int(notdef[1], 16)))
            else:
                problems.append(warning(f"the PDF engine reported: {message}"))
        return problems + unshown(self.report, missing) + _body_font(self._fonts)

    def _outline(self) -> list[pdfjoin.Bookmark]:
        """The bookmarks: each priority, its commitments under it, at their first pages."""
        first = dict(_chunk_starts([part.count for part in self._parts[1:]]))
        front = self._parts[0].count.pages
        out = []
        for p in layout.priorities(self.report):
            ids = [c.id for c in p.commitments] or [p.id]
            kids = [pdfjoin.Bookmark(c.text, front + first[c.id]) for c in p.commitments]
            out.append(pdfjoin.Bookmark(p.heading, front + first[ids[0]], tuple(kids)))
        return out


def _let_go(parts: list[_Part]) -> Iterator[bytes]:
    """Each part's PDF, in order, the part dropped from `parts` as it is taken."""
    parts.reverse()
    while parts:
        yield parts.pop().data


_warm: list[tuple[FontConfiguration, weasyprint.CSS]] = []  # fonts and stylesheet loaded ahead (warm_up)


def warm_up() -> None:
    """Load the fonts and the stylesheet now, for the next layout (a worker does, while it waits)."""
    fonts = FontConfiguration()
    _warm[:] = [(fonts, _stylesheet(fonts))]


class _Engine:
    """Layouts of one report: its fonts and stylesheet loaded once for all of them."""

    def __init__(self, report: Report, cache: LayoutCache | None = None):
        self.report, self.cache = report, cache
        self.digest = _templates_digest() if cache is not None else ""  # what kept layouts are keyed by
        if cache is not None and cache.engine is not None and cache.engine[0] == self.digest:
            _, self.fonts, self.stylesheet = cache.engine
        elif _warm:
            (self.fonts, self.stylesheet), _warm[:] = _warm[0], []
        else:
            self.fonts = FontConfiguration()  # shared by every layout, so fonts are embedded once
            self.stylesheet = _stylesheet(self.fonts)
        if cache is not None:
            cache.engine = (self.digest, self.fonts, self.stylesheet)

    def front(self, ranges: dict[int, str]) -> weasyprint.Document:
        """The cover and contents."""
        return self._render(render_html(self.report, ranges, front_only=True))

    def body(self, priorities: Sequence[layout.Priority]) -> weasyprint.Document:
        """Pages of the body: these priorities (each with some of its commitments), with
        nothing in the page margins (``furniture``, ``sheet``)."""
        return self._render(_template(self.report, priorities, {}, front=False, body=True, numbered=False,
                                      furnished=False))

    def furniture(self) -> bytes:
        """What every body page shows around its text, laid out once on a page of its own: the
        running header, the markings, the DRAFT mark and watermark (no page number): an
        untagged PDF."""
        html = _template(self.report, (), {}, front=False, body=False, numbered=False)
        data: bytes = self._render(html, tagged=False).write_pdf(uncompressed_pdf=True)
        return data

    def sheet(self, start: int, count: int) -> bytes:
        """`count` pages numbered from `start`, with nothing but the page number where the
        stylesheet puts it: an untagged PDF (see ``_Sheets``)."""
        kept = self.kept_sheet(start, count)
        if kept is not None:
            return kept
        html = ('<!DOCTYPE html><html lang="en-GB"><head><style>'
                f"@page :first {{ counter-reset: page {start}; }}"
                "@page { @top-center { content: none; } }"
                ".sheet + .sheet { break-before: page; }</style></head><body>"
                + '<div class="sheet"></div>' * count + "</body></html>")
        data: bytes = self._render(html, tagged=False).write_pdf(uncompressed_pdf=True)
        self.keep_sheet(start, count, data)
        return data

    def kept_sheet(self, start: int, count: int) -> bytes | None:
        """The sheet as an earlier build laid it out, if the layout cache has it."""
        return self.cache.sheets.get((self.digest, start, count)) if self.cache is not None else None

    def keep_sheet(self, start: int, count: int, data: bytes) -> None:
        if self.cache is not None:
            self.cache.sheets[(self.digest, start, count)] = data

    def _render(self, html: str, tagged: bool = True) -> weasyprint.Document:
        return _render(html.replace(STYLESHEET_LINK, "", 1), self.fonts, self.stylesheet, tagged=tagged)


# --- the body, in parts ------------------------------------------------------------


@dataclass(frozen=True)
class _Count:
    """A part's pages, counted before it is written: enough for the contents' ranges."""

    window: int  # the window it comes from (-1: the front), and its place among that window's parts
    order: int
    pages: int
    starts: tuple[tuple[str, int], ...]  # (chunk id, index of its first page in the part)
    last: bool  # the window's last part


@dataclass
class _Part:
    """Pages written as a tagged PDF of their own: their count, the PDF, the text each font drew."""

    count: _Count
    data: bytes
    fonts: dict[str, str]  # font family -> the text drawn in it


@dataclass
class _Chunk:
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

    def reuse(self, laid: _Laid | None, keep: bool) -> None:
        """Take the pages an earlier build laid out for what this holds, if there are any;
        with `keep`, keep its pages for the next build."""
        self.kept = keep
        if laid is not None:
            self.pages, self.done, self.source = list(laid.pages), True, laid.document

    def laid(self) -> _Laid | None:
        """Its pages for the next build, when this process has them all (not when they were
        laid out in a forked process)."""
        return _Laid(tuple(self.pages), self.source) if self.kept and self.done else None

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


def _chunks(report: Report) -> list[_Chunk]:
    """The parts of the body each starting a page: commitments, and priorities without one."""
    out: list[_Chunk] = []
    for priority in layout.priorities(report):
        if not priority.commitments:
            out.append(_Chunk(priority.id, priority, None, budget=None))
        out += [_Chunk(c.id, priority, c, opens=n == 0) for n, c in enumerate(priority.commitments)]
    return out


def _measure(chunk: _Chunk) -> int:
    """How much a chunk holds to lay out, by ``layout.size``."""
    nodes = chunk.commitment.nodes() if chunk.commitment is not None else iter(())
    return sum(layout.size(n) for n in nodes)


def _windows(chunks: list[_Chunk]) -> list[list[_Chunk]]:
    """Runs of consecutive chunks of about WINDOW_PAGES pages, by the measure of their
    bullets, and at least three runs when there are three chunks, for two processes to
    share (``_Queue``). The same whatever the number of processes, so that the PDF is too."""
    def pages(chunk: _Chunk) -> float:
        return 1 + _measure(chunk) / PAGE_MEASURE

    total = sum(pages(c) for c in chunks)
    most = min(float(WINDOW_PAGES), total / SPLIT)
    out: list[list[_Chunk]] = []
    held = 0.0
    for chunk in chunks:
        if out and held + pages(chunk) / 2 <= most:
            out[-1].append(chunk)
            held += pages(chunk)
        else:
            out.append([chunk])
            held = pages(chunk)
    return out


class _Queue:
    """The windows still to lay out, the longest first, each taken by whichever process is
    free: a commitment's pages are laid out one after another, so the longest ones start
    first, and no process waits while another has windows left. Shared between processes
    when `shared` (made before they fork)."""

    def __init__(self, windows: list[tuple[int, list[_Chunk]]], shared: bool):
        self._windows = sorted(windows, key=lambda w: (-sum(_measure(chunk) for chunk in w[1]), w[0]))
        self._taken: Any = None
        self._here = 0
        if shared:
            import multiprocessing

            self._taken = multiprocessing.get_context("fork").Value("i", 0)

    def take(self) -> tuple[int, list[_Chunk]] | None:
        if self._taken is None:
            index, self._here = self._here, self._here + 1
        else:
            with self._taken.get_lock():
                index = self._taken.value
                self._taken.value = index + 1
        return self._windows[index] if index < len(self._windows) else None


def _lay_out_share(engine: _Engine, queue: _Queue, counted: Callable[[_Count], None]) -> list[_Part]:
    """Windows taken from the queue, laid out and written, in parts; each part's pages
    `counted` before it is written. Up to ACTIVE windows are laid out together, round by
    round: each layout holds the next page or so of every commitment still going in them."""
    parts: list[_Part] = []
    active: list[_Window] = []
    document: weasyprint.Document | None = None
    while True:
        while len(active) < ACTIVE and (taken := queue.take()) is not None:
            active.append(_Window(*taken))
        active.sort(key=lambda window: window.index)  # in the document's order: a priority's pieces together
        if not active:
            return parts
        going = [chunk for window in active for chunk in window.chunks if not chunk.done]
        if going:
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
        if document is None:  # every commitment of the windows laid out before (a LayoutCache): write them
            document = next((c.source for window in active for c in window.chunks if c.source is not None), None)
        if document is not None:
            for window in active:
                parts += window.flush(document, counted)
        active = [window for window in active if not window.finished]


@dataclass
class _Window:
    """Consecutive chunks, whose pages are written in parts of FLUSH_PAGES (the last one
    shorter) as soon as they are final: where parts begin follows from the pages alone."""

    index: int
    chunks: list[_Chunk]
    written: int = 0  # parts written
    finished: bool = False

    def flush(self, document: weasyprint.Document, counted: Callable[[_Count], None]) -> list[_Part]:
        parts: list[_Part] = []
        while True:
            ready: list[tuple[_Chunk, int]] = []  # (chunk, how many of its pages are final and unwritten)
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
            parts.append(self._write(ready, min(count, FLUSH_PAGES), document, counted))

    def _write(self, ready: list[tuple[_Chunk, int]], size: int, document: weasyprint.Document,
               counted: Callable[[_Count], None]) -> _Part:
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
        count = _Count(self.index, self.written, len(pages), tuple(starts), last)
        self.written += 1
        counted(count)
        part = document.copy(pages)
        opened = {ident for ident, _ in starts}  # a priority's destination is its first chunk's first page
        keep = {chunk.priority.id for chunk, _ in ready if chunk.id in opened and chunk.opens}
        data = _write_part(part, keep)
        return _Part(count, data, _text_fonts(part))


def _grouped(shown: list[layout.Priority]) -> tuple[layout.Priority, ...]:
    """Consecutive pieces of one priority as one priority holding them all."""
    out: list[layout.Priority] = []
    for p in shown:
        if out and out[-1].id == p.id:
            out[-1] = layout.Priority(p.id, p.section, out[-1].commitments + p.commitments)
        else:
            out.append(p)
    return tuple(out)


def _write_part(document: weasyprint.Document, keep: set[str]) -> bytes:
    """Pages as a tagged PDF, its named destinations only the priorities' (`keep`) and
    the targets of its links."""
    _keep_link_targets(document, keep)
    data: bytes = document.write_pdf(**PDF_OPTIONS, uncompressed_pdf=True)  # pikepdf compresses them, once
    return data


class _Forked:
    """Windows laid out in a forked process, taken from the queue as it is free: its parts'
    counts come first (as each part is counted), then its parts and what the engine said
    there; then, asked for them, the page-number sheets (``_Sheets``), laid out while this
    process joins the parts."""

    def __init__(self, engine: _Engine, queue: _Queue, siblings: Sequence[_Forked] = ()):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        asked, self._ask = context.Pipe(duplex=False)

        def serve() -> None:
            for mine in [self, *siblings]:  # this side's ends of the pipes, as forked: else a pipe
                mine._receive.close()       # the other side has let go of would never end
                mine._ask.close()
            with _engine_messages() as heard:
                try:
                    parts = _lay_out_share(engine, queue, lambda count: send.send(("count", count)))
                    send.send(("parts", (parts, list(heard))))
                    wanted: list[tuple[int, int]] | None = asked.recv()
                    if wanted:
                        heard.clear()
                        send.send(("sheets", ({key: engine.sheet(*key) for key in wanted}, heard)))
                except TemplateError as exc:
                    send.send(("template", (exc.message, exc.hint)))
                except (EOFError, BrokenPipeError):  # the PDF was not written after all
                    pass
                except BaseException as exc:  # told to the parent, which raises it as a bug
                    send.send(("crash", f"{type(exc).__name__}: {exc}"))

        self._process = context.Process(target=serve, daemon=True)
        self._process.start()
        send.close()
        asked.close()
        self._ended = False
        self._parts: tuple[list[_Part], list[str]] | None = None

    def count(self) -> _Count | None:
        """The next part's count; None once it has no more parts to count (its parts have come)."""
        kind, value = self._next("count", "parts")
        if kind == "parts":
            self._parts = value
            return None
        found: _Count = value
        return found

    def ready(self) -> Any:
        return self._receive

    def parts(self) -> tuple[list[_Part], list[str]]:
        if self._parts is None:
            while self.count() is not None:
                pass
        assert self._parts is not None
        return self._parts

    def sheets(self, wanted: list[tuple[int, int]]) -> None:
        """Ask for the page-number sheets (start, count): ``laid_sheets`` gives them."""
        with contextlib.suppress(OSError):
            self._ask.send(wanted)
        self._ask.close()

    def laid_sheets(self) -> tuple[dict[tuple[int, int], bytes], list[str]]:
        _, found = self._next("sheets")
        laid: tuple[dict[tuple[int, int], bytes], list[str]] = found
        return laid

    def end(self) -> None:
        """Let it go: once it has sent what it was asked for, it ends."""
        if not self._ended:
            self._ended = True
            self._ask.close()
            self._receive.close()
            self._process.join()

    def stop(self) -> None:
        """End it now, whatever it is doing."""
        if not self._ended:
            self._process.terminate()
            self.end()

    def _next(self, *expected: str) -> tuple[str, Any]:
        try:
            kind, value = self._receive.recv()
        except (EOFError, OSError):
            kind, value = "crash", "the layout process ended without a word"
        if kind in expected:
            return kind, value
        self.end()
        if kind == "template":
            raise TemplateError(*value)
        raise InternalError(f"a layout process failed: {value}")


def _counted(others: list[_Forked], windows: int) -> list[_Count]:
    """The counts of the parts of `windows` windows the other processes lay out, as they come."""
    from multiprocessing.connection import wait

    found: list[_Count] = []
    counting = list(others)
    while sum(count.last for count in found) < windows:
        if not counting:
            raise InternalError("the layout processes laid out fewer windows than there are")
        for ready in wait([other.ready() for other in counting]):
            other = next(other for other in counting if other.ready() is ready)
            count = other.count()
            if count is None:
                counting.remove(other)
            else:
                found.append(count)
    return found


class _Sheets:
    """The page-number sheets of the body's pages, SHEETS pages to a sheet: laid out by another
    process while this one joins the parts, when there is one, else here; kept in the
    layout cache when there is one."""

    def __init__(self, engine: _Engine, first: int, pages: int, other: _Forked | None):
        self._engine, self._other = engine, other
        self._wanted = [(start, min(SHEETS, first + pages - start)) for start in range(first, first + pages, SHEETS)]
        asked = [key for key in self._wanted if engine.kept_sheet(*key) is None]
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
            data = laid.get(key)
            if data is None:
                data = self._engine.sheet(*key)
            else:
                self._engine.keep_sheet(*key, data)
            yield key[0], data


def _interleave(shares: list[list[_Part]]) -> list[_Part]:
    """The parts of every share in the order of the document (windows alternate between shares)."""
    return sorted((part for share in shares for part in share), key=lambda part: (part.count.window, part.count.order))


def _chunk_starts(counts: Sequence[_Count]) -> list[tuple[str, int]]:
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


def page_ranges_from(report: Report, starts: Sequence[tuple[str, int]], front: int, body: int) -> dict[int, str]:
    """Each priority's pages: "3-5", or "8" for a single page; from its first chunk's first page."""
    first = dict(starts)
    numbers = [p.number for p in report.priorities]
    begins = []
    for p in layout.priorities(report):
        ident = p.commitments[0].id if p.commitments else p.id
        if ident not in first:
            raise InternalError(f"priority {p.number} is missing from the laid-out PDF")
        begins.append(front + first[ident] + 1)
    ends = [s - 1 for s in begins[1:]] + [front + body]
    return {n: str(s) if s == e else f"{s}-{e}" for n, s, e in zip(numbers, begins, ends, strict=True)}


@contextlib.contextmanager
def _engine_messages() -> Iterator[list[str]]:
    """What WeasyPrint logs while it works, kept for the run's report instead of
    reaching the terminal; its logger is left as it was found."""
    heard: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            heard.append(" ".join(record.getMessage().split())[:300])

    logger = logging.getLogger(ENGINE_LOGGER)
    handler = Keep(logging.WARNING)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield heard
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def render_html(report: Report, ranges: dict[int, str], front_only: bool = False) -> str:
    """The document as HTML: the template filled in with the report's values, escaped;
    with `front_only`, only the cover and contents."""
    return _template(report, layout.priorities(report), ranges, front=True, body=not front_only, numbered=True)


def _template(report: Report, priorities: Sequence[layout.Priority], ranges: dict[int, str], *,
              front: bool, body: bool, numbered: bool, furnished: bool = True) -> str:
    return _environment().get_template(TEMPLATE).render(
        meta=report.meta, priorities=priorities, ranges=ranges, with_front=front, with_body=body,
        numbered=numbered, furnished=furnished,
    )


# --- layout -----------------------------------------------------------------------


STYLESHEET_LINK = '<link rel="stylesheet" href="quarterly-update.css">'


def _stylesheet(fonts: FontConfiguration) -> weasyprint.CSS:
    """The stylesheet, parsed and its fonts loaded once for every layout of a build."""
    try:
        return weasyprint.CSS(filename=str(TEMPLATES / "quarterly-update.css"), font_config=fonts,
                              url_fetcher=TemplatesOnly())
    except Refused as refused:
        raise TemplateError(str(refused), "the layout templates may use only files under templates/") from refused


def _render(html: str, fonts: FontConfiguration | None,
            stylesheet: weasyprint.CSS | None = None, *, tagged: bool = True) -> weasyprint.Document:
    document = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=TemplatesOnly())
    try:
        return document.render(font_config=fonts, stylesheets=[stylesheet] if stylesheet else None,
                               **(PDF_OPTIONS if tagged else {}))
    except Refused as refused:
        # WeasyPrint lets only BaseExceptions through; callers expect an Exception.
        raise TemplateError(str(refused), "the layout templates may use only files under templates/") from refused


def _one_link_per_entry(document: weasyprint.Document) -> None:
    """One link annotation per link: the engine makes one for every box inside the <a>
    as well, five to a contents line, which a reader would meet as five links."""
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[3].element_tag == "a"]


def _keep_link_targets(document: weasyprint.Document, keep: set[str]) -> None:
    """Only anchors a link leads to (and those in `keep`) become named destinations in the
    PDF; the ids that find bullets on pages (for the cuts) are of no use to a reader."""
    targets = keep | {target for page in document.pages for kind, target, *_ in page.links if kind == "internal"}
    for page in document.pages:
        for name in [n for n in page.anchors if n not in targets]:
            del page.anchors[name]


def _link_descriptions(report: Report, ranges: dict[int, str]) -> dict[str, str]:
    """What each contents link says it leads to: "Priority 2 – …, pages 6 to 7"."""
    out = {}
    for p in report.priorities:
        first, _, last = ranges.get(p.number, "").partition("-")
        pages = f"pages {first} to {last}" if last else f"page {first}"
        out[layout.priority_id(p.number)] = f"{p.heading}, {pages}"
    return out


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is data, never markup
        undefined=jinja2.StrictUndefined,
    )
    env.filters["css_string"] = css_string
    env.tests["heading"] = lambda segment: isinstance(segment, layout.Heading)
    env.tests["continued"] = lambda segment: isinstance(segment, layout.Continued)
    env.filters["with_colon"] = layout.with_colon
    return env


def css_string(value: str) -> Markup:
    """A CSS string literal that shows value as text, whatever value holds.

    Anything but ASCII letters, digits and a few inert signs becomes a hex
    escape, so the result can end neither the string, the rule nor <style>.
    """
    out = [c if (c.isascii() and c.isalnum()) or c in " .,-/" else f"\\{ord(c):06x}" for c in value]
    return Markup('"' + "".join(out) + '"')


def _check_links(pdf: Any, front_pages: int) -> None:
    """Every link in the joined PDF leads to a named destination it holds, in the body."""
    names = dict(pdfjoin.destinations(pdf))
    front = {p.obj.objgen for p in pdf.pages[:front_pages]}
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots", ()):
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                dest = names.get(str(annot.Dest))
                if dest is None or dest[0].objgen in front:
                    raise InternalError(f"page {number} links to #{annot.Dest}, which is not in the PDF")


# --- fonts --------------------------------------------------------------------------
#
# Text is set in Liberation Sans (Arial's metrics: the published pagination); what it
# cannot draw, Pango draws in the next family of the stylesheet's list, a fallback
# font `make` installs (FALLBACK_FONTS), or else in any installed font that has it.
# What no font has, the engine draws as an empty box and logs; that becomes a warning
# naming the update and the characters.

FALLBACK_FONTS = ("Droid Sans Fallback",)  # fonts-droid-fallback: Chinese, Japanese, Korean
_NOTDEF = re.compile(r"\.notdef glyph rendered for Unicode string unsupported by fonts: .* \(U\+([0-9A-Fa-f]+)\)")


def _text_fonts(document: weasyprint.Document) -> dict[str, str]:
    """Each font family a painted document used -> the text it drew (filled in by write_pdf)."""
    drawn: dict[str, str] = {}
    for font in document.fonts.values():
        drawn[font.family] = drawn.get(font.family, "") + "".join(font.to_unicode.values())
    return drawn


def _merge_fonts(each: Sequence[dict[str, str]]) -> dict[str, str]:
    drawn: dict[str, str] = {}
    for fonts in each:
        for family, text in fonts.items():
            drawn[family] = drawn.get(family, "") + text
    return drawn


def _body_font(drawn: dict[str, str]) -> list[Problem]:
    """A loud warning when ordinary text (Latin letters, digits) is set in a font other than
    Arial or Liberation Sans: its pagination, and so the contents ranges, would differ."""
    wrong = sorted(family for family, text in drawn.items()
                   if family not in ACCEPTED_FONTS and any(c.isascii() and c.isalnum() for c in text))
    if not wrong and any(family in ACCEPTED_FONTS for family in drawn):
        return []
    found = ", ".join(wrong) or "no font at all"
    return [warning(
        f"the PDF body is set in {found}, not Arial or Liberation Sans: its pagination, and so the "
        "contents page ranges, will differ from the published layout",
        hint=f"restore the bundled fonts in {TEMPLATES / 'fonts'} (or install fonts-liberation2) and build again")]


def unshown(report: Report, missing: set[str]) -> list[Problem]:
    """A warning for each update (or line of the plan) with characters no installed font has."""
    if not missing:
        return []
    out = []
    for where, text in _texts(report):
        chars = sorted(set(text) & missing)
        if chars:
            named = ", ".join(f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in chars)
            words = " ".join(text.split())
            excerpt = words if len(words) <= 40 else words[:39] + "…"
            out.append(warning(
                f"{where}: the PDF shows {len(chars)} character{'s' * (len(chars) != 1)} of '{excerpt}' as empty "
                f"boxes, as no installed font has {'them' if len(chars) != 1 else 'it'}: {named}",
                hint="the Word file and the HTML edition keep them; install a font that has them (a Noto family) "
                     "and build again, or write them another way"))
    return out


def _texts(report: Report) -> Iterator[tuple[str, str]]:
    """Every text the PDF shows, with where it comes from."""
    meta = report.meta
    yield "the plan's title", f"{meta.plan_title} {meta.document} {meta.unit} {meta.organisation} {meta.marking}"
    for p in report.priorities:
        yield f"priority {p.number}'s heading", f"{p.heading} {p.lead_in}"
        for c in p.commitments:
            yield f"commitment {c.id}'s text", c.text
            for block in c.blocks:
                if isinstance(block, SubHeading):
                    yield f"commitment {c.id}, a sub-heading", block.text
                else:
                    yield from _item_texts(block, f"commitment {c.id}" + (f" ({block.area})" if block.area else ""))


def _item_texts(item: Item, where: str) -> Iterator[tuple[str, str]]:
    yield f"{where}, an update", f"{item.label or ''} {item.text}"
    for child in item.children:
        yield from _item_texts(child, where)


# --- fetching -----------------------------------------------------------------------


class Refused(FatalURLFetchingError):
    """A resource outside templates/: fatal, so WeasyPrint cannot turn it into a warning."""


class TemplatesOnly(URLFetcher):
    """A WeasyPrint URL fetcher for files under templates/; anything else is refused."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",))

    def fetch(self, url: str, headers: Any = None) -> Any:
        path = templates_path(url)
        if path is None:
            raise Refused(f"refused to load {url}: only files under {TEMPLATES} may be used")
        # A missing file under templates/ is an ordinary error: WeasyPrint warns
        # and goes on (a missing font then shows in the body font's warning).
        return super().fetch(path.as_uri(), headers)


def templates_path(url: str) -> Path | None:
    """The path under templates/ that url names, or None when it names anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    return path if TEMPLATES.resolve() in path.parents else None
