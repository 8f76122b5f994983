"""Records: what a reader makes of a file, plain data before any plan."""

import dataclasses

import pytest

from assemble.errors import Place
from assemble.model import Span
from assemble.records import Paragraph, Record, Row, Table


def test_paragraph_text_joins_its_spans_and_trims():
    p = Paragraph(Place("a.docx", "paragraph 1"), (Span("  a "), Span("bold", bold=True), Span(" ")), 0)
    assert p.text == "a bold"


def test_row_cells_by_column():
    row = Row(Place("a.xlsx", "sheet 'Updates', row 2"), (" 7 ", "1", "", "  an update "))
    columns = {"priority": 0, "commitment": 1, "level": 2, "update": 3, "district": 9}
    cells = [row.cell(columns, k) for k in ("priority", "commitment", "level", "update")]
    assert cells == ["7", "1", "", "an update"]
    assert row.cell(columns, "district") == ""  # past the row's end
    assert row.cell(columns, "area") == ""  # no such column


def test_record_stem_and_defaults():
    record = Record("North LPA v2.final.docx", "docx", ())
    assert record.stem == "North LPA v2.final"
    assert Record("no extension", "docx", ()).stem == "no extension"
    assert (record.area, record.modified, record.problems) == (None, None, ())


def test_records_are_frozen_and_compare_by_value():
    table = Table({"priority": 0, "update": 1}, (Row(Place("a.xlsx"), ("7", "x")),))
    a = Record("a.xlsx", "xlsx", (table,), "South")
    b = Record("a.xlsx", "xlsx", (table,), "South")
    assert a == b
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.area = "North"  # type: ignore[misc]
