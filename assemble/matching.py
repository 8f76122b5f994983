"""Match what contributors typed to the plan's names: areas, priorities,
commitments and places. Tolerant of case, punctuation, spacing and short forms,
so readers can accept real submissions; plan-aware, format-blind."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from .model import Place, Problem
from .plan import Area, Commitment, Plan

_PRIORITY = re.compile(r"^\s*priority\s*(\d+)\b\s*(?:[-–—:.)]\s*)?(.*)$", re.IGNORECASE)
_COMMITMENT_NO = re.compile(r"^\s*(?:commitment\s*)?(?:(\d+)\s*\.\s*)?(\d+)\s*[.:)]?\s*$", re.IGNORECASE)
_LABEL = re.compile(r"^\s*([^:]{1,60}?)\s*:\s*(.*)$", re.DOTALL)
_PARTS = re.compile(r"\s*(?:,|&|\band\b|/)\s*", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)  # the plan's names and commitments, over and over
def normalise(text: str) -> str:
    """Case-, accent-, punctuation- and space-blind form for comparisons."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split())


def priority_number(text: str) -> int | None:
    """The N of a 'Priority N – Title' line, in any of its typed forms."""
    m = _PRIORITY.match(text)
    return int(m.group(1)) if m else None


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
    # ratio() >= 0.9 needs lengths within about a fifth of each other (it is at most
    # real_quick_ratio(), 2 * shorter / both): most lines, updates, are not near any
    if not any(_lengths_allow(typed, normalise(c.text)) for c in p.commitments):
        return None
    best = closest_commitment(plan, priority, text)
    if best and difflib.SequenceMatcher(None, typed, normalise(best.text)).ratio() >= 0.9:
        return best
    return None


def _lengths_allow(a: str, b: str, ratio: float = 0.9) -> bool:
    """Whether difflib's ratio of a and b can reach `ratio`, by their lengths alone."""
    return 2 * min(len(a), len(b)) >= ratio * (len(a) + len(b))


def closest_commitment(plan: Plan, priority: int | None, text: str) -> Commitment | None:
    """The commitment most like the typed text, for a suggestion in an error."""
    pool = [c for p in plan.priorities if priority in (None, p.number) for c in p.commitments]
    typed = normalise(text)
    scored = [
        (difflib.SequenceMatcher(None, typed, normalise(c.text)[: max(len(typed), 20)]).ratio(), c)
        for c in pool
    ]
    return max(scored, key=lambda s: s[0])[1] if scored else None


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
    near = difflib.get_close_matches(key, list(places), n=1, cutoff=cutoff)
    return places[near[0]] if near else None


def is_place_label(plan: Plan, text: str) -> bool:
    """A label made only of places: 'Colchester', 'Castle Point and Rochford'."""
    parts = [p for p in _PARTS.split(text.strip()) if p]
    return bool(parts) and len(text) <= 60 and all(place(plan, p) for p in parts)


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
    """The area named by an 'Area:' line, else by the file name."""
    if typed:
        found_area = area(plan, typed)
        if found_area:
            return found_area, []
        return None, [Problem("error", f"'Area: {typed}' is not one of the plan's areas", Place(file),
                              "use one of: " + ", ".join(a.name for a in plan.areas))]
    found = area_in_filename(plan, stem)
    if len(found) == 1:
        return found[0], []
    if not found:
        msg = "cannot tell which area sent this file"
    else:
        msg = "the file name names several areas (" + ", ".join(a.name for a in found) + ")"
    return None, [Problem("error", msg, Place(file),
                          "put the area's name in the file name or an 'Area: North LPA' line at the top")]
