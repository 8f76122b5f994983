"""Where the readers' places stand in the file (issue 27: the feedback sent back puts each
problem where it is): every paragraph the Word reader numbers — in hyperlinks, fields,
content controls, text boxes, table cells, a form's rows — is found as its w:p in the
main part; an Excel row as the cell a note on it goes on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from assemble import readers
from assemble.errors import InputError
from assemble.readers import docx as docx_reader
from assemble.readers import xlsx as xlsx_reader
from assemble.records import Paragraph, Table

from .. import structures as s
from ..builders import excel
from ..present import there

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraph_texts(path, part: str) -> list[str]:
    """The text of every w:p of a part, in document order (a text box's inside its anchor's too)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read(part))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def word(path: Path) -> docx_reader.Paragraphs:
    located = readers.locate(path)
    assert isinstance(located, docx_reader.Paragraphs), located
    return located


def test_every_paragraph_the_word_reader_numbers_is_found_as_its_own_w_p(tmp_path):
    path = s.every_structure(tmp_path / "Roads Policing Q2.docx")
    record = readers.read(path)
    located = word(path)
    assert located.part == "word/document.xml"
    texts = paragraph_texts(path, located.part)
    lines = [b for b in record.blocks if isinstance(b, Paragraph)]
    assert len(lines) == 16  # the structures above (the table of figures: four cells), each numbered
    for line in lines:
        position = there(located.position(line.place.where))
        assert line.text.replace("\n", " ").split(" ")[0] in texts[position], (line.place, texts[position])
    assert texts[there(located.first)].startswith("Area: Roads Policing")
    box = next(line for line in lines if line.text == "in the box")
    assert texts[there(located.position(box.place.where))] == "in the box"  # the box's own paragraph, not its anchor


def test_a_forms_rows_are_found_by_their_update_cells(tmp_path):
    path = s.every_structure(tmp_path / "Roads Policing Q2.docx")
    form = next(b for b in readers.read(path).blocks if isinstance(b, Table))
    located = word(path)
    texts = paragraph_texts(path, located.part)
    assert texts[there(located.position(form.rows[0].place.where))] == "from a form's row"
    assert texts[there(located.position(form.head[0].place.where))] == "Update"


def test_a_strict_documents_paragraphs_are_found_in_its_own_part(tmp_path):
    path = s.strict(s.Doc().heading("Priority 7").para("1").bullet("from a Strict document").save(
        tmp_path / "Roads Policing Q2.docx"))
    located = word(path)
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read(located.part))
    strict = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
    ps = list(root.iter(f"{strict}p"))
    assert "".join(t.text or "" for t in ps[there(located.position("paragraph 3"))].iter(f"{strict}t")) == \
        "from a Strict document"


def test_an_excel_row_is_found_as_its_update_cell_else_its_first_filled_cell(tmp_path):
    path = excel(tmp_path / "FCR Q2.xlsx", [[7, 1, None, 1, "an update"], [None, None, "Basildon"]],
                 above=[["Area: Force Control Room"]])
    located = readers.locate(path)
    assert isinstance(located, xlsx_reader.Cells), located
    sheet = "xl/worksheets/sheet1.xml"
    assert located.cell("sheet 'Updates', row 3") == (sheet, "E3")
    assert located.cell("sheet 'Updates', row 4") == (sheet, "C4")  # no update: its first filled cell
    assert located.cell("sheet 'Updates', cell B9") == (sheet, "B9")
    assert located.cell("sheet 'Elsewhere', row 3") is None
    assert located.first == (sheet, "A1")


def test_a_file_the_readers_refuse_is_refused_by_locate_too(tmp_path):
    from ..hostile import word_laughs

    with pytest.raises(InputError):
        readers.locate(word_laughs(tmp_path / "Roads Policing Q2.docx"))
