"""Proof-read a quarter's submissions: warnings a person should look at.

Nothing here changes a word; every finding is a ``Problem`` with severity
"warning", the place of the update it concerns, a message saying what looks
wrong and a hint with the suggested fix. Four checks:

Place names
    Every label (``Contribution.district``, ``Update.label``), and every part of
    a compound label ("Braintree and Uttlesford"), must be a district or town
    the plan knows (``[places]`` in ``templates/plan.toml``) or one of the
    plan's area names; a near miss gets the nearest known name as its
    suggestion ("Tending" -> "Tendring"). In update text only near misses are
    flagged: a capitalised word, or two capitalised words, within one edit
    (two for names of twelve letters or more) of a known place, that is not
    itself a known place, a word the submissions also use in lower case, or one
    of a short list of common words and places outside the plan that sit one
    letter from a known name ("Southern", "Harrow", "Sheffield"). Words of
    fewer than six letters are not checked in text: too many English words sit
    one letter from "Grays".

Figures against their own words
    "254 ..., down from 238" (and "up from" with a fall, "rose from X to Y" the
    wrong way round); "78,753 ... compared to 76,803, an increase of 1,950" where
    the difference or its direction is wrong; and "an increase of 16,975
    (22.5%)" where the percentage does not follow from the figures. The base of
    a percentage is the "compared to" figure when there is one, otherwise the
    total stated before the change, less the increase or plus the decrease
    (91,425 - 16,975 = 74,450, and 16,975 / 74,450 = 22.8%). The percentage is
    rounded half-up to as many decimals as were typed and flagged when it is
    more than 0.1 point out. Years, parenthesised codes ("(999)"), ordinals and
    financial years ("2019/20") are never taken as figures.

The same update twice
    Two updates whose text is near-identical (``difflib`` ratio >= 0.9,
    case and spacing ignored, eight words or more) in one file or across files;
    the warning stands at the second and names both places. Only updates that
    share at least half of their runs of three words are compared (found
    through an index, so the check stays linear in the number of updates).

Dates outside the quarter
    A month after the end of the data period (``quarter.end``) is flagged only
    when its own clause reports it as past. The rule: take the words before
    the date in its clause (back to the last comma, semicolon, colon, bracket
    or dash, at most twelve words); a future or planning word there ("will",
    "planned", "scheduled", "due", "roll-out", "to commence", "until", ...)
    clears the date, a past-tense reporting verb there ("was", "were", "took
    place", "has been", "recorded", "received", "arrested", "held", ...) flags
    it. With neither, the words after the date in its clause decide the same
    way ("In November 2020 five people were arrested"). With neither on either
    side the date is not flagged. A month typed without a year is read as the
    latest such month up to the month the update is produced, so only the
    production month itself ("arrested in October" in a Q2 report) can fall
    after the period that way. "May" counts as a month only with a day, a year
    or a preposition before it; "Jan", "Dec" and the like only with a day or
    a year.

    A quarter other than the report's ("Q3 2020/21", "Quarter 1", "2020/21
    Q1") is flagged unless it is a comparison (the words before it say
    "compared", "from", "since", "on", "previous", "last", "same period", or
    the sentence says "than", "compared", "up from", "down from") or a later
    quarter spoken of as a plan. "Q2 2020" may be financial or calendar; it is
    flagged only when neither reading is the report's quarter.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher

from . import matching
from .model import Contribution, Place, Problem, Submission, Update
from .plan import Plan
from .quarter import Quarter

# --- walking the submissions --------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One update with where it stands."""

    index: int
    submission: Submission
    contribution: Contribution
    update: Update
    place: Place


def _entries(submissions: Sequence[Submission]) -> list[_Entry]:
    out: list[_Entry] = []

    def walk(s: Submission, c: Contribution, u: Update, inherited: Place) -> None:
        place = u.place or inherited
        out.append(_Entry(len(out), s, c, u, place))
        for child in u.children:
            walk(s, c, child, place)

    for s in submissions:
        for c in s.contributions:
            for u in c.updates:
                walk(s, c, u, c.place or Place(s.file))
    return out


def _warning(message: str, place: Place, hint: str) -> Problem:
    return Problem("warning", message, place, hint)


