"""Join tagged PDFs laid out in parts into one tagged PDF (pikepdf).

Every commitment starts a page, so a long document can be laid out priority by
priority, in separate processes, and its parts joined: pages in order, and all
that makes the result one accessible document rather than a stack of files —

- the structure tree: each part's top-level elements become children of the
  first part's Document element, and the ParentTree that maps each page's marked
  content (and each link annotation) to its structure element is renumbered, so
  every marked-content sequence stays reachable from the tree;
- named destinations, rebuilt from every part (a later part's wins), so a link
  in one part (the contents) leads to its anchor in another (the priority);
- the outline (bookmarks), rebuilt from every part, in order;
- the first part's catalog: metadata, language, viewer preferences, marking.

Parts must be PDFs this program made (WeasyPrint's tagging), each with a
StructTreeRoot whose /K is one Document element. The outline may be given instead
(``Bookmark``s), when a part starts inside a section another part opened.

``stamp`` draws what only the whole knows, each page's number, onto the joined pages:
each sheet of a PDF of numbers, laid out on their own, drawn on its page as an artifact.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

Part = Path | bytes


@dataclass(frozen=True)
class Bookmark:
    """An outline entry: its title, the page it leads to (from 0), the entries under it."""

    title: str
    page: int
    children: tuple[Bookmark, ...] = ()


def join(parts: Iterable[Part], path: Path, outline: Sequence[Bookmark] | None = None) -> None:
    """Write the parts, in order, as one PDF at `path`."""
    with joined(parts, outline) as out:
        out.save(path, deterministic_id=True)


def joined(parts: Iterable[Part], outline: Sequence[Bookmark] | None = None) -> pikepdf.Pdf:
    """The parts, in order, as one open PDF (the caller saves and closes it); the outline
    rebuilt from the parts', or the one given. Each part is let go once it is joined: what
    the joined PDF took of it is copied, its streams' data too, so memory holds the joined
    PDF and one part (at 100x the sample, 157 MB where holding every part took 296 MB)."""
    out: pikepdf.Pdf | None = None
    found: dict[str, pikepdf.Object] = {}
    items: list[pikepdf.OutlineItem] = []
    for data in parts:
        part = _open(data)
        start = len(out.pages) if out is not None else 0
        if out is None:
            out = part
        else:
            _append(out, part, _next_key(out))
            _own_streams(out, start)
        found.update(_destinations_in(out, part, start))
        if outline is None:
            items += _outline_of(part, start)
        if part is not out:
            part.close()
    if out is None:
        raise ValueError("no parts to join")
    _write_dests(out, found)
    with out.open_outline() as tree:
        tree.root.clear()
        tree.root.extend(items if outline is None else [_item(mark) for mark in outline])
    return out


def _item(mark: Bookmark) -> pikepdf.OutlineItem:
    item = pikepdf.OutlineItem(mark.title, mark.page)
    item.children.extend(_item(child) for child in mark.children)
    return item


def _open(part: Part) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(part) if isinstance(part, bytes) else part)


def _document(pdf: pikepdf.Pdf) -> pikepdf.Object:
    kids = pdf.Root.StructTreeRoot.K
    return kids[0] if isinstance(kids, pikepdf.Array) else kids


def _nums(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.Root.StructTreeRoot.ParentTree.Nums


def _next_key(pdf: pikepdf.Pdf) -> int:
    nums = _nums(pdf)
    return max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1


def _indirect(pdf: pikepdf.Pdf, obj: pikepdf.Object) -> pikepdf.Object:
    """copy_foreign takes indirect objects only: a direct one is made indirect in its own file first."""
    return obj if obj.is_indirect else pdf.make_indirect(obj)


def _append(out: pikepdf.Pdf, part: pikepdf.Pdf, offset: int) -> None:
    """The part's pages, structure elements and ParentTree entries, renumbered by `offset`."""
    first = len(out.pages)
    with warnings.catch_warnings():  # destinations and outlines are rebuilt below, on purpose
        warnings.simplefilter("ignore")
        out.pages.extend(part.pages)
    for page in out.pages[first:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annot in page.obj.get("/Annots", pikepdf.Array()):
            if "/StructParent" in annot:
                annot.StructParent = int(annot.StructParent) + offset
    nums, theirs = _nums(out), _nums(part)
    for i in range(0, len(theirs), 2):
        nums.append(int(theirs[i]) + offset)
        nums.append(out.copy_foreign(_indirect(part, theirs[i + 1])))
    document = _document(out)
    for kid in _document(part).get("/K", pikepdf.Array()):
        copied = out.copy_foreign(_indirect(part, kid))
        copied.P = document
        document.K.append(copied)
    _merge_maps(out, part)


def _merge_maps(out: pikepdf.Pdf, part: pikepdf.Pdf) -> None:
    """Role and class maps: the first part's names win; the others add theirs."""
    for key in ("/RoleMap", "/ClassMap"):
        theirs = part.Root.StructTreeRoot.get(key)
        if theirs is None:
            continue
        ours = out.Root.StructTreeRoot.get(key)
        if ours is None:
            out.Root.StructTreeRoot[key] = out.copy_foreign(_indirect(part, theirs))
            continue
        for name, value in theirs.items():
            if name not in ours:
                ours[name] = out.copy_foreign(_indirect(part, value)) if isinstance(
                    value, pikepdf.Dictionary | pikepdf.Array) else value


def _own_streams(out: pikepdf.Pdf, first: int) -> None:
    """Streams copied from another PDF keep reading their data from it until `out` is saved;
    the pages' from `first` on (their contents, and the fonts and images they use) are
    given their data now, so that the part they came from can be let go."""
    seen: set[tuple[int, int]] = set()
    todo: list[pikepdf.Object] = []
    for page in out.pages[first:]:
        todo += [page.obj[key] for key in ("/Contents", "/Resources", "/Annots") if key in page.obj]
    while todo:
        obj = todo.pop()
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
            continue  # numbers, names, strings: nothing below them
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            filters: Any = obj.get("/Filter")  # a name or an array of them, as the stream has them
            parms: Any = obj.get("/DecodeParms")
            obj.write(obj.read_raw_bytes(), filter=filters, decode_parms=parms, type_check=False)
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            todo += [value for key, value in obj.items() if key not in _UPWARD]
        elif isinstance(obj, pikepdf.Array):
            todo += list(obj)


_UPWARD = {"/Parent", "/P", "/Pg", "/Dest", "/A"}  # keys that lead back up, or to other pages


# --- destinations and the outline -------------------------------------------------------------


def destinations(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Object]]:
    """Every named destination of a file (its Names/Dests tree, flat or nested): its name
    and the destination array."""
    names = pdf.Root.get("/Names")
    tree = names.get("/Dests") if names is not None else None
    if tree is None:
        return
    todo = [tree]
    while todo:
        node = todo.pop()
        entries = node.get("/Names", pikepdf.Array())
        for i in range(0, len(entries), 2):
            dest = entries[i + 1]
            yield str(entries[i]), dest.D if isinstance(dest, pikepdf.Dictionary) else dest
        todo += list(node.get("/Kids", pikepdf.Array()))


