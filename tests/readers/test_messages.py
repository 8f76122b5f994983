"""Emails → the plan-free record of a message (readers.messages): who sent it and when, the
returns attached (to messages attached to it too), what is not a return, each named once;
refused in one line when it cannot be read at all. Real Outlook files from Apache POI's test
data (tests/fixtures/msg/README.md), and .eml made with the standard library."""

from __future__ import annotations

import shutil

import olefile
import pytest

from assemble.errors import InputError, Severity
from assemble.readers import messages
from assemble.readers.messages import smime

from ..emails import FIXTURES, eml, encrypted, forwarded, message, save, signed
from ..present import there
from ..quarters import SAMPLE

WEST = (SAMPLE / "West LPA Q2.docx").read_bytes()
FCR = (SAMPLE / "FCR Q2 update.xlsx").read_bytes()


def lines(found):
    return [str(p) for p in found.aside]


# --- .eml ----------------------------------------------------------------------------------


def test_an_eml_gives_each_return_attached_with_its_sender_subject_and_sent_time(tmp_path):
    m = messages.read(eml(tmp_path / "Q2 return.eml", [("West LPA Q2.docx", WEST), ("FCR Q2 update.xlsx", FCR)]))
    assert [(a.name, a.shown, a.data) for a in m.attachments] == [
        ("West LPA Q2.docx", "Q2 return.eml › West LPA Q2.docx", WEST),
        ("FCR Q2 update.xlsx", "Q2 return.eml › FCR Q2 update.xlsx", FCR)]
    assert (m.sender.name, m.sender.address, m.sender.shown) == (
        "North LPA Admin", "north.lpa@essex.police.uk", "North LPA Admin <north.lpa@essex.police.uk>")
    assert (m.subject, m.sent) == ("Q2 return", "2020-10-05T09:00:00+00:00")
    assert m.aside == ()


def test_what_is_not_a_return_is_named_once_each_beside_the_returns(tmp_path):
    m = messages.read(eml(tmp_path / "m.eml", [("West LPA Q2.docx", WEST), ("old.doc", b"\xd0\xcf"),
                                              ("scan.pdf", b"%PDF-1.4"), ("a.png", b"\x89PNG"), ("b.png", b"\x89PNG"),
                                              ("winmail.dat", b"x\x9f>"), ("shared.url", b"[InternetShortcut]")]))
    assert [a.name for a in m.attachments] == ["West LPA Q2.docx"]
    assert {p.severity for p in m.aside} == {Severity.WARNING}  # beside a return: warnings
    assert [(there(p.place).file, p.message) for p in m.aside] == [
        ("m.eml › old.doc", "an old Word 97-2003 file: open it in Word and save it as .docx"),  # a .doc file's words
        ("m.eml › scan.pdf", "is a PDF attached, not a return"),
        ("m.eml › winmail.dat", "is Outlook's rich-text wrapper (winmail.dat, TNEF): what it holds cannot be read"),
        ("m.eml › shared.url", "a link, not the file: ask for the file"),
        ("m.eml", "2 images attached ('a.png', 'b.png') are not returns"),
    ]


def test_a_message_with_nothing_attached_says_no_return_attached(tmp_path):
    m = messages.read(eml(tmp_path / "empty.eml"))
    assert m.attachments == ()
    assert lines(m) == ["error: empty.eml: no return attached "
                        "(ask the sender to attach the return (.docx or .xlsx) and send it again)"]


def test_an_old_word_file_alone_is_the_error_a_doc_file_is(tmp_path):
    m = messages.read(eml(tmp_path / "m.eml", [("North LPA Q2.doc", b"\xd0\xcf\x11\xe0")]))
    assert [(p.severity, there(p.place).file, p.message) for p in m.aside] == [
        (Severity.ERROR, "m.eml › North LPA Q2.doc", "an old Word 97-2003 file: open it in Word and save it as .docx")]


def test_a_link_in_the_text_of_a_message_with_nothing_attached_is_named(tmp_path):
    body = "The return is here: https://essexpolice.sharepoint.com/sites/pau/North%20Q2.docx"
    m = messages.read(eml(tmp_path / "m.eml", body=body))
    assert [(p.severity, p.message) for p in m.aside] == [(Severity.ERROR, "a link, not the file: ask for the file")]


def test_a_picture_shown_in_the_body_is_not_an_attachment(tmp_path):
    msg = message([("West LPA Q2.docx", WEST)])
    there(msg.get_body()).add_related(b"\x89PNG", maintype="image", subtype="png", cid="<logo@x>", disposition="inline")
    m = messages.read(save(tmp_path / "m.eml", msg))
    assert [a.name for a in m.attachments] == ["West LPA Q2.docx"] and m.aside == ()


