"""Turn a Report into the Quarterly Update PDF (WeasyPrint) and its Pagination.

The contents page shows each priority's page range, which is only known once
the document is laid out. Rather than lay it out twice, this writer:

1. lays out the whole document once, every contents line showing a placeholder
   range of fixed width ("00-00");
2. finds each page on which a commitment goes on from the page before, and the
   bullet it opens with: such a page must repeat the priority heading, lead-in and
   commitment, and the label of every group the break fell inside with
   "(continued)". From there the commitment is laid out again alone, cut there
   (``layout.Cut``), a page at a time (each layout holds only about a page and a
   third of its bullets; its first page is kept, its second page's first bullet is
   the next cut), numbered from the page it replaces. Should a commitment come to
   another number of pages, the commitments after it are laid out again the same
   way from their starts, so that their page numbers are right;
3. reads each page's anchors to find the page where each priority starts; it
   ends where the next one starts, as every priority opens a new page;
4. lays out only the cover and contents again, now with the real ranges, and
   splices them onto the body, checking that every contents link finds its anchor;
5. writes the PDF and hands it to ``pdfua.finish``, which makes page furniture
   and repeated blocks artifacts and puts the structure tree right (PDF/UA-1).

Cost: step 2 lays out about a page and a third per continuation page (about
0.05 s for the sample's two) where a second full layout would cost about 0.5 s;
step 4 two pages, about 0.03 s. The fonts and the stylesheet are loaded once for
all the layouts of a build (``_Engine``).

All text is data: the template is autoescaped and submission text only ever
reaches it as values. WeasyPrint may load nothing but files under
``templates/`` (stylesheet, fonts, draft watermark); anything else stops it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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
from . import layout, pdfua

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
TEMPLATE = "quarterly-update.html"
PLACEHOLDER = "00-00"  # wide as any range below page 100 (the font's digits are tabular)
ACCEPTED_FONTS = ("Arial", "Liberation Sans")  # the same metrics: the same pagination
PDF_OPTIONS = {
    "pdf_variant": "pdf/ua-1",  # tagged, /Lang, DisplayDocTitle, XMP metadata
    "pdf_identifier": True,  # pydyf derives the /ID from the file's bytes: reproducible
    "custom_metadata": True,  # the version and marking as Info entries of their own
}
SETTLE = 4  # layouts of the body (with cuts) or the front before giving up
PART_BUDGET = 4500  # bullets laid out after a cut (layout.size): a page and a bit, till pages say better

ENGINE_LOGGER = "weasyprint"


def write_pdf(report: Report, path: Path) -> tuple[Pagination, list[Problem]]:
    """Render report to a PDF at path; return page count and each priority's page range,
    and the problems: what the PDF engine reported (never printed by the engine itself),
    characters no installed font can draw (by update), a body font other than Liberation Sans."""
    laid = lay_out_pdf(report)
    return laid.pagination, laid.write(path)


def lay_out_pdf(report: Report) -> PdfLayout:
    """The report laid out: its pagination known, the PDF still to write (``write``)."""
    with _engine_messages() as heard:
        engine = _Engine(report)
        placeholders = {p.number: PLACEHOLDER for p in report.priorities}
        body = _body(engine, placeholders)
        ranges = page_ranges(report, body.pages)
        front = engine.layout(ranges, front_only=True)
        for _ in range(SETTLE):
            if len(front.pages) == _front_length(report, body.pages):
                break
            body = _body(engine, ranges)  # the contents grew: lay out everything again
            ranges = page_ranges(report, body.pages)
            front = engine.layout(ranges, front_only=True)
        else:
            raise InternalError("the contents page ranges did not settle")
        document = body.document.copy(front.pages + body.pages[len(front.pages):])
        _check_links(document)
    return PdfLayout(report, document, Pagination(pages=len(document.pages), ranges=ranges), heard)


class PdfLayout:
    """A laid-out report, to write as the PDF."""

    def __init__(self, report: Report, document: weasyprint.Document, pagination: Pagination, heard: list[str]):
        self.report, self.document, self.pagination, self._heard = report, document, pagination, heard

    def write(self, path: Path) -> list[Problem]:
        """Write the PDF at path (then finish it: pdfua); the problems of layout and writing."""
        with _engine_messages() as heard:
            _one_link_per_entry(self.document)
            _keep_link_targets(self.document)
            data = self.document.write_pdf(**PDF_OPTIONS, uncompressed_pdf=True)  # pikepdf compresses it, once
            pdfua.finish(data, Path(path), descriptions=_link_descriptions(self.report, self.pagination.ranges))
        missing: set[str] = set()
        problems = []
        for message in dict.fromkeys(self._heard + heard):
            notdef = _NOTDEF.search(message)
            if notdef:
                missing.add(chr(int(notdef[1], 16)))
            else:
                problems.append(warning(f"the PDF engine reported: {message}"))
        return problems + unshown(self.report, missing) + _body_font(_text_fonts(self.document))


_warm: list[tuple[FontConfiguration, weasyprint.CSS]] = []  # fonts and stylesheet loaded ahead (warm_up)


def warm_up() -> None:
    """Load the fonts and the stylesheet now, for the next layout (a worker does, while it waits)."""
    fonts = FontConfiguration()
    _warm[:] = [(fonts, _stylesheet(fonts))]


class _Engine:
    """Layouts of one report: its fonts and stylesheet loaded once for all of them."""

    def __init__(self, report: Report):
        self.report = report
        if _warm:
            (self.fonts, self.stylesheet), _warm[:] = _warm[0], []
        else:
            self.fonts = FontConfiguration()  # shared by every layout, so fonts are embedded once
            self.stylesheet = _stylesheet(self.fonts)

    def layout(self, ranges: dict[int, str], cuts: Sequence[layout.Cut] = (), *, front_only: bool = False,
               part: layout.Cut | None = None, first_page: int = 1,
               budget: int | None = None) -> weasyprint.Document:
        html = render_html(self.report, ranges, front_only, cuts, part, first_page, budget)
        return _render(html.replace(STYLESHEET_LINK, "", 1), self.fonts, self.stylesheet)


# --- the body: one layout, then the commitments that run over a page, cut ---------------


@dataclass
class _Body:
    """The body's pages, some perhaps from layouts of parts of it, and the cuts made."""

    document: weasyprint.Document  # the full layout the pages came from (its metadata is the PDF's)
    pages: list[Any]  # weasyprint.Page
    cuts: list[layout.Cut]


