"""An Outlook message saved as a file (.msg: an OLE compound file, [MS-OXMSG]) → a Message.

olefile opens the compound file; the MAPI properties are read here: each storage's
fixed-size properties from its ``__properties_version1.0`` stream, the others from their
``__substg1.0_IIIITTTT`` streams (property id, type). Read: the message class (an
appointment, contact or task is no email), the subject, the sender (PR_SENDER_NAME, its
SMTP address, PR_SENDER_SMTP_ADDRESS or PR_SENDER_EMAIL_ADDRESS when that is not an
Exchange X.500 address, else the From of the headers it arrived with), when it was sent
(PR_CLIENT_SUBMIT_TIME), and each attachment's name (PR_ATTACH_LONG_FILENAME) and bytes
(PR_ATTACH_DATA_BIN), or the message attached (PR_ATTACH_DATA_OBJ), to ``DEPTH`` levels
down. A signed message (IPM.Note.SMIME.MultipartSigned) keeps its MIME body as an attachment:
that body is read as an .eml is.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from email.parser import HeaderParser
from email.policy import default

import olefile

from ...records import Sender
from . import eml, smime
from .message import DEPTH, Found

_PROPERTIES = "__properties_version1.0"
_ATTACH = "__attach_version1.0_#"
_EMBEDDED = "__substg1.0_3701000D"
# the property ids read
_SUBJECT, _CLASS, _HEADERS = 0x0037, 0x001A, 0x007D
_SENDER = (0x0C1A, 0x0C1E, 0x0C1F, 0x5D01)  # name, address type, address, SMTP address
_REPRESENTING = (0x0042, 0x0064, 0x0065, 0x5D02)  # the same, of whom it was sent for
_SUBMITTED, _DELIVERED = 0x0039, 0x0E06
_CODEPAGE, _INTERNET_CODEPAGE = 0x3FFD, 0x3FDE
_BODY, _HTML = 0x1000, 0x1013
_LONG_NAME, _SHORT_NAME, _DISPLAY_NAME, _DATA, _METHOD, _MIME, _CONTENT_ID, _HIDDEN = (
    0x3707, 0x3704, 0x3001, 0x3701, 0x3705, 0x370E, 0x3712, 0x7FFE)
_LONG_PATH, _PATH = 0x370D, 0x3708
# attach methods ([MS-OXCMSG] PidTagAttachMethod)
_BY_VALUE, _EMBEDDED_MESSAGE, _OLE = 1, 5, 6
_LINKS = frozenset((2, 3, 4, 7))  # by reference, resolved, reference only, a web (cloud) reference
# message classes that are not an email, by the start of their class: what Outlook saved
ITEMS = (
    ("ipm.appointment", "an Outlook appointment"),
    ("ipm.schedule.meeting", "an Outlook meeting request"),
    ("ipm.contact", "an Outlook contact"),
    ("ipm.distlist", "an Outlook contact group"),
    ("ipm.taskrequest", "an Outlook task request"),
    ("ipm.task", "an Outlook task"),
    ("ipm.stickynote", "an Outlook note"),
    ("ipm.activity", "an Outlook journal entry"),
)
_FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
# what olefile raises on a file that is not, or no longer, a whole compound file
OLE_ERRORS = (OSError, ValueError, struct.error, IndexError, KeyError, TypeError, OverflowError, MemoryError,
              RecursionError, EOFError, UnicodeDecodeError)


class Unusable(eml.Unusable):
    """An Outlook file that is no email to read (`item`: what it is instead), or cannot be read."""

    def __init__(self, why: str, encrypted: bool = False, item: str = ""):
        super().__init__(why, encrypted)
        self.item = item


def read(data: bytes, found: Found) -> tuple[str, Sender, str | None]:
    """Walk an Outlook message (its bytes) into `found`; its subject, sender and sent time."""
    if not data.startswith(olefile.MAGIC):
        raise Unusable("it is not an Outlook message (not a compound file)")
    with olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT) as ole:
        top = _Storage(ole, [], 32)
        kind = item(top.text(_CLASS))
        if kind:
            raise Unusable(f"is {kind}, not an email", item=kind)
        _Walk(found).message(top, (), 0)
        return top.text(_SUBJECT), _sender(top), _sent(top)


def attached_file(data: bytes, found: Found, chain: tuple[str, ...], depth: int) -> None:
    """An Outlook message attached to an email as a file: its attachments into `found`."""
    name = chain[-1]
    try:
        with olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT) as ole:
            storage = _Storage(ole, [], 32)
            kind = item(storage.text(_CLASS))
            if kind:
                found.note(chain[:-1], name, f"is {kind}, not an email with a return", "ask for the return itself")
                return
            _Walk(found).message(storage, chain, depth)
    except (*OLE_ERRORS, eml.Unusable):
        found.note(chain[:-1], name, "is an attached Outlook message that cannot be read",
                   "ask for the return itself, attached to one email")


def item(message_class: str) -> str:
    """What an Outlook item that is not an email is, by its class; "" for an email."""
    lower = message_class.casefold()
    return next((what for start, what in ITEMS if lower.startswith(start)), "")


@dataclass
class _Storage:
    """One message's, or one attachment's, storage: its properties by id."""

    ole: olefile.OleFileIO
    path: list[str]
    header: int  # the size of its properties stream's header: 32 top, 24 an attached message, 8 else

    def streams(self) -> dict[str, list[str]]:
        """Its children by name (streams and storages)."""
        depth = len(self.path)
        return {entry[depth]: entry[: depth + 1] for entry in self.ole.listdir(streams=True, storages=True)
                if len(entry) > depth and entry[:depth] == self.path}

    def stream(self, name: str, limit: int = 0) -> bytes | None:
        path = [*self.path, name]
        if self.ole.get_type(path) != olefile.STGTY_STREAM:
            return None
        with self.ole.openstream(path) as f:
            return bytes(f.read(limit) if limit else f.read())

    def fixed(self) -> dict[int, bytes]:
        """Property id -> its 8-byte value, from the properties stream."""
        data = self.stream(_PROPERTIES) or b""
        out = {}
        for at in range(self.header, len(data) - 15, 16):
            tag = struct.unpack_from("<I", data, at)[0]
            out[tag >> 16] = data[at + 8:at + 16]
        return out

    def number(self, prop: int) -> int | None:
        value = self.fixed().get(prop)
        return struct.unpack_from("<i", value)[0] if value else None

    def text(self, prop: int) -> str:
        """A string property, Unicode (001F) or in the message's code page (001E)."""
        raw = self.stream(f"__substg1.0_{prop:04X}001F")
        if raw is not None:
            return raw.decode("utf-16-le", "replace").split("\0", 1)[0].strip()
        raw = self.stream(f"__substg1.0_{prop:04X}001E")
        if raw is None:
            return ""
        return raw.decode(self.codepage(), "replace").split("\0", 1)[0].strip()

    def binary(self, prop: int) -> bytes | None:
        return self.stream(f"__substg1.0_{prop:04X}0102")

    def codepage(self) -> str:
        for prop in (_INTERNET_CODEPAGE, _CODEPAGE):
            number = self.number(prop)
            if number and number not in (1200, 1201, 65001):
                try:
                    return _codec(number)
                except LookupError:
                    continue
            if number == 65001:
                return "utf-8"
        return "cp1252"

    def attachments(self) -> Iterator[_Storage]:
        for name, path in sorted(self.streams().items()):
            if name.startswith(_ATTACH) and self.ole.get_type(path) == olefile.STGTY_STORAGE:
                yield _Storage(self.ole, path, 8)

    def embedded(self) -> _Storage | None:
        path = [*self.path, _EMBEDDED]
        return _Storage(self.ole, path, 24) if self.ole.get_type(path) == olefile.STGTY_STORAGE else None


