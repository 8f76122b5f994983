"""Hostile and broken submissions, made in code (issue 7).

Each builder writes one file at the path it is given and returns the path.
Zips are taken apart and put back with zipfile; the decompression bombs are
written by hand (local headers, central directory, end record) so a part that
inflates to a gigabyte costs a megabyte on disk and no time to make.
"""

from __future__ import annotations

import functools
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl

from .builders import bullet, excel, word
from .present import sheet as active

MIB = 1 << 20
GOOD_TEXT = "Volunteers joined 14 neighbourhood watch schemes"

# --- good files to start from -------------------------------------------------


def good_word(path: Path, text: str = GOOD_TEXT) -> Path:
    return word(path, [("h", "Priority 7"), "1", (0, text)])


def good_excel(path: Path, text: str = GOOD_TEXT) -> Path:
    return excel(path, [[7, 1, None, 1, text]])


# --- zips taken apart and put back --------------------------------------------------


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def write_parts(path: Path, contents: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
    return path


def _replace(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old
    return data.replace(old, new)


# --- not a package at all -----------------------------------------------------------


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated(path: Path) -> Path:
    """A good document cut off part-way, as an interrupted copy leaves it."""
    data = good_word(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def corrupt(path: Path) -> Path:
    """A good document with bytes changed inside its compressed document part."""
    good_word(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 20, start + min(info.compress_size, 120)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole2(streams: list[str]) -> bytes:
    """The start of a Compound File with directory entries naming these streams:
    enough for anything that sniffs it (a real one is built the same way, in sectors)."""
    header = _OLE2 + b"\x00" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE) + b"\x00" * (512 - 30)
    entries = b""
    for name in ["Root Entry", *streams]:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entries += raw + b"\x00" * (64 - len(raw)) + struct.pack("<H", len(raw)) + b"\x02" + b"\x00" * 61
    return header + entries + b"\x00" * 1024


def renamed_doc(path: Path) -> Path:
    """A Word 97-2003 .doc saved under a .docx name."""
    path.write_bytes(_ole2(["WordDocument", "1Table", "\x05SummaryInformation"]))
    return path


def password_protected(path: Path) -> Path:
    """What Word writes when a .docx is encrypted: an OLE2 container, not a zip."""
    path.write_bytes(_ole2(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]))
    return path


def renamed_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                     b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    return path


def renamed_png(path: Path) -> Path:
    """A real one-pixel PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    path.write_bytes(png)
    return path


def renamed_jpeg(path: Path) -> Path:
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
                     + b"\x00" * 64 + b"\xff\xd9")
    return path


def excel_as_word(path: Path) -> Path:
    """A workbook saved with a .docx name."""
    good_excel(path.with_suffix(".tmp.xlsx"))
    os.replace(path.with_suffix(".tmp.xlsx"), path)
    return path


def other_zip(path: Path) -> Path:
    """A zip that is no Office document at all."""
    return write_parts(path, {"notes/readme.txt": b"hello", "photo.jpg": b"\xff\xd8\xff\xe0"})


def no_header(path: Path) -> Path:
    return excel(path, [[1, 2, 3]], header=("Team", "Quarter", "Notes"))


# --- decompression bombs ------------------------------------------------------------


@dataclass
class Member:
    """A zip member as stored: its compressed bytes and what its headers declare."""

    name: str
    data: bytes
    method: int
    crc: int
    size: int


def deflated(name: str, raw: bytes) -> Member:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, c.compress(raw) + c.flush(), zipfile.ZIP_DEFLATED, zlib.crc32(raw), len(raw))


@functools.cache
def _zero_piece() -> bytes:
    """1 MiB of zeros deflated and fully flushed: it inflates the same wherever it stands."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(b"\x00" * MIB) + c.flush(zlib.Z_FULL_FLUSH)


@functools.cache
def _zeros_crc(mib: int) -> int:
    crc, block = 0, b"\x00" * MIB
    for _ in range(mib):
        crc = zlib.crc32(block, crc)
    return crc


def zeros(name: str, mib: int, declared: int | None = None) -> Member:
    """A part of `mib` MiB of zeros (about 1 KB per MiB packed). `declared`
    makes its headers lie about the unpacked size."""
    data = _zero_piece() * mib + b"\x03\x00"  # then an empty final block
    size = mib * MIB if declared is None else declared
    return Member(name, data, zipfile.ZIP_DEFLATED, _zeros_crc(mib), size)


def write_members(path: Path, members: list[Member], claimed_entries: int | None = None) -> Path:
    """A zip written field by field, as any zip tool does."""
    body, directory = b"", b""
    for m in members:
        name = m.name.encode()
        offset = len(body)
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, m.method, 0, 0x21, m.crc, len(m.data),
                            m.size, len(name), 0) + name + m.data
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, m.method, 0, 0x21, m.crc, len(m.data),
                                 m.size, len(name), 0, 0, 0, 0, 0, offset) + name
    n = len(members) if claimed_entries is None else claimed_entries
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(directory), len(body), 0)
    path.write_bytes(body + directory + end)
    return path


