"""A Record and the quarter's plan → its Submissions, its problems, and the fate of every
line (``Accounted``): the blocks walked in reading order (``walk``, ``tables``), bullets
typed in one line split first (``typed``), then what the reader found beside the text
(comments, notes, hidden text, what it could not read) told at its place, and the area
each part of the file is from."""

from __future__ import annotations

from dataclasses import replace

from ..errors import Place, Problem, Severity, error, warning
from ..model import Submission
from ..plan import Area, Plan, matching
from ..records import Paragraph, Record, Table
from ..text import first_words, plural
from . import tables
from .ledger import Accounted, Fate
from .nesting import contributions
from .placeholders import PLACEHOLDER, set_aside
from .typed import typed_blocks
from .walk import Walk


def resolve(record: Record, plan: Plan) -> tuple[list[Submission], list[Problem]]:
    """The submissions a record makes under `plan` (one per area it names), and the problems."""
    found = account(record, plan)
    return list(found.submissions), list(found.problems)


def account(record: Record, plan: Plan) -> Accounted:
    """`resolve`, with the fate of every line of the record."""
    walk = Walk(record, plan)
    _walk_blocks(walk, record)
    if walk.unknown:
        walk.problems.append(_unknown_identifiers(walk))
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
        area, found = _area(plan, record, typed or record.area or walk.area_line)
        at = len(problems)
        env = record.envelope
        sub = Submission(record.file, record.format, area.name if area else None,
                         tuple(contributions(lines, area, plan)), record.modified,
                         sent=env.sent if env else None, sender=env.sender.shown if env else "")
        sub = set_aside(walk, sub, problems)
        problems[at:at] = [_left_out(p, sub.count()) for p in found] if area is None else found
        submissions.append(sub)
    if not any(s.count() for s in submissions) and not any(p.severity is Severity.ERROR for p in walk.problems):
        problems.append(_nothing_read(record, walk))  # unless the errors above already say why
    return Accounted(tuple(submissions), tuple(problems), tuple(walk.entries))


def _area(plan: Plan, record: Record, typed: str | None) -> tuple[Area | None, list[Problem]]:
    """The area a return names (an 'Area:' line, else its own file name); for one that came in
    an email and names none, the area its sender or subject gives."""
    area, found = matching.area_of_file(plan, record.file, record.stem, typed)
    env = record.envelope
    if area is None and not typed and env is not None:
        stem = env.message.rsplit(".", 1)[0]
        by_message = matching.area_of_message(plan, env.sender.address, env.subject, stem)
        if by_message is not None:
            return by_message, []
    return area, found


def _walk_blocks(walk: Walk, record: Record) -> None:
    """Every block in reading order: a form's rows, a grid table's rows, paragraphs."""
    blocks = typed_blocks(record.blocks)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Table):
            tables.form(walk, block)
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
            tables.grid_row(walk, row, follows)
        else:
            walk.paragraph(block, follows)
        i = j
    walk.close()


def _unknown_identifiers(walk: Walk) -> Problem:
    """One warning for a file's identifiers that name nothing in the quarter's plan (a return
    sent out under another plan): ignored, and their lines read by their words."""
    names = [name for _, found in walk.unknown for name in found]
    place = walk.unknown[0][0]
    shown = ", ".join(f"'{n}'" for n in names[:2]) + (", …" if len(names) > 2 else "")
    return warning(f"{plural(len(names), 'identifier')} of its headings and commitment lines ({shown}) "
                   f"{'names' if len(names) == 1 else 'name'} no priority or commitment of this quarter's plan "
                   f"({walk.plan.file or 'the plan'}): ignored, and those lines read by their words",
                   walk.placed.get(place, place),
                   "it was sent out for another plan: send the area this quarter's return (make templates), or "
                   "check each heading and commitment line against the plan")


def _row_of(block: object) -> tuple[int, int] | None:
    return (block.cell[0], block.cell[1]) if isinstance(block, Paragraph) and block.cell else None


def _left_out(problem: Problem, updates: int) -> Problem:
    """The error that no area could be told, saying what it costs: the one message for
    the file (the merge records its updates as left out, and says no more)."""
    if not updates or problem.severity is not Severity.ERROR:
        return problem
    are = "is" if updates == 1 else "are"
    return replace(problem, message=f"{problem.message}: its {plural(updates, 'update')} {are} left out")


def _beside_the_text(record: Record, walk: Walk) -> None:
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


def _nothing_read(record: Record, walk: Walk) -> Problem:
    """No update in a whole file: an error naming what it holds instead."""
    paragraphs = [b for b in record.blocks if isinstance(b, Paragraph) and b.text]
    grids = [b for b in record.blocks if isinstance(b, Table)]
    hint = ("give each priority a heading line ('Priority 2 – Crack Down on Anti-social Behaviour'), "
            "then its commitment's text and the updates as bullets under it")
    if walk.placeholders:
        found = f"every bullet still starts '{PLACEHOLDER}'"
        hint = "replace the example bullets with this quarter's updates"
    elif paragraphs:
        headings = [p for p in paragraphs if p.heading is not None]
        first = headings[0] if headings else paragraphs[0]
        found = f"its first {'heading' if headings else 'line'} is '{first_words(first.text)}'"
    elif grids and any(t.rows for t in grids):
        row = next(r for t in grids for r in t.rows)
        found = f"the first row under its header is '{first_words(' '.join(c for c in row.cells if c))}'"
        hint = "fill in a row per update under the header: Priority, Commitment, Update"
    elif grids:
        found = "there is nothing under its header row"
        hint = "fill in a row per update under the header: Priority, Commitment, Update"
    else:
        found = "it holds no text"
        hint = "check it is the return itself, then send it again"
    return error(f"no update could be read from it: {found}", Place(record.file), hint)
