"""Recognising a header row: the cells that name a return's columns."""

import pytest

from assemble.readers.header import TEXT_HEADERS, columns


def test_the_blank_return_header():
    assert columns(["Priority", "Commitment", "District", "Level", "Update"]) == {
        "priority": 0, "commitment": 1, "district": 2, "level": 3, "update": 4}


def test_any_order_case_spacing_and_punctuation():
    assert columns(["  UPDATE ", "level", "Priority:", "AREA", "Commitment"]) == {
        "update": 0, "level": 1, "priority": 2, "area": 3, "commitment": 4}


@pytest.mark.parametrize("name", TEXT_HEADERS)
def test_every_name_of_the_text_column(name):
    assert columns(["Priority", name.title()]) == {"priority": 0, "update": 1}


def test_priority_and_update_are_both_needed():
    assert columns(["Priority", "Commitment", "District"]) is None
    assert columns(["Commitment", "Update"]) is None
    assert columns([]) is None
    assert columns(["Area: North LPA", ""]) is None  # a title cell above the header is not one


def test_the_first_of_a_repeated_column_counts():
    assert columns(["Priority", "Narrative", "Update", "Priority"]) == {"priority": 0, "update": 1}


def test_other_cells_are_ignored():
    assert columns(["", "Priority", "Notes", "Update", "RAG"]) == {"priority": 1, "update": 3}