def _word_members(tmp: Path, replace: dict[str, Member]) -> list[Member]:
    good = parts(good_word(tmp))
    tmp.unlink()
    return [replace.pop(name) if name in replace else deflated(name, data) for name, data in good.items()] \
        + list(replace.values())


def gigabyte_bomb(path: Path) -> Path:
    """word/document.xml inflates to 1 GiB; the file is about 1 MB."""
    big = {"word/document.xml": zeros("word/document.xml", 1024)}
    return write_members(path, _word_members(path.with_suffix(".tmp"), big))


def lying_bomb(path: Path) -> Path:
    """The same gigabyte, but the headers say the part is 10 KB."""
    bomb = zeros("word/document.xml", 1024, declared=10_000)
    return write_members(path, _word_members(path.with_suffix(".tmp"), {"word/document.xml": bomb}))


def ratio_bomb(path: Path) -> Path:
    """150 MiB of zeros in a picture part: under the total limit, but 1000:1."""
    zeroed = {"word/media/image1.png": zeros("word/media/image1.png", 150)}
    return write_members(path, _word_members(path.with_suffix(".tmp"), zeroed))


def many_parts(path: Path, n: int = 2_500) -> Path:
    contents = parts(good_word(path))
    for i in range(n):
        contents[f"customXml/item{i + 10}.xml"] = b"<a/>"
    return write_parts(path, contents, zipfile.ZIP_STORED)


def claimed_parts(path: Path) -> Path:
    """A small file whose end record claims 60,000 parts."""
    good = parts(good_word(path))
    return write_members(path, [deflated(k, v) for k, v in good.items()], claimed_entries=60_000)


# --- XML attacks ----------------------------------------------------------------------

MARKER = "ATTACKMARKER"


def _laughs(root: str) -> str:
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    return f"<!DOCTYPE {root} [{''.join(ents)}]>"


def _with_doctype(xml: bytes, doctype: str, ref: str) -> bytes:
    decl_end = xml.index(b"?>") + 2
    return _replace(xml[:decl_end] + b"\n" + doctype.encode() + xml[decl_end:], MARKER.encode(), ref.encode())


def word_xxe(path: Path, secret: Path) -> Path:
    """word/document.xml declares an external entity naming a local file."""
    contents = parts(good_word(path, f"Before {MARKER} after"))
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    contents["word/document.xml"] = _with_doctype(contents["word/document.xml"], doctype, "&xxe;")
    return write_parts(path, contents)


def word_laughs(path: Path) -> Path:
    contents = parts(good_word(path, f"Before {MARKER} after"))
    contents["word/document.xml"] = _with_doctype(contents["word/document.xml"], _laughs("w:document"), "&lol9;")
    return write_parts(path, contents)


def word_doctype_utf16(path: Path) -> Path:
    """The same attack in a UTF-16 document part, which a byte search for
    '<!DOCTYPE' would miss."""
    contents = parts(good_word(path, f"Before {MARKER} after"))
    xml = _with_doctype(contents["word/document.xml"], _laughs("w:document"), "&lol9;")
    xml = xml.replace(b"encoding='UTF-8'", b"encoding='UTF-16'").replace(b'encoding="UTF-8"', b'encoding="UTF-16"')
    contents["word/document.xml"] = b"\xff\xfe" + xml.decode().encode("utf-16-le")
    return write_parts(path, contents)


