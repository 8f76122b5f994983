"""Footnotes and endnotes (word/footnotes.xml, word/endnotes.xml) → each note's text
by the key its references carry ('foo:2', 'end:1'), with its hidden text and the
symbols it holds that cannot be said; read as notes of the paragraph that refers
to them. Separators, which Word keeps as notes too, have no text."""

from __future__ import annotations

from .hidden import Hiding
from .inline import Inline, Note
from .wordml import PPR, Element, P, q, val


def notes(hiding: Hiding, *parts: Element | None) -> dict[str, Note]:
    """'foo:2' / 'end:1' -> that footnote or endnote (separators have no text)."""
    out: dict[str, Note] = {}
    for root in parts:
        if root is None:
            continue
        for note in root:
            if not isinstance(note.tag, str) or note.get(q("w:type")) not in (None, "normal"):
                continue
            kind = note.tag.rpartition("}")[2][:3]  # "foo" or "end", as the references' tags start
            found = _note(note, hiding)
            if found.text or found.hidden or found.missing:
                out[f"{kind}:{note.get(q('w:id'))}"] = found
    return out


def _note(note: Element, hiding: Hiding) -> Note:
    texts: list[str] = []
    hidden: list[str] = []
    missing: list[tuple[str, str]] = []
    for p in note.iter(P):
        inline = Inline({}, hiding, val(p.find(PPR), "w:pStyle"))
        inline.runs(p)
        texts.append(" ".join(inline.text.split()))
        hidden += inline.hidden
        missing += inline.missing
    return Note(" ".join(t for t in texts if t), tuple(hidden), tuple(missing))
