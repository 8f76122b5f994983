"""Finish the layout engine's tagged PDF so that it meets PDF/UA-1's machine-checkable
rules (the Matterhorn Protocol's checkpoints 01-005, 09-004, 09-005, 14-003, 18-001,
28-004, 28-011, title and language).

WeasyPrint 70 tags what the HTML says, one page at a time, and leaves this pass to
put right what it does not do (the pdf writer's HTML is written for it):

- Page furniture. What stands in page margins (running header, markings, page
  number, DRAFT) is tagged with structure elements that nothing reaches
  (WeasyPrint#1836): neither content nor artifact. It becomes an Artifact.
- Drawn, not read. Everything inside an ``<article>`` (tagged Art), which the
  template uses for that alone (a priority heading repeated on a commitment's
  page, the block a continuation page repeats, "(continued)" labels): Artifacts.
- Page breaks. An element a page break cuts is one element per page; the pieces
  are joined again. A piece goes on from the element before it unless it opens as
  a new one does: a section with its heading, a list item with its label (Lbl).
- Spans. The engine wraps every run of text in a Span of its own; one that holds
  nothing but that text and says nothing of itself is left out, its text its
  parent's (half the elements of the tree, and of its memory).
- Lists. L > LI > (Lbl, LBody), with a sub-list inside its item's LBody (the
  engine hangs it on the outer list) and no item without a body.
- Spaces. A word ending a line is followed by its space in the text, so that
  text-to-speech and copying do not run "grow the|police" into "thepolice".
  The space is drawn (invisibly) at the line's end, unless the line ends in a
  hyphen or dash joined to its word, or between characters of East Asian scripts.
- Links. Each annotation's /Contents says where it leads (`descriptions`, by
  destination name); the document opens with its outline shown (PageMode).

The structure tree and its ParentTree are written anew; the content streams change
only where an artifact or a space is marked. Same input, same bytes.
"""

from __future__ import annotations

import io
import itertools
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

ARTIFACT = "Art"  # what the HTML's <article> is tagged as
OPENERS = {"Sect": ("H1", "H2", "H3", "H4", "H5", "H6"), "LI": ("Lbl",)}  # a piece opening so is new
JOINED = {"Sect", "Div", "Part", "L", "LI", "LBody", "P", "NonStruct", "Document"}  # kinds a page break cuts
BLOCKS = {"P", "H1", "H2", "H3", "H4", "H5", "H6", "Link", "Lbl", "Caption"}  # whose lines may lose spaces
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015/\u00ad"  # a line may break after these, inside a word
SHOW = {"Tj", "TJ", "'", '"'}


# --- the tree --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Content:
    """A marked-content sequence: page index and MCID."""

    page: int
    mcid: int


@dataclass(frozen=True, slots=True)
class Annotation:
    page: int
    obj: pikepdf.Object


@dataclass(eq=False, slots=True)
class Elem:
    """A structure element; `source` is the engine's, whose other entries (/A, /Alt) are kept."""

    kind: str
    kids: list[Elem | Content | Annotation] = field(default_factory=list)
    page: int | None = None
    source: Any = None  # a pikepdf dictionary
    _span: tuple[int, int] | None = field(default=None, repr=False)  # (first, last) page, once asked

    def span(self) -> tuple[int, int] | None:
        """The first and last page of what it holds (cached: `changed()` forgets it)."""
        if self._span is None:
            own = [c.page for c in self.kids if isinstance(c, Content | Annotation)]
            spans = [s for k in self.kids if isinstance(k, Elem) and (s := k.span()) is not None]
            firsts = own + [s[0] for s in spans]
            lasts = own + [s[1] for s in spans]
            self._span = (min(firsts), max(lasts)) if firsts else None
        return self._span

    def changed(self) -> None:
        self._span = None

    def contents(self) -> Iterator[Content]:
        for kid in self.kids:
            if isinstance(kid, Content):
                yield kid
            elif isinstance(kid, Elem):
                yield from kid.contents()

    def elements(self) -> Iterator[Elem]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Elem):
                yield from kid.elements()



