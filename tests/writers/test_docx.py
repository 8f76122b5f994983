"""The Word writer: template, cover, contents, headings, bullets, properties, safety."""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import docx
import pypdf
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from assemble.model import Item, Meta, Pagination, Span
from assemble.versions import native
from assemble.writers.docx import TEMPLATE, render_docx, template_version, write_docx

from .. import libreoffice
from ..builders import numbered
from ..docx_parts import FOLDER as GOLDEN_PARTS
from ..docx_parts import PARTS, normalised, sample_parts
from ..meta import META as BASE_META
from ..present import style, style_name, there
from ..quarters import GOLDEN

ROOT = Path(__file__).resolve().parents[2]

META = replace(BASE_META, version="1.1", timestamp="2020-10-05T16:42:00+00:00")
PAGINATION = Pagination(9, {1: "3-5", 2: "8-8", 3: "9"})

OUTLINE = """\
priority 1: More Local, Visible and Accessible Policing
lead-in: We will:
commitment 1.1: Boost community volunteering.
subheading: The Force Control Room (FCR)
- plain update with **bold words** and *italic words* inside
  - [Colchester] a labelled update
  - [Chelmsford]
    - an update under a bare label
- [West LPA] During the quarter, officers were introduced.
commitment 1.2: Support increased participation in Community Safety.
- {{ 7*7 }}
- {% for x in range(3) %}X{% endfor %}
- <script>alert(1)</script>
- {_{ config }_} and {_% raw %_} & "quotes" 'single'
priority 2: Crack Down on Anti-social Behaviour
lead-in: Working with partners we will:
commitment 2.1: Target repeat and high harm anti-social behaviour.
- [North LPA]
  - [Colchester]
    - a third-level update
      - a fourth level is shown at the third
priority 3: Breaking the Cycle of Domestic Abuse
lead-in: Working with the Board we will:
commitment 3.1: Support victims and their families.
- one update
"""

HOSTILE = (
    "{{ 7*7 }}",
    "{% for x in range(3) %}X{% endfor %}",
    "<script>alert(1)</script>",
    "{_{ config }_} and {_% raw %_} & \"quotes\" 'single'",
)


def _report(meta: Meta = META, outline: str = OUTLINE):
    return native.load(outline, meta)


@pytest.fixture(scope="module")
def data() -> bytes:
    return render_docx(_report(), PAGINATION)


@pytest.fixture(scope="module")
def doc(data):
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def sample_docx_parts() -> dict[str, str]:
    return sample_parts()


def _part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def _paragraphs(doc) -> list[Paragraph]:
    """Every body paragraph in document order, table cells included."""
    return [Paragraph(p, doc._body) for p in doc.element.body.iter(qn("w:p"))]


def _find(doc, text: str) -> Paragraph:
    matches = [p for p in _paragraphs(doc) if p.text == text]
    assert matches, f"no paragraph {text!r}"
    return matches[0]


def _style_bold(style) -> bool:
    while style is not None:
        if style.font.bold is not None:
            return style.font.bold
        style = style.base_style
    return False


def _header_text(part) -> str:
    return "\n".join(p.text for p in part.paragraphs)


# --- cover and page furniture --------------------------------------------------------


def test_cover_has_the_pdf_cover_lines_in_cover_styles(doc):
    texts = [p.text for p in _paragraphs(doc)]
    cover = texts[: texts.index("Contents")]
    assert cover == [
        "Police and Crime Plan 2016-2020",
        "Quarterly Update",
        "Quarter 2 – 2020/21",
        "Data to September 2020",
        "Version 1.1",
        "Produced October 2020",
        "Performance Analysis Unit, Essex Police",
    ]
    styles = [style_name(p) for p in _paragraphs(doc)[: len(cover)]]
    assert all(name.startswith("Cover ") for name in styles)


def test_cover_has_marking_but_no_running_header(doc):
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    first_header = _header_text(section.first_page_header)
    assert "OFFICIAL" in first_header
    assert META.running_header not in first_header
    assert "OFFICIAL" in _header_text(section.first_page_footer)


