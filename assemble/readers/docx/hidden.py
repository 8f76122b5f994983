"""Word's Hidden font effect (``w:vanish``) as Word applies it → whether a run is
hidden: the run's own setting, else its character style's (or a style that one is
based on), its paragraph style's, the document's default for runs. Hidden text is
not read as the paragraph's but kept aside, to be reported."""

from __future__ import annotations

from .wordml import RPR, Element, q, toggle, val


class Hiding:
    """Which runs the styles (word/styles.xml) hide, style by style."""

    def __init__(self, root: Element | None):
        self.vanish: dict[str, tuple[bool | None, str | None]] = {}  # any style -> its Hidden effect, its base
        self.default = False  # the document's default for runs
        self.paragraph_default: str | None = None  # the paragraph style of a paragraph that names none known
        self.paragraph_styles: set[str] = set()
        self._hides: dict[tuple[str | None, str | None], bool] = {}
        if root is None:
            return
        defaults = root.find(f"{q('w:docDefaults')}/{q('w:rPrDefault')}/{RPR}")
        self.default = bool(toggle(defaults, "w:vanish"))
        for style in root.iter(q("w:style")):
            sid = style.get(q("w:styleId"))
            if sid is None:
                continue
            self.vanish.setdefault(sid, (toggle(style.find(RPR), "w:vanish"), val(style, "w:basedOn")))
            if style.get(q("w:type"), "paragraph") != "paragraph":
                continue
            self.paragraph_styles.add(sid)
            if style.get(q("w:default")) in ("1", "true", "on") and self.paragraph_default is None:
                self.paragraph_default = sid

    def run(self, rpr: Element | None, para: str | None) -> bool:
        """Whether a run with these properties in a paragraph of style `para` is hidden."""
        own = toggle(rpr, "w:vanish")
        if own is not None:
            return own
        return self.hides(para, val(rpr, "w:rStyle"))

    def hides(self, para: str | None, char: str | None) -> bool:
        """Whether the styles hide a run of character style `char` in a paragraph of style
        `para`: the nearest that says decides — the character style (or one it is based
        on), the paragraph's style, then the document's default."""
        key = (para, char)
        if key not in self._hides:
            para = para if para in self.paragraph_styles else self.paragraph_default
            found = (self._vanish(char), self._vanish(para))
            self._hides[key] = next((v for v in found if v is not None), self.default)
        return self._hides[key]

    def _vanish(self, sid: str | None) -> bool | None:
        seen: set[str] = set()
        while sid is not None and sid in self.vanish and sid not in seen and len(seen) < 20:
            seen.add(sid)
            own, sid = self.vanish[sid][0], self.vanish[sid][1]
            if own is not None:
                return own
        return None
