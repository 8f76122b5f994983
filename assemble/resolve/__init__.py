"""Read a Record against the quarter's plan: which area sent it, which priority and
commitment each line is under, which lines are updates and how they nest, and what
became of every line.

Format-blind: a Word return's paragraphs and an Excel return's rows come here as the same
kinds of blocks and leave as Submissions (``account``): paragraphs walked in reading order
(``walk``), tables read by row (``tables``), bullets typed in one line split first
(``typed``), the levelled lines nested into updates and district contributions
(``nesting``), a blank return's examples set aside (``placeholders``).

Nothing is lost in silence: every non-empty line (a paragraph, a cell) ends as an update
or its label, as structure (the area, a priority, a commitment, the title lines), or as
*not read*, with the Problem that says where and why (``ledger``); hidden text is not
read, and said once for the file. The comments and notes a contributor wrote beside the
text are warnings at their places, never printed. A record from which no update is read
is an error naming what it holds instead.
"""

from __future__ import annotations

from .account import account, resolve
from .ledger import Accounted, Entry, Fate
from .placeholders import PLACEHOLDER, is_placeholder, strip_placeholders

__all__ = ["PLACEHOLDER", "Accounted", "Entry", "Fate", "account", "is_placeholder", "resolve", "strip_placeholders"]
