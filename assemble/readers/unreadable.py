"""What a library raises on a malformed file that passed ``safety.check`` → Unreadable,
in our words, at the call that raised it; and Unreadable → the InputError naming the
file and, where known, the part (``refusal``): never the exception's own text or a path.

As httpx maps its transport's exceptions (``map_httpcore_exceptions``), each place a
reader calls a library wraps that call alone in ``mapped``, with a table of the
library's exception types and what each means in words. The reader's own handling
of what the library returns is never wrapped: an AttributeError, TypeError, KeyError
or IndexError raised there is a bug in assemble, and reaches the user as one
(``readers.read``), never as a damaged file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from ..errors import InputError
from ..safety.refusals import Kind, refuse

# A library's exception type -> what it means, in words (or how to tell, from the exception).
Table = Mapping[type[Exception], str | Callable[[Exception], str]]


class Unreadable(Exception):
    """A file that passed the check but that a library cannot read: why, in words, and
    where when known (a part, a line of it)."""

    def __init__(self, why: str, part: str = "", line: int | None = None):
        super().__init__(f"{part}: {why}" if part else why)
        self.why, self.part, self.line = why, part, line


@contextlib.contextmanager
def mapped(table: Table, part: str = "") -> Iterator[None]:
    """Within the block (one call of a library), an exception of a type in `table` becomes
    Unreadable, in the table's words, naming `part` when given; any other passes untouched."""
    try:
        yield
    except Exception as exc:
        for kind, words in table.items():
            if isinstance(exc, kind):
                line = getattr(exc, "lineno", None) if part else None
                raise Unreadable(words if isinstance(words, str) else words(exc), part,
                                 line if isinstance(line, int) and line > 0 else None) from exc
        raise


def refusal(path: Path, exc: Unreadable, strict: bool) -> InputError:
    """The refusal of a file that passed the check but cannot be read (`strict`: it is
    saved as Strict Open XML, which an application can save again as an ordinary file)."""
    kind = Kind(path.suffix)
    where = f"part '{exc.part[:80]}'" + (f", line {exc.line}" if exc.line else "") if exc.part else ""
    if strict:
        return refuse(path, f"is saved as Strict Open XML and cannot be read ({exc.why})",
                      f"open it in {kind.app} and save it as an ordinary {kind.thing} "
                      f"({'Excel Workbook' if kind.excel else 'Word Document'}, {kind.suffix})", where)
    return refuse(path, f"cannot be read: its contents are damaged or not laid out as {kind.app} saves them "
                  f"({exc.why})", f"{kind.save_as} again; if that does not help, report it with the file", where)
