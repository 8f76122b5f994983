"""Round trip: update trees for random commitments, written as a Word
submission with each bullet mechanism the reader accepts and as an Excel
submission, read back as the same contributions: commitment, district,
update texts and nesting.

A generated return is a list of groups (commitment id, district or None,
trees); a tree is (text, children). In an LPA's Word file a district is a
place label ("Colchester:") written in one of the ways contributors do; in
Excel it is the District column.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assemble.plan import matching
from assemble.text import MARKER

from .builders import read
from .plans import sample_plan
from .present import sheet as active
from .present import there

PLAN = sample_plan()
CIDS = sorted(PLAN.commitments_by_id())
LPAS = [a for a in PLAN.areas if a.kind == "lpa"]
DEPARTMENTS = [a for a in PLAN.areas if a.kind == "department"]

# Letters with accents, digits and punctuation, XML's own among them. No
# whitespace but the single spaces between words (the Excel reader folds runs of
# it), no "=" (a leading one makes an Excel formula).
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "éèêëàâäôöûüùçñøåÉÅßæœ"
    ".,;:!?'\"‘’“”()[]-–—/&<>%£€#@+*_"
)
TYPED_BULLETS = ("•", "-", "–", "o", "▪", "*")
TYPED_NUMBERS = ("1.", "2)", "10.", "a.", "b)", "i.")
BULLET_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
NUMBER_STYLES = ("List Number", "List Number 2", "List Number 3")
WORD_MECHANISMS = (
    "numbering", "bullet-styles", "typed-bullets",  # bullets
    "numbered", "number-styles", "typed-numbers",  # numbered lists
)

Group = tuple[str, str | None, tuple[Any, ...]]  # (commitment id, district or None, trees)

FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def is_plain_update(text: str) -> bool:
    """Text no reader could take for a label: not a place, not 'Place: …' or 'Area: …'.

    Nor a commitment's text: the Word reader takes a bullet of six words or
    more that matches a commitment as that commitment typed as a bullet, even
    when the bullet runs on past the commitment's text into an update; that
    update is then lost (reported to the lead; the case is left out here).
    """
    if matching.is_place_label(PLAN, text):
        return False
    if len(text.split()) >= 6 and any(matching.commitment(PLAN, p.number, text) for p in PLAN.priorities):
        return False
    split = matching.split_label(text)
    return not split or not (matching.is_place_label(PLAN, split[0]) or matching.area(PLAN, split[0]))


TEXT = (st.lists(st.text(ALPHABET, min_size=1, max_size=10), min_size=1, max_size=6)
        .map(" ".join).filter(is_plain_update))


def forest(depth: int, min_size: int = 1):
    if depth == 0:
        return st.just(())
    return st.lists(st.tuples(TEXT, forest(depth - 1, 0)), min_size=min_size,
                    max_size=3 if min_size else 2).map(tuple)


def district_labels(area) -> list[str]:
    """How an LPA names a district: the district, a town in it, two districts together."""
    towns = [t for d in area.districts for t in PLAN.places.get(d, ())[:2]]
    pairs = [f"{a} and {b}" for a, b in itertools.pairwise(area.districts)]
    return [*area.districts, *towns, *pairs[:2], f"{area.districts[-1]} & {area.districts[0]}"]


def merged(groups: list[Group]) -> list[Group]:
    """Neighbouring groups for one commitment and district are one contribution."""
    out: list[Group] = []
    for cid, district, trees in groups:
        if out and out[-1][:2] == (cid, district):
            out[-1] = (cid, district, out[-1][2] + trees)
        else:
            out.append((cid, district, trees))
    return out


@st.composite
def returns(draw):
    area = draw(st.sampled_from(LPAS) | st.sampled_from(DEPARTMENTS))
    labels = district_labels(area) if area.kind == "lpa" else []
    groups = []
    for _ in range(draw(st.integers(1, 4))):
        cid = draw(st.sampled_from(CIDS))
        district = draw(st.none() | st.sampled_from(labels)) if labels else None
        groups.append((cid, district, draw(forest(3))))
    return area, merged(groups), draw(st.randoms(use_true_random=False))


def depth(tree) -> int:
    return 1 + max((depth(c) for c in tree[1]), default=0)


def _texts(groups):
    def walk(tree):
        yield tree[0]
        for child in tree[1]:
            yield from walk(child)

    return [text for _, _, trees in groups for tree in trees for text in walk(tree)]


def read_back(sub):
    """The submission as groups, in the generated form; every label lifted out."""
    def tree(u):
        assert u.label is None, u
        return (u.text, tuple(tree(c) for c in u.children))

    return [(c.commitment, c.district, tuple(tree(u) for u in c.updates)) for c in sub.contributions]


# --- Word ----------------------------------------------------------------------


def _numbering(doc, fmt: str) -> int:
    """A three-level list definition (bullets or numbers); its numId."""
    numbering = doc.part.numbering_part.element
    abstract_id = 1 + max(int(x) for x in numbering.xpath("./w:abstractNum/@w:abstractNumId"))
    texts = ("•", "o", "▪") if fmt == "bullet" else ("%1.", "%2)", "%3.")
    formats = ("bullet",) * 3 if fmt == "bullet" else ("decimal", "lowerLetter", "lowerRoman")
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{formats[i]}"/>'
        f'<w:lvlText w:val="{texts[i]}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for i in range(3)
    )
    numbering.xpath("./w:abstractNum")[-1].addnext(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{levels}</w:abstractNum>'))
    return numbering.add_num(abstract_id).numId


class WordWriter:
    def __init__(self, mechanism: str, rnd: random.Random):
        self.doc = docx.Document()
        self.mechanism = mechanism
        self.rnd = rnd
        self.style_ids: dict[str, str | None] = {}
        if mechanism in ("numbering", "numbered"):
            self.num_id = _numbering(self.doc, "bullet" if mechanism == "numbering" else "decimal")

    def paragraph(self, style: str):
        """A paragraph in a style, as add_paragraph(style=...) writes it; the style's id looked
        up once (python-docx searches the styles part by name for every paragraph)."""
        if style not in self.style_ids:
            found = self.doc.styles[style]
            self.style_ids[style] = None if found == self.doc.styles.default(found.type) else found.style_id
        p = self.doc.add_paragraph()
        p._p.style = self.style_ids[style]
        return p

    def runs(self, p, text: str, bold_label: str | None = None) -> None:
        """The text in one to three runs, emphasis at random; a label in bold before it."""
        if bold_label:
            p.add_run(bold_label).bold = True
            text = " " + text if text else ""
        cuts = sorted(self.rnd.sample(range(1, len(text)), min(2, len(text) - 1))) if len(text) > 1 else []
        cuts = cuts[: self.rnd.randint(0, len(cuts))]
        for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True):
            run = p.add_run(text[a:b])
            run.bold = self.rnd.random() < 0.2 or None
            run.italic = self.rnd.random() < 0.2 or None

    def item(self, level: int, text: str, label: str | None = None) -> None:
        m, rnd = self.mechanism, self.rnd
        if m in ("numbering", "numbered"):
            p = self.paragraph("List Paragraph")
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = level
            num_pr.get_or_add_numId().val = self.num_id
        elif m in ("bullet-styles", "number-styles"):
            styles = BULLET_STYLES if m == "bullet-styles" else NUMBER_STYLES
            p = self.paragraph(styles[level])
        else:  # a marker typed after a tab a level
            p = self.paragraph(rnd.choice(("Normal", "List Paragraph")))
            marker = rnd.choice(TYPED_BULLETS if m == "typed-bullets" else TYPED_NUMBERS)
            p.add_run("\t" * level + marker + rnd.choice((" ", "\t", "  ")))
        self.runs(p, text, label)

    def tree(self, tree, level: int) -> None:
        self.item(level, tree[0])
        for child in tree[1]:
            self.tree(child, level + 1)

    def heading(self, number: int) -> None:
        title = there(PLAN.priority(number)).title
        form = self.rnd.randrange(3)
        if form == 0:
            self.doc.add_heading(f"Priority {number} – {title}", level=1)
        elif form == 1:
            self.doc.add_paragraph().add_run(f"Priority {number}: {title}").bold = True
        else:
            self.doc.add_paragraph(f"Priority {number}")

    def commitment(self, cid: str) -> None:
        c = there(PLAN.commitment(cid))
        self.doc.add_paragraph(self.rnd.choice(
            (c.text, c.text, cid, f"Commitment {c.number}", " ".join(c.text.split()[:6]))))

    def write(self, path: Path, area, groups) -> Path:
        doc = self.doc
        doc.add_paragraph(f"{area.name} – return")
        doc.add_paragraph(f"Area: {area.name}")
        priority = current = None
        under_plain_label = False  # list items now nest one deeper: restate the commitment
        for cid, district, trees in groups:
            form = self.district_form(district, trees)
            c = there(PLAN.commitment(cid))
            if c.priority != priority:
                self.heading(c.priority)
                priority, current = c.priority, None
            if cid != current or (under_plain_label and form != "paragraph"):
                self.commitment(cid)
                current, under_plain_label = cid, False
            if form is None:
                for t in trees:
                    self.tree(t, 0)
            elif form == "paragraph":  # "Colchester:" as a plain paragraph, its bullets at level 1
                self.runs(doc.add_paragraph(), "", f"{district}:")
                for t in trees:
                    self.tree(t, 0)
                under_plain_label = True
            elif form in ("bullet", "bullet-no-colon"):  # a bullet of its own, its updates under it
                self.item(0, "", district + (":" if form == "bullet" else ""))
                for t in trees:
                    self.tree(t, 1)
            else:  # "Colchester: the update" inline, its sub-bullets under it
                [(text, children)] = trees
                self.item(0, text, f"{district}:")
                for child in children:
                    self.tree(child, 1)
        doc.save(str(path))
        return path

    def district_form(self, district, trees) -> str | None:
        if district is None:
            return None
        forms = ["paragraph"]
        if all(depth(t) <= 2 for t in trees):
            forms += ["bullet", "bullet-no-colon"]
        if len(trees) == 1:
            forms.append("inline")
        return self.rnd.choice(forms)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("roundtrip")


@pytest.mark.parametrize("mechanism", WORD_MECHANISMS)
@FAST
@given(data=returns())
def test_word_round_trip(tmp, mechanism, data):
    area, groups, rnd = data
    path = WordWriter(mechanism, rnd).write(tmp / f"{mechanism}.docx", area, groups)
    [sub], problems = read(path, PLAN)
    assert problems == []
    assert sub.area == area.name
    assert read_back(sub) == groups


# --- Excel ---------------------------------------------------------------------


def excel_rows(groups, rnd: random.Random) -> list[list[Any]]:
    """One row per update; Priority and Commitment left blank for 'as above' at random."""
    rows = []
    priority = current = None
    for cid, district, trees in groups:
        c = there(PLAN.commitment(cid))

        def walk(tree, level, c=c, cid=cid, district=district):
            nonlocal priority, current
            p_cell = c.priority if c.priority != priority or rnd.random() < 0.3 else None
            if p_cell is not None:
                p_cell = rnd.choice((c.priority, str(c.priority), f"Priority {c.priority}",
                                     f"Priority {c.priority} – {there(PLAN.priority(c.priority)).title}"))
            c_cell = None
            if cid != current or rnd.random() < 0.3:
                c_cell = rnd.choice((c.number, str(c.number), cid, c.text))
            l_cell = level + 1 if level or rnd.random() < 0.7 else None
            rows.append([p_cell, c_cell, district, l_cell, tree[0]])
            priority, current = c.priority, cid
            for child in tree[1]:
                walk(child, level + 1)

        for t in trees:
            walk(t, 0)
    return rows


def write_excel(path: Path, area, groups, rnd: random.Random) -> Path:
    book = openpyxl.Workbook()
    sheet = active(book)
    sheet.title = "Updates"
    if rnd.random() < 0.5:
        sheet.append([f"{area.name} – return"])
    sheet.append([f"Area: {area.name}"] if rnd.random() < 0.5 else ["Area", area.name])
    sheet.append(["Priority", "Commitment", "District", "Level", "Update"])
    for row in excel_rows(groups, rnd):
        sheet.append(row)
    book.save(path)
    return path


@FAST
@given(data=returns())
def test_excel_round_trip(tmp, data):
    area, groups, rnd = data
    # A cell's text that opens with a typed marker ("- 0") is a bullet typed in the cell, the
    # marker taken off (issue 25, case 15): not text an Excel update can round-trip.
    assume(not any(MARKER.match(text) for text in _texts(groups)))
    path = write_excel(tmp / "return.xlsx", area, groups, rnd)
    [sub], problems = read(path, PLAN)
    assert problems == []
    assert sub.area == area.name
    assert read_back(sub) == groups
