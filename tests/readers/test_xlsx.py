"""Issue 4's variants, each made by code the way Word or Excel stores it."""

import datetime as dt

import docx
import openpyxl
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from assemble.readers import docx as docx_reader
from assemble.readers import xlsx as xlsx_reader

from .builders import bullet, excel, word

W = nsdecls("w")
R = nsdecls("w", "r")


def _texts(sub):
    out = []

    def walk(u, depth):
        out.append(("  " * depth) + (f"[{u.label}] " if u.label else "") + u.text)
        for c in u.children:
            walk(c, depth + 1)

    for c in sub.contributions:
        for u in c.updates:
            walk(u, 0)
    return out


def _doc_with(tmp_path, name, body_xml: list[str]):
    d = docx.Document()
    d.add_heading("Priority 7 – Roads", level=1)
    d.add_paragraph("7.1")
    for xml in body_xml:
        d.element.body.insert(len(d.element.body) - 1, parse_xml(xml))
    path = tmp_path / name
    d.save(path)
    return path


def test_tracked_changes_taken_and_warned(tmp_path, plan):
    para = (f'<w:p {W}><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t xml:space="preserve">Speed checks </w:t></w:r>'
            '<w:ins w:id="1" w:author="a" w:date="2020-10-01T00:00:00Z"><w:r><w:t>doubled</w:t></w:r></w:ins>'
            '<w:del w:id="2" w:author="a" w:date="2020-10-01T00:00:00Z"><w:r><w:delText>halved</w:delText></w:r></w:del>'
            '<w:r><w:t xml:space="preserve"> this quarter.</w:t></w:r></w:p>')
    [sub], problems = docx_reader.read(_doc_with(tmp_path, "Roads Policing.docx", [para]), plan)
    assert _texts(sub) == ["Speed checks doubled this quarter."]
    assert [p.severity for p in problems] == ["warning"] and "tracked changes" in problems[0].message


def test_hyperlinks_keep_their_text_and_comments_are_ignored(tmp_path, plan):
    para = (f'<w:p {R}><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t xml:space="preserve">See </w:t></w:r>'
            '<w:commentRangeStart w:id="0"/>'
            '<w:hyperlink r:id="rId99"><w:r><w:t>the campaign page</w:t></w:r></w:hyperlink>'
            '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
            '<w:r><w:t>.</w:t></w:r></w:p>')
    [sub], problems = docx_reader.read(_doc_with(tmp_path, "Roads Policing.docx", [para]), plan)
    assert _texts(sub) == ["See the campaign page."] and problems == []


def test_list_styles_and_typed_markers(tmp_path, plan):
    path = word(tmp_path / "West LPA.docx", [
        ("h", "PRIORITY 7 - roads"), "Build of the success of reducing those killed",
        ("style", "List Bullet", "one"), ("style", "List Bullet 2", "two"), ("style", "List Bullet 3", "three"),
        "•\tfour", "\t-\tfive", "\t\to six", "plain paragraph"])
    [sub], problems = docx_reader.read(path, plan)
    assert problems == []
    assert _texts(sub) == ["one", "  two", "    three", "four", "  five", "    six", "plain paragraph"]


def test_area_line_alias_and_sub_heading(tmp_path, plan):
    path = word(tmp_path / "return.docx", [
        "Q2 return", "Area: nlpa", ("h", "Priority 2: ASB"), "Commitment 1",
        "Operation updates:", (0, "first"), (0, "Thurrock: inline district? no, North has no Thurrock")])
    [sub], problems = docx_reader.read(path, plan)
    assert sub.area == "North LPA" and problems == []
    assert _texts(sub)[:2] == ["[Operation updates] ", "  first"]
    assert sub.count() == 2


def test_docm_is_read(tmp_path, plan):
    path = word(tmp_path / "West LPA.docx", [("h", "Priority 7"), "1", (0, "macro file")])
    docm = tmp_path / "West LPA.docm"
    docm.write_bytes(path.read_bytes())
    [sub], _ = docx_reader.read(docm, plan)
    assert _texts(sub) == ["macro file"]


def test_excel_hidden_sheet_title_rows_area_cell_and_narrative_header(tmp_path, plan):
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "Old"
    hidden.append(["Priority", "Update"])
    hidden.append([1, "from a hidden sheet"])
    hidden.sheet_state = "hidden"
    notes = book.create_sheet("Notes")
    notes.append(["nothing here"])
    sheet = book.create_sheet("Return")
    sheet.append(["Quarterly return"])
    sheet.append(["Area:", "South"])
    sheet.append(["narrative", "LEVEL", "commitment", "PRIORITY"])
    sheet.append(["dated", 1, "1", "Priority 7 – Roads"])
    sheet.append([dt.datetime(2020, 9, 30), 2, None, None])
    sheet.append([16975, 1, None, None])
    path = tmp_path / "return.xlsx"
    book.save(path)
    [sub], problems = xlsx_reader.read(path, plan)
    assert problems == [] and sub.area == "South LPA"
    assert _texts(sub) == ["dated", "  30/09/2020", "16975"]


def test_excel_area_column_splits_one_file_into_areas(tmp_path, plan):
    path = excel(tmp_path / "combined.xlsx", [[7, 1, "North", "a"], [7, 1, "West", "b"]],
                 header=("Priority", "Commitment", "Area", "Update"))
    subs, problems = xlsx_reader.read(path, plan)
    assert problems == [] and [(s.area, _texts(s)) for s in subs] == [("North LPA", ["a"]), ("West LPA", ["b"])]


def test_word_numbering_without_style(tmp_path, plan):
    d = docx.Document()
    d.add_paragraph("Priority 7")
    d.add_paragraph("1")
    p = d.add_paragraph("numbered by the button")
    bullet(p, 1)
    d.save(tmp_path / "West LPA.docx")
    [sub], _ = docx_reader.read(tmp_path / "West LPA.docx", plan)
    assert _texts(sub) == ["numbered by the button"]
