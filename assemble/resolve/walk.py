"""A return's lines walked in reading order against the plan: where the walk has got to
(its priority, commitment and nesting), what each line is, and the ledger of every line's
fate (``ledger``).

Paragraphs follow the shape of a return: anything before the first priority heading is
title lines, where an "Area: North LPA" line names the area; a commitment's text, first
words or number opens it; list items and plain lines under it are its updates. A line
that reads like a priority heading is structure however it is typed: the priority its
words point to (a warning names the slip), or, in doubt, one error that holds what stands
under it (``_Hold``); so is a commitment line under another priority's heading. A line
carrying an identifier of the quarter's plan (``identifiers``: a return sent out marks its
headings and commitment lines) is what its identifier names, whatever its words say or the
heading above it: a warning says it was edited or stands under another heading. Each
paragraph's place is put under the headings it stands under ("Priority 2 › 2.1").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..errors import Place, Problem, error, warning
from ..model import Span
from ..plan import Commitment, Plan, matching
from ..records import Paragraph, Record
from ..text import area_named, first_words, normalise, opening, plural
from . import identifiers
from .ledger import Entry, Fate
from .nesting import Line, is_label

NUMBER = re.compile(r"^[-+(]?[£$€]?\d[\d,.]*%?\)?$")  # "3", "1,204", "22.5%", "£40": a figure, in a table


def _under(para: Paragraph, paras: Sequence[Paragraph], under: str) -> tuple[Paragraph, tuple[Paragraph, ...]]:
    """The paragraph, and those it was read from, placed under the headings `under`."""
    def at(p: Paragraph) -> Paragraph:
        return p if p.place.under == under else replace(p, place=replace(p.place, under=under))

    return at(para), tuple(at(p) for p in paras)


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
class Walk:
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
    unknown: list[tuple[Place, tuple[str, ...]]] = field(default_factory=list)  # identifiers naming nothing

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
        named = identifiers.named(self.plan, para.marks) if para.marks else None
        if named is not None and named.unknown:
            self.unknown.append((para.place, named.unknown))
        if named is not None and named.found:
            self._identified(named, para, paras)
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

    def _identified(self, named: identifiers.Named, para: Paragraph, paras: Sequence[Paragraph]) -> None:
        """A priority heading or commitment line by its identifier: what it names, whatever its
        words; a warning when the words were edited, or the heading above is another's."""
        c = named.commitment
        if c is None and named.priority is not None:
            p = named.priority
            para, paras = _under(para, paras, "")
            self.close()
            self.priority, self.commitment, self.offset = p.number, None, 0
            self.mark(paras, Fate.STRUCTURE)
            self._edited(para, f"the heading of Priority {p.number}", f"Priority {p.number}",
                         f"Priority {p.number} – {p.title}")
            return
        assert c is not None  # named.found
        above = named.priority.number if named.priority is not None else self.priority
        held = self.hold.head.text if self.hold is not None and self.hold.kind == "priority" else None
        self.close()
        para, paras = _under(para, paras, f"Priority {c.priority}")
        self.priority, self.commitment, self.offset = c.priority, c.id, 0
        self.commitment_looks.add(para.looks)
        self.mark(paras, Fate.STRUCTURE)
        if above != c.priority:
            mine, theirs = self.plan.priority(c.priority), self.plan.priority(above or 0)
            stands = (f"Priority {theirs.number} – {theirs.title}" if theirs
                      else f"'{first_words(held)}'" if held else "no priority heading")
            self.problems.append(warning(
                f"the line of commitment {c.id} stands under {stands}: read as {c.id} by its identifier", para.place,
                f"put the heading 'Priority {c.priority} – {mine.title if mine else ''}' above it"))
        self._edited(para, f"the line of commitment {c.id}", c.id, c.text)

    def _edited(self, para: Paragraph, what: str, read_as: str, planned: str) -> None:
        """A warning when a line its identifier places reads otherwise than the plan has it."""
        if normalise(para.text) != normalise(planned):
            self.problems.append(warning(
                f"{what} was edited to '{first_words(para.text)}': read as {read_as} by its identifier", para.place,
                f"write it as the plan has it: '{first_words(planned, 12)}'"))

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
        if self.area_line is None:
            self.area_line = area_named([text])

    def _plain(self, para: Paragraph, paras: Sequence[Paragraph], text: str, priority: int,
               bullets_follow: bool) -> None:
        """A line that is not a list item: a commitment, a label over a list, or an update."""
        number = para.cell is not None and NUMBER.match(text) is not None  # in a table: a figure
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


def _with_notes(para: Paragraph) -> tuple[Span, ...]:
    """An update's text with the notes it refers to after it, in brackets."""
    return para.spans + tuple(Span(f" ({note})") for note in para.notes)
