"""Text as the pipeline compares and quotes it: comparison forms, short excerpts
and counted nouns for messages; and the text hygiene readers apply to what they read
(``clean_text``): the characters a document cannot hold removed, pasted spaces made
plain. Knows no plan, no format and no model."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from .errors import Place, Problem, warning

# A list marker typed at the start of a line: a bullet character, a dash, an "o", a
# number or a letter with a stop or bracket ("1.", "a)"), then a space and the text.
MARKER = re.compile(r"^(?P<indent>[ \t\u00a0]*)(?P<mark>[•\-–—o▪■◦●*·]|\d{1,2}[.)]|[a-z][.)])[ \t\u00a0]+(?=\S)")


@functools.lru_cache(maxsize=4096)  # the plan's names and commitments, over and over
def normalise(text: str) -> str:
    """Case-, accent-, punctuation- and space-blind form for comparisons."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split())


def first_words(text: str, n: int = 8) -> str:
    """The first n words, with an ellipsis when there are more: for messages."""
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def opening(text: str, n: int = 3) -> str:
    """A line's first n words, as a place names the line ("Saffron Waldon: Partnership…"),
    with an ellipsis when there are more; a dash standing alone is not counted as a word."""
    out: list[str] = []
    counted = 0
    for word in text.split():
        if counted == n:
            return " ".join(out) + "…"
        out.append(word)
        counted += any(ch.isalnum() for ch in word)
    return " ".join(out)


def excerpt(text: str, n: int = 48) -> str:
    """At most n characters of text, spacing made single, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def area_named(cells: Sequence[str]) -> str | None:
    """The area a return names for itself, as typed: an "Area: North LPA" line (or cell), or a
    cell "Area" with the area's name in the next. The one reading of it, whatever the format."""
    for i, cell in enumerate(cells):
        head, sep, rest = cell.partition(":")
        if head.strip().casefold() != "area":
            continue
        if sep and rest.strip():
            return rest.strip()
        if i + 1 < len(cells) and cells[i + 1].strip():
            return cells[i + 1].strip()
    return None


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 update', '93 updates'; `words` for an irregular plural."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c': names in a sentence."""
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)


# --- text hygiene -------------------------------------------------------------------------

# The characters a document cannot hold, one rule for every reader and writer: what XML 1.0
# forbids (C0 controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF) and what
# XML discourages and HTML forbids (DEL and the C1 controls; the noncharacters U+FDD0 to
# U+FDEF). They are removed; a reader warns, and makes a vertical tab or form feed (Excel's
# pasted line break) a space, so words stay apart.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_AS_SPACE = {"\x0b": " ", "\x0c": " "}
# Pasted from other systems, harmless but not wanted: removed or made plain, no warning.
_TIDY = str.maketrans({
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
    "\u2028": " ",  # line separator
    "\u2029": " ",  # paragraph separator
    "\x85": " ",  # next line (NEL)
    "\u200b": None,  # zero-width space
    "\ufeff": None,  # byte-order mark / zero-width no-break space
})


def without_forbidden(text: str) -> str:
    """Text with the characters a document cannot hold (``FORBIDDEN``) taken out."""
    return FORBIDDEN.sub("", text)


def clean_text(text: str) -> tuple[str, bool]:
    """Text as a reader keeps it: pasted spaces made plain, the characters a document cannot
    hold taken out (a vertical tab or form feed made a space); and whether any of those were."""
    cleaned, n = FORBIDDEN.subn(lambda m: _AS_SPACE.get(m.group(), ""), text.translate(_TIDY))
    return cleaned, n > 0


def removed_characters(place: Place) -> Problem:
    """The warning a reader gives where clean_text removed characters."""
    return warning("control characters that a document cannot hold were removed", place,
                   "check the text reads as intended")
