"""Figures against their own words."""

from __future__ import annotations

from assemble.checks import figures
from assemble.errors import Place

from .common import assembly, c, check, sub, u


def test_check_text_and_check_agree():
    text = "There were 120 arrests, up from 150 last year."
    [p] = figures.check_text(text, Place("x.docx", "row 4"))
    assert p.place == Place("x.docx", "row 4") and p.severity == "warning"
    assert figures.check(assembly([sub(c(u(text, where="row 4")))])) == [p]


def test_down_from_a_smaller_figure():
    problems = check(u(
        "There were 254 Killed and seriously injured (KSI) casualties in the last quarter, down from 238 "
        "KSI casualties in the same period in 2019/20. 16 of these were fatalities up from 10 in the same "
        "period in 2019/20."
    ))
    assert len(problems) == 1
    assert "254" in problems[0].message and "238" in problems[0].message
    assert "up from" in problems[0].hint


def test_up_from_a_larger_figure_and_rose_from_to():
    assert len(check(u("There were 120 arrests, up from 150 last year."))) == 1
    assert len(check(u("Arrests rose from 150 to 120 over the year."))) == 1
    assert check(u("Arrests rose from 120 to 150 over the year.")) == []


def test_this_is_a_decrease_from_looks_at_the_sentence_before():
    ok = "CSCs have contributed a total of 429 hours. This is a decrease from 590 hours the previous quarter."
    assert check(u(ok)) == []
    bad = "CSCs have contributed a total of 629 hours. This is a decrease from 590 hours the previous quarter."
    assert len(check(u(bad))) == 1


def test_percentage_that_does_not_follow_from_the_figures():
    problems = check(u(
        "Call-handling demand was high during this quarter with 91,425 emergency calls (999) received; "
        "an increase of 16,975 (22.5%) on the previous quarter."
    ))
    assert len(problems) == 1
    p = problems[0]
    assert "22.5%" in p.message and "22.8%" in p.message and "74,450" in p.message
    assert "22.8%" in p.hint


def test_correct_percentages_pass():
    for text in (
        "78,753 non-emergency calls (101) were taken compared to 76,803 the previous quarter, "
        "an increase of 1,950 (2.5%), with August seeing 1,800 more calls than July.",
        "91,425 emergency calls (999) were received; an increase of 16,975 (22.8%) on the previous quarter.",
        "91,425 emergency calls (999) were received; an increase of 16,975 (23%) on the previous quarter.",
        "There were 900 reports, a decrease of 100 (10%) on last quarter.",  # 100 on 1,000
        "There were 900 reports, a decrease of 10% (100) on last quarter.",
    ):
        assert check(u(text)) == [], text


def test_decrease_with_a_wrong_percentage():
    problems = check(u("There were 900 reports, a decrease of 100 (11.1%) on last quarter."))
    assert len(problems) == 1 and "10.0%" in problems[0].message  # 100 on 1,000, not on 900


def test_compared_to_with_the_wrong_difference_or_direction():
    problems = check(u("78,753 calls were taken compared to 76,803 the previous quarter, an increase of 2,950."))
    assert len(problems) == 1 and "1,950" in problems[0].message
    problems = check(u("76,803 calls were taken compared to 78,753 the previous quarter, an increase of 1,950."))
    assert len(problems) == 1 and "less than" in problems[0].hint
    assert check(u("The headcount stood at 506 at the end of September, compared with 516 last year.")) == []


def test_a_change_in_something_else_is_not_read_as_the_comparison():
    assert check(u("Officers attended 12 events compared to 10 last year and saw a decrease in ASB.")) == []
    assert check(u("There were 12 events compared to 10 last year, an increase in engagement.")) == []


def test_years_codes_and_ordinals_are_not_figures():
    assert check(u("In 2020 the 3rd team took 999 (101) calls, down from 2019 levels.")) == []