def finish(data: bytes, path: Path, *, descriptions: dict[str, str]) -> None:
    """Write the finished PDF to `path`."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        finish_pdf(pdf, descriptions)
        save(pdf, path)


def save(pdf: pikepdf.Pdf, path: Path) -> None:
    """Write a finished PDF: compressed, its /ID from its content (reproducible)."""
    pdf.save(path, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)


def finish_pdf(pdf: pikepdf.Pdf, descriptions: dict[str, str]) -> None:
    """Everything this module does, on an open PDF."""
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    root = pdf.Root.StructTreeRoot
    document = _read(root.K[0] if isinstance(root.K, Array) else root.K, pages, None)
    drawn = [c for art in _take(document, ARTIFACT) for c in art.contents()]
    _lists(document)
    document.kids = _stitch(document.kids)
    streams = [_Stream(pdf, page) for page in pdf.pages]
    read = {(c.page, c.mcid) for c in document.contents()}
    for n, stream in enumerate(streams):
        stream.artifacts = {m for m in stream.mcids if (n, m) not in read} | {c.mcid for c in drawn if c.page == n}
    _spaces(document, streams)
    for stream in streams:
        stream.write()
    _write_tree(pdf, root, document)
    _describe_links(pdf, descriptions)
    pdf.Root.PageMode = Name.UseOutlines


def _read(obj: Any, pages: dict[tuple[int, int], int], page: int | None) -> Elem:
    """The engine's structure element `obj` (a pikepdf dictionary) and all below it."""
    kind = sys.intern(str(obj.S)[1:])  # a few kinds, for 90,000 elements at 100x
    if "/Pg" in obj:
        page = pages[obj.Pg.objgen]
    elem = Elem(kind, [], page, obj)
    kids = obj.get("/K")
    for kid in (kids if isinstance(kids, Array) else [] if kids is None else [kids]):
        value: Any = kid  # pikepdf gives integers as int
        if isinstance(value, int):
            elem.kids.append(Content(_known(page), value))
        elif value.get("/Type") == "/MCR":
            elem.kids.append(Content(pages[value.Pg.objgen] if "/Pg" in value else _known(page), int(value.MCID)))
        elif value.get("/Type") == "/OBJR":
            elem.kids.append(Annotation(pages[value.Pg.objgen] if "/Pg" in value else _known(page), value.Obj))
        else:
            child = _read(value, pages, page)
            if _says_nothing(child):
                elem.kids += child.kids
            else:
                elem.kids.append(child)
    return elem


def _says_nothing(elem: Elem) -> bool:
    """A Span that holds only marked content and has nothing of its own to say (no /Lang,
    /ActualText, /Alt...): the engine wraps every run of text in one, half the elements of
    the tree; its text is its parent's, read the same without it."""
    return (elem.kind == "Span" and all(isinstance(kid, Content) for kid in elem.kids)
            and set(elem.source.keys()) <= _BARE)


_BARE = {"/Type", "/S", "/P", "/Pg", "/K"}


def _known(page: int | None) -> int:
    if page is None:
        raise ValueError("marked content with no page")
    return page


def _take(elem: Elem, kind: str) -> list[Elem]:
    """Remove every element of `kind` (with all it holds) from the tree; return them."""
    taken = [k for k in elem.kids if isinstance(k, Elem) and k.kind == kind]
    elem.kids = [k for k in elem.kids if not (isinstance(k, Elem) and k.kind == kind)]
    for kid in elem.kids:
        if isinstance(kid, Elem):
            taken += _take(kid, kind)
    return taken


# --- lists -------------------------------------------------------------------------------


def _lists(elem: Elem) -> None:
    """Every list as L > LI > (Lbl, LBody), sub-lists in their item's body, no empty body."""
    for kid in elem.kids:
        if isinstance(kid, Elem):
            _lists(kid)
    if elem.kind == "LI":
        labels = [k for k in elem.kids if isinstance(k, Elem) and k.kind == "Lbl"]
        rest: list[Elem | Content | Annotation] = []
        for k in elem.kids:
            if isinstance(k, Elem) and k.kind == "LBody":
                rest += k.kids
            elif not (isinstance(k, Elem) and k.kind == "Lbl"):
                rest.append(k)
        body = next((k for k in elem.kids if isinstance(k, Elem) and k.kind == "LBody"), None)
        body = body or Elem("LBody", [], elem.page)
        body.kids = rest
        elem.kids = [*labels, body]
    elif elem.kind == "L":
        kids: list[Elem | Content | Annotation] = []
        for k in elem.kids:
            last = kids[-1] if kids else None
            if isinstance(k, Elem) and k.kind == "L" and isinstance(last, Elem) and last.kind == "LI":
                last.kids[-1].kids.append(k)  # type: ignore[union-attr]  # an LI ends with its LBody
            else:
                kids.append(k)
        elem.kids = kids


