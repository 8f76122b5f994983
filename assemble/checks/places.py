"""Place names: every label, and near misses in update text, against the plan's gazetteer.

Every label (``Contribution.district``, ``Update.label``), and every part of a
compound label ("Braintree and Uttlesford"), must be a district or town the plan
knows (``[places]`` in the plan file) or one of the plan's area names; a near miss
gets the nearest known name as its suggestion ("Tending" -> "Tendring"). In update
text only near misses are flagged: a capitalised word, or two capitalised words,
within one edit (two for names of twelve letters or more) of a known place, that is
not itself a known place, a word the submissions also use in lower case, or one of
a short list of common words and places outside the plan that sit one letter from a
known name ("Southern", "Harrow", "Sheffield"). Words of fewer than six letters are
not checked in text: too many English words sit one letter from "Grays".

Edits are counted as optimal string alignment (rapidfuzz's OSA): insert, delete,
substitute, or swap two neighbouring letters.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from ..assembly import Assembly
from ..errors import Place, Problem, warning
from ..plan import Plan, matching
from ..text import normalise
from .entries import Entry, entries


def check(assembly: Assembly) -> list[Problem]:
    """Labels that are not places of the plan, and place names misspelt in text."""
    found = entries(assembly.submissions)
    names = _Names(assembly.plan, _lower_case_words(found))
    problems: list[Problem] = []
    seen: set[int] = set()
    for e in found:
        if id(e.contribution) not in seen:
            seen.add(id(e.contribution))
            if e.contribution.district:
                where = e.contribution.place or Place(e.submission.file)
                problems += names.check_label(e.contribution.district, where, district=True)
        if e.update.label and e.update.label != e.contribution.district:
            problems += names.check_label(e.update.label, e.place, district=False)
        problems += names.check_text(e.update.text, e.place)
    # contributions with a district but no updates still get their label checked
    for s in assembly.submissions:
        for c in s.contributions:
            if id(c) not in seen and c.district:
                problems += names.check_label(c.district, c.place or Place(s.file), district=True)
    return problems


# Words one letter from a known place that are English words or real places
# outside the plan; text near misses equal to one of these are not flagged.
_NOT_PLACES = frozenset(
    {
        "southern", "hockey", "convey", "harrow", "marlow", "sheffield", "mersey",
        "malden", "malton", "raleigh", "laughton", "houghton", "clayton", "landon",
        "barlow", "hockney",
    }
)

_TOKEN = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:-[A-Za-z]+)*(?![\w'’])")
_LABEL_PARTS = re.compile(r"\s*(?:,|&|\band\b|/|\+)\s*", re.IGNORECASE)


def _lower_case_words(entries: list[Entry]) -> frozenset[str]:
    """Words the submissions use in lower case somewhere: common words, not names."""
    words: set[str] = set()
    for e in entries:
        words.update(re.findall(r"(?<![\w'’-])[a-z][a-z]+(?:-[a-z]+)*(?![\w'’])", e.update.text))
    return frozenset(words)


class _Names:
    """The plan's gazetteer and area names, with near-miss lookup."""

    def __init__(self, plan: Plan, lower_words: frozenset[str]):
        self.plan = plan
        self.places = matching.known_places(plan)  # normalised -> as the plan spells it
        self.areas = {
            normalise(n): n for a in plan.areas for n in matching.area_names(a) if n
        }
        self.single = {k: v for k, v in self.places.items() if " " not in k}
        self.double = {k: v for k, v in self.places.items() if len(k.split()) == 2}
        self.lower_words = lower_words
        self._near: dict[tuple[str, int, int], str | None] = {}

    # labels ---------------------------------------------------------------

    def _known_label_part(self, key: str) -> bool:
        if key in self.places or key in self.areas:
            return True
        # "Colchester Town Centre": a known place followed by more words
        return any(key.startswith(p + " ") for p in self.places)

    def nearest(self, key: str, pool: dict[str, str], max_edits: int) -> str | None:
        """The pool's name nearest to key within max_edits, or None (remembered per key)."""
        memo = (key, id(pool), max_edits)
        if memo not in self._near:
            self._near[memo] = self._nearest(key, pool, max_edits)
        return self._near[memo]

    @staticmethod
    def _nearest(key: str, pool: dict[str, str], max_edits: int) -> str | None:
        # Fewest edits (insert, delete, substitute, swap neighbours) first, then the most
        # alike, then the name itself, so the same key always gets the same suggestion.
        found = process.extract(key, list(pool), scorer=OSA.distance, score_cutoff=max_edits, limit=None)
        if not found:
            return None
        best = min(found, key=lambda m: (m[1], -fuzz.ratio(key, m[0]), pool[m[0]]))
        return pool[best[0]]

    def check_label(self, label: str, place: Place, district: bool) -> list[Problem]:
        out: list[Problem] = []
        for part in (p for p in _LABEL_PARTS.split(label.strip().rstrip(":").strip()) if p):
            key = normalise(part)
            if not key or self._known_label_part(key):
                continue
            edits = 0 if len(key) < 4 else 1 if len(key) < 10 else 2
            suggestion = (
                matching.place(self.plan, part)
                or self.nearest(key, self.places, edits)
                or self.nearest(key, self.areas, edits)
            )
            kind = "district label" if district else "label"
            whole = part == label.strip().rstrip(":").strip()
            what = f"the {kind} '{label}'" if whole else f"'{part}' in the {kind} '{label}'"
            if suggestion:
                out.append(
                    warning(
                        f"{what} is not a place in the plan",
                        place,
                        f"did you mean '{suggestion}'?",
                    )
                )
            elif district:
                out.append(
                    warning(
                        f"{what} is not a place in the plan",
                        place,
                        "check the spelling, or add the place to [places] in the plan file",
                    )
                )
        return out

    # text -----------------------------------------------------------------

    def _common(self, word: str) -> bool:
        key = word.casefold()
        return key in self.lower_words or key in _NOT_PLACES

    def check_text(self, text: str, place: Place) -> list[Problem]:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        out: list[Problem] = []
        flagged: set[str] = set()
        skip_next = False
        for i, (_, end, word) in enumerate(tokens):
            if skip_next:
                skip_next = False
                continue
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if following and text[end : following[0]] == " ":
                pair = f"{word} {following[2]}"
                key = normalise(pair)
                if key in self.places:
                    skip_next = True
                    continue
                if (
                    normalise(word) not in self.places
                    or normalise(following[2]) not in self.places
                ) and not self._common(following[2]):
                    edits = 1 if len(key) < 12 else 2
                    near = self.nearest(key, self.double, edits)
                    if near:
                        skip_next = True
                        if pair not in flagged:
                            flagged.add(pair)
                            out.append(self._textwarning(pair, near, place))
                        continue
            key = normalise(word)
            if len(key) < 6 or key in self.places or self._common(word):
                continue
            near = self.nearest(key, self.single, 1 if len(key) < 12 else 2)
            if near and word not in flagged:
                flagged.add(word)
                out.append(self._textwarning(word, near, place))
        return out

    @staticmethod
    def _textwarning(word: str, near: str, place: Place) -> Problem:
        return warning(
            f"'{word}' looks like a misspelt place name", place, f"did you mean '{near}'?"
        )
