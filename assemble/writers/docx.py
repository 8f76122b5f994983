"""Render a Report as the Quarterly Update in Word (.docx), from the template.

The template (``templates/quarterly-update.docx``, built by
``tools/make_docx_template.py``, and the unit's to edit) holds the page setup, styles,
headers and footers and the cover, with docxtpl tags for the values. This module
builds the contents and the body, without a table or an empty paragraph:

- the contents: a "toc 1" paragraph per priority, its heading linked to the
  priority's bookmark, a tab, its page range (from the PDF); the first section
  (cover and contents) ends with the last of them;
- the body: a section per commitment, each opening a page by its first paragraph's
  properties (pageBreakBefore) and ending with a section break in its last
  paragraph's. Each opens with the priority (Heading 1 on its first commitment, the
  same look as "Priority Repeat" on the others), the lead-in, the commitment
  (Heading 2), then its updates as Word bullets at levels 1-3 (the list attached to
  the "Update" style) and sub-headings;
- continuation pages: each commitment's section shows the template's commitment
  header on its first page and, on the pages after, a header of its own naming its
  priority and commitment (the template's "Running Priority" and "Running
  Commitment" lines, filled in here). It is literal text, not a STYLEREF field:
  LibreOffice 7.4 shows a STYLEREF's cached text rather than computing it, Word and
  LibreOffice both show a section's own header. A page break inside an area's group
  is Word's to place, so "(continued)" labels are the PDF's alone.

The template is found by what a user sees: styles by their names, whatever case
and ids Word or LibreOffice gave them; tags whatever runs an editor split them
across. ``check_template`` names every piece the writer needs that a template
lacks, in one TemplateError; every render checks first.

Submission text is data, never template code: every value reaches the template
already XML-escaped (``{`` and ``}`` as character references, so neither Jinja
nor docxtpl's own post-processing can read a tag in it), and the body is built as
XML elements. Characters XML forbids are dropped.

Output is reproducible: every date comes from ``meta.timestamp`` (core properties,
zip entry times) and the same report gives the same bytes.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.hdrftr import HeaderPart
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup, escape

from .. import TEMPLATES
from ..errors import TemplateError
from ..model import CommitmentSection, Item, Meta, Pagination, PrioritySection, Report, SubHeading
from ..text import without_forbidden
from . import layout
from .ooxml import stable_zip

TEMPLATE = TEMPLATES / "quarterly-update.docx"
Element = Any  # a WordprocessingML element (python-docx's oxml classes)
TEMPLATE_VERSION_VAR = "AssembleTemplateVersion"

# Styles the writer uses, by the names the template gives them (matched without case).
HEADING = "Heading 1"
COMMITMENT = "Heading 2"
REPEAT = "Priority Repeat"
LEAD_IN = "Lead In"
UPDATE = "Update"  # carries the bullet list (its numPr) for all three levels
SUBHEADING = "Update Subheading"
CONTENTS = "toc 1"
RUNNING_PRIORITY = "Running Priority"
RUNNING_COMMITMENT = "Running Commitment"
STYLES = (HEADING, COMMITMENT, REPEAT, LEAD_IN, UPDATE, SUBHEADING, CONTENTS, RUNNING_PRIORITY, RUNNING_COMMITMENT)
# Tags the template must hold: in its body, and in its headers.
BODY_TAGS = ("plan_title", "document", "quarter_long", "data_to", "version", "produced", "unit", "organisation",
             "p contents", "p body")
HEADER_TAGS = ("marking", "running_header")
MAX_LEVEL = 2  # bullets go three levels deep: ilvl 0, 1, 2
RUNNING_RID = "rIdAssembleRunning"  # a commitment section's header, till its part is made
NO_UPDATE = "No update this quarter."
RESTORE = ("restore them as the README's 'The Word template' says, or take the file back from the last version "
           "(git checkout templates/quarterly-update.docx)")

_LINE_BREAKS = re.compile(r"[\t\r\n]+")
_TAG = re.compile(r"\{\{\s*(p\s+)?(\w+)\s*\}\}")
CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
CUSTOM_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # user-defined properties (Word's own)


def write_docx(report: Report, path: Path, pagination: Pagination, template: Path | None = None) -> None:
    """Render report to a .docx at path; the contents shows pagination.ranges (taken from the PDF)."""
    Path(path).write_bytes(render_docx(report, pagination, template))


def render_docx(report: Report, pagination: Pagination, template: Path | None = None) -> bytes:
    """The .docx as bytes (the same bytes for the same report, pagination and template);
    `template` is templates/quarterly-update.docx unless another is given."""
    template = template or TEMPLATE
    tpl = _open(template)
    doc = tpl.get_docx()
    found = _inspect(doc, template)
    if found.missing:
        raise _missing(template, found.missing)
    builder = _BodyBuilder(doc, found)
    contents_xml = _xml(builder.contents(report.priorities, pagination))
    body_xml = _xml(builder.build(report.priorities))
    tpl.render(_context(report, contents_xml, body_xml), jinja_env=layout.environment(loader=False))
    builder.place_headers(tpl.docx)
    _set_properties(tpl.docx, report.meta)
    buf = io.BytesIO()
    tpl.save(buf)
    return stable_zip(buf.getvalue(), _timestamp(report.meta))


def check_template(template: Path | None = None) -> None:
    """Raise a TemplateError naming every piece the writer needs that the template lacks."""
    template = template or TEMPLATE
    found = _inspect(_open(template).get_docx(), template)
    if found.missing:
        raise _missing(template, found.missing)


def template_version(path: Path = TEMPLATE) -> str | None:
    """The version the template (or a document made from it) records, if any."""
    with zipfile.ZipFile(path) as z:
        settings = z.read("word/settings.xml").decode("utf-8")
    m = re.search(rf'<w:docVar w:name="{TEMPLATE_VERSION_VAR}" w:val="([^"]*)"', settings)
    return m.group(1) if m else None


# --- the template, found by what a user sees ------------------------------------------


@dataclass
class _Found:
    """What the writer needs from a template, and what it lacks."""

    styles: dict[str, str] = field(default_factory=dict)  # lower-case name -> style id
    bullets: str | None = None  # the numId of the Update style's list
    body_sectpr: Element = None  # the pattern of a commitment's section
    continuation: Any = None  # the header part of a continuation page
    continuation_rid: str = ""  # its relationship id (docxtpl replaces the part when it renders)
    missing: list[str] = field(default_factory=list)

    def style(self, name: str) -> str:
        return self.styles[name.lower()]


def _open(template: Path) -> DocxTemplate:
    try:
        tpl = DocxTemplate(str(template))
        tpl.get_docx()  # opens the package: a file that is not one fails here
        return tpl
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, PackageNotFoundError):
        raise TemplateError(f"the Word template {_where(template)} cannot be opened: it is not a Word document",
                            "take the file back from the last version (git checkout "
                            "templates/quarterly-update.docx)") from None


def _inspect(doc: Any, template: Path) -> _Found:
    """What the template has that the writer needs, and what it lacks (``_Found.missing``)."""
    found = _Found()
    _styles(doc, found)
    body_text = _text(doc.element.body)
    for tag in BODY_TAGS:
        if not _has_tag(body_text, tag):
            found.missing.append(f"the tag {_shown(tag)} in the document")
    sections = list(doc.sections)
    if len(sections) < 2:
        found.missing.append("its two sections (the cover and contents, then the commitments)")
        return found
    headers = [part for section in sections for part in _header_parts(section)]
    headers_text = " ".join(_text(part.element) for part in headers)
    for tag in HEADER_TAGS:
        if not _has_tag(headers_text, tag):
            found.missing.append(f"the tag {_shown(tag)} in a header")
    _continuation(doc, sections[-1], found)
    if _reference(sections[0], "default", footer=True) is None:
        found.missing.append("a footer (the page number and marking) in the first section")
    return found


def _styles(doc: Any, found: _Found) -> None:
    """The template's styles by the names a user sees, and its Update style's bullet list."""
    elements: dict[str, Element] = {}
    for style in doc.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")):
            key = " ".join(name.get(qn("w:val")).split()).lower()
            found.styles.setdefault(key, style.get(qn("w:styleId")))
            elements.setdefault(key, style)
    for name in STYLES:
        if name.lower() not in found.styles:
            found.missing.append(f"the style '{name}'")
    if UPDATE.lower() in elements:
        found.bullets = _bullets(elements[UPDATE.lower()], elements)
        if found.bullets is None:
            found.missing.append(f"a bullet list attached to the style '{UPDATE}'")


def _continuation(doc: Any, body: Any, found: _Found) -> None:
    """The commitments' section: its continuation header, with a Running Priority and a
    Running Commitment line."""
    found.body_sectpr = body._sectPr
    continuation = _reference(body, "default")
    if continuation is None:
        found.missing.append("a header for continuation pages in the second section")
    else:
        found.continuation = doc.part.related_parts[continuation]
        found.continuation_rid = continuation
        styles_used = {p.get(qn("w:val")) for p in found.continuation.element.iter(qn("w:pStyle"))}
        for name in (RUNNING_PRIORITY, RUNNING_COMMITMENT):
            if name.lower() in found.styles and found.style(name) not in styles_used:
                found.missing.append(f"a '{name}' line in the second section's continuation header")


def _bullets(style: Element, styles: dict[str, Element]) -> str | None:
    """The numId a paragraph style's list comes from, following what it is based on."""
    seen = set()
    while style is not None and id(style) not in seen:
        seen.add(id(style))
        num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num is not None and num.get(qn("w:val")) not in (None, "0"):
            return str(num.get(qn("w:val")))
        based = style.find(qn("w:basedOn"))
        if based is None:
            return None
        ident = based.get(qn("w:val"))
        style = next((s for s in styles.values() if s.get(qn("w:styleId")) == ident), None)
    return None


