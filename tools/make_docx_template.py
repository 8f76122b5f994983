"""Build the Word template the Quarterly Update is rendered from.

    .venv/bin/python tools/make_docx_template.py [--out templates/quarterly-update.docx]

The template is an ordinary .docx that unit staff may open and edit in Word or
LibreOffice: page setup, styles, headers and footers and the cover live here, with
docxtpl (Jinja) tags where the report's values go. The writer
(``assemble/writers/docx.py``) fills them in and builds the contents and the body, a
section per commitment, in the styles defined here. Change the look by editing the
styles; keep the style names, the tags and the two sections.

Tags the writer supplies: ``marking``, ``plan_title``, ``document``,
``quarter_long``, ``data_to``, ``version``, ``produced``, ``unit``,
``organisation``, ``running_header``, ``draft`` (true/false), ``draft_label``
("DRAFT", or "PREVIEW"), ``{{p contents }}`` (the contents entries) and
``{{p body }}`` (the commitments).

Two sections: the first holds the cover (its own first-page header and footer)
and the contents; the second is the pattern of every commitment's section: its
first-page header is a commitment page's, its other header is a continuation
page's, whose "Running Priority" and "Running Commitment" lines the writer fills
with the commitment's priority heading and text.

Styles the writer uses by name: Heading 1, Heading 2 (the commitment), Lead In,
Priority Repeat (the priority heading again on its later commitments' pages),
Update, Update Subheading, toc 1, Running Priority, Running Commitment. Bullets come
from the list attached to the Update style (levels 1-3).

The template version is stored as the document variable
``AssembleTemplateVersion`` (and in the core property "version"); bump
TEMPLATE_VERSION whenever this script changes what the template contains.
Output is byte-stable: no date is taken from the clock.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402
from docx.enum.section import WD_SECTION  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402
from docx.shared import Cm, Pt, RGBColor, Twips  # noqa: E402

from assemble.writers.docx import (  # noqa: E402
    TEMPLATE,
    TEMPLATE_VERSION_VAR,
)
from assemble.writers.ooxml import stable_zip  # noqa: E402

TEMPLATE_VERSION = "2.0"
TEMPLATE_DATE = datetime(2020, 10, 1, tzinfo=UTC)  # fixed: the template is byte-stable

FONT = "Arial"  # LibreOffice shows Liberation Sans, same metrics
BODY_PT = 10.5
NAVY = RGBColor(0x1F, 0x38, 0x64)
GREY = RGBColor(0x40, 0x40, 0x40)
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)  # A4
MARGIN = Cm(2.0)
TEXT_WIDTH_TWIPS = round((PAGE_WIDTH - 2 * MARGIN) / 635)  # EMU -> twips: 9638
BULLETS = (("\u2022", 357), ("o", 714), ("\u25aa", 1071))  # marker, left indent (twips) per level
BULLET_HANGING = 357

KEEP_STYLES = {
    "Normal", "Header", "Header Char", "Footer", "Footer Char", "Heading 1", "Heading 2",
    "Heading 3", "Heading 1 Char", "Heading 2 Char", "Heading 3 Char", "Default Paragraph Font",
    "Normal Table", "No List", "Title", "Title Char", "Subtitle", "Subtitle Char",
    "List Paragraph", "Strong", "Emphasis", "TOC Heading", "Table Grid",
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TEMPLATE)
    args = parser.parse_args(argv)
    data = build_template()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} (template version {TEMPLATE_VERSION}, {len(data):,} bytes)")
    return 0


def build_template() -> bytes:
    doc = Document()
    _drop_extra_parts(doc)
    _prune_styles(doc)
    _define_styles(doc)
    num_id = _define_numbering(doc)
    _attach_list_to_style(doc, "Update", num_id)
    _settings(doc)
    _page_setup(doc)
    _body(doc)
    _properties(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue(), TEMPLATE_DATE)


# --- package -------------------------------------------------------------------


def _drop_extra_parts(doc) -> None:
    """python-docx's starter document carries a thumbnail, customXml and a second styles
    part Word 2010 used; none belongs in our template. Its app.xml names another program."""
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            part.drop_rel(rid)
    pkg_rels = part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg_rels[rid]
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = APP_XML.encode("utf-8")


APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>quarterly-update.docx</Template><Application>assemble</Application>"
    "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def _prune_styles(doc) -> None:
    """Keep a short, readable style list: the starter's dozens of table and list
    styles (some tied to its own numbering) would only confuse."""
    styles = doc.styles.element
    for style in list(styles.findall(qn("w:style"))):
        name = style.find(qn("w:name")).get(qn("w:val"))
        ui = doc.styles[name].name if name else None
        if ui not in KEEP_STYLES:
            styles.remove(style)
    for style in styles.findall(qn("w:style")):  # revision ids mean nothing here
        for rsid in style.findall(qn("w:rsid")):
            style.remove(rsid)


# --- styles --------------------------------------------------------------------


def _set_font(rpr_owner, name: str = FONT) -> None:
    """Explicit font on every script slot; theme font attributes would win otherwise."""
    rpr = rpr_owner.get_or_add_rPr()
    old = rpr.find(qn("w:rFonts"))
    new = parse_xml(
        f'<w:rFonts {nsdecls("w")} w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'
    )
    if old is not None:
        old.addprevious(new)
        rpr.remove(old)
    else:
        rpr.insert(0, new)


def _paragraph_style(doc, name: str, base: str = "Normal", next_style: str | None = None):
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base] if base else None
    style.quick_style = True
    style.hidden = False
    style.unhide_when_used = False
    if next_style:
        style.next_paragraph_style = doc.styles[next_style]
    return style


def _spacing(style, before: float = 0, after: float = 0, keep_next: bool = False) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep_next or None


# The order of a paragraph's properties in WordprocessingML (ECMA-376 CT_PPrBase).
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)  # fmt: skip


def _insert_ppr(ppr, child) -> None:
    """Put a paragraph property where the schema wants it (Word is strict about order)."""
    name = child.tag.split("}")[1]
    later = PPR_ORDER[PPR_ORDER.index(name) + 1:]
    ppr.insert_element_before(child, *(f"w:{tag}" for tag in later))


def _append_ppr(style, xml: str) -> None:
    _insert_ppr(style.element.get_or_add_pPr(), parse_xml(xml))


def _define_styles(doc) -> None:
    styles = doc.styles
    # Document defaults: the font, British English, no spacing unless a style says so.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:rFonts", "w:lang"):
        old = rpr_default.find(qn(tag))
        if old is not None:
            rpr_default.remove(old)
    rpr_default.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:hAnsi="{FONT}" '
                                    f'w:eastAsia="{FONT}" w:cs="{FONT}"/>'))
    rpr_default.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'))
    for sz in rpr_default.findall(qn("w:sz")) + rpr_default.findall(qn("w:szCs")):
        sz.set(qn("w:val"), str(round(BODY_PT * 2)))
    ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    normal = styles["Normal"]
    _set_font(normal.element)
    normal.font.size = Pt(BODY_PT)
    _spacing(normal, after=0)

    for name in ("Header", "Footer"):
        style = _paragraph_style(doc, name)
        style.font.size = Pt(9)
        style.font.color.rgb = GREY
        tabs = style.element.pPr.find(qn("w:tabs"))
        if tabs is not None:
            style.element.pPr.remove(tabs)
        style.paragraph_format.tab_stops.add_tab_stop(Twips(TEXT_WIDTH_TWIPS // 2), WD_TAB_ALIGNMENT.CENTER)
        style.paragraph_format.tab_stops.add_tab_stop(Twips(TEXT_WIDTH_TWIPS), WD_TAB_ALIGNMENT.RIGHT)
    header = styles["Header"]
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for level, size in ((1, 14), (2, 12), (3, 11)):
        style = _paragraph_style(doc, f"Heading {level}", next_style="Normal")
        _set_font(style.element)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = NAVY
        for attr in ("themeColor", "themeShade"):
            style.element.rPr.find(qn("w:color")).attrib.pop(qn(f"w:{attr}"), None)
        _spacing(style, before=0 if level == 1 else 6, after=6, keep_next=True)
    styles["Heading 1"].paragraph_format.keep_together = True

    for name in ("Title", "Subtitle", "TOC Heading"):
        _set_font(styles[name].element)

    # Protective marking, top and bottom of every page.
    marking = _paragraph_style(doc, "Marking", base="Header")
    marking.font.bold = True
    marking.font.size = Pt(11)
    marking.font.color.rgb = RGBColor(0, 0, 0)

    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT  # marking on the centre tab
    # A draft says so at the right of the marking line, top and bottom of every page (same
    # line height, so a draft paginates like the final document).
    draft = styles.add_style("Draft Mark", WD_STYLE_TYPE.CHARACTER)
    draft.font.bold = True
    draft.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    draft.quick_style = True

    running = _paragraph_style(doc, "Running Header", base="Header")
    running.paragraph_format.space_before = Pt(4)
    running.paragraph_format.space_after = Pt(0)
    _append_ppr(running, f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="1" '
                         f'w:color="808080"/></w:pBdr>')

    page_number = _paragraph_style(doc, "Page Number", base="Footer")
    page_number.paragraph_format.space_after = Pt(2)

    # Cover.
    cover_title = _paragraph_style(doc, "Cover Title")
    cover_title.font.size = Pt(26)
    cover_title.font.bold = True
    cover_title.font.color.rgb = NAVY
    cover_title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(cover_title, before=150, after=24)
    cover_sub = _paragraph_style(doc, "Cover Subtitle", base="Cover Title")
    cover_sub.font.size = Pt(22)
    _spacing(cover_sub, before=0, after=18)
    cover_quarter = _paragraph_style(doc, "Cover Quarter", base="Cover Title")
    cover_quarter.font.size = Pt(18)
    cover_quarter.font.bold = False
    _spacing(cover_quarter, before=0, after=12)
    cover_detail = _paragraph_style(doc, "Cover Detail", base="Cover Quarter")
    cover_detail.font.size = Pt(14)
    cover_detail.font.color.rgb = GREY
    _spacing(cover_detail, before=0, after=6)
    cover_note = _paragraph_style(doc, "Cover Note")
    cover_note.font.size = Pt(11)
    cover_note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(cover_note, before=0, after=3)

    # Contents.
    toc_heading = _paragraph_style(doc, "TOC Heading", base="Heading 1", next_style="Normal")
    _spacing(toc_heading, before=0, after=18, keep_next=True)
    toc1 = _add_builtin_paragraph_style(doc, "toc 1", "TOC1")
    toc1.font.size = Pt(11)
    _spacing(toc1, before=0, after=8)
    toc1.paragraph_format.tab_stops.add_tab_stop(Twips(TEXT_WIDTH_TWIPS), WD_TAB_ALIGNMENT.RIGHT,
                                                 WD_TAB_LEADER.DOTS)

    # A commitment page: the priority (Heading 1, or Priority Repeat on its later commitments'
    # pages), the lead-in, the commitment (Heading 2, set apart in a shaded box).
    repeat = _paragraph_style(doc, "Priority Repeat", next_style="Normal")
    _set_font(repeat.element)
    repeat.font.size = Pt(14)
    repeat.font.bold = True
    repeat.font.color.rgb = NAVY
    _spacing(repeat, before=0, after=6, keep_next=True)
    repeat.paragraph_format.keep_together = True

    lead_in = _paragraph_style(doc, "Lead In")
    lead_in.font.bold = True
    _spacing(lead_in, before=0, after=6, keep_next=True)

    commitment = styles["Heading 2"]
    commitment.font.size = Pt(BODY_PT)
    commitment.font.color.rgb = RGBColor(0, 0, 0)
    _spacing(commitment, before=0, after=12, keep_next=True)
    commitment.paragraph_format.left_indent = Pt(6)
    commitment.paragraph_format.right_indent = Pt(6)
    commitment.paragraph_format.keep_together = True
    _append_ppr(commitment, f'<w:pBdr {nsdecls("w")}>'
                            '<w:top w:val="single" w:sz="4" w:space="4" w:color="D9E2F3"/>'
                            '<w:left w:val="single" w:sz="24" w:space="4" w:color="1F3864"/>'
                            '<w:bottom w:val="single" w:sz="4" w:space="4" w:color="D9E2F3"/>'
                            '<w:right w:val="single" w:sz="4" w:space="4" w:color="D9E2F3"/>'
                            '</w:pBdr>')
    _append_ppr(commitment, f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="D9E2F3"/>')

    update = _paragraph_style(doc, "Update", next_style="Update")
    _spacing(update, before=0, after=4)
    update.paragraph_format.keep_together = True  # pages break between updates, never inside one (as the PDF)

    sub = _paragraph_style(doc, "Update Subheading", next_style="Update")
    sub.font.bold = True
    _spacing(sub, before=2, after=4, keep_next=True)

    # A continuation page's header names its priority and commitment.
    running_priority = _paragraph_style(doc, "Running Priority", base="Header")
    running_priority.font.bold = True
    running_priority.font.color.rgb = NAVY
    running_priority.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    running_priority.paragraph_format.space_before = Pt(4)
    running_commitment = _paragraph_style(doc, "Running Commitment", base="Header")
    running_commitment.font.size = Pt(8)
    running_commitment.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    running_commitment.paragraph_format.space_after = Pt(4)
    _append_ppr(running_commitment, f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="1" '
                                    f'w:color="808080"/></w:pBdr>')


def _add_builtin_paragraph_style(doc, name: str, style_id: str):
    """A built-in Word style ("toc 1") with Word's own style id, so Word treats it as its own."""
    element = parse_xml(
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
        '<w:uiPriority w:val="39"/><w:unhideWhenUsed/></w:style>'
    )
    doc.styles.element.append(element)
    return doc.styles[name]


