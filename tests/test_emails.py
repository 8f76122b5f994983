"""Returns as the emails they came in: a quarter's .eml and .msg files read as the returns
attached to them, named "message › attachment" in every line, with who sent them and when on
the returns table, status, report, coverage.xlsx and the manifest; the area from the sender or
the subject when the return names none; the sent date deciding which return is newer."""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import replace

import openpyxl
import pytest

from assemble import readers
from assemble.cli import main
from assemble.cli.console import file_line, returns_table
from assemble.cli.watch import MESSAGE_STEADY, _whole
from assemble.coverage import coverage
from assemble.errors import FolderError
from assemble.pipeline import assemble, report
from assemble.safety import limits
from assemble.versions import Version
from assemble.versions.fingerprint import fingerprint
from assemble.versions.native import dump
from assemble.writers.report import coverage_xlsx, to_markdown

from .builders import word
from .emails import FIXTURES, attach, eml, message, save
from .present import there
from .quarters import GOLDEN, SAMPLE
from .readers.test_messages import _minimal_docx, outlook_return
from .test_console import rendered


def quarter(tmp_path):
    folder = tmp_path / "inputs" / "2020-21-Q2"
    folder.mkdir(parents=True)
    return folder


def slug(area: str) -> str:
    return area.lower().replace(" ", ".")


def test_the_sample_sent_by_email_builds_the_same_93_updates_and_status_shows_each_sender(tmp_path, plan):
    folder = quarter(tmp_path)
    by_file = {f.file: there(f.area) for f in assemble(SAMPLE, plan).files}
    for path in sorted(SAMPLE.iterdir()):
        area = by_file[path.name]
        eml(folder / f"{path.stem}.eml", attach([path]), sender=f"{area} <{slug(area)}@essex.police.uk>",
            subject=f"Q2 return: {area}")
    asm = assemble(folder, plan)
    assert asm.errors == []
    assert asm.counts_line() == "93 updates read from 11 files; 93 placed; 0 left out"
    assert dump(report(asm, "1.0")) == GOLDEN.read_text(encoding="utf-8")
    assert sorted((f.file, f.area, f.sender) for f in asm.files) == sorted(
        (f"{name.rsplit('.', 1)[0]}.eml › {name}", area, f"{area} <{slug(area)}@essex.police.uk>")
        for name, area in by_file.items())
    out = io.StringIO()
    assert main(["status", str(folder)], out=out, err=io.StringIO()) == 0
    for area in by_file.values():
        assert f"{slug(area)}@essex.police.uk" in out.getvalue()
    assert "2020-10-05 09:00" in out.getvalue()


def test_an_eml_with_two_returns_gives_both_named_after_it(tmp_path, plan):
    folder = quarter(tmp_path)
    eml(folder / "Q2 returns.eml", attach([SAMPLE / "West LPA Q2.docx", SAMPLE / "FCR Q2 update.xlsx"]))
    asm = assemble(folder, plan)
    assert [(f.file, f.area, f.updates, f.message, f.attachment, f.sender, f.sent) for f in asm.files] == [
        ("Q2 returns.eml › West LPA Q2.docx", "West LPA", 14, "Q2 returns.eml", "West LPA Q2.docx",
         "North LPA Admin <north.lpa@essex.police.uk>", "2020-10-05T09:00:00+00:00"),
        ("Q2 returns.eml › FCR Q2 update.xlsx", "Force Control Room", 4, "Q2 returns.eml", "FCR Q2 update.xlsx",
         "North LPA Admin <north.lpa@essex.police.uk>", "2020-10-05T09:00:00+00:00")]
    assert {there(p.place).file for p in asm.problems} <= {"Q2 returns.eml › FCR Q2 update.xlsx",
                                                    "Q2 returns.eml › West LPA Q2.docx", ""}
    assert asm.counts_line() == "18 updates read from 2 files; 18 placed; 0 left out"


def unnamed(path, text="An update that names no area"):
    """A Word return that does not say which area sent it."""
    return word(path, ["Priority 2 – Crack Down on Anti-social Behaviour", "2.1", (0, text)])


def with_contacts(plan):
    return replace(plan, areas=tuple(replace(a, contact=f"{a.name} team <{slug(a.name)}@essex.police.uk>")
                                     for a in plan.areas))


