"""Flat levelled lines into update trees and district contributions."""

from assemble.errors import Place
from assemble.model import Span
from assemble.resolve.nesting import Line, contributions


def line(level, text, commitment="2.1", district=None, *, subheading=False, n=0):
    return Line(commitment, level, (Span(text),), Place("x.docx", f"paragraph {n}"), district, subheading)


def lines(*specs, **kw):
    return [line(level, text, n=i, **kw) for i, (level, text) in enumerate(specs, start=1)]


def nest(plan, area_name, *specs, **kw):
    return contributions(lines(*specs, **kw), plan.area(area_name) if area_name else None, plan)


def test_levels_nest_and_a_jump_nests_one_deeper(plan):
    got = nest(plan, "Roads Policing", (0, "a"), (1, "a1"), (2, "a11"), (1, "a2"), (0, "b"), (2, "b-jump"),
               (0, "c"))
    assert [(c.commitment, c.district, outline_of(c)) for c in got] == [
        ("2.1", None, [(None, "a", 0), (None, "a1", 1), (None, "a11", 2), (None, "a2", 1), (None, "b", 0),
                       (None, "b-jump", 1), (None, "c", 0)])]


def outline_of(contribution):
    def walk(u, depth):
        yield (u.label, u.text, depth)
        for c in u.children:
            yield from walk(c, depth + 1)

    return [x for u in contribution.updates for x in walk(u, 0)]


def test_a_deeper_first_line_is_still_a_root(plan):
    [c] = nest(plan, "Roads Policing", (1, "starts deep"), (0, "then top"))
    assert outline_of(c) == [(None, "starts deep", 0), (None, "then top", 0)]


def test_spans_are_trimmed_and_places_kept(plan):
    got = contributions([Line("7.1", 0, (Span("  a "), Span("bold", bold=True), Span("  ")),
                              Place("x.docx", "paragraph 4"))], plan.area("Roads Policing"), plan)
    [u] = got[0].updates
    assert u.spans == (Span("a "), Span("bold", bold=True))
    assert u.place == Place("x.docx", "paragraph 4") and got[0].place == Place("x.docx", "paragraph 4")


def test_groups_by_commitment_and_district_in_the_order_they_came(plan):
    ls = [line(0, "a", "1.1"), line(0, "b", "1.1"), line(0, "c", "2.1"), line(0, "d", "1.1"),
          line(0, "e", "1.1", district="Basildon"), line(0, "f", "1.1", district="Basildon")]
    got = contributions(ls, plan.area("South LPA"), plan)
    assert [(c.commitment, c.district, [u.text for u in c.updates]) for c in got] == [
        ("1.1", None, ["a", "b"]), ("2.1", None, ["c"]), ("1.1", None, ["d"]), ("1.1", "Basildon", ["e", "f"])]


# --- labels ---------------------------------------------------------------------------------


def test_an_inline_place_label_is_lifted_from_the_text(plan):
    [c] = nest(plan, "Local Policing Support Unit", (0, "Numerous successes:"), (1, "Thurrock: A tenant"),
               (1, "Operation X: not a place"))
    assert outline_of(c) == [(None, "Numerous successes:", 0), ("Thurrock", "A tenant", 1),
                             (None, "Operation X: not a place", 1)]


def test_emphasis_after_a_lifted_label_is_kept(plan):
    ls = [Line("7.1", 0, (Span("Grays", bold=True), Span(": "), Span("ten", bold=True), Span(" arrests")),
               Place("x.docx"))]
    [c] = contributions(ls, plan.area("Roads Policing"), plan)
    [u] = c.updates
    assert u.label == "Grays" and u.spans == (Span("ten", bold=True), Span(" arrests"))


def test_a_bare_place_over_updates_is_a_label_but_alone_it_is_an_update(plan):
    [c] = nest(plan, "Roads Policing", (0, "Chelmsford"), (1, "three"), (0, "Chelmsford"))
    assert outline_of(c) == [("Chelmsford", "", 0), (None, "three", 1), (None, "Chelmsford", 0)]


def test_a_subheading_line_becomes_a_label(plan):
    ls = [line(0, "Operation updates:", subheading=True), line(1, "first")]
    [c] = contributions(ls, plan.area("Roads Policing"), plan)
    assert outline_of(c) == [("Operation updates", "", 0), (None, "first", 1)]
    assert c.count() == 1  # the label is structure, not an update


def test_the_areas_own_name_as_a_label_is_dropped(plan):
    [c] = nest(plan, "Local Policing Support Unit", (0, "Local Policing Support Unit: Numerous successes"),
               (0, "LPSU: more"))
    assert outline_of(c) == [(None, "Numerous successes", 0), (None, "more", 0)]
    [c] = nest(plan, "Roads Policing", (0, "Local Policing Support Unit: not ours"))
    assert outline_of(c) == [(None, "Local Policing Support Unit: not ours", 0)]  # another area's: kept as text


def test_without_an_area_labels_are_still_places(plan):
    [c] = nest(plan, None, (0, "Colchester: one"), (0, "North LPA: two"))
    assert outline_of(c) == [("Colchester", "one", 0), (None, "North LPA: two", 0)]


