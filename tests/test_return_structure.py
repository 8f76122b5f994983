"""Returns that keep their structure (issue 27): a Word return sent out has its headings and
commitment lines in shaded styles of their own, each carrying its identifier (a bookmark), and
is protected but for the bullets under each commitment. Filled in as a contributor would — in
python-docx and lxml, and re-saved by LibreOffice — every update lands under the commitment it
was written under, whatever was typed over a heading or a commitment line; a return sent out
under another plan is read by its words, never by its identifiers."""

from __future__ import annotations

import copy
import dataclasses

import docx
import pytest
from docx.oxml.ns import qn

from assemble import readers
from assemble.errors import Severity
from assemble.model import Item, Span
from assemble.quarter import Quarter
from assemble.records import Paragraph
from assemble.returns import write as returns

from .builders import read
from .libreoffice import convert
from .present import style_name, there

Q3 = Quarter(2020, 3)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# What North LPA sent last quarter, as carried over: under 2.1 (a district's label and its
# updates, an update of the whole area), 3.1, 6.1 and 6.2.
CARRIED = {
    "2.1": (Item((), (Item((Span("CCTV covers the high street"),)), Item((Span("Zone wardens patrol at night"),))),
                 label="Colchester"),
            Item((Span("Dispersal orders were used twice"),))),
    "3.1": (Item((Span("Twelve arrests of high-risk perpetrators"),)),
            Item((Span("Victims were safeguarded"),))),
    "6.1": (Item((Span("Online safety talks in 40 schools"),)),),
    "6.2": (Item((Span("Hate crime reporting rose in Harlow"),)),
            Item((Span("Two new reporting centres opened"),))),
}


def filed(subs) -> dict[str, str]:
    """Each update's words -> the commitment it was filed under."""
    found: dict[str, str] = {}

    def walk(u, commitment):
        if u.text.strip():
            found[u.text.strip()] = commitment
        for child in u.children:
            walk(child, commitment)

    for sub in subs:
        for c in sub.contributions:
            for u in c.updates:
                walk(u, c.commitment)
    return found


@pytest.fixture(scope="module")
def sent(tmp_path_factory, plan):
    """North LPA's pre-filled Q3 return as it goes out."""
    folder = tmp_path_factory.mktemp("sent")
    return returns.write_blank_docx(plan, plan.area("North LPA"), Q3, folder / "North LPA - Q3.docx", CARRIED)


def marks(p) -> list[str]:
    return [b.get(f"{W}name") for b in p.iter(f"{W}bookmarkStart")]


# --- as it goes out -----------------------------------------------------------------------


def test_headings_and_commitment_lines_are_shaded_styles_of_their_own_with_identifiers(sent, plan):
    d = docx.Document(str(sent))
    priority, commitment = d.styles["Return Priority"], d.styles["Return Commitment"]
    assert there(priority.base_style).name == "Heading 1" and there(commitment.base_style).name == "Normal"
    for style in (priority, commitment):
        ppr = style.element.pPr
        assert ppr.find(qn("w:shd")).get(qn("w:fill")) and ppr.find(qn("w:pBdr")) is not None  # a shaded box
        assert ppr.find(qn("w:numPr")) is None  # no bullet
    shown = [(style_name(p), p.text, marks(p._p)) for p in d.paragraphs
             if style_name(p) in ("Return Priority", "Return Commitment")]
    expected = []
    for p in plan.priorities:
        expected.append(("Return Priority", f"Priority {p.number} – {p.title}", [f"assemble_2016_2020_p{p.number}"]))
        expected += [("Return Commitment", c.text, [f"assemble_2016_2020_c{p.number}_{c.number}"])
                     for c in p.commitments]
    assert shown == expected
    assert [p for p in d.paragraphs if marks(p._p) and style_name(p) not in ("Return Priority", "Return Commitment")] \
        == []  # no other paragraph carries an identifier


def test_it_is_protected_but_for_the_bullets_under_each_commitment(sent, plan):
    d = docx.Document(str(sent))
    [protection] = d.settings.element.findall(qn("w:documentProtection"))
    assert (protection.get(qn("w:edit")), protection.get(qn("w:enforcement"))) == ("readOnly", "1")
    ranges: list[list[str]] = []  # the paragraphs' styles within each editable range
    inside = False
    for p in d.paragraphs:
        starts, ends = p._p.findall(qn("w:permStart")), p._p.findall(qn("w:permEnd"))
        if starts:
            assert not inside and [s.get(qn("w:edGrp")) for s in starts] == ["everyone"]
            inside = True
            ranges.append([])
        if inside:
            ranges[-1].append(style_name(p))
        if ends:
            inside = False
    assert len(ranges) == len(plan.commitments_by_id())  # one under each commitment
    assert all(styles and set(styles) == {"List Paragraph"} for styles in ranges)  # bullets only
    # where nothing is carried over, one empty bullet to type in
    empty = [p for p in d.paragraphs if style_name(p) == "List Paragraph" and not p.text]
    assert len(empty) == len(plan.commitments_by_id()) - len(CARRIED)