# --- joining what page breaks cut -----------------------------------------------------------


def _stitch(kids: list[Elem | Content | Annotation]) -> list[Elem | Content | Annotation]:
    """Join each element to the piece of it that the next page goes on with."""
    out: list[Elem | Content | Annotation] = []
    for kid in kids:
        last = out[-1] if out else None
        if isinstance(last, Elem) and isinstance(kid, Elem) and _goes_on(last, kid):
            _join(last, kid)
        else:
            out.append(kid)
    return out


def _goes_on(before: Elem, piece: Elem) -> bool:
    if before.kind != piece.kind or before.kind not in JOINED:
        return False
    earlier, later = before.span(), piece.span()
    if earlier is None or later is None or later[0] <= earlier[1]:
        return False  # pieces are on pages of their own, one after the other
    first = next((k for k in piece.kids if isinstance(k, Elem)), None)
    return not (first is not None and first.kind in OPENERS.get(piece.kind, ()))


def _join(before: Elem, piece: Elem) -> None:
    junction = len(before.kids)
    before.kids += piece.kids
    before.changed()
    if 0 < junction < len(before.kids):
        a, b = before.kids[junction - 1], before.kids[junction]
        if isinstance(a, Elem) and isinstance(b, Elem) and _goes_on(a, b):
            del before.kids[junction]
            _join(a, b)


# --- content streams --------------------------------------------------------------------

# The operators this pass reads, each ending its line as the engine (pydyf) writes
# them, and their operands just before.
_OPS = re.compile(rb"(BDC|BMC|EMC|Tf|Tm|TJ|Tj)(?=\s|$)")
_PROPS = re.compile(rb"/([^\s/<>\[\]()]+)\s*<<([^<>]*)>>\s*$")
_FONT = re.compile(rb"/([^\s/<>\[\]()]+)\s+([-+.\d]+)\s*$")
_LAST_NUMBER = re.compile(rb"([-+.\deE]+)\s*$")
_MCID = re.compile(rb"/MCID\s+(\d+)")
_STRINGS = re.compile(rb"<([0-9a-fA-F\s]*)>|\(((?:\\.|[^\\)])*)\)")
WINDOW = 160  # bytes before an operator that hold its operands (a TJ's array excepted)


@dataclass(slots=True)
class _Shown:
    """One marked-content sequence: where it starts, its first baseline, its first and last
    text operators (start, end, font, size), and the bytes of each that hold its first
    character and its last two (``text``)."""

    start: tuple[int, int]  # the span of its BDC
    y: float | None = None
    first: tuple[int, int, str, float] | None = None
    last: tuple[int, int, str, float] | None = None
    head: bytes = b""
    tail: bytes = b""