def test_the_area_comes_from_the_senders_contact_address_then_the_subject(tmp_path, plan):
    folder = quarter(tmp_path)
    data = unnamed(tmp_path / "Q2 return.docx").read_bytes()
    eml(folder / "a.eml", [("Q2 return.docx", data)], sender="Someone <South.LPA@Essex.Police.UK>", subject="Q2")
    eml(folder / "b.eml", [("Q2 update.docx", data)], sender="Someone <someone@essex.police.uk>",
        subject="RE: West LPA Q2 return")
    asm = assemble(folder, with_contacts(plan))
    assert [(f.file, f.area) for f in asm.files] == [("a.eml › Q2 return.docx", "South LPA"),
                                                     ("b.eml › Q2 update.docx", "West LPA")]
    assert asm.errors == []
    # without the plan's contact address the sender says nothing: the error names the return
    plain = assemble(folder, plan)
    assert [(there(p.place).file, p.message.split(":")[0]) for p in plain.errors] == [
        ("a.eml › Q2 return.docx", "cannot tell which area sent this file")]


def test_the_sent_date_decides_which_of_an_areas_returns_is_newer(tmp_path, plan):
    folder = quarter(tmp_path)
    older = unnamed(tmp_path / "old.docx", "What West said first").read_bytes()
    newer = unnamed(tmp_path / "new.docx", "What West said after").read_bytes()
    eml(folder / "a.eml", [("West LPA Q2.docx", newer)], date="Tue, 06 Oct 2020 10:00:00 +0100")
    eml(folder / "b.eml", [("West LPA Q2.docx", older)], date="Mon, 05 Oct 2020 10:00:00 +0100")
    asm = assemble(folder, plan)
    assert asm.errors == []  # no clash: the later email is newer
    outline = dump(report(asm, "1.0"))
    assert "What West said after" in outline and "What West said first" not in outline
    assert [(lo.file, lo.superseded) for lo in asm.merged.left_out] == [("b.eml › West LPA Q2.docx", True)]


def test_the_same_return_saved_beside_its_email_is_one_return_named_after_the_email(tmp_path, plan):
    folder = quarter(tmp_path)
    shutil.copy(SAMPLE / "West LPA Q2.docx", folder)
    eml(folder / "RE Q2.eml", attach([SAMPLE / "West LPA Q2.docx"]))
    asm = assemble(folder, plan)
    assert [f.file for f in asm.files] == ["RE Q2.eml › West LPA Q2.docx"]
    assert asm.counts_line() == "14 updates read from 1 file; 14 placed; 0 left out"
    assert not [p for p in asm.warnings if "twice" in p.message or "same" in p.message]


def test_an_attachment_passes_the_safety_checks_a_file_does(tmp_path, plan):
    folder = quarter(tmp_path)
    sent = eml(folder / "m.eml", [("West LPA Q2.docx", b"%PDF-1.4 not a document"),
                                  ("FCR Q2 update.xlsx", (SAMPLE / "FCR Q2 update.xlsx").read_bytes())]).read_bytes()
    asm = assemble(folder, plan)
    refused = [f for f in asm.files if not f.read]
    assert [(f.file, f.area, f.why, f.message) for f in refused] == [
        ("m.eml › West LPA Q2.docx", "West LPA", "is a PDF renamed to .docx, not a Word document", "m.eml")]
    assert [there(p.place).file for p in asm.errors] == ["m.eml › West LPA Q2.docx"]
    assert (folder / "m.eml").read_bytes() == sent  # the message itself is never changed


def test_a_messages_returns_count_toward_the_quarters_limit_on_files(tmp_path, plan, monkeypatch):
    folder = quarter(tmp_path)
    eml(folder / "m.eml", attach([SAMPLE / "West LPA Q2.docx", SAMPLE / "FCR Q2 update.xlsx"]))
    shutil.copy(SAMPLE / "SOC Q2.xlsx", folder)
    monkeypatch.setattr(limits, "MAX_QUARTER_FILES", 2)
    with pytest.raises(FolderError, match=r"3 returns in .*, more than the 2 a quarter may have"):
        assemble(folder, plan)


def test_an_email_with_no_return_is_one_refused_line_under_its_senders_area(tmp_path, plan):
    folder = quarter(tmp_path)
    eml(folder / "chaser reply.eml", sender="West <west.lpa@essex.police.uk>")
    shutil.copy(SAMPLE / "FCR Q2 update.xlsx", folder)
    asm = assemble(folder, with_contacts(plan))
    assert [(f.file, f.area, f.kind, f.why, f.sender) for f in asm.files if not f.read] == [
        ("chaser reply.eml", "West LPA", "refused", "no return attached", "West <west.lpa@essex.police.uk>")]
    assert [str(p.place) for p in asm.errors] == ["chaser reply.eml"]


