"""An email saved as MIME (.eml) → a Message, with the standard library's ``email``
(``policy=default``): the sender (From), when it was sent (Date), the subject, and every
attachment, those of messages attached to it (message/rfc822, or an attached .eml or .msg
file) to ``DEPTH`` levels down.

A signed message (multipart/signed, or S/MIME's opaque signedData) is read from inside its
signed part; the signature is not checked. An encrypted one (S/MIME's envelopedData, or
multipart/encrypted) cannot be read: it is refused, or named when it is an attached message.
Pictures shown in the body (inline, with a Content-ID: a signature's logo) are the body's,
not attachments. A link to a document in a body that has nothing attached is named.
"""

from __future__ import annotations

import datetime as dt
import email.errors
import re
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from ...records import Sender
from . import smime
from .message import DEPTH, Found

_SIGNATURES = frozenset(("application/pkcs7-signature", "application/x-pkcs7-signature",
                         "application/pgp-signature"))
_PKCS7 = frozenset(("application/pkcs7-mime", "application/x-pkcs7-mime"))
SMIME_TYPES = _PKCS7 | {"multipart/signed"}  # how Outlook marks the S/MIME body it keeps as an attachment
_HEADERS = ("from", "date", "subject", "message-id", "mime-version", "content-type", "received", "to")
# what the email package raises reading a malformed header or a charset it does not know
HEADER_ERRORS = (email.errors.MessageError, ValueError, IndexError, LookupError, TypeError)
DOCUMENT_LINK = re.compile(rb"https?://[^\s<>\"']*(?:sharepoint|onedrive|1drv\.ms|dropbox|drive\.google|"
                            rb"wetransfer|\.docx|\.xlsx|\.docm|\.xlsm)", re.IGNORECASE)
_MAX_PARTS = 2_000  # MIME parts walked in one message, at most: mail programs write a handful


class Unusable(Exception):
    """A message that cannot be read whole: damaged, encrypted. `why` in words."""

    def __init__(self, why: str, encrypted: bool = False):
        super().__init__(why)
        self.why, self.encrypted = why, encrypted


def parse(data: bytes) -> EmailMessage:
    """The bytes as a message; Unusable when they are not one."""
    msg = BytesParser(_class=EmailMessage, policy=policy.default).parsebytes(data)
    if not any(k.casefold() in _HEADERS for k in msg):
        raise Unusable("it is not an email message")
    return msg


def read(data: bytes, found: Found) -> tuple[str, Sender, str | None]:
    """Walk a message (its bytes) into `found`; its subject, sender and sent time."""
    msg = parse(data)
    Walk(found).message(msg, (), 0)
    return header(msg, "subject"), sender(msg), sent(msg)


def header(msg: Message, name: str) -> str:
    try:
        value = msg[name]
    except HEADER_ERRORS:
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def sender(msg: Message) -> Sender:
    """The From header's first address: its display name and address."""
    try:
        value = msg["from"]
        addresses = getattr(value, "addresses", ())
        first = addresses[0] if addresses else None
    except HEADER_ERRORS:
        return Sender(header(msg, "from"))
    if first is None:
        return Sender(header(msg, "from"))
    address = first.addr_spec if "@" in first.addr_spec else ""
    return Sender(" ".join(first.display_name.split()), address)


def sent(msg: Message) -> str | None:
    """The Date header, in UTC (a time with no zone is taken as UTC)."""
    try:
        value = msg["date"]
        when = getattr(value, "datetime", None)
    except HEADER_ERRORS:
        return None
    if not isinstance(when, dt.datetime):
        return None
    when = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
    return when.isoformat()


