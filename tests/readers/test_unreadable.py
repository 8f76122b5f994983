"""A library's errors mapped where the library is called, by type: a malformed file is an
input error naming it, in words; an error in the readers' own code is a bug in assemble,
named with the file, never "your file is damaged"."""

from __future__ import annotations

import errno
import io
import re
import zipfile

import pytest

from assemble import readers
from assemble.cli import main
from assemble.errors import InputError, InternalError
from assemble.readers import xlsx as xlsx_reader
from assemble.readers.docx import lists
from assemble.readers.unreadable import Table, Unreadable, mapped

from .. import hostile as h
from ..builders import read
from ..builders import update_texts as updates
from ..present import there


def refused(path) -> InputError:
    with pytest.raises(InputError) as err:
        readers.read(path)
    [problem] = err.value.problems
    assert problem.severity == "error" and there(problem.place).file == path.name
    return err.value


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# --- the mapping ---------------------------------------------------------------------------------


def test_a_mapped_type_becomes_unreadable_in_words_and_any_other_passes_untouched():
    table: Table = {KeyError: "a part it refers to is missing", ValueError: lambda exc: "a value"}
    with pytest.raises(Unreadable) as err, mapped(table, "xl/workbook.xml"):
        raise KeyError("There is no item named 'xl/styles.xml' in the archive")
    assert (err.value.why, err.value.part) == ("a part it refers to is missing", "xl/workbook.xml")
    assert "no item named" not in str(err.value)
    with pytest.raises(Unreadable, match="a value"), mapped(table):
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")  # a ValueError
    with pytest.raises(AttributeError), mapped(table):
        raise AttributeError("'NoneType' object has no attribute 'get'")


# --- a malformed file: an input error naming it ------------------------------------------------------


def test_openpyxl_failing_on_a_row_is_an_input_error(tmp_path):
    """openpyxl raises IndexError reading a row whose cell names a shared string the workbook
    lacks: the library's own error on a malformed file, mapped where its rows are read."""
    contents = h.excel_shared(tmp_path / "FCR.xlsx")
    contents["xl/worksheets/sheet1.xml"] = contents["xl/worksheets/sheet1.xml"].replace(
        b't="s"><v>0</v>', b't="s"><v>99</v>')
    err = refused(h.write_parts(tmp_path / "FCR.xlsx", contents))
    assert "cannot be read: its contents are damaged or not laid out as Excel saves them " \
           "(it holds a value Excel does not write)" in str(err)
    assert isinstance(err.__cause__, Unreadable) and isinstance(err.__cause__.__cause__, IndexError)


def test_openpyxl_failing_to_open_a_workbook_is_an_input_error(tmp_path):
    """A sheet the workbook lists with no relationship to its part: openpyxl's KeyError."""
    contents = h.parts(h.good_excel(tmp_path / "FCR.xlsx"))
    rels = contents["xl/_rels/workbook.xml.rels"]
    contents["xl/_rels/workbook.xml.rels"] = re.sub(rb"<Relationship [^>]*/worksheet\"[^>]*/>", b"", rels)
    err = refused(h.write_parts(tmp_path / "FCR.xlsx", contents))
    assert "(a part it refers to is missing)" in str(err) and "KeyError" not in str(err)


def test_a_part_that_is_not_xml_is_named_with_its_line(tmp_path):
    contents = h.parts(h.good_word(tmp_path / "West LPA.docx"))
    contents["word/styles.xml"] = b"<?xml version='1.0'?>\n<styles>\n<style></styles>"
    err = refused(h.write_parts(tmp_path / "West LPA.docx", contents))
    assert there(err.problems[0].place).where == "part 'word/styles.xml', line 3"
    assert "its XML is not well-formed" in err.problems[0].message


@pytest.mark.parametrize("modified", [b"", b"0001-01-01T00:00:00+05:00", b"yesterday"])
def test_a_last_saved_time_python_docx_cannot_read_says_nothing_of_the_content(tmp_path, plan, modified):
    """python-docx raises TypeError on an empty time and OverflowError on one its offset moves
    before year 1: the document is read, as new as the file."""
    path = h.good_word(tmp_path / "West LPA.docx")
    contents = h.parts(path)
    contents["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                           rb"\g<1>" + modified + rb"\g<2>", contents["docProps/core.xml"])
    h.write_parts(path, contents)
    subs, problems = read(path, plan)
    assert problems == [] and updates(subs) == [h.GOOD_TEXT]
    assert readers.read(path).modified  # the file's own time


# --- a bug in the readers: said as one ---------------------------------------------------------------


def _broken(*args, **kwargs):
    raise AttributeError("'NoneType' object has no attribute 'group'")


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_bug_in_a_reader_is_an_internal_error_naming_the_file(tmp_path, monkeypatch, kind):
    if kind == "docx":
        path = h.good_word(tmp_path / "West LPA Q2.docx")
        monkeypatch.setattr(lists, "level", _broken)
    else:
        path = h.good_excel(tmp_path / "FCR Q2.xlsx")
        monkeypatch.setattr(xlsx_reader, "_sheet_parts", _broken)
    with pytest.raises(InternalError) as err:
        readers.read(path)
    assert path.name in err.value.message and path.name in err.value.hint
    assert "bug in assemble" in err.value.hint
    assert isinstance(err.value.__cause__, AttributeError)


def test_a_bug_in_a_reader_reaches_the_user_as_a_bug_never_as_a_damaged_file(tmp_path, monkeypatch):
    folder = tmp_path / "2020-21-Q2"
    folder.mkdir()
    h.good_word(folder / "West LPA Q2.docx")
    monkeypatch.setattr(xlsx_reader, "display", _broken)
    h.good_excel(folder / "FCR Q2.xlsx")
    code, out, err = run("check", str(folder))
    assert code == 1
    assert "error: unexpected AttributeError reading FCR Q2.xlsx: " in err
    assert err.rstrip().endswith("(this is a bug in assemble; please report it with the inputs: FCR Q2.xlsx)")
    assert "damaged" not in out + err and "Traceback" not in out + err


def test_a_disk_error_while_reading_is_the_disks_never_a_damaged_file(tmp_path, monkeypatch):
    """The check read the file whole; a read failing after it is the drive's (a share gone):
    said as the disk's, by the command, not as a file that is damaged or a bug."""
    path = h.good_word(tmp_path / "West LPA Q2.docx")

    def failing(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(zipfile.ZipFile, "read", failing)  # the readers' reads, not the check's streaming
    with pytest.raises(OSError):
        readers.read(path)
