"""An Office Open XML package as the readers open it, once ``safety.check``
has passed it: its parts found by relationship (as Word and Excel find them, not by
their usual names), a Strict Open XML package read as the Transitional package it is
equivalent to, and XML parsed with no DTD, no entity expansion and no network.

Word and Excel save "Strict Open XML" documents (ISO/IEC 29500 Strict) with the same
elements as ordinary ones under other namespace names; mapping those names is all
that reading one needs (``STRICT``). python-docx and openpyxl know only the
Transitional names, so openpyxl is handed a Transitional copy (``transitional``).
Whether a package is Strict is told here alone (``is_strict``).

What zipfile and lxml raise on a damaged package is mapped where they are called
(``unreadable.mapped``): Unreadable, naming the part.
"""

from __future__ import annotations

import io
import posixpath
import re
import urllib.parse
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from lxml import etree

from ..safety.unpacking import ZIP_ERRORS, unpacking
from .unreadable import Table, Unreadable, mapped

Element = Any  # an lxml element

# Strict namespace -> Transitional namespace (ECMA-376 Part 1, Annex A; Part 4 lists the Transitional ones).
# Relationship types are the relationships namespace plus a name, so mapping it maps them too.
_PURL = "http://purl.oclc.org/ooxml/"
_SCHEMAS = "http://schemas.openxmlformats.org/"
STRICT = {
    f"{_PURL}wordprocessingml/main": f"{_SCHEMAS}wordprocessingml/2006/main",
    f"{_PURL}spreadsheetml/main": f"{_SCHEMAS}spreadsheetml/2006/main",
    f"{_PURL}presentationml/main": f"{_SCHEMAS}presentationml/2006/main",
    f"{_PURL}officeDocument/relationships": f"{_SCHEMAS}officeDocument/2006/relationships",
    f"{_PURL}officeDocument/math": f"{_SCHEMAS}officeDocument/2006/math",
    f"{_PURL}officeDocument/extendedProperties": f"{_SCHEMAS}officeDocument/2006/extended-properties",
    f"{_PURL}officeDocument/customProperties": f"{_SCHEMAS}officeDocument/2006/custom-properties",
    f"{_PURL}officeDocument/docPropsVTypes": f"{_SCHEMAS}officeDocument/2006/docPropsVTypes",
    f"{_PURL}officeDocument/bibliography": f"{_SCHEMAS}officeDocument/2006/bibliography",
    f"{_PURL}officeDocument/characteristics": f"{_SCHEMAS}officeDocument/2006/characteristics",
    f"{_PURL}officeDocument/customXml": f"{_SCHEMAS}officeDocument/2006/customXml",
    f"{_PURL}drawingml/main": f"{_SCHEMAS}drawingml/2006/main",
    f"{_PURL}drawingml/chart": f"{_SCHEMAS}drawingml/2006/chart",
    f"{_PURL}drawingml/chartDrawing": f"{_SCHEMAS}drawingml/2006/chartDrawing",
    f"{_PURL}drawingml/diagram": f"{_SCHEMAS}drawingml/2006/diagram",
    f"{_PURL}drawingml/lockedCanvas": f"{_SCHEMAS}drawingml/2006/lockedCanvas",
    f"{_PURL}drawingml/picture": f"{_SCHEMAS}drawingml/2006/picture",
    f"{_PURL}drawingml/spreadsheetDrawing": f"{_SCHEMAS}drawingml/2006/spreadsheetDrawing",
    f"{_PURL}drawingml/wordprocessingDrawing": f"{_SCHEMAS}drawingml/2006/wordprocessingDrawing",
    f"{_PURL}schemaLibrary/main": f"{_SCHEMAS}schemaLibrary/2006/main",
}
_STRICT_NAME = re.compile(b"|".join(re.escape(k.encode()) for k in sorted(STRICT, key=len, reverse=True)))
_STRICT_BYTES = {k.encode(): v.encode() for k, v in STRICT.items()}
_CONFORMANCE = re.compile(rb'\s(?:\w+:)?conformance="strict"')

# No DTD is loaded and no entity resolved (check_package refuses parts that declare
# any), nothing is fetched, and a part nested absurdly deep fails rather than recursing.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)

_XML_NAMES = (".xml", ".rels", ".vml")

# What zipfile raises reading a damaged package, and lxml parsing a part that is not XML. An
# OSError past the check (which refuses a zip whose offsets point nowhere) is the disk's, not
# the file's: it passes, to be said as the disk's.
ZIP: Table = {kind: unpacking for kind in ZIP_ERRORS if kind is not OSError}
XML: Table = {etree.LxmlError: "its XML is not well-formed"}


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str  # as Transitional names it
    target: str  # a part name ("word/styles.xml"), or the external address
    external: bool


