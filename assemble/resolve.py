"""Read a Record against the quarter's plan: which area sent it, which priority and
commitment each line is under, which lines are updates and how they nest, and what
became of every line.

Format-blind: a Word return's paragraphs and an Excel return's rows come here as
the same kinds of blocks and leave as Submissions. Paragraphs follow the shape of a
return (anything before the first priority heading is title lines, where an
"Area: North LPA" line names the area; a commitment's text, first words or number
opens it; list items and plain lines under it are its updates). A line that reads
like a priority heading is structure however it is typed: the priority its words
point to (a warning names the slip), or, in doubt, one error that holds what stands
under it (``_Hold``); so is a commitment line under another priority's heading.
Bullets typed in one paragraph or cell, after line breaks, are lines of their own
(``nesting.typed_lines``). Each paragraph's place is put under the headings it
stands under ("Priority 2 › 2.1"). Rows give their priority, commitment, district
and level in columns, a blank meaning "as above".
A table that is not filled in like a form is read row by row: a row of single
lines is one update, its cells in order (a cell holding only a number is part of
the update, never a commitment); a row holding headings, commitments or lists is
read line by line.

Nothing is lost in silence: every non-empty line (a paragraph, a cell) ends as an
update or its label, as structure (the area, a priority, a commitment, the title
lines), or as *not read*, with the Problem that says where and why (``account``);
hidden text is not read, and said once for the file. The comments and notes a
contributor wrote beside the text are warnings at their places, never printed.
A record from which no update is read is an error naming what it holds instead.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from . import matching
from .errors import Place, Problem, Severity, error, warning
from .model import Contribution, Span, Submission, Update, spans_text
from .nesting import Line, contributions, is_label, typed_lines
from .plan import Commitment, Plan
from .records import Block, Paragraph, Record, Row, Table
from .text import first_words, normalise, opening, plural

PLACEHOLDER = "Replace this"  # how a blank return's example bullets start (see returns.py)

_AREA_LINE_PREFIX = "area"
_NUMBER = re.compile(r"^[-+(]?[£$€]?\d[\d,.]*%?\)?$")  # "3", "1,204", "22.5%", "£40"
_CELL_JOIN = " – "  # between the cells of a table row read as one update
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


class Fate(enum.StrEnum):
    """What became of a line of a return."""

    UPDATE = "update"  # an update, or the label over updates
    STRUCTURE = "structure"  # the area, a priority, a commitment, the title lines before the first priority
    NOT_READ = "not read"  # reported: its problem says where and why


@dataclass(frozen=True)
class Entry:
    """One non-empty line (a paragraph, a note, a cell) and its fate."""

    place: Place
    text: str
    fate: Fate
    problem: Problem | None = None  # what reports it, when it was not read


@dataclass(frozen=True)
class Accounted:
    """A record read against a plan: its submissions, its problems, and every line's fate."""

    submissions: tuple[Submission, ...]
    problems: tuple[Problem, ...]
    entries: tuple[Entry, ...]

    @property
    def updates(self) -> int:
        return sum(s.count() for s in self.submissions)

    @property
    def not_read(self) -> int:
        """Lines not read: paragraphs, or rows of a sheet."""
        return len({e.place for e in self.entries if e.fate is Fate.NOT_READ})


def resolve(record: Record, plan: Plan) -> tuple[list[Submission], list[Problem]]:
    """The submissions a record makes under `plan` (one per area it names), and the problems."""
    found = account(record, plan)
    return list(found.submissions), list(found.problems)