def _codec(number: int) -> str:
    import codecs

    return codecs.lookup(f"cp{number}").name


class _Walk:
    """A message's attachments walked once, and the messages attached to it."""

    def __init__(self, found: Found):
        self.found = found

    def message(self, storage: _Storage, chain: tuple[str, ...], depth: int) -> None:
        message_class = storage.text(_CLASS).casefold()
        before = self.found.attached
        for attachment in storage.attachments():
            self.attachment(attachment, chain, depth, message_class)
        if self.found.attached == before and _has_link(storage):
            self.found.link(chain, "a link in its text")

    def attachment(self, att: _Storage, chain: tuple[str, ...], depth: int, message_class: str) -> None:
        method = att.number(_METHOD) or 0
        name = att.text(_LONG_NAME) or att.text(_SHORT_NAME) or att.text(_DISPLAY_NAME)
        mime = att.text(_MIME).casefold()
        if method in _LINKS:
            self.found.link(chain, name or att.text(_LONG_PATH) or att.text(_PATH) or "a file held elsewhere")
        elif method == _EMBEDDED_MESSAGE:
            self.attached_message(att, chain, name, depth)
        elif method == _OLE:
            self.found.attached += 1
            self.found.note(chain, self.found.safe(name or "embedded object"),
                            "is an object embedded in the message, not a return file", "ask for the return itself")
        elif message_class.startswith("ipm.note.smime") and (mime in eml.SMIME_TYPES or
                                                             name.casefold() in ("smime.p7m", "smime.p7s")):
            self.smime(att.binary(_DATA) or b"", chain, depth)
        else:
            data = att.binary(_DATA)
            if data is None:
                return  # nothing attached (method 0): no file
            hidden = att.number(_HIDDEN)
            if mime.startswith("image/") and att.text(_CONTENT_ID) and hidden:
                return  # a picture shown in the body, not an attachment
            if name.casefold().endswith((".eml", ".msg")):
                eml.Walk(self.found).attachment(name, data, mime, chain, depth)
            else:
                self.found.file_attached(chain, name or "attachment", data, mime)

    def attached_message(self, att: _Storage, chain: tuple[str, ...], name: str, depth: int) -> None:
        self.found.attached += 1
        inner = att.embedded()
        if inner is None:
            return
        name = name or (inner.text(_SUBJECT) or "attached message") + ".msg"
        if depth + 1 > DEPTH:
            self.found.too_deep(chain, name)
            return
        kind = item(inner.text(_CLASS))
        if kind:
            self.found.note(chain, self.found.safe(name), f"is {kind}, not an email with a return",
                            "ask for the return itself")
            return
        self.message(inner, (*chain, self.found.safe(name)), depth + 1)

    def smime(self, data: bytes, chain: tuple[str, ...], depth: int) -> None:
        """The S/MIME body Outlook keeps as an attachment: a signed message's MIME, read as
        an .eml is; an encrypted one cannot be read."""
        if smime.kind(data) == "encrypted":
            raise Unusable("it is encrypted", encrypted=True)
        if smime.kind(data) == "signed":
            try:
                data = smime.signed_content(data)
            except smime.NotCms:
                raise Unusable("its signed part cannot be read") from None
        inner = eml.parse(data)
        self.found.signed = True
        eml.Walk(self.found).message(inner, chain, depth)


