"""Parts joined into one tagged PDF: pages in order, one structure tree that reaches
every marked-content sequence, links across parts, bookmarks, reproducible bytes."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
import weasyprint
from pypdf import PdfReader

from assemble.writers.pdf.join import join

from ..present import there


def part(prefix: str, pages: int, *, link: str | None = None, first: int = 1, stub: str | None = None,
         numbered: bool = True) -> bytes:
    front = f'<p><a href="#{link}">to {link}</a></p>' if link else ""
    anchor = f'<span id="{stub}"></span>' if stub else ""
    sections = "".join(
        f'<section style="break-before: page"><h1 id="{prefix}-{i}">Heading {prefix} {i}</h1>'
        f"<p>Text of {prefix} {i}</p>{front if i == 0 else ''}{anchor if i == 0 else ''}"
        "<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul></section>"
        for i in range(pages))
    number = "counter(page)" if numbered else "none"
    html = (f'<html lang="en-GB"><head><title>Joined</title><style>@page {{ @bottom-right {{ content: '
            f'{number} }} }} @page :first {{ counter-reset: page {first} }}</style></head>'
            f"<body>{sections}</body></html>")
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=True)


@pytest.fixture(scope="module")
def joined(tmp_path_factory):
    path = tmp_path_factory.mktemp("join") / "joined.pdf"
    parts = [part("a", 1, link="b-1", stub="b-1"), part("b", 3, first=2), part("c", 2, first=5)]
    join(parts, path)
    return path, parts


def structure(pdf: pikepdf.Pdf):
    """(elements, marked content references (page objgen, mcid), object references) under the tree."""
    elements, mcrs, objrs = [], [], []

    def walk(node, page=None):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid, page)
        elif isinstance(node, pikepdf.Dictionary):
            kind = node.get("/Type")
            if kind == "/MCR":
                mcrs.append(((node.get("/Pg") or page).objgen, int(node.MCID)))
                return
            if kind == "/OBJR":
                objrs.append(node.Obj.objgen)
                return
            elements.append(node)
            if node.get("/K") is not None:
                walk(node.K, node.get("/Pg", page))
        elif isinstance(node, int):
            mcrs.append((page.objgen, int(node)))

    walk(pdf.Root.StructTreeRoot.K)
    return elements, mcrs, objrs


def test_pages_in_order_with_their_numbers(joined):
    path, _ = joined
    texts = [page.extract_text() for page in PdfReader(path).pages]
    assert len(texts) == 6
    headings = [there(re.search(r"Heading (\w \d)", t)).group(1) for t in texts]
    assert headings == ["a 0", "b 0", "b 1", "b 2", "c 0", "c 1"]
    assert [t.strip().split()[-1] for t in texts] == ["1", "2", "3", "4", "5", "6"]


def reachable(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """(page index, marked-content id) of every sequence the structure tree reaches."""
    index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    return {(index[objgen], mcid) for objgen, mcid in structure(pdf)[1]}


def test_what_each_part_reaches_the_joined_tree_reaches(joined):
    path, parts = joined
    pdf = pikepdf.open(path)
    root = pdf.Root.StructTreeRoot
    assert isinstance(root.K, pikepdf.Array) and len(root.K) == 1 and root.K[0].S == "/Document"
    expected, start = set(), 0
    for data in parts:
        each = pikepdf.open(io.BytesIO(data))
        expected |= {(start + page, mcid) for page, mcid in reachable(each)}
        start += len(each.pages)
    assert reachable(pdf) == expected and len(expected) > 30
    elements = structure(pdf)[0]
    pages = {p.obj.objgen for p in pdf.pages}
    assert all(e.get("/Pg") is None or e.Pg.objgen in pages for e in elements)
    headings = [e for e in elements if e.S == "/H1"]
    known = {e.objgen for e in elements}
    assert len(headings) == 6 and all(h.P.objgen in known for h in headings)
    # the ParentTree leads from each page's marked content back to the element holding it
    nums = root.ParentTree.Nums
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert len(tree) == len(nums) // 2  # no key given twice
    for page_index, mcid in reachable(pdf):
        page = pdf.pages[page_index].obj
        assert tree[int(page.StructParents)][mcid].objgen in known


def test_a_link_in_one_part_leads_to_its_anchor_in_another(joined):
    path, _ = joined
    pdf = pikepdf.open(path)
    [link] = [a for a in pdf.pages[0].obj.Annots if a.Subtype == "/Link"]
    dests = dict(zip(map(str, pdf.Root.Names.Dests.Names[::2]), pdf.Root.Names.Dests.Names[1::2], strict=True))
    target = dests[str(link.Dest)]
    assert target[0].objgen == pdf.pages[2].obj.objgen  # "b-1", the third page, not the stub on the first
    _, _, objrs = structure(pdf)
    assert link.objgen in objrs  # the annotation is still reached from the tree


def _page_of(item: pikepdf.OutlineItem) -> tuple[int, int]:
    """The page object a bookmark's explicit destination, [page /XYZ left top zoom], leads to."""
    assert isinstance(item.destination, pikepdf.Array), item.destination
    return item.destination[0].objgen


