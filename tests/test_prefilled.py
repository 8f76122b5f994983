"""The sample's next quarter sent out (issue 27): the sample built as 2020-21-Q2 keeps what its
checks flagged in its updates with the version (the manifest's flags), and the Q3 returns
`templates` writes carry each flag on the line it carries over — a comment in Word, a note on
the Update cell in Excel — its words unchanged; South LPA's District list offers the labels it
used last quarter that the place check accepted."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from assemble import signature
from assemble.cli import main
from assemble.quarter import Quarter
from assemble.versions import history

from .builders import read
from .present import there
from .quarters import SAMPLE
from .test_returns import dropdowns

Q2, Q3 = "2020-21-Q2", "2020-21-Q3"
SAFFRON = "the district label 'Saffron Waldon' is not a place in the plan"
TENDING = "the district label 'Tending' is not a place in the plan"


@pytest.fixture(scope="module")
def cycle(tmp_path_factory) -> Path:
    """The sample built as Q2, then Q3's returns sent out: the outputs folder."""
    root = tmp_path_factory.mktemp("prefilled")
    shutil.copytree(SAMPLE, root / "inputs" / Q2)
    outputs = root / "outputs"
    for argv in (["all", str(root / "inputs")], ["templates", str(root / "inputs" / Q3)]):
        err = io.StringIO()
        assert main([*argv, "--outputs", str(outputs)], out=io.StringIO(), err=err) == 0, err.getvalue()
    return outputs


def sent(cycle: Path, area: str, suffix: str) -> Path:
    return cycle / Q3 / "returns" / f"{area} - {Q3} submission.{suffix}"


def test_the_manifest_keeps_what_the_checks_flagged_in_single_updates(cycle):
    [version] = json.loads((cycle / Q2 / "manifest.json").read_text(encoding="utf-8"))["versions"]
    flags = {(f["area"], f["commitment"], f["label"], f["text"].split()[0], f["message"].split(":")[0], f["hint"])
             for f in version["flags"]}
    assert flags == {
        ("North LPA", "2.1", "Saffron Waldon", "Partnership", SAFFRON, "did you mean 'Saffron Walden'?"),
        ("North LPA", "3.1", "Tending", "The", TENDING, "did you mean 'Tendring'?"),
        ("Force Control Room", "1.3", None, "Call-handling", "figures contradict each other",
         "check the figures, or give the percentage as 22.8%"),
        ("Roads Policing", "7.1", None, "There", "figures contradict the words",
         "254 is more than 238: check the figures, or say 'up from'"),
    }
    assert there(history.earlier(cycle, Quarter(2020, 3))).flags  # read back with the version, for the returns


def comments(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A Word file's comments by the text of the paragraph each is anchored on: (author, text)."""
    d = docx.Document(str(path))
    out: dict[str, list[tuple[str, str]]] = {}
    for p in d.paragraphs:
        for start in p._p.iter(qn("w:commentRangeStart")):
            comment = there(d.comments.get(int(there(start.get(qn("w:id"))))))
            out.setdefault(p.text, []).append((comment.author, comment.text))
    return out


def test_word_carries_last_quarters_flags_as_comments_on_the_lines(cycle, plan):
    path = sent(cycle, "North LPA", "docx")
    found = comments(path)
    assert sorted((text.split(":")[0], said) for text, said in found.items()) == [
        ("Saffron Waldon", [(plan.unit, signature.sign(f"last quarter: {SAFFRON} (did you mean 'Saffron Walden'?)"))]),
        ("Tending", [(plan.unit, signature.sign(f"last quarter: {TENDING} (did you mean 'Tendring'?)"))]),
    ]
    assert any(text.startswith("Saffron Waldon: Partnership problem solving approaches") for text in found)
    assert any(text.startswith("Tending: The arrests of several") for text in found)  # its words unchanged
    _, problems = read(path, plan)
    assert problems == []  # the unit's own comments are not reported back


def test_excel_carries_them_as_notes_on_the_update_cells(cycle, plan):
    for area, words in (("Force Control Room", "22.8%"), ("Roads Policing", "'up from'")):
        path = sent(cycle, area, "xlsx")
        sheet = openpyxl.load_workbook(path)["Updates"]
        notes = [(cell.coordinate, cell.comment.text) for row in sheet.iter_rows() for cell in row if cell.comment]
        [(where, note)] = notes
        assert where.startswith("E") and signature.signed(note) and words in note
        assert note.startswith(signature.sign("last quarter: figures contradict"))
        _, problems = read(path, plan)
        assert problems == [], area


def test_south_lpas_district_list_has_the_labels_it_used_last_quarter(cycle, plan):
    offered, style = dropdowns(openpyxl.load_workbook(sent(cycle, "South LPA", "xlsx")))["District"]
    assert {"Canvey Island", "Rochford and Castle Point", "Basildon", "Pitsea", "Thurrock"} <= set(offered)
    assert style == "warning"  # another district is warned of, never refused
    assert offered.index("Rochford and Castle Point") > offered.index("Grays")  # after the plan's own
    assert len(offered) == len(set(offered))


def test_a_prefilled_return_sent_back_as_it_went_gets_this_quarters_comments_not_last(cycle, plan, tmp_path):
    """Issue 27, feedback: a pre-filled return that comes back with last quarter's flags still in
    it is sent back with this quarter's problems as comments and notes, last quarter's taken out
    (none stacked); its structure (styles, bookmarks, protection) as it was; read back, the same."""
    from .hostile import parts
    from .test_feedback import comments_by_paragraph, notes

    quarter = tmp_path / "inputs" / Q3
    quarter.mkdir(parents=True)
    for area, suffix in (("North LPA", "docx"), ("Force Control Room", "xlsx")):
        shutil.copy(sent(cycle, area, suffix), quarter)
    shutil.copytree(cycle, tmp_path / "outputs")
    err = io.StringIO()
    assert main(["feedback", str(quarter), "--outputs", str(tmp_path / "outputs")], out=io.StringIO(), err=err) == 0
    folder = tmp_path / "outputs" / Q3 / "feedback"
    word = folder / sent(cycle, "North LPA", "docx").name
    said = [text for texts in comments_by_paragraph(word).values() for text in texts]
    assert said and all(text.startswith(signature.MARK) and "last quarter:" not in text for text in said)
    assert any("'Saffron Waldon' is not a place" in text for text in said)  # still misspelt: said again, once
    assert sum("'Saffron Waldon' is not a place" in text for text in said) == 1
    before, after = docx.Document(str(sent(cycle, "North LPA", "docx"))), docx.Document(str(word))
    assert [(p.style.name if p.style else "", p.text) for p in after.paragraphs] == \
        [(p.style.name if p.style else "", p.text) for p in before.paragraphs]
    original, copied = parts(sent(cycle, "North LPA", "docx")), parts(word)
    assert copied["word/settings.xml"] == original["word/settings.xml"]  # its protection as it was
    assert copied["word/document.xml"].count(b"<w:bookmarkStart") == original["word/document.xml"].count(
        b"<w:bookmarkStart")
    sheet_notes = notes(folder / sent(cycle, "Force Control Room", "xlsx").name)
    assert sheet_notes and all("last quarter:" not in text for text in sheet_notes.values())
    for area, suffix in (("North LPA", "docx"), ("Force Control Room", "xlsx")):
        subs, problems = read(folder / sent(cycle, area, suffix).name, plan)
        expected, expected_problems = read(sent(cycle, area, suffix), plan)
        assert [s.contributions for s in subs] == [s.contributions for s in expected]
        assert [str(p) for p in problems] == [str(p) for p in expected_problems] == []
