"""Which files in a quarter folder are submissions, and the rest refused or passed over."""

from __future__ import annotations

import pytest

from assemble.errors import FolderError, Place, Severity
from assemble.folders import quarter_folders
from assemble.intake import scan

from .present import there


def touch(folder, *names):
    for name in names:
        (folder / name).write_bytes(b"x")


def test_word_and_excel_files_are_submissions_in_name_order(tmp_path):
    touch(tmp_path, "West LPA.docx", "b return.XLSX", "a return.docm", "C return.xlsm", "FCR.Docx")
    intake = scan(tmp_path)
    assert [p.name for p in intake.submissions] == [
        "a return.docm", "b return.XLSX", "C return.xlsm", "FCR.Docx", "West LPA.docx"]
    assert intake.problems == ()


def test_lock_files_hidden_files_and_clutter_are_passed_over_and_a_folder_is_named(tmp_path):
    touch(tmp_path, "~$West LPA.docx", ".~lock.FCR.xlsx#", ".DS_Store", "Thumbs.db", "desktop.ini", ".hidden.docx")
    (tmp_path / "old returns").mkdir()
    (tmp_path / "old returns" / "North LPA.docx").write_bytes(b"x")
    intake = scan(tmp_path)
    assert intake.submissions == ()
    assert [str(p) for p in intake.problems] == [
        "warning: old returns: is a folder; files in a folder inside the quarter's folder are not read "
        "(move the returns it holds into the quarter's folder itself)"]


def test_old_formats_are_refused_with_what_to_do(tmp_path):
    touch(tmp_path, "North LPA.doc", "FCR.XLS")
    problems = scan(tmp_path).problems
    assert [(p.severity, p.place, p.message) for p in problems] == [
        (Severity.ERROR, Place("FCR.XLS"), "an old Excel 97-2003 file: open it in Excel and save it as .xlsx"),
        (Severity.ERROR, Place("North LPA.doc"), "an old Word 97-2003 file: open it in Word and save it as .docx"),
    ]


def test_other_files_are_refused_as_not_a_submission_format(tmp_path):
    touch(tmp_path, "notes.txt", "scan.PDF", "README")
    problems = scan(tmp_path).problems
    assert [(there(p.place).file, p.message, p.hint) for p in problems] == [
        ("notes.txt", "'.txt' is not a submission format", "send .docx or .xlsx"),
        ("README", "'no extension' is not a submission format", "send .docx or .xlsx"),
        ("scan.PDF", "'.pdf' is not a submission format", "send .docx or .xlsx"),
    ]
    assert scan(tmp_path).submissions == ()


def test_symbolic_links_are_refused_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere.docx"
    elsewhere.write_bytes(b"x")
    folder = tmp_path / "2020-21-Q2"
    folder.mkdir()
    (folder / "West LPA.docx").symlink_to(elsewhere)
    (folder / "linked folder").symlink_to(tmp_path)
    intake = scan(folder)
    assert intake.submissions == ()
    assert [(there(p.place).file, p.message) for p in intake.problems] == [
        ("linked folder", "is a symbolic link; links are not followed"),
        ("West LPA.docx", "is a symbolic link; links are not followed"),
    ]
    assert intake.problems[0].hint == "copy the file itself into the folder"


def test_a_folder_that_cannot_be_read(tmp_path):
    with pytest.raises(FolderError) as err:
        scan(tmp_path / "missing")
    assert str(tmp_path / "missing") in err.value.message and "no such file or folder" in err.value.message
    assert err.value.hint == "check the folder exists and you may read it"
    (tmp_path / "a file").write_text("x")
    with pytest.raises(FolderError):
        scan(tmp_path / "a file")


def test_quarter_folders_are_the_folders_not_hidden_in_order(tmp_path):
    for name in ("2020-21-Q3", "2020-21-Q2", ".git", "returns"):
        (tmp_path / name).mkdir()
    touch(tmp_path, "North LPA.docx")
    assert [p.name for p in quarter_folders(tmp_path)] == ["2020-21-Q2", "2020-21-Q3", "returns"]
    with pytest.raises(FolderError):
        quarter_folders(tmp_path / "missing")
