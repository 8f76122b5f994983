"""PDF/UA-1's machine-checkable rules, as the tests check them: a walk over a PDF's
structure tree and content streams with pikepdf, written apart from the writer's own
pass (assemble/writers/pdf/pdfua.py) so that neither can hide the other's mistakes.

Each ``check_*`` returns what breaks its rule (empty when it holds), naming the
Matterhorn Protocol checkpoint: 01-005 and 18-001 (content is tagged or an artifact),
09-004 (tables), 09-005 (lists), 14-002/14-003 (headings), 28-004 (annotations
described), 28-011 (links in Link elements), 06-002/07-001 (title, PDF/UA
identifier), 11-001 (language).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "EI"}
TEXT = {"Tj", "TJ", "'", '"'}
STANDARD = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct",
    "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH",
    "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link",
    "Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}  # fmt: skip  (ISO 32000-1, 14.8.4)
TABLE_TYPES = {"Table", "TR", "TH", "TD", "THead", "TBody", "TFoot"}


@dataclass(eq=False)
class Node:
    """A structure element as read: its type, page, kids (elements, MCIDs, annotations)."""

    kind: str
    obj: pikepdf.Object
    parent: Node | None
    page: int | None
    kids: list[Node] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page, mcid), in order with `order`
    annots: list[pikepdf.Object] = field(default_factory=list)
    order: list[object] = field(default_factory=list)  # kids, (page, mcid) and annotations as they stand

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


@dataclass
class Pdf:
    """A PDF read for checking: its tree, every page's marked content and text."""

    pdf: pikepdf.Pdf
    root: Node
    content: list[dict[int, str]]  # per page: MCID -> the text it shows
    artifact_text: list[str]  # per page: the text shown inside artifacts
    untagged: list[str]  # painting operators neither tagged nor artifacts ("page 3: TJ")
    artifact_mcids: list[str]  # MCIDs used inside artifacts

    @property
    def elements(self) -> list[Node]:
        return list(self.root.walk())

    def text(self, node: Node) -> str:
        """The tagged text of a node: its content in tree order, nothing added."""
        out = []
        for item in node.order:
            if isinstance(item, Node):
                out.append(self.text(item))
            elif isinstance(item, tuple):
                out.append(self.content[item[0]].get(item[1], ""))
        return "".join(out)

    def reading(self, blocks: tuple[str, ...] = ("P", "H1", "H2", "H3", "Lbl", "Link", "Span")) -> str:
        """All tagged text, a space between block elements (as a reader pauses), none inside one."""
        out: list[str] = []

        def walk(node: Node) -> None:
            if node.kind in blocks and node.kind != "Span":
                out.append(self.text(node))
                return
            for item in node.order:
                if isinstance(item, Node):
                    walk(item)
                elif isinstance(item, tuple):
                    out.append(self.content[item[0]].get(item[1], ""))

        walk(self.root)
        return " ".join(" ".join(out).split())


def read(path) -> Pdf:
    pdf = pikepdf.open(path)
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    top = pdf.Root.StructTreeRoot.K
    top = top[0] if isinstance(top, pikepdf.Array) else top
    root = _node(top, None, pages, None)
    content, artifact_text, untagged, artifact_mcids = [], [], [], []
    for n, page in enumerate(pdf.pages):
        shown, drawn, bad, misused = _page_content(page, n)
        content.append(shown)
        artifact_text.append(drawn)
        untagged += bad
        artifact_mcids += misused
    return Pdf(pdf, root, content, artifact_text, untagged, artifact_mcids)


def _node(obj, parent, pages, page) -> Node:
    if "/Pg" in obj:
        page = pages[obj.Pg.objgen]
    node = Node(str(obj.S)[1:], obj, parent, page)
    kids = obj.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
        if isinstance(kid, int):
            node.mcids.append((page, int(kid)))
            node.order.append((page, int(kid)))
        elif kid.get("/Type") == "/MCR":
            ref = (pages[kid.Pg.objgen] if "/Pg" in kid else page, int(kid.MCID))
            node.mcids.append(ref)
            node.order.append(ref)
        elif kid.get("/Type") == "/OBJR":
            node.annots.append(kid.Obj)
            node.order.append(kid.Obj)
        else:
            child = _node(kid, node, pages, page)
            node.kids.append(child)
            node.order.append(child)
    return node


# --- content streams, decoded with each font's ToUnicode ------------------------------------


