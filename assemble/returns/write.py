"""The returns sent out to contributors each quarter, shaped the way the readers
understand them.

An area that reported last quarter gets its return pre-filled with its updates
from that quarter's newest version, in the format it used (Word or Excel), under
the same commitments and labels; its instructions say that every carried-over
bullet must be updated or deleted (the ``unchanged`` check flags what comes back
as it went out: each pre-filled return is recorded as sent out, ``outbox``). An
area that sent nothing gets a blank Word and Excel return.

A line carried over that a check flagged last quarter (``Earlier.flags``: a misspelt
place, figures that contradict their words) carries the flag as a comment (Word) or a
note on its Update cell (Excel), signed as the unit's (``signature``); its words are not
changed. A Word return keeps its structure (``structure``: styles of its own, the
identifiers ``resolve`` trusts, protection but for the bullets). An Excel return's
District list offers the area's districts, the plan's places in them and the labels the
area used last quarter that the place check accepted; its Commitment list each
commitment's number and opening words; both warn on another value, never refuse it.

The blank Word return carries example bullets under every commitment so a
contributor sees where updates go and at which levels. Their text starts
``Replace this`` (``resolve.PLACEHOLDER``): read back, they are set aside with a
warning, not taken as updates. The blank Excel return has no example rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .. import clock, readers, signature
from ..assembly import Earlier, SentOut
from ..errors import InputError
from ..kept import Flag
from ..model import Item, Span, spans_text
from ..plan import Area, Commitment, Plan
from ..plan.matching import is_known_label, is_place_label
from ..quarter import Quarter
from ..resolve import PLACEHOLDER, identifiers, resolve
from ..text import and_list, first_words, normalise
from ..versions import Sent, outbox
from ..writers.ooxml import add_bullet_list, new_workbook
from . import structure

HEADER = ("Priority", "Commitment", "District", "Level", "Update")
UPDATES_SHEET = "Updates"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
VALIDATED_ROWS = 1000  # rows below the header that get the dropdown lists
INLINE_LIST_LIMIT = 255  # Excel's limit on a typed-in validation list

# Example bullets, one per level; none has a colon, so none reads as a label.
EXAMPLES = (
    f"{PLACEHOLDER} with an update on this commitment (a main bullet), "
    "or delete these example bullets if you have nothing to report here",
    f"{PLACEHOLDER} with a detail of the update above (a sub-bullet), or delete it",
    f"{PLACEHOLDER} with a detail of the sub-bullet above (a third-level bullet), or delete it",
)
# Word bullet characters per level, with a font that has them.
_BULLETS = (("•", "Arial"), ("o", "Courier New"), ("▪", "Arial"))


def file_stem(area: Area, quarter: Quarter) -> str:
    return f"{area.name} - {quarter.name} submission"


def title(plan: Plan, area: Area, quarter: Quarter) -> str:
    return f"{area.name} – {plan.title} return, {quarter.long}"


Carried = dict[str, tuple[Item, ...]]  # commitment id -> an area's updates last quarter, as it sent them
Flags = tuple[Flag, ...]  # what last quarter's checks flagged in an area's updates
Writer = Callable[[Plan, Area, Quarter, Path, "Carried | None", Flags], Path]


def write_blanks(plan: Plan, quarter: Quarter, folder: Path, *, overwrite: bool = False) -> list[Path]:
    """A blank .xlsx and .docx per area of the plan, in plan order; returns the paths."""
    return write_returns(plan, quarter, folder, None, (), overwrite=overwrite)


def write_returns(plan: Plan, quarter: Quarter, folder: Path, earlier: Earlier | None, sent: tuple[Sent, ...],
                  *, overwrite: bool = False, when: dt.datetime | None = None) -> list[Path]:
    """Every area's return for `quarter`, in plan order: pre-filled from `earlier` (the
    previous quarter's newest version) in the format the area `sent` last time, or
    blank in both formats. Returns the paths. The pre-filled ones are recorded as sent
    out (``outbox``, `when`: now unless given), so one that comes back untouched is known.

    Refuses, before writing anything, when a file of those names is already
    there (it may be a filled-in return), unless told to overwrite.
    """
    jobs: list[tuple[Writer, Area, Path, Carried | None]] = []
    for area in plan.areas:
        carried = carried_over(earlier, area, plan) if earlier else {}
        if carried:
            suffix = _format_sent(area, sent)
            writer: Writer = write_blank_xlsx if suffix == ".xlsx" else write_blank_docx
            jobs.append((writer, area, folder / f"{file_stem(area, quarter)}{suffix}", carried))
        else:
            jobs += [(write_blank_xlsx, area, folder / f"{file_stem(area, quarter)}.xlsx", None),
                     (write_blank_docx, area, folder / f"{file_stem(area, quarter)}.docx", None)]
    there = [path.name for _, _, path, _ in jobs if path.exists()]
    if there and not overwrite:
        raise FileExistsError(f"{folder}: not overwriting {', '.join(there)}")
    folder.mkdir(parents=True, exist_ok=True)
    flags = earlier.flags if earlier else ()
    paths = [write(plan, area, quarter, path, carried, tuple(f for f in flags if f.area == area.name))
             for write, area, path, carried in jobs]
    prefilled = [(area, path) for (_, area, path, carried), path in zip(jobs, paths, strict=True) if carried]
    if prefilled:
        moment = (when or clock.now()).isoformat()
        outbox.save(folder, [_sent_out(plan, area, path, moment) for area, path in prefilled])
    return paths


def _sent_out(plan: Plan, area: Area, path: Path, when: str) -> SentOut:
    """A return as it goes out, read back as a build will read it when it comes back."""
    data = path.read_bytes()
    try:
        subs, _ = resolve(readers.read(path), plan)
    except InputError:  # not expected of a file written here: then its bytes alone are known
        subs = []
    return SentOut(path.name, area.name, when, hashlib.sha256(data).hexdigest(),
                          outbox.content(subs) if subs else "", sum(s.count() for s in subs))


def carried_over(earlier: Earlier, area: Area, plan: Plan) -> Carried:
    """An area's updates in last quarter's version, per commitment, as the area sent
    them: without the label or sub-heading the merge gave the area itself."""
    out: Carried = {}
    known = {c.id for p in plan.priorities for c in p.commitments}
    for p in earlier.priorities:
        for c in p.commitments:
            if c.id not in known:
                continue  # a commitment this quarter's plan no longer has
            items: list[Item] = []
            for block in c.blocks:
                if not isinstance(block, Item) or block.area != area.name:
                    continue  # a sub-heading is the area's name, not its words
                if area.show == "label" and block.label == area.display:
                    items += [Item(block.spans, block.children)] if block.text.strip() else list(block.children)
                else:
                    items.append(block)
            if items:
                out[c.id] = tuple(items)
    return out


def flagged(flags: Flags, commitment: str, item: Item) -> list[str]:
    """The comments a line carried over under `commitment` gets: each flag last quarter's checks
    raised on it (found by its words; a label standing alone, by its label), signed as the unit's."""
    words = normalise(item.text)
    return [signature.sign(f"last quarter: {f.message}" + (f" ({f.hint})" if f.hint else ""))
            for f in flags if f.commitment == commitment
            and (normalise(f.text) == words if f.text else not words and f.label == item.label)]


