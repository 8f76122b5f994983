"""The Word reader, read and resolved against the plan as a build does: paragraphs,
list levels (numbering, list styles, typed markers), emphasis, tables filled in
like forms, tracked changes; and the Record it makes before any plan."""

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from assemble import readers
from assemble.errors import InputError
from assemble.readers import docx as docx_reader
from assemble.records import Paragraph, Table

from ..builders import bullet, outline, read, word
from ..present import paragraphs, there

C21 = "Target repeat and high harm anti-social behaviour through the continued development"
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


# --- the record: what the file says, before any plan ------------------------------------


def test_record_keeps_paragraphs_levels_and_emphasis_without_a_plan(tmp_path):
    path = word(tmp_path / "West LPA.docx", ["Area: West", ("h", "Priority 7"), "1",
                                            (0, "a **bold** word"), (1, "nested")])
    record = docx_reader.read(path)
    assert (record.file, record.format, record.stem) == ("West LPA.docx", "docx", "West LPA")
    assert all(isinstance(b, Paragraph) for b in record.blocks)
    assert [(b.text, b.level) for b in paragraphs(record.blocks)] == [
        ("Area: West", None), ("Priority 7", None), ("1", None), ("a bold word", 0), ("nested", 1)]
    assert [(s.text, s.bold) for s in paragraphs(record.blocks)[3].spans] == [("a ", False), ("bold", True),
                                                                            (" word", False)]
    assert [str(b.place) for b in paragraphs(record.blocks[:2])] == [
        "West LPA.docx: the line 'Area: West' (paragraph 1)", "West LPA.docx: the heading 'Priority 7' (paragraph 2)"]
    assert record.problems == () and record.area is None
    assert record.modified  # python-docx stamps its own documents


def test_record_keeps_the_bookmarks_a_paragraph_starts(tmp_path):
    """Issue 27: a bookmark is format data the record keeps, by name, on the paragraph it starts
    in, or on the next paragraph when it starts between two (as LibreOffice may write it); one
    that starts in a text box is the text box paragraph's; one before an empty paragraph is no one's."""
    path = _doc_with(tmp_path, "marks.docx", [
        f'<w:p {W}><w:bookmarkStart w:id="1" w:name="first"/><w:r><w:t>A line</w:t></w:r>'
        '<w:bookmarkEnd w:id="1"/><w:bookmarkStart w:id="2" w:name="second"/><w:r><w:t> goes on</w:t></w:r>'
        '<w:bookmarkEnd w:id="2"/></w:p>',
        f'<w:bookmarkStart {W} w:id="3" w:name="between"/>',
        f'<w:p {W}><w:hyperlink w:anchor="x"><w:bookmarkStart w:id="4" w:name="linked"/><w:r><w:t>Next line</w:t>'
        '</w:r></w:hyperlink><w:bookmarkEnd w:id="3"/><w:bookmarkEnd w:id="4"/></w:p>',
        f'<w:bookmarkStart {W} w:id="5" w:name="lost"/>',
        f'<w:p {W}><w:bookmarkEnd w:id="5"/></w:p>',
        f'<w:p {W}><w:r><w:t>Unmarked</w:t></w:r></w:p>',
    ])
    record = docx_reader.read(path)
    assert [(b.text, b.marks) for b in record.blocks if isinstance(b, Paragraph)][2:] == [
        ("A line goes on", ("first", "second")), ("Next line", ("between", "linked")), ("Unmarked", ())]


def test_readers_read_is_the_guarded_reader_by_suffix(tmp_path):
    path = word(tmp_path / "West LPA.DOCX", [("h", "Priority 7"), "1", (0, "x")])
    assert readers.READERS[".docx"] is docx_reader.read is readers.READERS[".docm"]
    assert readers.read(path).blocks == docx_reader.read(path).blocks
    bad = tmp_path / "West LPA.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError) as err:
        readers.read(bad)
    assert there(err.value.problems[0].place).file == "West LPA.docx"