def test_running_header_marking_and_page_number_from_page_two(doc, data):
    section = doc.sections[0]
    header = _header_text(section.header)
    assert "OFFICIAL" in header and META.running_header in header
    assert "OFFICIAL" in _header_text(section.footer)
    footers = [_part(data, n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "footer" in n]
    default_footer = section.footer._element.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", default_footer)
    assert any("fldCharType=\"begin\"" in f for f in footers)


def test_page_is_a4_with_2cm_margins(doc):
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == round(section.right_margin.cm, 1) == 2.0


def test_draft_mark_on_every_page_only_for_a_draft(data):
    draft = docx.Document(io.BytesIO(render_docx(_report(replace(META, draft=True)), PAGINATION)))
    final = docx.Document(io.BytesIO(data))
    for part in ("first_page_header", "header", "first_page_footer", "footer"):
        assert "DRAFT" in _header_text(getattr(draft.sections[0], part)), part
        assert "DRAFT" not in _header_text(getattr(final.sections[0], part)), part
    assert "DRAFT" not in "".join(p.text for p in _paragraphs(final))


# --- contents ------------------------------------------------------------------------


def test_contents_lists_each_priority_with_its_page_range(doc):
    entries = [p for p in _paragraphs(doc) if style_name(p) == "toc 1"]
    assert [p.text for p in entries] == [
        "Priority 1 – More Local, Visible and Accessible Policing\t3-5",
        "Priority 2 – Crack Down on Anti-social Behaviour\t8",  # "8-8" is shown as "8"
        "Priority 3 – Breaking the Cycle of Domestic Abuse\t9",
    ]
    tab = style(entries[0]).paragraph_format.tab_stops[0]
    assert tab.alignment == WD_TAB_ALIGNMENT.RIGHT
    assert tab.leader == WD_TAB_LEADER.DOTS


def test_contents_entries_link_to_bookmarks_at_the_priority_headings(doc):
    anchors = [h.get(qn("w:anchor")) for h in doc.element.body.iter(qn("w:hyperlink"))]
    assert anchors == ["Priority_1", "Priority_2", "Priority_3"]
    for start in doc.element.body.iter(qn("w:bookmarkStart")):
        heading = Paragraph(start.getparent(), doc._body)
        assert style_name(heading) == "Heading 1"
        assert heading.text.startswith(start.get(qn("w:name")).replace("_", " ") + " –")
    assert len(list(doc.element.body.iter(qn("w:bookmarkStart")))) == 3


# --- commitment pages ----------------------------------------------------------------


def test_priority_headings_are_heading_1_once_and_repeat_on_later_commitments(doc):
    by_style = [(style_name(p), p.text) for p in _paragraphs(doc) if style_name(p) in ("Heading 1", "Priority Repeat")]
    assert by_style == [
        ("Heading 1", "Priority 1 – More Local, Visible and Accessible Policing"),
        ("Priority Repeat", "Priority 1 – More Local, Visible and Accessible Policing"),
        ("Heading 1", "Priority 2 – Crack Down on Anti-social Behaviour"),
        ("Heading 1", "Priority 3 – Breaking the Cycle of Domestic Abuse"),
    ]
    assert doc.styles["Priority Repeat"].font.size == doc.styles["Heading 1"].font.size  # the same look


def test_lead_in_bold_and_commitment_a_heading_2_set_apart(doc):
    lead_in = _find(doc, "We will:")
    assert style_name(lead_in) == "Lead In" and _style_bold(lead_in.style)
    commitment = _find(doc, "Boost community volunteering.")
    assert style_name(commitment) == "Heading 2" and _style_bold(commitment.style)
    assert style(commitment).element.pPr.find(qn("w:shd")) is not None
    assert [p.text for p in _paragraphs(doc) if style_name(p) == "Heading 2"] == [
        "Boost community volunteering.", "Support increased participation in Community Safety.",
        "Target repeat and high harm anti-social behaviour.", "Support victims and their families."]


def test_no_tables_and_no_empty_paragraphs(doc):
    assert doc.tables == [] and not list(doc.element.body.iter(qn("w:tbl")))
    assert [n for n, p in enumerate(_paragraphs(doc)) if not p.text.strip()] == []


def test_each_commitment_is_a_section_on_a_page_of_its_own(doc):
    sections = list(doc.sections)
    assert len(sections) == 1 + 4  # the cover and contents, then a section per commitment
    opening = [p for p in _paragraphs(doc) if style_name(p) in ("Heading 1", "Priority Repeat")]
    assert [p.paragraph_format.page_break_before for p in opening] == [None, True, True, True]
    for section in sections[1:]:
        assert section.start_type == WD_SECTION.NEW_PAGE
        assert section.different_first_page_header_footer


def test_continuation_pages_name_their_priority_and_commitment_in_the_header(doc):
    sections = list(doc.sections)[1:]
    named = []
    for section in sections:
        header = {p.style.name: p.text for p in section.header.paragraphs}
        first = _header_text(section.first_page_header)
        assert "OFFICIAL" in first and META.running_header in first and "Priority" not in first
        named.append((header["Running Priority"], header["Running Commitment"]))
        assert META.running_header in _header_text(section.header)
    assert named == [
        ("Priority 1 – More Local, Visible and Accessible Policing", "Boost community volunteering."),
        ("Priority 1 – More Local, Visible and Accessible Policing",
         "Support increased participation in Community Safety."),
        ("Priority 2 – Crack Down on Anti-social Behaviour", "Target repeat and high harm anti-social behaviour."),
        ("Priority 3 – Breaking the Cycle of Domestic Abuse", "Support victims and their families."),
    ]
    assert len({s.header.part.partname for s in sections}) == 4  # a header of its own each


def test_one_bullet_list_with_three_distinct_levels(doc, data):
    num_ids = {n.num_id for p in _paragraphs(doc) if (n := numbered(p))}
    assert len(num_ids) == 1
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_ids.pop()))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == abstract_id)
    levels = {int(lvl.get(qn("w:ilvl"))): lvl for lvl in abstract.findall(qn("w:lvl"))}
    assert set(levels) >= {0, 1, 2}
    fmt = [levels[i].find(qn("w:numFmt")).get(qn("w:val")) for i in range(3)]
    markers = [levels[i].find(qn("w:lvlText")).get(qn("w:val")) for i in range(3)]
    indents = [int(levels[i].find(qn("w:pPr")).find(qn("w:ind")).get(qn("w:left"))) for i in range(3)]
    assert fmt == ["bullet"] * 3
    assert len(set(markers)) == 3
    assert indents == sorted(indents) and len(set(indents)) == 3 and indents[0] > 0


