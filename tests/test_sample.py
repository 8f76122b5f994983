"""The sample quarter 2020-21-Q2 against the published reference.

The sample sources (tools/sample/2020-21-Q2/*.txt) must carry each of the
reference's 93 updates exactly once, one source per area of the plan; the
committed submissions in inputs/ must be what tools/make_sample.py makes of
them; and the golden merged outline must hold the same 93 updates, word for
word, in plan order.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from assemble.model import Item, SubHeading
from assemble.versions.native import dump, load

from .meta import META
from .plans import sample_plan
from .present import there
from .quarters import GOLDEN, ROOT

QUARTER = "2020-21-Q2"
SOURCES = ROOT / "tools" / "sample" / QUARTER
INPUTS = ROOT / "inputs" / QUARTER
REFERENCE = ROOT / "tests" / "fixtures" / "reference-2020-21-Q2-v1.1.txt"

UPDATES = 93
PER_AREA = {
    "Citizens in Policing": 15,
    "Community Safety": 4,
    "Force Control Room": 4,
    "Resolution Centre": 3,
    "Crime and Public Protection": 12,
    "Serious and Organised Crime": 4,
    "Roads Policing": 5,
    "Local Policing Support Unit": 5,
    "North LPA": 20,
    "South LPA": 7,
    "West LPA": 14,
}
# Slips the pipeline must flag later: the sample keeps them as the areas sent them.
SLIPS = ("Tending", "Saffron Waldon", "down from 238", "an increase of 16,975 (22.5%)")



@pytest.fixture(scope="module")
def make_sample():
    spec = there(importlib.util.spec_from_file_location("make_sample", ROOT / "tools" / "make_sample.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    there(spec.loader).exec_module(module)
    return module


@pytest.fixture(scope="module")
def plan():
    return sample_plan()


@pytest.fixture(scope="module")
def outlines(make_sample):
    return make_sample.read_outlines(SOURCES)


@pytest.fixture(scope="module")
def golden():
    return load(GOLDEN.read_text(encoding="utf-8"), META)


def _items(blocks, depth=0):
    for block in blocks:
        if isinstance(block, Item):
            yield block, depth
            yield from _items(block.children, depth + 1)


def _golden_items(report):
    for p in report.priorities:
        for c in p.commitments:
            for item, depth in _items(c.blocks):
                yield c.id, item, depth


def _source_texts(bullets):
    for b in bullets:
        if b.text.strip():
            yield b.text
        yield from _source_texts(b.children)


def _reference_updates(labels: set[str]) -> list[tuple[str | None, str]]:
    """(label, text) of each reference bullet that is an update, not a bare label."""
    out = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^ ?- (.*)$", line)
        if not m:
            continue
        text = m.group(1).strip()
        if text.rstrip(":").strip() in labels:
            continue  # "- North LPA:", " - Chelmsford"
        head = re.match(r"^(.+?) ?: (.*)$", text)
        if head and head.group(1) in labels:
            out.append((head.group(1), head.group(2)))
        else:
            out.append((None, text))
    return out


# --- the sources --------------------------------------------------------------


def test_one_source_per_area_of_the_plan(outlines, plan):
    assert sorted(o.area for o in outlines) == sorted(a.name for a in plan.areas)
    files = [o.file for o in outlines]
    assert len(set(files)) == len(files)
    assert all(Path(f).suffix in (".docx", ".xlsx") for f in files)


def test_file_names_name_their_area(outlines, plan):
    for o in outlines:
        area = plan.area(o.area)
        names = (area.name, *area.aliases)
        assert any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", o.file, re.I) for n in names), o.file


def test_sources_carry_93_updates(outlines):
    counts = {o.area: o.count() for o in outlines}
    assert counts == PER_AREA
    assert sum(counts.values()) == UPDATES


def test_sources_name_only_plan_commitments(outlines, plan):
    for o in outlines:
        for cid, bullets in o.sections:
            assert plan.commitment(cid) is not None, (o.file, cid)
            assert bullets, (o.file, cid)


def test_source_updates_are_the_reference_updates_once_each(outlines, golden):
    labels = {item.label for _, item, _ in _golden_items(golden) if item.label}
    reference = Counter(text for _, text in _reference_updates(labels))
    sources = Counter(t for o in outlines for _, bullets in o.sections for t in _source_texts(bullets))
    assert sum(reference.values()) == UPDATES
    assert sources == reference


def test_lpa_sources_do_not_write_their_own_label(outlines, plan):
    for o in outlines:
        area = plan.area(o.area)
        if area.show != "label":
            continue
        for _, bullets in o.sections:
            for b in bullets:
                assert b.label not in (area.name, *area.aliases), o.file
                assert not b.text.startswith(area.name), o.file


def test_sources_keep_the_slips(outlines):
    everything = "\n".join(o.path.read_text(encoding="utf-8") for o in outlines)
    for slip in SLIPS:
        assert slip in everything, slip


# --- the committed submissions -----------------------------------------------


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def test_inputs_are_made_from_the_sources(outlines, plan, make_sample):
    assert sorted(p.name for p in INPUTS.iterdir()) == sorted(o.file for o in outlines)
    for o in outlines:
        made = make_sample.render(o, plan)
        assert made == make_sample.render(o, plan), f"{o.file}: not reproducible"
        assert _members(made) == _members((INPUTS / o.file).read_bytes()), (
            f"{o.file} is stale: run tools/make_sample.py"
        )


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_word_bullets_are_real_bullets(outlines):
    from lxml import etree

    for o in (o for o in outlines if o.file.endswith(".docx")):
        parts = _members((INPUTS / o.file).read_bytes())
        numbering = etree.fromstring(parts["word/numbering.xml"])
        abstract = {a.get(f"{W}abstractNumId"): a for a in numbering.iter(f"{W}abstractNum")}
        nums = {
            n.get(f"{W}numId"): abstract[there(n.find(f"{W}abstractNumId")).get(f"{W}val")]
            for n in numbering.iter(f"{W}num")
        }
        body = etree.fromstring(parts["word/document.xml"])
        bullets = 0
        for num_pr in body.iter(f"{W}numPr"):
            level = there(num_pr.find(f"{W}ilvl")).get(f"{W}val")
            definition = nums[there(num_pr.find(f"{W}numId")).get(f"{W}val")]
            lvl = next(x for x in definition.iter(f"{W}lvl") if x.get(f"{W}ilvl") == level)
            assert there(lvl.find(f"{W}numFmt")).get(f"{W}val") == "bullet", o.file
            bullets += 1
        labels = sum(1 for _, bs in o.sections for b in _walk(bs) if not b.text.strip())
        assert bullets == o.count() + labels, o.file


def _walk(bullets):
    for b in bullets:
        yield b
        yield from _walk(b.children)


def test_excel_rows_are_the_updates(outlines):
    from openpyxl import load_workbook

    for o in (o for o in outlines if o.file.endswith(".xlsx")):
        book = load_workbook(INPUTS / o.file, read_only=True)
        try:  # a read-only workbook keeps its file open until closed
            rows = [r for r in book["Updates"].iter_rows(values_only=True) if any(v is not None for v in r)]
        finally:
            book.close()
        names = ("Priority", "Commitment", "District", "Level", "Update")
        header = next(i for i, r in enumerate(rows) if r[:5] == names)
        data = rows[header + 1 :]
        assert len(data) == o.count(), o.file
        assert all(isinstance(r[0], int) and r[3] in (1, 2, 3) and r[4] for r in data), o.file


# --- the golden merged outline --------------------------------------------------


def test_golden_round_trips(golden):
    assert dump(golden) == GOLDEN.read_text(encoding="utf-8")


def test_golden_follows_the_plan(golden, plan):
    assert [(p.number, p.title, p.lead_in) for p in golden.priorities] == [
        (p.number, p.title, p.lead_in) for p in plan.priorities
    ]
    for got, want in zip(golden.priorities, plan.priorities, strict=True):
        assert [(c.id, c.text) for c in got.commitments] == [(c.id, c.text) for c in want.commitments]
        assert all(c.blocks for c in got.commitments)


def test_golden_has_the_93_reference_updates(golden):
    items = list(_golden_items(golden))
    labels = {item.label for _, item, _ in items if item.label}
    texts = Counter(item.text for _, item, _ in items if item.text.strip())
    reference = _reference_updates(labels)
    assert sum(texts.values()) == UPDATES
    assert texts == Counter(text for _, text in reference)
    # a label the reference writes inline ("Thurrock: A vulnerable…") is the item's label
    by_text = {item.text: item.label for _, item, _ in items if item.text.strip()}
    for label, text in reference:
        if label:
            assert by_text[text] == label, text


def test_golden_labels_are_areas_and_places(golden, plan):
    shown = {a.name for a in plan.areas if a.show == "label"}
    for _, item, depth in _golden_items(golden):
        if item.label and depth == 0:
            assert item.label in shown
        elif item.label:
            for part in item.label.split(" and "):
                known = plan.district_of(part) or part in ("Tending", "Saffron Waldon")
                assert known, item.label


def test_golden_subheadings_are_the_departments_that_use_them(golden, plan):
    displays = {a.display for a in plan.areas if a.show == "subheading"}
    seen = [b.text for p in golden.priorities for c in p.commitments for b in c.blocks
            if isinstance(b, SubHeading)]
    assert sorted(seen) == sorted(displays)