def _format_sent(area: Area, sent: tuple[Sent, ...]) -> str:
    """The format of the return that carried most of the area's updates last time (Word if unknown)."""
    mine = sorted((s for s in sent if s.area == area.name), key=lambda s: -s.updates)
    return ".xlsx" if mine and mine[0].format == "xlsx" else ".docx"


def _dated(quarter: Quarter) -> dt.datetime:
    """Midnight on the quarter's first day: reproducible, and older than any filled-in save."""
    year, month = quarter.start
    return dt.datetime(year, month, 1)


# --- Excel ---------------------------------------------------------------------

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="808080")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def write_blank_xlsx(plan: Plan, area: Area, quarter: Quarter, path: Path, carried: Carried | None = None,
                     flags: Flags = ()) -> Path:
    """An Excel return: blank, or with `carried` rows from last quarter, each that a check
    flagged last quarter (`flags`) with a note on its Update cell."""
    book, sheet = new_workbook()
    sheet.title = UPDATES_SHEET

    sheet.append([title(plan, area, quarter)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"Area: {area.name}"])
    sheet["A2"].font = _BOLD
    sheet.append([CARRIED_NOTE if carried else
                  f"One row per update; see the '{INSTRUCTIONS_SHEET}' sheet for how to fill this in."])
    sheet["A3"].font = Font(italic=True)
    sheet.append(list(HEADER))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = Border(bottom=_THIN)
        cell.alignment = Alignment(vertical="top")
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    column = {name: get_column_letter(i) for i, name in enumerate(HEADER, start=1)}
    widths = {"Priority": 10, "Commitment": 13, "District": 22 if area.kind == "lpa" else 12,
              "Level": 8, "Update": 100}
    for name, width in widths.items():
        sheet.column_dimensions[column[name]].width = width
    sheet.column_dimensions[column["Update"]].alignment = _WRAP_TOP
    for row, notes in _rows(plan, carried or {}, flags):
        sheet.append(row)
        cell = sheet.cell(sheet.max_row, len(HEADER))
        cell.alignment = _WRAP_TOP
        if notes:
            cell.comment = Comment("\n".join(notes), plan.unit, height=_NOTE_HEIGHT, width=_NOTE_WIDTH)

    _instructions(book.create_sheet(INSTRUCTIONS_SHEET), plan, area, quarter)
    lists = _Lists(book)  # any helper sheet comes last
    first, last = header_row + 1, header_row + VALIDATED_ROWS

    def validate(name: str, items: list[str], prompt: str, strict: bool) -> None:
        dv = DataValidation(type="list", formula1=lists.formula(name, items), allow_blank=True,
                            showErrorMessage=True, showInputMessage=True,
                            errorStyle="stop" if strict else "warning",
                            promptTitle=name, prompt=prompt[:255],
                            errorTitle=name, error=(f"Choose the {name.lower()} from the list." if strict else
                                                    f"This {name.lower()} is not in the list: keep it only if you "
                                                    "are sure.")[:225])
        sheet.add_data_validation(dv)
        dv.add(f"{column[name]}{first}:{column[name]}{last}")

    validate("Priority", [str(p.number) for p in plan.priorities],
             "The priority's number. Leave blank for the same as the row above.", strict=True)
    validate("Commitment", [commitment_choice(c) for p in plan.priorities for c in p.commitments],
             "The commitment, from the list (its number decides), or its number within the priority. "
             "Leave blank for the same as the row above.", strict=False)
    if area.kind == "lpa" and area.districts:
        validate("District", district_choices(plan, area, carried or {}),
                 "For an update about one district or place, choose it. Leave blank for the whole area.",
                 strict=False)
    validate("Level", ["1", "2", "3"],
             "1 for a main bullet, 2 for a sub-bullet of the row above, 3 for one under that. "
             "Blank means 1.", strict=True)

    lists.finish()

    when = _dated(quarter)
    book.properties.title = title(plan, area, quarter)
    book.properties.creator = book.properties.lastModifiedBy = plan.unit
    book.properties.created = book.properties.modified = when
    # ExcelWriter itself: Workbook.save would stamp the clock into "modified".
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return path


