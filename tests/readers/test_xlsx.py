"""The Excel reader, read and resolved against the plan as a build does: the
first visible sheet with a header row, title rows and an area cell above it,
merged cells, number formats; and the Record it makes before any plan."""

import datetime as dt

import openpyxl
import pytest

from assemble.errors import InputError
from assemble.readers import xlsx as xlsx_reader
from assemble.records import Table

from ..builders import excel, outline, read
from ..present import sheet as active
from ..present import tables

C21 = "Target repeat and high harm anti-social behaviour through the continued development"


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


# --- the record: what the file says, before any plan ------------------------------------


def test_record_is_one_table_of_the_rows_under_the_header(tmp_path):
    path = excel(tmp_path / "return.xlsx", [[7, 1, None, 1, "an update"], [None, None, "Basildon", 2, 0.5]],
                 above=[["Area: South"], []])
    record = xlsx_reader.read(path)
    assert (record.file, record.format, record.area, record.problems) == ("return.xlsx", "xlsx", "South", ())
    [table] = record.blocks
    assert isinstance(table, Table)
    assert table.columns == {"priority": 0, "commitment": 1, "district": 2, "level": 3, "update": 4}
    assert [(r.place.where, r.cells) for r in table.rows] == [
        ("sheet 'Updates', row 4", ("7", "1", "", "1", "an update")),
        ("sheet 'Updates', row 5", ("", "", "Basildon", "2", "0.5")),
    ]
    assert table.rows[1].cell(table.columns, "district") == "Basildon"
    assert table.rows[1].cell(table.columns, "area") == ""  # no such column


def test_bullets_typed_in_a_cell_are_updates_of_their_own(tmp_path, plan):
    """Guard rails, case 15: a cell "• first point⏎• second point⏎- third" (Alt+Enter): the reader keeps
    the line breaks, resolve makes each marked line an update, no marker printed."""
    cell = "• first point\n• second point\n- third"
    path = excel(tmp_path / "Roads Policing Q2.xlsx", [[7, 1, None, 1, cell]])
    [table] = tables(xlsx_reader.read(path).blocks)
    assert table.rows[0].cells[4] == cell
    [sub], problems = read(path, plan)
    assert problems == []
    assert _texts(sub) == ["first point", "second point", "  third"]


def test_display_shows_cells_as_excel_does(tmp_path):
    book = openpyxl.Workbook()
    sheet = active(book)
    cases = [
        (None, "General", ""), (True, "General", "TRUE"), (3.0, "General", "3"), (2.5, "General", "2.5"),
        (0.225, "0.0%", "22.5%"), (16975, "#,##0", "16,975"), (3, "0.00", "3.00"),
        (dt.datetime(2020, 9, 30), "dd/mm/yyyy", "30/09/2020"), (dt.datetime(2020, 9, 1), "mmm-yy", "Sep-20"),
        (dt.datetime(2020, 9, 1), "mmmm yyyy", "September 2020"),
        (dt.datetime(2020, 9, 30, 14, 5), "General", "30/09/2020 14:05"),
    ]
    for row, (value, fmt, _) in enumerate(cases, start=1):
        sheet.cell(row, 1, value).number_format = fmt
    assert [xlsx_reader.display(sheet.cell(row, 1)) for row in range(1, len(cases) + 1)] == [
        shown for _, _, shown in cases]


# --- read and resolved ----------------------------------------------------------------


def test_excel_rows(tmp_path, plan):
    path = excel(tmp_path / "South LPA Q2.xlsx", [
        [2, 1, None, 1, "Area-wide"],
        [None, None, "Basildon", 1, "B one"],
        [None, None, "Basildon", 2, "B nested"],
        [5, C21[:20], None, 1, "wrong commitment"],
        [5, "Disrupt and prevent organised drug distribution", "Rochford and Castle Point", 1, "R"],
        [None, None, None, None, None],
    ], above=[["South LPA – Q2 return"], []])
    [sub], problems = read(path, plan)
    assert sub.area == "South LPA"
    assert [p.place.where for p in problems] == ["sheet 'Updates', row 7"]
    assert outline(sub) == [
        ("2.1", None, [(None, "Area-wide", 0)]),
        ("2.1", "Basildon", [(None, "B one", 0), (None, "B nested", 1)]),
        ("5.2", "Rochford and Castle Point", [(None, "R", 0)]),
    ]


def test_excel_without_header(tmp_path, plan):
    path = excel(tmp_path / "West LPA.xlsx", [[1, 2, 3]], header=("a", "b", "c"))
    with pytest.raises(InputError) as err:
        read(path, plan)
    assert "header row" in str(err.value)


def test_excel_merged_district_and_number_formats(tmp_path, plan):
    path = excel(tmp_path / "South LPA.xlsx", [
        [2, 1, "Basildon", 1, "a"],
        [None, None, None, 1, "b"],
        [None, None, None, 1, None],
    ])
    book = openpyxl.load_workbook(path)
    sheet = active(book)
    sheet.merge_cells("C2:C3")
    sheet["E4"] = 0.225
    sheet["E4"].number_format = "0.0%"
    book.save(path)
    [sub], problems = read(path, plan)
    assert problems == []
    assert outline(sub) == [("2.1", "Basildon", [(None, "a", 0), (None, "b", 0)]),
                            ("2.1", None, [(None, "22.5%", 0)])]


# --- how Excel stores it (issue 4's variants) -------------------------------------------


def test_excel_hidden_sheet_title_rows_area_cell_and_narrative_header(tmp_path, plan):
    book = openpyxl.Workbook()
    hidden = active(book)
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
    [sub], problems = read(path, plan)
    assert problems == [] and sub.area == "South LPA"
    assert _texts(sub) == ["dated", "  30/09/2020", "16975"]


def test_excel_area_column_splits_one_file_into_areas(tmp_path, plan):
    path = excel(tmp_path / "combined.xlsx", [[7, 1, "North", "a"], [7, 1, "West", "b"]],
                 header=("Priority", "Commitment", "Area", "Update"))
    subs, problems = read(path, plan)
    assert problems == [] and [(s.area, _texts(s)) for s in subs] == [("North LPA", ["a"]), ("West LPA", ["b"])]
