"""Match what contributors typed to the plan's names: areas, priorities,
commitments and places. Tolerant of case, punctuation, spacing and short forms,
so readers can accept real submissions; plan-aware, format-blind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from ..errors import Place, Problem, error
from ..text import normalise
from . import Area, Commitment, Plan

_PRIORITY = re.compile(r"^\s*priority\s*(\d+)\b\s*(?:[-–—:.)]\s*)?(.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*(?:[.):–—-]\s*|\s)\s*(\S.*)$")
_PRIORITY_DASH = re.compile(r"^\s*priority\s*\d+\s*[-–—:]", re.IGNORECASE)
SAME_TITLE = 90  # fuzz.ratio of a typed line and a priority's title that makes it that title
CLOSE_TITLE = 75  # ... that makes a heading-shaped line read like that priority's heading, mistyped
# "Priorty 6 – Title": a word standing where "Priority" stands, then a number, then maybe a title.
_WORD_NUMBER = re.compile(r"^\s*([^\W\d_]{4,12})\s*(\d{1,3})\b\s*(?:[-–—:.)]\s*)?(.*)$")
MISSPELT_PRIORITY = 80  # fuzz.ratio of that word and "priority" that makes it "Priority" misspelt
_NOT_PRIORITY = {"priory", "propriety"}  # words of their own, near "priority"
_HEADING_WORDS = 16  # a plain line this short may be shaped like a heading
_COMMITMENT_NO = re.compile(r"^\s*(?:commitment\s*)?(?:(\d+)\s*\.\s*)?(\d+)\s*[.:)]?\s*$", re.IGNORECASE)
_LABEL = re.compile(r"^\s*([^:]{1,60}?)\s*:\s*(.*)$", re.DOTALL)
_PARTS = re.compile(r"\s*(?:,|&|\band\b|/)\s*", re.IGNORECASE)

SAME_COMMITMENT = 90  # fuzz.ratio of a typed line and a commitment that makes it that commitment
MISTYPED_COMMITMENT = 75  # ... that makes a plain line a commitment typed wrong, not an update


def priority_number(text: str) -> int | None:
    """The N of a 'Priority N – Title' line, in any of its typed forms."""
    m = _PRIORITY.match(text)
    return int(m.group(1)) if m else None


def priority_heading(plan: Plan, text: str, number: str = "", marker: str = "", *, heading: bool = False,
                     listed: bool = False) -> int | None:
    """The priority a line heads, or None: "Priority 2 – …" however typed or numbered
    (`number`: what Word's numbering shows before the text; `marker`: a list marker typed
    before it); "2. <title>", typed or numbered, where the title is a priority's; or a
    priority's title alone on a plain line or in a heading style (`heading`). When Word's
    numbering gives the number the title decides: a numbered list counts the priorities
    a return covers, not the plan's.

    A list item (`listed`) that starts "Priority 2" heads it only when a dash or colon
    follows, the rest is the title (or nothing), or the words "Priority 2" come from
    Word's numbering: a bullet "Priority 2 offenders were arrested" is an update.
    """
    before = number or marker
    full = f"{before} {text}".strip() if before else text
    # "Priority 2 – …" numbered "1." by Word is still Priority 2: the text is looked at alone too
    for line, numbered in ((full, bool(number)), (text, False)) if before else ((text, False),):
        m = _PRIORITY.match(line)
        if not m:
            continue
        n, rest = int(m.group(1)), m.group(2)
        titled = _titled(plan, rest) if numbered else None
        if titled is not None:
            return titled
        if not listed or heading or (numbered and "priority" in number.casefold()) or not rest.strip() \
                or _PRIORITY_DASH.match(line) or is_title(plan, n, rest):
            return n
    m = _NUMBERED.match(full)
    if m:
        titled = _titled(plan, m.group(2))
        if titled is not None:
            return titled
    if heading or not listed:
        return next((p.number for p in plan.priorities if is_title(plan, p.number, text, exact=not heading)),
                    None)
    return None


@dataclass(frozen=True)
class Heading:
    """A line that reads like a priority heading, and which priority it is."""

    number: int | None  # the priority it heads (maybe one the plan lacks); None when its words leave doubt
    slips: tuple[str, ...] = ()  # how it is typed wrong, when its words still point to one priority
    near: int | None = None  # when in doubt: the plan's priority it is closest to


def heading(plan: Plan, text: str, number: str = "", marker: str = "", *, heading: bool = False,
            listed: bool = False) -> Heading | None:
    """What a line says as a priority heading, or None when it does not read like one.

    A heading ``priority_heading`` recognises is that priority. A heading-styled or
    heading-shaped line (a short plain line, or a short numbered one: "Priority N –
    Title", "N. Title") is read by its words too: when its title is a priority's, that
    priority, whatever number it gives ("its number says 5 but its title is Priority
    6's") or however "Priority" is misspelt ("'Priorty' is misspelt"); a misspelt
    "Priority" and a number with no title, that number. Otherwise, if it still reads like
    a priority heading (a misspelt "Priority" and a number, or a title close to one of
    the plan's), it is a heading in doubt, with the plan's closest priority.
    """
    full = f"{number or marker} {text}".strip()
    shaped = heading or (len(full.split()) <= _HEADING_WORDS and (not listed or bool(_NUMBERED.match(full))))
    n = priority_heading(plan, text, number, marker, heading=heading, listed=listed)
    if n is not None:
        m = _PRIORITY.match(text)
        titled = _titled(plan, m.group(2)) if shaped and m and int(m.group(1)) == n else None
        if titled is not None and titled != n:  # "Priority 5 – Protecting Children…": the title decides
            return Heading(titled, (f"its number says {n} but its title is Priority {titled}'s",))
        return Heading(n)
    return _mistyped(plan, text, full, heading) if shaped else None


def _mistyped(plan: Plan, text: str, full: str, styled: bool) -> Heading | None:
    """A heading-shaped line that reads like a priority heading typed wrong (see heading);
    `styled`: in a heading style, where a title alone is a heading's shape too."""
    m = _WORD_NUMBER.match(text)
    word = normalise(m.group(1)) if m else ""
    if m and word != "priority" and word not in _NOT_PRIORITY \
            and fuzz.ratio(word, "priority", score_cutoff=MISSPELT_PRIORITY) > 0:
        n, rest = int(m.group(2)), m.group(3).strip()
        slip = f"'{m.group(1)}' is misspelt"
        titled = _titled(plan, rest)
        if titled is not None:
            off = (f"its number says {n} but its title is Priority {titled}'s",) if titled != n else ()
            return Heading(titled, (slip, *off))
        if not normalise(rest) and plan.priority(n) is not None:
            return Heading(n, (slip,))
        near, score = _closest_title(plan, rest)  # its number, unless its title is near another's
        return Heading(None, near=near if score >= CLOSE_TITLE or plan.priority(n) is None else n)
    numbered = _NUMBERED.match(full)
    if not (numbered or styled):
        return None
    near, score = _closest_title(plan, numbered.group(2) if numbered else text)
    return Heading(None, near=near) if score >= CLOSE_TITLE else None


def _closest_title(plan: Plan, typed: str) -> tuple[int | None, float]:
    """The priority whose title is most like the typed words, and how like (0-100)."""
    words = normalise(typed)
    scored = [(fuzz.ratio(words, normalise(p.title)), p.number) for p in plan.priorities] if words else []
    if not scored:
        return (plan.priorities[0].number if plan.priorities else None), 0.0
    score, number = max(scored, key=lambda s: s[0])
    return number, score


def _titled(plan: Plan, typed: str) -> int | None:
    """The priority whose title the text is (see is_title), if any."""
    typed = typed.strip().lstrip("-–—:.) ").strip()
    return next((p.number for p in plan.priorities if is_title(plan, p.number, typed)), None) if typed else None


def is_title(plan: Plan, n: int, typed: str, exact: bool = False) -> bool:
    """Whether typed text is Priority n's title: as the plan spells it (`exact`: in the
    comparison form), shortened to its first words (three at least), run on past its
    end, or within SAME_TITLE of it."""
    p = plan.priority(n)
    if p is None:
        return False
    title, words = normalise(p.title), normalise(typed)
    if not words or not title:
        return False
    if words == title or exact:
        return words == title
    if len(words.split()) >= 3 and title.startswith(words):
        return True
    if words.startswith(title):
        return True
    return fuzz.ratio(words, title, score_cutoff=SAME_TITLE) > 0


def commitment_number(text: str) -> int | None:
    """The N of a commitment given by number ("2", "2.1", "Commitment 2"), else None."""
    m = _COMMITMENT_NO.match(text)
    return int(m.group(2)) if m else None


def commitment(plan: Plan, priority: int, text: str, run_on: bool = True) -> Commitment | None:
    """The plan commitment a typed line names, by text or by number; with
    run_on, also a line that carries on past the commitment's end."""
    p = plan.priority(priority)
    if p is None:
        return None
    m = _COMMITMENT_NO.match(text)
    if m:
        if m.group(1) and int(m.group(1)) != priority:
            return None
        n = int(m.group(2))
        return p.commitments[n - 1] if 1 <= n <= len(p.commitments) else None
    typed = normalise(text)
    if not typed:
        return None
    for c in p.commitments:
        planned = normalise(c.text)
        if typed == planned:
            return c
        # shortened to its first words (at least four), or run on past its end
        if len(typed.split()) >= 4 and (planned.startswith(typed) or (run_on and typed.startswith(planned))):
            return c
    best = closest_commitment(plan, priority, text)
    if best and fuzz.ratio(typed, normalise(best.text), score_cutoff=SAME_COMMITMENT) > 0:
        return best
    return None


_FULL_NUMBER = re.compile(r"^\s*(\d{1,3})\.(\d{1,3})(?:(?:\s*[:.–—-]\s*|\s+)\S.*)?$", re.DOTALL)


def numbered_commitment(plan: Plan, text: str) -> Commitment | None:
    """The commitment a line gives by its full number, alone or with words after it, as the
    Excel return's list offers it ("2.1 Target repeat and high harm…"): the number decides."""
    m = _FULL_NUMBER.match(text)
    return plan.commitment(f"{int(m.group(1))}.{int(m.group(2))}") if m else None


def commitment_elsewhere(plan: Plan, priority: int, text: str, run_on: bool = False) -> Commitment | None:
    """A commitment of another priority than `priority` that a typed line names: by its text
    (or its first words, as ``commitment`` takes them) or its full number ("6.1"); a bare
    number ("2") is a commitment of the priority above, never of another."""
    m = _COMMITMENT_NO.match(text)
    if m:
        n = int(m.group(1)) if m.group(1) else priority
        return commitment(plan, n, text) if n != priority else None
    return next((found for p in plan.priorities if p.number != priority
                 if (found := commitment(plan, p.number, text, run_on)) is not None), None)


def closest_commitment(plan: Plan, priority: int | None, text: str) -> Commitment | None:
    """The commitment most like the typed text, for a suggestion in an error."""
    pool = [c for p in plan.priorities if priority in (None, p.number) for c in p.commitments]
    typed = normalise(text)
    scored = [(fuzz.ratio(typed, normalise(c.text)[: max(len(typed), 20)]), c) for c in pool]
    return max(scored, key=lambda s: s[0])[1] if scored else None


def looks_like_commitment(text: str, commitment_text: str) -> bool:
    """A plain line close to a commitment's opening words is a mistyped commitment, not an update."""
    a, b = normalise(text), normalise(commitment_text)
    return bool(b) and fuzz.ratio(a, b[: len(a) + 10]) >= MISTYPED_COMMITMENT


def area_names(area: Area) -> list[str]:
    return [area.name, area.display, *area.aliases]


def area(plan: Plan, text: str) -> Area | None:
    """The area a typed name ('north', 'NLPA', 'FCR') stands for."""
    typed = normalise(text)
    for a in plan.areas:
        if typed in (normalise(n) for n in area_names(a)):
            return a
    return None


def area_in_filename(plan: Plan, stem: str) -> list[Area]:
    """Areas named as whole words in a file name; a name inside a longer one
    found there ("North" inside "North LPA") does not count twice."""
    words = f" {normalise(stem)} "
    found = [
        (key, a)
        for a in plan.areas
        for key in {normalise(n) for n in area_names(a)}
        if key and f" {key} " in words
    ]
    keep = [
        a for key, a in found
        if not any(key != other and f" {key} " in f" {other} " for other, _ in found)
    ]
    return list(dict.fromkeys(keep))


_ADDRESS = re.compile(r"[^\s<>(),;:\"']+@[^\s<>(),;:\"']+")


def area_of_sender(plan: Plan, address: str) -> Area | None:
    """The area whose `contact` holds this email address (any case): a plan may give each area's
    address, `contact = "north.lpa@essex.police.uk"` (or a name with it, or several)."""
    key = address.strip().casefold()
    if not key:
        return None
    found = [a for a in plan.areas if a.contact and key in (m.casefold() for m in _ADDRESS.findall(a.contact))]
    return found[0] if len(found) == 1 else None


def area_of_message(plan: Plan, address: str, subject: str, message: str) -> Area | None:
    """The area an email names when its return does not: its sender's address, where the plan
    gives an area's contact address; else an area named in its subject line; else in the name
    of the message's file (which Outlook makes from the subject)."""
    by_sender = area_of_sender(plan, address)
    if by_sender is not None:
        return by_sender
    for words in (subject, message):
        named = area_in_filename(plan, words)
        if len(named) == 1:
            return named[0]
    return None


def known_places(plan: Plan) -> dict[str, str]:
    """Every place the plan knows, normalised -> as the plan spells it."""
    names: dict[str, str] = {}
    for district, towns in plan.places.items():
        for name in (district, *towns):
            names[normalise(name)] = name
    return names


def place(plan: Plan, text: str, cutoff: float = 0.8) -> str | None:
    """The known place a typed name is, or is a near miss of ('Tending' -> 'Tendring')."""
    places = known_places(plan)
    key = normalise(text)
    if key in places:
        return places[key]
    near = process.extractOne(key, list(places), scorer=fuzz.ratio, score_cutoff=cutoff * 100)
    return places[near[0]] if near else None


def is_place_label(plan: Plan, text: str) -> bool:
    """A label made only of places: 'Colchester', 'Castle Point and Rochford'."""
    parts = [p for p in _PARTS.split(text.strip()) if p]
    return bool(parts) and len(text) <= 60 and all(place(plan, p) for p in parts)


def is_known_label(plan: Plan, text: str) -> bool:
    """A label made only of places the plan knows as it spells them (in any case), as the place
    check accepts without a word: 'Rochford and Castle Point', never 'Tending'."""
    known = known_places(plan)
    parts = [p for p in _PARTS.split(text.strip().rstrip(":")) if p]
    return bool(parts) and all(normalise(p) in known for p in parts)


def district_of_label(plan: Plan, label: str) -> str | None:
    """The district a place label sorts under: its first place's district."""
    parts = [p for p in _PARTS.split(label.strip()) if p]
    for p in parts:
        known = place(plan, p)
        if known:
            return plan.district_of(known)
    return None


def split_label(text: str) -> tuple[str, str] | None:
    """'Thurrock: A vulnerable tenant…' -> ('Thurrock', 'A vulnerable tenant…')."""
    m = _LABEL.match(text)
    return (m.group(1).strip(), m.group(2)) if m else None


def area_of_file(plan: Plan, file: str, stem: str, typed: str | None) -> tuple[Area | None, list[Problem]]:
    """The area named by an 'Area:' line, else by the file name. When neither gives one,
    the error suggests the area meant: the one the file name names (the likely sender)
    first, then the plan's area whose name or alias is closest to what was typed."""
    named = area_in_filename(plan, stem)
    if typed:
        found_area = area(plan, typed)
        if found_area:
            return found_area, []
        meant = _suggested(named, closest_areas(plan, typed))
        hint = f"write 'Area: {meant[0].name}', or another of the plan's areas" if meant \
            else "use one of: " + ", ".join(a.name for a in plan.areas)
        return None, [error(f"'Area: {typed}' is not one of the plan's areas{_did_you_mean(meant, named)}",
                            Place(file), hint)]
    if len(named) == 1:
        return named[0], []
    if not named:
        near = _near_in_name(plan, stem)
        msg = "cannot tell which area sent this file" + _did_you_mean([near] if near else [], [])
    else:
        msg = "the file name names several areas (" + ", ".join(a.name for a in named) + ")"
    example = plan.areas[-1].name if plan.areas else "North LPA"
    return None, [error(msg, Place(file),
                        f"put the area's name in the file name or an 'Area: {example}' line at the top")]


AREA_CUTOFF = 75  # how like a plan area's name or alias a typed area must be to suggest it (0-100)
AREA_IN_NAME = 85  # fuzz.partial_ratio of a plan area's name (five letters or more) inside a file name


def closest_areas(plan: Plan, typed: str) -> list[Area]:
    """The plan's areas whose name or alias is most like `typed`, to suggest: none when
    none is close enough, or when more than two are equally close ("Policing")."""
    key = normalise(typed)
    scores: dict[str, float] = {}
    for a in plan.areas:
        for name in {normalise(n) for n in area_names(a)}:
            scores[a.name] = max(scores.get(a.name, 0.0), _likeness(key, name))
    top = max(scores.values(), default=0.0)
    tied = [a for a in plan.areas if scores.get(a.name) == top]
    return tied if top >= AREA_CUTOFF and len(tied) <= 2 else []


def _likeness(typed: str, name: str) -> float:
    """How like an area's name typed text is, 0-100. A short name (an acronym: 'FCR') is
    only like a typing slip of itself, a letter added, lost, changed or swapped; a longer one
    by its letters, or by holding every word typed ('Roads' for 'Roads Policing')."""
    if not typed or not name:
        return 0.0
    if min(len(typed), len(name)) <= 4:
        slip = min(len(typed), len(name)) >= 3 and DamerauLevenshtein.distance(typed, name) <= 1
        return 90.0 if slip else 0.0
    return max(fuzz.ratio(typed, name), fuzz.token_set_ratio(typed, name))


def _near_in_name(plan: Plan, stem: str) -> Area | None:
    """The plan's area whose name or alias (five letters or more) a file name nearly holds ("Nrth LPA Q3")."""
    words = normalise(stem)
    scored = [(fuzz.partial_ratio(key, words) if len(key) <= len(words) else fuzz.ratio(key, words), a)
              for a in plan.areas for key in {normalise(n) for n in area_names(a)} if len(key) >= 5]
    best = max(scored, key=lambda s: s[0], default=(0.0, None))
    return best[1] if best[0] >= AREA_IN_NAME else None


def _suggested(named: list[Area], near: list[Area]) -> list[Area]:
    """The areas to suggest: the one the file name names first, then the closest to what was typed."""
    return list(dict.fromkeys([*named[:1], *near]))


def _did_you_mean(meant: list[Area], named: list[Area]) -> str:
    """' (did you mean South LPA (as the file name says) or West LPA?)', or nothing."""
    shown = [f"{a.name} (as the file name says)" if a in named and len(meant) > 1 else a.name for a in meant]
    return f" (did you mean {' or '.join(shown)}?)" if shown else ""
