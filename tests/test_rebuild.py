"""Issues 5 and 6 end to end: what check says of a copy of the sample, and what a
second build of the small quarter after an edit writes (and leaves alone)."""

import hashlib
import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from assemble.cli import main

from .present import there
from .quarters import SAMPLE, small_quarter


def run(*argv):
    """(exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    return main([str(a) for a in argv], out=out, err=err), out.getvalue(), err.getvalue()


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def quarter(tmp_path):
    q = tmp_path / "in" / "2020-21-Q2"
    shutil.copytree(SAMPLE, q)
    return q


@pytest.fixture
def small(tmp_path):
    """The small quarter (tests/quarters.py): for the tests that build."""
    return small_quarter(tmp_path / "in")


def test_check_flags_the_four_slips_and_prints_the_counts(quarter):
    code, out, err = run("check", quarter)
    assert code == 0
    assert "93 updates read from 11 files; 93 placed; 0 left out" in out
    assert "did you mean 'Tendring'?" in err and "did you mean 'Saffron Walden'?" in err
    assert "is 22.8%, not 22.5%" in err and "'down from 238'" in err
    assert err.count("warning:") == 4 and "warning:" not in out
    assert "Areas that sent nothing: none" in out


def test_missing_area_is_named_and_strict_fails(quarter):
    (quarter / "Roads Policing Q2.xlsx").unlink()
    _code, out, _err = run("check", quarter)
    assert "Areas that sent nothing: Roads Policing" in out
    assert "7.1" in out.split("Commitments with no update:")[1]
    assert "88 updates read from 10 files" in out
    assert run("check", quarter, "--strict")[0] == 1


def test_unknown_commitment_fails_with_file_and_place(quarter):
    path = quarter / "Roads Policing Q2.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Updates"]
    row = next(r for r in sheet.iter_rows(min_row=1) if r[0].value == 7)
    row[1].value = "Make the roads entirely different"
    book.save(path)
    code, _out, err = run("check", quarter)
    assert code == 1
    assert "Roads Policing Q2.xlsx: sheet 'Updates', row" in err and "cannot match commitment" in err


def test_edit_gives_next_version_with_changelog_and_keeps_the_old_one(small, tmp_path):
    outputs = tmp_path / "out"
    assert run("build", small, "--outputs", outputs)[0] == 0
    folder = outputs / "2020-21-Q2"
    v10 = {k: v for k, v in digest(folder).items() if "-v1.0." in k}
    assert len(v10) == 4  # the PDF, the Word file, the HTML edition, the outline

    path = small / "Roads Policing Q2.xlsx"
    book = openpyxl.load_workbook(path)
    cell = next(c for row in book["Updates"].iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("Twelve new Roads Policing Officers"))
    assert isinstance(cell.value, str)
    cell.value = cell.value.replace("Twelve new", "Fourteen new")
    book.save(path)

    code, out, err = run("build", small, "--outputs", outputs)
    assert code == 0, out + err
    assert "built v1.1" in out and "1 edited" in out
    after = digest(folder)
    assert {k: after[k] for k in v10} == v10
    changes = (folder / "changes-v1.1.md").read_text(encoding="utf-8")
    assert "Twelve" in changes and "Fourteen" in changes and "### Roads Policing" in changes
    assert "added" not in changes.split("##")[0].replace("0 added", "")


def test_same_inputs_in_other_folders_give_identical_files(small, tmp_path):
    other = tmp_path / "elsewhere" / "deeper" / "2020-21-Q2"
    shutil.copytree(small, other)
    assert run("build", small, "--outputs", tmp_path / "a")[0] == 0
    assert run("build", other, "--outputs", tmp_path / "b")[0] == 0
    a, b = digest(tmp_path / "a" / "2020-21-Q2"), digest(tmp_path / "b" / "2020-21-Q2")
    for name in ("quarterly-update-2020-21-Q2-v1.0.pdf", "quarterly-update-2020-21-Q2-v1.0.docx",
                 "quarterly-update-2020-21-Q2-v1.0.html"):
        assert a[name] == b[name], name


def test_version_and_production_month_in_both_outputs_metadata(small, tmp_path):
    import docx
    from pypdf import PdfReader

    assert run("build", small, "--outputs", tmp_path / "out")[0] == 0
    folder = tmp_path / "out" / "2020-21-Q2"
    keywords = there(there(PdfReader(folder / "quarterly-update-2020-21-Q2-v1.0.pdf").metadata).keywords)
    assert "Version 1.0" in keywords and "Produced October 2020" in keywords
    props = docx.Document(str(folder / "quarterly-update-2020-21-Q2-v1.0.docx")).core_properties
    assert props.version == "1.0" and "produced October 2020" in props.keywords
    assert props.created.year == 2020 and props.created.month == 10