def _text(element: Element) -> str:
    """Each paragraph's text (runs joined: a tag split across runs is whole again), a line each."""
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in element.iter(qn("w:p")))


def _shown(tag: str) -> str:
    """A tag as the template shows it: {{ version }}, {{p body }}."""
    return "{{" + tag + " }}" if tag.startswith("p ") else "{{ " + tag + " }}"


def _has_tag(text: str, tag: str) -> bool:
    para, _, name = tag.rpartition(" ")
    return any(bool(m[1]) == bool(para) and m[2] == name for m in _TAG.finditer(text))


def _header_parts(section: Any) -> Iterator[Any]:
    for kind in ("first", "default"):
        rid = _reference(section, kind)
        if rid is not None:
            yield section.part.related_parts[rid]


def _reference(section: Any, kind: str, footer: bool = False) -> str | None:
    tag = "w:footerReference" if footer else "w:headerReference"
    for ref in section._sectPr.findall(qn(tag)):
        if ref.get(qn("w:type")) == kind:
            return str(ref.get(qn("r:id")))
    return None


def _missing(template: Path, missing: list[str]) -> TemplateError:
    return TemplateError(f"the Word template {_where(template)} lacks what the writer needs: {'; '.join(missing)}",
                         RESTORE)


def _where(template: Path) -> str:
    """templates/quarterly-update.docx for the project's own, else the path given."""
    try:
        return Path(template).resolve().relative_to(TEMPLATE.parent.parent).as_posix()
    except ValueError:
        return str(template)


