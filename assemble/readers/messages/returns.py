"""A message's attachments → returns, each read as a file is: its bytes written to a private
temporary folder under its name after the message's ("RE Q2.msg › North LPA.docx"), then
``readers.read`` runs the same safety checks (sizes, zip bombs, renamed files, passwords) and
the same reader, so every line about it names it so. The file is given the time the message
was sent, which a document without a saved time of its own is taken to have been saved at.
The message file itself is only ever read.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ...errors import InputError, Problem
from ...records import Envelope, Record
from .message import Attachment, Message

Reader = Callable[[Path], Record]


@dataclass(frozen=True)
class Return:
    """One attachment in a format the readers read, as read: its record, or why it was refused."""

    name: str  # its own name, as attached
    shown: str  # named after the message: "RE Q2.msg › North LPA.docx"
    sha256: str  # of its bytes: the same return saved beside the message is known by it
    record: Record | None  # None when it was refused
    problems: tuple[Problem, ...] = ()  # the refusal's

    @property
    def format(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower()


@dataclass(frozen=True)
class Opened:
    """A message and its returns as read (its attachments' bytes let go once read)."""

    message: Message
    returns: tuple[Return, ...]

    def envelope(self, name: str) -> Envelope:
        m = self.message
        return Envelope(m.file, name, m.sender, m.sent, m.subject)


def read_returns(message: Message, read: Reader) -> Opened:
    """Each attachment of `message` that is a return, read through `read` (``readers.read``)."""
    bare = replace(message, attachments=())
    opened = Opened(bare, ())
    if not message.attachments:
        return opened
    found = []
    with tempfile.TemporaryDirectory(prefix="assemble-") as folder:  # readable by this user alone
        for attachment in message.attachments:
            found.append(_read(attachment, Path(folder), read, opened))
    return Opened(bare, tuple(found))


def _read(attachment: Attachment, folder: Path, read: Reader, opened: Opened) -> Return:
    path = folder / attachment.shown
    path.write_bytes(attachment.data)
    if opened.message.sent:
        when = dt.datetime.fromisoformat(opened.message.sent).timestamp()
        os.utime(path, (when, when))
    try:
        record = read(path)
    except InputError as exc:
        return Return(attachment.name, attachment.shown, attachment.sha256, None, tuple(exc.problems))
    finally:
        path.unlink(missing_ok=True)
    return Return(attachment.name, attachment.shown, attachment.sha256,
                  replace(record, envelope=opened.envelope(attachment.name)))