def _has_link(storage: _Storage) -> bool:
    text = storage.text(_BODY).encode("utf-8", "replace") + (storage.binary(_HTML) or b"")
    return eml.DOCUMENT_LINK.search(text) is not None


def _sender(top: _Storage) -> Sender:
    """The sender's name and SMTP address; an Exchange X.500 address is no address to show."""
    for name_id, type_id, address_id, smtp_id in (_SENDER, _REPRESENTING):
        name = top.text(name_id)
        address = top.text(smtp_id)
        if not address and top.text(type_id).upper() != "EX":
            address = top.text(address_id)
        if "@" not in address or address.startswith("/"):
            address = ""
        if name or address:
            if not address:
                address = _header_address(top)
            return Sender(name, address)
    return Sender("", _header_address(top))


def _headers(top: _Storage) -> object:
    text = top.text(_HEADERS)
    return HeaderParser(policy=default).parsestr(text, headersonly=True) if text else None


def _header_address(top: _Storage) -> str:
    """The From of the headers the message arrived with, when it has them."""
    try:
        headers = _headers(top)
        value = headers["from"] if headers is not None else None  # type: ignore[index]
        addresses = getattr(value, "addresses", ())
    except eml.HEADER_ERRORS:
        return ""
    return next((a.addr_spec for a in addresses if "@" in a.addr_spec), "")


def _sent(top: _Storage) -> str | None:
    """PR_CLIENT_SUBMIT_TIME (else when it was delivered), in UTC."""
    fixed = top.fixed()
    for prop in (_SUBMITTED, _DELIVERED):
        value = fixed.get(prop)
        if value:
            ticks = struct.unpack("<Q", value)[0]
            try:
                when = _FILETIME_EPOCH + dt.timedelta(microseconds=ticks // 10)
            except OverflowError:
                continue
            if ticks:
                return when.replace(microsecond=0).isoformat()
    return None
