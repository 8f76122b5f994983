"""Render a Report as the Quarterly Update in Word (.docx), from the template.

The template (``templates/quarterly-update.docx``, built by
``tools/make_docx_template.py``) holds the page setup, styles, headers and footers,
cover and contents page, with docxtpl tags for the values. This module fills the
tags and builds the body: each commitment is a one-column table on a new page
whose first row (priority heading, lead-in, commitment) is a repeating header row,
so a commitment that runs over a page repeats its heading block; the updates
follow, one row per top-level bullet, as real Word bullets at levels 0-2.

Submission text is data, never template code: every value reaches the template
already XML-escaped (``{`` and ``}`` as character references, so neither Jinja
nor docxtpl's own post-processing can read a tag in it), and the body is built as
XML elements. Characters XML forbids are dropped.

Output is reproducible: every date comes from ``meta.timestamp`` (core
properties, zip entry times) and the same report gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

from ..errors import TemplateError
from ..model import Block, CommitmentSection, Item, Meta, Pagination, PrioritySection, Report, SubHeading
from ..ooxml import stable_zip

TEMPLATE = Path(__file__).resolve().parent.parent.parent / "templates" / "quarterly-update.docx"
Element = Any  # a WordprocessingML element (python-docx's oxml classes)
TEMPLATE_VERSION_VAR = "AssembleTemplateVersion"

# Styles the body uses, by the names the template gives them.
HEADING = "Heading 1"
LEAD_IN = "Lead In"
COMMITMENT = "Commitment"
UPDATE = "Update"  # carries the bullet list (its numPr) for all three levels
SUBHEADING = "Update Subheading"
PAGE_START = "Page Start"
BODY_END = "Body End"
TABLE = "Commitment Table"
MAX_LEVEL = 2  # bullets go three levels deep: ilvl 0, 1, 2
NO_UPDATE = "No update this quarter."

# Characters XML 1.0 cannot carry (C0 controls but tab/newline/return, lone
# surrogates, U+FFFE/U+FFFF): dropped, they would make the file unreadable.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")


def write_docx(report: Report, path: Path, pagination: Pagination) -> None:
    """Render report to a .docx at path; the contents shows pagination.ranges (taken from the PDF)."""
    Path(path).write_bytes(render_docx(report, pagination))


def render_docx(report: Report, pagination: Pagination, template: Path = TEMPLATE) -> bytes:
    """The .docx as bytes (the same bytes for the same report, pagination and template)."""
    tpl = DocxTemplate(str(template))
    body = _BodyBuilder(tpl.get_docx())
    body_xml = "".join(
        etree.tostring(element, encoding="unicode") for element in body.build(report.priorities)
    )
    body_xml = _protect_braces(body_xml)
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    tpl.render(_context(report, pagination, body_xml), jinja_env=env)
    _set_properties(tpl.docx, report.meta)
    buf = io.BytesIO()
    tpl.save(buf)
    return stable_zip(buf.getvalue(), _timestamp(report.meta))


def template_version(path: Path = TEMPLATE) -> str | None:
    """The version the template (or a document made from it) records, if any."""
    with zipfile.ZipFile(path) as z:
        settings = z.read("word/settings.xml").decode("utf-8")
    m = re.search(rf'<w:docVar w:name="{TEMPLATE_VERSION_VAR}" w:val="([^"]*)"', settings)
    return m.group(1) if m else None


# --- text ----------------------------------------------------------------------


def clean(text: str) -> str:
    """Text as it may go into the document: forbidden characters dropped."""
    return _FORBIDDEN.sub("", text)


def clean_line(text: str) -> str:
    """One line of text: also tabs and line breaks become single spaces."""
    return _LINE_BREAKS.sub(" ", clean(text))


def _protect_braces(xml: str) -> str:
    """Braces as character references: docxtpl rewrites "{_{" and friends in the whole
    rendered part, and a reader of the XML sees the same characters either way."""
    return xml.replace("{", "&#123;").replace("}", "&#125;")


def _value(text: str) -> Markup:
    """A context value: escaped here, once, so the template shows it literally."""
    return Markup(_protect_braces(str(escape(clean_line(text)))))


def _with_colon(text: str) -> str:
    text = clean_line(text).rstrip()
    return text if text.endswith(":") else text + ":"


def page_range(text: str) -> str:
    """"8-8" is shown as "8"."""
    text = clean_line(text).strip()
    first, sep, last = text.partition("-")
    return first.strip() if sep and first.strip() == last.strip() else text


def anchor(priority: PrioritySection) -> str:
    return f"Priority_{priority.number}"


# --- template values -----------------------------------------------------------


def _context(report: Report, pagination: Pagination, body_xml: str) -> dict[str, Any]:
    meta = report.meta
    contents = [
        {
            "heading": _value(p.heading),
            "range": _value(page_range(pagination.ranges.get(p.number, ""))),
            "anchor": _value(anchor(p)),
        }
        for p in report.priorities
    ]
    return {
        "marking": _value(meta.marking),
        "plan_title": _value(meta.plan_title),
        "document": _value(meta.document),
        "quarter_long": _value(meta.quarter_long),
        "data_to": _value(meta.data_to),
        "version": _value(meta.version),
        "produced": _value(meta.produced),
        "unit": _value(meta.unit),
        "organisation": _value(meta.organisation),
        "running_header": _value(meta.running_header),
        "draft": bool(meta.draft),
        "contents": contents,
        "body": Markup(body_xml),
    }


def _timestamp(meta: Meta) -> datetime:
    """meta.timestamp as naive UTC (how core properties and zip entries take it)."""
    when = datetime.fromisoformat(meta.timestamp)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return max(when, datetime(1980, 1, 1))


def _set_properties(doc: Any, meta: Meta) -> None:
    props = doc.core_properties
    props.title = clean_line(meta.title)[:255]
    props.subject = clean_line(meta.quarter_long)[:255]
    props.author = clean_line(meta.unit)[:255]
    props.last_modified_by = clean_line(meta.unit)[:255]
    props.comments = clean_line(f"{meta.unit}, {meta.organisation}")[:255]
    props.keywords = clean_line(
        f"{meta.plan_title}; {meta.document}; {meta.quarter_short}; version {meta.version}; "
        f"produced {meta.produced}"
    )[:255]
    props.category = clean_line(meta.marking)[:255]
    props.content_status = "Draft" if meta.draft else "Final"
    props.identifier = clean_line(meta.quarter)[:255]
    props.version = clean_line(meta.version)[:255]
    props.language = "en-GB"
    props.revision = 1
    when = _timestamp(meta)
    props.created = props.modified = props.last_printed = when


# --- the body ------------------------------------------------------------------


class _BodyBuilder:
    """Builds the commitments as WordprocessingML elements in the template's styles."""

    def __init__(self, doc: Any):
        styles = doc.styles
        self.ids: dict[str, str] = {}
        for name in (HEADING, LEAD_IN, COMMITMENT, UPDATE, SUBHEADING, PAGE_START, BODY_END, TABLE):
            try:
                self.ids[name] = styles[name].style_id
            except KeyError:
                raise TemplateError(f"the Word template has no style named {name!r}",
                                    "restore the style, or take the template back from the last version") from None
        self.num_id = self._bullet_list(styles[UPDATE])
        section = doc.sections[0]
        self.width = round((section.page_width - section.left_margin - section.right_margin) / 635)
        self.bookmark = 0

    @staticmethod
    def _bullet_list(style: Any) -> str:
        ppr = style.element.pPr
        num_id = None if ppr is None or ppr.numPr is None or ppr.numPr.numId is None else ppr.numPr.numId.val
        if not num_id:
            raise TemplateError(f"the Word template's {UPDATE!r} style has no bullet list attached",
                                "restore the style, or take the template back from the last version")
        return str(num_id)

    def build(self, priorities: tuple[PrioritySection, ...]) -> list[Element]:
        elements: list[Element] = []
        for priority in priorities:
            commitments = priority.commitments or (None,)
            for index, commitment in enumerate(commitments):
                elements.append(self._paragraph(PAGE_START))
                elements.append(self._table(priority, commitment, first=index == 0))
        if elements:
            elements.append(self._paragraph(BODY_END))
        return elements

    # One commitment: header row (repeats on each page the table runs to), then updates.
    def _table(self, priority: PrioritySection, commitment: CommitmentSection | None, first: bool) -> Element:
        tbl = parse_xml(
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{self.ids[TABLE]}"/>'
            '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{self.width}"/></w:tblGrid></w:tbl>'
        )
        heading = self._paragraph(HEADING, priority.heading)
        if first:
            self._bookmark(heading, anchor(priority))
        head = [heading]
        if priority.lead_in:
            head.append(self._paragraph(LEAD_IN, priority.lead_in))
        if commitment is not None:
            head.append(self._paragraph(COMMITMENT, commitment.text))
        tbl.append(self._row(head, header=True))
        if commitment is not None:
            for row in self._rows(commitment.blocks):
                tbl.append(self._row(row))
            if not commitment.blocks:  # a plan that shows every commitment (show_empty)
                tbl.append(self._row([self._paragraph(SUBHEADING, NO_UPDATE)]))
        return tbl

    def _rows(self, blocks: tuple[Block, ...]) -> list[list[Element]]:
        """One row per top-level bullet and its children; a sub-heading shares its row
        with the bullet after it, so it never ends a page on its own."""
        rows: list[list[Element]] = []
        pending: list[Element] = []
        for block in blocks:
            if isinstance(block, SubHeading):
                pending.append(self._paragraph(SUBHEADING, _with_colon(block.text), keep_next=True))
                continue
            paragraphs = pending
            pending = []
            self._item(block, 0, paragraphs)
            rows.append(paragraphs)
        if pending:
            rows.append(pending)
        return rows

    def _row(self, paragraphs: list[Element], header: bool = False) -> Element:
        tr = parse_xml(
            f'<w:tr {nsdecls("w")}>'
            + ("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "")
            + f'<w:tc><w:tcPr><w:tcW w:w="{self.width}" w:type="dxa"/></w:tcPr></w:tc></w:tr>'
        )
        tc = tr.find(qn("w:tc"))
        assert tc is not None
        for p in paragraphs or [self._paragraph(UPDATE)]:
            tc.append(p)
        return tr

    def _item(self, item: Item, depth: int, out: list[Element]) -> None:
        p = self._paragraph(UPDATE, keep_next=bool(item.children) and not item.text.strip())
        numpr = p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = min(depth, MAX_LEVEL)
        numpr.get_or_add_numId().val = int(self.num_id)
        par = Paragraph(p, None)  # type: ignore[arg-type]  # no story part: the element is moved into one
        spans = [s for s in item.spans if clean_line(s.text)]
        if item.label:
            par.add_run(_with_colon(item.label)).bold = True
            if spans:
                par.add_run(" ")
        for i, span in enumerate(spans):
            text = clean_line(span.text)
            if i == 0 and item.label:
                text = text.lstrip()
            run = par.add_run(text)
            if span.bold:
                run.bold = True
            if span.italic:
                run.italic = True
        out.append(p)
        for child in item.children:
            self._item(child, depth + 1, out)

    def _paragraph(self, style: str, text: str = "", keep_next: bool = False) -> Element:
        p: Element = OxmlElement("w:p")
        ppr = p.get_or_add_pPr()
        ppr.style = self.ids[style]
        if keep_next:
            ppr.keepNext_val = True
        if text:
            Paragraph(p, None).add_run(clean_line(text))  # type: ignore[arg-type]
        return p

    def _bookmark(self, p: Element, name: str) -> None:
        self.bookmark += 1
        start = OxmlElement("w:bookmarkStart", {qn("w:id"): str(self.bookmark), qn("w:name"): name})
        end = OxmlElement("w:bookmarkEnd", {qn("w:id"): str(self.bookmark)})
        p.pPr.addnext(start)
        p.append(end)


# --- the package ---------------------------------------------------------------
