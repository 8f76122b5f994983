"""What keeps a Word return's structure when a contributor fills it in: the headings and
commitment lines in styles of their own, the identifiers on them, and protection that
leaves only the updates to be edited.

- Styles: "Return Priority" (based on Heading 1, so every reader takes it for a heading)
  and "Return Commitment", each a shaded box: neither a bullet nor an instruction.
- Identifiers: a bookmark on each heading and commitment line, named as ``resolve.
  identifiers`` reads them. Bookmarks survive a save in Word and two in LibreOffice
  (7.4); content controls' tags and locks and document variables do not survive one.
- Protection: the document is read-only (``w:documentProtection``, no password: a
  guide, not a lock) but for an editable range (``w:permStart``/``w:permEnd``, for
  everyone) around the bullets under each commitment, where updates go. Both survive
  LibreOffice's saves; an editor that ignores them loses nothing the reader needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

PRIORITY_STYLE = "Return Priority"
COMMITMENT_STYLE = "Return Commitment"

Paragraph = Any  # a python-docx paragraph
Document = Any  # a python-docx document

# What may come after a box and shading in a paragraph's properties (the schema's order).
_AFTER_SHADING = ("w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
                  "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing",
                  "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                  "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
# What comes before document protection in a document's settings (the schema's order).
_BEFORE_PROTECTION = {qn(f"w:{n}") for n in (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors",
    "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate", "linkStyles",
    "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge", "revisionView",
    "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting")}


def add_styles(doc: Document) -> None:
    """The return's own styles for priority headings and commitment lines: shaded boxes."""
    styles = doc.styles
    commitment = styles.add_style(COMMITMENT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    commitment.base_style = styles["Normal"]
    commitment.paragraph_format.keep_with_next = True
    commitment.paragraph_format.space_before, commitment.paragraph_format.space_after = Pt(8), Pt(4)
    commitment.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
    _boxed(commitment.element, fill="DEEAF6", line="9CC2E5")

    priority = styles.add_style(PRIORITY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    priority.base_style = styles["Heading 1"]  # an outline level and a heading to every reader
    priority.next_paragraph_style = commitment
    priority.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    _boxed(priority.element, fill="1F3864", line="1F3864")


def _boxed(style: Any, fill: str, line: str) -> None:
    """A box round the paragraph and shading behind it, in a style's paragraph properties."""
    ppr = style.get_or_add_pPr()
    box = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", line)):
            edge.set(qn(name), value)
        box.append(edge)
    shading = OxmlElement("w:shd")
    for name, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(name), value)
    ppr.insert_element_before(box, "w:shd", *_AFTER_SHADING)
    ppr.insert_element_before(shading, *_AFTER_SHADING)


class Marks:
    """Bookmarks and editable ranges, numbered as a document needs them (each id once)."""

    def __init__(self) -> None:
        self.bookmarks = 0
        self.ranges = 0

    def bookmark(self, paragraph: Paragraph, name: str) -> None:
        """`name` as a bookmark round the paragraph's text."""
        self.bookmarks += 1
        _round(paragraph, "w:bookmarkStart", "w:bookmarkEnd", str(self.bookmarks), {"w:name": name})

    def editable(self, paragraphs: Sequence[Paragraph]) -> None:
        """The paragraphs as a range everyone may edit in a protected document."""
        self.ranges += 1
        _round(paragraphs[0], "w:permStart", "w:permEnd", str(self.ranges), {"w:edGrp": "everyone"},
               last=paragraphs[-1])


def _round(paragraph: Paragraph, start: str, end: str, ident: str, attributes: dict[str, str],
           last: Paragraph | None = None) -> None:
    """A range's start at the opening of `paragraph`, its end at the close of `last` (or of it)."""
    opening, closing = OxmlElement(start), OxmlElement(end)
    opening.set(qn("w:id"), ident)
    for name, value in attributes.items():
        opening.set(qn(name), value)
    closing.set(qn("w:id"), ident)
    p = paragraph._p
    ppr = p.pPr
    if ppr is not None:
        ppr.addnext(opening)
    else:
        p.insert(0, opening)
    (last if last is not None else paragraph)._p.append(closing)


def protect(doc: Document) -> None:
    """Read-only but for its editable ranges: enforced, with no password (Word's Restrict
    Editing, "No changes (Read only)", with exceptions for everyone)."""
    settings = doc.settings.element
    protection = OxmlElement("w:documentProtection")
    protection.set(qn("w:edit"), "readOnly")
    protection.set(qn("w:enforcement"), "1")
    before = [i for i, child in enumerate(settings) if child.tag in _BEFORE_PROTECTION]
    settings.insert(before[-1] + 1 if before else 0, protection)
