"""Place names: labels against the plan's gazetteer, near misses in update text."""

from __future__ import annotations

import pytest

from assemble.checks import places
from assemble.errors import Place

from .common import assembly, c, check, proofread, sub, u

# --- the suggestions ----------------------------------------------------------------


@pytest.mark.parametrize("typed, suggested", [
    ("Tending", "Tendring"),  # the sample's slips
    ("Saffron Waldon", "Saffron Walden"),
    ("Basildn", "Basildon"),
    ("Tnedring", "Tendring"),  # swapped neighbours count as one edit
    ("Colchestr", "Colchester"),
])
def test_a_misspelt_label_is_told_the_nearest_place(typed, suggested):
    [p] = places.check(assembly([sub(c(u("An update."), district=typed))]))
    assert p.message == f"the district label '{typed}' is not a place in the plan"
    assert p.hint == f"did you mean '{suggested}'?"


def test_the_same_suggestion_every_time():
    subs = [sub(c(u("An update."), district="Tending")), sub(c(u("Another."), district="Tending"), file="y.docx")]
    assert {p.hint for p in places.check(assembly(subs))} == {"did you mean 'Tendring'?"}


# --- place names --------------------------------------------------------------


def test_misspelt_district_label_gets_the_nearest_place():
    problems = check(u("The arrests of several perpetrators were secured."), district="Tending")
    assert len(problems) == 1
    p = problems[0]
    assert p.severity == "warning"
    assert "'Tending'" in p.message and "Tendring" in p.hint
    assert p.place == Place("x.docx")  # no place of its own: the file


def test_misspelt_update_label():
    problems = check(u("Partnership problem solving continues.", label="Saffron Waldon", where="paragraph 9"))
    assert [(p.place, "Saffron Walden" in p.hint) for p in problems] == [(Place("x.docx", "paragraph 9"), True)]


def test_every_part_of_a_compound_label_is_checked():
    assert check(u("Days of action in Witham.", label="Braintree and Uttlesford")) == []
    assert check(u("Operation FALCON.", label="Castle Point and Rochford")) == []
    problems = check(u("Operation FALCON.", label="Castle Piont & Rochford"))
    assert len(problems) == 1 and "'Castle Piont'" in problems[0].message and "Castle Point" in problems[0].hint
    problems = check(u("Operation FALCON.", label="Rochford and Castle Pont"))
    assert len(problems) == 1 and "Castle Point" in problems[0].hint


def test_known_labels_pass():
    for label in ("Canvey Island", "Clacton", "Local Policing Support Unit", "North LPA", "LPSU",
                  "Colchester Town Centre", "Southend:", "southend-on-sea"):
        assert check(u("An update about the place.", label=label)) == [], label


def test_unknown_district_with_no_near_place_is_still_flagged():
    problems = check(u("An update."), district="Gotham")
    assert len(problems) == 1 and "plan file" in problems[0].hint


def test_unknown_update_label_far_from_any_place_is_left_alone():
    assert check(u("Its first partnership meeting.", label="Town Centre Team")) == []


def test_district_of_an_empty_contribution_is_checked():
    problems = proofread([sub(c(district="Tending"))])
    assert len(problems) == 1 and "Tendring" in problems[0].hint


def test_near_miss_of_a_place_in_the_text():
    problems = check(u("Officers patrolled Tendring and Chelmsfrod town centres, and Witham."))
    assert len(problems) == 1
    assert "'Chelmsfrod'" in problems[0].message and "Chelmsford" in problems[0].hint
    problems = check(u("An unauthorised encampment at the school in Saffron Waldon was moved on."))
    assert len(problems) == 1 and "Saffron Walden" in problems[0].hint  # not "Maldon" for "Waldon"
    problems = check(u("Tending: the arrests of several perpetrators were secured."))  # label left in text
    assert len(problems) == 1 and "Tendring" in problems[0].hint


def test_text_place_check_is_quiet():
    quiet = (
        "Southern Water and Harrow Council joined the Sheffield team at Canvey Island and Saffron Walden. "
        "Hockey clubs in Convey. Grass verges in Grays. Stansted airport, Leigh-on-Sea, Walton-on-the-Naze. "
        "The National Crime Agency and Metropolitan Police Service worked with INTU Lakeside. "
        "Operation MONACO, Operation SHIELD II and Operation TALLA continued in Great Dunmow."
    )
    assert check(u(quiet)) == []


def test_a_word_the_submissions_also_use_in_lower_case_is_not_a_place():
    # "Tending" is one letter from "Tendring", but the submissions use "tending" as a word
    assert check(u("Tending to victims remains our focus; officers are tending to them.")) == []