# --- text ----------------------------------------------------------------------


def clean(text: str) -> str:
    """Text as it may go into the document: the characters a document cannot hold dropped."""
    return without_forbidden(text)


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


def _xml(elements: list[Element]) -> str:
    return _protect_braces("".join(etree.tostring(element, encoding="unicode") for element in elements))


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


# --- template values and properties ------------------------------------------------------


def _context(report: Report, contents_xml: str, body_xml: str) -> dict[str, Any]:
    meta = report.meta
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
        "draft_label": _value(meta.draft_label),
        "contents": Markup(contents_xml),
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
    props.title = clean_line(f"{meta.draft_label}: {meta.title}" if meta.draft else meta.title)[:255]
    props.subject = clean_line(meta.quarter_long)[:255]
    props.author = clean_line(meta.unit)[:255]
    props.last_modified_by = clean_line(meta.unit)[:255]
    props.comments = clean_line(f"{meta.unit}, {meta.organisation}")[:255]
    props.keywords = clean_line(
        f"{meta.plan_title}; {meta.document}; {meta.quarter_short}; version {meta.version}; "
        f"produced {meta.produced}"
    )[:255]
    props.category = clean_line(meta.marking)[:255]
    props.content_status = clean_line(meta.draft_label).title() if meta.draft else "Final"
    props.identifier = clean_line(meta.quarter)[:255]
    props.version = clean_line(meta.version)[:255]
    props.language = "en-GB"
    props.revision = 1
    when = _timestamp(meta)
    props.created = props.modified = props.last_printed = when
    _custom_properties(doc, meta)


