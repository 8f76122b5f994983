"""The first bytes of a file that is not a zip → what it really is, named: an old
97-2003 file (or a password-protected one), a PDF, an image, an RTF file, a web page
renamed to .docx or .xlsx; what cannot be named is "not a Word file"."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from .refusals import Kind, refuse

CHUNK = 1 << 20  # streaming read size
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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


def sniff(path: Path, kind: Kind, f: BinaryIO, head: bytes) -> None:
    """Name what a file that is not a zip really is."""
    if head.startswith(b"PK"):
        return
    if head.startswith(OLE2):
        if _contains(f, _ENCRYPTION_INFO):
            raise refuse(path, "is password-protected",
                         f"remove the password in {kind.app} (File, Info, Protect "
                         f"{'Workbook' if kind.excel else 'Document'}) and send it again")
        raise refuse(path, f"is an old {kind.app} 97-2003 file (or password-protected: remove the password) "
                     f"renamed to {kind.suffix}", kind.save_as)
    if head.startswith(b"%PDF"):
        raise refuse(path, f"is a PDF renamed to {kind.suffix}, not {kind.a_thing}",
                     f"send the {kind.thing} itself")
    for magic, name in _IMAGES:
        if head.startswith(magic):
            raise refuse(path, f"is an image ({name}) renamed to {kind.suffix}, not {kind.a_thing}",
                         f"send the {kind.thing} itself")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise refuse(path, f"is an image (WebP) renamed to {kind.suffix}, not {kind.a_thing}",
                     f"send the {kind.thing} itself")
    if head.startswith(b"{\\rtf"):
        raise refuse(path, f"is an RTF file renamed to {kind.suffix}", kind.save_as)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise refuse(path, f"is a web page or XML file renamed to {kind.suffix}, not {kind.a_thing}",
                     kind.save_as)
    raise refuse(path, f"is not {kind.an_app} file (its contents are not a {kind.suffix} package)",
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

