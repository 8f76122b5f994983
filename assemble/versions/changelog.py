"""What changed between two versions of a quarter's update, from their outlines.

Both sides are native outlines (`assemble.native.dump`). An *update* is an item
line with text; a bare label ("- [Chelmsford]") is structure, not an update.

- An update's **area** is the outermost label on its path (its own label or an
  enclosing item's), e.g. "North LPA" or "Thurrock"; an update with no label on
  its path is "force-wide" (department updates, including those under a
  sub-heading: the outline cannot tell where a sub-heading's run ends).
- Updates are matched by commitment, label path and text. What is left over in a
  commitment is paired old-to-new by word similarity (difflib ratio >= 0.6, best
  pairs first) and reported as **edited**; the rest are **added** / **removed**.
- Changes that are not updates (priority titles, lead-ins, commitment wording,
  sub-headings, order, nesting) are reported as notes.

The Markdown shows edits as word-level differences: ~~old words~~ **new words**.
The update text is shown as the reader sees it (the outline's own **bold** and
*italic* markers are dropped, so they cannot be confused with the diff marks); an
edit that only changes emphasis says so and shows both versions emphasised.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..model import Item, SubHeading
from . import native
from .native import text_to_spans

FORCE_WIDE = "force-wide"
SIMILAR = 0.6



@dataclass(frozen=True)
class Entry:
    """One update as it stands in one version."""

    priority: int
    commitment: str  # "1.3"
    area: str  # "North LPA" or "force-wide"
    path: tuple[str, ...]  # labels from the top-level item down to this one
    label: str | None  # its own label
    text: str  # outline text, with the outline's emphasis markers
    position: int = field(default=0, compare=False)  # order within its commitment

    @property
    def line(self) -> str:
        """The update as one line: "[Colchester] text"."""
        return f"[{self.label}] {self.text}" if self.label else self.text


@dataclass(frozen=True)
class Edit:
    old: Entry
    new: Entry


@dataclass(frozen=True)
class ChangeLog:
    added: tuple[Entry, ...] = ()
    removed: tuple[Entry, ...] = ()
    edited: tuple[Edit, ...] = ()
    notes: tuple[str, ...] = ()  # changes that are not updates; publish adds template/package notes
    titles: dict[int, str] = field(default_factory=dict, compare=False)  # priority -> title

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.edited or self.notes)


# --- parsing ------------------------------------------------------------------


@dataclass
class _Outline:
    entries: dict[str, list[Entry]] = field(default_factory=dict)  # commitment -> updates in order
    titles: dict[int, str] = field(default_factory=dict)
    lead_ins: dict[int, str] = field(default_factory=dict)
    commitments: dict[str, str] = field(default_factory=dict)  # id -> wording
    subheadings: dict[str, list[str]] = field(default_factory=dict)
    shape: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # depth, line: nesting


def _parse(text: str) -> _Outline:
    """The outline's updates as entries, read with the outline's own parser."""
    out = _Outline()
    for p in native.parse(text):
        out.titles[p.number] = p.title
        out.lead_ins[p.number] = p.lead_in
        for c in p.commitments:
            out.commitments[c.id] = c.text
            out.subheadings[c.id] = [b.text for b in c.blocks if isinstance(b, SubHeading)]
            items = out.entries.setdefault(c.id, [])
            shape = out.shape.setdefault(c.id, [])
            for block in c.blocks:
                if isinstance(block, SubHeading):
                    shape.append((-1, f"subheading: {block.text}"))
                else:
                    _walk(block, 0, (), block.area, p.number, c.id, items, shape)
    return out


def _walk(item: Item, depth: int, above: tuple[str, ...], area: str | None, priority: int,
          commitment: str, items: list[Entry], shape: list[tuple[int, str]]) -> None:
    """Entries for an item and everything under it; a bare label is structure, not an update."""
    path = above + ((item.label,) if item.label else ())
    body = native.spans_to_text(item.spans).strip()
    shape.append((depth, f"- [{item.label}] {body}" if item.label else f"- {body}"))
    if body:
        items.append(Entry(
            priority=priority,
            commitment=commitment,
            area=area or (path[0] if path else FORCE_WIDE),  # outlines without "area:" lines
            path=path,
            label=item.label,
            text=body,
            position=len(items),
        ))
    for child in item.children:
        _walk(child, depth + 1, path, area, priority, commitment, items, shape)


# --- comparing ----------------------------------------------------------------


# a word ("18,014", "don't", "e-mail") or one punctuation mark, with the space before it
_TOKEN = re.compile(r"\s*(?:\w+(?:[.,'’/:-]\w+)*|[^\w\s])")


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(_plain(text)))


def _words(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in _tokens(text))


def _plain(text: str) -> str:
    return "".join(s.text for s in text_to_spans(text))


def _ratio(a: Entry, b: Entry) -> float:
    m = SequenceMatcher(None, _words(a.line), _words(b.line), autojunk=False)
    if m.real_quick_ratio() < SIMILAR or m.quick_ratio() < SIMILAR:
        return 0.0
    return m.ratio()


def changes(old_outline: str, new_outline: str) -> ChangeLog:
    """Updates added, removed and edited from `old_outline` to `new_outline`."""
    old, new = _parse(old_outline), _parse(new_outline)
    added: list[Entry] = []
    removed: list[Entry] = []
    edited: list[Edit] = []
    notes: list[str] = []

    order = list(new.entries) + [c for c in old.entries if c not in new.entries]
    for cid in order:
        before, after = old.entries.get(cid, []), new.entries.get(cid, [])
        # exact matches first: the i-th occurrence of an update meets the i-th
        waiting: dict[tuple[tuple[str, ...], str], list[Entry]] = defaultdict(list)
        for e in after:
            waiting[(e.path, e.text)].append(e)
        pairs: list[tuple[Entry, Entry]] = []
        gone: list[Entry] = []
        for e in before:
            same = waiting.get((e.path, e.text))
            if same:
                pairs.append((e, same.pop(0)))
            else:
                gone.append(e)
        matched_new = {id(n) for _, n in pairs}
        fresh = [e for e in after if id(e) not in matched_new]
        # what is left: pair by similarity, best first
        scored = sorted(
            ((r, i, j) for i, a in enumerate(gone) for j, b in enumerate(fresh) if (r := _ratio(a, b)) >= SIMILAR),
            key=lambda t: (-t[0], t[1], t[2]),
        )
        used_old: set[int] = set()
        used_new: set[int] = set()
        for _, i, j in scored:
            if i in used_old or j in used_new:
                continue
            used_old.add(i)
            used_new.add(j)
            edited.append(Edit(gone[i], fresh[j]))
            pairs.append((gone[i], fresh[j]))
        removed += [e for i, e in enumerate(gone) if i not in used_old]
        added += [e for j, e in enumerate(fresh) if j not in used_new]
        # order of the updates that stayed
        kept = [n.position for _, n in sorted(pairs, key=lambda p: p[0].position)]
        if kept != sorted(kept):
            notes.append(f"commitment {cid}: the order of updates changed")

    notes += _heading_notes(old, new)
    if not (added or removed or edited or notes) and _canon(old_outline) != _canon(new_outline):
        notes.append("the nesting or layout of updates changed; their text did not")
    edited.sort(key=lambda e: _sort_key(e.new))
    return ChangeLog(
        added=tuple(sorted(added, key=_sort_key)),
        removed=tuple(sorted(removed, key=_sort_key)),
        edited=tuple(edited),
        notes=tuple(notes),
        titles={**old.titles, **new.titles},
    )


def _canon(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())


def _sort_key(e: Entry) -> tuple[int, tuple[int, ...], int]:
    return (e.priority, tuple(int(p) if p.isdigit() else 0 for p in e.commitment.split(".")), e.position)


def _heading_notes(old: _Outline, new: _Outline) -> list[str]:
    notes = []
    for n in sorted(set(old.titles) | set(new.titles)):
        if n not in new.titles:
            notes.append(f"priority {n} removed")
        elif n not in old.titles:
            notes.append(f"priority {n} added")
        else:
            if old.titles[n] != new.titles[n]:
                notes.append(f"priority {n}: title changed")
            if old.lead_ins.get(n) != new.lead_ins.get(n):
                notes.append(f"priority {n}: lead-in changed")
    for cid in list(new.commitments) + [c for c in old.commitments if c not in new.commitments]:
        if cid not in new.commitments:
            notes.append(f"commitment {cid} removed")
        elif cid not in old.commitments:
            notes.append(f"commitment {cid} added")
        else:
            if old.commitments[cid] != new.commitments[cid]:
                notes.append(f"commitment {cid}: wording changed")
            if old.subheadings.get(cid, []) != new.subheadings.get(cid, []):
                notes.append(f"commitment {cid}: sub-headings changed")
            elif (
                old.shape.get(cid) != new.shape.get(cid)
                and [line for _, line in old.shape.get(cid, [])] == [line for _, line in new.shape.get(cid, [])]
            ):
                notes.append(f"commitment {cid}: the nesting of updates changed")
    return notes


# --- showing ------------------------------------------------------------------


_MD_SPECIAL = re.compile(r"([\\*_~`<>])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def word_diff(old: str, new: str) -> str:
    """`new` with the words taken out shown ~~struck~~ and the words put in **bold**."""
    a, b = _tokens(old), _tokens(new)
    out: list[str] = []

    def run(tokens: tuple[str, ...], mark: str) -> None:
        text = "".join(tokens)
        body = text.lstrip()
        out.append(f"{text[: len(text) - len(body)]}{mark}{_md(body)}{mark}")

    matcher = SequenceMatcher(None, _words(old), _words(new), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            run(b[j1:j2], "")
            continue
        if i2 > i1:
            run(a[i1:i2], "~~")
        if j2 > j1:
            run(b[j1:j2], "**")
            if i2 > i1 and not out[-1][:1].isspace():
                out[-1] = " " + out[-1]  # keep ~~old~~ and **new** apart
    return "".join(out).strip()


def _show(e: Entry) -> str:
    return _md(_plain(e.line))


def _emphasised(e: Entry) -> str:
    """The update with its own emphasis, as Markdown (used only where no diff marks are shown)."""
    out = []
    for span in text_to_spans(e.line):
        mark = ("**" if span.bold else "") + ("*" if span.italic else "")
        body = span.text.strip()
        if mark and body:
            lead, trail = span.text[: span.text.index(body[0])], span.text[len(span.text.rstrip()):]
            out.append(f"{lead}{mark}{_md(body)}{mark[::-1]}{trail}")
        else:
            out.append(_md(span.text))
    return "".join(out)


def _where(e: Entry) -> str:
    """The commitment, and any labels between the area and the update's own label."""
    ancestors = e.path[:-1] if e.label else e.path
    inner = ancestors[1:]
    return e.commitment + (f", {' › '.join(_md(p) for p in inner)}" if inner else "")