def commitment_choice(commitment: Commitment) -> str:
    """'2.1 Target repeat and high harm…': a commitment as the Commitment list offers it."""
    return f"{commitment.id} {first_words(commitment.text, 5)}"


def district_choices(plan: Plan, area: Area, carried: Carried) -> list[str]:
    """The District list: each of the area's districts followed by the plan's places in it, then
    every label the area used last quarter (`carried`) that the place check accepted."""
    out = [name for d in area.districts for name in (d, *plan.places.get(d, ()))]

    def labels(items: tuple[Item, ...]) -> list[str]:
        return [found for item in items for found in ([item.label] if item.label else []) + labels(item.children)]

    out += [label for items in carried.values() for label in labels(items) if is_known_label(plan, label)]
    once: dict[str, str] = {}
    for name in out:
        once.setdefault(normalise(name), name)  # each once, where it first stands
    return list(once.values())


_NOTE_WIDTH, _NOTE_HEIGHT = 320, 110  # a note's box, in points: room for a flag and its hint


def _rows(plan: Plan, carried: Carried, flags: Flags) -> list[tuple[list[str | int | None], list[str]]]:
    """Priority, Commitment, District, Level, Update: a row per carried-over update, with the
    notes its Update cell gets (last quarter's flags on it)."""
    rows: list[tuple[list[str | int | None], list[str]]] = []
    for p in plan.priorities:
        for c in p.commitments:
            for item in carried.get(c.id, ()):
                district = item.label if item.label and is_place_label(plan, item.label) else None
                inner = ([Item(item.spans, item.children)] if item.text.strip() else list(item.children)) \
                    if district else [item]
                own = flagged(flags, c.id, item) if district and not item.text.strip() else []  # a label's own
                for k, (depth, text, line) in enumerate(_lines(inner, 0)):
                    notes = (own if k == 0 else []) + flagged(flags, c.id, line)
                    rows.append(([p.number, commitment_choice(c), district, depth + 1, text], notes))
    return rows


