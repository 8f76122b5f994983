"""Turn the text libraries the engine runs on and the fonts a PDF drew with into the
engine record (``model.EngineRecord``): what no lock can pin but the PDF's bytes depend on.

The lock pins WeasyPrint and every Python package; the system gives the rest. Pango lays
the text out, HarfBuzz shapes and subsets it, fontconfig finds the fonts; a font the
system gives (not bundled in templates/fonts: Droid Sans Fallback for Chinese, say, or
an Arial installed over Liberation Sans) draws what it draws. Each is recorded with its
version, from the libraries this process has loaded and from each font's own name table,
so that two machines that build different bytes can see why. It is kept in the manifest,
beside the version, and never counts as content: a new Pango makes no new version.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Sequence

from ...kept import EngineRecord
from .fonts import Drawn

# Each library's names, as WeasyPrint tries them (weasyprint.text.ffi), the sonames first:
# a name without a dot would be looked up with find_library, which runs ldconfig.
_PANGO = ("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll", "pango-1.0-0", "libpango-1.0-0",
          "pango-1.0")
_HARFBUZZ = ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll", "harfbuzz-0.0", "libharfbuzz-0",
             "harfbuzz")
_FONTCONFIG = ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll", "libfontconfig-1",
               "fontconfig-1", "fontconfig")


def engine(drawn: Drawn) -> EngineRecord:
    """The engine record of a PDF drawn with `drawn`, in this process (which laid it out)."""
    return EngineRecord(
        pango=_text(_PANGO, "pango_version_string"),
        harfbuzz=_text(_HARFBUZZ, "hb_version_string"),
        fontconfig=_dotted(_call(_FONTCONFIG, "FcGetVersion", ctypes.c_int)),
        fonts=dict(sorted(drawn.system.items())),
    )


def _text(names: Sequence[str], function: str) -> str:
    value = _call(names, function, ctypes.c_char_p)
    return value.decode("ascii", "replace") if isinstance(value, bytes) else ""


def _dotted(value: object) -> str:
    """fontconfig's version number (21401) as it writes it (2.14.1)."""
    if not isinstance(value, int) or value <= 0:
        return ""
    return f"{value // 10000}.{value // 100 % 100}.{value % 100}"


def _call(names: Sequence[str], function: str, returns: type) -> object:
    """What a library's version function returns, from the copy of the library this process
    has loaded (RTLD_NOLOAD: none other is loaded to ask); None when it has none."""
    mode = getattr(os, "RTLD_NOLOAD", 0)
    for name in names:
        try:
            found = getattr(ctypes.CDLL(name, mode=mode), function)
        except (OSError, AttributeError):
            continue
        found.restype, found.argtypes = returns, []
        value: object = found()
        return value
    return None
