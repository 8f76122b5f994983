"""Blank submission templates: one Word and one Excel file per area, which the
readers read back as that area's, with no problems but the one warning that the
Word return's example bullets were not read, and, sent back untouched, the error
that no update could be read from the file."""

from __future__ import annotations

import dataclasses

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from assemble import readers
from assemble.errors import Problem, Severity
from assemble.model import Span
from assemble.quarter import Quarter
from assemble.records import Paragraph
from assemble.resolve import PLACEHOLDER, is_placeholder, resolve
from assemble.returns import write as returns
from assemble.returns.write import EXAMPLES, write_blanks

from .builders import numbered, outline, read
from .present import style_name

Q2 = Quarter(2020, 2)
FILLED = "Filled in"  # what a contributor typed over "Replace this"


def examples_warning(problems, n: int) -> None:
    """The one warning resolve gives for a Word return's unreplaced example bullets."""
    [p] = [p for p in problems if p.severity is Severity.WARNING]
    assert p.message == f"{n} example bullet(s) still start '{PLACEHOLDER}' and were not read"
    assert "paragraph" in str(p.place)


def nothing_read(problems, found: str) -> list[Problem]:
    """The problems but the error that no update could be read from an untouched blank."""
    [p] = [p for p in problems if p.severity is Severity.ERROR]
    assert p.message == f"no update could be read from it: {found}" and p.place.where == ""
    return [q for q in problems if q is not p]


def filled_in(record):
    """The record with every example bullet's "Replace this" typed over: what resolve then reads."""
    def fill(block):
        if isinstance(block, Paragraph) and is_placeholder(block.text):
            return dataclasses.replace(block, spans=(Span(block.text.replace(PLACEHOLDER, FILLED, 1)),))
        return block

    return dataclasses.replace(record, blocks=tuple(fill(b) for b in record.blocks))


@pytest.fixture(scope="module")
def folder(tmp_path_factory, plan):
    out = tmp_path_factory.mktemp("blanks")
    paths = write_blanks(plan, Q2, out)
    return out, paths


def header_row(sheet) -> int:
    return next(r for r in range(1, 21) if sheet.cell(r, 1).value == "Priority")


def validations(sheet) -> dict[str, str]:
    """Header name -> the list formula of the validation on its column."""
    names = {sheet.cell(header_row(sheet), c).column_letter: sheet.cell(header_row(sheet), c).value
             for c in range(1, 6)}
    out = {}
    for dv in sheet.data_validations.dataValidation:
        assert dv.type == "list"
        [rng] = list(dv.sqref.ranges)
        assert rng.min_col == rng.max_col and rng.min_row == header_row(sheet) + 1
        assert rng.max_row >= header_row(sheet) + 500
        out[names[rng.coord[0]]] = dv.formula1
    return out


def dropdowns(book) -> dict[str, tuple[list[str], str]]:
    """Header name -> what its dropdown offers (typed in, or a range of a sheet of the
    workbook) and how it answers a value outside the list (its errorStyle)."""
    sheet = book["Updates"]
    styles = {dv.formula1: dv.errorStyle for dv in sheet.data_validations.dataValidation}
    out = {}
    for name, formula in validations(sheet).items():
        if formula.startswith('"'):
            offered = formula.strip('"').split(",")
        else:
            where, cells = formula.split("!")
            offered = [str(c.value) for row in book[where.strip("'")][cells.replace("$", "")] for c in row]
        out[name] = (offered, styles[formula])
    return out


# --- files ---------------------------------------------------------------------


def test_every_area_gets_both_files(folder, plan):
    out, paths = folder
    expected = [out / f"{a.name} - 2020-21-Q2 submission.{ext}"
                for a in plan.areas for ext in ("xlsx", "docx")]
    assert paths == expected
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in expected)


