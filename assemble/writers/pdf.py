"""Turn a Report into the Quarterly Update PDF (WeasyPrint) and its Pagination.

The contents page shows each priority's page range, which is only known once
the document is laid out. Rather than lay it out twice, this writer:

1. lays out the whole document once, every contents line showing a placeholder
   range of fixed width ("00-00");
2. reads each page's anchors to find the page where each priority starts; it
   ends where the next one starts, as every commitment opens a new page;
3. lays out only the cover and contents again, now with the real ranges;
4. splices them onto the body (``body.copy(front.pages + body.pages[2:])``) and
   checks that every contents link still finds its anchor.

Cost: step 3 is a second layout of two pages, about 0.03 s, where a second full
layout would cost about 0.5 s for the 16-page sample (and grows with the
document). Should the real ranges ever change how many pages the front takes,
the writer falls back to full layouts until the ranges settle.

All text is data: the template is autoescaped and submission text only ever
reaches it as values. WeasyPrint may load nothing but files under
``templates/`` (stylesheet, fonts, draft watermark); anything else stops it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
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
from ..model import Pagination, Report, SubHeading

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
TEMPLATE = "quarterly-update.html"
PLACEHOLDER = "00-00"  # wide as any range below page 100 (the font's digits are tabular)
ACCEPTED_FONTS = ("Arial", "Liberation Sans")  # the same metrics: the same pagination
PDF_OPTIONS = {
    "pdf_variant": "pdf/ua-1",  # tagged, /Lang, DisplayDocTitle, XMP metadata
    "pdf_identifier": True,  # pydyf derives the /ID from the file's bytes: reproducible
    "custom_metadata": True,  # the version and marking as Info entries of their own
}

ENGINE_LOGGER = "weasyprint"


def write_pdf(report: Report, path: Path) -> tuple[Pagination, list[Problem]]:
    """Render report to a PDF at path; return page count and each priority's page range,
    and what the PDF engine reported (warnings, never printed by the engine itself)."""
    with _engine_messages() as heard:
        pagination, families = _write_pdf(report, path)
    problems = [warning(f"the PDF engine reported: {message}") for message in dict.fromkeys(heard)]
    others = sorted(families - set(ACCEPTED_FONTS))
    if others:
        problems.append(warning(f"some PDF text is set in {', '.join(others)}",
                                hint="characters missing from Liberation Sans? check the PDF"))
    return pagination, problems


def _write_pdf(report: Report, path: Path) -> tuple[Pagination, frozenset[str]]:
    fonts = FontConfiguration()  # shared by both layouts, so fonts are embedded once
    placeholders = {p.number: PLACEHOLDER for p in report.priorities}
    body = _layout(report, placeholders, fonts)
    ranges = page_ranges(report, body)
    front = _layout(report, ranges, fonts, front_only=True)
    for _ in range(3):
        if len(front.pages) == _front_length(report, body):
            break
        body = _layout(report, ranges, fonts)  # the contents grew: lay out everything again
        ranges = page_ranges(report, body)
        front = _layout(report, ranges, fonts, front_only=True)
    else:
        raise InternalError("the contents page ranges did not settle")
    document = body.copy(front.pages + body.pages[len(front.pages):])
    _check_links(document)
    document.write_pdf(Path(path), **PDF_OPTIONS)
    return Pagination(pages=len(document.pages), ranges=ranges), _families(document)


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


def font_problems() -> list[Problem]:
    """A loud warning when the body font is not Arial or Liberation Sans (pagination would differ)."""
    with _engine_messages():
        used = _body_fonts()
    wrong = sorted(used - set(ACCEPTED_FONTS))
    if used and not wrong:
        return []
    found = ", ".join(wrong) or "no font at all"
    return [warning(
        f"the PDF body is set in {found}, not Arial or Liberation Sans: its pagination, and so the "
        "contents page ranges, will differ from the published layout",
        hint=f"restore the bundled fonts in {TEMPLATES / 'fonts'} (or install fonts-liberation2) and build again")]


def page_ranges(report: Report, document: weasyprint.Document) -> dict[int, str]:
    """Each priority's pages in a laid-out document: "3-5", or "8" for a single page."""
    anchors = _anchor_pages(document)
    numbers = [p.number for p in report.priorities]
    starts = []
    for n in numbers:
        if f"priority-{n}" not in anchors:
            raise InternalError(f"priority {n} is missing from the laid-out PDF")
        starts.append(anchors[f"priority-{n}"])
    ends = [s - 1 for s in starts[1:]] + [len(document.pages)]
    return {n: str(s) if s == e else f"{s}-{e}" for n, s, e in zip(numbers, starts, ends, strict=True)}


