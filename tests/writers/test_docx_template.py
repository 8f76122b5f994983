"""The Word template is the unit's to edit: found by what a user sees, checked before
every build, every missing piece named in one message, and round-tripped through
LibreOffice it builds the sample with the same pages."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from assemble.errors import TemplateError
from assemble.writers.docx import TEMPLATE, check_template, render_docx

from .. import libreoffice
from ..meta import SAMPLE_PAGINATION
from ..present import style
from .conftest import sample_report

SAMPLE_RANGES = {1: "3-5", 2: "6-7", 3: "8", 4: "9-10", 5: "11-13", 6: "14-15", 7: "16"}


def edited(tmp_path: Path, part: str, change, name: str = "edited.docx", source: Path = TEMPLATE) -> Path:
    """The template with one part's XML changed by `change` (text -> text)."""
    out = tmp_path / name
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return out


def without_style(xml: str, name: str) -> str:
    return re.sub(rf'<w:style [^>]*>(?:(?!</w:style>).)*<w:name w:val="{name}"/>.*?</w:style>', "", xml,
                  count=1, flags=re.S)


def problem(template: Path) -> TemplateError:
    with pytest.raises(TemplateError) as raised:
        check_template(template)
    error = raised.value
    assert "bug" not in error.line().lower()
    assert "\n" not in error.line()
    assert "take the file back from the last version" in error.hint
    return error


def test_the_bundled_template_has_everything():
    check_template()


def test_a_deleted_style_is_named(tmp_path):
    error = problem(edited(tmp_path, "word/styles.xml", lambda x: without_style(x, "Lead In")))
    assert error.message.startswith("the Word template ")
    assert "lacks what the writer needs: the style 'Lead In'" in error.message


def test_a_removed_placeholder_is_named(tmp_path):
    error = problem(edited(tmp_path, "word/document.xml", lambda x: x.replace("Version {{ version }}", "Version")))
    assert error.message.endswith("lacks what the writer needs: the tag {{ version }} in the document")


def test_every_missing_piece_in_one_message(tmp_path):
    styles = edited(tmp_path, "word/styles.xml", lambda x: without_style(without_style(x, "Lead In"), "Update"),
                    name="styles.docx")
    both = edited(tmp_path, "word/document.xml", lambda x: x.replace("{{p body }}", "the body"), source=styles)
    error = problem(both)
    assert "the style 'Lead In'" in error.message and "the style 'Update'" in error.message
    assert "the tag {{p body }} in the document" in error.message
    with pytest.raises(TemplateError, match="the style 'Lead In'"):  # the writer checks before it renders
        render_docx(sample_report(), SAMPLE_PAGINATION, both)


def test_a_file_that_is_not_a_template_is_named(tmp_path):
    bad = tmp_path / "quarterly-update.docx"
    bad.write_bytes(b"not a zip")
    error = problem(bad)
    assert str(bad) in error.message and "not a Word document" in error.message


def test_styles_are_found_by_name_whatever_their_case_and_ids(tmp_path):
    """LibreOffice writes w:name="Heading 1" where Word writes "heading 1"; editors rename ids."""
    def rename(xml: str) -> str:
        xml = xml.replace('w:styleId="Heading2"', 'w:styleId="Kop2"').replace('w:val="heading 2"', 'w:val="HEADING 2"')
        return xml.replace('w:styleId="LeadIn"', 'w:styleId="Intro9"')

    template = edited(tmp_path, "word/styles.xml", rename)
    check_template(template)
    d = docx.Document(io.BytesIO(render_docx(sample_report(), SAMPLE_PAGINATION, template)))
    ids = {style(p).style_id for p in d.paragraphs}
    assert {"Kop2", "Intro9"} <= ids and "Heading2" not in ids
    assert sum(style(p).style_id == "Kop2" for p in d.paragraphs) == 12


def test_tags_split_across_runs_still_work(tmp_path):
    split = '<w:t>Version {{ ver</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>sion }}</w:t>'
    template = edited(tmp_path, "word/document.xml", lambda x: x.replace("<w:t>Version {{ version }}</w:t>", split))
    check_template(template)
    d = docx.Document(io.BytesIO(render_docx(sample_report(), SAMPLE_PAGINATION, template)))
    assert "Version 1.1" in [p.text for p in d.paragraphs]


def test_changed_fonts_colours_margins_and_added_styles_are_fine(tmp_path):
    def restyle(xml: str) -> str:
        xml = xml.replace('w:ascii="Arial"', 'w:ascii="Verdana"').replace("1F3864", "7030A0")
        return xml.replace("</w:styles>", '<w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="Mine"/>'
                                          "</w:style></w:styles>")

    template = edited(tmp_path, "word/styles.xml", restyle)
    template = edited(tmp_path, "word/document.xml", lambda x: x.replace('w:left="1134"', 'w:left="1500"'),
                      name="margins.docx", source=template)
    check_template(template)
    render_docx(sample_report(), SAMPLE_PAGINATION, template)


# --- LibreOffice -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def resaved(tmp_path_factory) -> Path:
    """The template as LibreOffice saves it again (Word 2007-365 format)."""
    out = tmp_path_factory.mktemp("resaved")
    return libreoffice.convert(TEMPLATE, out, to="docx:MS Word 2007 XML")


def test_the_template_resaved_by_libreoffice_builds_the_sample_with_the_same_pages(resaved, tmp_path):
    check_template(resaved)
    report = sample_report(draft=True)
    source = tmp_path / "sample.docx"
    source.write_bytes(render_docx(report, SAMPLE_PAGINATION, resaved))
    pages, starts = libreoffice.priority_pages(libreoffice.convert(source, tmp_path),
                                               [p.heading for p in report.priorities])
    assert pages == 16
    assert starts == {p.heading: int(SAMPLE_RANGES[p.number].split("-")[0])
                      for p in report.priorities}
