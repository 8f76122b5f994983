"""Dates outside the quarter."""

from __future__ import annotations

import pytest

from assemble.checks import dates
from assemble.errors import Place
from assemble.quarter import Quarter

from .common import assembly, c, check, proofread, sub, u


def test_check_text_and_check_agree():
    text = "The suspect was arrested in November 2020 and charged with eight offences."
    [p] = dates.check_text(text, Place("x.docx", "row 4"), Quarter(2020, 2))
    assert p.place == Place("x.docx", "row 4") and p.severity == "warning"
    assert dates.check(assembly([sub(c(u(text, where="row 4")))])) == [p]


def test_the_quarter_decides_what_is_after_the_period():
    text = "The suspect was arrested in November 2020 and charged."
    assert dates.check_text(text, Place("x.docx"), Quarter(2020, 3)) == []
    [p] = dates.check_text(text, Place("x.docx"), Quarter(2020, 2))
    assert "September 2020" in p.message
    assert proofread([sub(c(u(text)))], Quarter(2020, 3)) == []


@pytest.mark.parametrize("text", [
    "The suspect was arrested in November 2020 and charged with eight offences.",
    "A partnership Town Tasking Group took place in November 2020.",
    "In December 2020 five warrants were executed in Harlow.",
    "The suspect was arrested in October and remanded.",  # no year: the production month
])
def test_month_after_the_period_reported_as_past(text):
    problems = check(u(text))
    assert len(problems) == 1, text
    assert "September 2020" in problems[0].message


def test_future_plans_and_months_in_the_period_pass():
    for text in (
        "This is planned to commence from early 2021.",
        "This has provided significant learning for Essex Police in developing the plan for wider "
        "roll-out in December 2020.",
        "The offender was arrested and charged with two assault offences with a trial scheduled for January 2021.",
        "The online exploitation and safety media campaign scheduled for August 2020.",
        "Whilst this operation has run since November 2019 it recovered £2.1 million worth of cannabis.",
        "The pilot was launched on the 2nd January 2020 in Thurrock.",
        "The Town Centre Team held their first partnership Town Tasking Group in September 2020.",
        "The team went live in July.",
        "Officers were told that the new unit will launch in November 2020.",
        "Further weeks are planned in November.",
        "Officers may see more calls. May was busy.",
        "This resulted in 5 arrests, with a court date in November 2020.",
        "Five people were arrested in the operation, which runs until November 2020.",
    ):
        assert check(u(text)) == [], text


def test_another_quarter_named():
    for text in ("During Quarter 1 the team arrested 20 people.", "Q3 2020/21 saw 40 arrests.",
                 "During Q4 2020 officers made 40 arrests.",
                 "In 2020/21 Q1 there were 12 warrants."):
        problems = check(u(text))
        assert len(problems) == 1, text
        assert "2020/21 Q2" in problems[0].message


def test_this_quarter_comparisons_and_plans_for_later_quarters_pass():
    for text in ("During Q2 Roads Policing enhanced its speed enforcement.",
                 "Quarter 2 – 2020/21 was busy.",
                 "During Q2 2020 officers made 40 arrests.",  # financial Q2 of 2020/21 as typed
                 "During Q3 2020 officers made 40 arrests.",  # calendar Q3 2020: July-September
                 "The second phase is planned for Q1 2021.",
                 "Calls rose by 10% compared with Q1.",
                 "There were 40 arrests, up from 30 in Q1.",
                 "Q1 figures were higher than this quarter's.",
                 "A second phase is planned for Q3."):
        assert check(u(text)) == [], text


Q3 = Quarter(2020, 3)


@pytest.mark.parametrize("text", [
    "The Special Constabulary headcount stood at 512 at the end of December, up from 506 at the end of September.",
    "The headcount rose to 512 at the end of December from 506 at the end of September.",
    "There were 40 volunteers, compared with 36 at the end of September.",
    "The team had 120 call handlers, more than at the end of September.",
    "Caseloads fell to 80 (down from 95 at the end of September).",
    "At the end of December there were 512 specials; at the end of September there were 506.",
    "Response times were 9 minutes against 11 minutes as at September.",
])
def test_a_comparison_with_last_quarters_end_is_not_a_stale_date(text):
    """Guard rails, case 6: a sentence giving this period's figure and comparing it with an
    earlier period's end is not a date left from last quarter."""
    assert dates.check_text(text, Place("x.docx"), Q3) == [], text


@pytest.mark.parametrize("text", [
    "The control room had 120 call handlers at the end of September.",
    "The Special Constabulary headcount stood at 506 at the end of September, compared with 516 at the same "
    "time last year.",  # the comparison is with last year, after the date: the position itself is stale
    "As at the end of September, 40 officers had been trained.",
    "The caseload was 95 at the end of September and the team expects it to fall.",
])
def test_a_position_at_last_quarters_end_is_still_a_stale_date(text):
    """Guard rails, case 6: the true positives stay warnings."""
    [p] = dates.check_text(text, Place("x.docx"), Q3)
    assert "the end of the previous data period" in p.message and "December 2020" in p.hint