def _cmap(font) -> dict[bytes, str]:
    if "/ToUnicode" not in font:
        return {}
    data = font.ToUnicode.read_bytes().decode("latin-1")
    out = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        pairs = re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block)
        for code, text in pairs:
            out[bytes.fromhex(code)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            first = bytes.fromhex(text).decode("utf-16-be")
            for n in range(int(low, 16), int(high, 16) + 1):
                out[n.to_bytes(len(low) // 2, "big")] = first[:-1] + chr(ord(first[-1]) + n - int(low, 16))
    return out


def _page_content(page, number: int) -> tuple[dict[int, str], str, list[str], list[str]]:
    fonts = {str(k): _cmap(v) for k, v in page.obj.Resources.get("/Font", {}).items()}
    stack: list[tuple[str, int | None]] = []  # (tag, mcid)
    shown: dict[int, str] = {}
    drawn: list[str] = []
    untagged: list[str] = []
    misused: list[str] = []
    font: dict[bytes, str] = {}
    for instruction in pikepdf.parse_content_stream(page):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "BDC":
            props = operands[1]
            mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
            stack.append((str(operands[0])[1:], mcid))
            if mcid is not None and any(tag == "Artifact" for tag, _ in stack):
                misused.append(f"page {number + 1}: MCID {mcid} inside an artifact")
            if mcid is not None:
                shown.setdefault(mcid, "")
        elif op == "BMC":
            stack.append((str(operands[0])[1:], None))
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            font = fonts.get(str(operands[0]), {})
        if op not in PAINTING:
            continue
        artifact = any(tag == "Artifact" for tag, _ in stack)
        mcid = next((m for _, m in reversed(stack) if m is not None), None)
        if not artifact and mcid is None:
            untagged.append(f"page {number + 1}: {op}")
        if op in TEXT:
            text = _decode(operands, font)
            if artifact:
                drawn.append(text)
            elif mcid is not None:
                shown[mcid] += text
    return shown, " ".join(" ".join(drawn).split()), untagged, misused


def _decode(operands, font: dict[bytes, str]) -> str:
    width = 2 if any(len(k) == 2 for k in font) else 1
    out = []
    for operand in operands:
        items = operand if isinstance(operand, pikepdf.Array) else [operand]
        for item in items:
            if isinstance(item, pikepdf.String):
                raw = bytes(item)
                out += [font.get(raw[i:i + width], "\ufffd") for i in range(0, len(raw), width)]
    return "".join(out)


# --- the rules ----------------------------------------------------------------------------


def check_tagged_or_artifact(doc: Pdf) -> list[str]:
    """01-005, 18-001: all content is tagged from the tree or an artifact; no MCID is orphaned."""
    reachable = {ref for node in doc.elements for ref in node.mcids}
    problems = [f"01-005 untagged content: {u}" for u in doc.untagged]
    problems += [f"18-001 {m}" for m in doc.artifact_mcids]
    for n, shown in enumerate(doc.content):
        for mcid in shown:
            if (n, mcid) not in reachable:
                problems.append(f"01-005 page {n + 1}: MCID {mcid} is reachable from nothing in the tree")
    problems += _parent_tree(doc, reachable)
    return problems


def _parent_tree(doc: Pdf, reachable: set[tuple[int, int]]) -> list[str]:
    """Every MCID's ParentTree entry is the element holding it; every annotation's too."""
    nums = _number_tree(doc.pdf.Root.StructTreeRoot.ParentTree)
    holder = {ref: node.obj.objgen for node in doc.elements for ref in node.mcids}
    problems = []
    for n, page in enumerate(doc.pdf.pages):
        entries = nums.get(int(page.obj.StructParents))
        for mcid in doc.content[n]:
            got = entries[mcid] if entries is not None and mcid < len(entries) else None
            if (n, mcid) in reachable and (got is None or got.objgen != holder[(n, mcid)]):
                problems.append(f"page {n + 1}: MCID {mcid} has the wrong ParentTree entry")
    for node in doc.elements:
        for annot in node.annots:
            got = nums.get(int(annot.get("/StructParent", -1)))
            if got is None or got.objgen != node.obj.objgen:
                problems.append(f"an annotation of a {node.kind} has the wrong StructParent")
    return problems


def _number_tree(tree) -> dict[int, pikepdf.Object]:
    out = {}
    if "/Nums" in tree:
        nums = list(tree.Nums)
        out.update({int(k): v for k, v in zip(nums[::2], nums[1::2], strict=True)})
    for kid in tree.get("/Kids", []):
        out.update(_number_tree(kid))
    return out


def check_standard_types(doc: Pdf) -> list[str]:
    role_map = doc.pdf.Root.StructTreeRoot.get("/RoleMap", pikepdf.Dictionary())
    return [f"02-001 non-standard structure type {node.kind}" for node in doc.elements
            if node.kind not in STANDARD and f"/{node.kind}" not in role_map]


def check_tables(doc: Pdf) -> list[str]:
    """09-004: table structure is only for tables; a layout has none at all."""
    return [f"09-004 {node.kind} in a layout" for node in doc.elements if node.kind in TABLE_TYPES]


def check_lists(doc: Pdf) -> list[str]:
    """09-005: L holds LI (or Caption); LI holds Lbl and one LBody; sub-lists sit in an LBody."""
    problems = []
    for node in doc.elements:
        kinds = [k.kind for k in node.kids]
        parent = node.parent.kind if node.parent else None
        if node.kind == "L":
            if not kinds or set(kinds) - {"LI", "Caption"} or node.mcids:
                problems.append(f"09-005 L holds {kinds}")
            if parent not in (None, "LBody") and parent in ("L", "LI"):
                problems.append(f"09-005 a list inside {parent}")
        elif node.kind == "LI":
            if parent != "L" or kinds.count("LBody") != 1 or set(kinds) - {"Lbl", "LBody"} or node.mcids:
                problems.append(f"09-005 LI (in {parent}) holds {kinds}")
        elif node.kind in ("Lbl", "LBody") and parent != "LI":
            problems.append(f"09-005 {node.kind} in {parent}")
        if node.kind == "LBody" and not node.kids and not node.mcids:
            problems.append("09-005 an empty LBody")
    return problems


def headings(doc: Pdf) -> list[Node]:
    return [node for node in doc.elements if re.fullmatch(r"H[1-6]", node.kind)]


def check_headings(doc: Pdf) -> list[str]:
    """14-002: the first heading is H1; 14-003: no level is skipped going down."""
    levels = [int(node.kind[1]) for node in headings(doc)]
    problems = [] if levels[:1] in ([], [1]) else [f"14-002 the first heading is H{levels[0]}"]
    problems += [f"14-003 H{b} follows H{a}" for a, b in itertools.pairwise(levels) if b > a + 1]
    return problems


def link_annotations(doc: Pdf) -> list[tuple[int, pikepdf.Object]]:
    return [(n, a) for n, page in enumerate(doc.pdf.pages) for a in page.obj.get("/Annots", [])
            if a.get("/Subtype") == "/Link"]


def check_annotations(doc: Pdf) -> list[str]:
    """28-004: every annotation has a description (/Contents); 28-011: every link is in a Link
    element; pages with annotations tab in structure order (/Tabs /S)."""
    in_links = {a.objgen for node in doc.elements if node.kind == "Link" for a in node.annots}
    anywhere = {a.objgen for node in doc.elements for a in node.annots}
    problems = []
    for n, annot in link_annotations(doc):
        if not str(annot.get("/Contents", "")).strip():
            problems.append(f"28-004 page {n + 1}: a link without /Contents")
        if annot.objgen not in in_links:
            problems.append(f"28-011 page {n + 1}: a link " + ("in another element" if annot.objgen in anywhere
                                                                else "in no element"))
    for n, page in enumerate(doc.pdf.pages):
        if "/Annots" in page.obj and page.obj.get("/Tabs") != "/S":
            problems.append(f"28-? page {n + 1} has annotations but no /Tabs /S")
    return problems


def xmp(doc: Pdf) -> str:
    return doc.pdf.Root.Metadata.read_bytes().decode("utf-8")


def title(doc: Pdf) -> str:
    found = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp(doc), re.S)
    return found.group(1) if found else ""


def check_title_and_language(doc: Pdf, lang: str = "en-GB") -> list[str]:
    """06-002: PDF/UA identifier; 06-003: dc:title; 07-001: DisplayDocTitle; 11-001: /Lang."""
    problems = []
    if not re.search(r"pdfuaid:part(>|=\")1", xmp(doc)):
        problems.append("06-002 no PDF/UA identifier in the XMP metadata")
    if not title(doc).strip():
        problems.append("06-003 no dc:title")
    # pikepdf gives a PDF boolean as Python's True or False; its stubs type what get() finds as Object
    prefs = doc.pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
    if prefs.get("/DisplayDocTitle") is not True:  # type: ignore[comparison-overlap]
        problems.append("07-001 DisplayDocTitle is not true")
    if str(doc.pdf.Root.get("/Lang", "")) != lang:
        problems.append(f"11-001 /Lang is {doc.pdf.Root.get('/Lang')!r}, not {lang!r}")
    if doc.pdf.Root.get("/MarkInfo", pikepdf.Dictionary()).get("/Marked") is not True:  # type: ignore[comparison-overlap]
        problems.append("01-002 MarkInfo /Marked is not true")
    return problems


def all_rules(doc: Pdf) -> list[str]:
    return (check_tagged_or_artifact(doc) + check_standard_types(doc) + check_tables(doc) + check_lists(doc)
            + check_headings(doc) + check_annotations(doc) + check_title_and_language(doc))


def outline(doc: Pdf) -> list[tuple[int, str]]:
    """The bookmarks: (level, title) in order."""
    out: list[tuple[int, str]] = []

    def walk(item, level: int) -> None:
        while item is not None:
            out.append((level, str(item.Title)))
            if "/First" in item:
                walk(item.First, level + 1)
            item = item.get("/Next")

    outlines = doc.pdf.Root.get("/Outlines")
    if outlines is not None and "/First" in outlines:
        walk(outlines.First, 1)
    return out
