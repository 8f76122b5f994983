"""What the libraries raise on a malformed package that passed ``safety.check`` → an
InputError naming the file and, where known, the part, in words: never the
exception's own text or a path. ``guarded`` wraps a reader with the check and this."""

from __future__ import annotations

import functools
import struct
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from xml.etree import ElementTree

from lxml import etree

from ..errors import InputError
from ..safety.check import check_package
from ..safety.limits import MB
from ..safety.refusals import Kind, refuse
from ..safety.unpacking import ZIP_ERRORS, unpacking


def _optional_errors() -> tuple[type[BaseException], ...]:
    """Pillow's refusal of a picture declaring billions of pixels: openpyxl opens
    pictures in a workbook with Pillow when it is installed (WeasyPrint needs it)."""
    try:
        from PIL.Image import DecompressionBombError
    except ImportError:
        return ()
    return (DecompressionBombError,)


# What python-docx, openpyxl, lxml, expat and zipfile raise on a malformed package
# that passed check_package, and what a reader's own code raises on values no
# application would write (an ilvl of "x", a date in year 90000).
LIBRARY_ERRORS: tuple[type[BaseException], ...] = (
    etree.LxmlError,  # XMLSyntaxError and friends
    ElementTree.ParseError,
    xml.parsers.expat.ExpatError,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    EOFError,
    KeyError,
    ValueError,  # also UnicodeError
    TypeError,
    AttributeError,
    IndexError,
    OverflowError,
    NotImplementedError,
    RecursionError,
    *_optional_errors(),
)

R = TypeVar("R")


class BadPart(ValueError):
    """A reader's own finding that a part cannot be read: which part, and why, in words."""

    def __init__(self, part: str, why: str, line: int | None = None):
        super().__init__(f"{part}: {why}")
        self.part, self.why, self.line = part, why, line


def guarded(read: Callable[[Path], R]) -> Callable[[Path], R]:
    """Wrap a reader: check the package first, and report anything the
    libraries raise while reading it as an InputError naming the file and,
    where known, the part, in words (never the exception's text)."""

    @functools.wraps(read)
    def guarded_read(path: Path) -> R:
        check_package(path)
        try:
            return read(path)
        except InputError:
            raise
        except LIBRARY_ERRORS as exc:
            raise unreadable(path, exc) from exc

    return guarded_read


def unreadable(path: Path, exc: BaseException) -> InputError:
    """The refusal of a package that passed the check but that cannot be read."""
    kind = Kind(path.suffix)
    where = ""
    if isinstance(exc, BadPart):
        why = exc.why
        where = f"part '{exc.part[:80]}'" + (f", line {exc.line}" if exc.line else "")
    elif isinstance(exc, etree.LxmlError | ElementTree.ParseError | xml.parsers.expat.ExpatError):
        why = "a part is not well-formed XML"
    elif isinstance(exc, KeyError):
        why = "a part it refers to is missing"
    elif isinstance(exc, RecursionError):
        why = "its content is nested too deeply"
    elif isinstance(exc, zipfile.BadZipFile | zipfile.LargeZipFile | zlib.error | struct.error | EOFError):
        why = unpacking(exc)
    elif _optional_errors() and isinstance(exc, _optional_errors()):
        why = "a picture in it declares more pixels than any real picture has (a possible decompression bomb)"
    else:
        why = f"it holds a value {kind.app} does not write"
    if is_strict(path):
        return refuse(path, f"is saved as Strict Open XML and cannot be read ({why})",
                      f"open it in {kind.app} and save it as an ordinary {kind.thing} "
                      f"({'Excel Workbook' if kind.excel else 'Word Document'}, {kind.suffix})", where)
    return refuse(path, f"cannot be read: its contents are damaged or not laid out as {kind.app} saves them "
                  f"({why})", f"{kind.save_as} again; if that does not help, report it with the file", where)


_STRICT_RELATIONSHIPS = b"http://purl.oclc.org/ooxml/officeDocument/relationships"


def is_strict(path: Path) -> bool:
    """Whether a package is saved as Strict Open XML (its main part found by a Strict relationship)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = {n.casefold(): n for n in zf.namelist()}
            rels = names.get("_rels/.rels")
            if rels is None:
                return False
            with zf.open(rels) as f:
                return _STRICT_RELATIONSHIPS in f.read(4 * MB)
    except ZIP_ERRORS:
        return False
