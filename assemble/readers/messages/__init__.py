"""Emails saved into a quarter's folder → the returns attached to them, one module per format:
``eml`` (MIME, the standard library's ``email``) and ``msg`` (Outlook, olefile), each making
the same plan-free record of a message (``message.Message``: who sent it and when, its
subject, its attachments with their names and bytes, and what it holds that is not a return);
``returns`` reads each attachment through the readers, as a file is read.

``read`` opens a message whole, or refuses it in one line naming it (empty, too large,
damaged, encrypted, an Outlook appointment, contact or task): what its first bytes say it is
decides the reader (Outlook's compound file, else MIME), whatever its extension.
"""

from __future__ import annotations

from pathlib import Path

import olefile

from ...errors import InputError, describe_os_error
from ...records import Sender
from ...safety.limits import MAX_FILE_BYTES
from ...safety.refusals import as_size, refuse
from ...verdicts import SEP
from . import eml, msg
from .message import DEPTH, MESSAGES, Attachment, Found, Message

__all__ = ["DEPTH", "MESSAGES", "SEP", "Attachment", "Message", "attachment", "read"]

_AGAIN = "save the email from the mail program into the quarter's folder again"


def read(path: Path) -> Message:
    """The message a file holds; InputError naming the file when it cannot be read at all."""
    data = _bytes(path)
    found = Found(path.name, outlook=msg.attached_file)
    try:
        subject, sender, sent = _parse(data, found)
    except msg.Unusable as exc:
        if exc.item:
            raise refuse(path, f"is {exc.item}, not an email: it carries no return",
                         "save the email that carries the return into the folder instead") from None
        raise _unusable(path, exc) from None
    except eml.Unusable as exc:
        raise _unusable(path, exc) from None
    except msg.OLE_ERRORS:
        raise refuse(path, "is damaged: the file is incomplete or corrupt (its parts cannot be read)",
                     f"it may have been cut short when copied: {_AGAIN}") from None
    return found.message(subject, sender, sent)


def attachment(path: Path, shown: str) -> Attachment | None:
    """The attachment of the email at `path` that a return's verdict names (`shown`: "RE Q2.msg ›
    North LPA.docx"), with its bytes: what a copy of that return is made from; None when the
    message no longer carries it. InputError when the message cannot be read."""
    return next((a for a in read(path).attachments if a.shown == shown), None)


def _parse(data: bytes, found: Found) -> tuple[str, Sender, str | None]:
    if data.startswith(olefile.MAGIC):
        return msg.read(data, found)
    return eml.read(data, found)


def _bytes(path: Path) -> bytes:
    """The file's bytes, within the limit of a file."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise refuse(path, "is empty (0 bytes)", f"it was not saved or not copied completely: {_AGAIN}")
        if size > MAX_FILE_BYTES:
            raise refuse(path, f"is {as_size(size)}; the limit is {as_size(MAX_FILE_BYTES)}",
                         "ask the sender to send the return on its own")
        return path.read_bytes()
    except OSError as exc:
        raise refuse(path, f"cannot be opened: {describe_os_error(exc)[0]}",
                     "check the file is not open elsewhere") from exc


def _unusable(path: Path, exc: eml.Unusable) -> InputError:
    if exc.encrypted:
        return refuse(path, "is encrypted, so its attachments cannot be read",
                      "ask the sender to send the return again in a message that is not encrypted")
    return refuse(path, f"is damaged: the file is incomplete or corrupt ({exc.why})",
                  f"it may have been cut short when copied: {_AGAIN}")
