"""Turn a Report into the Quarterly Update PDF and its Pagination: the body laid out in
parts (``windows``, on more than one core: ``forked``), the cover and contents laid out
with the page ranges the parts give, and the whole joined, finished and stamped.

1. the body's windows are laid out and their parts counted (a LayoutCache may hold some
   already: ``cache``);
2. each priority's range follows from the parts' pages; the cover and contents are laid
   out with them, starting from a guess of FRONT_PAGES pages before the body (should the
   contents come to another number of pages, the ranges move and they are laid out once
   more: the body is not);
3. ``join`` joins the parts (pages, structure trees, destinations, outline), then
   ``pdfua.finish_pdf`` makes page furniture and repeated blocks artifacts and puts the
   structure tree right (PDF/UA-1), and ``join.stamp`` draws, as artifacts, what the
   body's layouts leave out of the page margins: the furniture (running header, markings,
   DRAFT mark and watermark), laid out once on a page of its own, beneath every body page,
   and each page's number, from sheets of page numbers (``forked.Sheets``).

The pages are those one layout of the whole document would give, cut the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import weasyprint

from ...errors import InternalError, Problem
from ...kept import EngineRecord
from ...model import Pagination, Report
from .. import layout
from . import fonts, join, links, pdfua, record, windows
from .cache import LayoutCache, Reuse
from .engine import Engine, Loaded, engine_messages
from .forked import SHEETS, Pool, Sheets
from .windows import Count, Part, chunk_starts

FRONT_PAGES = 2  # the cover and contents, as a first guess (the contents are laid out to see)
SETTLE = 4  # layouts of the front before giving up


def write_pdf(report: Report, path: Path, processes: int = 1) -> tuple[Pagination, list[Problem]]:
    """Render report to a PDF at path; return page count and each priority's page range,
    and the problems: what the PDF engine reported (never printed by the engine itself),
    characters no installed font can draw (by update), a body font other than Liberation Sans."""
    laid = lay_out_pdf(report, processes)
    return laid.pagination, laid.write(path)


def lay_out_pdf(report: Report, processes: int = 1, cache: LayoutCache | None = None,
                loaded: Loaded | None = None) -> PdfLayout:
    """The report laid out (its body in `processes` forked processes when there are more
    than one, while this one lays out the front and joins): its pagination known, the
    body's parts written, the joined PDF still to write (``write``). With a `cache`,
    windows laid out by an earlier build, holding the same, are not laid out again; with
    `loaded`, the fonts and stylesheet are those loaded ahead."""
    with engine_messages() as heard:
        reuse = Reuse(cache, report, list(enumerate(windows.windows(windows.chunks(report)))))
        engine = Engine(report, reuse.loaded(loaded))
        forking = processes > 1 and len(reuse.waiting) > 1
        reuse.take_pages(keep=not forking)  # pages laid out in a forked process never come back: not kept there
        pool = Pool(engine, windows.Queue(reuse.waiting, forking), processes if forking else 0)
        with pool.stopped_on_failure():
            counts = sorted([part.count for part in reuse.kept] + pool.counts(len(reuse.waiting)),
                            key=lambda count: (count.window, count.order))
            front = _Front.settled(engine, counts)  # the front goes on while the parts are written
            sheets = Sheets(engine, front.pages + 1, front.body, pool.sheets(), reuse)
            cover = front.part(engine.loaded.bundled)
            parts = windows.in_order([*pool.parts(), reuse.kept])
        heard.extend(pool.heard)
        reuse.keep(parts, heard)
        if [part.count for part in parts] != counts:
            raise InternalError("the parts of the PDF are not the pages counted")
        drawn = fonts.merged([*(part.fonts for part in parts), cover.fonts])
    pagination = Pagination(pages=front.pages + front.body, ranges=front.ranges)
    return PdfLayout(report, engine, [cover, *parts], pagination, heard, drawn, sheets)


@dataclass
class _Front:
    """The cover and contents, laid out with the page ranges the body's parts give."""

    document: weasyprint.Document
    ranges: dict[int, str]
    body: int  # the body's pages

    @property
    def pages(self) -> int:
        return len(self.document.pages)

    @classmethod
    def settled(cls, engine: Engine, counts: Sequence[Count]) -> _Front:
        """Laid out until the contents take the number of pages the ranges were counted with."""
        body = sum(count.pages for count in counts)
        starts = chunk_starts(counts)
        pages = FRONT_PAGES
        for _ in range(SETTLE):
            ranges = page_ranges_from(engine.report, starts, pages, body)
            front = engine.front(ranges)
            if len(front.pages) == pages:
                return cls(front, ranges, body)
            pages = len(front.pages)
        raise InternalError("the contents page ranges did not settle")

    def part(self, bundled: frozenset[bytes]) -> Part:
        """The cover and contents written, as the first part."""
        links.one_link_per_entry(self.document)
        data = windows.write_part(self.document, keep=set())
        return Part(Count(-1, 0, self.pages, (), True), data, fonts.drawn(self.document, bundled))


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


class PdfLayout:
    """A laid-out report, to write as the PDF."""

    def __init__(self, report: Report, engine: Engine, parts: list[Part], pagination: Pagination,
                 heard: list[str], drawn: fonts.Drawn, sheets: Sheets):
        self.report, self.pagination = report, pagination
        self._engine, self._parts, self._heard, self._drawn, self._sheets = engine, parts, heard, drawn, sheets

    @property
    def engine(self) -> EngineRecord:
        """What no lock can pin but the PDF's bytes depend on: the text libraries' versions,
        the fonts the system gave (``record``)."""
        return record.engine(self._drawn)

    def write(self, path: Path) -> list[Problem]:
        """Join the parts and write the PDF at path (finished by pdfua); the problems of
        layout and writing. Once only: each part is let go as it is joined."""
        with engine_messages() as heard:
            front = self._parts[0].count.pages
            outline = self._outline()
            parts, self._parts = self._parts, []
            pdf = join.joined(_let_go(parts), outline=outline)
            with pdf:
                links.check_links(pdf, front)
                pdfua.finish_pdf(pdf, links.link_descriptions(self.report, self.pagination.ranges))
                body = range(front, self.pagination.pages)
                join.stamp(pdf, self._engine.furniture(), body, repeat=True, under=True, prefix="Fu")
                for number, sheets in self._sheets.get(heard):
                    join.stamp(pdf, sheets, range(number - 1, number - 1 + SHEETS))
                pdfua.save(pdf, Path(path))
        return fonts.engine_problems(self.report, self._heard + heard, self._drawn)

    def _outline(self) -> list[join.Bookmark]:
        """The bookmarks: each priority, its commitments under it, at their first pages."""
        first = dict(chunk_starts([part.count for part in self._parts[1:]]))
        front = self._parts[0].count.pages
        out = []
        for p in layout.priorities(self.report):
            ids = [c.id for c in p.commitments] or [p.id]
            kids = [join.Bookmark(c.text, front + first[c.id]) for c in p.commitments]
            out.append(join.Bookmark(p.heading, front + first[ids[0]], tuple(kids)))
        return out


def _let_go(parts: list[Part]) -> Iterator[bytes]:
    """Each part's PDF, in order, the part dropped from `parts` as it is taken."""
    parts.reverse()
    while parts:
        yield parts.pop().data