class _Stream:
    """One page's content: the marked-content sequences it holds, and the edits to make.
    The content itself is not held between reading and writing: a page at a time, so
    that memory does not hold every page's content twice over."""

    def __init__(self, pdf: pikepdf.Pdf, page: pikepdf.Page):
        self.page = page
        self.font_objects = _fonts(page)
        self._maps: dict[str, dict[bytes, str]] = {}
        self.shown: dict[int, _Shown] = {}
        self.artifacts: set[int] = set()
        self.spaces: set[int] = set()  # MCIDs whose last text gets a space
        self._pdf = pdf
        self._scan(self._content())

    def _content(self) -> bytes:
        contents = self.page.obj.Contents
        data: bytes = contents.read_bytes() if not isinstance(contents, Array) \
            else b"\n".join(c.read_bytes() for c in contents)
        return data

    @property
    def mcids(self) -> set[int]:
        return set(self.shown)

    def _scan(self, data: bytes) -> None:
        stack: list[int | None] = []
        font, size = "", 0.0
        for m in _OPS.finditer(data):
            op, at = m[1], m.start()
            if op == b"BDC":
                props = _PROPS.search(data, max(0, at - WINDOW), at)
                found = _MCID.search(props[2]) if props else None
                mcid = int(found[1]) if found else None
                stack.append(mcid)
                if mcid is not None and props is not None:
                    self.shown[mcid] = _Shown((props.start(), m.end()))
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC":
                if stack:
                    stack.pop()
            elif op == b"Tf":
                named = _FONT.search(data, max(0, at - WINDOW), at)
                if named:
                    font, size = named[1].decode("latin-1"), float(named[2])
            elif stack and stack[-1] is not None:
                shown = self.shown[stack[-1]]
                if op == b"Tm":
                    if shown.y is None and (number := _LAST_NUMBER.search(data, max(0, at - WINDOW), at)):
                        shown.y = float(number[1])
                else:
                    start = data.rfind(b"[", 0, at) if op == b"TJ" else max(data.rfind(b"<", 0, at),
                                                                               data.rfind(b"(", 0, at))
                    shown.last = (start, m.end(), font, size)
                    if shown.first is None:
                        shown.first = shown.last
        for shown in self.shown.values():
            if shown.first is not None and shown.last is not None:
                segment = data[shown.first[0]:shown.first[1]]
                shown.head = segment[:segment.find(b">", 24) + 1 or len(segment)]
                segment = data[shown.last[0]:shown.last[1]]
                shown.tail = segment[max(0, segment.rfind(b"<", 0, max(0, len(segment) - 24))):]

    def text(self, mcid: int, last: bool) -> str:
        """The first character of a sequence, or its last two."""
        shown = self.shown[mcid]
        show = shown.last if last else shown.first
        if show is None:
            return ""
        mapping = self._map(show[2])
        width = 2 if any(len(code) == 2 for code in mapping) else 1
        if last:
            return "".join(_decode_strings(_STRINGS.findall(shown.tail), mapping, width))[-2:]
        return "".join(_decode_strings(_STRINGS.findall(shown.head), mapping, width))[:1]

    def _map(self, font: str) -> dict[bytes, str]:
        if font not in self._maps:
            obj = self.font_objects.get("/" + font)
            self._maps[font] = _unicode_map(obj) if obj is not None else {}
        return self._maps[font]

    def _space(self, font: str) -> bytes | None:
        return next((code for code, text in self._map(font).items() if text == " "), None)

    def write(self) -> None:
        if not self.artifacts and not self.spaces:
            return
        edits: list[tuple[int, int, bytes]] = []
        for mcid in self.artifacts:
            edits.append((*self.shown[mcid].start, b"/Artifact <</Type /Pagination>> BDC"))
        for mcid in self.spaces:
            last = self.shown[mcid].last
            assert last is not None  # only a sequence that shows text gets a space
            _, end, font, size = last
            code = self._space(font)
            if code is not None:
                edits.append((end, end, b"\n[<" + code.hex().encode() + b">] TJ"))
                continue
            other = next(((f[1:], c) for f in self.font_objects if (c := self._space(f[1:])) is not None), None)
            if other is not None:
                edits.append((end, end, b"\n/%s %s Tf\n[<%s>] TJ\n/%s %s Tf" % (
                    other[0].encode(), _num(size), other[1].hex().encode(), font.encode(), _num(size))))
        pieces, at = [], 0
        data = self._content()
        for start, end, text in sorted(edits):
            pieces += [data[at:start], text]
            at = end
        pieces.append(data[at:])
        contents = self.page.obj.Contents
        if isinstance(contents, pikepdf.Stream) and "/Filter" not in contents:
            contents.write(b"".join(pieces))  # in place: the page's old content is let go
        else:
            self.page.obj.Contents = self._pdf.make_stream(b"".join(pieces))


def _num(value: float) -> bytes:
    return (f"{value:.6f}".rstrip("0").rstrip(".") or "0").encode()


def _fonts(page: pikepdf.Page) -> dict[str, pikepdf.Object]:
    resources = page.obj.get("/Resources")
    fonts = resources.get("/Font") if resources is not None else None
    return {str(name): font for name, font in fonts.items()} if fonts is not None else {}


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9a-fA-F]*)>")