# --- numbering -----------------------------------------------------------------


def _define_numbering(doc) -> int:
    """Replace the starter numbering with one bullet list, three levels, each with its
    own marker and indent. Returns its numId."""
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    levels = []
    for ilvl, (marker, left) in enumerate(BULLETS):
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            f'<w:lvlText w:val="{marker}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{BULLET_HANGING}"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:hint="default"/></w:rPr>'
            "</w:lvl>"
        )
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="1"><w:nsid w:val="5C0A7B11"/>'
        '<w:multiLevelType w:val="hybridMultilevel"/><w:tmpl w:val="3E2A91C4"/>'
        '<w:name w:val="Update Bullets"/>' + "".join(levels) + "</w:abstractNum>"
    ))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="1"><w:abstractNumId w:val="1"/></w:num>'))
    return 1


def _attach_list_to_style(doc, name: str, num_id: int) -> None:
    _append_ppr(doc.styles[name], f'<w:numPr {nsdecls("w")}><w:numId w:val="{num_id}"/></w:numPr>')


# --- settings, page, header and footer -----------------------------------------


def _settings(doc) -> None:
    settings = doc.settings.element
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:
        settings.remove(rsids)
    for tag in ("w:proofState", "w:savePreviewPicture"):
        found = settings.find(qn(tag))
        if found is not None:
            settings.remove(found)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.attrib.clear()
        lang.set(qn("w:val"), "en-GB")
    doc_vars = parse_xml(
        f'<w:docVars {nsdecls("w")}><w:docVar w:name="{TEMPLATE_VERSION_VAR}" w:val="{TEMPLATE_VERSION}"/>'
        "</w:docVars>"
    )
    settings.find(qn("w:compat")).addnext(doc_vars)
    # A fixed document id: Word's w14:docId would otherwise be the starter's.
    for child in settings:
        if child.tag == "{http://schemas.microsoft.com/office/word/2010/wordml}docId":
            child.set(child.keys()[0], "1A2B3C4D")


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(0.8)
    section.gutter = 0


