"""An XML part's first bytes → why its prolog (everything before the root element)
is unsafe, or None: a DOCTYPE or any other markup declaration, which is how
external-entity and entity-expansion attacks start, an encoding Word and Excel never
write, or more than HEAD_BYTES before the first element. Word and Excel write none
of these."""

from __future__ import annotations

import re

HEAD_BYTES = 64 * 1024  # how much of an XML part's start is scanned for a DOCTYPE
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


def xml_head_problem(head: bytes, complete: bool) -> str | None:
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
