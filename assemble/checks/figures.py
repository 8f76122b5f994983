"""Figures against their own words.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..assembly import Assembly
from ..errors import Place, Problem, warning
from .entries import entries


def check(assembly: Assembly) -> list[Problem]:
    """Figures that contradict the words around them, update by update."""
    return [p for e in entries(assembly.submissions) for p in check_text(e.update.text, e.place)]


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
        next_word = word.group().casefold() if word else ""
        out.append(_Figure(m.start(), m.end(), num, _value(num), bool(m.group("pct")), next_word))
    return out


def sentences(text: str) -> list[str]:
    """An update's sentences: a full stop, question or exclamation mark before a capital or figure."""
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


def check_text(text: str, place: Place) -> list[Problem]:
    """The figures of one update, sentence by sentence."""
    out: list[Problem] = []
    parts = sentences(text)
    for n, sentence in enumerate(parts):
        figures = _figures(sentence)
        previous = _figures(parts[n - 1]) if n else []
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
                warning(
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
                warning(
                    f"figures contradict the words: {now.text} compared to {m.group('was')} "
                    f"is called '{change.group('phrase')}'",
                    place,
                    f"{now.text} is {'more' if now_v > was_v else 'less'} than {m.group('was')}: "
                    "check the figures",
                )
            )
            continue
        if change.group("chg") and not percent:
            stated = _value(change.group("chg"))
            actual = abs(now_v - was_v)
            if abs(stated - actual) > 0.5:
                out.append(
                    warning(
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
                warning(
                    f"figures contradict each other: {word} of {how} is {actual}%, not {pct_text}%",
                    place,
                    f"check the figures, or give the percentage as {actual}%",
                )
            )
    return out
