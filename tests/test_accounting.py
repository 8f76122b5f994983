"""Nothing lost (issue 13): every word a contributor sent is read once, or reported with
where and why.

A property over generated Word returns (paragraphs, bullets, tables, text boxes with
and without their fallback copies, content controls, numbered headings, and lines
under a priority the plan lacks): the words in equal the words read plus the words
reported; the words of the updates read are the words of the submissions; every line
not read has its problem. Then the run's side of it: a file's line says how many lines
were not read, a refused file keeps its area, a quarter is bounded.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assemble import pipeline, readers
from assemble.cli import main
from assemble.resolve import Fate, account
from assemble.safety import limits

from . import structures as s
from .builders import excel, word
from .plans import sample_plan

PLAN = sample_plan()
AREA = "Roads Policing"  # a department: no place labels to lift out of the text
LETTERS = "bcdfghjklmnpqrstvwxz"  # no vowels: no word of the plan, no place, no "Priority"
WORDS = st.lists(st.text(LETTERS, min_size=3, max_size=8), min_size=1, max_size=5).map(" ".join)
NUMBER = st.integers(0, 99_999).map(str)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


# --- a generated return ----------------------------------------------------------------------

ITEM = st.one_of(
    st.tuples(st.just("bullet"), st.integers(0, 2), WORDS),
    st.tuples(st.just("box"), st.one_of(st.just(""), WORDS), st.lists(WORDS, min_size=1, max_size=3),
              st.sampled_from(["both", "drawing", "vml"])),
    st.tuples(st.just("control"), st.lists(WORDS, min_size=1, max_size=2)),
    st.tuples(st.just("inline"), WORDS, WORDS, WORDS),
    st.tuples(st.just("row"), st.lists(st.one_of(WORDS, NUMBER), min_size=2, max_size=3)),
    st.tuples(st.just("empty control")),
    # a bullet holding line breaks (Shift+Enter), lines after the first opened by typed markers or not
    st.tuples(st.just("lines"), st.integers(0, 2), WORDS,
              st.lists(st.tuples(st.sampled_from(["", "• ", "- ", "o ", "1. ", "a) "]), WORDS), min_size=1,
                       max_size=3)),
)
HEADINGS = ("Priority {n} – {title}", "{n}. {title}", "numbered %1.", "numbered Priority %1 –", "bold")


@st.composite
def returns(draw):
    priorities = draw(st.lists(st.sampled_from(PLAN.priorities), min_size=1, max_size=3, unique_by=lambda p: p.number))
    sections = []
    for p in priorities:
        heading = draw(st.sampled_from(HEADINGS))
        commitments = draw(st.lists(st.sampled_from(p.commitments), min_size=1, max_size=2, unique_by=lambda c: c.id))
        sections.append((p, heading, [(c, draw(st.sampled_from(["text", "id", "number"])),
                                       [("bullet", 0, draw(WORDS)), *draw(st.lists(ITEM, max_size=4))])
                                      for c in commitments]))
    lost = draw(st.none() | st.lists(WORDS, min_size=1, max_size=3))  # lines under "Priority 9"
    return sections, lost


def write(path: Path, sections, lost) -> tuple[Path, list[str]]:
    """The return as Word stores it, and every word typed into it."""
    doc, typed = s.Doc(), []

    def say(text: str) -> str:
        typed.append(text)
        return text

    doc.para(say(f"Area: {AREA}"))
    for p, heading, commitments in sections:
        if heading.startswith("numbered"):
            doc.numbered(say(p.title), shows=heading.removeprefix("numbered "),
                         style="Heading 1" if "Priority" not in heading else None)
        elif heading == "bold":
            doc.para(say(f"Priority {p.number}: {p.title}"), bold=True)
        else:
            doc.heading(say(heading.format(n=p.number, title=p.title)), level=2)
        for c, form, items in commitments:
            doc.para(say({"text": c.text, "id": c.id, "number": str(c.number)}[form]))
            for item in items:
                kind = item[0]
                if kind == "bullet":
                    doc.bullet(say(item[2]), item[1])
                elif kind == "box":
                    _, anchor, texts, how = item
                    say(anchor)
                    doc.textbox(anchor, [say(t) for t in texts], fallback=how == "both", vml_only=how == "vml")
                elif kind == "control":
                    doc.control([say(t) for t in item[1]])
                elif kind == "inline":
                    doc.inline_control(say(item[1]), say(" " + item[2]), say(" " + item[3]))
                elif kind == "lines":
                    doc.lines([say(item[2]), *(say(mark + text) for mark, text in item[3])], item[1])
                elif kind == "row":
                    doc.table([[say(cell) for cell in item[1]]])
                else:
                    doc.control(["Click or tap here to enter text."], placeholder=True)  # empty: no words
    if lost:
        doc.heading(say("Priority 9 – Not in the plan"), level=1).para(say("1"))
        for text in lost:
            doc.bullet(say(text))
    return doc.save(path), typed


def submission_words(found) -> list[str]:
    out: list[str] = []

    def walk(u):
        out.extend(words(u.label or ""))
        out.extend(words(u.text))
        for child in u.children:
            walk(child)

    for sub in found.submissions:
        for c in sub.contributions:
            out.extend(words(c.district or ""))
            for u in c.updates:
                walk(u)
    return out


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("accounting")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=returns())
def test_the_words_in_are_the_words_read_and_reported(tmp, data):
    sections, lost = data
    path, typed = write(tmp / f"{AREA} Q2.docx", sections, lost)
    found = account(readers.read(path), PLAN)
    words_in = Counter(w for t in typed for w in words(t))
    read = Counter(w for e in found.entries if e.fate is not Fate.NOT_READ for w in words(e.text))
    reported = Counter(w for e in found.entries if e.fate is Fate.NOT_READ for w in words(e.text))
    assert words_in == read + reported
    updates = Counter(w for e in found.entries if e.fate is Fate.UPDATE for w in words(e.text))
    assert updates == Counter(submission_words(found))  # what is read as an update is in the submission
    assert all(e.problem in found.problems for e in found.entries if e.fate is Fate.NOT_READ)
    if lost:  # the heading the plan lacks and every line under it
        assert reported >= Counter(w for t in ["Priority 9 – Not in the plan", "1", *lost] for w in words(t))
        assert any(p.message == f"there is no Priority 9 in the plan: {len(lost) + 1} lines under it not read"
                   for p in found.problems)
    # A plain line with bullets under it, looking like the return's commitment lines, is taken
    # for a commitment the plan lacks (reported, its bullets left out): what else is reported.
    plain = any(item[0] in ("control", "box") for _, _, commitments in sections for _, _, items in commitments
                for item in items)
    if not plain and not lost:
        assert found.problems == () and not reported
    for p in found.problems:
        assert "commitment" in p.message or "Priority 9" in p.message, p
    assert found.submissions[0].area == AREA


# --- the run's side of it -------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def rows(out: str) -> list[str]:
    return [" ".join(line.split()) for line in out.splitlines()]


def test_each_file_line_says_how_many_lines_were_not_read(tmp_path):
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), "1", (0, "kept"), ("h", "Priority 9"), "1", (0, "lost")])
    excel(q / "FCR Q2.xlsx", [[7, 1, None, 1, "an update", "a note"]],
          header=("Priority", "Commitment", "District", "Level", "Update", "Notes"))
    code, out, err = run("check", str(q))
    assert code == 1
    assert "Area File Format Updates Not read Saved" in rows(out)
    assert any(r.startswith("Force Control Room FCR Q2.xlsx xlsx 1 1 ") for r in rows(out))
    assert any(r.startswith("West LPA West LPA Q2.docx docx 1 3 ") for r in rows(out))
    assert ("error: West LPA Q2.docx: the heading 'Priority 9' (paragraph 4): there is no Priority 9 in the plan: "
            "2 lines under it not read") in err
    assert "warning: FCR Q2.xlsx: sheet 'Updates', row 2: column F ('Notes') is not read" in err
    assert "2 updates read from 2 files; 2 placed; 0 left out; 4 lines not read; " in out  # and in report.md


def test_a_file_that_gives_no_update_is_an_error_naming_it(tmp_path):
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), "1", (0, "kept")])
    word(q / "minutes.docx", [("h", "Minutes of the partnership meeting"), "Apologies: none"])
    code, _out, err = run("check", str(q))
    assert code == 1
    assert ("error: minutes.docx: no update could be read from it: its first heading is 'Minutes of the "
            "partnership meeting'") in err


def test_a_refused_file_keeps_the_area_its_name_gives(tmp_path):
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), "1", (0, "kept")])
    (q / "North LPA Q2.docx").write_bytes(b"PK\x03\x04 cut short")
    code, out, err = run("check", str(q))
    assert code == 1 and "error: North LPA Q2.docx: is damaged" in err
    assert any(r.startswith("North LPA North LPA Q2.docx docx refused") for r in rows(out))
    assert "(area unknown)" not in out


@pytest.mark.parametrize("limit, value, words", [
    ("MAX_QUARTER_UPDATES", 3, "4 updates in its returns, more than the 3 a quarter may have"),
    ("MAX_QUARTER_CHARACTERS", 20, "characters of updates in its returns, more than the 20 a quarter may have"),
])
def test_a_quarter_past_its_limits_is_an_error_naming_the_quarter_count_and_limit(tmp_path, plan, monkeypatch,
                                                                                   limit, value, words):
    monkeypatch.setattr(limits, limit, value)
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), "1", (0, "one update"), (0, "two updates")])
    word(q / "North LPA Q2.docx", [("h", "Priority 7"), "1", (0, "three updates"), (0, "four updates")])
    asm = pipeline.assemble(q, plan)
    [problem] = asm.errors
    assert problem.message.startswith("2020-21-Q2: ") and words in problem.message
    assert problem.message.endswith("; nothing is built")
    assert "the largest return is" in problem.hint
    assert asm.submissions == () and asm.read == 0  # nothing kept to merge or build
    assert [f.updates for f in asm.files] == [2, 2]  # but every file is counted


def test_a_folder_of_more_returns_than_a_quarter_may_have(tmp_path, plan, monkeypatch):
    monkeypatch.setattr(limits, "MAX_QUARTER_FILES", 1)
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    for name in ("West LPA Q2.docx", "North LPA Q2.docx"):
        word(q / name, [("h", "Priority 7"), "1", (0, "x")])
    code, _out, err = run("check", str(q))
    assert code == 1 and "error: 2020-21-Q2: 2 returns in " in err and "more than the 1 a quarter may have" in err


def test_the_limits_are_the_ones_the_readme_states():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for n in (limits.MAX_QUARTER_FILES, limits.MAX_QUARTER_UPDATES, limits.MAX_QUARTER_CHARACTERS):
        assert f"{n:,}" in readme
