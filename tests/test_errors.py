"""One path for every message: problems, the exception tree, operating-system errors."""

from __future__ import annotations

import errno

import pytest

from assemble.errors import (
    AssembleError,
    FolderError,
    InputError,
    InternalError,
    OutputError,
    Place,
    Problem,
    Severity,
    TemplateError,
    UsageError,
    VersionError,
    error,
    errors,
    os_errors,
    os_problem,
    warning,
    warnings,
)


def test_problems_show_as_one_line():
    assert str(warning("a", Place("x.docx", "paragraph 3"), "b")) == "warning: x.docx: paragraph 3: a (b)"
    assert str(error("a", Place("x.docx"))) == "error: x.docx: a"
    assert str(error("a")) == "error: a"
    assert str(Place("x.docx", "")) == "x.docx"
    # mypy takes a StrEnum member's literal and a str literal for disjoint (python/mypy#19576): it is that string
    assert Severity.ERROR == "error" and Problem(Severity.WARNING, "m").severity == "warning"  # type: ignore[comparison-overlap]


def test_a_word_place_names_what_word_shows():
    """Guard rails, case 14: the headings above, what the line is, its opening words, then its number."""
    bullet = Place("North LPA - Q2 return.docx", "paragraph 12", "Saffron Waldon: Partnership…", "bullet",
                   "Priority 2 › 2.1")
    assert str(bullet) == ("North LPA - Q2 return.docx: under Priority 2 › 2.1, the bullet 'Saffron Waldon: "
                           "Partnership…' (paragraph 12)")
    assert Place("r.docx", "paragraph 5", "Priority 2 – Crack…", "heading").shown == \
        "the heading 'Priority 2 – Crack…' (paragraph 5)"  # before the first priority: no "under"
    assert Place("r.docx", "paragraph 14 in table 2, row 3", "Colchester", "line", "Priority 7").shown == \
        "under Priority 7, the line 'Colchester' (paragraph 14 in table 2, row 3)"
    assert Place("r.docx", "paragraph 15 in a text box", "in the box").shown == \
        "the line 'in the box' (paragraph 15 in a text box)"
    # Excel's and a plan's places are their locators: Excel and an editor show those numbers
    assert str(Place("FCR Q2.xlsx", "sheet 'Updates', row 7")) == "FCR Q2.xlsx: sheet 'Updates', row 7"
    assert str(Place("2016-2020.toml", "line 42")) == "2016-2020.toml: line 42"
    # a key: equal places are one, a place under other headings is another
    assert {bullet: 1}[Place("North LPA - Q2 return.docx", "paragraph 12", "Saffron Waldon: Partnership…", "bullet",
                             "Priority 2 › 2.1")] == 1
    assert bullet != Place("North LPA - Q2 return.docx", "paragraph 12", "Saffron Waldon: Partnership…", "bullet")


def test_errors_and_warnings_apart():
    found = [warning("w1"), error("e"), warning("w2")]
    assert errors(found) == [error("e")] and warnings(found) == [warning("w1"), warning("w2")]


@pytest.mark.parametrize("kind, status", [
    (AssembleError, 1), (UsageError, 2), (FolderError, 1), (VersionError, 1), (OutputError, 1),
    (TemplateError, 1),
])
def test_exit_statuses_and_lines(kind, status):
    exc = kind("it went wrong", "do this")
    assert exc.exit_status == status and exc.line() == "error: it went wrong (do this)"
    assert kind("plain").line() == "error: plain"


def test_an_input_error_carries_its_problems():
    problems = [error("is empty (0 bytes)", Place("a.docx")), error("is damaged", Place("a.docx"))]
    exc = InputError(problems)
    assert exc.problems == problems and exc.exit_status == 1
    assert str(exc) == "error: a.docx: is empty (0 bytes); error: a.docx: is damaged"


def test_only_an_internal_error_says_bug():
    assert InternalError("x", ("a.docx", "b.xlsx")).line() == (
        "error: x (this is a bug in assemble; please report it with the inputs: a.docx, b.xlsx)")
    assert InternalError("x").hint == "this is a bug in assemble; please report it"
    for kind in (UsageError, FolderError, VersionError, OutputError, TemplateError):
        assert "bug" not in kind("x").line()


@pytest.mark.parametrize("code, what", [
    (errno.EACCES, "permission denied"), (errno.EROFS, "the file system is read-only"),
    (errno.ENOSPC, "no space left on the drive"), (errno.ENOTDIR, "a part of the path is a file, not a folder"),
    (errno.ENAMETOOLONG, "the name is too long"), (errno.EIO, "the drive reported an input/output error"),
])
def test_os_errors_in_words_naming_the_path(code, what):
    exc = os_problem(OSError(code, "strerror", "/out/file.pdf"))
    assert isinstance(exc, OutputError)
    assert exc.message == f"/out/file.pdf: cannot write it: {what}" and exc.hint
    assert "errno" not in exc.line().lower() and "bug" not in exc.line()


def test_an_unknown_os_error_and_one_without_a_path():
    exc = os_problem(OSError(errno.EBUSY, "Device or resource busy"), doing="lock")
    assert exc.message == "cannot lock: device or resource busy" and exc.hint == "check the path and run it again"


def test_os_errors_become_output_errors_naming_the_file():
    with pytest.raises(OutputError) as err, os_errors("/out"):
        raise PermissionError(errno.EACCES, "Permission denied", "/out/report.md")
    assert err.value.message == "/out/report.md: cannot write it: permission denied"
    with pytest.raises(OutputError) as err, os_errors("/out", "read"):
        raise OSError(errno.EIO, "I/O error")
    assert err.value.message == "/out: cannot read it: the drive reported an input/output error"


def test_a_problem_may_stand_for_others_and_shows_its_own_line_only():
    """Guard rails, case 7: the findings a problem folds in are kept with it, not printed."""
    each = (warning("unchanged: 'a'", Place("x.docx", "paragraph 3")), warning("unchanged: 'b'", Place("x.docx")))
    folded = Problem(Severity.WARNING, "2 updates are unchanged", Place("x.docx"), "write news", each)
    assert str(folded) == "warning: x.docx: 2 updates are unchanged (write news)"
    assert folded.details == each and len({folded, folded}) == 1  # frozen and hashable still
    assert folded != warning("2 updates are unchanged", Place("x.docx"), "write news")
