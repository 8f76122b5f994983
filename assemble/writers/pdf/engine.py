"""Turn HTML into laid-out pages with WeasyPrint, in its sandbox: the fonts and the
stylesheet loaded once for every layout of a build (``Loaded``), what the engine logs
kept for the run's report instead of the terminal (``engine_messages``), and the four
kinds of layout a PDF is made of (``Engine``): the cover and contents, pages of the
body, the furniture of the page margins, and sheets of page numbers.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from ... import TEMPLATES
from ...errors import TemplateError
from ...model import Report
from .. import layout
from . import template
from .fonts import bundled
from .sandbox import OUTSIDE, Refused, TemplatesOnly

PDF_OPTIONS = {
    "pdf_variant": "pdf/ua-1",  # tagged, /Lang, DisplayDocTitle, XMP metadata
    "pdf_identifier": True,  # pydyf derives the /ID from the file's bytes: reproducible
    "custom_metadata": True,  # the version and marking as Info entries of their own
}
ENGINE_LOGGER = "weasyprint"
STYLESHEET_LINK = f'<link rel="stylesheet" href="{template.STYLESHEET}">'


@dataclass(frozen=True)
class Loaded:
    """The fonts and the stylesheet, loaded: shared by every layout of a build, so that
    each font is loaded (and embedded) once; and the bundled fonts, to tell them from
    those the system gives (``fonts.bundled``)."""

    fonts: FontConfiguration
    stylesheet: weasyprint.CSS
    bundled: frozenset[bytes]


def load() -> Loaded:
    """Load the fonts and parse the stylesheet (the engine imported first, when it is not)."""
    fonts = FontConfiguration()
    try:
        stylesheet = weasyprint.CSS(filename=str(TEMPLATES / template.STYLESHEET), font_config=fonts,
                                    url_fetcher=TemplatesOnly())
    except Refused as refused:
        raise TemplateError(str(refused), OUTSIDE) from refused
    return Loaded(fonts, stylesheet, bundled())


class Engine:
    """Layouts of one report, all with the same fonts and stylesheet."""

    def __init__(self, report: Report, loaded: Loaded):
        self.report, self.loaded = report, loaded

    def front(self, ranges: dict[int, str]) -> weasyprint.Document:
        """The cover and contents."""
        return self._render(template.render_html(self.report, ranges, front_only=True))

    def body(self, priorities: Sequence[layout.Priority]) -> weasyprint.Document:
        """Pages of the body: these priorities (each with some of its commitments), with
        nothing in the page margins (``furniture``, ``sheet``)."""
        return self._render(template.template(self.report, priorities, {}, front=False, body=True, numbered=False,
                                              furnished=False))

    def furniture(self) -> bytes:
        """What every body page shows around its text, laid out once on a page of its own: the
        running header, the markings, the DRAFT mark and watermark (no page number): an
        untagged PDF."""
        html = template.template(self.report, (), {}, front=False, body=False, numbered=False)
        data: bytes = self._render(html, tagged=False).write_pdf(uncompressed_pdf=True)
        return data

    def sheet(self, start: int, count: int) -> bytes:
        """`count` pages numbered from `start`, with nothing but the page number where the
        stylesheet puts it: an untagged PDF (see ``sheets``)."""
        html = ('<!DOCTYPE html><html lang="en-GB"><head><style>'
                f"@page :first {{ counter-reset: page {start}; }}"
                "@page { @top-center { content: none; } }"
                ".sheet + .sheet { break-before: page; }</style></head><body>"
                + '<div class="sheet"></div>' * count + "</body></html>")
        data: bytes = self._render(html, tagged=False).write_pdf(uncompressed_pdf=True)
        return data

    def _render(self, html: str, tagged: bool = True) -> weasyprint.Document:
        """The HTML laid out with the loaded stylesheet (not the one it links to, parsed again)."""
        document = weasyprint.HTML(string=html.replace(STYLESHEET_LINK, "", 1), base_url=TEMPLATES.as_uri() + "/",
                                   url_fetcher=TemplatesOnly())
        try:
            return document.render(font_config=self.loaded.fonts, stylesheets=[self.loaded.stylesheet],
                                   **(PDF_OPTIONS if tagged else {}))
        except Refused as refused:
            # WeasyPrint lets only BaseExceptions through; callers expect an Exception.
            raise TemplateError(str(refused), OUTSIDE) from refused


@contextlib.contextmanager
def engine_messages() -> Iterator[list[str]]:
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