def _lines(items: list[Item] | tuple[Item, ...], depth: int) -> list[tuple[int, str, Item]]:
    """(depth, text, item) of items and their children, a label written before its text."""
    out: list[tuple[int, str, Item]] = []
    for item in items:
        text = spans_text(item.spans).strip()
        out.append((min(depth, 2), f"{item.label}: {text}".rstrip() if item.label else text, item))
        out += _lines(item.children, depth + 1)
    return out


class _Lists:
    """Validation lists: typed in when short enough, else a range on a hidden sheet."""

    def __init__(self, book: Workbook):
        self.book = book
        self.sheet: Worksheet | None = None
        self.used = 0  # columns of the helper sheet used so far

    def formula(self, name: str, items: list[str]) -> str:
        inline = ",".join(items)
        if len(inline) <= INLINE_LIST_LIMIT and not any("," in i or '"' in i for i in items):
            return f'"{inline}"'
        if self.sheet is None:
            self.sheet = self.book.create_sheet(LISTS_SHEET)
        self.used += 1
        col = self.used
        letter = get_column_letter(col)
        self.sheet.cell(1, col, name).font = _BOLD
        for row, item in enumerate(items, start=2):
            self.sheet.cell(row, col, item)
        return f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(items) + 1}"

    def finish(self) -> None:
        if self.sheet is not None:
            self.sheet.sheet_state = "hidden"


def _instructions(sheet: Worksheet, plan: Plan, area: Area, quarter: Quarter) -> None:
    """How to fill in the Updates sheet, and the plan's numbering to fill it in with."""
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 9
    sheet.column_dimensions["C"].width = 110
    if area.kind == "lpa" and area.districts:
        district = ("For an update about one district or place, its name, from the list (the districts "
                    f"{and_list(list(area.districts))} and the places in them). Leave it blank for an update "
                    "about the whole area.")
    else:
        district = "Leave it blank."
    rows: list[tuple[str, tuple[str | int, ...]]] = [
        ("title", (f"How to fill in the {area.name} return for {quarter.long}",)),
        ("text", ()),
        ("text", (f"Write your updates on the '{UPDATES_SHEET}' sheet, one row per update: each row "
                  f"is one bullet point in the {plan.document}. Keep the header row and the "
                  "'Area:' cell as they are.",)),
        ("text", ()),
        ("head", ("Column", "", "What to put in it")),
        ("text", ("Priority", "", "The priority's number (listed below). Leave it blank to mean "
                  "the same priority as the row above.")),
        ("text", ("Commitment", "", "The commitment, chosen from the list (its number, then its opening "
                  "words: the number decides), or its number within its priority (listed below). Leave it "
                  "blank to mean the same commitment as the row above.")),
        ("text", ("District", "", district)),
        ("text", ("Level", "", "1 for a main bullet; 2 for a sub-bullet of the level 1 row above "
                  "it; 3 for a sub-bullet of the level 2 row above it. Blank means 1.")),
        ("text", ("Update", "", "The update's text, as it should read in the document. One update "
                  "per row: do not put several bullets in one cell.")),
        ("text", ()),
        ("head", ("Priority", "Number", f"{plan.full_title}: priorities and commitments")),
    ]
    for p in plan.priorities:
        rows.append(("head", (p.number, "", p.title)))
        rows += [("text", ("", c.number, c.text)) for c in p.commitments]
    for kind, values in rows:
        sheet.append(list(values))
        for cell in sheet[sheet.max_row]:
            if len(values) > 1:  # a lone line runs on across the empty cells beside it
                cell.alignment = _WRAP_TOP
            if kind == "head":
                cell.font = _BOLD
            elif kind == "title":
                cell.font = Font(bold=True, size=14)


# --- Word ----------------------------------------------------------------------


