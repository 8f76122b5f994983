"""Text as the pipeline compares and quotes it: comparison forms, short excerpts
and counted nouns for messages. Knows no plan, no format and no model."""

from __future__ import annotations

import functools
import re
import unicodedata

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


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 update', '93 updates'; `words` for an irregular plural."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c': names in a sentence."""
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)