def _counts(added: int, removed: int, edited: int) -> str:
    parts = [f"{n} {word}" for n, word in ((added, "added"), (removed, "removed"), (edited, "edited")) if n]
    return ", ".join(parts) or "no updates changed"


def _grouped(log: ChangeLog) -> dict[int, dict[str, list[tuple[str, Entry, Edit | None]]]]:
    """priority -> area -> [(kind, entry, edit)], in outline order."""
    items: list[tuple[str, Entry, Edit | None]] = [("added", e, None) for e in log.added]
    items += [("removed", e, None) for e in log.removed]
    items += [("edited", ed.new, ed) for ed in log.edited]
    items.sort(key=lambda t: _sort_key(t[1]))
    groups: dict[int, dict[str, list[tuple[str, Entry, Edit | None]]]] = {}
    for kind, e, ed in items:
        groups.setdefault(e.priority, {}).setdefault(e.area, []).append((kind, e, ed))
    return groups


def summary_lines(log: ChangeLog, since: str | None = None) -> list[str]:
    """Console lines: the totals, then one line per priority with its areas, then notes."""
    head = _counts(len(log.added), len(log.removed), len(log.edited))
    lines = [head + (f" since v{since}" if since else "")]
    for p, areas in _grouped(log).items():
        parts = []
        for area, items in areas.items():
            kinds = [k for k, _, _ in items]
            parts.append(f"{area} {_counts(kinds.count('added'), kinds.count('removed'), kinds.count('edited'))}")
        lines.append(f"  priority {p}: " + "; ".join(parts))
    lines += [f"  {note}" for note in log.notes]
    return lines


