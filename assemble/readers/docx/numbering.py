"""Word's numbering (word/numbering.xml) → the number it shows before a numbered
paragraph ("1.", "2.1", "b)", "Priority 2 –"), counted in reading order as Word
counts: lists sharing a definition continue each other unless one restarts, and a
list may take its levels from a numbering style."""

from __future__ import annotations

import re

from .styles import Styles
from .wordml import Element, number, q, val

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    return chr(96 + (n - 1) % 26 + 1) * ((n - 1) // 26 + 1) if n > 0 else ""


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(min(n, 3999))
        return text.upper() if fmt == "upperRoman" else text
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(min(n, 780))
        return text.upper() if fmt == "upperLetter" else text
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class Numbering:
    """The numbers Word shows before numbered paragraphs, counted in reading order:
    lists sharing a definition continue each other unless one restarts."""

    def __init__(self, root: Element | None, styles: Styles):
        self.styles = styles
        self.abstract: dict[str, dict[int, tuple[int, str, str]]] = {}  # id -> level -> (start, format, text)
        self.links: dict[str, str] = {}  # abstract id -> the numbering style it takes its levels from
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, tuple[int, str, str]]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(q("w:abstractNum")):
            aid = abstract.get(q("w:abstractNumId"))
            if aid is None:
                continue
            self.abstract.setdefault(aid, self._levels(abstract))
            link = val(abstract, "w:numStyleLink")
            if link:
                self.links[aid] = link
        for num in root.iter(q("w:num")):
            nid, aid = num.get(q("w:numId")), val(num, "w:abstractNumId")
            if nid is None or aid is None:
                continue
            starts: dict[int, int] = {}
            levels: dict[int, tuple[int, str, str]] = {}
            for override in num.iter(q("w:lvlOverride")):
                ilvl = min(number(override.get(q("w:ilvl"))), 8)
                start = val(override, "w:startOverride")
                if start is not None:
                    starts[ilvl] = number(start, 1)
                levels.update(self._levels(override))
            self.nums.setdefault(nid, (aid, starts, levels))

    @staticmethod
    def _levels(parent: Element) -> dict[int, tuple[int, str, str]]:
        out = {}
        for lvl in parent.iter(q("w:lvl")):
            ilvl = min(number(lvl.get(q("w:ilvl"))), 8)
            out[ilvl] = (number(val(lvl, "w:start"), 1), val(lvl, "w:numFmt") or "decimal",
                         val(lvl, "w:lvlText") or "")
        return out

    def _definition(self, nid: str) -> tuple[str, dict[int, tuple[int, str, str]]] | None:
        found = self.nums.get(nid)
        if found is None:
            return None
        aid, _, overrides = found
        for _ in range(3):  # a list that takes its levels from a numbering style
            link = self.links.get(aid)
            numpr = self.styles.numbering(link) if link else None
            linked = self.nums.get(numpr[0]) if numpr and numpr[0] else None
            if linked is None or linked[0] == aid:
                break
            aid = linked[0]
        return aid, {**self.abstract.get(aid, {}), **overrides}

    def label(self, nid: str, ilvl: int) -> str:
        """What Word shows before the next paragraph of list `nid` at level `ilvl`."""
        found = self._definition(nid)
        if found is None:
            return ""
        aid, levels = found
        counters = self.counters.setdefault(aid, [0] * 9)
        if nid not in self.started:
            self.started.add(nid)
            for level, start in self.nums[nid][1].items():
                counters[level] = start - 1
        start = levels.get(ilvl, (1, "decimal", ""))[0]
        counters[ilvl] = max(counters[ilvl] + 1, start)
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        _, fmt, text = levels.get(ilvl, (1, "decimal", ""))
        if fmt == "bullet":
            return text.strip()

        def shown(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            first, level_fmt, _ = levels.get(level, (1, "decimal", ""))
            return _format(counters[level] or first, level_fmt)

        return re.sub(r"%([1-9])", shown, text).strip()
