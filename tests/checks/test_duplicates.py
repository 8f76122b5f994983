"""The same update twice."""

from __future__ import annotations

from assemble.checks import duplicates

from ..present import there
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
    assert there(p.place).file == "South LPA Q2.xlsx"  # at the later copy
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
    assert [(there(p.place).where, "x.docx: row 2" in p.message) for p in problems] == [
        ("row 3", True), ("row 4", True)]


def test_different_or_short_updates_are_not_duplicates():
    other = "Operation FALCON has seen six warrants executed in the last quarter to target drug-related activity."
    assert check(u(TWICE), u(other)) == []
    assert check(u("No update this quarter."), u("No update this quarter.")) == []


def _every_pair(texts: list[str]) -> list[tuple[int, int]]:
    """(later, earlier) for each later copy: what comparing every pair finds, by the
    check's rules (eight words or more; half the larger one's runs of three words
    shared; lengths within 0.9; ratio 90 or more; the first earlier copy)."""
    from rapidfuzz import fuzz

    normal = [" ".join(t.casefold().split()) for t in texts]
    runs = [duplicates._word_runs(t) for t in normal]
    found = []
    for j, b in enumerate(normal):
        for i in range(j):
            a = normal[i]
            if min(len(a.split()), len(b.split())) < 8:
                continue
            if 2 * len(runs[i] & runs[j]) < max(len(runs[i]), len(runs[j])):
                continue
            if min(len(a), len(b)) / max(len(a), len(b)) < 0.9:
                continue
            if fuzz.ratio(a, b, score_cutoff=duplicates.NEAR_IDENTICAL):
                found.append((j, i))
                break
    return found


def test_the_index_of_rarest_runs_finds_what_comparing_every_pair_finds():
    import random
    import re

    rng = random.Random(16)
    words = ["the", "of", "arrests", "patrols", "in", "and", "county", "lines", "a", "week"]
    texts: list[str] = []
    for _ in range(300):  # a few words, so that runs are shared widely; copies with a word changed
        if texts and rng.random() < 0.3:
            copy = rng.choice(texts).split()
            copy[rng.randrange(len(copy))] = rng.choice(words)
            texts.append(" ".join(copy))
        else:
            texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(6, 16))))
    updates = [u(text, where=f"row {n}") for n, text in enumerate(texts)]
    problems = proofread([sub(c(*updates))])
    found = [p for p in problems if "submitted twice" in p.message]
    expected = _every_pair(texts)
    assert len(expected) > 20  # the case is not empty
    said = [(there(p.place).where, there(re.search(r"at x\.docx: (row \d+) and", p.message)).group(1)) for p in found]
    assert said == [(f"row {j}", f"row {i}") for j, i in expected]