def _excerpt(text: str, n: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --- entry point --------------------------------------------------------------


def proofread(submissions: Sequence[Submission], plan: Plan, quarter: Quarter) -> list[Problem]:
    """Every warning for a quarter's submissions, in the order the updates stand."""
    entries = _entries(submissions)
    names = _Names(plan, _lower_case_words(entries))
    twice = _duplicates(entries)
    problems: list[Problem] = []
    seen_contributions: set[int] = set()
    for e in entries:
        if id(e.contribution) not in seen_contributions:
            seen_contributions.add(id(e.contribution))
            if e.contribution.district:
                where = e.contribution.place or Place(e.submission.file)
                problems.extend(names.check_label(e.contribution.district, where, district=True))
        if e.update.label and e.update.label != e.contribution.district:
            problems.extend(names.check_label(e.update.label, e.place, district=False))
        text = e.update.text
        problems.extend(names.check_text(text, e.place))
        problems.extend(_check_figures(text, e.place))
        problems.extend(_check_dates(text, e.place, quarter))
        problems.extend(twice.get(e.index, ()))
    # contributions with a district but no updates still get their label checked
    for s in submissions:
        for c in s.contributions:
            if id(c) not in seen_contributions and c.district:
                problems.extend(names.check_label(c.district, c.place or Place(s.file), district=True))
    return problems


# --- place names --------------------------------------------------------------

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


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insert, delete, substitute, swap neighbours."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _deletions(word: str, n: int) -> set[str]:
    """word with any n or fewer of its letters deleted."""
    forms = {word}
    for _ in range(n):
        forms |= {f[:i] + f[i + 1 :] for f in forms for i in range(len(f))}
    return forms


def _lower_case_words(entries: list[_Entry]) -> frozenset[str]:
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
            matching.normalise(n): n for a in plan.areas for n in matching.area_names(a) if n
        }
        self.single = {k: v for k, v in self.places.items() if " " not in k}
        self.double = {k: v for k, v in self.places.items() if len(k.split()) == 2}
        self.lower_words = lower_words
        self._near: dict[tuple[str, int, int], str | None] = {}
        self._deletion_index: dict[tuple[int, int], dict[str, list[str]]] = {}

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

    def _nearest(self, key: str, pool: dict[str, str], max_edits: int) -> str | None:
        # Two words within n edits become the same word after at most n deletions from
        # each (a swap of neighbours too), so only keys sharing such a form with key
        # need their distance worked out.
        index = self._deletion_index.get((id(pool), max_edits))
        if index is None:
            index = {}
            for k in pool:
                for form in _deletions(k, max_edits):
                    index.setdefault(form, []).append(k)
            self._deletion_index[(id(pool), max_edits)] = index
        candidates = {k for form in _deletions(key, max_edits) for k in index.get(form, ())}
        best: tuple[int, float, str] | None = None
        for k in candidates:
            name = pool[k]
            d = edit_distance(key, k)
            if d <= max_edits:
                score = (d, -SequenceMatcher(None, key, k).ratio(), name)
                if best is None or score < best:
                    best = score
        return best[2] if best else None

    def check_label(self, label: str, place: Place, district: bool) -> list[Problem]:
        out: list[Problem] = []
        for part in (p for p in _LABEL_PARTS.split(label.strip().rstrip(":").strip()) if p):
            key = matching.normalise(part)
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
                    _warning(
                        f"{what} is not a place in the plan",
                        place,
                        f"did you mean '{suggestion}'?",
                    )
                )
            elif district:
                out.append(
                    _warning(
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
        for i, (start, end, word) in enumerate(tokens):
            if skip_next:
                skip_next = False
                continue
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if following and text[end : following[0]] == " ":
                pair = f"{word} {following[2]}"
                key = matching.normalise(pair)
                if key in self.places:
                    skip_next = True
                    continue
                if (
                    matching.normalise(word) not in self.places
                    or matching.normalise(following[2]) not in self.places
                ) and not self._common(following[2]):
                    edits = 1 if len(key) < 12 else 2
                    near = self.nearest(key, self.double, edits)
                    if near:
                        skip_next = True
                        if pair not in flagged:
                            flagged.add(pair)
                            out.append(self._text_warning(pair, near, place))
                        continue
            key = matching.normalise(word)
            if len(key) < 6 or key in self.places or self._common(word):
                continue
            near = self.nearest(key, self.single, 1 if len(key) < 12 else 2)
            if near and word not in flagged:
                flagged.add(word)
                out.append(self._text_warning(word, near, place))
        return out

    @staticmethod
    def _text_warning(word: str, near: str, place: Place) -> Problem:
        return _warning(
            f"'{word}' looks like a misspelt place name", place, f"did you mean '{near}'?"
        )


# --- figures ------------------------------------------------------------------

_NUM = r"£?\d{1,3}(?:,\d{3})+(?:\.\d+)?|£?\d+(?:\.\d+)?"
_NUMBER = re.compile(rf"(?<![\w/.,£-])(?P<num>{_NUM})(?P<pct>\s?%)?(?![\w/-]|[.,]\d)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£“‘\"'(])")

_DOWN = {"down", "decrease", "decreased", "fall", "fallen", "fell", "drop", "dropped", "reduction", "reduced"}
_UP = {"up", "increase", "increased", "rise", "risen", "rose"}
_DIRECTIONS = "|".join(sorted(_DOWN | _UP, key=len, reverse=True))

_FROM = re.compile(rf"\b(?P<dir>{_DIRECTIONS})\s+from\s+(?P<was>{_NUM})(?P<pct>\s?%)?", re.IGNORECASE)
_TO = re.compile(rf"\s+to\s+(?P<now>{_NUM})(?P<pct>\s?%)?")
_COMPARED = re.compile(rf"\bcompared\s+(?:to|with)\s+(?P<was>{_NUM})(?P<pct>\s?%)?", re.IGNORECASE)
# the change a "compared to" figure is summed up as, right after it: ", an increase of 1,950"
_CHANGE = re.compile(
    r"[^.;,]{0,60}?(?:[,;–]|\bwhich\s+is|\brepresenting|\bthis\s+is)\s*"
    r"(?P<phrase>an?\s+(?P<dir>increase|rise|decrease|reduction|fall|drop)"
    rf"(?:\s+of\s+(?P<chg>{_NUM})(?!\s?%))?)"
    r"(?=\s*(?:[,.;(]|$|on\b|from\b|compared\b|over\b|since\b|against\b|when\b))",
    re.IGNORECASE,
)
_CHANGE_PCT = re.compile(
    r"\b(?:an?\s+)?(?P<dir>increase|rise|decrease|reduction|fall|drop)\s+of\s+"
    rf"(?:(?P<chg>{_NUM})\s*\(\s*(?P<pct>\d+(?:\.\d+)?)\s?%\s*\)"
    rf"|(?P<pct2>\d+(?:\.\d+)?)\s?%\s*\(\s*(?P<chg2>{_NUM})\s*\))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    text: str  # as typed, "91,425"
    value: float
    percent: bool
    next_word: str  # the word after it, for matching like with like


def _value(text: str) -> float:
    return float(text.lstrip("£").replace(",", ""))


def _figures(sentence: str) -> list[_Figure]:
    out = []
    for m in _NUMBER.finditer(sentence):
        num = m.group("num")
        if re.fullmatch(r"(?:19|20)\d\d", num):
            continue  # a year
        before = sentence[: m.start()].rstrip()
        after = sentence[m.end() :].lstrip()
        if before.endswith("(") and after.startswith(")"):
            continue  # "(999)", "(101)": a code, not a figure
        word = re.match(r"[A-Za-z]+", after)
        out.append(
            _Figure(m.start(), m.end(), num, _value(num), bool(m.group("pct")), word.group().casefold() if word else "")
        )
    return out


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def _current(figures: list[_Figure], before: int, percent: bool, like: str) -> _Figure | None:
    """The figure a change is stated against: like with like, else the nearest before."""
    pool = [f for f in figures if f.end <= before and f.percent == percent]
    if not pool:
        return None
    same = [f for f in pool if like and f.next_word == like]
    return (same or pool)[-1]


def _check_figures(text: str, place: Place) -> list[Problem]:
    out: list[Problem] = []
    sentences = _sentences(text)
    for n, sentence in enumerate(sentences):
        figures = _figures(sentence)
        previous = _figures(sentences[n - 1]) if n else []
        out.extend(_check_from(sentence, figures, previous, place))
        out.extend(_check_compared(sentence, figures, place))
        out.extend(_check_percentages(sentence, figures, place))
    return out


def _check_from(sentence: str, figures: list[_Figure], previous: list[_Figure], place: Place) -> list[Problem]:
    """'254 ..., down from 238': the direction must match the figures."""
    out = []
    for m in _FROM.finditer(sentence):
        was_text = m.group("was")
        percent = bool(m.group("pct"))
        was_fig = next((f for f in figures if f.start == m.start("was")), None)
        like = was_fig.next_word if was_fig else ""
        to = _TO.match(sentence, m.end())
        if to and bool(to.group("pct")) == percent:
            now_text = to.group("now")  # "rose from 10 to 150"
        else:
            now = _current(figures, m.start(), percent, like)
            if now is None and re.match(r"\s*(?:this|that|it)\b", sentence, re.IGNORECASE):
                now = _current(previous, 10**9, percent, like)  # "429 hours. This is a decrease from 590"
            if now is None:
                continue
            now_text = now.text
        now_v, was_v = _value(now_text), _value(was_text)
        word = m.group("dir").casefold()
        down = word in _DOWN
        if (down and now_v >= was_v) or (not down and now_v <= was_v):
            unit = "%" if percent else ""
            comparison = "more than" if now_v > was_v else "less than" if now_v < was_v else "the same as"
            out.append(
                _warning(
                    f"figures contradict the words: {now_text}{unit} is said to be "
                    f"'{m.group('dir')} from {was_text}{unit}'",
                    place,
                    f"{now_text}{unit} is {comparison} {was_text}{unit}: check the figures"
                    + (f", or say '{'up' if down else 'down'} from'" if now_v != was_v else ""),
                )
            )
    return out


def _check_compared(sentence: str, figures: list[_Figure], place: Place) -> list[Problem]:
    """'78,753 ... compared to 76,803 ..., an increase of 1,950': direction and size."""
    out = []
    for m in _COMPARED.finditer(sentence):
        percent = bool(m.group("pct"))
        was_fig = next((f for f in figures if f.start == m.start("was")), None)
        now = _current(figures, m.start(), percent, was_fig.next_word if was_fig else "")
        change = _CHANGE.match(sentence, m.end())
        if now is None or change is None:
            continue
        now_v, was_v = now.value, _value(m.group("was"))
        down = change.group("dir").casefold() in _DOWN
        if (down and now_v > was_v) or (not down and now_v < was_v):
            out.append(
                _warning(
                    f"figures contradict the words: {now.text} compared to {m.group('was')} "
                    f"is called '{change.group('phrase')}'",
                    place,
                    f"{now.text} is {'more' if now_v > was_v else 'less'} than {m.group('was')}: check the figures",
                )
            )
            continue
        if change.group("chg") and not percent:
            stated = _value(change.group("chg"))
            actual = abs(now_v - was_v)
            if abs(stated - actual) > 0.5:
                out.append(
                    _warning(
                        f"figures contradict each other: {now.text} compared to {m.group('was')} "
                        f"is a change of {_fmt(actual)}, not {change.group('chg')}",
                        place,
                        f"check the figures: {now.text} - {m.group('was')} = {_fmt(now_v - was_v)}",
                    )
                )
    return out


def _round(value: float, decimals: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _check_percentages(sentence: str, figures: list[_Figure], place: Place) -> list[Problem]:
    """'91,425 ...; an increase of 16,975 (22.5%)': the % must follow from the figures."""
    out = []
    for m in _CHANGE_PCT.finditer(sentence):
        chg_text = m.group("chg") or m.group("chg2")
        pct_text = m.group("pct") or m.group("pct2")
        change = _value(chg_text)
        down = m.group("dir").casefold() in _DOWN
        compared = [c for c in _COMPARED.finditer(sentence) if c.end() <= m.start() and not c.group("pct")]
        if compared:
            base = _value(compared[-1].group("was"))
            how = f"{chg_text} on {compared[-1].group('was')}"
        else:
            now = _current(figures, m.start(), False, "")
            if now is None:
                continue
            base = now.value + change if down else now.value - change
            how = f"{chg_text} on {_fmt(base)} ({now.text} {'plus' if down else 'less'} {chg_text})"
        if base <= 0:
            continue
        decimals = len(pct_text.partition(".")[2])
        actual = _round(change / base * 100, decimals)
        if abs(actual - Decimal(pct_text)) > Decimal("0.1"):
            word = "a decrease" if down else "an increase"
            out.append(
                _warning(
                    f"figures contradict each other: {word} of {how} is {actual}%, not {pct_text}%",
                    place,
                    f"check the figures, or give the percentage as {actual}%",
                )
            )
    return out


# --- dates --------------------------------------------------------------------

_MONTH_NAMES = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES.update({name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_NAMES["sept"] = 9
_FULL_NAMES = frozenset(n for n in calendar.month_name if n)
_FULL = "|".join(n for n in calendar.month_name if n)
_ABBR = "|".join(n for n in calendar.month_abbr if n) + "|Sept"
_YEAR = r"(?:19|20)\d\d"
_DATE = re.compile(
    rf"(?:\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    rf"\b(?P<month>{_FULL}|{_ABBR})\b\.?(?:,?\s+(?P<year>{_YEAR})\b)?"
)
_MONTH_CONTEXT = re.compile(r"\b(?:in|during|since|from|until|by|of|early|mid|late|end|start|beginning|throughout)\s*$", re.I)

_FUTURE = re.compile(
    r"\b(?:will|shall|would|planned|planning|plans?\s+(?:to|for|are|is)|scheduled|due|expected|expects?"
    r"|intends?|intended|proposed|upcoming|forthcoming|next|roll-?out|going\s+to|anticipated"
    r"|hopes?\s+to|aims?\s+to|until|pending|awaiting|from\s+early"
    r"|to\s+(?:commence|start|begin|launch|run|take\s+place|go\s+live|be))\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|took\s+place|has\s+been|have\s+been|had\s+been|recorded|received|arrested|charged"
    r"|held|launched|went\s+live|executed|seized|completed|attended|introduced|began|started|commenced"
    r"|occurred|carried\s+out|secured|saw|ran|conducted|delivered|implemented|identified|convicted"
    r"|sentenced|remanded|issued|opened|hosted|visited|achieved|resulted)\b",
    re.IGNORECASE,
)
_COMPARATIVE = re.compile(
    r"\b(?:compared|than|from|since|previous|prior|last|on|against|versus|vs|same\s+(?:period|quarter))\b",
    re.IGNORECASE,
)
_COMPARISON = re.compile(r"\b(?:compared|than|versus|vs|(?:up|down)\s+from)\b", re.IGNORECASE)
_QUARTER = re.compile(
    rf"(?:\b(?P<fy1>{_YEAR}/(?:\d\d|{_YEAR}))\s+)?"
    r"\b(?:Q(?P<n1>[1-4])|(?i:quarter)\s+(?P<n2>[1-4]|one|two|three|four))\b"
    rf"(?:\s*[–-]?\s*(?P<fy2>{_YEAR}/(?:\d\d|{_YEAR}))\b|\s+(?P<cy>{_YEAR})\b(?!/))?"
)
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4}


def _clause_before(sentence: str, at: int, words: int = 12) -> str:
    """The words before position `at` in its own clause, at most `words` of them."""
    head = sentence[:at]
    cut = max(head.rfind(ch) for ch in ",;:()–")
    return " ".join(head[cut + 1 :].split()[-words:])


def _clause_after(sentence: str, at: int, words: int = 8) -> str:
    """The words after position `at` in its own clause, at most `words` of them."""
    tail = sentence[at:]
    cuts = [i for i in (tail.find(ch) for ch in ",;:()–") if i >= 0]
    return " ".join(tail[: min(cuts, default=len(tail))].split()[:words])


def _reported_as_past(sentence: str, start: int, end: int) -> bool:
    """Whether the clause around a date reports it as past (see the module's rule)."""
    for window in (_clause_before(sentence, start), _clause_after(sentence, end)):
        if _FUTURE.search(window):
            return False
        if _PAST.search(window):
            return True
    return False


def _check_dates(text: str, place: Place, quarter: Quarter) -> list[Problem]:
    out: list[Problem] = []
    end = quarter.end
    produced_year, produced_month = _produced(quarter)
    for sentence in _sentences(text):
        for m in _DATE.finditer(sentence):
            word, year = m.group("month"), m.group("year")
            full = word in _FULL_NAMES
            if not full and not (year or m.group("day")):
                continue  # "Mar", "Dec" alone: too often not a month
            if word == "May" and not (year or m.group("day") or _MONTH_CONTEXT.search(sentence[: m.start()])):
                continue  # "May" the verb
            month = _MONTH_NAMES[word.casefold()]
            if year:
                when = (int(year), month)
            else:
                when = (produced_year, month) if month <= produced_month else (produced_year - 1, month)
            if when > end and _reported_as_past(sentence, m.start(), m.end()):
                out.append(
                    _warning(
                        f"'{m.group(0).strip()}' is reported as past but falls after the data period, "
                        f"which ends {quarter.data_to}",
                        place,
                        "check the date; an update about a later month belongs in a later quarter",
                    )
                )
        for m in _QUARTER.finditer(sentence):
            n = m.group("n1") or m.group("n2")
            number = int(n) if n.isdigit() else _WORD_NUMBERS[n.casefold()]
            fy = m.group("fy1") or m.group("fy2")
            readings = {(int(fy[:4]) if fy else quarter.start_year, number)}
            if m.group("cy"):  # "Q2 2020": the financial or the calendar quarter (Apr-Jun 2020 is 2020/21 Q1)
                cy = int(m.group("cy"))
                readings = {(cy, number), (cy - 1, 4) if number == 1 else (cy, number - 1)}
            this = (quarter.start_year, quarter.number)
            if this in readings:
                continue
            later = max(readings) > this
            window = _clause_before(sentence, m.start())
            if later and (_FUTURE.search(window) or _FUTURE.search(sentence)):
                continue
            if not later and (_COMPARATIVE.search(window) or _COMPARISON.search(sentence)):
                continue
            out.append(
                _warning(
                    f"'{m.group(0).strip()}' names another quarter in the {quarter.short} update",
                    place,
                    f"copied from another quarter's return? this update covers {quarter.long}",
                )
            )
    return out


def _produced(quarter: Quarter) -> tuple[int, int]:
    year, month = quarter.end
    return (year + 1, 1) if month == 12 else (year, month + 1)


# --- the same update twice ----------------------------------------------------


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _duplicates(entries: list[_Entry]) -> dict[int, list[Problem]]:
    """Near-identical updates; the warning stands at the later one.

    Only updates that share at least half of their runs of three words (the
    larger one's) are compared letter by letter; an index of the runs finds
    them, so the cost grows with the number of updates, not with its square."""
    texts = [(e, _normal(e.update.text)) for e in entries]
    texts = [(e, t) for e, t in texts if len(t.split()) >= 8]
    runs = [_word_runs(t) for _, t in texts]
    index: dict[str, list[int]] = {}
    found: dict[int, list[Problem]] = {}
    for j, (later, b) in enumerate(texts):
        shared = Counter(i for run in runs[j] for i in index.get(run, ()))
        for run in runs[j]:
            index.setdefault(run, []).append(j)
        for i in sorted(i for i, n in shared.items() if 2 * n >= max(len(runs[i]), len(runs[j]))):
            earlier, a = texts[i]
            if min(len(a), len(b)) / max(len(a), len(b)) < 0.9:
                continue
            sm = SequenceMatcher(None, a, b, autojunk=False)
            if sm.real_quick_ratio() < 0.9 or sm.quick_ratio() < 0.9 or sm.ratio() < 0.9:
                continue
            here, there = str(later.place), str(earlier.place)
            if here == there:
                there = f"{there} (commitment {earlier.contribution.commitment})"
                here = f"{here} (commitment {later.contribution.commitment})"
            found.setdefault(later.index, []).append(
                _warning(
                    f"the same update is submitted twice, at {there} and at {here}: "
                    f"'{_excerpt(later.update.text)}'",
                    later.place,
                    "keep one copy" + (" (the texts differ slightly)" if a != b else ""),
                )
            )
            break  # one warning per later copy: the first earlier one it repeats
    return found


def _word_runs(text: str) -> set[str]:
    """Every run of three words in a normalised text."""
    words = text.split()
    return {" ".join(words[k : k + 3]) for k in range(len(words) - 2)}
