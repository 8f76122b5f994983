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
import ctypes.util
import gc
import io
import logging
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from ..model import Pagination, Report, SubHeading


# --- loading WeasyPrint quickly ------------------------------------------------------


_LDCONFIG_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


@contextlib.contextmanager
def _quick_library_lookup():
    """While WeasyPrint loads Pango, HarfBuzz and fontconfig, look libraries up in
    the dynamic linker's cache once instead of asking ``ctypes.util.find_library``.

    WeasyPrint tries several names per library ("libgobject-2.0-0", "gobject-2.0",
    …, "libgobject-2.0.so.0"); cffi passes each name that does not load as it is to
    ``find_library``, which on Linux runs ``ldconfig -p`` and then gcc and ld for
    every name it does not find: 22 lookups, about 0.25 s of a 0.45 s import. Here
    the cache is read once (one ``ldconfig -p``) and a name it lacks is not found,
    which is safe because WeasyPrint also tries each library's exact soname
    ("libgobject-2.0.so.0"), which dlopen finds by itself wherever the system puts
    it (LD_LIBRARY_PATH included). Anywhere but Linux nothing changes.
    """
    if not sys.platform.startswith("linux"):
        yield
        return
    original = ctypes.util.find_library
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            stdout=subprocess.PIPE, env={"LC_ALL": "C", "LANG": "C"}, check=False,
        ).stdout
    except OSError:
        listing = b""
    if not listing:  # no glibc ldconfig: leave find_library as it is
        yield
        return
    machine = os.uname().machine + ("-64" if sys.maxsize > 2**32 else "-32")
    abi = _LDCONFIG_ABI.get(machine, "libc6")  # as ctypes.util reads the listing

    def find_library(name: str) -> str | None:
        pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(os.fsencode(name)), os.fsencode(abi))
        m = re.search(pattern, listing)
        return os.fsdecode(m.group(1)) if m else None

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _import_weasyprint() -> None:
    try:
        # quietly: on failure WeasyPrint prints installation advice before raising
        with _quick_library_lookup(), contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except OSError:  # a library the quick lookup missed: the slow, thorough way
        import weasyprint  # noqa: F401


_import_weasyprint()

import weasyprint  # noqa: E402  (loaded above; these only bind the names)
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
TEMPLATE = "quarterly-update.html"
PLACEHOLDER = "00-00"  # wide as any range below page 100 (the font's digits are tabular)
ACCEPTED_FONTS = ("Arial", "Liberation Sans")  # the same metrics: the same pagination
PDF_OPTIONS = {
    "pdf_variant": "pdf/ua-1",  # tagged, /Lang, DisplayDocTitle, XMP metadata
    "pdf_identifier": True,  # pydyf derives the /ID from the file's bytes: reproducible
    "custom_metadata": True,  # the version and marking as Info entries of their own
}

log = logging.getLogger(__name__)


def write_pdf(report: Report, path: Path) -> Pagination:
    """Render report to a PDF at path; return page count and each priority's page range."""
    with _settled_objects_left_alone():
        return _write_pdf(report, path)


def _write_pdf(report: Report, path: Path) -> Pagination:
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
        raise RuntimeError("the contents page ranges did not settle")
    document = body.copy(front.pages + body.pages[len(front.pages):])
    _check_links(document)
    document.write_pdf(Path(path), **PDF_OPTIONS)
    _warn_about_fonts(document)
    return Pagination(pages=len(document.pages), ranges=ranges)


@contextlib.contextmanager
def _settled_objects_left_alone():
    """Keep the garbage collector to the objects the layout makes.

    Layout allocates boxes by the hundred thousand, so the collector runs often,
    and every full pass walks everything the process holds: WeasyPrint's, Python's
    and the readers' modules and data, none of which the layout frees. Freezing
    them first (``gc.freeze``) leaves the collector only the layout's own objects;
    they are handed back afterwards (``gc.unfreeze``). Memory is unchanged: the
    layout's garbage is still collected as it goes. About 0.05 s of 0.7 s for the
    sample. Objects a caller froze already stay frozen."""
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