def test_each_bullet_level_follows_the_outline_depth(doc):
    def level(text):
        matches = [p for p in _paragraphs(doc) if p.text.startswith(text)]
        assert matches, text
        return there(numbered(matches[0])).level

    assert level("plain update with") == 0
    assert level("Colchester: a labelled update") == 1
    assert level("an update under a bare label") == 2
    assert level("North LPA:") == 0
    assert level("a third-level update") == 2
    assert level("a fourth level is shown at the third") == 2


def test_labels_bold_with_colon_and_subheadings_plain_bold_lines(doc):
    inline = _find(doc, "West LPA: During the quarter, officers were introduced.")
    runs = inline.runs
    assert runs[0].text == "West LPA:" and runs[0].bold
    assert not any(r.bold for r in runs[1:])
    bare = _find(doc, "Chelmsford:")
    assert bare.runs[0].bold and bare.paragraph_format.keep_with_next
    sub = _find(doc, "The Force Control Room (FCR):")
    assert style_name(sub) == "Update Subheading" and _style_bold(sub.style)
    assert numbered(sub) is None


def test_span_emphasis_is_kept_as_run_formatting(doc):
    p = _find(doc, "plain update with bold words and italic words inside")
    by_text = {r.text: r for r in p.runs}
    assert by_text["bold words"].bold and not by_text["bold words"].italic
    assert by_text["italic words"].italic and not by_text["italic words"].bold
    assert not by_text["plain update with "].bold


# --- properties and reproducibility --------------------------------------------------


def test_document_properties(doc, data):
    props = doc.core_properties
    assert props.title == META.title
    assert props.subject == "Quarter 2 – 2020/21"
    assert props.author == "Performance Analysis Unit"
    assert props.version == "1.1" and "version 1.1" in props.keywords
    assert props.language == "en-GB"
    assert props.created == props.modified == datetime(2020, 10, 5, 16, 42, tzinfo=UTC)
    assert props.revision == 1
    assert 'w:lang w:val="en-GB"' in _part(data, "word/styles.xml")


def test_same_report_gives_the_same_bytes(tmp_path, data):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    write_docx(_report(), first, PAGINATION)
    write_docx(_report(), second, PAGINATION)
    assert first.read_bytes() == second.read_bytes() == data
    with zipfile.ZipFile(first) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {i.date_time for i in z.infolist()} == {(2020, 10, 5, 16, 42, 0)}


def test_template_records_its_version_and_the_document_keeps_it(data, tmp_path):
    assert template_version(TEMPLATE) == "2.0"
    out = tmp_path / "r.docx"
    out.write_bytes(data)
    assert template_version(out) == "2.0"


def test_committed_template_is_what_the_tool_builds():
    spec = there(importlib.util.spec_from_file_location("make_docx_template", ROOT / "tools" / "make_docx_template.py"))
    tool = importlib.util.module_from_spec(spec)
    there(spec.loader).exec_module(tool)
    assert tool.build_template() == TEMPLATE.read_bytes(), "run tools/make_docx_template.py and commit"


# --- submission text is data ---------------------------------------------------------


def test_template_syntax_and_markup_in_updates_appear_literally(doc, data):
    texts = [p.text for p in _paragraphs(doc)]
    for hostile in HOSTILE:
        assert hostile in texts
    assert "49" not in texts and "XXX" not in texts


