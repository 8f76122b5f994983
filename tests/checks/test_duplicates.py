"""The same update twice."""

from __future__ import annotations

from assemble.checks import duplicates

from .common import assembly, c, check, proofread, sub, u

TWICE = (
    "Operation PRODUCE was a focus on County line activity in the South LPA over a two week period, "
    "with 57 arrests and 10 warrants executed."
)


def test_same_update_in_two_files_names_both_places():
    a = sub(c(u(TWICE, where="row 4", file="SOC Q2.xlsx"), commitment="5.2"), file="SOC Q2.xlsx",
            area="Serious and Organised Crime")
    b = sub(c(u(TWICE.replace("57", "58"), where="row 9", file="South LPA Q2.xlsx"), commitment="5.2"),
            file="South LPA Q2.xlsx", area="South LPA")
    problems = proofread([a, b])
    assert len(problems) == 1
    p = problems[0]
    assert p.place.file == "South LPA Q2.xlsx"  # at the later copy
    assert "SOC Q2.xlsx" in p.message and "South LPA Q2.xlsx" in p.message
    assert duplicates.check(assembly([a, b])) == problems
    assert p.hint == "keep one copy (the texts differ slightly)"


def test_same_update_twice_in_one_file_without_places():
    problems = proofread([sub(c(u(TWICE), commitment="5.1"), c(u(TWICE), commitment="5.2"))])
    assert len(problems) == 1
    assert "commitment 5.1" in problems[0].message and "commitment 5.2" in problems[0].message
    assert problems[0].hint == "keep one copy"


def test_three_copies_are_two_warnings_each_naming_the_first():
    problems = proofread([sub(c(u(TWICE, where="row 2"), u(TWICE, where="row 3"), u(TWICE, where="row 4")))])
    assert [(p.place.where, "x.docx: row 2" in p.message) for p in problems] == [("row 3", True), ("row 4", True)]


def test_different_or_short_updates_are_not_duplicates():
    other = "Operation FALCON has seen six warrants executed in the last quarter to target drug-related activity."
    assert check(u(TWICE), u(other)) == []
    assert check(u("No update this quarter."), u("No update this quarter.")) == []