class Walk:
    """A message's MIME tree walked once: its attachments, and the messages attached to it."""

    def __init__(self, found: Found):
        self.found = found
        self.parts = 0

    def message(self, msg: Message, chain: tuple[str, ...], depth: int) -> None:
        """One message: its parts, then (when nothing is attached) a link in its body."""
        before = self.found.attached
        body: list[bytes] = []
        self.part(msg, chain, depth, body)
        if self.found.attached == before and any(DOCUMENT_LINK.search(text) for text in body):
            self.found.link(chain, "a link in its text")

    def part(self, part: Message, chain: tuple[str, ...], depth: int, body: list[bytes]) -> None:
        self.parts += 1
        if self.parts > _MAX_PARTS:
            raise Unusable(f"it has more than {_MAX_PARTS:,} parts")
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload(0) if part.is_multipart() else None
            if isinstance(inner, Message):
                self.attached_message(inner, chain, _name(part) or _subject_name(inner), depth)
            return
        if part.is_multipart():
            self.multipart(part, ctype, chain, depth, body)
            return
        if ctype in _PKCS7:
            self.opaque(part, chain, depth, body)
            return
        if ctype in _SIGNATURES:
            return  # a signature beside the signed part: not checked
        name, disposition = _name(part), part.get_content_disposition()
        if ctype == "message/external-body":
            self.found.link(chain, name or "a file held elsewhere")
            return
        data = part.get_payload(decode=True)
        data = data if isinstance(data, bytes) else b""
        if not name and disposition != "attachment":
            if ctype.startswith("text/"):
                body.append(data)
            return  # the body's text, or a picture in it
        if disposition == "inline" and ctype.startswith("image/") and part["content-id"]:
            return  # a picture shown in the body (a signature's logo), not an attachment
        self.attachment(name or "attachment", data, ctype, chain, depth)

    def multipart(self, part: Message, ctype: str, chain: tuple[str, ...], depth: int, body: list[bytes]) -> None:
        if ctype == "multipart/encrypted":
            raise Unusable("it is encrypted", encrypted=True)
        if any(isinstance(d, email.errors.CloseBoundaryNotFoundDefect | email.errors.StartBoundaryNotFoundDefect)
               for d in part.defects):
            raise Unusable("it ends before its last part")
        if ctype == "multipart/signed":
            self.found.signed = True
        for sub in part.get_payload():
            if isinstance(sub, Message):
                self.part(sub, chain, depth, body)

    def opaque(self, part: Message, chain: tuple[str, ...], depth: int, body: list[bytes]) -> None:
        """An S/MIME body: a signed one read from inside; an encrypted one refused."""
        data = part.get_payload(decode=True)
        data = data if isinstance(data, bytes) else b""
        if smime.kind(data) != "signed":
            raise Unusable("it is encrypted", encrypted=True)
        try:
            inner = parse(smime.signed_content(data))
        except smime.NotCms:
            raise Unusable("its signed part cannot be read") from None
        self.found.signed = True
        self.part(inner, chain, depth, body)

    def attachment(self, name: str, data: bytes, ctype: str, chain: tuple[str, ...], depth: int) -> None:
        """A file attached: an email saved as a file is opened as an attached message."""
        lower = name.casefold()
        if lower.endswith(".eml"):
            try:
                inner = parse(data)
            except Unusable:
                self.found.file_attached(chain, name, data, ctype)
                return
            self.attached_message(inner, chain, name, depth)
        elif lower.endswith(".msg") and self.found.outlook is not None:  # an Outlook message attached as a file
            self.found.attached += 1
            if depth + 1 > DEPTH:
                self.found.too_deep(chain, name)
                return
            self.found.outlook(data, self.found, (*chain, self.found.safe(name)), depth + 1)
        else:
            self.found.file_attached(chain, name, data, ctype)

    def attached_message(self, inner: Message, chain: tuple[str, ...], name: str, depth: int) -> None:
        self.found.attached += 1
        if depth + 1 > DEPTH:
            self.found.too_deep(chain, name)
            return
        try:
            self.message(inner, (*chain, self.found.safe(name)), depth + 1)
        except Unusable as exc:
            self.found.note(chain, self.found.safe(name), f"is an attached message that cannot be read: {exc.why}",
                            "ask for the return itself, attached to one email")


def _name(part: Message) -> str:
    try:
        return part.get_filename() or ""
    except HEADER_ERRORS:
        return ""


def _subject_name(msg: Message) -> str:
    return (header(msg, "subject") or "attached message") + ".eml"