def test_hostile_meta_and_titles_appear_literally():
    meta = replace(META, unit="A & B <i>{{ 7*7 }}</i>", plan_title="Plan {% if 1 %}yes{% endif %}")
    outline = OUTLINE.replace("Crack Down on Anti-social Behaviour", "Crack {{ down }} & <b>up</b>")
    d = docx.Document(io.BytesIO(render_docx(_report(meta, outline), PAGINATION)))
    texts = [p.text for p in _paragraphs(d)]
    assert "A & B <i>{{ 7*7 }}</i>, Essex Police" in texts
    assert "Plan {% if 1 %}yes{% endif %}" in texts
    assert "Priority 2 – Crack {{ down }} & <b>up</b>\t8" in texts
    assert "Priority 2 – Crack {{ down }} & <b>up</b>" in texts
    assert "Plan {% if 1 %}yes{% endif %} – Quarterly Update 2020/21 Q2" in _header_text(d.sections[0].header)
    assert "Priority 2 – Crack {{ down }} & <b>up</b>" in _header_text(d.sections[3].header)


def test_characters_xml_forbids_are_dropped():
    meta = replace(META, organisation="Essex\x01 Police")
    report = _report(meta)
    bad = Item((Span("bad\x00 \x07text\x1b here\ufffe\x0c\x0b\ud800\x1c"), Span("\x02", bold=True)),
               label="Lab\x08el")
    third = report.priorities[2]
    commitment = replace(third.commitments[0], blocks=(bad,))
    report = replace(report, priorities=(*report.priorities[:2], replace(third, commitments=(commitment,))))
    d = docx.Document(io.BytesIO(render_docx(report, PAGINATION)))
    texts = [p.text for p in _paragraphs(d)]
    assert "Label: bad text here" in texts
    assert "Performance Analysis Unit, Essex Police" in texts


def test_edge_cases_render(tmp_path):
    empty = docx.Document(io.BytesIO(render_docx(_report(outline=""), Pagination(2, {}))))
    assert empty.tables == [] and len(empty.sections) == 2
    bare = "priority 1: Only a title\nlead-in: We will:\n"
    d = docx.Document(io.BytesIO(render_docx(_report(outline=bare), Pagination(3, {}))))
    assert [p.text for p in _paragraphs(d) if style_name(p) == "toc 1"] == ["Priority 1 – Only a title\t"]
    assert [style_name(p) for p in _paragraphs(d)][-2:] == ["Heading 1", "Lead In"]
    header = d.sections[-1].header.paragraphs  # names the priority; no line for a commitment it has not
    assert [p.style.name for p in header][-1] == "Running Priority" and all(p.text for p in header)


# --- the golden ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [Path(part).name for part in PARTS])
def test_sample_parts_are_the_reviewed_golden(name, sample_docx_parts):
    """The sample's document.xml, numbering.xml and styles.xml, as normalised XML, are
    the reviewed goldens in tests/golden/docx/ (written only by `make accept-golden`)."""
    golden = (GOLDEN_PARTS / name).read_text(encoding="utf-8")
    assert sample_docx_parts[name] == golden, f"{name} differs from the golden: review, then `make accept-golden`"


def test_normalised_xml_sorts_attributes_and_keeps_text():
    xml = (b'<w:p xmlns:w="urn:w"><w:r w:z="1" w:a="2">  <w:t xml:space="preserve"> a  b </w:t>\n</w:r>'
           b"</w:p>")
    assert normalised(xml) == ('<w:p xmlns:w="urn:w">\n  <w:r w:a="2" w:z="1">\n'
                               '    <w:t xml:space="preserve"> a  b </w:t>\n  </w:r>\n</w:p>\n')


# --- LibreOffice -----------------------------------------------------------------------


def test_libreoffice_paginates_the_sample_like_the_pdf(tmp_path):
    report = native.load(GOLDEN.read_text(encoding="utf-8"), META)
    ranges = {1: "3-5", 2: "6-7", 3: "8", 4: "9-10", 5: "11-13", 6: "14-15", 7: "16"}
    source = tmp_path / "sample.docx"
    write_docx(report, source, Pagination(16, ranges))
    converted = libreoffice.convert(source, tmp_path)
    pages = [page.extract_text() for page in pypdf.PdfReader(converted).pages]
    assert 15 <= len(pages) <= 17
    assert "Quarterly Update" in pages[0] and META.running_header not in pages[0]
    assert "Contents" in pages[1] and META.running_header in pages[1]
    _, starts = libreoffice.priority_pages(converted, [p.heading for p in report.priorities])
    assert starts == {p.heading: int(ranges[p.number].split("-")[0]) for p in report.priorities}
    assert all(text.rstrip().endswith("OFFICIAL") for text in pages)
    for number, text in enumerate(pages[2:], start=3):  # a continuation page's header names its commitment
        flat = " ".join(text.split())
        assert any(p.heading in flat for p in report.priorities), number