def render_html(report: Report, ranges: dict[int, str], front_only: bool = False) -> str:
    """The document as HTML: the template filled in with the report's values, escaped."""
    return _environment().get_template(TEMPLATE).render(
        meta=report.meta, priorities=report.priorities, ranges=ranges, with_body=not front_only
    )


# --- layout -----------------------------------------------------------------------


def _layout(report: Report, ranges: dict[int, str], fonts: FontConfiguration,
            front_only: bool = False) -> weasyprint.Document:
    html = weasyprint.HTML(
        string=render_html(report, ranges, front_only),
        base_url=TEMPLATES.as_uri() + "/",
        url_fetcher=TemplatesOnly(),
    )
    try:
        return html.render(font_config=fonts, **PDF_OPTIONS)
    except Refused as refused:
        # WeasyPrint lets only BaseExceptions through; callers expect an Exception.
        raise TemplateError(str(refused), "the layout templates may use only files under templates/") from refused


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is data, never markup
        undefined=jinja2.StrictUndefined,
    )
    env.filters["css_string"] = css_string
    env.tests["subheading"] = lambda block: isinstance(block, SubHeading)
    return env


def css_string(value: str) -> Markup:
    """A CSS string literal that shows value as text, whatever value holds.

    Anything but ASCII letters, digits and a few inert signs becomes a hex
    escape, so the result can end neither the string, the rule nor <style>.
    """
    out = [c if (c.isascii() and c.isalnum()) or c in " .,-/" else f"\\{ord(c):06x}" for c in value]
    return Markup('"' + "".join(out) + '"')


def _anchor_pages(document: weasyprint.Document) -> dict[str, int]:
    """Anchor name -> the first page (counting from 1) it stands on."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def _front_length(report: Report, body: weasyprint.Document) -> int:
    """How many pages come before the first priority (cover and contents)."""
    if not report.priorities:
        return len(body.pages)
    return _anchor_pages(body)[f"priority-{report.priorities[0].number}"] - 1


def _check_links(document: weasyprint.Document) -> None:
    """Every internal link in the spliced document leads to an anchor it holds."""
    anchors = _anchor_pages(document)
    for number, page in enumerate(document.pages, start=1):
        for kind, target, *_ in page.links:
            if kind == "internal" and target not in anchors:
                raise InternalError(f"page {number} links to #{target}, which is not in the PDF")


# --- fonts --------------------------------------------------------------------------


def _families(document: weasyprint.Document) -> frozenset[str]:
    """Font families a painted document really used (filled in by write_pdf)."""
    return frozenset(font.family for font in document.fonts.values())


@cache
def _body_fonts() -> frozenset[str]:
    """Families WeasyPrint picks for body text in regular, bold and italic."""
    probe = (
        '<html lang="en-GB"><head><link rel="stylesheet" href="quarterly-update.css"></head>'
        "<body><p>Police – Quarterly Update 2020/21: £1,234 (99%) <strong>North LPA:</strong> "
        "<em>italic</em> <strong><em>both</em></strong></p></body></html>"
    )
    html = weasyprint.HTML(
        string=probe, base_url=TEMPLATES.as_uri() + "/", url_fetcher=TemplatesOnly()
    )
    document = html.render()
    document.write_pdf()  # painting is what records the fonts used
    return _families(document)


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
        # and goes on (a missing font then shows in font_problems()).
        return super().fetch(path.as_uri(), headers)


def templates_path(url: str) -> Path | None:
    """The path under templates/ that url names, or None when it names anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    return path if TEMPLATES.resolve() in path.parents else None
