"""What a symbol character shows: a character Word keeps as a font and a code
(``w:sym``: Insert › Symbol in the Symbol or Wingdings font, a tick from a bullet
library), as the Unicode character a reader of the update sees.

Word keeps the font's own code, 20 to FF, moved into the private-use area
(F020–F0FF). The Symbol font's codes are Adobe's Symbol encoding; Wingdings' and
Wingdings 2's are given for the glyphs a return uses — bullets, squares and
diamonds, ticks and crosses, check boxes, arrows — as the common Unicode character
for what each shows. A code outside F000–F0FF is a Unicode character already.
Anything else cannot be said (``None``), and the reader reports it.
"""

from __future__ import annotations

import re

_HEX = re.compile(r"^[0-9A-Fa-f]{1,6}$")
_PRIVATE = range(0xF000, 0xF100)

# The Symbol font, codes 20 to FF, a row of 16 a line ("\x00": no character there).
# Adobe's Symbol encoding, with the Greek capitals Delta and Omega as letters (Adobe
# gives them as the increment and ohm signs) and the pieces Adobe keeps in its own
# private-use area (serif and sans-serif ®©™, brackets' and integrals' parts) as
# the Unicode characters since made for them.
_SYMBOL = (
    " !∀#∃%&∋()∗+,−./"  # 20
    "0123456789:;<=>?"  # 30
    "≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟ"  # 40
    "ΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_"  # 50
    "\x00αβχδεφγηιϕκλμνο"  # 60: 60 is the radical's extender, no character of its own
    "πθρστυϖωξψζ{|}∼\x00"  # 70
    + "\x00" * 32 +  # 80, 90: nothing
    "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓"  # A0
    "°±″≥×∝∂•÷≠≡≈…⏐⎯↵"  # B0
    "ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉"  # C0
    "∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓"  # D0
    "◊⟨®©™∑⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪"  # E0
    "\x00⟩∫⌠⎮⌡⎞⎟⎠⎤⎥⎦⎫⎬⎭\x00"  # F0
)
assert len(_SYMBOL) == 0xE0

_WINGDINGS = {
    0x21: "✏", 0x22: "✂", 0x23: "✁", 0x28: "☎", 0x29: "✆", 0x2A: "✉", 0x36: "⌛", 0x37: "⌨", 0x3E: "✇",
    0x3F: "✍", 0x41: "✌", 0x42: "👌", 0x43: "👍", 0x44: "👎", 0x45: "☜", 0x46: "☞", 0x47: "☝", 0x48: "☟",
    0x49: "✋", 0x4A: "☺", 0x4B: "😐", 0x4C: "☹", 0x4E: "☠", 0x4F: "⚐", 0x51: "✈", 0x52: "☼", 0x54: "❄",
    0x58: "✠", 0x59: "✡",
    # bullets, squares, diamonds
    0x6C: "●", 0x6D: "❍", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x72: "❒", 0x73: "⬧", 0x74: "⧫", 0x75: "◆",
    0x76: "❖", 0x77: "⬥", 0x78: "⌧", 0x7B: "❀", 0x7C: "✿", 0x7D: "❝", 0x7E: "❞",
    **{0x80 + n: chr(0x24EA if n == 0 else 0x245F + n) for n in range(11)},  # ⓪ ① … ⑩
    **{0x8B + n: chr(0x24FF if n == 0 else 0x2775 + n) for n in range(11)},  # ⓿ ❶ … ❿
    0x9E: "·", 0x9F: "•", 0xA0: "▪", 0xA1: "○", 0xA2: "⭕", 0xA4: "◉", 0xA5: "◎", 0xA7: "▪", 0xA8: "◻",
    0xAA: "✦", 0xAB: "★", 0xAC: "✶", 0xAD: "✴", 0xAE: "✹", 0xAF: "✵", 0xB5: "✪", 0xB6: "✰",
    # arrows: arrowheads, then wide-headed, heavy and white arrows by direction
    0xD5: "⌫", 0xD6: "⌦", 0xD8: "➢", 0xDC: "➲",
    0xDF: "←", 0xE0: "→", 0xE1: "↑", 0xE2: "↓", 0xE3: "↖", 0xE4: "↗", 0xE5: "↙", 0xE6: "↘",
    0xE7: "⬅", 0xE8: "➔", 0xE9: "⬆", 0xEA: "⬇", 0xEB: "⬉", 0xEC: "⬈", 0xED: "⬋", 0xEE: "⬊",
    0xEF: "⇦", 0xF0: "⇨", 0xF1: "⇧", 0xF2: "⇩", 0xF3: "⬄", 0xF4: "⇳", 0xF5: "⬀", 0xF6: "⬁", 0xF7: "⬃",
    0xF8: "⬂", 0xF9: "▭", 0xFA: "▫",
    # crosses, ticks, check boxes
    0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑",
}

_WINGDINGS_2 = {
    0x4F: "✗", 0x50: "✓", 0x51: "☒", 0x52: "☑", 0x53: "☒", 0x54: "☒", 0x55: "⊗",
    0x97: "•", 0x98: "●", 0x99: "○", 0x9E: "⦿", 0xA1: "◾", 0xA2: "■", 0xA3: "□",
}

_FONTS: dict[str, dict[int, str]] = {
    "symbol": {0x20 + i: ch for i, ch in enumerate(_SYMBOL) if ch != "\x00"},
    "wingdings": _WINGDINGS,
    "wingdings 2": _WINGDINGS_2,
}


def shown(font: str | None, code: str | None) -> str | None:
    """The character a symbol of `font` with the hexadecimal `code` ("F0B7") shows; None
    when it cannot be said (a font or a glyph not known here, a code that is no number)."""
    if not _HEX.match(code or ""):
        return None
    n = int(code or "", 16)
    if n not in _PRIVATE:
        return chr(n) if 0x20 <= n <= 0x10FFFF and not 0xD800 <= n <= 0xDFFF else None
    return _FONTS.get(" ".join((font or "").casefold().split()), {}).get(n - 0xF000)