def _tag_paragraph(container, tag: str) -> None:
    container.add_paragraph(tag, style="Normal")


def _marking_line(paragraph) -> None:
    """The protective marking, centred, and DRAFT (or PREVIEW) at the right for a draft."""
    paragraph.style = "Marking"
    paragraph.add_run("\t{{ marking }}\t")
    paragraph.add_run("{% if draft %}")
    paragraph.add_run("{{ draft_label }}", style="Draft Mark")
    paragraph.add_run("{% endif %}")


def _headers_and_footers(section, cover: bool) -> None:
    """The first section: the cover's header and footer (the marking), then the contents page's.
    The second: a commitment page's, and a continuation page's header naming the commitment."""

    def header(container, running: bool, commitment: bool = False) -> None:
        container.is_linked_to_previous = False
        _marking_line(container.paragraphs[0])
        if running:
            container.add_paragraph("{{ running_header }}", style="Running Header")
        if commitment:
            container.add_paragraph("Priority heading (filled in by the writer)", style="Running Priority")
            container.add_paragraph("The commitment (filled in by the writer)", style="Running Commitment")

    def footer(container, page_number: bool) -> None:
        container.is_linked_to_previous = False
        first = container.paragraphs[0]
        if page_number:
            first.style = "Page Number"
            _page_field(first)
            _marking_line(container.add_paragraph())
        else:
            _marking_line(first)

    section.different_first_page_header_footer = True
    header(section.first_page_header, running=not cover)
    header(section.header, running=True, commitment=not cover)
    footer(section.first_page_footer, page_number=not cover)
    footer(section.footer, page_number=True)