def test_a_signed_message_is_read_from_inside_its_signed_part(tmp_path):
    m = messages.read(signed(tmp_path / "signed.eml", [("West LPA Q2.docx", WEST)]))
    assert m.signed and [a.shown for a in m.attachments] == ["signed.eml › West LPA Q2.docx"]
    assert m.aside == ()  # the signature is not an attachment


def test_an_opaque_signed_message_is_read_from_inside_its_signature(tmp_path):
    inner = message([("West LPA Q2.docx", WEST)]).as_bytes()
    cms = _der(0x30, _der(0x06, bytes.fromhex("2a864886f70d010702")), _der(0xA0, _der(
        0x30, _der(0x02, b"\x01"), _der(0x31), _der(0x30, _der(0x06, bytes.fromhex("2a864886f70d010701")),
                                                    _der(0xA0, _der(0x04, inner))))))
    assert smime.kind(cms) == "signed" and smime.signed_content(cms) == inner
    msg = message(body="")
    msg.set_content(cms, maintype="application", subtype="pkcs7-mime", params={"smime-type": "signed-data"},
                    filename="smime.p7m")
    m = messages.read(save(tmp_path / "opaque.eml", msg))
    assert m.signed and [a.data for a in m.attachments] == [WEST]


def _der(tag: int, *parts: bytes) -> bytes:
    body = b"".join(parts)
    n = len(body)
    length = bytes([n]) if n < 0x80 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes(
        (n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + length + body


def test_an_encrypted_message_is_named_and_not_read(tmp_path):
    with pytest.raises(InputError) as refused:
        messages.read(encrypted(tmp_path / "secret.eml"))
    assert [str(p) for p in refused.value.problems] == [
        "error: secret.eml: is encrypted, so its attachments cannot be read "
        "(ask the sender to send the return again in a message that is not encrypted)"]


def test_returns_in_messages_attached_to_it_are_named_after_each_message_three_levels_down(tmp_path):
    level3 = message([("West LPA Q2.docx", WEST)], subject="third")
    level4 = message([("FCR Q2 update.xlsx", FCR)], subject="fourth")
    chain = forwarded(forwarded(forwarded(level3, subject="second"), subject="first"))
    m = messages.read(save(tmp_path / "m.eml", chain))
    assert [a.shown for a in m.attachments] == ["m.eml › first.eml › second.eml › third.eml › West LPA Q2.docx"]
    deep = messages.read(save(tmp_path / "deep.eml", forwarded(forwarded(forwarded(forwarded(level4))))))
    assert deep.attachments == ()
    assert [p.message for p in deep.aside] == ["is a message attached more than 3 levels down: not read"]


def test_a_message_cut_short_is_one_line_as_a_damaged_file_is(tmp_path):
    whole = eml(tmp_path / "whole.eml", [("West LPA Q2.docx", WEST)]).read_bytes()
    cut = tmp_path / "cut.eml"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError) as refused:
        messages.read(cut)
    assert len(refused.value.problems) == 1
    problem = refused.value.problems[0]
    assert there(problem.place).file == "cut.eml" and problem.message.startswith("is damaged: the file is incomplete")


def test_a_file_that_is_no_message_is_damaged_and_an_empty_one_is_empty(tmp_path):
    (tmp_path / "noise.eml").write_bytes(b"\x00\x01\x02 garbage with no header at all")
    (tmp_path / "empty.msg").write_bytes(b"")
    for name, words in (("noise.eml", "is damaged: the file is incomplete or corrupt (it is not an email message)"),
                        ("empty.msg", "is empty (0 bytes)")):
        with pytest.raises(InputError) as refused:
            messages.read(tmp_path / name)
        assert [p.message for p in refused.value.problems] == [words]


def test_attachment_names_cannot_leave_the_folder_or_collide(tmp_path):
    m = messages.read(eml(tmp_path / "m.eml", [("../../etc/North.docx", WEST), ("North.docx", FCR)]))
    assert [a.shown for a in m.attachments] == ["m.eml › North.docx", "m.eml › North (2).docx"]


# --- .msg: real Outlook files ---------------------------------------------------------------


def refusal(name):
    with pytest.raises(InputError) as refused:
        messages.read(FIXTURES / name)
    return [str(p) for p in refused.value.problems]


@pytest.mark.parametrize(("name", "said"), [
    ("attachment_test_msg.msg", [
        "error: attachment_test_msg.msg › test-unicode.doc: an old Word 97-2003 file: open it in Word and save it "
        "as .docx",
        "error: attachment_test_msg.msg › pj1.txt: '.txt' is not a submission format (send .docx or .xlsx)"]),
    ("quick.msg", ["error: quick.msg: no return attached "
                   "(ask the sender to attach the return (.docx or .xlsx) and send it again)"]),
    ("58214_with_attachment.msg", ["error: 58214_with_attachment.msg: no return attached "
                                   "(ask the sender to attach the return (.docx or .xlsx) and send it again)"]),
    ("logsat.com_signatures_valid.msg", ["error: logsat.com_signatures_valid.msg: no return attached "
                                         "(ask the sender to attach the return (.docx or .xlsx) and send it again)"]),
    ("attachment_msg_pdf.msg", ["error: attachment_msg_pdf.msg › smbprn.00009008.KdcPjl.pdf: is a PDF attached, "
                                "not a return (ask for the return itself, .docx or .xlsx)"]),
])
def test_each_real_outlook_message_is_named_saying_what_it_held(name, said):
    m = messages.read(FIXTURES / name)
    assert m.attachments == () and lines(m) == said


def test_an_outlook_message_gives_its_sender_and_sent_time_and_a_signed_one_is_read_inside():
    m = messages.read(FIXTURES / "attachment_test_msg.msg")
    assert (m.sender.shown, m.sent, m.subject) == ("Nicolas1 23456 <nicolas1.23456@free.fr>",
                                                   "2009-04-22T14:36:33+00:00", "test pièce jointe 1")
    assert messages.read(FIXTURES / "logsat.com_signatures_valid.msg").signed


def test_an_exchange_sender_with_only_an_internal_address_is_shown_by_name():
    m = messages.read(FIXTURES / "53784_fails.msg")
    assert (m.sender.name, m.sender.address, m.sender.shown) == ("PA History Mailbox", "", "PA History Mailbox")


def test_an_appointment_and_a_damaged_outlook_file_are_one_line_each():
    assert refusal("msgClassAppointment.msg") == [
        "error: msgClassAppointment.msg: is an Outlook appointment, not an email: it carries no return "
        "(save the email that carries the return into the folder instead)"]
    assert refusal("clusterfuzz-4735011465854976.msg") == [
        "error: clusterfuzz-4735011465854976.msg: is damaged: the file is incomplete or corrupt (its parts cannot "
        "be read) (it may have been cut short when copied: save the email from the mail program into the quarter's "
        "folder again)"]


def test_a_cut_short_outlook_file_is_damaged(tmp_path):
    cut = tmp_path / "cut.msg"
    cut.write_bytes((FIXTURES / "quick.msg").read_bytes()[:10_000])
    with pytest.raises(InputError) as refused:
        messages.read(cut)
    assert [p.message for p in refused.value.problems] == [
        "is damaged: the file is incomplete or corrupt (its parts cannot be read)"]


def outlook_return(folder, docx: bytes, name: str = "West LPA Q2.docx"):
    """A real Outlook message carrying a return: attachment_test_msg.msg with its .doc's bytes
    replaced by `docx` padded to their size (a zip comment), and its name by `name` (16 letters)."""
    path = folder / "RE Q2 return.msg"
    shutil.copy(FIXTURES / "attachment_test_msg.msg", path)
    att = "__attach_version1.0_#00000000"
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        size = ole.get_size([att, "__substg1.0_37010102"])
        ole.write_stream([att, "__substg1.0_37010102"], _padded(docx, size))
        ole.write_stream([att, "__substg1.0_3707001F"], name.encode("utf-16-le"))
    return path


def _padded(docx: bytes, size: int) -> bytes:
    """A zip made exactly `size` bytes long by a comment in its end record."""
    assert docx[-22:-18] == b"PK\x05\x06" and len(docx) <= size
    pad = size - len(docx)
    return docx[:-2] + pad.to_bytes(2, "little") + b" " * pad


def test_a_real_outlook_message_carrying_a_return_gives_it(tmp_path):
    path = outlook_return(tmp_path, _minimal_docx())
    m = messages.read(path)
    assert [a.shown for a in m.attachments] == ["RE Q2 return.msg › West LPA Q2.docx"]
    assert [there(p.place).file for p in m.aside] == ["RE Q2 return.msg › pj1.txt"]  # the other attachment, a warning
    assert m.aside[0].severity is Severity.WARNING


def _minimal_docx() -> bytes:
    """A Word return small enough to take a 24 KB attachment's place: its parts written by hand."""
    import io
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paras = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in (
        "Area: West LPA", "Priority 2 – Crack Down on Anti-social Behaviour", "2.1", "• An update sent from Outlook"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                   'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                   '</Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>'
                   f"{paras}</w:body></w:document>")
    return buf.getvalue()
