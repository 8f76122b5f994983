"""Change log between two outlines: added, removed, edited by priority and area."""

from __future__ import annotations

from assemble.versions.changelog import FORCE_WIDE, changes, summary_lines, to_markdown, word_diff

BASE = """\
priority 1: More Local, Visible and Accessible Policing
lead-in: We will:
commitment 1.1: Boost community volunteering.
- The Special Constabulary headcount stood at 506 at the end of September.
- [North LPA]
  - [Colchester] Officers held ten street surgeries in Mersea.
  - [Tendring] Twelve arrests were made in Clacton during Operation SCEPTRE.
commitment 1.3: Make it easier to contact the police.
subheading: The Force Control Room (FCR)
- 101 calls were answered in three minutes on average.
priority 2: Crack Down on Anti-social Behaviour
lead-in: Working with partners we will:
commitment 2.1: Target repeat and high harm anti-social behaviour.
- [Thurrock] A dispersal order was used in Grays.
"""


def edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


def test_same_outline_has_no_changes():
    log = changes(BASE, BASE)
    assert log.empty
    assert summary_lines(log, "1.0") == ["no updates changed since v1.0"]


def test_one_word_edit_is_one_edit_with_area_and_word_diff():
    new = edit(BASE, "stood at 506", "stood at 510")
    log = changes(BASE, new)
    assert (len(log.added), len(log.removed), len(log.edited)) == (0, 0, 1)
    e = log.edited[0]
    assert (e.new.priority, e.new.commitment, e.new.area) == (1, "1.1", FORCE_WIDE)
    md = to_markdown(log, "1.0", "1.1")
    assert md.startswith("# Changes in v1.1 since v1.0\n")
    assert "stood at ~~506~~ **510** at the end of September." in md
    assert "## Priority 1 – More Local, Visible and Accessible Policing" in md
    assert "Priority 2" not in md
    assert summary_lines(log, "1.0") == ["1 edited since v1.0", "  priority 1: force-wide 1 edited"]


def test_added_removed_and_edited_by_priority_and_area():
    new = edit(BASE, "  - [Tendring] Twelve arrests were made in Clacton during Operation SCEPTRE.\n",
               "  - [Braintree] A new community hub opened in Witham.\n")
    new = edit(new, "used in Grays.", "used in Grays and Tilbury.")
    log = changes(BASE, new)
    assert [(e.area, e.label) for e in log.added] == [("North LPA", "Braintree")]
    assert [(e.area, e.label) for e in log.removed] == [("North LPA", "Tendring")]
    assert [(e.new.area, e.new.priority) for e in log.edited] == [("Thurrock", 2)]
    lines = summary_lines(log, "1.0")
    assert lines[0] == "1 added, 1 removed, 1 edited since v1.0"
    assert "  priority 1: North LPA 1 added, 1 removed" in lines
    assert "  priority 2: Thurrock 1 edited" in lines
    md = to_markdown(log, "1.0", "1.1")
    assert "### North LPA" in md and "### Thurrock" in md
    assert "- Added (1.1): [Braintree] A new community hub opened in Witham." in md
    assert "- Removed (1.1): [Tendring] Twelve arrests" in md
    assert "used in Grays **and Tilbury**." in md


def test_an_update_under_a_subheading_is_force_wide():
    new = edit(BASE, "three minutes", "two minutes")
    (e,) = changes(BASE, new).edited
    assert (e.new.commitment, e.new.area) == ("1.3", FORCE_WIDE)


def test_dissimilar_rewrite_is_removed_plus_added_and_moves_across_commitments_too():
    new = edit(BASE, "- 101 calls were answered in three minutes on average.",
               "- Online reporting now accounts for a third of all crime reports received.")
    log = changes(BASE, new)
    assert (len(log.added), len(log.removed), len(log.edited)) == (1, 1, 0)


def test_emphasis_only_edit_is_reported():
    new = edit(BASE, "held ten street", "held **ten** street")
    log = changes(BASE, new)
    assert len(log.edited) == 1
    assert "emphasis only" in to_markdown(log, "1.0", "1.1")


def test_bare_label_is_not_an_update_but_renaming_it_edits_its_children():
    new = edit(BASE, "- [North LPA]", "- [North]")
    log = changes(BASE, new)
    assert (len(log.added), len(log.removed), len(log.edited)) == (0, 0, 2)
    assert {e.new.area for e in log.edited} == {"North"}


def test_heading_order_and_nesting_changes_are_notes():
    new = edit(BASE, "commitment 1.3: Make it easier", "commitment 1.3: Make it much easier")
    assert changes(BASE, new).notes == ("commitment 1.3: wording changed",)
    swapped = edit(BASE, "  - [Colchester] Officers held ten street surgeries in Mersea.\n"
                         "  - [Tendring] Twelve arrests were made in Clacton during Operation SCEPTRE.\n",
                   "  - [Tendring] Twelve arrests were made in Clacton during Operation SCEPTRE.\n"
                   "  - [Colchester] Officers held ten street surgeries in Mersea.\n")
    log = changes(BASE, swapped)
    assert not (log.added or log.removed or log.edited)
    assert log.notes == ("commitment 1.1: the order of updates changed",)


def test_word_diff_marks_and_escapes():
    assert word_diff("a b c", "a x c") == "a ~~b~~ **x** c"
    assert word_diff("rose by 5%", "rose by 7% (2*3)") == "rose by ~~5~~ **7**% **(2\\*3)**"
    assert word_diff("18,014 hours", "18,020 hours") == "~~18,014~~ **18,020** hours"
