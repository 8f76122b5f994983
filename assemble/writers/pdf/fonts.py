"""Turn the fonts a layout drew with into warnings and a record: the text each family
drew, the version of each font the system gave (not bundled in templates/fonts), a
loud warning when the body is not set in Liberation Sans (or Arial), and one naming
each update with characters no installed font has.

Text is set in Liberation Sans (Arial's metrics: the published pagination); what it
cannot draw, Pango draws in the next family of the stylesheet's list, a fallback font
`make` installs (FALLBACK_FONTS), or else in any installed font that has it. What no
font has, the engine draws as an empty box and logs; that becomes a warning naming the
update and the characters.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ... import TEMPLATES
from ...errors import Problem, warning
from ...model import Item, Report, SubHeading
from ...text import excerpt

ACCEPTED_FONTS = ("Arial", "Liberation Sans")  # the same metrics: the same pagination
FALLBACK_FONTS = ("Droid Sans Fallback",)  # fonts-droid-fallback: Chinese, Japanese, Korean
FONT_FILES = ("*.ttf", "*.otf", "*.ttc")
_NOTDEF = re.compile(r"\.notdef glyph rendered for Unicode string unsupported by fonts: .* \(U\+([0-9A-Fa-f]+)\)")


@dataclass
class Drawn:
    """What a layout drew with: each font family and the text drawn in it, and, of the
    fonts the system gave rather than templates/fonts, each family's own version string."""

    text: dict[str, str] = field(default_factory=dict)
    system: dict[str, str] = field(default_factory=dict)


def bundled() -> frozenset[bytes]:
    """The fonts in templates/fonts, each known by its 'head' table (whose checksum
    adjustment sums the whole file): a font whose table is not among them came from
    the system."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    found: set[bytes] = set()
    for path in sorted(path for pattern in FONT_FILES for path in (TEMPLATES / "fonts").glob(pattern)):
        try:
            data = io.BytesIO(path.read_bytes())
            fonts = TTCollection(data, lazy=True).fonts if path.suffix == ".ttc" else [TTFont(data, lazy=True)]
            found.update(font.reader["head"] for font in fonts)
        except (OSError, TTLibError, KeyError, struct.error):  # not a font the engine could have used
            continue
    return frozenset(found)


def drawn(document: Any, bundled: frozenset[bytes]) -> Drawn:
    """The fonts a written document drew with (WeasyPrint fills them in as it writes)."""
    out = Drawn()
    for font in document.fonts.values():
        out.text[font.family] = out.text.get(font.family, "") + "".join(font.to_unicode.values())
        if font.family not in out.system and _table(font.hb_face, b"head") not in bundled:
            out.system[font.family] = _version(_table(font.hb_face, b"name"))
    return out


def merged(each: Iterable[Drawn]) -> Drawn:
    out = Drawn()
    for one in each:
        for family, text in one.text.items():
            out.text[family] = out.text.get(family, "") + text
        out.system |= one.system
    return out


def _table(face: Any, tag: bytes) -> bytes:
    """A table of a font as the engine loaded it (b"" when it has none)."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(tag, -1))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return bytes(ffi.buffer(data, length[0])) if length[0] else b""
    finally:
        harfbuzz.hb_blob_destroy(blob)


def _version(name_table: bytes) -> str:
    """A font's own version string (its name table's entry 5), or "" when it has none."""
    from fontTools.ttLib.tables._n_a_m_e import table__n_a_m_e

    if not name_table:
        return ""
    names = table__n_a_m_e()
    try:
        names.decompile(name_table, None)
    except (struct.error, ValueError, IndexError, UnicodeDecodeError):  # a name table its maker got wrong
        return "unreadable"
    return " ".join((names.getDebugName(5) or "").split())


def body_font(drawn: Drawn) -> list[Problem]:
    """A loud warning when ordinary text (Latin letters, digits) is set in a font other than
    Arial or Liberation Sans: its pagination, and so the contents ranges, would differ."""
    wrong = sorted(family for family, text in drawn.text.items()
                   if family not in ACCEPTED_FONTS and any(c.isascii() and c.isalnum() for c in text))
    if not wrong and any(family in ACCEPTED_FONTS for family in drawn.text):
        return []
    found = ", ".join(wrong) or "no font at all"
    return [warning(
        f"the PDF body is set in {found}, not Arial or Liberation Sans: its pagination, and so the "
        "contents page ranges, will differ from the published layout",
        hint=f"restore the bundled fonts in {TEMPLATES / 'fonts'} (or install fonts-liberation2) and build again")]


def engine_problems(report: Report, messages: Sequence[str], drawn: Drawn) -> list[Problem]:
    """What the engine said, as warnings (each once): characters it drew as empty boxes
    named with their updates, anything else as it said it; then the body font's warning."""
    missing: set[str] = set()
    problems = []
    for message in dict.fromkeys(messages):
        notdef = _NOTDEF.search(message)
        if notdef:
            missing.add(chr(int(notdef[1], 16)))
        else:
            problems.append(warning(f"the PDF engine reported: {message}"))
    return problems + unshown(report, missing) + body_font(drawn)


def unshown(report: Report, missing: set[str]) -> list[Problem]:
    """A warning for each update (or line of the plan) with characters no installed font has."""
    if not missing:
        return []
    out = []
    for where, text in _texts(report):
        chars = sorted(set(text) & missing)
        if chars:
            named = ", ".join(f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in chars)
            out.append(warning(
                f"{where}: the PDF shows {len(chars)} character{'s' * (len(chars) != 1)} of '{excerpt(text, 40)}' as "
                f"empty boxes, as no installed font has {'them' if len(chars) != 1 else 'it'}: {named}",
                hint="the Word file and the HTML edition keep them; install a font that has them (a Noto family) "
                     "and build again, or write them another way"))
    return out


def _texts(report: Report) -> Iterator[tuple[str, str]]:
    """Every text the PDF shows, with where it comes from."""
    meta = report.meta
    yield "the plan's title", f"{meta.plan_title} {meta.document} {meta.unit} {meta.organisation} {meta.marking}"
    for p in report.priorities:
        yield f"priority {p.number}'s heading", f"{p.heading} {p.lead_in}"
        for c in p.commitments:
            yield f"commitment {c.id}'s text", c.text
            for block in c.blocks:
                if isinstance(block, SubHeading):
                    yield f"commitment {c.id}, a sub-heading", block.text
                else:
                    yield from _item_texts(block, f"commitment {c.id}" + (f" ({block.area})" if block.area else ""))


def _item_texts(item: Item, where: str) -> Iterator[tuple[str, str]]:
    yield f"{where}, an update", f"{item.label or ''} {item.text}"
    for child in item.children:
        yield from _item_texts(child, where)