def _unicode_map(font: pikepdf.Object) -> dict[bytes, str]:
    """A font's codes -> the text they stand for, from its ToUnicode CMap."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font.ToUnicode.read_bytes()
    out: dict[bytes, str] = {}
    for block in _BFCHAR.findall(cmap):
        values = _HEX.findall(block)
        for code, text in zip(values[::2], values[1::2], strict=False):
            out[bytes.fromhex(code.decode())] = _utf16(text)
    for block in _BFRANGE.findall(cmap):
        values = _HEX.findall(block)
        for low, high, text in zip(values[::3], values[1::3], values[2::3], strict=False):
            start, end, first = int(low, 16), int(high, 16), _utf16(text)
            width = len(low) // 2
            for n in range(start, min(end, start + 0xFFFF) + 1):
                out[n.to_bytes(width, "big")] = first[:-1] + chr(ord(first[-1]) + n - start) if first else ""
    return out


def _utf16(hexed: bytes) -> str:
    return bytes.fromhex(hexed.decode()).decode("utf-16-be", errors="replace")


def _decode_strings(pieces: list[tuple[bytes, bytes]], mapping: dict[bytes, str], width: int) -> list[str]:
    out = []
    for hexed, literal in pieces:
        raw = bytes.fromhex(hexed.decode()) if hexed or not literal else _literal(literal)
        out += [mapping.get(raw[i:i + width], "") for i in range(0, len(raw), width)]
    return out


def _literal(text: bytes) -> bytes:
    """A literal string's bytes, its escapes undone (ISO 32000-1, 7.3.4.2)."""
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    return re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m[1], 8) & 255]) if m[1][:1].isdigit()
                  else escapes.get(m[1], m[1]), text, flags=re.S)


# --- spaces at line ends ---------------------------------------------------------------------


def _spaces(document: Elem, streams: list[_Stream]) -> None:
    """Mark each sequence that ends a line of a block, without a space, for one."""
    for elem in document.elements():
        if elem.kind not in BLOCKS:
            continue
        seen = [c for c in elem.contents() if c.mcid in streams[c.page].shown]
        for a, b in itertools.pairwise(seen):
            first, then = streams[a.page].shown[a.mcid], streams[b.page].shown[b.mcid]
            new_line = a.page != b.page or (first.y is not None and then.y is not None and abs(first.y - then.y) > 0.5)
            if not new_line or first.first is None or then.first is None:
                continue
            before, after = streams[a.page].text(a.mcid, last=True), streams[b.page].text(b.mcid, last=False)
            if before and after and _wants_space(before, after):
                streams[a.page].spaces.add(a.mcid)


def _wants_space(before: str, after: str) -> bool:
    if before[-1].isspace() or after[0].isspace():
        return False
    if before[-1] in DASHES and len(before) > 1 and not before[-2].isspace():
        return False  # "drug-|related": the line broke inside a word
    return not (_wide(before[-1]) or _wide(after[0]))


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


# --- writing the tree --------------------------------------------------------------------


def _write_tree(pdf: pikepdf.Pdf, root: Any, document: Elem) -> None:
    """The tree as new structure elements, with a ParentTree that maps every MCID and annotation."""
    page_objs = [page.obj for page in pdf.pages]
    per_page: dict[int, dict[int, pikepdf.Object]] = {}
    annotations: list[tuple[pikepdf.Object, pikepdf.Object]] = []

    def write(elem: Elem, parent: pikepdf.Object) -> pikepdf.Object:
        obj = elem.source if elem.source is not None else pdf.make_indirect(Dictionary())
        obj.Type, obj.S, obj.P = Name.StructElem, Name("/" + elem.kind), parent
        span = elem.span()
        page = span[0] if span is not None else elem.page
        if page is not None:
            obj.Pg = page_objs[page]
        elif "/Pg" in obj:
            del obj.Pg
        kids = Array()
        for kid in elem.kids:
            if isinstance(kid, Elem):
                kids.append(write(kid, obj))
            elif isinstance(kid, Content):
                per_page.setdefault(kid.page, {})[kid.mcid] = obj
                kids.append(kid.mcid if kid.page == page else
                            Dictionary(Type=Name.MCR, Pg=page_objs[kid.page], MCID=kid.mcid))
            else:
                annotations.append((kid.obj, obj))
                kids.append(Dictionary(Type=Name.OBJR, Obj=kid.obj, Pg=page_objs[kid.page]))
        obj.K = kids
        return obj

    top = write(document, root)
    nums = Array()
    for n, page in enumerate(pdf.pages):  # keys anew: page n's is n, the annotations' follow
        page.obj.StructParents = n
        mapped = per_page.get(n, {})
        nums.append(n)
        nums.append(pdf.make_indirect(Array([mapped.get(m, None) for m in range(max(mapped, default=-1) + 1)])))
    key = len(pdf.pages)
    for annotation, elem in annotations:
        annotation.StructParent = key
        nums.append(key)
        nums.append(elem)
        key += 1
    root.K = Array([top])
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = key


def _describe_links(pdf: pikepdf.Pdf, descriptions: dict[str, str]) -> None:
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", Array()):
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                target = str(annot.Dest)
                if target in descriptions:
                    annot.Contents = pikepdf.String(descriptions[target])
