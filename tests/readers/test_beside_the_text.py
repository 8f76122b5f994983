"""What Word and Excel keep beside a return's text (issue 25, case 11): comments and
their replies, notes on cells, the unit's own comments and notes (marked, and passed
over), hidden text, symbol characters. Read and resolved against the plan as a build
does."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from typing import Any

import docx
import openpyxl
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from openpyxl.comments import Comment

from assemble import readers, signature
from assemble.errors import Problem
from assemble.resolve import Fate, account

from .. import libreoffice
from ..builders import bullet, read, update_texts
from ..hostile import parts, write_parts
from ..present import paragraphs, tables
from ..present import sheet as active

AREA = "Roads Policing"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
THREADED = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
RELS = "http://schemas.microsoft.com/office/2017/10/relationships"


def _return() -> docx.document.Document:
    """A Word return's opening: a priority heading and its commitment."""
    d = docx.Document()
    d.add_heading("Priority 7 – Improve Safety on our Roads", level=1)
    d.add_paragraph("7.1")
    return d


def _bullet(d, *runs: str, style: str | None = None):
    p = d.add_paragraph(style=style or "List Paragraph")
    for text in runs:
        p.add_run(text)
    bullet(p, 0)
    return p


def _threads(d, *pairs: tuple[Any, Any]) -> None:
    """Mark comments as Word does: each one's last paragraph gets an id, and the
    extended part says which comment each reply answers (`pairs`: (reply, comment))."""
    ids = {}
    for n, comment in enumerate(d.comments):
        ids[comment.comment_id] = f"{0x10000000 + n:08X}"
        comment._comment_elm.findall(qn("w:p"))[-1].set(f"{{{W14}}}paraId", ids[comment.comment_id])
    parents = {reply.comment_id: ids[parent.comment_id] for reply, parent in pairs}
    entries = "".join(
        f'<w15:commentEx w15:paraId="{pid}"'
        + (f' w15:paraIdParent="{parents[cid]}"' if cid in parents else "") + ' w15:done="0"/>'
        for cid, pid in ids.items())
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w15:commentsEx xmlns:w15="{W15}">{entries}' \
          "</w15:commentsEx>"
    part = Part(PackURI("/word/commentsExtended.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
                xml.encode(), d.part.package)
    d.part.relate_to(part, "http://schemas.microsoft.com/office/2011/relationships/commentsExtended")


def _warnings(problems, word: str) -> list[Problem]:
    return [p for p in problems if word in p.message]


# --- Word comments -------------------------------------------------------------------------


def test_a_comment_and_its_reply_are_warnings_at_their_paragraph(tmp_path, plan):
    """Guard rails, case 11: a Word comment and a reply to it (as Word marks replies) are
    each a warning naming the file, the paragraph they are anchored to, the author and
    the text; neither is printed."""
    d = _return()
    _bullet(d, "Speed checks rose to 412 in the quarter")
    figure = _bullet(d, "Casualties fell to 38, down from 45")
    asked = d.add_comment(figure.runs, text="please confirm this figure with the\nanalyst", author="J. Smith",
                          initials="JS")
    answer = d.add_comment(figure.runs, text="confirmed: 38", author="A. Jones", initials="AJ")
    _threads(d, (answer, asked))
    d.save(tmp_path / f"{AREA}.docx")

    [sub], problems = read(tmp_path / f"{AREA}.docx", plan)
    assert update_texts([sub]) == ["Speed checks rose to 412 in the quarter", "Casualties fell to 38, down from 45"]
    comment, reply = _warnings(problems, "comment")
    place = sub.contributions[0].updates[1].place
    assert comment.place == reply.place == place and place.file == f"{AREA}.docx"
    assert "a comment by J. Smith" in comment.message
    assert "please confirm this figure with the analyst" in comment.message  # on one line
    assert "delete the comment" in comment.hint
    assert "a reply by A. Jones" in reply.message and "confirmed: 38" in reply.message
    assert len(problems) == 2


def test_a_comment_between_paragraphs_or_in_a_form_is_at_what_it_marks(tmp_path, plan):
    """Guard rails, case 11: a comment on a row of a table filled like a form is at that
    row; one whose range opens before an empty paragraph is at the text it marks."""
    d = _return()
    empty = d.add_paragraph()
    p = _bullet(d, "Speed checks rose to 412")
    d.add_comment(p.runs, text="which roads?", author="J. Smith")
    empty._p.append(p._p.find(qn("w:commentRangeStart")))  # the range opens in the empty paragraph
    t = d.add_table(rows=2, cols=3)
    for cell, text in zip(t.rows[0].cells + t.rows[1].cells,
                          ["Commitment", "District", "Update", "7.1", "Basildon", "Two operations"], strict=True):
        cell.text = text
    d.add_comment(t.rows[1].cells[2].paragraphs[0].runs, text="which operations?", author="A. Jones")
    d.save(tmp_path / f"{AREA}.docx")

    record = readers.read(tmp_path / f"{AREA}.docx")
    [sub], problems = read(tmp_path / f"{AREA}.docx", plan)
    first, second = _warnings(problems, "comment")
    assert "which roads?" in first.message and first.place == sub.contributions[0].updates[0].place
    assert "which operations?" in second.message and second.place == tables(record.blocks[-1:])[0].rows[0].place


def test_the_units_own_comments_are_passed_over_and_keep_their_mark_through_libreoffice(tmp_path, plan):
    """Guard rails, case 11: a comment this project writes into a return it sends out is
    marked (``signature``), and not reported back when the return comes back, even after
    LibreOffice re-saves it; a contributor's comment beside it is."""
    d = _return()
    p = _bullet(d, "Speed checks rose to 412 in the quarter")
    d.add_comment(p.runs, text=signature.sign("This reads as last quarter's update: please bring it up to date."),
                  author="Performance Analysis Unit", initials="PAU")
    d.add_comment(p.runs, text="updated with September's figure", author="J. Smith")
    sent = tmp_path / f"{AREA}.docx"
    d.save(sent)

    for path in (sent, libreoffice.convert(sent, tmp_path / "resaved", "docx:MS Word 2007 XML")):
        _, problems = read(path, plan)
        [comment] = _warnings(problems, "comment")
        assert "a comment by J. Smith" in comment.message and "September" in comment.message
        assert not _warnings(problems, "last quarter's update")
    with zipfile.ZipFile(tmp_path / "resaved" / f"{AREA}.docx") as z:
        assert signature.MARK in z.read("word/comments.xml").decode()  # the comment was kept: its mark passed it


def test_the_mark_opens_the_text():
    """Guard rails, case 11: the unit's mark is its text's opening, whatever the author."""
    assert signature.signed(signature.sign("please update this"))
    assert signature.signed("  " + signature.sign("x"))
    assert not signature.signed(f"please update this {signature.MARK}")
    assert not signature.signed("please update this")


# --- Excel notes and comments -----------------------------------------------------------------


def _workbook(path):
    book = openpyxl.Workbook()
    sheet = active(book)
    sheet.title = "Updates"
    sheet.append(["Priority", "Commitment", "District", "Level", "Update"])
    sheet.append([7, 1, None, 1, "Casualties fell to 38"])
    sheet.append([7, 1, None, 1, "Speed checks rose to 412"])
    return book, sheet


def test_a_note_on_a_cell_is_a_warning_at_its_cell(tmp_path, plan):
    """Guard rails, case 11: a note on an Excel cell is a warning naming the file, the
    sheet and cell, its author and its text; the unit's own notes are passed over,
    whether Excel opened them with its "Name:" line or LibreOffice blanked their author."""
    book, sheet = _workbook(tmp_path / f"{AREA}.xlsx")
    sheet["E2"].comment = Comment("J. Smith:\nplease confirm this figure", "J. Smith")  # as Excel makes it
    sheet["E3"].comment = Comment(signature.sign("This reads as last quarter's."), " ")  # re-saved by LibreOffice
    unit = "Performance Analysis Unit"
    sheet["D3"].comment = Comment(f"{unit}:\n" + signature.sign("Level?"), unit)  # made in Excel
    book.save(tmp_path / f"{AREA}.xlsx")

    [sub], problems = read(tmp_path / f"{AREA}.xlsx", plan)
    assert update_texts([sub]) == ["Casualties fell to 38", "Speed checks rose to 412"]
    [note] = problems
    assert note.place.file == f"{AREA}.xlsx" and "E2" in note.place.where and "Updates" in note.place.where
    assert "a note by J. Smith" in note.message and "'please confirm this figure'" in note.message
    assert "delete the note" in note.hint


def test_the_units_own_notes_keep_their_mark_through_libreoffice(tmp_path, plan):
    """Guard rails, case 11: a note the unit writes into a workbook it sends out is still
    passed over after LibreOffice Calc re-saves the workbook (which blanks a note's author);
    a contributor's note beside it is reported."""
    book, sheet = _workbook(tmp_path / f"{AREA}.xlsx")
    sheet["E2"].comment = Comment(signature.sign("This reads as last quarter's update."), "Performance Analysis Unit")
    sheet["E3"].comment = Comment("please confirm this figure", "J. Smith")
    book.save(tmp_path / f"{AREA}.xlsx")
    resaved = libreoffice.convert(tmp_path / f"{AREA}.xlsx", tmp_path / "resaved", "xlsx:Calc MS Excel 2007 XML")
    [sub], problems = read(resaved, plan)
    assert update_texts([sub]) == ["Casualties fell to 38", "Speed checks rose to 412"]
    [note] = problems
    assert "E3" in note.place.where and "'please confirm this figure'" in note.message
    with zipfile.ZipFile(resaved) as z:  # the unit's note was kept: its mark passed it over
        assert any(signature.MARK in z.read(n).decode() for n in z.namelist() if "comments" in n)


def test_threaded_comments_and_their_replies_are_warnings_not_their_copies(tmp_path, plan):
    """Guard rails, case 11: Excel's threaded comments and their replies are warnings at
    their cell, by the person who wrote them; the note Excel keeps beside them for older
    versions is not said again."""
    book, sheet = _workbook(tmp_path / f"{AREA}.xlsx")
    sheet["E2"].comment = Comment("[Threaded comment]\n\nYour version of Excel allows you to read this threaded "
                                  "comment…\n\nComment:\n    please confirm this figure", "tc={C1}")
    book.save(tmp_path / f"{AREA}.xlsx")
    contents = parts(tmp_path / f"{AREA}.xlsx")
    contents["xl/persons/person.xml"] = (
        f'<personList xmlns="{THREADED}"><person displayName="J. Smith" id="{{P1}}" providerId="None"/>'
        f'<person displayName="A. Jones" id="{{P2}}" providerId="None"/></personList>').encode()
    contents["xl/threadedComments/threadedComment1.xml"] = (
        f'<ThreadedComments xmlns="{THREADED}">'
        '<threadedComment ref="E2" dT="2020-10-01T10:00:00.00" personId="{P1}" id="{C1}">'
        "<text>please confirm this figure</text></threadedComment>"
        '<threadedComment ref="E2" dT="2020-10-01T11:00:00.00" personId="{P2}" id="{C2}" parentId="{C1}">'
        "<text>confirmed: 38</text></threadedComment></ThreadedComments>").encode()
    for rels, rel in (("xl/_rels/workbook.xml.rels", f'Type="{RELS}/person" Target="persons/person.xml"'),
                      ("xl/worksheets/_rels/sheet1.xml.rels",
                       f'Type="{RELS}/threadedComment" Target="../threadedComments/threadedComment1.xml"')):
        contents[rels] = contents[rels].replace(b"</Relationships>",
                                                f'<Relationship Id="rIdX" {rel}/></Relationships>'.encode())
    write_parts(tmp_path / f"{AREA}.xlsx", contents)

    _, problems = read(tmp_path / f"{AREA}.xlsx", plan)
    comment, reply = problems
    assert comment.place == reply.place and "E2" in comment.place.where
    assert "a comment by J. Smith" in comment.message and "please confirm this figure" in comment.message
    assert "a reply by A. Jones" in reply.message and "confirmed: 38" in reply.message


# --- hidden text ----------------------------------------------------------------------------


def _hiding_styles(d) -> None:
    secret = d.styles.add_style("Secret", WD_STYLE_TYPE.CHARACTER)
    secret.font.hidden = True
    aside = d.styles.add_style("Aside", WD_STYLE_TYPE.PARAGRAPH)
    aside.base_style = d.styles["List Paragraph"]
    aside.font.hidden = True


def test_hidden_text_is_not_printed_and_is_one_warning(tmp_path, plan):
    """Guard rails, case 11: text hidden (Word's Hidden font effect) by the run itself, by
    its character style or by its paragraph's style is not printed; the file has one
    warning with the count of hidden words and their opening words; a run that turns
    Hidden off, and text hidden only from web view, are read."""
    d = _return()
    _hiding_styles(d)
    p = _bullet(d, "Speed checks rose to 412")
    p.add_run(" draft figure to confirm").font.hidden = True
    p = _bullet(d, "Casualties fell to 38")
    p.add_run(" ask traffic unit", style="Secret")
    p = _bullet(d, "Two operations in Basildon", style="Aside")
    p.runs[0].font.hidden = False  # shown, whatever its style says
    p.add_run(" not for publication")  # hidden by its paragraph's style
    p = _bullet(d, "Seatbelt campaign launched")
    p.add_run(" in September")._r.get_or_add_rPr().append(parse_xml(f"<w:webHidden {nsdecls('w')}/>"))
    d.save(tmp_path / f"{AREA}.docx")

    [sub], problems = read(tmp_path / f"{AREA}.docx", plan)
    assert update_texts([sub]) == ["Speed checks rose to 412", "Casualties fell to 38", "Two operations in Basildon",
                                   "Seatbelt campaign launched in September"]
    [hidden] = problems
    assert hidden.place.file == f"{AREA}.docx"
    assert "10 words of hidden text" in hidden.message
    assert "'draft figure to confirm ask traffic unit not…'" in hidden.message


def test_a_paragraph_all_hidden_is_no_paragraph_and_its_words_are_accounted_for(tmp_path, plan):
    """Guard rails, case 11: a paragraph all of whose text is hidden is no update and
    moves no other paragraph's place; its words, like every hidden word, are in the
    ledger as not read, with the warning that says so."""
    def save(name: str, hidden: bool):
        d = _return()
        _hiding_styles(d)
        _bullet(d, "Speed checks rose to 412")
        if hidden:
            _bullet(d, "a whole paragraph", style="Aside")
            p = _bullet(d, "Casualties fell to 38")
            p.add_run(" for now").font.hidden = True
        else:
            _bullet(d, "Casualties fell to 38")
        _bullet(d, "Seatbelt campaign launched")
        d.save(tmp_path / name)
        return tmp_path / name

    with_hidden, without = save(f"{AREA}.docx", True), save("plain.docx", False)
    record = readers.read(with_hidden)
    assert [(b.place.where, b.text) for b in paragraphs(record.blocks)] == \
        [(b.place.where, b.text) for b in paragraphs(readers.read(without).blocks)]
    found = account(record, plan)
    assert update_texts(found.submissions) == ["Speed checks rose to 412", "Casualties fell to 38",
                                               "Seatbelt campaign launched"]
    words = Counter(w for b in paragraphs(record.blocks) for w in re.findall(r"\w+", b.text))
    words += Counter(["a", "whole", "paragraph", "for", "now"])
    read_ = Counter(w for e in found.entries if e.fate is not Fate.NOT_READ for w in re.findall(r"\w+", e.text))
    reported = Counter(w for e in found.entries if e.fate is Fate.NOT_READ for w in re.findall(r"\w+", e.text))
    assert words == read_ + reported and reported == Counter(["a", "whole", "paragraph", "for", "now"])
    [hidden] = found.problems
    assert all(e.problem is hidden for e in found.entries if e.fate is Fate.NOT_READ)
    assert "5 words of hidden text" in hidden.message


def test_text_hidden_by_the_documents_defaults_is_not_read(tmp_path):
    """Guard rails, case 11: the document's default run properties hide text too; a run
    that turns Hidden off is shown."""
    d = docx.Document()
    d.add_paragraph("hidden by default")
    d.add_paragraph().add_run("shown").font.hidden = False
    defaults = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    defaults.append(parse_xml(f"<w:vanish {nsdecls('w')}/>"))
    d.save(tmp_path / "defaults.docx")
    record = readers.read(tmp_path / "defaults.docx")
    assert [b.text for b in paragraphs(record.blocks)] == ["shown"]
    assert [h.text for h in record.hidden] == ["hidden by default"]


# --- symbols ----------------------------------------------------------------------------------


def _sym(font: str, code: str) -> str:
    return f'<w:r {nsdecls("w")}><w:sym w:font="{font}" w:char="{code}"/></w:r>'


def test_symbols_are_read_as_the_characters_they_show(tmp_path, plan):
    """Guard rails, case 11: a character inserted as a symbol (w:sym) is read as the
    character it shows (the Symbol font, Wingdings' ticks, crosses, boxes and arrows, a
    code that is a Unicode character already); one that cannot be said is a warning
    naming its place, font and code, never dropped in silence."""
    d = _return()
    p = _bullet(d, "Checked ")
    for font, code, after in (("Wingdings", "F0FC", " and "), ("Wingdings 2", "F050", ", not "),
                              ("Wingdings", "F0FB", "; "), ("Symbol", "F0B3", " 40, "), ("Symbol", "F061", " "),
                              ("Wingdings", "F0FE", " "), ("Wingdings", "F0E8", " "), ("Arial", "2022", " done")):
        p._p.append(parse_xml(_sym(font, code)))
        p.add_run(after)
    q = _bullet(d, "Arrow")
    q._p.append(parse_xml(_sym("Wingdings 3", "F0C6")))
    q.add_run(" next")
    d.save(tmp_path / f"{AREA}.docx")

    [sub], problems = read(tmp_path / f"{AREA}.docx", plan)
    assert update_texts([sub]) == ["Checked ✓ and ✓, not ✗; ≥ 40, α ☑ ➔ • done", "Arrow next"]
    [symbol] = problems
    assert symbol.place == sub.contributions[0].updates[1].place and symbol.place.file == f"{AREA}.docx"
    assert "Wingdings 3" in symbol.message and "F0C6" in symbol.message and "symbol" in symbol.message
