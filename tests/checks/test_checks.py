"""Proof-reading: place names, self-contradicting figures, duplicates, dates.

Submissions are built straight from the model's dataclasses; the last tests
parse the published reference text (tests/fixtures) into the 93 updates it
holds and proof-read those.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assemble.model import Contribution, Place, Problem, Span, Submission, Update
from assemble.plan import load_plan
from assemble.proofread import edit_distance, proofread
from assemble.quarter import Quarter

PLAN = load_plan()
Q2 = Quarter(2020, 2)
FIXTURE = Path(__file__).parent / "fixtures" / "reference-2020-21-Q2-v1.1.txt"


def u(text: str = "", *children: Update, label: str | None = None, where: str = "", file: str = "x.docx") -> Update:
    place = Place(file, where) if where else None
    return Update((Span(text),) if text else (), tuple(children), label, place)


def sub(*contributions: Contribution, file: str = "x.docx", area: str | None = "North LPA") -> Submission:
    return Submission(file, "docx", area, tuple(contributions))


def c(*updates: Update, commitment: str = "2.1", district: str | None = None) -> Contribution:
    return Contribution(commitment, tuple(updates), district)


def check(*updates: Update, **kw) -> list[Problem]:
    return proofread([sub(c(*updates, **kw))], PLAN, Q2)


# --- the helpers --------------------------------------------------------------


def test_edit_distance():
    assert edit_distance("tending", "tendring") == 1
    assert edit_distance("saffron waldon", "saffron walden") == 1
    assert edit_distance("tnedring", "tendring") == 1  # swapped neighbours count once
    assert edit_distance("abc", "abc") == 0
    assert edit_distance("", "abc") == 3


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
    problems = proofread([sub(c(district="Tending"))], PLAN, Q2)
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


# --- figures ------------------------------------------------------------------


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


# --- the same update twice ----------------------------------------------------

TWICE = (
    "Operation PRODUCE was a focus on County line activity in the South LPA over a two week period, "
    "with 57 arrests and 10 warrants executed."
)


def test_same_update_in_two_files_names_both_places():
    a = sub(c(u(TWICE, where="row 4", file="SOC Q2.xlsx"), commitment="5.2"), file="SOC Q2.xlsx", area="Serious and Organised Crime")
    b = sub(c(u(TWICE.replace("57", "58"), where="row 9", file="South LPA Q2.xlsx"), commitment="5.2"), file="South LPA Q2.xlsx", area="South LPA")
    problems = proofread([a, b], PLAN, Q2)
    assert len(problems) == 1
    p = problems[0]
    assert p.place.file == "South LPA Q2.xlsx"  # at the later copy
    assert "SOC Q2.xlsx" in p.message and "South LPA Q2.xlsx" in p.message


def test_same_update_twice_in_one_file_without_places():
    problems = proofread([sub(c(u(TWICE), commitment="5.1"), c(u(TWICE), commitment="5.2"))], PLAN, Q2)
    assert len(problems) == 1
    assert "commitment 5.1" in problems[0].message and "commitment 5.2" in problems[0].message


def test_different_or_short_updates_are_not_duplicates():
    other = "Operation FALCON has seen six warrants executed in the last quarter to target drug-related activity."
    assert check(u(TWICE), u(other)) == []
    assert check(u("No update this quarter."), u("No update this quarter.")) == []


# --- dates --------------------------------------------------------------------


def test_month_after_the_period_reported_as_past():
    for text in (
        "The suspect was arrested in November 2020 and charged with eight offences.",
        "A partnership Town Tasking Group took place in November 2020.",
        "In December 2020 five warrants were executed in Harlow.",
        "The suspect was arrested in October and remanded.",  # no year: the production month
    ):
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


def test_proofread_never_changes_the_submissions():
    s = sub(c(u("There were 254 casualties, down from 238.", label="Tending")))
    before = repr(s)
    assert proofread([s], PLAN, Q2)
    assert repr(s) == before


# --- the published reference ---------------------------------------------------

# Which department sent an unlabelled update, by commitment (as in the sample quarter).
DEPARTMENT = {
    "1.1": "Citizens in Policing", "1.2": "Citizens in Policing", "2.1": "Community Safety",
    "3.1": "Crime and Public Protection", "4.2": "Crime and Public Protection",
    "5.1": "Serious and Organised Crime", "5.2": "Serious and Organised Crime",
    "6.1": "Crime and Public Protection", "6.2": "Community Safety", "7.1": "Roads Policing",
}
SUBHEADINGS = {"The Force Control Room (FCR):": "Force Control Room",
               "The Resolution Centre (RC):": "Resolution Centre"}
_BULLET = re.compile(r"^(?P<indent> ?)- (?P<body>.*)$")
_LABEL = re.compile(r"^(?P<label>[A-Z][\w']*(?:\s+(?:and|[A-Z][\w']*)){0,4})\s?:\s+(?P<text>.+)$")
_BARE = re.compile(r"^(?P<label>[A-Z][\w']*(?:\s+(?:and|[A-Z][\w']*)){0,3})\s?:?$")


class _Node:
    def __init__(self, label: str | None, text: str, place: Place):
        self.label, self.text, self.place = label, text, place
        self.children: list[_Node] = []

    def update(self, keep_label: bool = True) -> Update:
        return Update(
            (Span(self.text),) if self.text else (),
            tuple(n.update() for n in self.children),
            self.label if keep_label else None,
            self.place,
        )


def reference_submissions() -> list[Submission]:
    """The reference's 93 updates as the areas would have sent them: one file per area."""
    commitments = {cm.text: cm.id for p in PLAN.priorities for cm in p.commitments}
    lpas = {name: a.name for a in PLAN.areas if a.kind == "lpa" for name in (a.name, *a.aliases)}
    sections: list[tuple[str, str | None, list[_Node]]] = []  # (commitment, subheading area, top nodes)
    page, bullet, cid, dept = 2, 0, None, None
    top: _Node | None = None
    group: _Node | None = None
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if re.match(r"^Priority \d+ [–-] ", line) and "\t" not in line:
            page, bullet = page + 1, 0
            continue
        if line in commitments:
            cid, dept = commitments[line], None
            sections.append((cid, None, []))
            continue
        if line in SUBHEADINGS:
            dept = SUBHEADINGS[line]
            sections.append((cid, dept, []))
            continue
        m = _BULLET.match(line)
        if not m:
            continue
        bullet += 1
        file = "reference.docx"
        body = m.group("body").strip()
        if lm := _LABEL.match(body):
            node = _Node(lm.group("label"), lm.group("text"), Place(file, f"page {page}, bullet {bullet}"))
        elif bm := _BARE.match(body):
            node = _Node(bm.group("label"), "", Place(file, f"page {page}, bullet {bullet}"))
        else:
            node = _Node(None, body, Place(file, f"page {page}, bullet {bullet}"))
        if not m.group("indent"):
            sections[-1][2].append(node)
            top, group = node, None
        elif group is not None and node.label is None:
            group.children.append(node)  # under a bare district label
        else:
            top.children.append(node)
            group = node if node.label and not node.text else None

    by_area: dict[str, list[Contribution]] = {}
    for cid, dept, nodes in sections:
        for node in nodes:
            area = lpas.get(node.label or "")
            if area:
                contributions = by_area.setdefault(area, [])
                plain: list[Update] = [node.update(keep_label=False)] if node.text else []
                for child in node.children:
                    if child.label:
                        if plain:
                            contributions.append(Contribution(cid, tuple(plain)))
                            plain = []
                        updates = (child.update(False),) if child.text else tuple(n.update() for n in child.children)
                        contributions.append(Contribution(cid, updates, child.label, child.place))
                    else:
                        plain.append(child.update())
                if plain:
                    contributions.append(Contribution(cid, tuple(plain)))
            elif node.label == "Local Policing Support Unit":
                by_area.setdefault(node.label, []).append(Contribution(cid, (node.update(keep_label=False),)))
            else:
                by_area.setdefault(dept or DEPARTMENT[cid], []).append(Contribution(cid, (node.update(),)))

    out = []
    for area in PLAN.areas:
        if area.name in by_area:
            file = f"{area.name}.docx"
            contributions = tuple(_refile(cb, file) for cb in by_area[area.name])
            out.append(Submission(file, "docx", area.name, contributions))
    return out