def account(record: Record, plan: Plan) -> Accounted:
    """`resolve`, with the fate of every line of the record."""
    walk = _Walk(record, plan)
    blocks = _typed(record.blocks)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Table):
            walk.table(block)
            i += 1
            continue
        if block.cell is not None:  # the paragraphs of one row of a table not filled like a form
            j = i
            while j < len(blocks) and isinstance(blocks[j], Paragraph) and _row_of(blocks[j]) == _row_of(block):
                j += 1
            row = [b for b in blocks[i:j] if isinstance(b, Paragraph)]
        else:
            j, row = i + 1, []
        after = blocks[j] if j < len(blocks) else None
        # bullets after it (not those typed in its own paragraph, after a line break: its own points)
        follows = isinstance(after, Paragraph) and after.level is not None and after.place.where != block.place.where
        if row:
            walk.grid_row(row, follows)
        else:
            walk.paragraph(block, follows)
        i = j
    walk.close()
    for skipped in record.skipped:
        place = walk.placed.get(skipped.place, skipped.place)
        problem = warning(skipped.why, place, skipped.hint)
        walk.problems.append(problem)
        walk.entry(place, skipped.text, Fate.NOT_READ, problem)
    _beside_the_text(record, walk)
    problems = [replace(p, place=walk.placed[p.place]) if p.place in walk.placed else p
                for p in record.problems] + walk.problems
    groups = walk.by_area or {None: []}
    submissions = []
    for typed, lines in groups.items():
        area, found = matching.area_of_file(plan, record.file, record.stem, typed or record.area or walk.area_line)
        at = len(problems)
        sub = Submission(record.file, record.format, area.name if area else None,
                         tuple(contributions(lines, area, plan)), record.modified)
        sub = walk.without_placeholders(sub, problems)
        problems[at:at] = [_left_out(p, sub.count()) for p in found] if area is None else found
        submissions.append(sub)
    if not any(s.count() for s in submissions) and not any(p.severity is Severity.ERROR for p in walk.problems):
        problems.append(_nothing_read(record, walk))  # unless the errors above already say why
    return Accounted(tuple(submissions), tuple(problems), tuple(walk.entries))


def _left_out(problem: Problem, updates: int) -> Problem:
    """The error that no area could be told, saying what it costs: the one message for
    the file (the merge records its updates as left out, and says no more)."""
    if not updates or problem.severity is not Severity.ERROR:
        return problem
    are = "is" if updates == 1 else "are"
    return replace(problem, message=f"{problem.message}: its {plural(updates, 'update')} {are} left out")


def _beside_the_text(record: Record, walk: _Walk) -> None:
    """What a file holds beside its text: each comment or note a contributor wrote is
    shown to the unit, at its place, never printed; hidden text is one warning for the
    file, and its words are in the ledger as not read."""
    for remark in record.remarks:
        what = ("a reply" if remark.reply else f"a {remark.kind}") + (f" by {remark.author}" if remark.author else "")
        walk.problems.append(warning(f"{what}{' to a comment' if remark.reply else ''}: "
                                     f"'{first_words(remark.text, 40)}'", walk.placed.get(remark.place, remark.place),
                                     f"answer it in the return, or delete the {remark.kind}"))
    if record.hidden:
        words = " ".join(h.text for h in record.hidden).split()
        found = warning(f"{plural(len(words), 'word')} of hidden text (Word's Hidden font effect) "
                        f"{'is' if len(words) == 1 else 'are'} not printed: '{first_words(' '.join(words))}'",
                        walk.placed.get(record.hidden[0].place, record.hidden[0].place),
                        "to print them, select them and clear Hidden in Word's Font dialog; or delete them")
        walk.problems.append(found)
        for hidden in record.hidden:
            walk.entry(walk.placed.get(hidden.place, hidden.place), hidden.text, Fate.NOT_READ, found)


def _row_of(block: object) -> tuple[int, int] | None:
    return (block.cell[0], block.cell[1]) if isinstance(block, Paragraph) and block.cell else None


def _typed(blocks: tuple[Block, ...]) -> list[Block]:
    """The blocks with each paragraph holding line breaks as the lines typed in it."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and any("\n" in s.text or "\r" in s.text for s in block.spans):
            out += _lines_of(block)
        else:
            out.append(block)
    return out


def _lines_of(para: Paragraph) -> list[Paragraph]:
    """A paragraph with line breaks (Shift+Enter) as the paragraphs typed in it: each line
    a typed marker opens is a bullet of its own (``nesting.typed_lines``), in its paragraph's
    place under its own opening words; a heading's lines are one line."""
    if para.heading is not None:
        return [replace(para, spans=_one_line(para.spans))]
    given = para.marker or (para.number if para.level is not None else "")  # Word's bullet is no typed marker
    pieces = typed_lines(para.spans, given)
    first = replace(para, spans=pieces[0].spans, marker=para.marker if given else pieces[0].marker)
    if len(pieces) == 1:
        return [first]
    # After a plain line, bullets are at their own level (a label's offset nests them under it).
    shift = para.level if para.level is not None else (-1 if is_label(spans_text(pieces[0].spans)) else 0)
    out = [replace(first, notes=())]
    for k, piece in enumerate(pieces[1:], start=1):
        text = spans_text(piece.spans).strip()
        out.append(Paragraph(replace(para.place, words=opening(text), kind="bullet"), piece.spans,
                             max(0, min(piece.depth + shift, 2)), para.style, "", piece.marker, None, para.cell,
                             para.notes if k == len(pieces) - 1 else ()))
    return out