def write_blank_docx(plan: Plan, area: Area, quarter: Quarter, path: Path, carried: Carried | None = None,
                     flags: Flags = ()) -> Path:
    """A Word return: blank with example bullets, or with `carried` bullets from last quarter,
    each that a check flagged last quarter (`flags`) with a comment on it.

    Its headings and commitment lines are in styles of their own, each carrying its
    identifier, and protected; the bullets under each commitment are an editable range
    (an empty bullet where nothing is carried over), where the updates go (``structure``)."""
    doc = docx.Document()
    structure.add_styles(doc)
    num_id = add_bullet_list(doc, _BULLETS)
    marks = structure.Marks()

    def bullet(level: int, spans: tuple[Span, ...], label: str | None = None) -> Any:
        p = doc.add_paragraph(style="List Paragraph")
        if label:
            p.add_run(f"{label}:" + (" " if spans else "")).bold = True
        for s in spans:
            run = p.add_run(s.text)
            run.bold, run.italic = s.bold or None, s.italic or None
        num_pr = p._p.get_or_add_pPr().get_or_add_numPr()  # type: ignore[attr-defined]
        num_pr.get_or_add_ilvl().val = min(level, 2)
        num_pr.get_or_add_numId().val = num_id
        return p

    def items(level: int, found: tuple[Item, ...] | list[Item], commitment: str) -> list[Any]:
        out = []
        for item in found:
            p = bullet(level, item.spans, item.label)
            for note in flagged(flags, commitment, item):
                doc.add_comment(p.runs, text=note, author=plan.unit, initials=signature.initials(plan.unit))
            out.append(p)
            out += items(level + 1, item.children, commitment)
        return out

    doc.add_heading(title(plan, area, quarter), level=0)
    area_line = doc.add_paragraph()
    area_line.add_run(f"Area: {area.name}").bold = True
    for text in (_carried_instructions(area, quarter) if carried else _word_instructions(area)):
        doc.add_paragraph(text).runs[0].font.size = Pt(10)

    for priority in plan.priorities:
        heading = doc.add_paragraph(f"Priority {priority.number} – {priority.title}", style=structure.PRIORITY_STYLE)
        marks.bookmark(heading, identifiers.priority_mark(plan, priority))
        for commitment in priority.commitments:
            line = doc.add_paragraph(commitment.text, style=structure.COMMITMENT_STYLE)
            marks.bookmark(line, identifiers.commitment_mark(plan, commitment))
            if carried is not None:
                under = items(0, carried.get(commitment.id, ()), commitment.id) or [bullet(0, ())]  # to type in
            else:
                under = [bullet(level, (Span(example),)) for level, example in enumerate(EXAMPLES)]
            marks.editable(under)
    doc.add_paragraph()  # LibreOffice drops an editable range that ends the document
    structure.protect(doc)

    props = doc.core_properties
    props.title = title(plan, area, quarter)
    props.author = props.last_modified_by = plan.unit
    props.comments = ""
    props.revision = 1
    props.created = props.modified = _dated(quarter)
    doc.save(str(path))
    return path


CARRIED_NOTE = ("These rows are your updates from last quarter: update every one with this quarter's news, "
                "or delete it. An update sent back unchanged is flagged.")


_KEEP = ("The shaded priority headings and commitment lines, and the lines above them, are protected: type only "
         "in the bullets under each commitment. (To change them anyway, Word's Review › Restrict Editing › Stop "
         "Protection; keep the 'Area' line, the headings and the commitment text as they are.)")


def _carried_instructions(area: Area, quarter: Quarter) -> list[str]:
    before = quarter.previous()
    return [
        f"The bullets below are your updates from {before.long}, carried over so you can start from them.",
        f"Every carried-over bullet must be updated with this quarter's news ({quarter.long}, data to "
        f"{quarter.data_to}) or deleted: an update sent back unchanged is flagged, and so are dates and "
        "figures left from last quarter.",
        "Add bullets under any commitment you have something to report on (where nothing was carried over, "
        "type in its empty bullet); use Increase Indent (or Tab) for a sub-bullet (there are three levels).",
        _KEEP,
        *_word_instructions(area)[3:],
    ]


def _word_instructions(area: Area) -> list[str]:
    out = [
        "Under each commitment, replace the example bullets with your updates, one bullet per "
        "update. Use Increase Indent (or Tab) for a sub-bullet; there are three levels.",
        f"Delete the example bullets under any commitment you have nothing to report on: a bullet "
        f"still starting '{PLACEHOLDER}' is treated as not filled in.",
        _KEEP,
    ]
    if area.kind == "lpa" and area.districts:
        d = area.districts[0]
        out.append(f"For an update about one district, start its bullet with the district's name "
                   f"and a colon ('{d}: …'), or put the district's name as a bullet of its own "
                   f"('{d}:') with its updates as sub-bullets under it.")
    return out
