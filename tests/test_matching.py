"""Matching what contributors typed to the plan: priorities, commitments, areas, places."""

import pytest

from assemble.errors import Place, Severity
from assemble.plan import matching

from .present import there


def cid(plan, priority, text, **kw):
    found = matching.commitment(plan, priority, text, **kw)
    return found.id if found else None


# --- priorities -------------------------------------------------------------------------


@pytest.mark.parametrize("text, number", [
    ("Priority 2 – Crack Down on Anti-social Behaviour", 2),
    ("PRIORITY 7 - roads", 7),
    ("priority2: ASB", 2),
    ("Priority 4", 4),
    ("  Priority 12.", 12),  # a number the plan does not have is still a priority line
])
def test_priority_number(text, number):
    assert matching.priority_number(text) == number


@pytest.mark.parametrize("text", ["Priority: 2", "The priority 2 was", "Priorities 2", "2 – Crack Down", ""])
def test_not_a_priority_line(text):
    assert matching.priority_number(text) is None


CHILDREN = "Protecting Children and Vulnerable People"


@pytest.mark.parametrize("typed, heading, slips", [
    (f"Priorty 6 – {CHILDREN}", True, ("'Priorty' is misspelt",)),
    (f"Prioirty 6: {CHILDREN}", True, ("'Prioirty' is misspelt",)),
    (f"PIORITY 6 - {CHILDREN}", False, ("'PIORITY' is misspelt",)),  # a plain line shaped like a heading
    (f"Priority 5 – {CHILDREN}", True, ("its number says 5 but its title is Priority 6's",)),
    (f"Priority 9 – {CHILDREN}", False, ("its number says 9 but its title is Priority 6's",)),
    (f"Priorty 5 – {CHILDREN}", True, ("'Priorty' is misspelt", "its number says 5 but its title is Priority 6's")),
    ("Priorty 6", True, ("'Priorty' is misspelt",)),  # no title: the number alone says which
])
def test_a_priority_heading_typed_wrong_is_the_priority_its_words_point_to(plan, typed, heading, slips):
    """Guard rails, case 1: a heading whose title is a priority's is that priority, the slip named."""
    assert matching.heading(plan, typed, heading=heading) == matching.Heading(6, slips)


@pytest.mark.parametrize("typed, heading", [
    ("Priorty 6 – Protection of Kids", True),  # the word misspelt and a title the plan lacks
    ("Priorty 6 – Protection of Kids", False),
    ("Protecting Vulnerable People", True),  # a heading style, a title close to a priority's
    ("6. Protecting Vulnerable People", False),  # "N. Title", the title close
])
def test_a_heading_whose_words_leave_doubt_names_the_closest_priority(plan, typed, heading):
    """Guard rails, case 1: it reads like a priority heading, but not like one beyond doubt."""
    assert matching.heading(plan, typed, heading=heading) == matching.Heading(None, near=6)


@pytest.mark.parametrize("typed, number", [
    (f"Priority 6 – {CHILDREN}", 6), ("Priority 2 – ASB", 2), ("Priority 9 – Not in the plan", 9),
    ("Crack Down on Anti-social Behaviour", 2),
])
def test_a_priority_heading_typed_right_has_no_slip(plan, typed, number):
    assert matching.heading(plan, typed, heading=True) == matching.Heading(number)


@pytest.mark.parametrize("typed, listed", [
    ("Priorty 6 offenders were arrested in Clacton", True),  # a bullet
    ("Priority 2 offenders were arrested", True),
    ("Priorty 6 offenders were arrested in Clacton and Harwich after a long operation with partners in "
     "the county", False),  # a plain line too long to be a heading
    ("Protecting vulnerable people", False),  # a plain line: a title alone must be the title
    ("Priory 6 – Southend", False),  # a word of its own, near "Priority"
    ("North LPA – Police and Crime Plan return, Q2 2020/21", False),
])
def test_lines_that_do_not_read_like_a_priority_heading(plan, typed, listed):
    assert matching.heading(plan, typed, listed=listed) is None


def test_a_commitment_of_another_priority(plan):
    """Guard rails, case 1: a commitment line under another priority's heading is recognised."""
    text = plan.commitment("6.1").text
    assert there(matching.commitment_elsewhere(plan, 5, text)).id == "6.1"
    assert there(matching.commitment_elsewhere(plan, 5, "6.1")).id == "6.1"
    assert matching.commitment_elsewhere(plan, 6, text) is None  # its own priority's
    assert matching.commitment_elsewhere(plan, 5, "1") is None  # a bare number is the priority above's
    assert matching.commitment_elsewhere(plan, 5, "Bring more perpetrators of rape") is not None  # first words
    assert matching.commitment_elsewhere(plan, 5, text + " Three convictions followed.") is None  # run on


# --- commitments --------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1", "2.1", "1.", "1)", "Commitment 1", "commitment 2.1", " 2 . 1 "])
def test_commitment_by_number(plan, typed):
    assert cid(plan, 2, typed) == "2.1"