def _under(para: Paragraph, paras: Sequence[Paragraph], under: str) -> tuple[Paragraph, tuple[Paragraph, ...]]:
    """The paragraph, and those it was read from, placed under the headings `under`."""
    def at(p: Paragraph) -> Paragraph:
        return p if p.place.under == under else replace(p, place=replace(p.place, under=under))

    return at(para), tuple(at(p) for p in paras)


def _one_line(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    return tuple(Span(s.text.replace("\r\n", " ").replace("\r", " ").replace("\n", " "), s.bold, s.italic)
                 for s in spans)


@dataclass
class _Hold:
    """A heading the plan does not have (or one in the wrong place) and the lines under it:
    not read, and said so in one error, once its lines are known (``_Walk.close``)."""

    head: Paragraph
    paras: Sequence[Paragraph]  # what the heading was read from
    kind: str  # "priority" (it holds every line to the next priority) or "commitment"
    message: str  # what is wrong with the heading
    hint: str  # what to do about it
    more: str = ""  # what to add to the hint when lines stand under it
    lines: list[Paragraph] = field(default_factory=list)


@dataclass
class _Walk:
    """Where a return has got to: its priority, commitment and nesting so far."""

    record: Record
    plan: Plan
    by_area: dict[str | None, list[Line]] = field(default_factory=dict)  # typed area (None: the file's)
    problems: list[Problem] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    of_line: dict[Place, list[int]] = field(default_factory=dict)  # a Line's place -> its entries
    placed: dict[Place, Place] = field(default_factory=dict)  # a paragraph's place as read -> under its headings
    area_line: str | None = None
    priority: int | None = None
    commitment: str | None = None
    offset: int = 0  # list items under a plain "Label:" paragraph nest one deeper
    commitment_looks: set[tuple[str, bool, bool]] = field(default_factory=set)  # how its commitments look
    update_looks: set[tuple[str, bool, bool]] = field(default_factory=set)  # ... and its plain-paragraph updates
    hold: _Hold | None = None  # a priority or commitment not in the plan, and the lines under it
    placeholders: int = 0

    def add(self, line: Line, area: str | None = None) -> None:
        self.by_area.setdefault(area, []).append(line)

    # --- the ledger ------------------------------------------------------------------

    def entry(self, place: Place, text: str, fate: Fate, problem: Problem | None = None) -> int:
        self.entries.append(Entry(place, text, fate, problem))
        return len(self.entries) - 1

    def mark(self, paras: Sequence[Paragraph], fate: Fate, problem: Problem | None = None,
             line: Place | None = None) -> None:
        """Each paragraph's text and notes in the ledger; an update's notes are read with it."""
        for para in paras:
            if para.place.under:  # what the reader found at this paragraph is told under its headings too
                self.placed.setdefault(replace(para.place, under=""), para.place)
            if fate is Fate.UPDATE and para.marker:  # a typed bullet's marker says its level: structure
                self.entry(para.place, para.marker, Fate.STRUCTURE)
                at = [self.entry(para.place, para.text, fate, problem)]
            else:
                at = [self.entry(para.place, " ".join(t for t in (para.marker, para.text) if t), fate, problem)]
            for note in para.notes:
                if fate is Fate.STRUCTURE:
                    found = warning(f"its note is not read: '{first_words(note)}'", para.place,
                                    "put what the note says in an update")
                    self.problems.append(found)
                    self.entry(para.place, note, Fate.NOT_READ, found)
                else:
                    at.append(self.entry(para.place, note, fate, problem))
            if line is not None:
                self.of_line.setdefault(line, []).extend(at)

    def error(self, paras: Sequence[Paragraph], message: str, place: Place, hint: str = "") -> Problem:
        found = error(message, place, hint)
        self.problems.append(found)
        self.mark(paras, Fate.NOT_READ, found)
        return found

    # --- paragraphs ----------------------------------------------------------------

    def paragraph(self, para: Paragraph, bullets_follow: bool = False,
                  sources: Sequence[Paragraph] | None = None) -> None:
        """One line; `sources` are the paragraphs it was made of (a table row read as one)."""
        paras = tuple(sources or (para,))
        text = para.text
        if not text:
            return
        heading = matching.heading(self.plan, text, para.number, para.marker, heading=para.heading is not None,
                                   listed=para.level is not None)
        if heading is not None:
            para, paras = _under(para, paras, "")
            self.close()
            self._priority(heading, para, paras)
            return
        para, paras = _under(para, paras, self.under())
        if self.hold is not None and self.hold.kind == "priority":
            self.hold.lines.extend(paras)
        elif self.priority is None:
            self._preamble(text)
            self.mark(paras, Fate.STRUCTURE)
        elif para.level is not None and len(text.split()) >= 6 and (
            found := matching.commitment(self.plan, self.priority, text, run_on=False)
        ):
            self.close()
            self.commitment, self.offset = found.id, 0  # a commitment typed as a bullet
            self.mark(_under(para, paras, f"Priority {self.priority}")[1], Fate.STRUCTURE)
        elif para.level is not None and len(text.split()) >= 6 and (
            other := matching.commitment_elsewhere(self.plan, self.priority, text, run_on=False)
        ):
            self._misplaced(other, *_under(para, paras, f"Priority {self.priority}"))
        elif para.level is None:
            self._plain(para, paras, text, self.priority, bullets_follow)
        elif self.hold is not None:
            self.hold.lines.extend(paras)  # under a commitment the plan lacks
        elif self.commitment is None:
            self.error(paras, "update comes before any commitment it belongs to", para.place,
                       "put the commitment's text above it")
        else:
            self._update(Line(self.commitment, para.level + self.offset, _with_notes(para), para.place), paras)

    def _update(self, line: Line, paras: Sequence[Paragraph]) -> None:
        self.add(line)
        self.mark(paras, Fate.UPDATE, line=line.place)

    def under(self) -> str:
        """The headings a line stands under, as far as the walk has got: "Priority 2 › 2.1"
        (a heading the plan lacks, quoted as it is typed)."""
        hold = self.hold
        if hold is not None and hold.kind == "priority":
            return f"'{opening(hold.head.text)}'"
        parts = [f"Priority {self.priority}"] if self.priority is not None else []
        if self.commitment is not None:
            parts.append(self.commitment)
        elif hold is not None:
            parts.append(f"'{opening(hold.head.text)}'")
        return " › ".join(parts)

    def _priority(self, heading: matching.Heading, para: Paragraph, paras: Sequence[Paragraph]) -> None:
        """A priority heading: the plan's priority it is (a slip in it said), or held when the
        plan has no such priority or its words leave doubt which it is."""
        n = heading.number
        if n is None:
            self.priority = self.commitment = None
            near = self.plan.priority(heading.near) if heading.near is not None else None
            guess = f"did you mean Priority {near.number} – {near.title}? " if near else ""
            self.hold = _Hold(para, paras, "priority",
                              f"'{first_words(para.text)}' is not one of the plan's priority headings",
                              f"{guess}write the heading as the plan has it",
                              ", and the lines under it are read")
            return
        if self.plan.priority(n) is None:
            self.priority = self.commitment = None
            self.hold = _Hold(para, paras, "priority", f"there is no Priority {n} in the plan",
                              "check the priority number", ", or put them under the plan's priority they report on")
            return
        self.priority, self.commitment, self.offset = n, None, 0
        self.mark(paras, Fate.STRUCTURE)
        if heading.slips:
            p = self.plan.priority(n)
            title = f"Priority {n} – {p.title}" if p else f"Priority {n}"
            self.problems.append(warning(
                f"'{first_words(para.text)}' is read as {title}: {', and '.join(heading.slips)}", para.place,
                f"write it as the plan has it: '{title}'"))

    def _misplaced(self, other: Commitment, para: Paragraph, paras: Sequence[Paragraph]) -> None:
        """A commitment line of another priority than the heading above it: held, with the
        updates under it, and said in one error naming both."""
        self.close()
        here, there = self.plan.priority(self.priority or 0), self.plan.priority(other.priority)
        heading = f"Priority {here.number} – {here.title}" if here else f"Priority {self.priority}"
        theirs = f"Priority {there.number} – {there.title}" if there else f"Priority {other.priority}"
        self.hold = _Hold(para, paras, "commitment",
                          f"'{first_words(para.text)}' is commitment {other.id} of Priority {other.priority}, "
                          f"but it stands under {heading}",
                          f"put the heading '{theirs}' above it", ", and the updates under it are read")
        self.commitment = None

    def _preamble(self, text: str) -> None:
        """Title lines before the first priority; the first "Area: …" names the area."""
        head, sep, rest = text.partition(":")
        if self.area_line is None and sep and head.strip().casefold() == _AREA_LINE_PREFIX and rest.strip():
            self.area_line = rest.strip()

    def _plain(self, para: Paragraph, paras: Sequence[Paragraph], text: str, priority: int,
               bullets_follow: bool) -> None:
        """A line that is not a list item: a commitment, a label over a list, or an update."""
        number = para.cell is not None and _NUMBER.match(text) is not None  # in a table: a figure
        found = None if number else matching.commitment(self.plan, priority, text)
        head = _under(para, paras, f"Priority {priority}")  # a commitment line stands under its priority
        if found:
            self.close()
            self.commitment, self.offset = found.id, 0
            self.commitment_looks.add(para.looks)
            self.mark(head[1], Fate.STRUCTURE)
            return
        other = None if number else matching.commitment_elsewhere(self.plan, priority, text, run_on=False)
        if other:
            self._misplaced(other, *head)
            return
        near = matching.closest_commitment(self.plan, priority, text)
        hint = (f"closest in the plan is {near.id} '{first_words(near.text)}': copy its text from the plan" if near
                else "copy the commitment's text from the plan")
        more = ", or put them under the commitment they report on"
        label = is_label(text)
        if not number and ((self.commitment is None and self.hold is None)
                           or matching.looks_like_commitment(text, near.text if near else "")):
            self.close()
            self.hold = _Hold(*head, "commitment",
                              f"cannot match '{first_words(text)}' to a commitment of Priority {priority}", hint, more)
            self.commitment = None
            return
        if self.hold is not None:
            self.hold.lines.extend(paras)
            return
        if self.commitment is None:  # a figure in a table, before any commitment
            self.error(paras, "update comes before any commitment it belongs to", para.place,
                       "put the commitment's text above it")
            return
        if not number and self._like_a_commitment(para, label, bullets_follow):
            self.close()
            self.hold = _Hold(*head, "commitment",
                              f"'{first_words(text)}' is not a commitment of Priority {priority} in the plan "
                              f"({self.plan.file or 'the plan'})", hint, more)
            self.commitment = None
            return
        self.close()
        self.update_looks.add(para.looks)
        self._update(Line(self.commitment, 0, _with_notes(para), para.place, subheading=label), paras)
        self.offset = 1 if label else 0

    def _like_a_commitment(self, para: Paragraph, is_label: bool, bullets_follow: bool) -> bool:
        """A plain line that looks like this return's commitment lines, not like its plain
        updates, and has bullets under it: a commitment the plan does not have."""
        return (not is_label and bullets_follow and para.looks in self.commitment_looks
                and para.looks not in self.update_looks)

    def close(self) -> None:
        """End what a heading the plan lacks held: the heading and its lines are not read,
        and one error says so (not one for the heading and another for what it held)."""
        hold, self.hold = self.hold, None
        if hold is None:
            return
        count, message, hint = len(hold.lines), hold.message, hold.hint
        if count:
            message += (f": {plural(count, 'line')} under it not read" if hold.kind == "priority"
                        else f": {plural(count, 'update')} under it left out")
            hint += hold.more
        self.error([*hold.paras, *hold.lines], message, hold.head.place, hint)

    # --- tables not filled like a form ---------------------------------------------------

    def grid_row(self, paras: list[Paragraph], bullets_follow: bool) -> None:
        """One row of a table that is not a form: one update when it is a row of single
        plain lines (a number in a cell stays in it); else its lines one by one."""
        cells: dict[int, list[Paragraph]] = {}
        for p in paras:
            cells.setdefault(p.cell[2] if p.cell else 0, []).append(p)
        columns = list(cells.values())
        if self.priority is None and self.hold is None:
            if len(columns) >= 2 and len(columns[0]) == 1 and self.area_line is None \
                    and normalise(columns[0][0].text) == _AREA_LINE_PREFIX and columns[1][0].text:
                self.area_line = columns[1][0].text  # "Area | North LPA"
            for p in paras:
                self.paragraph(p, bullets_follow)
            return
        single = all(len(c) == 1 and c[0].level is None for c in columns)
        if single and len(columns) >= 2 and not any(self._structural(c[0]) for c in columns):
            self.paragraph(self._joined([c[0] for c in columns]), bullets_follow, sources=paras)
            return
        lines = _numbers_joined(columns)
        for k, (line, sources) in enumerate(lines):
            follows = lines[k + 1][0].level is not None if k + 1 < len(lines) else bullets_follow
            self.paragraph(line, follows, sources=sources)

    def _structural(self, para: Paragraph) -> bool:
        """A priority heading or a commitment line, in a table's cell."""
        text = para.text
        if matching.heading(self.plan, text, para.number, para.marker, heading=para.heading is not None,
                            listed=para.level is not None) is not None:
            return True
        return (self.priority is not None and not _NUMBER.match(text)
                and matching.commitment(self.plan, self.priority, text) is not None)

    def _joined(self, paras: list[Paragraph]) -> Paragraph:
        """A row's cells as one line: "Colchester: …" when the first cell is a place, else cell – cell."""
        first = paras[0]
        spans: list[Span] = list(first.spans)
        notes = [n for p in paras for n in p.notes]
        lead = _CELL_JOIN
        if matching.is_place_label(self.plan, first.text.rstrip(":")):
            spans = [Span(first.text.rstrip(":").strip() + ":", *(_emphasis(first.spans)))]
            lead = " "
        for k, p in enumerate(paras[1:]):
            spans.append(Span(lead if k == 0 else _CELL_JOIN))
            spans += list(p.spans)
        return replace(first, spans=tuple(spans), notes=tuple(notes), level=None, marker="", number="")

    # --- rows ----------------------------------------------------------------------

    def table(self, table: Table) -> None:
        """Rows: a blank Priority or Commitment cell means the same as the row above; a
        table without a Priority column is under the priority heading above it."""
        priority: int | None = self.priority if "priority" not in table.columns else None
        commitment: str | None = None
        known = set(table.columns.values())
        for row in table.head:  # title rows and the header: structure, whatever the column
            for value in row.cells:
                if value.strip():
                    self.entry(row.place, value, Fate.STRUCTURE)
        unknown: dict[int, list[tuple[Row, str]]] = {}
        for row in table.rows:
            for i, value in enumerate(row.cells):
                if i not in known and value.strip():
                    unknown.setdefault(i, []).append((row, value))
        names = table.head[-1].cells if table.head else ()
        for i, cells in unknown.items():  # a column the return's header does not name: not read, said once
            heading = names[i].strip() if i < len(names) else ""
            first, text = cells[0]
            column = warning(
                f"{table.column(i)}{f' ({heading!r})' if heading else ''} is not read: "
                f"{plural(len(cells), 'cell')}, the first in row {_row_number(first)} ('{first_words(text, 6)}')",
                first.place, "put the text in the Update column, or delete the column")
            self.problems.append(column)
            for r, c in cells:
                self.entry(r.place, c, Fate.NOT_READ, column)
        for row in table.rows:
            def cell(key: str, row: Row = row) -> str:  # on one line (but the update): a line break as a space
                value = row.cell(table.columns, key)
                return value if key == "update" else _LINE_BREAK.sub(" ", value)

            def fail(message: str, hint: str, row: Row = row) -> None:
                failed = error(message, row.place, hint)
                self.problems.append(failed)
                self._cells(row, known, table, Fate.NOT_READ, failed)

            if not any(c.strip() for c in row.cells):
                continue
            if cell("priority"):
                n = _priority_cell(cell("priority"))
                if n is None or self.plan.priority(n) is None:
                    fail(f"'{cell('priority')}' is not a priority of the plan",
                         f"give the priority's number, 1 to {len(self.plan.priorities)}")
                    priority = commitment = None
                    continue
                if n != priority:
                    commitment = None
                priority = n
            if cell("commitment") and priority is not None:
                found = matching.commitment(self.plan, priority, cell("commitment"))
                if not found:
                    message, hint = _no_commitment_text(self.plan, priority, cell("commitment"))
                    fail(message, hint)
                    commitment = None
                    continue
                commitment = found.id
            text = " ".join(cell("update").split())
            if not text:
                self._cells(row, known, table, Fate.STRUCTURE)
                continue
            if priority is None or commitment is None:
                fail(f"update '{first_words(text)}' has no priority and commitment",
                     "fill in the Priority and Commitment columns")
                continue
            level = _level_cell(cell("level"))
            if level is None:
                fail(f"Level '{cell('level')}' is not 1, 2 or 3", "use 1 for a main bullet, 2 and 3 for sub-bullets")
                continue
            district = cell("district").rstrip(":").strip() or None
            for piece in typed_lines((Span(cell("update")),)):  # bullets typed in the cell, each an update
                words = " ".join(spans_text(piece.spans).split())
                if words:
                    self.add(Line(commitment, min(level + piece.depth, 2), (Span(words),), row.place, district),
                             cell("area") or None)
            self._cells(row, known, table, Fate.STRUCTURE, update=Fate.UPDATE)

    def _cells(self, row: Row, known: set[int], table: Table, fate: Fate, problem: Problem | None = None,
               update: Fate | None = None) -> None:
        """A row's cells in the known columns in the ledger: the update cell as `update`, the rest as `fate`."""
        at = table.columns.get("update")
        for i, cell in enumerate(row.cells):
            if i in known and cell.strip():
                index = self.entry(row.place, cell, update if update is not None and i == at else fate, problem)
                if i == at:
                    self.of_line.setdefault(row.place, []).append(index)

    # --- a blank return's examples ---------------------------------------------------

    def without_placeholders(self, sub: Submission, problems: list[Problem]) -> Submission:
        """A blank return's example bullets are not updates: drop them, say where."""
        kept, places = strip_placeholders(sub)
        if places:
            found = warning(f"{len(places)} example bullet(s) still start '{PLACEHOLDER}' and were not read",
                            places[0], "replace them with real updates or delete them")
            problems.append(found)
            self.placeholders += len(places)
            for place in places:
                for index in self.of_line.get(place, ()):
                    e = self.entries[index]
                    self.entries[index] = replace(e, fate=Fate.NOT_READ, problem=found)
        return kept


def _with_notes(para: Paragraph) -> tuple[Span, ...]:
    """An update's text with the notes it refers to after it, in brackets."""
    return para.spans + tuple(Span(f" ({note})") for note in para.notes)


def _emphasis(spans: tuple[Span, ...]) -> tuple[bool, bool]:
    shown = [s for s in spans if s.text.strip()]
    return all(s.bold for s in shown) and bool(shown), all(s.italic for s in shown) and bool(shown)


def _numbers_joined(columns: list[list[Paragraph]]) -> list[tuple[Paragraph, tuple[Paragraph, ...]]]:
    """A row's lines in order, each cell that holds only a number joined to the line
    before it in the row (or, first in the row, to the line after)."""
    lines: list[tuple[Paragraph, tuple[Paragraph, ...]]] = []
    waiting: list[Paragraph] = []  # numbers before any line of the row
    for cell in columns:
        if len(cell) == 1 and _NUMBER.match(cell[0].text) and (lines or len(columns) > 1):
            if lines:
                last, sources = lines[-1]
                lines[-1] = (replace(last, spans=(*last.spans, Span(_CELL_JOIN + cell[0].text))), (*sources, cell[0]))
            else:
                waiting.append(cell[0])
            continue
        for p in cell:
            if waiting:
                lead = _CELL_JOIN.join(w.text for w in waiting) + _CELL_JOIN
                lines.append((replace(p, spans=(Span(lead), *p.spans)), (*waiting, p)))
                waiting = []
            else:
                lines.append((p, (p,)))
    lines += [(w, (w,)) for w in waiting]  # a row of nothing but numbers: each a line
    return lines


def _row_number(row: Row) -> str:
    m = re.search(r"row (\d+)", row.place.where)
    return m.group(1) if m else "?"


def _nothing_read(record: Record, walk: _Walk) -> Problem:
    """No update in a whole file: an error naming what it holds instead."""
    paragraphs = [b for b in record.blocks if isinstance(b, Paragraph) and b.text]
    tables = [b for b in record.blocks if isinstance(b, Table)]
    hint = ("give each priority a heading line ('Priority 2 – Crack Down on Anti-social Behaviour'), "
            "then its commitment's text and the updates as bullets under it")
    if walk.placeholders:
        found = f"every bullet still starts '{PLACEHOLDER}'"
        hint = "replace the example bullets with this quarter's updates"
    elif paragraphs:
        headings = [p for p in paragraphs if p.heading is not None]
        first = headings[0] if headings else paragraphs[0]
        found = f"its first {'heading' if headings else 'line'} is '{first_words(first.text)}'"
    elif tables and any(t.rows for t in tables):
        row = next(r for t in tables for r in t.rows)
        found = f"the first row under its header is '{first_words(' '.join(c for c in row.cells if c))}'"
        hint = "fill in a row per update under the header: Priority, Commitment, Update"
    elif tables:
        found = "there is nothing under its header row"
        hint = "fill in a row per update under the header: Priority, Commitment, Update"
    else:
        found = "it holds no text"
        hint = "check it is the return itself, then send it again"
    return error(f"no update could be read from it: {found}", Place(record.file), hint)


def _no_commitment_text(plan: Plan, priority: int, typed: str) -> tuple[str, str]:
    """What to say of a commitment cell the plan does not have: by number, or by text."""
    n = matching.commitment_number(typed)
    p = plan.priority(priority)
    if n is not None and p is not None:
        return (f"Priority {priority} has no commitment {n} in this quarter's plan ({plan.file or 'the plan'})",
                f"it has {'1' if len(p.commitments) == 1 else f'1 to {len(p.commitments)}'}: "
                "check the number against the plan, or give the commitment's text")
    near = matching.closest_commitment(plan, priority, typed)
    return (f"cannot match commitment '{first_words(typed)}' to Priority {priority}",
            f"closest in the plan is {near.id} '{first_words(near.text)}'" if near else "")


def _priority_cell(text: str) -> int | None:
    return matching.priority_number(text if not text[:1].isdigit() else f"Priority {text}")


def _level_cell(text: str) -> int | None:
    if not text:
        return 0
    try:
        n = int(float(text))
    except (ValueError, OverflowError):
        return None
    return n - 1 if 1 <= n <= 3 else None


# --- a blank return's examples --------------------------------------------------------


def is_placeholder(text: str) -> bool:
    """An example bullet of a blank return that nobody replaced."""
    return text.strip().casefold().startswith(PLACEHOLDER.casefold())


def strip_placeholders(sub: Submission) -> tuple[Submission, list[Place]]:
    """The submission without unreplaced example bullets, and where they were.

    A placeholder's own real sub-bullets take its place; a contribution left
    with no updates is dropped.
    """
    found: list[Place] = []

    def clean(updates: tuple[Update, ...]) -> tuple[Update, ...]:
        out: list[Update] = []
        for u in updates:
            children = clean(u.children)
            if is_placeholder(u.text):
                found.append(u.place or Place(sub.file))
                out += children
            else:
                out.append(replace(u, children=children))
        return tuple(out)

    kept: list[Contribution] = []
    for c in sub.contributions:
        updates = clean(c.updates)
        if updates:
            kept.append(replace(c, updates=updates))
    return replace(sub, contributions=tuple(kept)), found