def test_the_bookmarks_of_every_part_lead_to_their_pages(joined):
    path, _ = joined
    pdf = pikepdf.open(path)
    with pdf.open_outline() as outline:
        items = [(str(i.title), _page_of(i)) for i in outline.root]
    assert [t for t, _ in items] == ["Heading a 0", "Heading b 0", "Heading b 1", "Heading b 2", "Heading c 0",
                                     "Heading c 1"]
    assert [d for _, d in items] == [p.obj.objgen for p in pdf.pages]


def test_the_same_parts_give_the_same_bytes(joined, tmp_path):
    path, parts = joined
    again = tmp_path / "again.pdf"
    join(parts, again)
    assert again.read_bytes() == path.read_bytes()
    assert there(PdfReader(io.BytesIO(again.read_bytes())).metadata).title == "Joined"


def test_nothing_to_join():
    with pytest.raises(ValueError):
        join([], None)  # type: ignore[arg-type]


# --- page numbers stamped on ----------------------------------------------------------------


def sheets(first: int, count: int) -> bytes:
    html = (f'<html><head><style>@page {{ @bottom-right {{ content: counter(page) }} }} '
            f'@page :first {{ counter-reset: page {first} }} .s + .s {{ break-before: page }}</style></head>'
            f"<body>{'<div class=s></div>' * count}</body></html>")
    return weasyprint.HTML(string=html).write_pdf()


def test_stamped_numbers_are_artifacts_in_each_page_s_own_content(tmp_path):
    from assemble.writers.pdf.join import joined, stamp

    with joined([part("a", 1, numbered=False), part("b", 3, numbered=False)]) as pdf:
        stamp(pdf, sheets(7, 3), range(1, 4))
        stamp(pdf, sheets(1, 1), range(1, 4), repeat=True, under=True, prefix="Fu")  # a "1" beneath, on each
        pdf.save(tmp_path / "stamped.pdf", deterministic_id=True)
    reader = PdfReader(tmp_path / "stamped.pdf")
    texts = [p.extract_text(extraction_mode="layout") for p in reader.pages]
    assert [t.split()[-1] for t in texts[1:]] == ["17", "18", "19"]  # in the page's own content, "1" beneath
    assert texts[0].split()[-1] == "nested"  # a page before `first` is left alone: its list ends it
    assert "Heading b 0" in texts[1]
    with pikepdf.open(tmp_path / "stamped.pdf") as pdf:
        page = pdf.pages[1].obj
        data = b"".join(s.read_bytes() for s in page.Contents)
        assert data.startswith(b"/Artifact <</Type /Pagination>> BDC")  # what is beneath comes first
        tail = data[data.rindex(b"/Artifact"):]
        assert tail.startswith(b"/Artifact <</Type /Pagination>> BDC")
        assert b"\nEMC\n" in tail
        used = set(re.findall(rb"/(Pn[^\s/\[\]<>()]*)", tail))
        named = {str(name)[1:].encode() for kind in page.Resources.values()
                 if isinstance(kind, pikepdf.Dictionary) for name in kind}
        assert used and used <= named  # the sheet's resources, under names of their own
