"""The record of an email as a message reader makes it, plan-free: who sent it, when, its
subject, the attachments in a format the readers read (each a return, with its bytes), and
what it holds that is not a return, each named (``Found`` collects them as a reader walks
the message and the messages attached to it).

An attachment is named after the message it came in: "RE Q2 return.msg › North LPA.docx",
with the messages attached between them ("… › Fwd Q2.msg › North LPA.docx"), in every line
about it. Names are made safe to be a file's name (no folder, no control character, not
overlong), as each return is read from a private temporary file of that name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ...errors import Place, Problem, error, warning
from ...intake import LEGACY, MESSAGES, SUFFIXES
from ...records import Sender
from ...verdicts import SEP

__all__ = ["DEPTH", "MESSAGES", "Attachment", "Found", "Message", "safe_name"]

DEPTH = 3  # messages attached inside messages are read this many levels down
_NAME_CHARS = 100  # an attachment's (or attached message's) name in a return's name, at most
_NAME_BYTES = 240  # a return's whole name, at most: it is a file's name while it is read (255 at most)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
IMAGES = frozenset((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".emf", ".wmf", ".heic",
                    ".svg", ".ico"))
LINKS = frozenset((".url", ".lnk", ".webloc", ".website"))
TNEF = "winmail.dat"


@dataclass(frozen=True)
class Attachment:
    """An attachment in a format the readers read: a return, with its bytes."""

    name: str  # its own name, as attached ("North LPA.docx")
    shown: str  # named after the message: "RE Q2 return.msg › North LPA.docx"
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Message:
    """An email as read: who sent it and when, its returns and what is not a return."""

    file: str  # its file's name in the quarter's folder
    subject: str
    sender: Sender
    sent: str | None  # ISO 8601, UTC
    attachments: tuple[Attachment, ...]  # the returns it carries, attached to messages attached to it too
    aside: tuple[Problem, ...] = ()  # what it holds that is not a return: one problem each, said once
    signed: bool = False  # read from inside its signed part; the signature is not checked

    @property
    def stem(self) -> str:
        return self.file.rsplit(".", 1)[0] if "." in self.file else self.file


def safe_name(name: str, fallback: str = "attachment") -> str:
    """A name as it may stand in a file's name: its last path component, no control or
    reserved character, at most _NAME_CHARS long (its extension kept)."""
    base = re.split(r"[/\\]", name.strip())[-1]
    base = _UNSAFE.sub("_", base).strip(" .") or fallback
    if len(base) > _NAME_CHARS:
        suffix = PurePosixPath(base).suffix[:12]
        base = base[: _NAME_CHARS - len(suffix) - 1].rstrip() + "…" + suffix
    return base


def _fit(parts: tuple[str, ...]) -> str:
    """The parts joined, the longest shortened until the whole may be a file's name."""
    names = list(parts)
    while len(SEP.join(names).encode()) > _NAME_BYTES:
        i = max(range(len(names)), key=lambda j: len(names[j]))
        stem, dot, suffix = names[i].rpartition(".")
        if len(stem) <= 8 or not dot:
            names[i] = names[i][: max(8, len(names[i]) - 10)] + "…"
            if len(names[i]) <= 9:
                break
            continue
        names[i] = stem[: len(stem) - 10].rstrip(" …") + "…." + suffix
    return SEP.join(names)


@dataclass
class Found:
    """What a reader finds walking one message and the messages attached to it."""

    file: str  # the message's file in the quarter's folder
    attachments: list[Attachment] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (shown name, what it is, what to do)
    images: list[str] = field(default_factory=list)  # the names of images attached
    signed: bool = False
    attached: int = 0  # everything attached, returns or not
    # how an Outlook message attached to an email as a file is read (``msg.attached_file``, handed in
    # by ``read``, so that the MIME reader, which meets it, need not import the Outlook one)
    outlook: Callable[[bytes, Found, tuple[str, ...], int], None] | None = None

    def safe(self, name: str) -> str:
        return safe_name(name)

    def shown(self, chain: tuple[str, ...], name: str) -> str:
        """An attachment's name after the message's (and the attached messages' between),
        unique within the message."""
        taken = {a.shown for a in self.attachments} | {n[0] for n in self.notes}
        stem, dot, suffix = name.rpartition(".")
        shown, n = _fit((self.file, *chain, name)), 2
        while shown in taken:
            shown = _fit((self.file, *chain, f"{stem} ({n}).{suffix}" if dot else f"{name} ({n})"))
            n += 1
        return shown

    def file_attached(self, chain: tuple[str, ...], name: str, data: bytes, mime: str = "") -> None:
        """A file attached by value: a return when the readers read its format; otherwise named."""
        self.attached += 1
        own = safe_name(name)
        suffix = PurePosixPath(own).suffix.casefold()
        if suffix in SUFFIXES:
            self.attachments.append(Attachment(own, self.shown(chain, own), data))
        elif own.casefold() == TNEF or mime.casefold() in ("application/ms-tnef", "application/vnd.ms-tnef"):
            self.note(chain, own, "is Outlook's rich-text wrapper (winmail.dat, TNEF): what it holds cannot be read",
                      "ask the sender to send it again from a message in HTML or plain-text format")
        elif suffix in LEGACY:
            self.note(chain, own, LEGACY[suffix], "")
        elif suffix == ".pdf" or mime.casefold() == "application/pdf":
            self.note(chain, own, "is a PDF attached, not a return", "ask for the return itself, .docx or .xlsx")
        elif suffix in IMAGES or mime.casefold().startswith("image/"):
            self.images.append(own)
        elif suffix in LINKS:
            self.link(chain, own)
        else:
            self.note(chain, own, f"'{suffix or 'no extension'}' is not a submission format", "send .docx or .xlsx")

    def note(self, chain: tuple[str, ...], name: str, what: str, hint: str) -> None:
        """Something attached that is not a return: named once, with what to do."""
        self.notes.append((self.shown(chain, name), what, hint))

    def link(self, chain: tuple[str, ...], name: str) -> None:
        self.attached += 1
        self.note(chain, safe_name(name, "link"), "a link, not the file: ask for the file",
                  "links are never followed: the return must be attached itself")

    def too_deep(self, chain: tuple[str, ...], name: str) -> None:
        self.attached += 1
        self.note(chain, safe_name(name, "attached message"),
                  f"is a message attached more than {DEPTH} levels down: not read",
                  "ask for the return itself, attached to one email")

    def problems(self) -> tuple[Problem, ...]:
        """What is not a return, each named once: errors when the message carries no return
        (it is then refused for them), else warnings beside its returns."""
        make = warning if self.attachments else error
        found = [make(what, Place(shown), hint) for shown, what, hint in self.notes]
        if self.images:
            names = ", ".join(f"'{n}'" for n in self.images[:3]) + (", …" if len(self.images) > 3 else "")
            are = "is not a return" if len(self.images) == 1 else "are not returns"
            found.append(make(f"{'an image' if len(self.images) == 1 else f'{len(self.images)} images'} attached "
                              f"({names}) {are}", Place(self.file),
                              "a return is a .docx or .xlsx file: ask for it if they were meant to be one"))
        if not found and not self.attachments:  # nothing attached, or only messages with nothing attached
            found.append(error("no return attached", Place(self.file),
                               "ask the sender to attach the return (.docx or .xlsx) and send it again"))
        return tuple(found)

    def message(self, subject: str, sender: Sender, sent: str | None) -> Message:
        return Message(self.file, subject, sender, sent, tuple(self.attachments), self.problems(), self.signed)
