"""Refuse hostile or broken submission files before a library opens them.

Readers hand every file to `check_package` first. It looks only at bytes and
zip metadata, with bounded reads, so a decompression bomb or a huge central
directory is refused before anything is inflated into memory:

- empty, too large, or not a zip at all (an old 97-2003 file, a password-
  protected file, a PDF or an image renamed to .docx);
- a damaged zip (truncated, bad CRC, encrypted or oddly compressed parts);
- a decompression bomb: too many parts, too much unpacked data, an absurd
  compression ratio, an XML part too large to parse in memory;
- the wrong thing inside (an Excel workbook called .docx, an OpenDocument file);
- a DOCTYPE or any other markup declaration before an XML part's root
  element, which is how external-entity and entity-expansion attacks start.
  Word and Excel never write one. Only XML parts are looked at this way (by
  name or declared content type): pictures, embedded objects, printer settings
  and the HTML chunks Word embeds (altChunk) are never parsed, so what they
  hold is no reason to refuse the file;
- a sheet whose merges, hyperlinks or furthest cell holding a value would make
  the reader visit millions of cells (a one-cell file can ask for 17 billion).
  Cells that are only formatted, and empty rows, count for nothing: a sheet
  formatted to its millionth row is read by its real content.

`guarded` wraps a reader: it runs the check, then turns whatever the
libraries raise on a malformed-but-passing package into an InputError that
names the file, in words: never an exception's own text or a path.
`clean_text` is the text hygiene readers apply to what they read.

The limits hold per file and per quarter (``MAX_QUARTER_*``): any quarter
folder they admit builds in under 1 GB (measured: bench/results.md).
"""

from __future__ import annotations

import functools
import re
import struct
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar
from xml.etree import ElementTree

from lxml import etree

from .errors import InputError, Place, Problem, describe_os_error, error, warning

# --- limits --------------------------------------------------------------------

MB = 1_000_000
MAX_FILE_BYTES = 100 * MB  # the file as sent; a 50 MB return full of photographs is read
MAX_PARTS = 2_000  # zip entries; Word and Excel write a few dozen
MAX_DIRECTORY_BYTES = 4 * MB  # the zip's central directory, read whole by zipfile
MAX_UNPACKED_BYTES = 200 * MB  # all parts together, unpacked
MAX_XML_PART_BYTES = 50 * MB  # one XML part, unpacked: parsed whole in memory
MAX_PARAGRAPHS = 20_000  # a Word return's paragraphs; the sample's longest has 40
MAX_SHEET_CELLS = 1_000_000  # a sheet's used rectangle, and the cells its merges and links cover
# Per quarter, summed over its returns. The PDF is laid out in parts (issue 16), so layout
# memory no longer grows with the document; what does grow is the reading, the checks and
# the final join of the parts: 100 times the sample (9,300 updates, 2.8 M characters) built
# in about 0.6 GB (bench/NOTES.md). The limits admit that with room to spare, and `make
# bench` builds a quarter at both of them (bench/results.md) to hold the build under 1 GB.
MAX_QUARTER_FILES = 200  # the sample has 11
MAX_QUARTER_UPDATES = 10_000  # the sample has 93
MAX_QUARTER_CHARACTERS = 3_000_000  # of update text and labels; the sample has 28,000
MAX_RATIO = 500  # unpacked:packed, for parts over RATIO_FLOOR; zeros deflate at 1,030:1, and
# 10,000 identical bullets in a document.xml at 228:1
RATIO_FLOOR = 1 * MB
HEAD_BYTES = 64 * 1024  # how much of an XML part's start is scanned for a DOCTYPE
CHUNK = 1 << 20  # streaming read size

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # the stream every encrypted OOXML file has
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