def test_existing_files_are_not_overwritten(tmp_path, plan):
    area = plan.areas[0]
    kept = tmp_path / f"{area.name} - 2020-21-Q2 submission.docx"
    kept.write_bytes(b"a filled-in return")
    with pytest.raises(FileExistsError, match=area.name):
        write_blanks(plan, Q2, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [kept.name]  # nothing written
    assert len(write_blanks(plan, Q2, tmp_path, overwrite=True)) == 2 * len(plan.areas)
    assert kept.read_bytes() != b"a filled-in return"


def test_each_blank_reads_back_clean_as_its_area(folder, plan):
    _, paths = folder
    for path in paths:
        subs, problems = read(path, plan)
        if path.suffix == ".docx":
            examples_warning(problems, 3 * len(plan.commitments_by_id()))
            nothing_read(problems, f"every bullet still starts '{PLACEHOLDER}'")
        else:
            assert nothing_read(problems, "there is nothing under its header row") == [], path.name
        [sub] = subs
        assert sub.area == path.name.split(" - ")[0]
        assert sub.modified and sub.modified.startswith("2020-07-01T00:00:00"), path.name
        assert sub.contributions == ()  # the examples are not updates


def test_area_is_named_inside_not_only_by_the_file_name(tmp_path, plan):
    """Renamed by the sender, a blank still says which area it is."""
    area = plan.area("West LPA")
    for write in (returns.write_blank_docx, returns.write_blank_xlsx):
        suffix = ".docx" if write is returns.write_blank_docx else ".xlsx"
        path = write(plan, area, Q2, tmp_path / f"my return{suffix}")
        [sub], problems = resolve(filled_in(readers.read(path)), plan)
        if suffix == ".xlsx":  # a blank workbook has no example rows to fill in
            problems = nothing_read(problems, "there is nothing under its header row")
        assert (sub.area, problems) == ("West LPA", [])


# --- Excel ---------------------------------------------------------------------


def test_xlsx_layout(folder, plan):
    out, _ = folder
    book = openpyxl.load_workbook(out / "North LPA - 2020-21-Q2 submission.xlsx")
    assert book.sheetnames == ["Updates", "Instructions", "Lists"]  # the long lists on a sheet of their own
    assert book["Lists"].sheet_state == "hidden"
    sheet = book["Updates"]
    row = header_row(sheet)
    assert [c.value for c in sheet[row]] == ["Priority", "Commitment", "District", "Level", "Update"]
    above = [sheet.cell(r, 1).value for r in range(1, row)]
    assert "North LPA – Police and Crime Plan return, Quarter 2 – 2020/21" in above
    assert "Area: North LPA" in above
    assert sheet.freeze_panes == f"A{row + 1}"
    assert sheet.column_dimensions["E"].width >= 80
    assert sheet.column_dimensions["E"].alignment.wrap_text
    assert all(sheet.column_dimensions[c].width for c in "ABCD")
    north = [name for d in plan.area("North LPA").districts for name in (d, *plan.places[d])]
    assert dropdowns(book) == {
        "Priority": (["1", "2", "3", "4", "5", "6", "7"], "stop"),
        # each commitment's number and opening words, and the districts with their places: a value
        # outside the list is warned of, never refused
        "Commitment": ([f"{c.id} {' '.join(c.text.split()[:5])}…" for p in plan.priorities for c in p.commitments],
                       "warning"),
        "District": (north, "warning"),
        "Level": (["1", "2", "3"], "stop"),
    }
    assert dropdowns(book)["Commitment"][0][3] == "2.1 Target repeat and high harm…"
    assert north[:3] == ["Braintree", "Witham", "Halstead"] and "Saffron Walden" in north
    text = " ".join(str(v) for r in book["Instructions"].iter_rows(values_only=True) for v in r if v)
    for words in ("one row per update", "same priority as the row above", "Colchester", "Level",
                  plan.priorities[0].commitments[2].text):
        assert words in text


def test_xlsx_department_has_no_district_list(folder):
    out, _ = folder
    sheet = openpyxl.load_workbook(out / "Roads Policing - 2020-21-Q2 submission.xlsx")["Updates"]
    assert set(validations(sheet)) == {"Priority", "Commitment", "Level"}


def test_long_list_goes_through_a_hidden_sheet(tmp_path, plan):
    """Excel refuses a typed-in list over 255 characters: such a list is a range."""
    districts = tuple(f"District number {i} of a very large area" for i in range(12))
    big = dataclasses.replace(plan.area("West LPA"), name="Big LPA", aliases=(), districts=districts)
    wide = dataclasses.replace(plan, areas=(*plan.areas, big),
                               places={**plan.places, **dict.fromkeys(districts, ())})
    path = returns.write_blank_xlsx(wide, big, Q2, tmp_path / "Big LPA.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Updates", "Instructions", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    formula = validations(book["Updates"])["District"]
    assert formula == "'Lists'!$B$2:$B$13"  # after the Commitment list
    assert [c.value for c in book["Lists"]["B"][1:]] == list(districts)
    # the reader passes over the hidden sheet, and a filled-in row still reads
    sheet = book["Updates"]
    row = header_row(sheet) + 1
    typed: list[int | str] = [2, 1, districts[3], 1, "An update"]
    for col, value in enumerate(typed, start=1):
        sheet.cell(row, col, value)
    book.save(path)
    [sub], problems = read(path, wide)
    assert problems == []
    assert outline(sub) == [("2.1", districts[3], [(None, "An update", 0)])]


def test_filled_in_xlsx_reads_back(folder, plan, tmp_path):
    out, _ = folder
    path = tmp_path / "South LPA - 2020-21-Q2 submission.xlsx"
    path.write_bytes((out / path.name).read_bytes())
    book = openpyxl.load_workbook(path)
    sheet = book["Updates"]
    rows: list[list[int | str | None]] = [
        [1, 3, None, 1, "Online reports up 12% & rising"],
        [None, None, None, 2, "Single Online Home <live> since July"],
        [None, 1, "Thurrock", 1, "Two new Specials in Grays"],
        [None, None, "Thurrock", None, "Cadets' open evening"],
        [None, None, "Thurrock", 2, "40 attended"],
        [None, None, "Basildon", 1, "Street Pastors back in Pitsea"],
        [5, 2, None, 1, "Operation “Raptor”: 14 arrests"],
        [5, 2, None, 2, "£20,000 seized"],
        [5, 2, None, 3, "cash forfeiture applied for"],
    ]
    first = header_row(sheet) + 1
    for r, values in enumerate(rows, start=first):
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(r, c, value)
    book.save(path)
    [sub], problems = read(path, plan)
    assert problems == []
    assert sub.area == "South LPA"
    assert outline(sub) == [
        ("1.3", None, [(None, "Online reports up 12% & rising", 0),
                       (None, "Single Online Home <live> since July", 1)]),
        ("1.1", "Thurrock", [(None, "Two new Specials in Grays", 0), (None, "Cadets' open evening", 0),
                             (None, "40 attended", 1)]),
        ("1.1", "Basildon", [(None, "Street Pastors back in Pitsea", 0)]),
        ("5.2", None, [(None, "Operation “Raptor”: 14 arrests", 0), (None, "£20,000 seized", 1),
                       (None, "cash forfeiture applied for", 2)]),
    ]


def test_a_commitment_as_its_list_offers_it_is_read_by_its_number(tmp_path, plan):
    """Issue 27: the Commitment list offers "2.1 Target repeat and high harm…": its number decides,
    the priority too when the row leaves it blank; a row whose Priority says another is an error."""
    from .builders import excel

    rows: list[list[int | str | None]] = [
            [2, "2.1 Target repeat and high harm…", None, 1, "Dispersal orders were used twice"],
            [None, "5.2 Disrupt and prevent…", None, 1, "A drugs warrant in Witham"],  # the priority by its number
            [None, "5.2 words of another commitment", None, 1, "Cash seized"],  # the number decides
            [3, "2.1 Target repeat and high harm…", None, 1, "Filed nowhere"]]
    [sub], problems = read(excel(tmp_path / "FCR.xlsx", rows), plan)
    assert outline(sub) == [("2.1", None, [(None, "Dispersal orders were used twice", 0)]),
                            ("5.2", None, [(None, "A drugs warrant in Witham", 0), (None, "Cash seized", 0)])]
    [p] = problems
    assert p.severity is Severity.ERROR and p.place.file == "FCR.xlsx" and "row 5" in p.place.where
    assert p.message == ("Commitment '2.1 Target repeat and high harm…' is 2.1, a commitment of Priority 2, but the "
                         "row's Priority is 3")


# --- Word ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Force Control Room", "North LPA"])
def test_docx_structure_reads_back(folder, plan, name):
    out, _ = folder
    record = readers.read(out / f"{name} - 2020-21-Q2 submission.docx")
    [sub], problems = resolve(filled_in(record), plan)
    assert problems == []
    chain = [(None, text.replace(PLACEHOLDER, FILLED, 1), depth) for depth, text in enumerate(EXAMPLES)]
    assert outline(sub) == [(c.id, None, chain) for p in plan.priorities for c in p.commitments]
    assert all(is_placeholder(text) for text in EXAMPLES)


def test_docx_layout(folder, plan):
    out, _ = folder
    document = docx.Document(str(out / "North LPA - 2020-21-Q2 submission.docx"))
    paras = [p for p in document.paragraphs if p.text.strip()]
    assert paras[0].text == "North LPA – Police and Crime Plan return, Quarter 2 – 2020/21"
    assert "Area: North LPA" in [p.text for p in paras[:3]]
    headings = [p.text for p in paras if style_name(p) == "Return Priority"]
    assert headings == [f"Priority {p.number} – {p.title}" for p in plan.priorities]
    lines = [p.text for p in paras if style_name(p) == "Return Commitment"]
    assert lines == [c.text for p in plan.priorities for c in p.commitments]
    # the examples are real Word bullets, levels 0-2 of one defined bullet list
    numbering = document.part.numbering_part.element
    bullets = [n for p in paras if (n := numbered(p))]
    assert len(bullets) == 3 * len(plan.commitments_by_id())
    assert [b.level for b in bullets[:3]] == [0, 1, 2]
    [num_id] = {b.num_id for b in bullets}
    [num] = [n for n in numbering.findall(qn("w:num")) if n.numId == num_id]
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    [abstract] = [a for a in numbering.findall(qn("w:abstractNum"))
                  if a.get(qn("w:abstractNumId")) == abstract_id]
    levels = {lvl.get(qn("w:ilvl")): lvl.find(qn("w:numFmt")).get(qn("w:val"))
              for lvl in abstract.findall(qn("w:lvl"))}
    assert levels == {"0": "bullet", "1": "bullet", "2": "bullet"}
    # abstract definitions all come before the first num, as the schema wants
    tags = [child.tag for child in numbering]
    assert max(i for i, t in enumerate(tags) if t == qn("w:abstractNum")) < tags.index(qn("w:num"))


# --- placeholders --------------------------------------------------------------


def test_an_untouched_blank_strips_to_nothing(folder, plan):
    out, _ = folder
    [kept], problems = read(out / "West LPA - 2020-21-Q2 submission.docx", plan)
    assert kept.contributions == ()
    examples_warning(problems, 3 * len(plan.commitments_by_id()))


def test_a_part_filled_blank_keeps_only_real_updates(folder, plan, tmp_path):
    out, _ = folder
    document = docx.Document(str(out / "Community Safety - 2020-21-Q2 submission.docx"))
    bullets = [p for p in document.paragraphs if p.text.startswith(PLACEHOLDER)]
    # commitment 1.1: the main bullet filled in, its two examples left
    bullets[0].runs[0].text = "Speed Watch: 212 volunteers"
    # commitment 1.2: the main example left, its sub-bullet filled in
    bullets[4].runs[0].text = "Neighbourhood Watch relaunched"
    path = tmp_path / "Community Safety.docx"
    document.save(str(path))
    [kept], problems = read(path, plan)
    assert outline(kept) == [
        ("1.1", None, [(None, "Speed Watch: 212 volunteers", 0)]),
        ("1.2", None, [(None, "Neighbourhood Watch relaunched", 0)]),
    ]
    examples_warning(problems, 3 * len(plan.commitments_by_id()) - 2)
    listed = [b for b in readers.read(path).blocks if isinstance(b, Paragraph) and b.level is not None]
    assert len(listed) == 3 * len(plan.commitments_by_id())  # the reader itself keeps them all


# --- returns sent out, and sent back as they went ------------------------------------------


def test_a_prefilled_return_sent_back_untouched_or_only_resaved_is_one_warning(tmp_path, plan):
    """Guard rails, case 7: what `templates` sends out is recorded (outputs/<quarter>/returns/
    sent-out.json: the bytes' SHA-256 and what the file reads as), so a return that comes back
    as it went, or opened and saved again without a word changed, is one "not filled in"
    warning naming the file, its per-update warnings folded into it."""
    import datetime as dt
    import shutil

    from assemble import pipeline
    from assemble.assembly import Earlier
    from assemble.merge import merge
    from assemble.model import Contribution, Submission, Update
    from assemble.versions import Sent, outbox

    def update(text):
        return Update((Span(text),))

    last = [Submission("West LPA Q1.docx", "docx", "West LPA", (Contribution("2.1", tuple(
                update(f"Operation {n} made {i} arrests in the town centre.") for i, n in
                enumerate(("ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO"), start=2))),)),
            Submission("FCR Q1.xlsx", "xlsx", "Force Control Room", (Contribution("1.3", (
                update("Calls were answered in 9 seconds."), update("The team had 40 call handlers at the "
                                                                   "end of June."))),))]
    q1 = Earlier("2020-21-Q1", "1.0", merge(last, plan).priorities)
    out = tmp_path / "out" / "2020-21-Q2" / "returns"
    when = dt.datetime(2020, 7, 1, 9, 30, tzinfo=dt.UTC)
    returns.write_returns(plan, Q2, out, q1, (Sent("FCR Q1.xlsx", "Force Control Room", "xlsx", 2),), when=when)
    sent = outbox.load(out)
    assert [(s.file, s.area, s.sent, s.updates) for s in sent] == [
        ("Force Control Room - 2020-21-Q2 submission.xlsx", "Force Control Room", when.isoformat(), 2),
        ("West LPA - 2020-21-Q2 submission.docx", "West LPA", when.isoformat(), 5)]

    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    west, fcr = "West LPA - 2020-21-Q2 submission.docx", "Force Control Room - 2020-21-Q2 submission.xlsx"
    shutil.copy(out / fcr, q / fcr)  # sent back as it went out
    docx.Document(str(out / west)).save(str(q / west))  # opened and saved again, not a word changed
    assert (q / west).read_bytes() != (out / west).read_bytes()
    asm = pipeline.assemble(q, plan, earlier=dataclasses.replace(q1, sent_out=sent))
    for file, updates in ((west, 5), (fcr, 2)):
        [p] = [p for p in asm.problems if p.place and p.place.file == file]
        assert (p.severity, p.message) == (Severity.WARNING, "not filled in: it is the return sent out on 2020-07-01")
        assert sum("unchanged since 2020-21-Q1" in d.message for d in p.details) == updates
    assert any("end of the previous data period" in d.message for p in asm.problems for d in p.details)
    assert [p.message for p in asm.problems if p.place is None] == ["7 of 7 updates are unchanged since 2020-21-Q1"]

    # one word changed: filled in, and its unchanged updates told as before
    edited = docx.Document(str(out / west))
    para = next(p for p in edited.paragraphs if "ALPHA" in p.text)
    para.runs[-1].text = para.runs[-1].text.replace("2 arrests", "20 arrests")
    edited.save(str(q / west))
    asm = pipeline.assemble(q, plan, earlier=dataclasses.replace(q1, sent_out=sent))
    [p] = [p for p in asm.problems if p.place and p.place.file == west]
    assert p.message == "4 updates are unchanged since 2020-21-Q1 (its v1.0; report.md lists each)"


# --- a pre-filled return with its structure typed over (issue 25, case 1) -----------------------------


def prefilled(tmp_path, plan, heading: str, *, marked: bool = True):
    """Roads Policing's pre-filled Q3 return (updates carried under 5.2 and 6.2, none under 6.1,
    so 6.1's line has no bullets under it), its Priority 6 heading retyped as `heading`; without
    its identifiers (its bookmarks) unless `marked`, as a hand-made return has none."""
    from assemble.model import Item

    carried: dict[str, tuple[Item, ...]] = {"5.2": (Item((Span("A drugs warrant in Witham"),)),),
               "6.2": (Item((Span("Hate crime reporting rose in Harlow"),)),)}
    path = returns.write_blank_docx(plan, plan.area("Roads Policing"), Quarter(2020, 3),
                                    tmp_path / "Roads Policing - Q3.docx", carried)
    d = docx.Document(str(path))
    [p] = [p for p in d.paragraphs if p.text.startswith("Priority 6 –")]
    p.runs[0].text = heading
    if not marked:
        for mark in d.element.body.xpath(".//w:bookmarkStart | .//w:bookmarkEnd"):
            mark.getparent().remove(mark)
    d.save(str(path))
    return read(path, plan)


CARRIED = [("5.2", None, [(None, "A drugs warrant in Witham", 0)]),
           ("6.2", None, [(None, "Hate crime reporting rose in Harlow", 0)])]


def test_a_prefilled_return_with_a_misspelt_priority_heading(tmp_path, plan):
    """Guard rails, case 1: "Priorty 6 – <its title>" is Priority 6, with a warning; nothing of
    Priority 6 is filed under 5.2 (as it was, with no error at all). Its identifier says so
    (issue 27); without one, its words do."""
    [sub], problems = prefilled(tmp_path, plan, "Priorty 6 – Protecting Children and Vulnerable People", marked=False)
    assert outline(sub) == CARRIED
    [p] = problems
    assert p.severity is Severity.WARNING and p.place.file == "Roads Policing - Q3.docx"
    assert "'Priorty' is misspelt" in p.message
    [sub], problems = prefilled(tmp_path, plan, "Priorty 6 – Protecting Children and Vulnerable People")
    assert outline(sub) == CARRIED
    [p] = problems
    assert p.severity is Severity.WARNING and p.place.file == "Roads Policing - Q3.docx"
    assert p.message == ("the heading of Priority 6 was edited to 'Priorty 6 – Protecting Children and Vulnerable "
                         "People': read as Priority 6 by its identifier")
    assert p.hint == "write it as the plan has it: 'Priority 6 – Protecting Children and Vulnerable People'"


def test_a_prefilled_return_with_a_priority_heading_in_doubt(tmp_path, plan):
    """Guard rails, case 1: a heading whose words do not say which priority: one error naming it
    and the closest priority, its lines (6.1's and 6.2's lines, 6.2's update) left out and counted;
    unless its identifier says which it is (issue 27): then that, with a warning."""
    [sub], problems = prefilled(tmp_path, plan, "Priorty 6 – Protection of Kids", marked=False)
    assert outline(sub) == [("5.2", None, [(None, "A drugs warrant in Witham", 0)])]
    [p] = [p for p in problems if p.severity is Severity.ERROR]
    assert p.message == "'Priorty 6 – Protection of Kids' is not one of the plan's priority headings: " \
                        "3 lines under it not read"
    assert p.hint.startswith("did you mean Priority 6 – Protecting Children and Vulnerable People?")
    assert problems == [p]
    [sub], problems = prefilled(tmp_path, plan, "Priorty 6 – Protection of Kids")
    assert outline(sub) == CARRIED
    assert [p.message for p in problems] == [
        "the heading of Priority 6 was edited to 'Priorty 6 – Protection of Kids': read as Priority 6 by its "
        "identifier"]