def _body(engine: _Engine, ranges: dict[int, str]) -> _Body:
    """The whole document laid out, with every continuation page cut where it breaks.

    One layout of the whole; then, part by part (a commitment, or a priority with none),
    a part that goes on over a page is laid out again from its first continuation page,
    a page at a time; once a part has come to another number of pages than the first
    layout gave it, the parts after it are laid out again from their starts, so that their
    pages are numbered rightly."""
    document = engine.layout(ranges)
    pages: list[Any] = list(document.pages)
    document.pages = []  # pages laid out again are let go as soon as they are replaced
    cuts: list[layout.Cut] = []
    chunks = _chunks(engine.report)
    spans = {ident: [n for n, page in enumerate(pages) if ident in page.anchors] for ident, _ in chunks}
    out = pages[:_front_length(engine.report, pages)] if chunks else pages
    shift = 0
    for ident, commitment in chunks:
        start, end = spans[ident][0], spans[ident][-1] + 1
        if shift:
            pages[start:end] = [None] * (end - start)
        if shift == 0:
            mine = pages[start:end]
            number = next((n for n in range(1, len(mine)) if commitment is not None
                           and continuations_in(commitment, mine, n) is not None), None)
            if number is None:
                out += mine
                continue
            out += mine[:number]
            assert commitment is not None  # only a commitment goes on over a page
            opening = continuations_in(commitment, mine, number)
            out += _chase(engine, cuts, layout.Cut(ident, opening), len(out) + 1)
        else:
            out += _chase(engine, cuts, layout.Cut(ident, None), len(out) + 1)
        shift = len(out) - end
        pages[start:end] = [None] * (end - start)
    return _Body(document, out, cuts)


def _chunks(report: Report) -> list[tuple[str, layout.Commitment | None]]:
    """The parts of the body each starting a page: commitments, and priorities without one."""
    out: list[tuple[str, layout.Commitment | None]] = []
    for priority in layout.priorities(report):
        if not priority.commitments:
            out.append((priority.id, None))
        out += [(c.id, c) for c in priority.commitments]
    return out


def _chase(engine: _Engine, cuts: list[layout.Cut], cut: layout.Cut, first_page: int) -> list[Any]:
    """A part's pages from `cut` on (its start, when `cut.before` is None), laid out a page at
    a time: each layout holds about a page and a third of bullets after the cut, its first
    page is kept, and its second page's first bullet is the next cut."""
    made: list[Any] = []
    budget: int | None = PART_BUDGET
    while True:
        if cut.before is not None:
            cuts.append(cut)
        commitment = _commitment(engine.report, cuts, cut.commitment)
        truncated = commitment is not None and commitment.resume(cut.before, budget)[1]
        part = engine.layout({}, cuts, part=cut, first_page=first_page + len(made), budget=budget)
        opening = continuations_in(commitment, part.pages, 1) if commitment and len(part.pages) > 1 else None
        if truncated and (len(part.pages) < 2 or opening is None):
            if cut.before is not None:
                cuts.pop()  # too few bullets to fill the page, or no place for the next cut: lay out more
            budget = budget * 2 if len(part.pages) < 2 and budget else None
            continue
        if opening is None:
            return made + list(part.pages)
        made.append(part.pages[0])
        assert commitment is not None
        budget = _filled(commitment, part.pages[0]) * 21 // 20 + 150
        cut = layout.Cut(cut.commitment, opening)