class _Kind:
    """What a file's extension promises: which application, which main part."""

    def __init__(self, suffix: str):
        self.suffix = suffix.lower() or "(no extension)"
        self.excel = self.suffix in (".xlsx", ".xlsm")
        self.app = "Excel" if self.excel else "Word"
        self.thing = "Excel workbook" if self.excel else "Word document"
        self.a_thing = ("an " if self.excel else "a ") + self.thing
        self.an_app = ("an " if self.excel else "a ") + self.app
        self.main_part = "xl/workbook.xml" if self.excel else "word/document.xml"
        self.main_types = (
            (b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
            if self.excel
            else (b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
        )

    @property
    def save_as(self) -> str:
        return f"open it in {self.app} and save it as {self.suffix}"


def _refuse(path: Path, message: str, hint: str = "", where: str = "") -> InputError:
    return InputError([error(message, Place(path.name, where), hint)])


def _size(n: int) -> str:
    if n >= MB:  # "100.4 MB" rather than a rounded "100 MB" beside a 100 MB limit
        return f"{n / MB:,.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(n / 1000)):,} KB"


# --- the package check -------------------------------------------------------------


def check_package(path: Path) -> None:
    """Raise InputError naming the file if it is not a package it is safe to open."""
    kind = _Kind(path.suffix)
    try:
        size = path.stat().st_size
        if size == 0:
            raise _refuse(path, "is empty (0 bytes)", "it was not saved or not copied completely: send it again")
        if size > MAX_FILE_BYTES:
            raise _refuse(path, f"is {_size(size)}; the limit is {_size(MAX_FILE_BYTES)}",
                          "remove or compress its pictures and send it again")
        with path.open("rb") as f:
            head = f.read(16)
            _sniff(path, kind, f, head)
            _directory_size(path, kind, f, size)
            f.seek(0)
            try:
                zf = zipfile.ZipFile(f)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error,
                    NotImplementedError, OSError) as exc:
                raise _damaged(path, kind, "its table of contents cannot be read") from exc
            with zf:
                _check_entries(path, kind, zf)
                _check_contents(path, kind, zf)
    except OSError as exc:
        raise _refuse(path, f"cannot be opened: {describe_os_error(exc)[0]}",
                      "check the file is not open elsewhere") from exc


def _damaged(path: Path, kind: _Kind, detail: str, where: str = "") -> InputError:
    """`detail` is in our words (what is wrong), never an exception's text."""
    return _refuse(path, f"is damaged: the file is incomplete or corrupt ({detail})",
                   f"it may have been cut short when copied or emailed: send it again, or {kind.save_as}", where)


def _sniff(path: Path, kind: _Kind, f: BinaryIO, head: bytes) -> None:
    """Name what a file that is not a zip really is."""
    if head.startswith(b"PK"):
        return
    if head.startswith(_OLE2):
        if _contains(f, _ENCRYPTION_INFO):
            raise _refuse(path, "is password-protected",
                          f"remove the password in {kind.app} (File, Info, Protect "
                          f"{'Workbook' if kind.excel else 'Document'}) and send it again")
        raise _refuse(path, f"is an old {kind.app} 97-2003 file (or password-protected: remove the password) "
                      f"renamed to {kind.suffix}", kind.save_as)
    if head.startswith(b"%PDF"):
        raise _refuse(path, f"is a PDF renamed to {kind.suffix}, not {kind.a_thing}",
                      f"send the {kind.thing} itself")
    for magic, name in _IMAGES:
        if head.startswith(magic):
            raise _refuse(path, f"is an image ({name}) renamed to {kind.suffix}, not {kind.a_thing}",
                          f"send the {kind.thing} itself")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise _refuse(path, f"is an image (WebP) renamed to {kind.suffix}, not {kind.a_thing}",
                      f"send the {kind.thing} itself")
    if head.startswith(b"{\\rtf"):
        raise _refuse(path, f"is an RTF file renamed to {kind.suffix}", kind.save_as)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise _refuse(path, f"is a web page or XML file renamed to {kind.suffix}, not {kind.a_thing}",
                      kind.save_as)
    raise _refuse(path, f"is not {kind.an_app} file (its contents are not a {kind.suffix} package)",
                  f"{kind.save_as}; if it will not open, ask for it again")


def _contains(f: BinaryIO, needle: bytes) -> bool:
    """Stream the file looking for needle; memory stays at one chunk."""
    f.seek(0)
    tail = b""
    while chunk := f.read(CHUNK):
        if needle in tail + chunk:
            return True
        tail = chunk[-(len(needle) - 1):]
    return False


def _directory_size(path: Path, kind: _Kind, f: BinaryIO, size: int) -> None:
    """Read the zip's end record ourselves: zipfile would load the whole central
    directory (and a ZipInfo per entry) before we could count them."""
    tail_len = min(size, 22 + 0xFFFF + 20 + 56)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    pos = len(tail) - 22 if tail[-22:-18] == b"PK\x05\x06" else tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        return  # no end record: zipfile refuses it as not a zip
    _, _, _, _, entries, cd_size, cd_offset, _ = struct.unpack("<4s4H2LH", tail[pos:pos + 22])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        record = tail[pos - 76:pos - 20] if pos >= 76 else b""
        if tail[pos - 20:pos - 16] != b"PK\x06\x07" or record[:4] != b"PK\x06\x06":
            raise _damaged(path, kind, "its zip end record points to a record that is not there")
        fields = struct.unpack("<4sQ2H2L4Q", record)
        entries, cd_size = fields[7], fields[8]
    if entries > MAX_PARTS:
        raise _bomb(path, f"it holds {entries:,} parts; the limit is {MAX_PARTS:,}")
    if cd_size > MAX_DIRECTORY_BYTES:
        raise _bomb(path, f"its table of contents is {_size(cd_size)}; the limit is {_size(MAX_DIRECTORY_BYTES)}")


def _unpacking(exc: BaseException) -> str:
    """What went wrong unpacking a part, in words."""
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return "a part does not match its checksum"
    if isinstance(exc, EOFError | struct.error):
        return "a part ends too soon"
    if isinstance(exc, zlib.error):
        return "a part cannot be unpacked"
    if isinstance(exc, OSError):
        return f"it cannot be read from the disk: {describe_os_error(exc)[0]}"
    return "a part cannot be unpacked"


def _bomb(path: Path, detail: str, where: str = "") -> InputError:
    return _refuse(path, f"refused as a possible decompression bomb: {detail}",
                   "Word and Excel never write files like this: ask for the file to be saved again", where)


def _check_entries(path: Path, kind: _Kind, zf: zipfile.ZipFile) -> None:
    """Everything zip metadata can tell, before a byte is inflated."""
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise _bomb(path, f"it holds {len(infos):,} parts; the limit is {MAX_PARTS:,}")
    total = 0
    for info in infos:
        where = f"part '{info.filename[:80]}'"
        if info.flag_bits & 0x1:
            raise _refuse(path, "is encrypted inside (a zip password)", "remove the password and send it again",
                          where)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged(path, kind, f"compression method {info.compress_type}, which {kind.app} never uses",
                           where)
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise _bomb(path, f"it unpacks to more than {_size(MAX_UNPACKED_BYTES)}, the limit")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _bomb(path, f"it unpacks from {_size(info.compress_size)} to {_size(info.file_size)} "
                        f"({ratio:,}:1; the limit is {MAX_RATIO}:1)", where)
        if _xml_name(info.filename) and info.file_size > MAX_XML_PART_BYTES:
            raise _refuse(path, f"is too large to read: it unpacks to {_size(info.file_size)}; "
                          f"the limit for one part is {_size(MAX_XML_PART_BYTES)}",
                          "split the return into smaller files", where)


def _xml_name(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _check_contents(path: Path, kind: _Kind, zf: zipfile.ZipFile) -> None:
    """The right main part, every part intact (CRC), no XML part with a DTD, and
    for a workbook no sheet that would make more than MAX_SHEET_CELLS cells."""
    names = set(zf.namelist())
    if "[Content_Types].xml" not in names:
        raise _wrong_inside(path, kind, names, zf)
    types = _read_bounded(path, kind, zf, "[Content_Types].xml", 4 * MB)
    if kind.main_part not in names and not any(t in types for t in kind.main_types):
        raise _wrong_inside(path, kind, names, zf)
    declared = _ContentTypes(types)
    for info in zf.infolist():
        if info.is_dir():
            continue
        where = f"part '{info.filename[:80]}'"
        xml = declared.is_xml(info.filename)
        try:
            with zf.open(info) as part:
                chunk = part.read(HEAD_BYTES)
                problem = _xml_head_problem(chunk, complete=len(chunk) < HEAD_BYTES) if xml else None
                sheet = _SheetScan() if kind.excel and xml and not problem and _xml_name(info.filename) else None
                while chunk:  # reading to the end checks the CRC
                    if sheet:
                        sheet.feed(chunk)
                    chunk = part.read(CHUNK)
        except (zipfile.BadZipFile, EOFError, zlib.error, ValueError, struct.error, NotImplementedError,
                RuntimeError, OSError) as exc:
            raise _damaged(path, kind, _unpacking(exc), where) from exc
        if problem:
            raise _refuse(path, problem, f"it was not saved by {kind.app}: {kind.save_as}", where)
        if sheet and (too_big := sheet.problem()):
            raise _refuse(path, too_big, "delete the empty rows and columns after your table and any "
                          "stray cell far from it, save, and send it again", where)


_DEFAULT = re.compile(rb"<(?:\w+:)?Default\b[^>]*>")
_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>")
_ATTRIBUTE = re.compile(rb"""\b(Extension|PartName|ContentType)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Never parsed by any reader: pictures (SVG carries DTDs), and what Word embeds as an
# HTML, MHT or RTF chunk (altChunk), whatever its name.
_NOT_PARSED = ("html", "rfc822", "rtf", "image/", "text/plain")


class _ContentTypes:
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
        return _xml_name(name) or bool(declared and declared.endswith(("+xml", "/xml")))


def _read_bounded(path: Path, kind: _Kind, zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with zf.open(name) as part:
            return part.read(limit)
    except (zipfile.BadZipFile, EOFError, zlib.error, ValueError, struct.error, NotImplementedError,
            RuntimeError, OSError) as exc:
        raise _damaged(path, kind, _unpacking(exc), f"part '{name}'") from exc


def _wrong_inside(path: Path, kind: _Kind, names: set[str], zf: zipfile.ZipFile) -> InputError:
    if kind.excel and "word/document.xml" in names:
        return _refuse(path, f"is a Word document renamed to {kind.suffix}", "rename it to .docx")
    if not kind.excel and "xl/workbook.xml" in names:
        return _refuse(path, f"is an Excel workbook renamed to {kind.suffix}", "rename it to .xlsx")
    if "ppt/presentation.xml" in names:
        return _refuse(path, f"is a PowerPoint presentation renamed to {kind.suffix}",
                       f"send the {kind.thing} itself")
    if "mimetype" in names and "content.xml" in names:
        return _refuse(path, f"is an OpenDocument (LibreOffice) file renamed to {kind.suffix}", kind.save_as)
    return _refuse(path, f"is a {kind.suffix} that is something else inside "
                   f"(a zip file with no {kind.thing} in it)", f"send the {kind.thing} itself")


# --- sheets ------------------------------------------------------------------------------

_COORD = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _coordinate(ref: str) -> tuple[int, int] | None:
    """(row, column) of "B7", as openpyxl reads it; None when it is not one."""
    m = _COORD.match(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


class _SheetScan:
    """Stream a worksheet part through expat (as openpyxl parses it) to learn,
    before openpyxl loads it, how many cells reading it would make: the reader
    makes a cell for every cell a merge or a hyperlink covers, and walks every
    row up to the furthest cell that holds a value. One stray value at
    XFD1048576, or one merge of A1:XFD1048576, is 17 billion cells. Cells that
    are only formatted, empty rows and the sheet's claimed dimension count for
    nothing: the reader does not keep them."""

    def __init__(self) -> None:
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.row = self.col = self.max_row = self.max_col = 0
        self.cell: tuple[int, int] | None = None  # the cell being read, until it shows a value
        self.furthest = (0, 0)  # the furthest row and column named at all: Excel has no cell past XFD1048576
        self.covered = 0  # cells inside merges and hyperlinks
        self.failed = False

    def feed(self, data: bytes) -> None:
        if not self.failed:
            try:
                self.parser.Parse(data, False)
            except (xml.parsers.expat.ExpatError, ValueError, OverflowError):
                self.failed = True  # not well-formed: openpyxl will refuse it, having made nothing

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        name = name.rpartition(":")[2]
        if name == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() else self.row + 1
            self.col = 0
            self.cell = None
            self.furthest = (max(self.furthest[0], self.row), self.furthest[1])
        elif name == "c":
            where = _coordinate(attrs["r"]) if attrs.get("r") else None
            if where:
                row, self.col = where
            else:
                row, self.col = self.row, self.col + 1
            self.cell = (row, self.col)
            self.furthest = (max(self.furthest[0], row), max(self.furthest[1], self.col))
        elif name in ("v", "is", "f") and self.cell is not None:
            row, col = self.cell  # a value, an inline string or a formula: the cell is read
            self.max_row, self.max_col = max(self.max_row, row), max(self.max_col, col)
            self.cell = None
        elif name in ("mergeCell", "hyperlink") and ":" in attrs.get("ref", ""):
            first, _, last = attrs["ref"].partition(":")
            a, b = _coordinate(first), _coordinate(last)
            if a and b:
                self.covered += (abs(b[0] - a[0]) + 1) * (abs(b[1] - a[1]) + 1)

    def problem(self) -> str | None:
        rows, cols = self.furthest
        if rows > EXCEL_ROWS or cols > EXCEL_COLUMNS:  # the reader would walk every row up to it
            what = f"row {rows:,}" if rows > EXCEL_ROWS else f"column {cols:,}"
            return (f"has a sheet with a {what}, past the last Excel has "
                    f"({EXCEL_ROWS:,} rows, {EXCEL_COLUMNS:,} columns)")
        if self.covered > MAX_SHEET_CELLS:
            return (f"has a sheet whose merged cells and links cover {self.covered:,} cells; "
                    f"the limit is {MAX_SHEET_CELLS:,}")
        cells = self.max_row * self.max_col
        if cells > MAX_SHEET_CELLS:
            corner = _column_letters(self.max_col) + str(self.max_row)
            return (f"has a sheet that reaches cell {corner[:20]}: {cells:,} cells to read; "
                    f"the limit is {MAX_SHEET_CELLS:,}")
        return None


EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


def _column_letters(n: int) -> str:
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters or "A"


# --- XML heads ----------------------------------------------------------------------

_SAFE_8BIT = re.compile(r"^(utf-?8|(us-)?ascii|iso[-_]?8859-\d{1,2}|latin-?\d|(windows|cp)-?125\d)$", re.I)
_SAFE_WIDE = re.compile(r"^(utf-?(16|32)(-?[lb]e)?|ucs-?[24]|unicode)$", re.I)
_ENCODING = re.compile(r"""encoding\s*=\s*["']([^"']*)["']""")
_NAME_START = re.compile(r"[^\s?!/<>=\"']")


def _decode_head(head: bytes) -> tuple[str | None, bool]:
    """The head as text by its byte-order mark or first bytes (as XML parsers
    detect it), and whether it is a wide encoding (UTF-16/32)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                       (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, "replace"), codec != "utf-8"
    for start, codec in ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
                         (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be")):
        if head.startswith(start):
            return head.decode(codec, "replace"), True
    if head.startswith(b"\x4c\x6f\xa7\x94"):  # "<?xm" in EBCDIC
        return None, False
    return head.decode("utf-8", "replace"), False


def _xml_head_problem(head: bytes, complete: bool) -> str | None:
    """Why this part's prolog (everything before the root element) is unsafe, or
    None. Parts that are not XML at all (pictures, vbaProject.bin) pass: no XML
    parser accepts them either. `complete` is True when head is the whole part."""
    text, wide = _decode_head(head)
    if text is None:
        return "is XML in an EBCDIC encoding, which Word and Excel never write"
    i = len(text) - len(text.lstrip(" \t\r\n"))
    if not text.startswith("<", i):
        return None  # not XML
    if text.startswith("<?xml", i):
        end = text.find("?>", i)
        if end < 0:
            return None if complete else "has an XML declaration that does not end"
        m = _ENCODING.search(text, i, end)
        if m and not (_SAFE_WIDE if wide else _SAFE_8BIT).match(m.group(1).strip()):
            return f"is XML in the character encoding '{m.group(1)[:40]}', which Word and Excel never write"
        i = end + 2
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        if i >= len(text):
            return None if complete else "has more than 64 KB before its first element"
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            step = 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            step = 3
        elif text.startswith("<!", i):
            what = "a document type declaration (<!DOCTYPE …>)" if text.startswith("<!DOCTYPE", i) \
                else "a markup declaration (<!…>)"
            return (f"has {what}, an unsafe XML construct Word and Excel never write "
                    "(it can read other files or expand to exhaust memory)")
        elif text.startswith("<", i) and _NAME_START.match(text, i + 1):
            return None  # the root element: no DTD can follow
        else:
            return None if complete else "is not well-formed XML"
        if end < 0:
            return None if complete else "has more than 64 KB before its first element"
        i = end + step


# --- around a reader -----------------------------------------------------------------

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
    kind = _Kind(path.suffix)
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
        why = _unpacking(exc)
    elif _optional_errors() and isinstance(exc, _optional_errors()):
        why = "a picture in it declares more pixels than any real picture has (a possible decompression bomb)"
    else:
        why = f"it holds a value {kind.app} does not write"
    if is_strict(path):
        return _refuse(path, f"is saved as Strict Open XML and cannot be read ({why})",
                       f"open it in {kind.app} and save it as an ordinary {kind.thing} "
                       f"({'Excel Workbook' if kind.excel else 'Word Document'}, {kind.suffix})", where)
    return _refuse(path, f"cannot be read: its contents are damaged or not laid out as {kind.app} saves them "
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
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, struct.error, ValueError,
            NotImplementedError, RuntimeError, OSError):
        return False


# --- text hygiene -------------------------------------------------------------------------

# Characters XML 1.0 forbids (C0 controls but tab, LF and CR; lone surrogates;
# U+FFFE and U+FFFF) and the C1 controls it discourages: a document cannot hold
# them, so they are removed and the reader warns. A vertical tab or form feed
# (Excel's pasted line break) becomes a space, so words stay apart.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_AS_SPACE = {"\x0b": " ", "\x0c": " "}
# Pasted from other systems, harmless but not wanted: removed or made plain, no warning.
_TIDY = str.maketrans({
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
    "\u2028": " ",  # line separator
    "\u2029": " ",  # paragraph separator
    "\x85": " ",  # next line (NEL)
    "\u200b": None,  # zero-width space
    "\ufeff": None,  # byte-order mark / zero-width no-break space
})


def clean_text(text: str) -> tuple[str, bool]:
    """Text as it may go into a document, and whether forbidden characters were removed."""
    text = text.translate(_TIDY)
    cleaned, n = _FORBIDDEN.subn(lambda m: _AS_SPACE.get(m.group(), ""), text)
    return cleaned, n > 0


def removed_characters(place: Place) -> Problem:
    """The warning a reader gives where clean_text removed characters."""
    return warning("control characters that a document cannot hold were removed", place,
                   "check the text reads as intended")