def _custom_properties(doc: Any, meta: Meta) -> None:
    """The templates that shaped the document and their versions, as custom document
    properties ("Template quarterly-update.docx" = "1a2b3c4d"), which Word shows under
    File > Properties."""
    values = [(f"Template {clean_line(name)}", clean_line(version)) for name, version in meta.templates]
    values.append(("Marking", clean_line(meta.marking)))
    props = "".join(
        f'<property fmtid="{PROPERTY_FMTID}" pid="{n}" name="{xml_escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{xml_escape(value)}</vt:lpwstr></property>"
        for n, (name, value) in enumerate(values, start=2)
    )
    blob = (f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<Properties xmlns="{CUSTOM_PROPERTIES}" xmlns:vt="{VT}">{props}</Properties>').encode()
    package = doc.part.package
    for rel in package.rels.values():
        if rel.reltype == CUSTOM_RELATIONSHIP:
            rel.target_part._blob = blob
            return
    part = Part(PackURI("/docProps/custom.xml"), "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                blob, package)
    package.relate_to(part, CUSTOM_RELATIONSHIP)


# --- the contents and the body ----------------------------------------------------------


class _BodyBuilder:
    """Builds the contents and the commitments as WordprocessingML, in the template's styles."""

    def __init__(self, doc: Any, found: _Found):
        self.doc, self.found = doc, found
        self.bookmark = 0
        self.running: list[tuple[str, str]] = []  # each commitment section's priority heading and text

    def contents(self, priorities: tuple[PrioritySection, ...], pagination: Pagination) -> list[Element]:
        """A linked line per priority; the first section (its page setup, cover header) ends with the last."""
        entries = []
        for priority in priorities:
            p = self._paragraph(CONTENTS)
            link = parse_xml(f'<w:hyperlink {nsdecls("w")} w:anchor="{anchor(priority)}" w:history="1"/>')
            for text in (clean_line(priority.heading), None, page_range(pagination.ranges.get(priority.number, ""))):
                run = OxmlElement("w:r")
                run.append(OxmlElement("w:tab") if text is None else _t(text))
                link.append(run)
            p.append(link)
            entries.append(p)
        first_section = copy.deepcopy(self.doc.sections[0]._sectPr)
        if not entries:
            entries.append(self._paragraph(CONTENTS, "No priority has an update this quarter."))
        entries[-1].get_or_add_pPr().append(first_section)
        return entries

    def build(self, priorities: tuple[PrioritySection, ...]) -> list[Element]:
        sections: list[list[Element]] = []
        for priority in priorities:
            commitments = priority.commitments or (None,)
            for index, commitment in enumerate(commitments):
                sections.append(self._commitment(priority, commitment, first=index == 0))
        for number, paragraphs in enumerate(sections):
            commitment_header = f"{RUNNING_RID}{number}"  # its header part is made once rendered (place_headers)
            if number < len(sections) - 1:
                sectpr = copy.deepcopy(self.found.body_sectpr)
                _set_header(sectpr, commitment_header)
                paragraphs[-1].get_or_add_pPr().append(sectpr)
            else:
                _set_header(self.found.body_sectpr, commitment_header)  # the document's last section
        return [p for paragraphs in sections for p in paragraphs]

    def _commitment(self, priority: PrioritySection, commitment: CommitmentSection | None,
                    first: bool) -> list[Element]:
        self.running.append((priority.heading, commitment.text if commitment else ""))
        heading = self._paragraph(HEADING if first else REPEAT, priority.heading)
        if len(self.running) > 1:  # the first follows the contents' section break
            heading.get_or_add_pPr().pageBreakBefore_val = True
        if first:
            self._bookmark(heading, anchor(priority))
        out = [heading]
        if priority.lead_in:
            out.append(self._paragraph(LEAD_IN, priority.lead_in))
        if commitment is None:
            return out
        out.append(self._paragraph(COMMITMENT, commitment.text))
        for block in commitment.blocks:
            if isinstance(block, SubHeading):
                out.append(self._paragraph(SUBHEADING, _with_colon(block.text), keep_next=True))
            else:
                self._item(block, 0, out)
        if not commitment.blocks:  # a plan that shows every commitment (show_empty)
            out.append(self._paragraph(SUBHEADING, NO_UPDATE))
        return out

    def place_headers(self, doc: Any) -> None:
        """Each commitment section's header for its continuation pages: a copy of the template's
        (rendered: its marking and running header filled in) naming its priority and commitment,
        put in place of the ids `build` left for it."""
        source = doc.part.rels[self.found.continuation_rid].target_part
        package = doc.part.package
        ids = {}
        for number, (priority, commitment) in enumerate(self.running):
            element = copy.deepcopy(source.element)
            for p in list(element.iter(qn("w:p"))):
                style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
                ident = style.get(qn("w:val")) if style is not None else None
                if ident == self.found.style(RUNNING_PRIORITY):
                    _replace_text(p, priority)
                elif ident == self.found.style(RUNNING_COMMITMENT):
                    if commitment:
                        _replace_text(p, commitment)
                    else:  # a priority with no commitment: no line for one
                        p.getparent().remove(p)
            blob = etree.tostring(element, encoding="UTF-8", xml_declaration=True, standalone=True)
            part = HeaderPart.load(package.next_partname("/word/header%d.xml"), source.content_type, blob, package)
            for rid, rel in source.rels.items():  # images or the like the header refers to, by the same ids
                part.rels.add_relationship(rel.reltype, rel.target_ref if rel.is_external else rel.target_part, rid,
                                           rel.is_external)
            ids[f"{RUNNING_RID}{number}"] = str(doc.part.relate_to(part, RT.HEADER))
        for ref in doc.element.body.iter(qn("w:headerReference")):
            if ref.get(qn("r:id")) in ids:
                ref.set(qn("r:id"), ids[ref.get(qn("r:id"))])

    def _item(self, item: Item, depth: int, out: list[Element]) -> None:
        runs: list[tuple[str, bool, bool]] = []
        spans = [s for s in item.spans if clean_line(s.text)]
        if item.label:
            runs.append((_with_colon(item.label), True, False))
            if spans:
                runs.append((" ", False, False))
        for i, span in enumerate(spans):
            text = clean_line(span.text)
            runs.append((text.lstrip() if i == 0 and item.label else text, span.bold, span.italic))
        numbering = (f'<w:numPr><w:ilvl w:val="{min(depth, MAX_LEVEL)}"/>'
                     f'<w:numId w:val="{int(self.found.bullets or 0)}"/></w:numPr>')
        out.append(self._paragraph(UPDATE, runs, keep_next=bool(item.children) and not item.text.strip(),
                                   numbering=numbering))
        for child in item.children:
            self._item(child, depth + 1, out)

    def _paragraph(self, style: str, text: str | list[tuple[str, bool, bool]] = "", keep_next: bool = False,
                   numbering: str = "") -> Element:
        """A paragraph in a style of the template, its runs (text, bold, italic) or one text."""
        runs = [(clean_line(text), False, False)] if isinstance(text, str) and text else text or []
        body = "".join(
            "<w:r>" + (f"<w:rPr>{'<w:b/>' if bold else ''}{'<w:i/>' if italic else ''}</w:rPr>"
                       if bold or italic else "")
            + f'<w:t xml:space="preserve">{xml_escape(piece)}</w:t></w:r>'
            for piece, bold, italic in runs
        )
        ppr = (f'<w:pPr><w:pStyle w:val="{xml_escape(self.found.style(style), {chr(34): "&quot;"})}"/>'
               f"{'<w:keepNext/>' if keep_next else ''}{numbering}</w:pPr>")
        return parse_xml(f"<w:p {nsdecls('w')}>{ppr}{body}</w:p>")

    def _bookmark(self, p: Element, name: str) -> None:
        self.bookmark += 1
        start = OxmlElement("w:bookmarkStart", {qn("w:id"): str(self.bookmark), qn("w:name"): name})
        end = OxmlElement("w:bookmarkEnd", {qn("w:id"): str(self.bookmark)})
        p.pPr.addnext(start)
        p.append(end)


def _t(text: str) -> Element:
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return t


def _replace_text(p: Element, text: str) -> None:
    """A paragraph's runs made one, showing `text` in the first run's formatting."""
    runs = p.findall(qn("w:r"))
    keep = copy.deepcopy(runs[0].find(qn("w:rPr"))) if runs and runs[0].find(qn("w:rPr")) is not None else None
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    run = OxmlElement("w:r")
    if keep is not None:
        run.append(keep)
    run.append(_t(clean_line(text)))
    p.append(run)


def _set_header(sectpr: Element, rid: str) -> None:
    """A section's header for the pages after its first."""
    for ref in sectpr.findall(qn("w:headerReference")):
        if ref.get(qn("w:type")) == "default":
            ref.set(qn("r:id"), rid)
            return
    sectpr.insert(0, parse_xml(f'<w:headerReference {nsdecls("w", "r")} w:type="default" r:id="{rid}"/>'))