def _filled(commitment: layout.Commitment, page: Any) -> int:
    """How much of the budget's measure of bullets a page held."""
    return sum(layout.size(node) for node in commitment.nodes() if node.id in page.anchors and not node.cont)


def _commitment(report: Report, cuts: Sequence[layout.Cut], ident: str) -> layout.Commitment | None:
    return next((c for p in layout.priorities(report, cuts) for c in p.commitments if c.id == ident), None)


def continuations(priorities: Sequence[layout.Priority], pages: Sequence[Any],
                  cuts: Sequence[layout.Cut] = ()) -> list[layout.Cut]:
    """A cut for each page on which a commitment goes on from the page before without one:
    before the first bullet (or sub-heading) that starts on that page. A page that opens
    with the rest of one long update has no place for a cut and is left as it is."""
    found = []
    for priority in priorities:
        for commitment in priority.commitments:
            spread = [n for n, page in enumerate(pages) if commitment.id in page.anchors]
            for number in spread[1:]:
                opening = continuations_in(commitment, pages, number)
                if opening is not None and layout.Cut(commitment.id, opening) not in cuts:
                    found.append(layout.Cut(commitment.id, opening))
    return found


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


def page_ranges(report: Report, pages: Sequence[Any]) -> dict[int, str]:
    """Each priority's pages in a laid-out document: "3-5", or "8" for a single page."""
    anchors = _anchor_pages(pages)
    numbers = [p.number for p in report.priorities]
    starts = []
    for n in numbers:
        if layout.priority_id(n) not in anchors:
            raise InternalError(f"priority {n} is missing from the laid-out PDF")
        starts.append(anchors[layout.priority_id(n)])
    ends = [s - 1 for s in starts[1:]] + [len(pages)]
    return {n: str(s) if s == e else f"{s}-{e}" for n, s, e in zip(numbers, starts, ends, strict=True)}


def render_html(report: Report, ranges: dict[int, str], front_only: bool = False,
                cuts: Sequence[layout.Cut] = (), part: layout.Cut | None = None, first_page: int = 1,
                budget: int | None = None) -> str:
    """The document as HTML: the template filled in with the report's values, escaped.
    `part` renders only a commitment's pages from that cut on (with `budget`, only about
    that many characters of its bullets), numbered from `first_page`, to replace pages of
    a layout of the whole."""
    priorities = layout.priorities(report, cuts)
    if part is not None:
        priorities = tuple(
            layout.Priority(p.id, p.section, tuple(c.resume(part.before, budget)[0] for c in p.commitments
                                                   if c.id == part.commitment))
            for p in priorities if part.commitment in (p.id, *(c.id for c in p.commitments))
        )
    return _environment().get_template(TEMPLATE).render(
        meta=report.meta, priorities=priorities, ranges=ranges, with_body=not front_only,
        first_page=first_page,
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
            stylesheet: weasyprint.CSS | None = None) -> weasyprint.Document:
    document = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=TemplatesOnly())
    try:
        return document.render(font_config=fonts, stylesheets=[stylesheet] if stylesheet else None, **PDF_OPTIONS)
    except Refused as refused:
        # WeasyPrint lets only BaseExceptions through; callers expect an Exception.
        raise TemplateError(str(refused), "the layout templates may use only files under templates/") from refused


def _layout(report: Report, ranges: dict[int, str], fonts: FontConfiguration | None,
            cuts: Sequence[layout.Cut] = (), *, front_only: bool = False) -> weasyprint.Document:
    """A layout of the whole document, as the template links its stylesheet (for tests)."""
    return _render(render_html(report, ranges, front_only, cuts), fonts)


def _one_link_per_entry(document: weasyprint.Document) -> None:
    """One link annotation per link: the engine makes one for every box inside the <a>
    as well, five to a contents line, which a reader would meet as five links."""
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[3].element_tag == "a"]


def _keep_link_targets(document: weasyprint.Document) -> None:
    """Only anchors a link leads to become named destinations in the PDF; the ids that
    find bullets on pages (for the cuts) are of no use to a reader."""
    targets = {target for page in document.pages for kind, target, *_ in page.links if kind == "internal"}
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


def _anchor_pages(pages: Sequence[Any]) -> dict[str, int]:
    """Anchor name -> the first page (counting from 1) it stands on."""
    found: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for name in page.anchors:
            found.setdefault(name, number)
    return found


def _front_length(report: Report, pages: Sequence[Any]) -> int:
    """How many pages come before the first priority (cover and contents)."""
    if not report.priorities:
        return len(pages)
    return _anchor_pages(pages)[layout.priority_id(report.priorities[0].number)] - 1


def _check_links(document: weasyprint.Document) -> None:
    """Every internal link in the spliced document leads to an anchor it holds."""
    anchors = _anchor_pages(document.pages)
    for number, page in enumerate(document.pages, start=1):
        for kind, target, *_ in page.links:
            if kind == "internal" and target not in anchors:
                raise InternalError(f"page {number} links to #{target}, which is not in the PDF")


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