def test_a_real_outlook_message_carrying_a_return_is_read_with_its_sender(tmp_path, plan):
    folder = quarter(tmp_path)
    outlook_return(folder, _minimal_docx())
    asm = assemble(folder, plan)
    read = [f for f in asm.files if f.read]
    assert [(f.file, f.area, f.updates, f.sender, f.sent) for f in read] == [
        ("RE Q2 return.msg › West LPA Q2.docx", "West LPA", 1, "Nicolas1 23456 <nicolas1.23456@free.fr>",
         "2009-04-22T14:36:33+00:00")]
    assert [(p.severity, there(p.place).file) for p in asm.problems if there(p.place).file.endswith("pj1.txt")] == [
        ("warning", "RE Q2 return.msg › pj1.txt")]


def test_the_returns_table_report_coverage_and_manifest_say_who_sent_each_and_when(tmp_path, plan):
    folder = quarter(tmp_path)
    eml(folder / "m.eml", attach([SAMPLE / "West LPA Q2.docx"]))
    shutil.copy(SAMPLE / "FCR Q2 update.xlsx", folder)
    asm = assemble(folder, plan)
    table = rendered(returns_table(asm))
    assert "From" in table and "North LPA Admin <north.lpa@essex.police.uk>" in table
    assert "2020-10-05 09:00" in table
    west = next(f for f in asm.files if f.message)
    assert file_line(west, asm).endswith(", sent 2020-10-05 09:00 by North LPA Admin <north.lpa@essex.police.uk>")
    assert ("| m.eml › West LPA Q2.docx | West LPA | docx | 14 | 0 | 2020-10-05 09:00 | "
            "North LPA Admin <north.lpa@essex.police.uk> |") in to_markdown(asm, coverage(asm.submissions, plan,
                                                                                            asm.files))
    import datetime as dt

    sheet = openpyxl.load_workbook(io.BytesIO(coverage_xlsx(coverage(asm.submissions, plan, asm.files),
                                                            dt.datetime(2020, 10, 5, tzinfo=dt.UTC))))["Senders"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Area", "Return", "From", "Sent"],
        ["West LPA", "m.eml › West LPA Q2.docx", "North LPA Admin <north.lpa@essex.police.uk>", "2020-10-05 09:00"]]
    sent = fingerprint(asm).sent
    assert [(s.file, s.sender, s.sent) for s in sent] == [
        ("FCR Q2 update.xlsx", "", ""),
        ("m.eml › West LPA Q2.docx", "North LPA Admin <north.lpa@essex.police.uk>", "2020-10-05T09:00:00+00:00")]
    version = Version("1.0", "", False, "", fingerprint(asm), {})
    assert Version.from_json(version.to_json()).fingerprint.sent == sent
    assert version.to_json()["sent"][0] == {"file": "FCR Q2 update.xlsx", "area": "Force Control Room",
                                            "format": "xlsx", "updates": 4}  # a file as before


def test_an_email_is_opened_again_only_when_it_changes(tmp_path, plan):
    folder = quarter(tmp_path)
    eml(folder / "m.eml", attach([SAMPLE / "West LPA Q2.docx"]))
    cache = readers.ReadCache()
    first = assemble(folder, plan, read=cache)
    again = assemble(folder, plan, read=cache)
    assert cache.reads == 1 and again.files == first.files


def test_watch_waits_for_an_email_still_being_copied(tmp_path):
    whole = eml(tmp_path / "whole.eml", attach([SAMPLE / "West LPA Q2.docx"]))
    part = tmp_path / "part.eml"
    part.write_bytes(whole.read_bytes()[:5000])
    assert _whole(whole) and not _whole(part)  # a multipart email is whole once its last boundary is there
    assert _whole(part, MESSAGE_STEADY)  # else once its size has held
    plain = save(tmp_path / "plain.eml", message())
    assert not _whole(plain) and _whole(plain, MESSAGE_STEADY)
    outlook = tmp_path / "m.msg"
    data = (SAMPLE.parent.parent / "tests" / "fixtures" / "msg" / "quick.msg").read_bytes()
    outlook.write_bytes(data[:4000])
    assert not _whole(outlook, MESSAGE_STEADY)  # not whole sectors yet
    outlook.write_bytes(data)
    assert not _whole(outlook) and _whole(outlook, MESSAGE_STEADY)