def excel_shared(path: Path, text: str = GOOD_TEXT) -> dict[str, bytes]:
    """A good workbook's parts with its update in xl/sharedStrings.xml, where
    Excel keeps cell text (openpyxl itself writes text inline)."""
    contents = parts(good_excel(path, text))
    contents["xl/worksheets/sheet1.xml"] = _replace(
        contents["xl/worksheets/sheet1.xml"], f't="inlineStr"><is><t>{text}</t></is>'.encode(), b't="s"><v>0</v>')
    contents["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        f"<si><t>{text}</t></si></sst>").encode()
    contents["xl/_rels/workbook.xml.rels"] = _replace(
        contents["xl/_rels/workbook.xml.rels"], b"</Relationships>",
        b'<Relationship Id="rIdSst1" Target="sharedStrings.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
    contents["[Content_Types].xml"] = _replace(
        contents["[Content_Types].xml"], b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return contents


def excel_xxe(path: Path, secret: Path) -> Path:
    contents = excel_shared(path, f"Before {MARKER} after")
    doctype = f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    contents["xl/sharedStrings.xml"] = _with_doctype(contents["xl/sharedStrings.xml"], doctype, "&xxe;")
    return write_parts(path, contents)


def excel_laughs(path: Path) -> Path:
    contents = excel_shared(path, f"Before {MARKER} after")
    contents["xl/sharedStrings.xml"] = _with_doctype(contents["xl/sharedStrings.xml"], _laughs("sst"), "&lol9;")
    return write_parts(path, contents)


# --- macro-enabled ---------------------------------------------------------------------

# What a macro project looks like to anything that does not run it: an OLE2
# container. This one names a macro that would leave a file behind if it ran.
def vba_project(proof: Path) -> bytes:
    source = (f'Sub AutoOpen()\r\n  Shell "touch {proof}"\r\nEnd Sub\r\n'
              'Sub Workbook_Open()\r\n  AutoOpen\r\nEnd Sub\r\n')
    return _ole2(["VBA", "dir", "ThisDocument", "PROJECT"]) + source.encode()


def docm(path: Path, proof: Path, text: str = GOOD_TEXT) -> Path:
    """A macro-enabled Word document as Word saves it: the main part's content
    type says so, and a vbaProject.bin part hangs off it."""
    contents = parts(good_word(path.with_suffix(".docx"), text))
    path.with_suffix(".docx").unlink()
    types = contents["[Content_Types].xml"]
    types = _replace(types, b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                     b"application/vnd.ms-word.document.macroEnabled.main+xml")
    contents["[Content_Types].xml"] = _replace(
        types, b"<Default Extension=\"xml\"",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default Extension="xml"')
    contents["word/_rels/document.xml.rels"] = _replace(
        contents["word/_rels/document.xml.rels"], b"</Relationships>",
        b'<Relationship Id="rIdVba1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        b'Target="vbaProject.bin"/></Relationships>')
    contents["word/vbaProject.bin"] = vba_project(proof)
    return write_parts(path, contents)


def xlsm(path: Path, proof: Path, text: str = GOOD_TEXT) -> Path:
    contents = parts(good_excel(path.with_suffix(".xlsx"), text))
    path.with_suffix(".xlsx").unlink()
    types = contents["[Content_Types].xml"]
    types = _replace(types, b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                     b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    contents["[Content_Types].xml"] = _replace(
        types, b"<Default Extension=\"xml\"",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default Extension="xml"')
    contents["xl/_rels/workbook.xml.rels"] = _replace(
        contents["xl/_rels/workbook.xml.rels"], b"</Relationships>",
        b'<Relationship Id="rIdVba1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        b'Target="vbaProject.bin"/></Relationships>')
    contents["xl/vbaProject.bin"] = vba_project(proof)
    return write_parts(path, contents)


# --- large but legitimate ------------------------------------------------------------------


def long_update(path: Path, chars: int = 100_000) -> tuple[Path, str]:
    words = " ".join(f"word{i % 97}" for i in range(chars))[: chars - 1] + "."
    return good_word(path, words), words


def many_rows(path: Path, n: int = 10_000) -> Path:
    book = openpyxl.Workbook(write_only=True)  # as fast as openpyxl writes
    sheet = book.create_sheet("Updates")
    sheet.append(["Priority", "Commitment", "District", "Level", "Update"])
    for i in range(n):
        sheet.append([7, 1, None, 1, f"Update number {i + 1} from the sheet"])
    book.save(path)
    return path


def fifty_megabytes(path: Path, size: int = 50 * 1_000_000) -> Path:
    """A good document carrying a 50 MB photograph (incompressible, stored)."""
    contents = parts(good_word(path))
    contents["word/_rels/document.xml.rels"] = _replace(
        contents["word/_rels/document.xml.rels"], b"</Relationships>",
        b'<Relationship Id="rIdPhoto1" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        b'Target="media/photo1.jpeg"/></Relationships>')
    contents["word/media/photo1.jpeg"] = b"\xff\xd8\xff\xe0" + os.urandom(size)
    return write_parts(path, contents, zipfile.ZIP_STORED)


def oversized(path: Path, size: int = 101 * 1_000_000) -> Path:
    """A file over the size limit (sparse on disk, so it costs nothing to make)."""
    good_word(path)
    with path.open("r+b") as f:
        f.truncate(size)
    return path


# --- text that only looks dangerous --------------------------------------------------------

MARKUP = [
    "{{ 7*7 }}",
    "{% for x in range(3) %}X{% endfor %}",
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd">',
    "background: url(https://example.org/x.png)",
    '=HYPERLINK("http://example.org","click")',
    "${7*7} #{7*7} <%= 7*7 %> &amp; &lt;b&gt;",
]


def word_updates(path: Path, texts: list[str]) -> Path:
    """Updates under Priority 7 commitment 1, each typed as one plain run (the
    shared builder reads '*' as emphasis, and this text must stay as typed)."""
    d = docx.Document()
    d.add_heading("Priority 7", level=1)
    d.add_paragraph("1")
    for text in texts:
        p = d.add_paragraph(style="List Paragraph")
        p.add_run(text)
        bullet(p, 0)
    d.save(str(path))
    return path


def excel_strings(path: Path, texts: list[str]) -> Path:
    """One row per text; every Update cell is a string, even one starting '='."""
    book = openpyxl.Workbook()
    sheet = active(book)
    sheet.title = "Updates"
    sheet.append(["Priority", "Commitment", "District", "Level", "Update"])
    for i, text in enumerate(texts, start=2):
        sheet.append([7, 1, None, 1, None])
        cell = sheet.cell(i, 5)
        cell.value = text
        cell.data_type = "s"  # as Excel stores '=… typed with a leading apostrophe
    book.save(path)
    return path


# --- cell bombs: small files that make openpyxl, or a reader, visit billions of cells -----------


def stray_cell(path: Path) -> Path:
    """A good sheet with one space typed in its very last cell."""
    book = openpyxl.load_workbook(good_excel(path))
    active(book)["XFD1048576"] = " "
    book.save(path)
    return path


def _sheet_xml(path: Path, after_sheet_data: bytes) -> Path:
    contents = parts(good_excel(path))
    contents["xl/worksheets/sheet1.xml"] = _replace(
        contents["xl/worksheets/sheet1.xml"], b"</sheetData>", b"</sheetData>" + after_sheet_data)
    return write_parts(path, contents)


def merge_bomb(path: Path) -> Path:
    """One merge over the whole sheet: openpyxl makes a cell for each of 17 billion."""
    return _sheet_xml(path, b'<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>')


def link_bomb(path: Path) -> Path:
    """A hyperlink over the whole sheet: the same, through openpyxl's hyperlink binding."""
    return _sheet_xml(path, b'<hyperlinks><hyperlink ref="A3:XFD1048576" display="x" location="A1"/></hyperlinks>')


def picture_bomb(path: Path) -> Path:
    """A workbook whose picture declares 100,000 x 100,000 pixels (Pillow refuses it on opening)."""
    from openpyxl.drawing.image import Image

    small = renamed_png(path.with_suffix(".png"))
    book = openpyxl.load_workbook(good_excel(path))
    active(book).add_image(Image(str(small)), "H2")
    book.save(path)
    small.unlink()
    contents = parts(path)
    [name] = [n for n in contents if n.startswith("xl/media/")]
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    ihdr = struct.pack(">I", 13) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR" + header))
    contents[name] = contents[name][:8] + ihdr + contents[name][8 + len(ihdr):]
    return write_parts(path, contents)


def row_past_excel(path: Path) -> Path:
    """An empty row numbered past Excel's last (a reader walking the rows up to it never ends)."""
    return _sheet_xml_rows(path, b'<row r="4294967296"/>')


def _sheet_xml_rows(path: Path, rows: bytes) -> Path:
    contents = parts(good_excel(path))
    contents["xl/worksheets/sheet1.xml"] = _replace(
        contents["xl/worksheets/sheet1.xml"], b"</sheetData>", rows + b"</sheetData>")
    return write_parts(path, contents)
