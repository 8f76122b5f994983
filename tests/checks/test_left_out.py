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


def test_neither_newer_is_one_error_for_the_area_naming_both_files():
    """Guard rails, case 9: two returns of one area saved at the same time are one error naming
    both, for the area (not one per commitment), with no "superseded" warning beside it."""
    a = sub(c(u("a")), c(u("a3"), commitment="3.1"), c(u("a5"), commitment="5.2"), file="North A.docx",
            modified="2020-10-01T09:00:00+00:00")
    b = sub(c(u("b")), c(u("b3"), commitment="3.1"), file="North B.docx", modified="2020-10-01T09:00:00+00:00")
    [clash] = left_out.check(assembly([a, b]))
    assert clash.severity is Severity.ERROR
    assert clash.message == ("North LPA: North A.docx and North B.docx both carry commitments 2.1 and 3.1, "
                             "and neither is clearly newer")
    assert "v2" in clash.hint


def test_three_files_none_clearly_newer_and_an_older_one():
    """Guard rails, case 9: the older file of a clashing commitment is not told as superseded either."""
    same = "2020-10-01T09:00:00+00:00"
    files = [sub(c(u(n)), file=f"North {n}.docx", modified=same) for n in "ABC"]
    old = sub(c(u("old")), file="North old.docx", modified="2020-09-01T09:00:00+00:00")
    [clash] = left_out.check(assembly([*files, old]))
    assert clash.message == ("North LPA: North A.docx, North B.docx and North C.docx all carry commitment 2.1, "
                             "and none is clearly newer")


def test_an_unknown_area_told_by_its_own_error_is_not_told_again():
    """Guard rails, case 8: the file's area error already says its updates are left out."""
    from dataclasses import replace

    from assemble.errors import error

    asm = assembly([sub(c(u("a"), u("b"), commitment="1.1"), file="who.docx", area=None)])
    told = error("cannot tell which area sent this file: its 2 updates are left out", Place("who.docx"))
    assert left_out.check(replace(asm, problems=(told,))) == []
    assert asm.merged.left_out[0].updates == 2  # still recorded as left out


def test_nothing_left_out():
    assert left_out.check(assembly([sub(c(u("a")))])) == []
