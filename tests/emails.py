"""Emails made in code with the standard library, as mail programs save them (.eml): returns
attached, signed (multipart/signed), encrypted (S/MIME's envelopedData), messages attached to
messages (message/rfc822); and real Outlook messages (.msg) from tests/fixtures/msg/."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.policy import SMTP
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "msg"

SENDER = "North LPA Admin <north.lpa@essex.police.uk>"
DATE = "Mon, 05 Oct 2020 10:00:00 +0100"  # 09:00 UTC


def message(attachments: Sequence[tuple[str, bytes]] = (), *, sender: str = SENDER, subject: str = "Q2 return",
            date: str = DATE, body: str = "Please find our return attached.") -> EmailMessage:
    """A message with a text body and each (name, bytes) attached."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "pau@essex.police.uk"
    msg["Subject"] = subject
    msg["Date"] = date
    msg.set_content(body)
    for name, data in attachments:
        maintype, subtype = _type(name)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def attach(files: list[Path]) -> list[tuple[str, bytes]]:
    """Files as (name, bytes), to attach."""
    return [(f.name, f.read_bytes()) for f in files]


def save(path: Path, msg: EmailMessage | MIMEMultipart) -> Path:
    path.write_bytes(msg.as_bytes(policy=SMTP))
    return path


def eml(path: Path, attachments: Sequence[tuple[str, bytes]] = (), **headers: str) -> Path:
    """An .eml with the files attached."""
    return save(path, message(attachments, **headers))


def signed(path: Path, attachments: list[tuple[str, bytes]], *, sender: str = SENDER) -> Path:
    """A clear-signed message (multipart/signed): the signed part carries the returns; the
    signature beside it is made up (it is never checked)."""
    inner = message(attachments)
    for name in ("From", "To", "Subject", "Date"):
        del inner[name]
    outer = MIMEMultipart("signed", protocol="application/pkcs7-signature", micalg="sha-256")
    outer["From"], outer["Subject"], outer["Date"] = sender, "Q2 return (signed)", DATE
    outer.attach(inner)
    outer.attach(MIMEApplication(b"\x30\x03\x02\x01\x01", "pkcs7-signature", name="smime.p7s"))
    return save(path, outer)


ENVELOPED = bytes.fromhex("2a864886f70d010703")  # envelopedData's object identifier


def encrypted(path: Path, *, sender: str = SENDER) -> Path:
    """An S/MIME encrypted message: its whole body an envelopedData nobody here can open."""
    msg = EmailMessage()
    msg["From"], msg["Subject"], msg["Date"] = sender, "Q2 return (encrypted)", DATE
    cms = b"\x30\x0f\x06\x09" + ENVELOPED + b"\xa0\x02\x30\x00"
    msg.set_content(cms, maintype="application", subtype="pkcs7-mime", params={"smime-type": "enveloped-data"},
                    filename="smime.p7m")
    return save(path, msg)


def forwarded(inner: EmailMessage, *, sender: str = SENDER, subject: str = "FW: Q2 return") -> EmailMessage:
    """A message with another attached to it (message/rfc822)."""
    outer = message(sender=sender, subject=subject, body="See the message below.")
    outer.add_attachment(inner)
    return outer


def _type(name: str) -> tuple[str, str]:
    suffix = name.rsplit(".", 1)[-1].lower()
    return {
        "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "doc": ("application", "msword"),
        "pdf": ("application", "pdf"),
        "png": ("image", "png"),
        "dat": ("application", "ms-tnef"),
    }.get(suffix, ("application", "octet-stream"))
