"""What the merge could not place, told as problems."""

from __future__ import annotations

from assemble.checks import left_out
from assemble.errors import Place, Severity

from .common import assembly, c, sub, u


def test_an_unknown_area_is_an_error_at_the_file():
    [p] = left_out.check(assembly([sub(c(u("a"), u("b"), commitment="1.1"), file="who.docx", area=None)]))
    assert (p.severity, p.place) == (Severity.ERROR, Place("who.docx"))
    assert p.message == "2 update(s) left out: the area that sent it is not known"


def test_a_superseded_file_is_a_warning():
    old = sub(c(u("old"), commitment="2.1"), c(u("kept"), commitment="3.1"), file="North LPA v1.docx")
    new = sub(c(u("new"), commitment="2.1"), file="North LPA v2.docx")
    [p] = left_out.check(assembly([old, new]))
    assert (p.severity, p.place) == (Severity.WARNING, Place("North LPA v1.docx"))
    assert p.message == "1 update(s) left out: superseded by North LPA v2.docx for commitment 2.1"


def test_neither_newer_is_an_error_naming_both_files():
    a = sub(c(u("a")), file="North A.docx")
    b = sub(c(u("b")), file="North B.docx")
    problems = left_out.check(assembly([a, b]))
    clash = problems[0]
    assert clash.severity is Severity.ERROR and clash.place is None
    assert clash.message == ("North LPA: North A.docx, North B.docx all carry commitment 2.1 and none is "
                             "clearly newer")
    assert "v2" in clash.hint
    assert [p.severity for p in problems[1:]] == [Severity.WARNING]  # the one not taken: left out, said so


def test_nothing_left_out():
    assert left_out.check(assembly([sub(c(u("a")))])) == []
