"""Dates outside the quarter, and dates gone stale.

A position stated "at the end of September" (or "as at", "as of" September) in an
update whose data runs to December is last quarter's figure: when the month ends
the previous quarter's data period it is flagged as probably copied, unless the
sentence compares this period with it: a comparison word before the date in its
clause ("up from", "down from", "compared with", "from", "since", "than",
"against": "512 at the end of December, up from 506 at the end of September"), or
the sentence also giving the position at this period's end ("At the end of
December …; at the end of September …").

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

from ..assembly import Assembly
from ..errors import Place, Problem, warning
from ..quarter import Quarter, quarter_of
from .entries import entries
from .figures import sentences


def check(assembly: Assembly) -> list[Problem]:
    """Months after the data period reported as past, and other quarters named."""
    return [p for e in entries(assembly.submissions) for p in check_text(e.update.text, e.place, assembly.quarter)]


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
_MONTH_CONTEXT = re.compile(
    r"\b(?:in|during|since|from|until|by|of|early|mid|late|end|start|beginning|throughout)\s*$", re.I)

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
# A position stated at a month's end: stale when the month ends the previous quarter.
_AS_AT = re.compile(r"\b(?:(?:at|by|to)\s+the\s+end\s+of|as\s+(?:at|of)|at\s+the\s+close\s+of|end\s+of)\s+$",
                    re.IGNORECASE)
# A comparison before last quarter's position in its clause: "up from 506 at the end of September".
_COMPARED = re.compile(r"\b(?:compared|comparison|than|from|since|against|versus|vs)\b", re.IGNORECASE)
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


def _month(m: re.Match[str], sentence: str, quarter: Quarter) -> tuple[int, int] | None:
    """The (year, month) a date found in a sentence names, or None when the word is
    probably not a month (see the module's rule for "May", "Mar", "Dec")."""
    word, year = m.group("month"), m.group("year")
    if word not in _FULL_NAMES and not (year or m.group("day")):
        return None  # "Mar", "Dec" alone: too often not a month
    if word == "May" and not (year or m.group("day") or _MONTH_CONTEXT.search(sentence[: m.start()])):
        return None  # "May" the verb
    month = _MONTH_NAMES[word.casefold()]
    if year:
        return int(year), month
    produced_year, produced_month = quarter.produced_month
    return (produced_year, month) if month <= produced_month else (produced_year - 1, month)


def check_text(text: str, place: Place, quarter: Quarter) -> list[Problem]:
    out: list[Problem] = []
    end = quarter.end
    for sentence in sentences(text):
        found = [(m, when) for m in _DATE.finditer(sentence) if (when := _month(m, sentence, quarter))]
        for m, when in found:
            full = m.group("month") in _FULL_NAMES
            as_at = _AS_AT.search(sentence[: m.start()])
            if when == quarter.previous().end and as_at:
                if _COMPARED.search(_clause_before(sentence, m.start())) or any(
                        w == end and _AS_AT.search(sentence[: o.start()]) for o, w in found):
                    continue  # last quarter's position given to compare this quarter's with
                shown = m.group(0).strip()
                shown = shown[:-1] if full and shown.endswith(".") else shown  # the sentence's full stop
                out.append(warning(
                    f"'{as_at.group(0)}{shown}' is the end of the previous data period: "
                    f"this update covers {quarter.long}",
                    place, "copied from last quarter's return? give the position at the end of "
                    f"{quarter.data_to}"))
                continue
            if when > end and _reported_as_past(sentence, m.start(), m.end()):
                out.append(
                    warning(
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
                calendar_quarter = quarter_of(cy, 3 * number - 2)  # the financial quarter of its first month
                readings = {(cy, number), (calendar_quarter.start_year, calendar_quarter.number)}
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
                warning(
                    f"'{m.group(0).strip()}' names another quarter in the {quarter.short} update",
                    place,
                    f"copied from another quarter's return? this update covers {quarter.long}",
                )
            )
    return out
