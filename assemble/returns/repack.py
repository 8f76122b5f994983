"""A contributor's package copied part for part, with the few parts a writer edits or
adds: every other part keeps its bytes, its name and its place in the zip.

A writer reads parts and their relationships through a ``Repack``, puts back what it
changed or made, adds relationships and content types, and writes the copy. Parts
are edited in the namespaces the package uses: a Strict Open XML package stays
Strict (``names``: the Strict spelling of a namespace or relationship type when the
package is Strict, the Transitional one otherwise). Macros, pictures, custom XML,
extension lists and everything else the writer does not touch are copied as they are.

XML is parsed as the readers parse it (no DTD, no entities, nothing fetched) but
keeping comments and processing instructions, so that an edited part loses nothing
but what the writer changes. A package this cannot edit raises ``CannotEdit``, in
words.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from ..readers.package import STRICT, strict
from ..safety.unpacking import ZIP_ERRORS, unpacking

Element = Any  # an lxml element

TRANSITIONAL = "http://schemas.openxmlformats.org/"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_TO_STRICT = {transitional: strict for strict, transitional in STRICT.items()}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class CannotEdit(Exception):
    """A package whose parts this cannot edit; the message says why, in words."""


class Repack:
    """The parts of one package, to copy with some edited; use it as a context manager."""

    def __init__(self, source: Path):
        try:
            self._zip = zipfile.ZipFile(source)
            entries = [i for i in self._zip.infolist() if not i.is_dir()]
        except ZIP_ERRORS as exc:
            raise CannotEdit(f"it cannot be opened as a package: {unpacking(exc)}") from None
        self._entries = {i.filename: i for i in entries}  # the last of duplicate names, as zipfile reads
        self._names = {n.casefold(): n for n in self._entries}
        self.edited: dict[str, bytes] = {}  # part name -> its new bytes
        self.strict = strict(self.read("_rels/.rels") or b"")

    def __enter__(self) -> Repack:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    # --- names ------------------------------------------------------------------------

    def ns(self, transitional: str) -> str:
        """A namespace or relationship type as this package spells it: Strict when it is Strict."""
        if not self.strict:
            return transitional
        for old, new in sorted(_TO_STRICT.items(), key=lambda kv: len(kv[0]), reverse=True):
            if transitional.startswith(old):
                return new + transitional[len(old):]
        return transitional

    def has(self, name: str) -> bool:
        return name.lstrip("/").casefold() in self._names or name.lstrip("/") in self.edited

    def names(self) -> list[str]:
        """Every part's name, the new ones too."""
        return [*self._entries, *(n for n in self.edited if n not in self._entries)]

    def unused(self, pattern: str) -> str:
        """The first part name `pattern` ("xl/comments{}.xml") gives, from 1, not in the package."""
        n = 1
        while self.has(pattern.format(n)):
            n += 1
        return pattern.format(n)

    # --- parts ---------------------------------------------------------------------------

    def read(self, name: str) -> bytes | None:
        """A part's bytes (as edited, when it was), None when it is not there."""
        name = name.lstrip("/")
        if name in self.edited:
            return self.edited[name]
        found = self._names.get(name.casefold())
        if found is None:
            return None
        try:
            return self._zip.read(self._entries[found])
        except ZIP_ERRORS as exc:
            raise CannotEdit(f"its part {found} cannot be read: {unpacking(exc)}") from None

    def xml(self, name: str) -> Element | None:
        data = self.read(name)
        if data is None:
            return None
        try:
            return etree.fromstring(data, _PARSER)
        except etree.LxmlError:
            raise CannotEdit(f"its part {name} is not well-formed XML") from None

    def put(self, name: str, data: bytes | Element) -> None:
        """A part's new bytes, or its XML to write (under the name the package gives it)."""
        if not isinstance(data, bytes):
            data = etree.tostring(data, xml_declaration=True, encoding="UTF-8", standalone=True)
        name = name.lstrip("/")
        self.edited[self._names.get(name.casefold(), name)] = data

    # --- relationships and content types -------------------------------------------------------

    def related(self, source: str, kind: str) -> str | None:
        """The part a relationship of `source` of this kind ("comments") leads to, when it is there."""
        for _, rel_kind, target in self._relationships(source):
            if rel_kind.rsplit("/", 1)[-1] == kind and self.has(target):
                return target
        return None

    def target(self, source: str, rid: str) -> str | None:
        """The part relationship `rid` of `source` leads to."""
        return next((target for found, _, target in self._relationships(source) if found == rid), None)

    def relate(self, source: str, kind: str, target: str) -> str:
        """Add a relationship of `source` to the part `target`, of type `kind` ("comments");
        its id. The relationships part is made when the source has none."""
        rels = _rels_name(source)
        root = self.xml(rels)
        if root is None:
            root = etree.fromstring(f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"/>')
        taken = {rel.get("Id") for rel in root}
        n = len(taken) + 1
        while f"rId{n}" in taken:
            n += 1
        rel = etree.SubElement(root, f"{{{PACKAGE_RELATIONSHIPS}}}Relationship")
        rel.set("Id", f"rId{n}")
        rel.set("Type", self.ns(f"{RELATIONSHIPS}/{kind}"))
        rel.set("Target", posixpath.relpath(target, posixpath.dirname(source) or "."))
        self.put(rels, root)
        return f"rId{n}"

    def content_type(self, part: str, kind: str) -> None:
        """Declare a part's content type (an Override), unless it is declared."""
        root = self._types()
        name = "/" + part.lstrip("/")
        if not any((o.get("PartName") or "").casefold() == name.casefold() for o in root):
            etree.SubElement(root, f"{{{CONTENT_TYPES}}}Override", PartName=name, ContentType=kind)
            self.put("[Content_Types].xml", root)

    def default_type(self, extension: str, kind: str) -> None:
        """Declare the content type of parts named with an extension, unless it is declared."""
        root = self._types()
        defaults = root.iter(f"{{{CONTENT_TYPES}}}Default")
        if not any((d.get("Extension") or "").casefold() == extension for d in defaults):
            root.insert(0, etree.Element(f"{{{CONTENT_TYPES}}}Default", Extension=extension, ContentType=kind))
            self.put("[Content_Types].xml", root)

    def _types(self) -> Element:
        root = self.xml("[Content_Types].xml")
        if root is None:
            raise CannotEdit("it has no list of content types ([Content_Types].xml)")
        return root

    def _relationships(self, source: str) -> list[tuple[str, str, str]]:
        """(id, type, target part) of each internal relationship of a part."""
        root = self.xml(_rels_name(source))
        out = []
        for rel in root if root is not None else ():
            if not isinstance(rel.tag, str) or (rel.get("TargetMode") or "").casefold() == "external":
                continue
            target = urllib.parse.unquote((rel.get("Target") or "").split("#", 1)[0])
            if target:
                joined = target.lstrip("/") if target.startswith("/") else \
                    posixpath.join(posixpath.dirname(source), target)
                out.append((rel.get("Id") or "", rel.get("Type") or "", posixpath.normpath(joined).lstrip("/")))
        return out

    # --- the copy -----------------------------------------------------------------------------

    def write(self, path: Path) -> None:
        """The copy: every part in the zip's order with its own bytes and dates, the edited
        ones with their new bytes, the new ones after them."""
        with zipfile.ZipFile(path, "w") as out:
            for name, info in self._entries.items():
                data = self.edited.get(name)
                if data is None:
                    data = self.read(name) or b""
                copied = zipfile.ZipInfo(name, date_time=info.date_time)
                copied.compress_type = info.compress_type if info.compress_type in _KNOWN else zipfile.ZIP_DEFLATED
                copied.external_attr = info.external_attr
                out.writestr(copied, data)
            for name, data in self.edited.items():
                if name not in self._entries:
                    added = zipfile.ZipInfo(name, date_time=_newest(self._entries.values()))
                    added.compress_type = zipfile.ZIP_DEFLATED
                    out.writestr(added, data)


_KNOWN = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _newest(entries: Any) -> tuple[int, int, int, int, int, int]:
    """The date of the package's newest part (a new part's date: the copy's bytes depend on its contents)."""
    return max((i.date_time for i in entries), default=(1980, 1, 1, 0, 0, 0))


def _rels_name(source: str) -> str:
    folder, file = posixpath.split(source)
    return posixpath.join(folder, "_rels", f"{file}.rels")


def local(tag: object) -> str:
    """An element's name without its namespace ("" for a comment or instruction)."""
    return re.sub(r"^\{[^}]*\}", "", tag) if isinstance(tag, str) else ""


def namespace(el: Element) -> str:
    """The namespace of an element's name."""
    return str(el.tag)[1:].partition("}")[0] if str(el.tag).startswith("{") else ""
