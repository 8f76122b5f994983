"""A document's paragraph styles (word/styles.xml) → for each style id, the name Word
shows, whether it makes a heading (and of which level) and the numbering it carries,
following the styles it is based on."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docx.styles import BabelFish

from .wordml import PPR, Element, numpr, outline, q, val

_HEADING_NAME = re.compile(r"^heading ([1-9])$", re.IGNORECASE)

# A style's name as Word shows it, the style it is based on, its outline level, its numbering.
_Style = tuple[str | None, str | None, int | None, tuple[str | None, int] | None]


class Styles:
    """Paragraph styles by id: name as Word shows it, the style it is based on, its
    outline level and the numbering it carries."""

    def __init__(self, root: Element | None):
        self.styles: dict[str, _Style] = {}
        self.default: str | None = None
        if root is None:
            return
        for style in root.iter(q("w:style")):
            sid = style.get(q("w:styleId"))
            if sid is None or style.get(q("w:type"), "paragraph") != "paragraph":
                continue
            name = val(style, "w:name")
            ppr = style.find(PPR)
            found = ppr.find(q("w:numPr")) if ppr is not None else None
            self.styles.setdefault(sid, (BabelFish.internal2ui(name) if name else None, val(style, "w:basedOn"),
                                         outline(ppr), numpr(found) if found is not None else None))
            if style.get(q("w:default")) in ("1", "true", "on") and self.default is None:
                self.default = sid

    def known(self, sid: str | None) -> str | None:
        """The style a paragraph of style `sid` has: the document's default for one it lacks."""
        return sid if sid in self.styles else self.default

    def _chain(self, sid: str | None) -> Iterator[_Style]:
        seen: set[str] = set()
        sid = self.known(sid)
        while sid is not None and sid in self.styles and sid not in seen and len(seen) < 20:
            seen.add(sid)
            yield self.styles[sid]
            sid = self.styles[sid][1]

    def name(self, sid: str | None) -> str | None:
        found = self.styles.get(sid) if sid is not None else None
        return found[0] if found else None

    def outline(self, sid: str | None) -> int | None:
        """0 for Heading 1 (or a style based on it, or one with outline level 1), None for body text."""
        for name, _, level, _ in self._chain(sid):
            if level is not None:
                return level
            if name and (m := _HEADING_NAME.match(name)):
                return int(m.group(1)) - 1
            if name and name.casefold() == "title":
                return 0
        return None

    def numbering(self, sid: str | None) -> tuple[str | None, int] | None:
        for _, _, _, found in self._chain(sid):
            if found is not None:
                return found
        return None