def font_problems() -> list[str]:
    """Loud warnings when the body font is not Arial or Liberation Sans (pagination would differ)."""
    used = _body_fonts()
    wrong = sorted(used - set(ACCEPTED_FONTS))
    if used and not wrong:
        return []
    found = ", ".join(wrong) or "no font at all"
    return [
        f"WARNING: the PDF body is set in {found}, not Arial or Liberation Sans: "
        "its pagination, and so the contents page ranges, will differ from the published layout.",
        f"WARNING: restore the bundled fonts in {TEMPLATES / 'fonts'} "
        "(or install fonts-liberation2) and build again.",
    ]


def page_ranges(report: Report, document: weasyprint.Document) -> dict[int, str]:
    """Each priority's pages in a laid-out document: "3-5", or "8" for a single page."""
    anchors = _anchor_pages(document)
    numbers = [p.number for p in report.priorities]
    starts = []
    for n in numbers:
        if f"priority-{n}" not in anchors:
            raise RuntimeError(f"priority {n} is missing from the laid-out PDF")
        starts.append(anchors[f"priority-{n}"])
    ends = [s - 1 for s in starts[1:]] + [len(document.pages)]
    return {n: str(s) if s == e else f"{s}-{e}" for n, s, e in zip(numbers, starts, ends)}


def render_html(report: Report, ranges: dict[int, str], front_only: bool = False) -> str:
    """The document as HTML: the template filled in with the report's values, escaped."""
    return _environment().get_template(TEMPLATE).render(
        meta=report.meta, priorities=report.priorities, ranges=ranges, with_body=not front_only
    )


# --- layout -----------------------------------------------------------------------


def _layout(report, ranges, fonts, front_only=False) -> weasyprint.Document:
    html = weasyprint.HTML(
        string=render_html(report, ranges, front_only),
        base_url=TEMPLATES.as_uri() + "/",
        url_fetcher=TemplatesOnly(),
    )
    try:
        return html.render(font_config=fonts, **PDF_OPTIONS)
    except Refused as refused:
        # WeasyPrint lets only BaseExceptions through; callers expect an Exception.
        raise PermissionError(str(refused)) from refused


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
    out = [c if c.isascii() and c.isalnum() or c in " .,-/" else f"\\{ord(c):06x}" for c in value]
    return Markup('"' + "".join(out) + '"')


def _anchor_pages(document) -> dict[str, int]:
    """Anchor name -> the first page (counting from 1) it stands on."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def _front_length(report: Report, body) -> int:
    """How many pages come before the first priority (cover and contents)."""
    if not report.priorities:
        return len(body.pages)
    return _anchor_pages(body)[f"priority-{report.priorities[0].number}"] - 1


def _check_links(document) -> None:
    """Every internal link in the spliced document leads to an anchor it holds."""
    anchors = _anchor_pages(document)
    for number, page in enumerate(document.pages, start=1):
        for kind, target, *_ in page.links:
            if kind == "internal" and target not in anchors:
                raise RuntimeError(f"page {number} links to #{target}, which is not in the PDF")


# --- fonts --------------------------------------------------------------------------


def _families(document) -> frozenset[str]:
    """Font families a painted document really used (filled in by write_pdf)."""
    return frozenset(font.family for font in document.fonts.values())


def _warn_about_fonts(document) -> None:
    others = sorted(_families(document) - set(ACCEPTED_FONTS))
    if others:
        log.warning("some PDF text is set in %s (characters missing from Liberation Sans?)",
                    ", ".join(others))


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
    """A WeasyPrint URL fetcher for files under templates/; anything else is logged and refused."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",))

    def fetch(self, url, headers=None):
        path = templates_path(url)
        if path is None:
            log.error("refused to load %s: only files under %s may be used", url, TEMPLATES)
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