def test_a_form_table_is_kept_whole_as_rows(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    for cell, text in zip(t.rows[0].cells + t.rows[1].cells, ["Priority", "Update", "7", "first"], strict=True):
        cell.text = text
    d.save(tmp_path / "form.docx")
    [table] = docx_reader.read(tmp_path / "form.docx").blocks
    assert isinstance(table, Table)
    assert table.columns == {"priority": 0, "update": 1}
    assert [(str(r.place), r.cells) for r in table.rows] == [("form.docx: table 1, row 2", ("7", "first"))]


def test_a_line_break_is_kept_in_the_record(tmp_path):
    """Guard rails, case 15: Shift+Enter (w:br) is a line break in the spans, for resolve to tell the
    bullets typed after it; the paragraph's text reads it as a space, its place names its first line."""
    d = docx.Document()
    p = d.add_paragraph(style="List Paragraph")
    p.add_run("first point").add_break()
    p.add_run("• second point")
    bullet(p, 0)
    d.save(tmp_path / "breaks.docx")
    [para] = paragraphs(docx_reader.read(tmp_path / "breaks.docx").blocks)
    assert [s.text for s in para.spans] == ["first point\n", "• second point"]
    assert para.text == "first point • second point"
    assert (para.place.words, para.place.kind, para.place.where) == ("first point", "bullet", "paragraph 1")


def test_a_place_names_what_word_shows(tmp_path):
    """Guard rails, case 14: the reader gives each paragraph's number, its opening words and whether Word
    shows it as a heading, a bullet or a line; in a table and a text box it says so."""
    d = docx.Document()
    d.add_heading("Priority 2 – Crack Down on Anti-social Behaviour", level=1)
    d.add_paragraph("Target repeat and high harm")
    p = d.add_paragraph("Saffron Waldon: Partnership problem solving approaches", style="List Paragraph")
    bullet(p, 0)
    d.add_table(rows=1, cols=2).rows[0].cells[1].text = "A figure in a cell"
    d.save(tmp_path / "places.docx")
    blocks = paragraphs(docx_reader.read(tmp_path / "places.docx").blocks)
    assert [str(b.place) for b in blocks] == [
        "places.docx: the heading 'Priority 2 – Crack…' (paragraph 1)",
        "places.docx: the line 'Target repeat and…' (paragraph 2)",
        "places.docx: the bullet 'Saffron Waldon: Partnership…' (paragraph 3)",
        "places.docx: the line 'A figure in…' (paragraph 4 in table 1, row 1)"]


# --- read and resolved ----------------------------------------------------------------


def test_word_lpa_with_districts(tmp_path, plan):
    path = word(tmp_path / "whatever.docx", [
        "North LPA return", "Area: north",
        ("h", "Priority 2 – Crack Down on ASB"),
        C21,
        (0, "Force-wide first"),
        (0, "Colchester:"),
        (1, "one"),
        (1, "two"),
        (0, "Saffron Waldon: inline"),
        (0, "Chelmsford"),
        (1, "three"),
        (2, "deeper"),
    ])
    [sub], problems = read(path, plan)
    assert problems == []
    assert sub.area == "North LPA"
    assert outline(sub) == [
        ("2.1", None, [(None, "Force-wide first", 0)]),
        ("2.1", "Colchester", [(None, "one", 0), (None, "two", 0)]),
        ("2.1", "Saffron Waldon", [(None, "inline", 0)]),
        ("2.1", "Chelmsford", [(None, "three", 0), (None, "deeper", 1)]),
    ]
    assert sub.count() == 6


def test_word_department_keeps_labels_inside_updates(tmp_path, plan):
    path = word(tmp_path / "LPSU Q2.docx", [
        ("bold", "Priority 2: crack down"),
        "2.1",
        (0, "Local Policing Support Unit: Numerous successes including:"),
        (1, "Thurrock: A tenant"),
        (1, "Operation X: not a place"),
    ])
    [sub], problems = read(path, plan)
    assert problems == []
    assert sub.area == "Local Policing Support Unit"
    assert outline(sub) == [("2.1", None, [
        (None, "Numerous successes including:", 0),
        ("Thurrock", "A tenant", 1),
        (None, "Operation X: not a place", 1),
    ])]


def test_word_emphasis_survives(tmp_path, plan):
    path = word(tmp_path / "West LPA.docx", [("h", "Priority 7"), "1", (0, "a **bold** and *italic* word")])
    [sub], _ = read(path, plan)
    spans = sub.contributions[0].updates[0].spans
    assert [(s.text, s.bold, s.italic) for s in spans] == [
        ("a ", False, False), ("bold", True, False), (" and ", False, False),
        ("italic", False, True), (" word", False, False)]


def test_word_update_without_commitment_is_an_error(tmp_path, plan):
    path = word(tmp_path / "West LPA.docx", [("h", "Priority 1"),
                                             "Boost community volunteering but typed wrong so much", (0, "lost?")])
    [_sub], problems = read(path, plan)
    assert any("paragraph" in str(p.place) and p.severity == "error" for p in problems)
    assert any("1.1" in p.hint for p in problems)


def test_word_unknown_area(tmp_path, plan):
    path = word(tmp_path / "return.docx", [("h", "Priority 7"), "1", (0, "x")])
    [sub], problems = read(path, plan)
    assert sub.area is None
    assert "cannot tell which area" in problems[0].message


def test_word_table_filled_like_a_form(tmp_path, plan):
    d = docx.Document()
    d.add_paragraph("Area: Roads Policing")
    t = d.add_table(rows=1, cols=3)
    for cell, text in zip(t.rows[0].cells, ["Priority", "Commitment", "Update"], strict=True):
        cell.text = text
    for row in [["Priority 7 – Roads", "1", "first"], ["", "", "second"]]:
        cells = t.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    d.save(tmp_path / "form.docx")
    [sub], problems = read(tmp_path / "form.docx", plan)
    assert problems == []
    assert outline(sub) == [("7.1", None, [(None, "first", 0), (None, "second", 0)])]


def test_word_commitment_typed_as_a_bullet(tmp_path, plan):
    path = word(tmp_path / "West LPA.docx", [
        ("h", "Priority 4"), (0, "Bring violent offenders to justice through targeted police enforcement"),
        (0, "an update")])
    [sub], problems = read(path, plan)
    assert problems == [] and outline(sub) == [("4.1", None, [(None, "an update", 0)])]


def test_word_bullet_that_runs_on_past_a_commitment_is_an_update(tmp_path, plan):
    text = plan.commitment("6.1").text
    path = word(tmp_path / "West LPA.docx", [("h", "Priority 6"), text, (0, "Two charged"),
                                             (0, text + " Three convictions."), (0, "last")])
    [sub], problems = read(path, plan)
    assert problems == [] and sub.count() == 3


# --- how Word stores it (issue 4's variants) ------------------------------------------


def test_tracked_changes_taken_and_warned(tmp_path, plan):
    para = (f'<w:p {W}><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t xml:space="preserve">Speed checks </w:t></w:r>'
            '<w:ins w:id="1" w:author="a" w:date="2020-10-01T00:00:00Z"><w:r><w:t>doubled</w:t></w:r></w:ins>'
            '<w:del w:id="2" w:author="a" w:date="2020-10-01T00:00:00Z">'
            '<w:r><w:delText>halved</w:delText></w:r></w:del>'
            '<w:r><w:t xml:space="preserve"> this quarter.</w:t></w:r></w:p>')
    [sub], problems = read(_doc_with(tmp_path, "Roads Policing.docx", [para]), plan)
    assert _texts(sub) == ["Speed checks doubled this quarter."]
    assert [p.severity for p in problems] == ["warning"] and "tracked changes" in problems[0].message


def test_hyperlinks_keep_their_text_and_comments_are_ignored(tmp_path, plan):
    para = (f'<w:p {R}><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t xml:space="preserve">See </w:t></w:r>'
            '<w:commentRangeStart w:id="0"/>'
            '<w:hyperlink r:id="rId99"><w:r><w:t>the campaign page</w:t></w:r></w:hyperlink>'
            '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
            '<w:r><w:t>.</w:t></w:r></w:p>')
    [sub], problems = read(_doc_with(tmp_path, "Roads Policing.docx", [para]), plan)
    assert _texts(sub) == ["See the campaign page."] and problems == []


def test_list_styles_and_typed_markers(tmp_path, plan):
    path = word(tmp_path / "West LPA.docx", [
        ("h", "PRIORITY 7 - roads"), "Build of the success of reducing those killed",
        ("style", "List Bullet", "one"), ("style", "List Bullet 2", "two"), ("style", "List Bullet 3", "three"),
        "•\tfour", "\t-\tfive", "\t\to six", "plain paragraph"])
    [sub], problems = read(path, plan)
    assert problems == []
    assert _texts(sub) == ["one", "  two", "    three", "four", "  five", "    six", "plain paragraph"]


def test_area_line_alias_and_sub_heading(tmp_path, plan):
    path = word(tmp_path / "return.docx", [
        "Q2 return", "Area: nlpa", ("h", "Priority 2: ASB"), "Commitment 1",
        "Operation updates:", (0, "first"), (0, "Thurrock: inline district? no, North has no Thurrock")])
    [sub], problems = read(path, plan)
    assert sub.area == "North LPA" and problems == []
    assert _texts(sub)[:2] == ["[Operation updates] ", "  first"]
    assert sub.count() == 2


def test_docm_is_read(tmp_path, plan):
    path = word(tmp_path / "West LPA.docx", [("h", "Priority 7"), "1", (0, "macro file")])
    docm = tmp_path / "West LPA.docm"
    docm.write_bytes(path.read_bytes())
    [sub], _ = read(docm, plan)
    assert _texts(sub) == ["macro file"]


def test_word_numbering_without_style(tmp_path, plan):
    d = docx.Document()
    d.add_paragraph("Priority 7")
    d.add_paragraph("1")
    p = d.add_paragraph("numbered by the button")
    bullet(p, 1)
    d.save(tmp_path / "West LPA.docx")
    [sub], _ = read(tmp_path / "West LPA.docx", plan)
    assert _texts(sub) == ["numbered by the button"]
