"""A package's table of contents ([Content_Types].xml, read with a pattern before any
XML parser has seen it) → which parts are XML, to be looked at as XML; and what a
package is that holds no main part of the kind its extension promises (a Word
document called .xlsx, a presentation, an OpenDocument file)."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .refusals import Kind, refuse

_DEFAULT = re.compile(rb"<(?:\w+:)?Default\b[^>]*>")
_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>")
_ATTRIBUTE = re.compile(rb"""\b(Extension|PartName|ContentType)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Never parsed by any reader: pictures (SVG carries DTDs), and what Word embeds as an
# HTML, MHT or RTF chunk (altChunk), whatever its name.
_NOT_PARSED = ("html", "rfc822", "rtf", "image/", "text/plain")


class ContentTypes:
    """Which parts are XML, by [Content_Types].xml (read with a pattern, before any
    XML parser has seen it) and by name: only those are looked at as XML."""

    def __init__(self, types: bytes):
        self.by_extension: dict[str, str] = {}
        self.by_part: dict[str, str] = {}
        for pattern, key, table in ((_DEFAULT, b"Extension", self.by_extension),
                                    (_OVERRIDE, b"PartName", self.by_part)):
            for m in pattern.finditer(types):
                attrs = {a.group(1): (a.group(2) or a.group(3) or b"") for a in _ATTRIBUTE.finditer(m.group())}
                if key in attrs and b"ContentType" in attrs:
                    name = attrs[key].decode("utf-8", "replace").lstrip("/").casefold()
                    table[name] = attrs[b"ContentType"].decode("utf-8", "replace").casefold()

    def is_xml(self, name: str) -> bool:
        folded = name.casefold()
        declared = self.by_part.get(folded) or self.by_extension.get(folded.rpartition(".")[2] if "." in folded
                                                                       else "")
        if declared and any(kind in declared for kind in _NOT_PARSED):
            return False
        if folded.endswith(".svg"):
            return False  # pictures are never parsed
        return xml_name(name) or bool(declared and declared.endswith(("+xml", "/xml")))


def xml_name(name: str) -> bool:
    """Whether a part's name says it is XML (whatever [Content_Types].xml declares)."""
    return name.lower().endswith((".xml", ".rels", ".vml"))


def wrong_inside(path: Path, kind: Kind, names: set[str]) -> InputError:
    """The refusal of a package with none of the main part its extension promises: what it is instead."""
    if kind.excel and "word/document.xml" in names:
        return refuse(path, f"is a Word document renamed to {kind.suffix}", "rename it to .docx")
    if not kind.excel and "xl/workbook.xml" in names:
        return refuse(path, f"is an Excel workbook renamed to {kind.suffix}", "rename it to .xlsx")
    if "ppt/presentation.xml" in names:
        return refuse(path, f"is a PowerPoint presentation renamed to {kind.suffix}",
                      f"send the {kind.thing} itself")
    if "mimetype" in names and "content.xml" in names:
        return refuse(path, f"is an OpenDocument (LibreOffice) file renamed to {kind.suffix}", kind.save_as)
    return refuse(path, f"is a {kind.suffix} that is something else inside "
                  f"(a zip file with no {kind.thing} in it)", f"send the {kind.thing} itself")
