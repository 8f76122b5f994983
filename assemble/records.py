"""What a reader makes of a file before any plan is applied: a plan-free record.

A record keeps what the file says and where, nothing of what it means: paragraphs
with their emphasis, list level and numbering, where they stand (a table's cell, a
text box) and the notes they refer to; tables filled in like forms and a sheet's rows,
every cell kept; what the reader could not read at all, and why; what stands
beside the text (comments, notes) and hidden text; the area a file names for
itself, and when it was last saved; for a return that came attached to an email, the
message it came in (``Envelope``: its file, who sent it and when). ``resolve`` reads a record against a
plan and accounts for every line of it. Because a record depends on the file alone,
it can be kept for as long as the file does not change (``watch`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import Place, Problem

if TYPE_CHECKING:  # not loaded on a no-op make
    from .model import Span


@dataclass(frozen=True)
class Paragraph:
    """One non-empty paragraph of a Word return, as the contributor typed it."""

    place: Place  # "paragraph 12", its opening words and whether it is a heading, a bullet or a line
    spans: tuple[Span, ...]  # line breaks (Shift+Enter) kept as "\n"
    level: int | None  # list level 0-2, None when not a list item
    style: str = ""  # the paragraph style's name as the user sees it ("Normal", "Heading 2")
    number: str = ""  # what Word's numbering shows before it ("1.", "Priority 2 –", "•"): not its text
    marker: str = ""  # a list marker typed before the text ("•", "1."), taken off the spans
    heading: int | None = None  # its outline level (0 for Heading 1) when its style is a heading's
    cell: tuple[int, int, int] | None = None  # (table, row, column) of a cell of a table not filled like a form
    notes: tuple[str, ...] = ()  # the text of the footnotes and endnotes it refers to
    marks: tuple[str, ...] = ()  # the names of the bookmarks that start in it (or just before it), as Word keeps them

    @property
    def text(self) -> str:
        """Its text on one line: a line break read as a space."""
        return "".join(s.text for s in self.spans).replace("\n", " ").strip()

    @property
    def typed(self) -> str:
        """Everything the contributor typed on the line: a typed marker, its text, its notes."""
        return " ".join(t for t in (self.marker, self.text, *self.notes) if t)

    @property
    def looks(self) -> tuple[str, bool, bool]:
        """How it looks on the page: its style, whether all its text is bold, whether it is in a table."""
        return self.style, all(s.bold for s in self.spans if s.text.strip()), self.cell is not None


@dataclass(frozen=True)
class Row:
    """One row under a header row: its cells' text, as shown."""

    place: Place  # "sheet 'Updates', row 7" or "table 2, row 3"
    cells: tuple[str, ...]  # line breaks in a cell (Alt+Enter) kept as "\n"

    def cell(self, columns: Columns, key: str) -> str:
        i = columns.get(key)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""


Columns = dict[str, int]  # "priority", "commitment", "district", "level", "area", "update" -> position


@dataclass(frozen=True)
class Table:
    """Rows below a header row that names at least Priority (or, in Word, Commitment) and Update."""

    columns: Columns
    rows: tuple[Row, ...]
    head: tuple[Row, ...] = ()  # the header row and any title rows above it: structure
    names: tuple[str, ...] = ()  # how a message names each column ("column F", "column 3")

    def column(self, i: int) -> str:
        return self.names[i] if i < len(self.names) else f"column {i + 1}"


@dataclass(frozen=True)
class Skipped:
    """Something a reader found and could not read at all (an embedded HTML chunk, a chart):
    reported as not read, with why and what to do."""

    place: Place
    text: str  # what it holds, as far as the reader can tell ("" when nothing)
    why: str
    hint: str = ""


Block = Paragraph | Table


@dataclass(frozen=True)
class Remark:
    """A comment or note a contributor wrote beside the text — a Word comment or a reply
    to one, an Excel cell's note or comment — to be shown to the unit, never printed."""

    place: Place  # where it is anchored: its paragraph's own Place, or "sheet 'Updates', cell E7"
    author: str  # "" when the file keeps none (LibreOffice blanks a note's author)
    text: str  # on one line
    kind: str = "comment"  # "comment", or "note" (Excel's cell notes)
    reply: bool = False  # a reply to another comment


@dataclass(frozen=True)
class Hidden:
    """Text Word neither shows nor prints (the Hidden font effect): not read, and reported."""

    place: Place  # its paragraph's own Place; where it stands, when all of its paragraph is hidden
    text: str



@dataclass(frozen=True)
class Sender:
    """Who sent a message: the display name, and the address where the message has one (a
    message from inside an Exchange organisation may carry only an internal X.500 address,
    which is not kept)."""

    name: str = ""
    address: str = ""  # an SMTP address, "north.lpa@essex.police.uk"

    @property
    def shown(self) -> str:
        """'North LPA Admin <north.lpa@essex.police.uk>', or the name or address alone."""
        if self.name and self.address and self.name.casefold() != self.address.casefold():
            return f"{self.name} <{self.address}>"
        return self.name or self.address


@dataclass(frozen=True)
class Envelope:
    """The email a return came attached to (``readers.messages``)."""

    message: str  # the message's file in the quarter's folder ("RE Q2 return.msg")
    attachment: str  # the return's own name, as attached ("North LPA Q2.docx")
    sender: Sender
    sent: str | None  # when it was sent, ISO 8601 (UTC); None when the message does not say
    subject: str = ""


@dataclass(frozen=True)
class Record:
    """One file as read: its blocks in reading order and what reading itself found."""

    file: str  # the file's name, as messages show it
    format: str  # "docx", "xlsx"
    blocks: tuple[Block, ...]
    area: str | None = None  # an area named by the file's own cells ("Area: North LPA" above the header)
    modified: str | None = None  # last saved (ISO 8601): the document's own time, else the file's
    problems: tuple[Problem, ...] = ()  # tracked changes, characters removed
    skipped: tuple[Skipped, ...] = ()  # what the reader found and could not read
    remarks: tuple[Remark, ...] = ()  # the comments and notes contributors wrote, in reading order
    hidden: tuple[Hidden, ...] = ()  # hidden text, in reading order
    envelope: Envelope | None = None  # the email it came attached to, if it came in one

    @property
    def stem(self) -> str:
        """Its own name without the extension: an attachment's, for a return that came in an email."""
        name = self.envelope.attachment if self.envelope else self.file
        return name.rsplit(".", 1)[0] if "." in name else name