def _destinations_in(out: pikepdf.Pdf, part: pikepdf.Pdf, start: int) -> Iterator[tuple[str, pikepdf.Object]]:
    """The part's destinations (its pages joined into `out` from page `start`), each leading
    to its page in `out`."""
    index = {p.obj.objgen: i for i, p in enumerate(part.pages)}
    for name, dest in destinations(part):
        page = index.get(dest[0].objgen) if isinstance(dest[0], pikepdf.Dictionary) else None
        if page is not None:
            yield name, pikepdf.Array([out.pages[start + page].obj, *list(dest)[1:]])


def _write_dests(out: pikepdf.Pdf, found: dict[str, pikepdf.Object]) -> None:
    """One flat name tree of every part's destinations (a later part's wins)."""
    if "/Names" not in out.Root:
        out.Root.Names = pikepdf.Dictionary()
    flat: list[pikepdf.Object] = []
    for name in sorted(found):
        flat += [pikepdf.String(name), found[name]]
    out.Root.Names.Dests = out.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(flat)))


def _outline_of(part: pikepdf.Pdf, start: int) -> list[pikepdf.OutlineItem]:
    """The part's bookmarks, each leading to its page in the joined PDF."""
    index = {p.obj.objgen: i for i, p in enumerate(part.pages)}
    with part.open_outline() as outline:
        return [_copy_item(item, index, start) for item in outline.root]


