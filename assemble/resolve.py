"""Read a Record against the quarter's plan: which area sent it, which priority and
commitment each line is under, which lines are updates and how they nest.

Format-blind: a Word return's paragraphs and an Excel return's rows come here as
the same kinds of blocks and leave as Submissions. Paragraphs follow the shape of a
return (anything before the first "Priority N" line is preamble, where an
"Area: North LPA" line names the area; a commitment's text, first words or number
opens it; list items and plain lines under it are its updates). Rows give their
priority, commitment, district and level in columns, a blank meaning "as above".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from . import matching
from .errors import Place, Problem, error, warning
from .model import Contribution, Span, Submission, Update
from .nesting import Line, contributions
from .plan import Plan
from .records import Paragraph, Record, Row, Table
from .text import first_words, plural

PLACEHOLDER = "Replace this"  # how a blank return's example bullets start (see returns.py)

_AREA_LINE_PREFIX = "area"
_LABEL_MAX = 80  # a plain "Label:" line up to this long introduces the list under it


def resolve(record: Record, plan: Plan) -> tuple[list[Submission], list[Problem]]:
    """The submissions a record makes under `plan` (one per area it names), and the problems."""
    walk = _Walk(record, plan)
    for i, block in enumerate(record.blocks):
        if isinstance(block, Table):
            walk.table(block)
        else:
            after = record.blocks[i + 1] if i + 1 < len(record.blocks) else None
            walk.paragraph(block, after.level is not None if isinstance(after, Paragraph) else False)
    walk.close()
    problems = list(record.problems) + walk.problems
    groups = walk.by_area or {None: []}
    submissions = []
    for typed, lines in groups.items():
        area, found = matching.area_of_file(plan, record.file, record.stem, typed or record.area or walk.area_line)
        problems += found
        sub = Submission(record.file, record.format, area.name if area else None,
                         tuple(contributions(lines, area, plan)), record.modified)
        submissions.append(_without_placeholders(sub, problems))
    return submissions, problems


@dataclass
class _Walk:
    """Where a return has got to: its priority, commitment and nesting so far."""

    record: Record
    plan: Plan
    by_area: dict[str | None, list[Line]] = field(default_factory=dict)  # typed area (None: the file's)
    problems: list[Problem] = field(default_factory=list)
    area_line: str | None = None
    priority: int | None = None
    commitment: str | None = None
    offset: int = 0  # list items under a plain "Label:" paragraph nest one deeper
    commitment_looks: set[tuple[str, bool]] = field(default_factory=set)  # how this return's commitments look
    update_looks: set[tuple[str, bool]] = field(default_factory=set)  # ... and its plain-paragraph updates
    unknown: tuple[Paragraph, int] | None = None  # a commitment not in the plan, and the updates under it

    def add(self, line: Line, area: str | None = None) -> None:
        self.by_area.setdefault(area, []).append(line)

    # --- paragraphs ----------------------------------------------------------------

    def paragraph(self, para: Paragraph, bullets_follow: bool = False) -> None:
        text = para.text
        if not text:
            return
        if para.level is None and (n := matching.priority_number(text)) is not None:
            self.close()
            self._priority(n, para.place)
        elif self.priority is None:
            self._preamble(text)
        elif para.level is not None and len(text.split()) >= 6 and (
            found := matching.commitment(self.plan, self.priority, text, run_on=False)
        ):
            self.close()
            self.commitment, self.offset = found.id, 0  # a commitment typed as a bullet
        elif para.level is None:
            self._plain(para, text, self.priority, bullets_follow)
        elif self.unknown is not None:
            self.unknown = (self.unknown[0], self.unknown[1] + 1)  # under a commitment the plan lacks
        elif self.commitment is None:
            self.problems.append(error("update comes before any commitment it belongs to", para.place,
                                       "put the commitment's text above it"))
        else:
            self.add(Line(self.commitment, para.level + self.offset, para.spans, para.place))

    def _no_commitment(self, priority: int, typed: str, place: Place) -> Problem:
        message, hint = _no_commitment_text(self.plan, priority, typed)
        return error(message, place, hint)

    def _priority(self, n: int, place: Place) -> None:
        if self.plan.priority(n) is None:
            self.problems.append(error(f"there is no Priority {n} in the plan", place,
                                       "check the priority number"))
            self.priority = self.commitment = None
            return
        self.priority, self.commitment, self.offset = n, None, 0

    def _preamble(self, text: str) -> None:
        """Title lines before the first priority; the first "Area: …" names the area."""
        head, sep, rest = text.partition(":")
        if self.area_line is None and sep and head.strip().casefold() == _AREA_LINE_PREFIX and rest.strip():
            self.area_line = rest.strip()

    def _plain(self, para: Paragraph, text: str, priority: int, bullets_follow: bool) -> None:
        """A line that is not a list item: a commitment, a label over a list, or an update."""
        found = matching.commitment(self.plan, priority, text)
        if found:
            self.close()
            self.commitment, self.offset = found.id, 0
            self.commitment_looks.add(para.looks)
            return
        near = matching.closest_commitment(self.plan, priority, text)
        hint = f"closest in the plan is {near.id} '{first_words(near.text)}'" if near else ""
        is_label = text.endswith(":") and len(text) <= _LABEL_MAX
        if self.commitment is None or matching.looks_like_commitment(text, near.text if near else ""):
            self.problems.append(error(
                f"cannot match '{first_words(text)}' to a commitment of Priority {priority}", para.place, hint))
            return
        if self._like_a_commitment(para, is_label, bullets_follow):
            self.close()
            self.problems.append(error(
                f"'{first_words(text)}' is not a commitment of Priority {priority} in the plan "
                f"({self.plan.file or 'the plan'})", para.place, hint or "copy the commitment's text from the plan"))
            self.unknown, self.commitment = (para, 0), None
            return
        self.close()
        self.update_looks.add(para.looks)
        self.add(Line(self.commitment, 0, para.spans, para.place, subheading=is_label))
        self.offset = 1 if is_label else 0

    def _like_a_commitment(self, para: Paragraph, is_label: bool, bullets_follow: bool) -> bool:
        """A plain line that looks like this return's commitment lines, not like its plain
        updates, and has bullets under it: a commitment the plan does not have."""
        return (not is_label and bullets_follow and para.looks in self.commitment_looks
                and para.looks not in self.update_looks)

    def close(self) -> None:
        """End what an unknown commitment held: its updates are left out, and said so."""
        if self.unknown is None:
            return
        para, count = self.unknown
        self.unknown = None
        if count:
            self.problems.append(error(
                f"{plural(count, 'update')} under '{first_words(para.text)}' left out: it is not a commitment "
                "of the plan", para.place, "put them under the plan's commitment they report on"))

    # --- rows ----------------------------------------------------------------------

    def table(self, table: Table) -> None:
        """Rows: a blank Priority or Commitment cell means the same as the row above."""
        priority: int | None = None
        commitment: str | None = None
        for row in table.rows:
            def cell(key: str, row: Row = row) -> str:
                return row.cell(table.columns, key)

            if not any(c.strip() for c in row.cells):
                continue
            if cell("priority"):
                n = _priority_cell(cell("priority"))
                if n is None or self.plan.priority(n) is None:
                    self.problems.append(error(f"'{cell('priority')}' is not a priority of the plan", row.place,
                                               f"give the priority's number, 1 to {len(self.plan.priorities)}"))
                    priority = commitment = None
                    continue
                if n != priority:
                    commitment = None
                priority = n
            if cell("commitment") and priority is not None:
                found = matching.commitment(self.plan, priority, cell("commitment"))
                if not found:
                    self.problems.append(self._no_commitment(priority, cell("commitment"), row.place))
                    commitment = None
                    continue
                commitment = found.id
            text = " ".join(cell("update").split())
            if not text:
                continue
            if priority is None or commitment is None:
                self.problems.append(error(f"update '{first_words(text)}' has no priority and commitment",
                                           row.place, "fill in the Priority and Commitment columns"))
                continue
            level = _level_cell(cell("level"))
            if level is None:
                self.problems.append(error(f"Level '{cell('level')}' is not 1, 2 or 3", row.place,
                                           "use 1 for a main bullet, 2 and 3 for sub-bullets"))
                continue
            district = cell("district").rstrip(":").strip() or None
            self.add(Line(commitment, level, (Span(text),), row.place, district), cell("area") or None)


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
    except ValueError:
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


def _without_placeholders(sub: Submission, problems: list[Problem]) -> Submission:
    """A blank return's example bullets are not updates: drop them, say where."""
    kept, places = strip_placeholders(sub)
    if places:
        problems.append(warning(
            f"{len(places)} example bullet(s) still start '{PLACEHOLDER}' and were not read",
            places[0], "replace them with real updates or delete them"))
    return kept
