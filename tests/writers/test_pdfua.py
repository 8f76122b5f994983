"""The PDF/UA pass (assemble/writers/pdf/pdfua.py), on small documents the engine lays out
here, and the sample's draft and released PDFs checked rule by rule (tests/pdfua_rules.py)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import weasyprint

from assemble import TEMPLATES
from assemble.model import Item, SubHeading
from assemble.writers.pdf import pdfua

from .. import pdfua_rules as rules
from ..present import there

STYLE = """
@page { size: A6; margin: 15mm 8mm; @top-center { content: "OFFICIAL"; } @bottom-right { content: counter(page); } }
html { font: 10pt "Liberation Sans"; } p, li { margin: 0; } ul { margin: 0; }
"""


def finished(tmp_path: Path, body: str, descriptions: dict[str, str] | None = None) -> rules.Pdf:
    html = f'<html lang="en-GB"><head><title>T</title><style>{STYLE}</style></head><body>{body}</body></html>'
    data = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + "/").render().write_pdf(
        pdf_variant="pdf/ua-1")
    path = tmp_path / "out.pdf"
    pdfua.finish(data, path, descriptions=descriptions or {})
    return rules.read(path)


def kinds(node: rules.Node) -> str:
    """The tree as text: "L(LI(Lbl,LBody(P,L(LI(Lbl,LBody(P))))))"; Spans and NonStruct left out."""
    inner = ",".join(kinds(k) for k in node.kids if k.kind not in ("Span", "NonStruct"))
    return f"{node.kind}({inner})" if inner else node.kind


LONG = " ".join(f"word{n}" for n in range(60))


def test_page_margins_become_artifacts_and_the_body_stays_tagged(tmp_path):
    doc = finished(tmp_path, "<p>Body text.</p>")
    assert rules.all_rules(doc) == []
    assert doc.reading() == "Body text."
    assert "OFFICIAL" in doc.artifact_text[0] and "1" in doc.artifact_text[0]


def test_article_is_drawn_but_not_read(tmp_path):
    doc = finished(tmp_path, "<p>Read.</p><article><p>Shown, not read.</p><ul><li>Nor this.</li></ul></article>")
    assert rules.all_rules(doc) == []
    assert doc.reading() == "Read."
    assert "Shown, not read." in doc.artifact_text[0] and "Nor this." in doc.artifact_text[0]
    assert "Art" not in {n.kind for n in doc.elements}


def test_lists_have_bodies_and_sub_lists_sit_in_them(tmp_path):
    doc = finished(tmp_path, "<ul><li><p>One</p><ul><li><p>One.one</p></li></ul></li><li><p>Two</p></li></ul>")
    assert rules.check_lists(doc) == []
    (top,) = [n for n in doc.elements if n.kind == "L" and there(n.parent).kind != "LBody"]
    assert kinds(top) == "L(LI(Lbl,LBody(P,L(LI(Lbl,LBody(P))))),LI(Lbl,LBody(P)))"


def test_a_list_and_an_item_cut_by_a_page_break_are_one_again(tmp_path):
    items = "".join(f"<li><p>Item {n} {LONG}</p></li>" for n in range(3))
    doc = finished(tmp_path, f"<section><h1>Head</h1><ul><li><p>Group</p><ul>{items}</ul></li></ul></section>")
    assert len(doc.pdf.pages) > 1
    assert rules.all_rules(doc) == []
    lists = [n for n in doc.elements if n.kind == "L"]
    assert len(lists) == 2  # the outer list and the group's, each once, across the pages
    (outer,) = [n for n in lists if there(n.parent).kind == "Sect"]
    (group,) = outer.kids  # one item, its label on the first page, its items on both
    assert [k.kind for k in group.kids] == ["Lbl", "LBody"]
    assert len([n for n in group.walk() if n.kind == "LI"]) == 4
    assert [n.kind for n in doc.elements if n.kind == "Sect"] == ["Sect"]


def test_a_new_section_on_the_next_page_is_not_joined_to_the_one_before(tmp_path):
    body = "".join(f'<section style="break-before: page"><h1>Part {n}</h1><p>Text {n}</p></section>' for n in range(2))
    doc = finished(tmp_path, body)
    assert [kinds(n) for n in doc.root.kids] == ["Sect(H1,P)", "Sect(H1,P)"]


def test_words_ending_a_line_keep_their_space(tmp_path):
    doc = finished(tmp_path, f"<p>{LONG}</p><p>{'drug-related ' * 30}</p>")
    words = doc.reading().split()
    assert words[:60] == [f"word{n}" for n in range(60)]
    assert words[60:] == ["drug-related"] * 30  # a line broken after a hyphen stays one word
    assert rules.all_rules(doc) == []


@pytest.mark.parametrize(("before", "after", "space"), [
    ("the", "police", True),
    ("drug-", "related", False),
    ("family –", "doubling", True),  # a dash standing between words: the line broke at its space
    ("2020–", "21", False),
    ("Parish/", "Town", False),
    ("申請", "番号", False),
    ("end.", "Next", True),
    ("end ", "Next", False),
])
def test_where_a_line_break_stands_for_a_space(before, after, space):
    assert pdfua._wants_space(before, after) is space


def test_links_are_described_and_the_outline_opens(tmp_path):
    doc = finished(tmp_path, '<p><a href="#there">Go there</a></p><h1 id="there">There</h1>',
                   descriptions={"there": "There, page 1"})
    assert rules.all_rules(doc) == []
    ((_, annot),) = rules.link_annotations(doc)
    assert str(annot.Contents) == "There, page 1"
    assert doc.pdf.Root.PageMode == "/UseOutlines"


def test_the_same_input_gives_the_same_bytes(tmp_path):
    html = f'<html lang="en-GB"><head><title>T</title><style>{STYLE}</style></head><body><p>{LONG}</p></body></html>'
    data = weasyprint.HTML(string=html).render().write_pdf(pdf_variant="pdf/ua-1")
    pdfua.finish(data, tmp_path / "a.pdf", descriptions={})
    pdfua.finish(data, tmp_path / "b.pdf", descriptions={})
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


# --- the sample, draft and released ----------------------------------------------------------


@pytest.fixture(scope="module", params=["draft", "released"])
def sample(request, draft_pdf, released_pdf):
    report, pagination, problems, path = draft_pdf if request.param == "draft" else released_pdf
    assert problems == []
    return report, pagination, rules.read(path)


def test_sample_meets_the_machine_checkable_rules(sample):
    _, _, doc = sample
    assert rules.all_rules(doc) == []


def test_sample_headings_are_priorities_and_commitments(sample):
    report, _, doc = sample
    found = [(n.kind, doc.text(n)) for n in rules.headings(doc)]
    expected = [("H1", "Contents")]
    for p in report.priorities:
        expected.append(("H1", p.heading))
        expected += [("H2", c.text) for c in p.commitments]
    assert found == expected
    assert Counter(kind for kind, _ in found) == {"H1": 8, "H2": 12}


def test_sample_priorities_are_sections_of_commitment_sections(sample):
    report, _, doc = sample
    sections = [n for n in doc.root.kids if n.kind == "Sect"][2:]  # after the cover and contents
    assert len(sections) == len(report.priorities)
    for section, priority in zip(sections, report.priorities, strict=True):
        assert [k.kind for k in section.kids] == ["H1", "P"] + ["Sect"] * len(priority.commitments)
        for commitment, sect in zip(priority.commitments, section.kids[2:], strict=True):
            runs = 1 + sum(isinstance(b, SubHeading) and i > 0 for i, b in enumerate(commitment.blocks))
            assert [k.kind for k in sect.kids].count("L") == runs  # one list per run of bullets
            assert sect.kids[0].kind == "H2"


def test_sample_bookmarks_are_priorities_with_their_commitments(sample):
    report, _, doc = sample
    expected = []
    for p in report.priorities:
        expected.append((1, p.heading))
        expected += [(2, c.text) for c in p.commitments]
    assert rules.outline(doc) == expected
    assert doc.pdf.Root.PageMode == "/UseOutlines"


def test_sample_reads_each_update_once_in_order_with_its_spaces(sample):
    report, _, doc = sample
    text = doc.reading()

    def updates(items):
        for item in items:
            if isinstance(item, Item):
                if item.text.strip():
                    yield " ".join(item.text.split())
                yield from updates(item.children)

    position = 0
    for priority in report.priorities:
        for commitment in priority.commitments:
            for update in updates(commitment.blocks):
                assert text.count(update) == 1, update[:60]
                position = text.index(update, position) + len(update)
    assert "thepolice" not in text and "516at" not in text


def test_sample_repeats_are_drawn_but_read_once(sample):
    report, _, doc = sample
    text = doc.reading()
    assert text.startswith("OFFICIAL Police and Crime Plan 2016-2020")  # the marking, once, on the cover
    assert text.count("OFFICIAL") == 1 and "DRAFT" not in text
    for p in report.priorities:
        assert text.count(p.heading) == 2  # in the contents and as its heading
        for c in p.commitments:
            assert text.count(c.text) == 1
    assert "(continued)" not in text
    assert "North LPA: (continued)" in doc.artifact_text[6]  # page 7 opens inside North LPA's districts
    for n in (6, 12):  # pages 7 and 13 go on with the commitment of the page before
        assert "Priority" in doc.artifact_text[n] and "we will:" in doc.artifact_text[n]


def test_sample_contents_entries_are_one_described_link_each(sample):
    report, _, doc = sample
    links = rules.link_annotations(doc)
    assert [page for page, _ in links] == [1] * len(report.priorities)
    descriptions = [str(a.Contents) for _, a in links]
    assert descriptions[1] == "Priority 2 – Crack Down on Anti-social Behaviour, pages 6 to 7"
    assert descriptions[2] == "Priority 3 – Breaking the Cycle of Domestic Abuse, page 8"
    link_elements = [n for n in doc.elements if n.kind == "Link"]
    assert len(link_elements) == len(links) and all(len(n.annots) == 1 for n in link_elements)


def test_sample_title_says_draft_only_for_a_draft(sample):
    report, _, doc = sample
    expected = ("DRAFT: " if report.meta.draft else "") + report.meta.title
    assert rules.title(doc) == expected == str(doc.pdf.docinfo.Title)
    assert re.search(r"pdfuaid:part(>|=\")1", rules.xmp(doc))


def test_sample_keeps_its_pages(sample):
    _, pagination, doc = sample
    assert len(doc.pdf.pages) == pagination.pages == 16
    assert all(page.obj.get("/Tabs") == "/S" for page in doc.pdf.pages)