def _page_field(paragraph) -> None:
    """A PAGE field: Word and LibreOffice show the page number; "1" is the cached text."""
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r><w:t>1</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml.replace("<w:r>", f'<w:r {nsdecls("w")}>', 1)))


# --- body ----------------------------------------------------------------------


def _body(doc) -> None:
    doc.add_paragraph("{{ plan_title }}", style="Cover Title")
    doc.add_paragraph("{{ document }}", style="Cover Subtitle")
    doc.add_paragraph("{{ quarter_long }}", style="Cover Quarter")
    doc.add_paragraph("Data to {{ data_to }}", style="Cover Detail")
    version = doc.add_paragraph("Version {{ version }}", style="Cover Note")
    version.paragraph_format.space_before = Pt(190)
    doc.add_paragraph("Produced {{ produced }}", style="Cover Note")
    doc.add_paragraph("{{ unit }}, {{ organisation }}", style="Cover Note")

    contents = doc.add_paragraph("Contents", style="TOC Heading")
    contents.paragraph_format.page_break_before = True
    entries = doc.add_paragraph("{{p contents }}", style="toc 1")
    _headers_and_footers(doc.sections[0], cover=True)
    body = doc.add_section(WD_SECTION.NEW_PAGE)  # the first section ends with the contents:
    holder = entries._p.getnext()  # python-docx puts its break in a paragraph of its own; move it
    entries._p.get_or_add_pPr().append(holder.pPr.find(qn("w:sectPr")))
    holder.getparent().remove(holder)
    doc.add_paragraph("{{p body }}", style="Normal")
    _headers_and_footers(body, cover=False)


def _properties(doc) -> None:
    props = doc.core_properties
    props.title = "Quarterly Update (template)"
    props.subject = "Police and Crime Plan Quarterly Update"
    props.author = "assemble"
    props.last_modified_by = "assemble"
    props.comments = (
        "Template for the Quarterly Update. Edit styles, headers, footers and the cover freely; "
        "keep the tags in braces and the style names the writer uses."
    )
    props.keywords = f"template {TEMPLATE_VERSION}"
    props.category = ""
    props.version = TEMPLATE_VERSION
    props.language = "en-GB"
    props.revision = 1
    when = TEMPLATE_DATE.replace(tzinfo=None)
    props.created = props.modified = props.last_printed = when


if __name__ == "__main__":
    raise SystemExit(main())