def _copy_item(item: pikepdf.OutlineItem, index: dict[tuple[int, int], int], start: int) -> pikepdf.OutlineItem:
    dest = item.destination
    page = None
    if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
        page = index.get(dest[0].objgen)
    copy = pikepdf.OutlineItem(str(item.title), start + page if page is not None else None)
    copy.is_closed = item.is_closed
    copy.children.extend(_copy_item(child, index, start) for child in item.children)
    return copy


# --- page numbers ------------------------------------------------------------------------------


def stamp(pdf: pikepdf.Pdf, sheets: Part, pages: Sequence[int], *, repeat: bool = False, under: bool = False,
          prefix: str = "Pn") -> None:
    """Draw page n of `sheets` on page `pages[n]` of `pdf` (with `repeat`, its first page on
    every one of them), over what the page shows or, `under`, beneath it, as a pagination
    artifact. The sheet's drawing is added to the page's own content (so that every reader
    of text finds it where the engine would have put it), its resources under names of their
    own (`prefix`: one for each kind of sheet stamped on a page). What pages draw alike is one
    stream that each of them holds."""
    streams: dict[bytes, pikepdf.Stream] = {}

    def stream(data: bytes) -> pikepdf.Stream:
        if data not in streams:
            streams[data] = pdf.make_stream(data)
        return streams[data]

    with _open(sheets) as source:
        drawings = [_drawing(pdf, source, sheet, prefix) for sheet in source.pages[:1 if repeat else len(pages)]]
        for n, index in enumerate(pages if repeat else list(pages)[:len(drawings)]):
            resources, drawing = drawings[0 if repeat else n]
            page = pdf.pages[index]
            for kind, named in resources.items():
                if kind not in page.obj.Resources:
                    page.obj.Resources[kind] = pikepdf.Dictionary()
                for name, obj in named.items():
                    page.obj.Resources[kind][name] = obj
            marked = b"/Artifact <</Type /Pagination>> BDC\nq\n" + drawing + b"\nQ\nEMC\n"
            before, after = (marked + b"q\n", b"\nQ\n") if under else (b"q\n", b"\nQ\n" + marked)
            page.contents_add(stream(before), prepend=True)
            page.contents_add(stream(after))


def _drawing(pdf: pikepdf.Pdf, source: pikepdf.Pdf, sheet: pikepdf.Page,
             prefix: str) -> tuple[dict[str, dict[pikepdf.Name, pikepdf.Object]], bytes]:
    """A sheet's content, its resources copied into `pdf` under names of their own ("/Pn…")."""
    resources: dict[str, dict[pikepdf.Name, pikepdf.Object]] = {}
    renamed: dict[str, pikepdf.Name] = {}
    for kind, named in sheet.obj.get("/Resources", pikepdf.Dictionary()).items():
        if not isinstance(named, pikepdf.Dictionary):
            continue
        for name, obj in named.items():
            ours = pikepdf.Name(f"/{prefix}" + name[1:])
            resources.setdefault(kind, {})[ours] = pdf.copy_foreign(_indirect(source, obj))
            renamed[name] = ours
    drawing = pikepdf.unparse_content_stream([
        pikepdf.ContentStreamInstruction(
            [renamed.get(str(o), o) if isinstance(o, pikepdf.Name) else o for o in op.operands], op.operator)
        for op in pikepdf.parse_content_stream(sheet)])
    return resources, drawing