def test_as_it_goes_out_it_reads_back_with_no_warning(sent, plan):
    subs, problems = read(sent, plan)
    assert problems == []
    assert filed(subs) == {text: cid for cid, items in CARRIED.items() for text in _texts(items)}


def _texts(items) -> list[str]:
    return [t for item in items for t in ([item.text] if item.text else []) + _texts(item.children)]


# --- filled in ------------------------------------------------------------------------------


def fill_in(sent_path, back):
    """The return filled in with python-docx and lxml as a contributor would, slips and all:
    Priority 6's heading mistyped, 2.1's line retyped, Priority 3's heading deleted, a bullet
    deleted, one updated and one added."""
    d = docx.Document(str(sent_path))
    ps = d.paragraphs

    def find(start):
        return next(p for p in ps if p.text.startswith(start))

    six = find("Priority 6 –")
    six.runs[0].text = "Priorty 6 – Protecting Children and Vulnerable Peple"
    line = find("Target repeat and high harm")
    for run in line.runs[1:]:
        run.text = ""
    line.runs[0].text = "Target repeat & high-harm ASB (retyped)"
    heading = find("Priority 3 –")
    heading._p.getparent().remove(heading._p)  # typed over, then deleted
    gone = find("Victims were safeguarded")._p  # the last bullet of its range: the range's end kept, as Word keeps it
    for end in gone.findall(qn("w:permEnd")):
        gone.getprevious().append(end)
    gone.getparent().remove(gone)
    find("Dispersal orders").runs[0].text = "Dispersal orders were used four times"
    added = copy.deepcopy(find("Online safety talks")._p)  # Enter at its end, and typed: a bullet like it
    for t in added.iter(qn("w:t")):
        t.text = "A new safeguarding hub in Chelmsford"
    for mark in added.xpath("./w:permStart | ./w:permEnd"):
        added.remove(mark)
    find("Online safety talks")._p.addnext(added)
    d.save(str(back))
    return back


FILLED_IN = {
    "CCTV covers the high street": "2.1", "Zone wardens patrol at night": "2.1",
    "Dispersal orders were used four times": "2.1",
    "Twelve arrests of high-risk perpetrators": "3.1",
    "Online safety talks in 40 schools": "6.1", "A new safeguarding hub in Chelmsford": "6.1",
    "Hate crime reporting rose in Harlow": "6.2", "Two new reporting centres opened": "6.2",
}


def said(problems) -> list[tuple[str, str]]:
    assert all(p.severity is Severity.WARNING for p in problems), problems
    return sorted((p.place.kind, p.message) for p in problems)


SAID = sorted([
    ("heading", "the heading of Priority 6 was edited to 'Priorty 6 – Protecting Children and Vulnerable Peple': "
                "read as Priority 6 by its identifier"),
    ("line", "the line of commitment 2.1 was edited to 'Target repeat & high-harm ASB (retyped)': read as 2.1 by "
             "its identifier"),
    ("line", "the line of commitment 3.1 stands under Priority 2 – Crack Down on Anti-social Behaviour: read as 3.1 "
             "by its identifier"),
])


@pytest.fixture(scope="module")
def filled(sent, tmp_path_factory):
    return fill_in(sent, tmp_path_factory.mktemp("back") / "North LPA Q3.docx")


def test_filled_in_in_python_docx_every_update_lands_where_it_was_written(filled, plan):
    [sub], problems = read(filled, plan)
    assert sub.area == "North LPA"
    assert filed([sub]) == FILLED_IN
    assert said(problems) == SAID
    assert all(p.place.file == "North LPA Q3.docx" for p in problems)