def to_markdown(log: ChangeLog, old_version: str, new_version: str) -> str:
    """The change log file, `changes-v<new>.md`."""
    lines = [
        f"# Changes in v{new_version} since v{old_version}",
        "",
        _counts(len(log.added), len(log.removed), len(log.edited)) + ".",
        "",
    ]
    if log.edited:
        lines += ["Edits show words taken out ~~struck through~~ and words put in **in bold**.", ""]
    for p, areas in _grouped(log).items():
        title = log.titles.get(p)
        lines += [f"## Priority {p}" + (f" – {_md(title)}" if title else ""), ""]
        for area, items in areas.items():
            lines += [f"### {_md(area)}", ""]
            for kind, e, ed in items:
                if ed is None:
                    lines.append(f"- {kind.capitalize()} ({_where(e)}): {_show(e)}")
                elif _words(ed.old.line) == _words(ed.new.line):
                    lines.append(
                        f"- Edited ({_where(e)}), emphasis only: was “{_emphasised(ed.old)}”, "
                        f"now “{_emphasised(ed.new)}”"
                    )
                else:
                    lines.append(f"- Edited ({_where(e)}): {word_diff(ed.old.line, ed.new.line)}")
            lines.append("")
    if log.notes:
        lines += ["## Other changes", ""]
        lines += [f"- {_md(note)}" for note in log.notes]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
