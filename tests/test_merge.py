from assemble.assembly import Assembly
from assemble.checks import left_out
from assemble.merge import merge
from assemble.model import (
    Clash,
    Contribution,
    Report,
    Span,
    SubHeading,
    Submission,
    Update,
    count_items,
)
from assemble.quarter import Quarter
from assemble.versions.native import dump

from .meta import META


def u(text, *children, label=None):
    return Update((Span(text),) if text else (), tuple(children), label)


def sub(file, area, *contributions, modified=None):
    return Submission(file, "docx", area, tuple(contributions), modified)


def c(cid, *updates, district=None):
    return Contribution(cid, tuple(updates), district)


def outline(merged):
    text = dump(Report(META, merged.priorities))
    return [line for line in text.splitlines() if not line.startswith(("priority", "lead-in", "area:"))]


def test_areas_in_plan_order_and_labels(plan):
    subs = [
        sub("w.docx", "West LPA", c("2.1", u("west only"))),
        sub("s.docx", "South LPA", c("2.1", u("s1"), u("s2"))),
        sub("n.docx", "North LPA",
            c("2.1", u("t", u("t child")), district="Tending"),
            c("2.1", u("plain north")),
            c("2.1", u("b1"), u("b2"), district="Braintree"),
            c("2.1", u("sw"), district="Saffron Waldon"),
            c("2.1", u("cl"), district="Clacton")),
        sub("l.docx", "Local Policing Support Unit", c("2.1", u("Numerous:", u("x", label="Thurrock")))),
        sub("f.docx", "Force Control Room", c("1.3", u("calls"), u("chat"))),
        sub("cs.docx", "Community Safety", c("2.1", u("soh"))),
    ]
    merged = merge(subs, plan)
    lines = outline(merged)
    start = next(i for i, line in enumerate(lines) if line.startswith("commitment 2.1"))
    assert lines[start + 1:] == [
        "- soh",
        "- [Local Policing Support Unit] Numerous:",
        "  - [Thurrock] x",
        "- [North LPA]",
        "  - plain north",
        "  - [Braintree]",
        "    - b1",
        "    - b2",
        "  - [Tending] t",
        "    - t child",
        "  - [Clacton] cl",
        "  - [Saffron Waldon] sw",
        "- [South LPA]",
        "  - s1",
        "  - s2",
        "- [West LPA] west only",
    ]
    # a commitment nobody reported on is left out, and a priority with none leaves too
    assert [c.id for p in merged.priorities for c in p.commitments] == ["1.3", "2.1"]
    areas = [b.area for b in next(p for p in merged.priorities if p.number == 2).commitments[0].blocks]
    assert areas == ["Community Safety", "Local Policing Support Unit", "North LPA", "South LPA", "West LPA"]
    fcr = next(p for p in merged.priorities if p.number == 1).commitments[0].blocks  # 1.3, the only one
    assert fcr[0] == SubHeading("The Force Control Room (FCR)", "Force Control Room")
    total = sum(count_items(cs.blocks) for p in merged.priorities for cs in p.commitments)
    assert total == sum(s.count() for s in subs) == 15


def test_newer_file_supersedes_older_for_shared_commitments(plan):
    old = sub("North LPA v1.docx", "North LPA", c("2.1", u("old")), c("3.1", u("kept")))
    new = sub("North LPA v2.docx", "North LPA", c("2.1", u("new")))
    merged = merge([old, new], plan)
    text = "\n".join(outline(merged))
    assert "new" in text and "old" not in text and "kept" in text
    assert [(lo.file, lo.updates) for lo in merged.left_out] == [("North LPA v1.docx", 1)]
    assert "superseded by North LPA v2.docx" in merged.left_out[0].reason


def test_neither_newer_is_an_error(plan):
    a = sub("North A.docx", "North LPA", c("2.1", u("a")))
    b = sub("North B.docx", "North LPA", c("2.1", u("b")))
    merged = merge([a, b], plan)
    assert merged.clashes == (Clash("North LPA", "2.1", ("North A.docx", "North B.docx")),)
    # the clash is data; the left-out check tells it as the error
    problems = left_out.check(Assembly(Quarter(2020, 2), plan, (), (a, b), merged))
    assert problems and "neither is clearly newer" in problems[0].message
    assert problems[0].severity == "error"


def test_a_version_in_the_name_or_else_the_newer_save_wins(plan):
    older = sub("North LPA.docx", "North LPA", c("2.1", u("older")), modified="2020-10-01T09:00:00+00:00")
    newer = sub("North LPA (2).docx", "North LPA", c("2.1", u("newer")), modified="2020-10-02T09:00:00+00:00")
    merged = merge([newer, older], plan)
    assert merged.clashes == () and [lo.file for lo in merged.left_out] == ["North LPA.docx"]
    assert merged.left_out[0].superseded
    v3 = sub("North LPA v3.docx", "North LPA", c("2.1", u("v3")), modified="2020-09-01T09:00:00+00:00")
    assert [lo.file for lo in merge([newer, v3], plan).left_out] == ["North LPA (2).docx"]  # v3 beats a later save


def test_unknown_area_is_left_out_not_lost(plan):
    merged = merge([sub("x.docx", None, c("1.1", u("a"), u("b")))], plan)
    assert merged.left_out[0].updates == 2
    lost = merged.left_out[0]
    assert (lost.reason, lost.superseded) == ("the area that sent it is not known", False)


def test_neither_newer_names_the_tied_files_and_sets_the_others_aside_as_one_clash(plan):
    """Guard rails, case 9: the clash is the area's; its files' updates are left out as
    part of it, not as superseded."""
    a = sub("North A.docx", "North LPA", c("2.1", u("a")), c("3.1", u("a3")))
    b = sub("North B.docx", "North LPA", c("2.1", u("b")), c("3.1", u("b3")))
    merged = merge([a, b], plan)
    assert [(cl.commitment, cl.files) for cl in merged.clashes] == [
        ("2.1", ("North A.docx", "North B.docx")), ("3.1", ("North A.docx", "North B.docx"))]
    assert [(lo.file, lo.commitment, lo.clash) for lo in merged.left_out] == [
        ("North B.docx", "2.1", True), ("North B.docx", "3.1", True)]
    assert "neither is clearly newer" in merged.left_out[0].reason


def test_two_returns_of_one_area_saved_at_once_are_one_error_and_counted_once(tmp_path, plan):
    """Guard rails, case 9: through a whole reading: one error naming both files, no
    "superseded" warning, and the area's updates counted once in coverage."""
    from assemble import pipeline
    from assemble.coverage import coverage

    from .builders import word

    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    for name in ("West LPA Q2.docx", "West LPA Q2 (copy).docx"):
        word(q / name, ["Area: West LPA", ("h", "Priority 2"), "2.1", (0, "first"), (0, "second"),
                        ("h", "Priority 3"), "3.1", (0, "third")])
    asm = pipeline.assemble(q, plan)
    assert [(p.severity, p.message) for p in asm.problems if "clearly newer" in p.message] == [
        ("error", "West LPA: West LPA Q2 (copy).docx and West LPA Q2.docx both carry commitments 2.1 and 3.1, "
                  "and neither is clearly newer")]
    assert not [p for p in asm.problems if "superseded" in p.message]
    cov = coverage(asm.submissions, plan)
    assert (cov.count("West LPA", 2), cov.count("West LPA", 3), cov.total) == (2, 1, 3)
