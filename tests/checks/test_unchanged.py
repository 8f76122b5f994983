"""Updates sent back unchanged from last quarter, and returns sent back as they were sent out."""

from __future__ import annotations

from dataclasses import replace

from assemble import checks
from assemble.assembly import Earlier, SentOut
from assemble.checks import unchanged
from assemble.errors import Place, Severity
from assemble.merge import merge
from assemble.versions import outbox

from .common import PLAN, assembly, c, places_in_order, sub, u

LAST = [
    "Operation ALPHA made 12 arrests in the town centre.",
    "Operation BRAVO closed three cannabis factories.",
    "The team had 40 officers at the end of June.",  # Q1's position: a stale date in a Q2 return
    "Operation CHARLIE trained 30 volunteers.",
    "Operation DELTA visited every school in the district.",
]
FILE = "North LPA - 2020-21-Q2 submission.docx"


def earlier(sent_out=()) -> Earlier:
    """Last quarter (2020-21-Q1) as its newest version has North LPA's updates."""
    last = sub(c(*(u(t) for t in LAST)), file="North LPA Q1.docx")
    return Earlier("2020-21-Q1", "1.0", merge([last], PLAN).priorities, {}, tuple(sent_out))


def returned(texts=LAST, file=FILE, commitment="2.1"):
    """This quarter's return of North LPA holding `texts`, each at a paragraph of its own."""
    return sub(c(*(u(t, where=f"paragraph {i}", file=file) for i, t in enumerate(texts, start=10)),
                 commitment=commitment, place=Place(file, "paragraph 9")), file=file)


def run(subs, earlier_quarter, hashes=None):
    asm = replace(assembly(subs), earlier=earlier_quarter, hashes=hashes or {})
    return checks.run(asm, places_in_order(subs))


def test_more_than_three_unchanged_in_a_file_are_one_warning_standing_for_each():
    """Guard rails, case 7: more than three unchanged updates in one file fold into one line
    with the count; report.md lists each (its details)."""
    mine = returned([*LAST[:2], LAST[3], LAST[4], "Something new this quarter."])
    few = returned(LAST[:3], file="North LPA extra.docx", commitment="3.1")
    found = run([mine, few], earlier())
    [folded] = [p for p in found if p.place == Place(FILE)]
    assert folded.severity is Severity.WARNING
    assert folded.message == "4 updates are unchanged since 2020-21-Q1 (its v1.0; report.md lists each)"
    assert [d.place.where for d in folded.details] == ["paragraph 10", "paragraph 11", "paragraph 12", "paragraph 13"]
    assert all(d.message.startswith("unchanged since 2020-21-Q1 (its v1.0, commitment 2.1") for d in folded.details)
    assert not [p for p in found if p.place and p.place.file == FILE and p is not folded]  # said once
    # three are told one by one, as before
    assert [p.place.where for p in found if p.place and p.place.file == "North LPA extra.docx"
            and p.message.startswith("unchanged since")] == ["paragraph 10", "paragraph 11", "paragraph 12"]
    assert any(p.message == "7 of 8 updates are unchanged since 2020-21-Q1" for p in found)  # the summary stays


def test_a_return_sent_back_as_it_was_sent_out_is_one_warning_naming_it():
    """Guard rails, case 7: a return that is the one sent out (the same words: opened and saved
    again) is ONE warning naming the file, standing for every finding about its updates."""
    back = returned()
    sent = SentOut(FILE, "North LPA", "2020-07-01T09:30:00+00:00", "0" * 64, outbox.content([back]), 5)
    found = run([back], earlier([sent]))
    mine = [p for p in found if p.place and p.place.file == FILE]
    [p] = mine
    assert (p.severity, p.place) == (Severity.WARNING, Place(FILE))
    assert p.message == "not filled in: it is the return sent out on 2020-07-01"
    assert "ask North LPA for this quarter's return" in p.hint
    assert sum(d.message.startswith("unchanged since 2020-21-Q1") for d in p.details) == 5
    [stale] = [d for d in p.details if "end of the previous data period" in d.message]  # folded in too
    assert stale.place == Place(FILE, "paragraph 12")
    assert [d.place.where for d in p.details] == sorted(d.place.where for d in p.details)  # as they stand
    assert any(p.message == "5 of 5 updates are unchanged since 2020-21-Q1" for p in found)


def test_a_return_with_the_bytes_sent_out_is_one_too_and_a_changed_one_is_not():
    """Guard rails, case 7: the same bytes are the return sent out; one word changed is not."""
    back = returned()
    sent = SentOut(FILE, "North LPA", "2020-07-01T09:30:00+00:00", "a" * 64, "another content", 5)
    [p] = [p for p in run([back], earlier([sent]), {FILE: "a" * 64}) if p.place and p.place.file == FILE]
    assert p.message.startswith(unchanged.NOT_FILLED_IN)
    touched = returned([*LAST[:4], "Operation DELTA visited every school in the district twice."])
    sent = replace(sent, content=outbox.content([returned()]), sha256="b" * 64)
    found = run([touched], earlier([sent]), {FILE: "c" * 64})
    assert not [p for p in found if p.message.startswith("not filled in")]
    assert any(p.message.startswith("4 updates are unchanged") for p in found)


def test_a_return_sent_out_and_superseded_is_left_to_the_supersession_warning():
    back = returned()
    newer = returned(["All new."], file="North LPA v2.docx")
    sent = SentOut(FILE, "North LPA", "2020-07-01T09:30:00+00:00", "0" * 64, outbox.content([back]), 5)
    found = run([back, newer], earlier([sent]))
    assert not [p for p in found if p.message.startswith("not filled in")]
    assert [p.message for p in found if p.place == Place(FILE)] == [
        "5 update(s) left out: superseded by North LPA v2.docx for commitment 2.1"]


def test_last_quarters_own_file_sent_again_is_one_warning_too():
    """Guard rails, case 7: a return whose bytes are last quarter's is not filled in either:
    one warning naming the file it copies, standing for its updates' warnings."""
    back = returned()
    last = replace(earlier(), inputs={"North LPA Q1.docx": "d" * 64})
    [p] = [p for p in run([back], last, {FILE: "d" * 64}) if p.place and p.place.file == FILE]
    assert p.message == "not filled in: it is byte-identical to 'North LPA Q1.docx', a return for 2020-21-Q1"
    assert sum(d.message.startswith("unchanged since") for d in p.details) == 5
