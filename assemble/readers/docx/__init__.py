"""Read a Word return (.docx, .docm) into a Record: every paragraph of it, once.

What Word shows is read, in reading order, and nothing twice:

- paragraphs with their text, emphasis and list level (from Word's numbering, a
  list style, or a typed marker such as "•" or "-"), the number Word's numbering
  shows before them ("1.", "Priority 2 –"), and their outline level when their
  style is a heading's; a line break (Shift+Enter) is kept in the text (``resolve``
  tells a bullet typed after one); each is placed by its number, its opening words
  and whether Word shows it as a heading, a bullet or a line; with the names of the
  bookmarks that start in it (or between it and the paragraph before), as format data:
  what a name means is ``resolve``'s business;
- a table with a header row naming Priority (or Commitment) and Update is kept
  whole as rows; any other table is read cell by cell, each paragraph knowing its
  table, row and column;
- text boxes and shapes: their current content (``mc:Choice``, ``wps:txbx``), never
  the compatibility copy kept beside it (``mc:Fallback``, VML), as paragraphs of
  their own after the paragraph they are anchored to;
- content controls, fields (their results), hyperlinks, internal ones included;
  a content control still showing its placeholder text is empty;
- footnotes and endnotes, as notes of the paragraph that refers to them;
- tracked insertions are taken and deletions dropped;
- a symbol character (``w:sym``, a font and a code) as the character it shows
  (``symbols``), reported when it cannot be said;
- hidden text (the Hidden font effect, ``w:vanish``: the run's own, else its
  character style's, its paragraph style's, the document's default) is not read
  but kept aside to be reported: a paragraph all of whose text is hidden is none;
- comments (and replies to them) as remarks, each at the paragraph it is anchored
  to, the unit's own (``signature``) passed over.

What cannot be read (an embedded HTML chunk, a chart, SmartArt, an embedded object)
is recorded as skipped, to be reported. The package is opened by relationship
(``package``), Strict Open XML as well; macros are never run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx.oxml import parse_xml
from lxml import etree

from ...errors import InputError, Place, Problem, error, warning
from ...records import Paragraph, Record
from ...text import removed_characters
from ..package import Package
from . import comments
from .body import Walker
from .hidden import Hiding
from .notes import notes
from .numbering import Numbering
from .styles import Styles
from .wordml import Element, P, q


def read(path: Path) -> Record:
    """The file's body as paragraphs and update tables, with what reading it found."""
    name = path.name
    with Package(path) as package:
        main, body, walker = _walk(package, name)
        modified = _modified(package)
        remarks = comments.remarks(_part(package, main, "comments"), _part(package, main, "commentsExtended"),
                                   walker.anchors, name)
    problems: list[Problem] = []
    if any(True for _ in body.iter(q("w:ins"), q("w:del"))):
        problems.append(warning("the document still has tracked changes; insertions were taken and deletions "
                                "dropped", Place(name), "accept or reject all changes in Word and send it again"))
    problems += [removed_characters(place) for place in walker.cleaned]
    problems += [_unknown_symbol(place, font, code) for place, font, code in dict.fromkeys(walker.symbols)]
    return Record(name, "docx", tuple(walker.blocks), None, modified, tuple(problems), tuple(walker.skipped),
                  remarks, tuple(walker.hidden))


@dataclass(frozen=True)
class Paragraphs:
    """Where the places ``read`` gives stand in the file, for a writer that edits it (the
    feedback sent back): its main document part, and each place's locator (``Place.where``:
    "paragraph 12", "paragraph 14 in table 2, row 3", "table 2, row 3", "a chart after
    paragraph 5") → the position of the paragraph (w:p) it names among every w:p of that
    part, in document order. Numbered here, as ``read`` numbers them, so that no writer
    numbers paragraphs again."""

    part: str
    at: dict[str, int]
    first: int | None  # paragraph 1's position; None when the body shows no text

    def position(self, where: str) -> int | None:
        return self.at.get(where)


def paragraphs(path: Path) -> Paragraphs:
    """Each place's paragraph in the file's main part (see ``Paragraphs``)."""
    with Package(path) as package:
        main, body, walker = _walk(package, path.name)
        index = {p: i for i, p in enumerate(body.getroottree().getroot().iter(P))}
    at = {where: index[p] for where, p in walker.at.items() if p in index}
    first = next((at[b.place.where] for b in walker.blocks
                  if isinstance(b, Paragraph) and b.place.where in at), None)
    return Paragraphs(main, at, first)


def _walk(package: Package, name: str) -> tuple[str, Element, Walker]:
    """The main part's name, its body, and the walk of it in reading order."""
    main = package.related("", "officeDocument") or _first(package, "word/document.xml")
    root = package.xml(main) if main else None
    if main is None or root is None or root.find(q("w:body")) is None:
        raise InputError([error("has no Word document inside it", Place(name),
                                "open it in Word and save it again as .docx")])
    styles_root = _part(package, main, "styles")
    styles, hiding = Styles(styles_root), Hiding(styles_root)
    numbering = Numbering(_part(package, main, "numbering"), styles)
    found = notes(hiding, _part(package, main, "footnotes"), _part(package, main, "endnotes"))
    body = root.find(q("w:body"))
    walker = Walker(name, styles, hiding, numbering, found)
    walker.blocks_of(body)
    return main, body, walker


# What python-docx raises on properties it cannot read: XML that is not well-formed, a
# time it cannot parse (an empty one: TypeError), one shifted out of range by its offset.
_PROPERTIES_ERRORS = (etree.LxmlError, ValueError, TypeError, OverflowError)


def _first(package: Package, name: str) -> str | None:
    return name if package.has(name) else None


def _part(package: Package, main: str, kind: str) -> Element | None:
    """A part of the document by its relationship (styles, numbering, footnotes, endnotes, comments)."""
    found = package.related(main, kind) or _first(package, f"word/{kind}.xml")
    return package.xml(found) if found else None


def _modified(package: Package) -> str | None:
    """The document's own last-saved time, read as python-docx reads it; None when it has none."""
    found = package.related("", "core-properties") or _first(package, "docProps/core.xml")
    data = package.read(found) if found else None
    if not data:
        return None
    try:
        when = getattr(parse_xml(data), "modified_datetime", None)
    except _PROPERTIES_ERRORS:
        return None  # properties that cannot be read say nothing of the content
    return when.isoformat() if when else None


def _unknown_symbol(place: Place, font: str, code: str) -> Problem:
    return warning(f"a symbol ({font or 'no font'}, character {code}) cannot be read as a character and was left out",
                   place, "type what it stands for, or insert it from a font that is not a symbol font")