def _refile(cb: Contribution, file: str) -> Contribution:
    def moved(up: Update) -> Update:
        place = Place(file, up.place.where) if up.place else None
        return Update(up.spans, tuple(moved(ch) for ch in up.children), up.label, place)

    place = Place(file, cb.place.where) if cb.place else None
    return Contribution(cb.commitment, tuple(moved(up) for up in cb.updates), cb.district, place)


@pytest.fixture(scope="module")
def reference() -> list[Submission]:
    return reference_submissions()


def test_reference_parses_into_93_updates(reference):
    assert sum(s.count() for s in reference) == 93
    assert [s.area for s in reference] == [a.name for a in PLAN.areas]
    north = next(s for s in reference if s.area == "North LPA")
    assert "Tending" in {cb.district for cb in north.contributions}


# The four content slips of the published reference, where they stand and what
# the warning suggests. Any other warning on the reference fails this test.
SLIPS = [
    ("Force Control Room.docx: page 5, bullet 1", "22.5%", "22.8%"),
    ("Roads Policing.docx: page 16, bullet 1", "254", "up from"),
    ("North LPA.docx: page 7, bullet 8", "'Saffron Waldon'", "'Saffron Walden'"),
    ("North LPA.docx: page 8, bullet 7", "'Tending'", "'Tendring'"),
]


def test_reference_warnings_are_exactly_the_four_slips(reference):
    problems = proofread(reference, PLAN, Q2)
    assert all(p.severity == "warning" for p in problems)
    assert len(problems) == len(SLIPS), "\n".join(map(str, problems))
    for p, (where, said, suggested) in zip(problems, SLIPS):
        assert str(p.place) == where, p
        assert said in p.message and suggested in p.hint, p