@pytest.mark.parametrize("typed", ["3.1", "2", "0", "5"])
def test_commitment_number_of_another_priority_or_out_of_range(plan, typed):
    assert cid(plan, 2, typed) is None


def test_commitment_by_text_case_and_punctuation_blind(plan):
    text = plan.commitment("2.1").text
    assert cid(plan, 2, text) == "2.1"
    assert cid(plan, 2, text.upper().replace(",", "")) == "2.1"


def test_commitment_by_its_first_words(plan):
    assert cid(plan, 2, "Target repeat and high") == "2.1"  # four words: enough
    assert cid(plan, 2, "Target repeat and") is None  # three: too few
    assert cid(plan, 5, "Disrupt and prevent organised drug distribution") == "5.2"


def test_commitment_run_on_past_its_end(plan):
    text = plan.commitment("6.1").text
    assert cid(plan, 6, text + " Three convictions followed.") == "6.1"
    assert cid(plan, 6, text + " Three convictions followed.", run_on=False) is None


def test_commitment_near_miss(plan):
    text = plan.commitment("7.1").text
    typo = text.replace("success", "sucess").replace("partners", "partnrs")
    assert cid(plan, 7, typo) == "7.1"
    assert cid(plan, 7, "Build of the success of reducing those killed or seriously injured on our roads but in a "
                        "very different way entirely") is None


def test_no_commitment(plan):
    assert cid(plan, 9, "1") is None  # no such priority
    assert cid(plan, 7, "") is None
    assert cid(plan, 7, " !! ") is None


def test_closest_commitment_for_suggestions(plan):
    assert there(matching.closest_commitment(plan, 1, "Boost volunteering")).id == "1.1"
    assert there(matching.closest_commitment(plan, None, "Disrupt drug distribution")).id == "5.2"
    assert matching.closest_commitment(plan, 9, "anything") is None


def test_looks_like_commitment(plan):
    text = plan.commitment("1.1").text
    typo = "Boost comunity volunteering, encourage the Active Citizen Programm"
    assert matching.looks_like_commitment(typo, text)
    assert matching.looks_like_commitment("Boost community volunteering", text)
    assert not matching.looks_like_commitment("Officers made ten arrests in Witham", text)
    assert not matching.looks_like_commitment("anything", "")


# --- areas --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, name", [
    ("North LPA", "North LPA"), ("north", "North LPA"), ("NLPA", "North LPA"),
    ("North Local Policing Area", "North LPA"), ("FCR", "Force Control Room"),
    ("crime & public protection", "Crime and Public Protection"), ("SOCU", "Serious and Organised Crime"),
    ("The Force Control Room (FCR)", "Force Control Room"),  # its display name
])
def test_area_names_and_aliases(plan, typed, name):
    assert there(matching.area(plan, typed)).name == name


def test_not_an_area(plan):
    assert matching.area(plan, "Northern") is None
    assert matching.area(plan, "") is None


@pytest.mark.parametrize("stem, names", [
    ("North LPA - Q2 return", ["North LPA"]),
    ("FCR Q2 update", ["Force Control Room"]),
    ("Roads Policing Q2", ["Roads Policing"]),
    ("north and south", ["North LPA", "South LPA"]),
    ("Northern return", []),  # whole words only
    ("return", []),
])
def test_areas_in_file_names(plan, stem, names):
    assert [a.name for a in matching.area_in_filename(plan, stem)] == names


def test_area_of_file(plan):
    assert there(matching.area_of_file(plan, "x.docx", "x", "west")[0]).name == "West LPA"
    # an Area line wins over the file name
    assert there(matching.area_of_file(plan, "South LPA.docx", "South LPA", "west")[0]).name == "West LPA"
    assert matching.area_of_file(plan, "North LPA.docx", "North LPA", None) == (plan.area("North LPA"), [])

    area, [problem] = matching.area_of_file(plan, "a.docx", "a", "Northern")
    assert area is None and problem.severity is Severity.ERROR and problem.place == Place("a.docx")
    assert "'Area: Northern' is not one of the plan's areas" in problem.message and "North LPA" in problem.hint

    area, [problem] = matching.area_of_file(plan, "r.docx", "r", None)
    assert area is None and problem.message == "cannot tell which area sent this file"
    area, [problem] = matching.area_of_file(plan, "n.docx", "North and South", None)
    assert area is None and problem.message == "the file name names several areas (North LPA, South LPA)"


# --- places -------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, known", [
    ("Tending", "Tendring"),
    ("Saffron Waldon", "Saffron Walden"),
    ("Basildn", "Basildon"),
    ("Chelmsfrod", "Chelmsford"),
    ("Castle Piont", "Castle Point"),
    ("tendring", "Tendring"),
    ("Southend-on-sea", "Southend-on-Sea"),
    ("Canvey", "Canvey"),
])
def test_places_and_their_near_misses(plan, typed, known):
    assert matching.place(plan, typed) == known


