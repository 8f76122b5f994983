"""What a test expects to be there, taken from a type that allows it to be missing: a
problem's place, a plan's commitment, a Word paragraph's style and its name, a new
workbook's sheet, a record's paragraphs or tables. Each asserts it is there, so that a
missing one fails the test where it is used, with a message, not as an AttributeError on
None; and mypy sees the value itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from assemble.records import Block, Table
from assemble.records import Paragraph as RecordParagraph

T = TypeVar("T")


def there(value: T | None) -> T:
    """`value`, which the test expects not to be None: `there(problem.place).file`."""
    assert value is not None, "expected a value, found None"
    return value


def style(paragraph: Paragraph) -> ParagraphStyle:
    """A Word paragraph's style (python-docx gives None only when the document defines no
    default paragraph style, which every document a test makes or reads does)."""
    found = paragraph.style
    assert found is not None, f"no style on the paragraph {paragraph.text!r}"
    return found


def style_name(paragraph: Paragraph) -> str:
    """The name of a Word paragraph's style, as Word shows it ("Heading 1", "List Bullet")."""
    name = style(paragraph).name
    assert name is not None, f"a style without a name on the paragraph {paragraph.text!r}"
    return name


def sheet(book: Workbook) -> Worksheet:
    """A workbook's active sheet, a worksheet (openpyxl's type allows a chartsheet, or none)."""
    found = book.active
    assert isinstance(found, Worksheet), f"the active sheet is {found!r}"
    return found


def paragraphs(blocks: Sequence[Block]) -> list[RecordParagraph]:
    """A record's blocks that the test expects to be paragraphs, every one of them."""
    assert all(isinstance(b, RecordParagraph) for b in blocks), [type(b).__name__ for b in blocks]
    return [b for b in blocks if isinstance(b, RecordParagraph)]


def tables(blocks: Sequence[Block]) -> list[Table]:
    """A record's blocks that the test expects to be tables (a form's rows, a sheet's), every one of them."""
    assert all(isinstance(b, Table) for b in blocks), [type(b).__name__ for b in blocks]
    return [b for b in blocks if isinstance(b, Table)]
