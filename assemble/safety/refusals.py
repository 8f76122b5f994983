"""A refused file, told in words: what its extension promised (which application,
which main part), and the refusals every check gives — naming the file and, where
known, the part — never an exception's own text or a path."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Place, error
from ..intake import EXCEL
from .limits import MB


class Kind:
    """What a file's extension promises: which application, which main part."""

    def __init__(self, suffix: str):
        self.suffix = suffix.lower() or "(no extension)"
        self.excel = self.suffix in EXCEL
        self.app = "Excel" if self.excel else "Word"
        self.thing = "Excel workbook" if self.excel else "Word document"
        self.a_thing = ("an " if self.excel else "a ") + self.thing
        self.an_app = ("an " if self.excel else "a ") + self.app
        self.main_part = "xl/workbook.xml" if self.excel else "word/document.xml"
        self.main_types = (
            (b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
            if self.excel
            else (b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
        )

    @property
    def save_as(self) -> str:
        return f"open it in {self.app} and save it as {self.suffix}"


def refuse(path: Path, message: str, hint: str = "", where: str = "") -> InputError:
    return InputError([error(message, Place(path.name, where), hint)])


def damaged(path: Path, kind: Kind, detail: str, where: str = "") -> InputError:
    """`detail` is in our words (what is wrong), never an exception's text."""
    return refuse(path, f"is damaged: the file is incomplete or corrupt ({detail})",
                  f"it may have been cut short when copied or emailed: send it again, or {kind.save_as}", where)


def bomb(path: Path, detail: str, where: str = "") -> InputError:
    return refuse(path, f"refused as a possible decompression bomb: {detail}",
                  "Word and Excel never write files like this: ask for the file to be saved again", where)


def as_size(n: int) -> str:
    """A size as a message gives it: "100.4 MB", "12 KB"."""
    if n >= MB:  # "100.4 MB" rather than a rounded "100 MB" beside a 100 MB limit
        return f"{n / MB:,.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(n / 1000)):,} KB"