# --- districts --------------------------------------------------------------------------------


def test_an_lpas_top_level_place_labels_are_its_districts(plan):
    got = nest(plan, "North LPA", (0, "Force-wide first"), (0, "Colchester:"), (1, "one"), (1, "two"),
               (0, "Saffron Waldon: inline"), (1, "inline child"), (0, "Chelmsford"), (1, "three"), (2, "deeper"),
               (0, "last plain"))
    assert [(c.district, outline_of(c)) for c in got] == [
        (None, [(None, "Force-wide first", 0)]),
        ("Colchester", [(None, "one", 0), (None, "two", 0)]),
        ("Saffron Waldon", [(None, "inline", 0), (None, "inline child", 1)]),
        ("Chelmsford", [(None, "three", 0), (None, "deeper", 1)]),
        (None, [(None, "last plain", 0)]),
    ]
    assert [c.place.where for c in got[1:4]] == ["paragraph 2", "paragraph 5", "paragraph 7"]  # at their labels
    assert sum(c.count() for c in got) == 8


def test_a_nested_place_label_in_an_lpa_is_not_a_district(plan):
    [c] = nest(plan, "North LPA", (0, "Operation X:"), (1, "Colchester: one"))
    assert c.district is None and outline_of(c) == [(None, "Operation X:", 0), ("Colchester", "one", 1)]


def test_a_department_keeps_its_place_labels(plan):
    [c] = nest(plan, "Roads Policing", (0, "Colchester: one"))
    assert c.district is None and outline_of(c) == [("Colchester", "one", 0)]


def test_a_district_given_by_a_column_is_not_lifted_again(plan):
    [c] = nest(plan, "South LPA", (0, "Grays: an update"), district="Thurrock")
    assert c.district == "Thurrock" and outline_of(c) == [("Grays", "an update", 0)]


# --- bullets typed inside one paragraph or cell (issue 25, case 15) ----------------------------------


def typed(text: str, marker: str = "") -> list[tuple[int, str, str]]:
    from assemble.resolve.nesting import typed_lines

    return [(p.depth, "".join(s.text for s in p.spans), p.marker) for p in typed_lines((Span(text),), marker)]


def test_each_line_a_typed_marker_opens_is_an_update_of_its_own():
    """Guard rails, case 15: the issue's Excel cell; the marker is taken off every line."""
    assert typed("• first point\n• second point\n- third") == [
        (0, "first point", "•"), (0, "second point", "•"), (1, "third", "-")]


def test_a_line_without_a_marker_carries_on_the_line_before():
    """Guard rails, case 15: joined with a space, as a line break always was."""
    assert typed("• first\nrunning on\n\n• second\r\nand on") == [
        (0, "first running on", "•"), (0, "second and on", "•")]


def test_the_depth_of_a_marker_kind_is_where_it_first_stood():
    """Guard rails, case 15: another marker is one deeper; a marker seen before goes back to its depth."""
    assert [d for d, _, _ in typed("• a\n- b\no c\n– d\n● e\n1. f\n2) g\na) h\nb. i")] == [
        0, 1, 2, 1, 0, 1, 1, 2, 2]


def test_after_a_first_line_without_a_marker():
    """Guard rails, case 15: marked lines after a plain first line are at its depth, as bullets after
    a plain line are; under a label ("Colchester:") one deeper."""
    assert typed("first point\n• second point") == [(0, "first point", ""), (0, "second point", "•")]
    assert typed("Colchester:\n• a\n- b\n• c") == [(0, "Colchester:", ""), (1, "a", "•"), (2, "b", "-"),
                                                    (1, "c", "•")]


def test_the_marker_before_the_first_line():
    """Guard rails, case 15: a marker the reader took off (or Word's bullet) is the first line's kind."""
    assert typed("first\n• second\n- third", marker="•") == [(0, "first", "•"), (0, "second", "•"),
                                                           (1, "third", "-")]
    assert typed("just one line", marker="") == [(0, "just one line", "")]
    assert typed("- one line, marked") == [(0, "one line, marked", "-")]


def test_what_is_not_a_marker_and_a_marker_alone():
    """Guard rails, case 15: a year or a hyphenated word opening a line carries on; a marker alone
    on its line opens the line after it."""
    assert typed("• in September\n2020. The team\n-based work") == [
        (0, "in September 2020. The team -based work", "•")]
    assert typed("• a\n•\nb") == [(0, "a", "•"), (0, "b", "•")]
    assert typed("•\nb\n• c") == [(0, "b", "•"), (0, "c", "•")]
    assert typed("-") == [(0, "-", "")]  # alone in its cell: what it says


def test_emphasis_is_kept_across_the_cut():
    from assemble.resolve.nesting import typed_lines

    pieces = typed_lines((Span("• plain "), Span("bold\n- more", bold=True), Span(" text")))
    assert [p.spans for p in pieces] == [(Span("plain "), Span("bold", bold=True)),
                                         (Span("more", bold=True), Span(" text"))]