class Package:
    """The parts of one package, read on demand; use it as a context manager."""

    def __init__(self, path: Path):
        with mapped(ZIP):
            self._zip = zipfile.ZipFile(path)
        try:
            with mapped(ZIP):
                self._names = {n.casefold(): n for n in self._zip.namelist()}  # part names are case-blind
            self._relationships: dict[str, list[Relationship]] = {}
            self.strict = False
            self.strict = strict(self.read("_rels/.rels") or b"")
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> Package:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def has(self, name: str) -> bool:
        return name.lstrip("/").casefold() in self._names

    def read(self, name: str) -> bytes | None:
        """A part's bytes (Strict names made Transitional in XML parts), or None when it is not there."""
        found = self._names.get(name.lstrip("/").casefold())
        if found is None:
            return None
        with mapped(ZIP, found):
            data = self._zip.read(found)
        return transitional_xml(data) if self.strict and found.lower().endswith(_XML_NAMES) else data

    def xml(self, name: str) -> Element | None:
        """A part parsed, or None when it is not there; Unreadable when it is not well-formed XML."""
        data = self.read(name)
        if data is None:
            return None
        with mapped(XML, name):
            return etree.fromstring(data, _PARSER)

    def elements(self, name: str, tag: str, data: bytes | None = None) -> Iterator[Element]:
        """A part's elements of one tag, streamed (each cleared once the caller has it), for a
        part too large to want whole in memory; none when the part is not there. `data`: the
        part's bytes, when the caller has read them already."""
        data = self.read(name) if data is None else data
        if data is None:
            return
        with mapped(XML, name):  # what the caller does with an element runs outside this frame
            for _, element in etree.iterparse(io.BytesIO(data), tag=tag, resolve_entities=False, no_network=True,
                                              load_dtd=False, huge_tree=False):
                yield element
                element.clear()

    def relationships(self, source: str = "") -> list[Relationship]:
        """The relationships of a part ("" for the package itself); none when it has no .rels.
        Each part's are read once: a reader asks for them part by part."""
        if source not in self._relationships:
            self._relationships[source] = self._read_relationships(source)
        return self._relationships[source]

    def _read_relationships(self, source: str) -> list[Relationship]:
        folder, file = posixpath.split(source)
        root = self.xml(posixpath.join(folder, "_rels", f"{file}.rels"))
        if root is None:
            return []
        out = []
        for rel in root:
            kind, target = rel.get("Type") or "", rel.get("Target") or ""
            if not isinstance(rel.tag, str) or not target:
                continue
            external = (rel.get("TargetMode") or "").casefold() == "external"
            if not external:
                target = _resolve(folder, target)
            out.append(Relationship(rel.get("Id") or "", kind, target, external))
        return out

    def related(self, source: str, kind: str) -> str | None:
        """The part a relationship of this kind ("officeDocument", "styles") leads to, when it is there."""
        for rel in self.relationships(source):
            if not rel.external and rel.type.rsplit("/", 1)[-1] == kind and self.has(rel.target):
                return rel.target
        return None

    def transitional(self) -> io.BytesIO:
        """The whole package rewritten with Transitional names, for a library that knows only those."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            seen: set[str] = set()
            for info in reversed(self._zip.infolist()):  # zipfile reads the last of duplicate names
                if info.filename in seen or info.is_dir():
                    continue
                seen.add(info.filename)
                with mapped(ZIP, info.filename):
                    data = self._zip.read(info)
                if info.filename.lower().endswith(_XML_NAMES):
                    data = transitional_xml(data)
                copy.writestr(info.filename, data)
        out.seek(0)
        return out


def strict(rels: bytes) -> bool:
    """Whether a package's own relationships (its _rels/.rels) are Strict Open XML's."""
    return _STRICT_NAME.search(rels) is not None


def is_strict(path: Path) -> bool:
    """Whether the package at `path` is saved as Strict Open XML; False when that cannot be told."""
    try:
        with Package(path) as package:
            return package.strict
    except Unreadable:
        return False


def transitional_xml(data: bytes) -> bytes:
    """An XML part with its Strict namespace names made Transitional (UTF-8 parts: Office writes no other)."""
    if not _STRICT_NAME.search(data):
        return data
    data = _STRICT_NAME.sub(lambda m: _STRICT_BYTES[m.group()], data)
    return _CONFORMANCE.sub(b"", data, count=1)


def _resolve(folder: str, target: str) -> str:
    """A relationship's target as a part name: relative to the source's folder unless it starts with '/'."""
    target = urllib.parse.unquote(target.split("#", 1)[0])
    if not target:
        return ""  # a link within the document, wrongly given as a part
    joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(joined).lstrip("/")