def test_re_saved_by_libreoffice_it_keeps_its_identifiers_and_protection(filled, plan, tmp_path):
    saved = convert(filled, tmp_path / "lo", "docx:MS Word 2007 XML")
    record = readers.read(saved)
    kept = [b.marks for b in record.blocks if isinstance(b, Paragraph) and any(m.startswith("assemble_") for m in
                                                                                b.marks)]
    assert len(kept) == len(plan.priorities) - 1 + len(plan.commitments_by_id())  # all but the deleted heading's
    [sub], problems = read(saved, plan)
    assert filed([sub]) == FILLED_IN
    assert said(problems) == SAID
    d = docx.Document(str(saved))
    [protection] = d.settings.element.findall(qn("w:documentProtection"))
    assert protection.get(qn("w:edit")) == "readOnly"
    assert ranges(saved) == ranges(filled)  # each editable range's start and end (LibreOffice repeats some)


def ranges(path) -> tuple[int, int]:
    """How many editable ranges start, and how many end, in a Word file (by their ids)."""
    body = docx.Document(str(path)).element.body
    return tuple(len({e.get(qn("w:id")) for e in body.iter(qn(tag))})  # type: ignore[return-value]
                 for tag in ("w:permStart", "w:permEnd"))


def test_without_its_identifiers_the_words_decide(filled, plan, tmp_path):
    """A hand-made return, or one whose bookmarks were lost: the guard rails' rules, never the
    wrong place: the retyped 2.1 line and what stands under it, and 3.1 under Priority 2, are errors."""
    d = docx.Document(str(filled))
    for mark in d.element.body.xpath(".//w:bookmarkStart | .//w:bookmarkEnd"):
        mark.getparent().remove(mark)
    bare = tmp_path / "North LPA Q3.docx"
    d.save(str(bare))
    [sub], problems = read(bare, plan)
    got = filed([sub])
    assert all(FILLED_IN[text] == cid for text, cid in got.items())  # nothing under another commitment
    assert "Twelve arrests of high-risk perpetrators" not in got
    errors = [p.message for p in problems if p.severity is Severity.ERROR]
    assert any("is commitment 3.1 of Priority 3, but it stands under Priority 2" in e for e in errors)


# --- sent out under another plan ---------------------------------------------------------------


def swapped(plan):
    """Another plan, as the next might be: its Priorities 6 and 7 numbered the other way round."""
    def renumbered(p):
        n = {6: 7, 7: 6}.get(p.number, p.number)
        return dataclasses.replace(p, number=n, commitments=tuple(
            dataclasses.replace(c, id=f"{n}.{c.number}", priority=n) for c in p.commitments))

    return dataclasses.replace(plan, period="2021-2024",
                               priorities=tuple(sorted(map(renumbered, plan.priorities), key=lambda p: p.number)))


def test_a_return_of_another_plan_is_read_by_its_words(plan, tmp_path):
    """Its identifiers name the other plan's priorities: ignored, with one warning; its lines are
    read by their words, so nothing lands under this plan's 6.1 that was written under roads."""
    other = swapped(plan)
    roads = next(p for p in other.priorities if p.title == "Improve Safety on our Roads")
    assert roads.number == 6
    path = returns.write_blank_docx(other, other.area("Roads Policing"), Q3, tmp_path / "Roads Policing Q3.docx",
                                    {roads.commitments[0].id: (Item((Span("Speed checks near schools"),)),)})
    [sub], problems = read(path, plan)
    assert filed([sub]) == {"Speed checks near schools": "7.1"}  # under the roads commitment, by its words
    stale = [p for p in problems if "identifiers of its headings and commitment lines" in p.message]
    [p] = stale
    assert p.severity is Severity.WARNING and p.place.file == "Roads Policing Q3.docx"
    n = len(plan.priorities) + len(plan.commitments_by_id())
    assert p.message.startswith(f"{n} identifiers of its headings and commitment lines ('assemble_2021_2024_p1', "
                                "'assemble_2021_2024_c1_1', …) name no priority or commitment of this quarter's plan")


def test_an_identifier_the_plan_lacks_is_ignored(plan, tmp_path, sent):
    """A commitment line whose identifier names a commitment the plan no longer has (2.9): read
    by its words, and said."""
    d = docx.Document(str(sent))
    [mark] = [m for m in d.element.body.iter(qn("w:bookmarkStart")) if m.get(qn("w:name")) == "assemble_2016_2020_c2_1"]
    mark.set(qn("w:name"), "assemble_2016_2020_c2_9")
    path = tmp_path / "North LPA Q3.docx"
    d.save(str(path))
    [sub], problems = read(path, plan)
    assert filed([sub])["Dispersal orders were used twice"] == "2.1"  # its words are 2.1's
    [p] = problems
    assert p.message.startswith("1 identifier of its headings and commitment lines ('assemble_2016_2020_c2_9') "
                                "names no priority or commitment of this quarter's plan")
    assert p.place.kind == "line" and "Target repeat" in p.place.words