def test_what_an_email_holds_beside_its_return_is_reported_under_its_area(tmp_path, plan):
    from assemble.writers.report import problems_by_area

    folder = quarter(tmp_path)
    eml(folder / "m.eml", [*attach([SAMPLE / "West LPA Q2.docx"]), ("scan.pdf", b"%PDF-1.4")])
    asm = assemble(folder, plan)
    assert "m.eml › scan.pdf" in problems_by_area(asm)["West LPA"]


def test_a_returns_bytes_are_found_again_in_its_email_by_the_name_its_verdict_gives(tmp_path, plan):
    from assemble.readers.messages import attachment

    folder = quarter(tmp_path)
    eml(folder / "m.eml", attach([SAMPLE / "West LPA Q2.docx", SAMPLE / "FCR Q2 update.xlsx"]))
    west = next(f for f in assemble(folder, plan).files if f.area == "West LPA")
    found = attachment(folder / west.message, west.file)
    assert found is not None and found.name == west.attachment
    assert found.data == (SAMPLE / "West LPA Q2.docx").read_bytes()
    assert attachment(folder / west.message, "m.eml › gone.docx") is None


def test_status_names_what_an_email_refused_for_it_holds(tmp_path):
    folder = quarter(tmp_path)
    shutil.copy(FIXTURES / "attachment_test_msg.msg", folder)
    out, err = io.StringIO(), io.StringIO()
    assert main(["status", str(folder)], out=out, err=err) == 0
    assert "attachment_test_msg.msg › test-unicode.doc: an old Word 97-2003 file" in err.getvalue()
    assert "Nicolas1 23456 <nicolas1.23456@free.fr>" in out.getvalue()


def test_a_rebuild_after_an_email_lands_prints_each_return_it_carried(tmp_path, plan):
    from .test_console import consoles

    folder = quarter(tmp_path)
    shutil.copy(SAMPLE / "FCR Q2 update.xlsx", folder)
    before = assemble(folder, plan)
    eml(folder / "m.eml", [*attach([SAMPLE / "West LPA Q2.docx"]), ("scan.pdf", b"%PDF-1.4")])
    console, out, err = consoles()
    console.changes(before, assemble(folder, plan), {"m.eml"})
    assert "West LPA: m.eml › West LPA Q2.docx (docx): 14 updates, 0 not read" in out.getvalue()
    assert "m.eml: gone" not in out.getvalue()
    assert "m.eml › scan.pdf: is a PDF attached, not a return" in err.getvalue()


def test_a_return_that_came_in_an_email_is_sent_back_named_after_its_attachment_to_its_sender(tmp_path, plan):
    """Issue 28: feedback for a return that came in a message is a copy of the attachment, named
    after it (the email itself untouched), and the text for the reply is addressed to the sender."""
    from assemble.returns import feedback

    folder = quarter(tmp_path)
    north = SAMPLE / "North LPA - Q2 return.docx"  # its 'Saffron Waldon' and 'Tending' are warned of
    message_path = eml(folder / "RE Q2 return.eml", attach([north]), sender="J. Smith <j.smith@essex.police.uk>")
    before = message_path.read_bytes()
    asm = assemble(folder, plan)
    made = feedback.write(asm, tmp_path / "out")
    assert [p.name for p in made.copies] == ["North LPA - Q2 return.docx"]
    assert message_path.read_bytes() == before
    comments = zipfile.ZipFile(made.copies[0]).read("word/comments.xml").decode("utf-8")
    assert "Saffron Waldon" in comments and "Tending" in comments
    [text] = made.texts
    said = text.read_text(encoding="utf-8")
    assert said.startswith("To: J. Smith <j.smith@essex.police.uk>\n")
    assert "- RE Q2 return.eml › North LPA - Q2 return.docx: 20 updates" in said
    assert "Attached: North LPA - Q2 return.docx" in said


def test_two_emails_carrying_returns_of_one_name_get_a_copy_each(tmp_path, plan):
    """Two emails whose attachments share a name (a resend, another area's clerk): each return with a
    problem gets its own copy in the feedback folder, the second named 'name (2)'."""
    from assemble.returns import feedback

    folder = quarter(tmp_path)
    north = (SAMPLE / "North LPA - Q2 return.docx").read_bytes()
    eml(folder / "first.eml", [("North LPA.docx", north)], sender="J. Smith <j.smith@essex.police.uk>")
    eml(folder / "second.eml", [("North LPA.docx", north)], sender="A. Jones <a.jones@essex.police.uk>",
        date="Tue, 06 Oct 2020 10:00:00 +0100")
    made = feedback.write(assemble(folder, plan), tmp_path / "out")
    assert sorted(p.name for p in made.copies) == ["North LPA (2).docx", "North LPA.docx"]
