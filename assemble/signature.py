"""The mark on what the unit itself writes beside a return's text — a Word comment,
an Excel note — in the files it sends out, so that when the file comes back its
own words are not reported as a contributor's.

The mark is the text's opening, ``MARK``: the text is what every editor keeps. An
author's name is no mark (LibreOffice blanks a note's author when it re-saves a
workbook); a comment's id, its paragraph ids and its date are renumbered by the
editors that re-save it. A contributor's reply is a comment of its own, without the
mark, and is reported.

Whatever writes such a comment or note writes ``sign(text)``; the readers pass over
what ``signed`` says is the unit's. This module imports nothing, so the readers and
any writer may use it without breaking the flow.
"""

from __future__ import annotations

MARK = "[PAU]"  # the Performance Analysis Unit's


def sign(text: str) -> str:
    """The text of a comment or note the unit writes into a file it sends out."""
    return f"{MARK} {text}"


def signed(text: str) -> bool:
    """Whether a comment's or note's text is the unit's own: it opens with the mark."""
    return text.lstrip().startswith(MARK)


def signed_note(text: str) -> bool:
    """Whether an Excel note's text is the unit's own: it opens with the mark, or opens with
    the "Name:" line Excel puts first in a note made in it, and the mark after that line."""
    head, _, rest = text.strip().partition("\n")
    return signed(text) or (head.rstrip().endswith(":") and signed(rest))


def initials(author: str) -> str:
    """The initials a Word comment by the unit carries ('Performance Analysis Unit' -> 'PAU'),
    at most the nine Word shows."""
    return "".join(word[0].upper() for word in author.split() if word[0].isalpha())[:9] or "U"