def test_not_a_place(plan):
    assert matching.place(plan, "Gotham") is None
    assert matching.place(plan, "Operation X") is None


def test_known_places_are_districts_and_towns(plan):
    places = matching.known_places(plan)
    assert places["castle point"] == "Castle Point" and places["saffron walden"] == "Saffron Walden"
    assert places["harlow"] == "Harlow"  # a district with no towns listed


@pytest.mark.parametrize("label", ["Colchester", "Castle Point and Rochford", "Braintree & Uttlesford",
                                   "Basildon/Thurrock, Grays", "Tending"])
def test_is_place_label(plan, label):
    assert matching.is_place_label(plan, label)


@pytest.mark.parametrize("label", ["Operation X", "", "Colchester and Gotham", "Town Centre Team",
                                   "Colchester " * 7])
def test_is_not_a_place_label(plan, label):
    assert not matching.is_place_label(plan, label)


def test_district_of_label(plan):
    assert matching.district_of_label(plan, "Witham and Halstead") == "Braintree"
    assert matching.district_of_label(plan, "Tending") == "Tendring"
    assert matching.district_of_label(plan, "Nowhere and Canvey Island") == "Castle Point"
    assert matching.district_of_label(plan, "Nowhere") is None


def test_split_label():
    assert matching.split_label("Thurrock: A vulnerable tenant") == ("Thurrock", "A vulnerable tenant")
    assert matching.split_label("  Saffron Walden :inline") == ("Saffron Walden", "inline")
    assert matching.split_label("a: b: c") == ("a", "b: c")
    assert matching.split_label("Colchester:") == ("Colchester", "")
    assert matching.split_label("no label here") is None
    assert matching.split_label("x" * 61 + ": too long to be a label") is None


# --- an area typed wrong: one error, with the area meant ---------------------------------------


def test_a_misspelt_area_suggests_the_closest(plan):
    """Guard rails, case 8: 'Area: West LAP' names the area it is closest to, not all eleven."""
    area, [problem] = matching.area_of_file(plan, "return.docx", "return", "West LAP")
    assert area is None and problem.severity is Severity.ERROR and there(problem.place).file == "return.docx"
    assert "'Area: West LAP' is not one of the plan's areas" in problem.message
    assert "did you mean West LPA?" in problem.message
    assert "North LPA" not in problem.message + problem.hint  # one suggestion, not the list
    assert "'Area: West LPA'" in problem.hint


def test_the_area_in_the_file_name_is_suggested_first(plan):
    """Guard rails, case 8: the file name, when it names an area, is the likely sender."""
    _, [problem] = matching.area_of_file(plan, "South LPA Q3.docx", "South LPA Q3", "West LAP")
    assert "did you mean South LPA (as the file name says) or West LPA?" in problem.message
    _, [problem] = matching.area_of_file(plan, "South LPA Q3.docx", "South LPA Q3", "Sooth LPA")
    assert "did you mean South LPA?" in problem.message  # said once


def test_an_area_like_nothing_in_the_plan_lists_them(plan):
    _, [problem] = matching.area_of_file(plan, "a.docx", "a", "Essex Police HQ")
    assert "did you mean" not in problem.message and "use one of: " in problem.hint and "West LPA" in problem.hint


def test_a_file_name_close_to_an_area_is_suggested(plan):
    """Guard rails, case 8: "cannot tell which area sent this file" suggests the area the name is close to."""
    _, [problem] = matching.area_of_file(plan, "Nrth LPA Q3.docx", "Nrth LPA Q3", None)
    assert problem.message == "cannot tell which area sent this file (did you mean North LPA?)"
    _, [problem] = matching.area_of_file(plan, "Q3 return.docx", "Q3 return", None)
    assert problem.message == "cannot tell which area sent this file"


def _errors(problems):
    return [p for p in problems if p.severity is Severity.ERROR]


def test_a_misspelt_area_is_one_error_saying_its_updates_are_left_out(tmp_path, plan):
    """Guard rails, case 8: one error for one cause: the area's error says the file's updates
    are left out, and the merge's record of them is not told a second time."""
    from assemble import pipeline

    from .builders import word

    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "return.docx", ["Area: West LAP", ("h", "Priority 2"), "2.1", (0, "first"), (0, "second")])
    asm = pipeline.assemble(q, plan)
    [problem] = _errors(asm.problems)
    assert problem.place.file == "return.docx"
    assert "did you mean West LPA?" in problem.message and "its 2 updates are left out" in problem.message
    assert [(lo.file, lo.updates) for lo in asm.merged.left_out] == [("return.docx", 2)]  # still recorded

    word(q / "return.docx", [("h", "Priority 2"), "2.1", (0, "first")])
    [problem] = _errors(pipeline.assemble(q, plan).problems)
    assert problem.message == "cannot tell which area sent this file: its 1 update is left out"
