from assemble.readers import docx as docx_reader
from assemble.readers import xlsx as xlsx_reader

from .builders import excel, word

C21 = "Target repeat and high harm anti-social behaviour through the continued development"


def outline(sub):
    """(commitment, district, [(label, text, depth)]) per contribution."""
    def walk(u, depth, out):
        out.append((u.label, u.text, depth))
        for c in u.children:
            walk(c, depth + 1, out)
        return out

    return [(c.commitment, c.district, [x for u in c.updates for x in walk(u, 0, [])])
            for c in c_list(sub)]


def c_list(sub):
    return sub.contributions


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
    [sub], problems = docx_reader.read(path, plan)
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
    [sub], problems = docx_reader.read(path, plan)
    assert problems == []
    assert sub.area == "Local Policing Support Unit"
    assert outline(sub) == [("2.1", None, [
        (None, "Numerous successes including:", 0),
        ("Thurrock", "A tenant", 1),
        (None, "Operation X: not a place", 1),
    ])]


def test_word_emphasis_survives(tmp_path, plan):
    path = word(tmp_path / "West LPA.docx", [("h", "Priority 7"), "1", (0, "a **bold** and *italic* word")])
    [sub], _ = docx_reader.read(path, plan)
    spans = sub.contributions[0].updates[0].spans
    assert [(s.text, s.bold, s.italic) for s in spans] == [
        ("a ", False, False), ("bold", True, False), (" and ", False, False),
        ("italic", False, True), (" word", False, False)]


def test_word_update_without_commitment_is_an_error(tmp_path, plan):
    path = word(tmp_path / "West LPA.docx", [("h", "Priority 1"), "Boost community volunteering but typed wrong so much",
                                             (0, "lost?")])
    [sub], problems = docx_reader.read(path, plan)
    assert any("paragraph" in str(p.place) and p.severity == "error" for p in problems)
    assert any("1.1" in p.hint for p in problems)


def test_word_unknown_area(tmp_path, plan):
    path = word(tmp_path / "return.docx", [("h", "Priority 7"), "1", (0, "x")])
    [sub], problems = docx_reader.read(path, plan)
    assert sub.area is None
    assert "cannot tell which area" in problems[0].message


def test_excel_rows(tmp_path, plan):
    path = excel(tmp_path / "South LPA Q2.xlsx", [
        [2, 1, None, 1, "Area-wide"],
        [None, None, "Basildon", 1, "B one"],
        [None, None, "Basildon", 2, "B nested"],
        [5, C21[:20], None, 1, "wrong commitment"],
        [5, "Disrupt and prevent organised drug distribution", "Rochford and Castle Point", 1, "R"],
        [None, None, None, None, None],
    ], above=[["South LPA – Q2 return"], []])
    [sub], problems = xlsx_reader.read(path, plan)
    assert sub.area == "South LPA"
    assert [p.place.where for p in problems] == ["sheet 'Updates', row 7"]
    assert outline(sub) == [
        ("2.1", None, [(None, "Area-wide", 0)]),
        ("2.1", "Basildon", [(None, "B one", 0), (None, "B nested", 1)]),
        ("5.2", "Rochford and Castle Point", [(None, "R", 0)]),
    ]


def test_excel_without_header(tmp_path, plan):
    import pytest

    from assemble.model import InputError

    path = excel(tmp_path / "West LPA.xlsx", [[1, 2, 3]], header=("a", "b", "c"))
    with pytest.raises(InputError) as err:
        xlsx_reader.read(path, plan)
    assert "header row" in str(err.value)


def test_word_table_filled_like_a_form(tmp_path, plan):
    import docx

    d = docx.Document()
    d.add_paragraph("Area: Roads Policing")
    t = d.add_table(rows=1, cols=3)
    for cell, text in zip(t.rows[0].cells, ["Priority", "Commitment", "Update"]):
        cell.text = text
    for row in [["Priority 7 – Roads", "1", "first"], ["", "", "second"]]:
        cells = t.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    d.save(tmp_path / "form.docx")
    [sub], problems = docx_reader.read(tmp_path / "form.docx", plan)
    assert problems == []
    assert outline(sub) == [("7.1", None, [(None, "first", 0), (None, "second", 0)])]


def test_word_commitment_typed_as_a_bullet(tmp_path, plan):
    path = word(tmp_path / "West LPA.docx", [
        ("h", "Priority 4"), (0, "Bring violent offenders to justice through targeted police enforcement"),
        (0, "an update")])
    [sub], problems = docx_reader.read(path, plan)
    assert problems == [] and outline(sub) == [("4.1", None, [(None, "an update", 0)])]


def test_excel_merged_district_and_number_formats(tmp_path, plan):
    import openpyxl

    path = excel(tmp_path / "South LPA.xlsx", [
        [2, 1, "Basildon", 1, "a"],
        [None, None, None, 1, "b"],
        [None, None, None, 1, None],
    ])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet.merge_cells("C2:C3")
    sheet["E4"] = 0.225
    sheet["E4"].number_format = "0.0%"
    book.save(path)
    [sub], problems = xlsx_reader.read(path, plan)
    assert problems == []
    assert outline(sub) == [("2.1", "Basildon", [(None, "a", 0), (None, "b", 0)]),
                            ("2.1", None, [(None, "22.5%", 0)])]


def test_word_bullet_that_runs_on_past_a_commitment_is_an_update(tmp_path, plan):
    text = plan.commitment("6.1").text
    path = word(tmp_path / "West LPA.docx", [("h", "Priority 6"), text, (0, "Two charged"),
                                             (0, text + " Three convictions."), (0, "last")])
    [sub], problems = docx_reader.read(path, plan)
    assert problems == [] and sub.count() == 3
