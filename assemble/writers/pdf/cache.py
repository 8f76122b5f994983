"""Turn earlier builds' layouts into less work for this one: what ``watch`` keeps in its
process from build to build (a ``LayoutCache``), and what one build takes from it and
gives back (``Reuse``).

A window whose commitments, page furniture and layout templates are unchanged is not
laid out again: its parts are taken as they were written. A window that must be laid
out again takes the pages of its unchanged commitments (those this process laid out
itself: pages laid out in a forked process never come back), so that only what changed
is laid out. The fonts and stylesheet are kept while the templates are unchanged, and
the sheets of page numbers too. Only the latest build's parts and pages are kept, and
pages only up to CACHED_PAGES.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ... import layouts

if TYPE_CHECKING:
    from ...model import Report
    from .engine import Loaded
    from .windows import Chunk, Laid, Part

CACHED_PAGES = 400  # laid-out pages a LayoutCache holds at most (their boxes: 0.25-0.5 MB a page, measured)

Windows = list[tuple[int, list["Chunk"]]]


class LayoutCache:
    """The parts of the body earlier builds of this process laid out (``watch`` keeps one),
    by what their windows hold, and the laid-out pages of each commitment this process laid
    out itself, by what it holds; the fonts and stylesheet, loaded, by the templates' digest;
    the sheets of page numbers, laid out."""

    def __init__(self) -> None:
        self._parts: dict[str, list[Part]] = {}
        self._pages: dict[str, Laid] = {}
        self.engine: tuple[str, Loaded] | None = None  # fonts and stylesheet, loaded, and the templates' digest
        self.sheets: dict[tuple[str, int, int], bytes] = {}  # page numbers, laid out

    def get(self, key: str) -> list[Part]:
        return self._parts.get(key, [])

    def pages(self, key: str) -> Laid | None:
        return self._pages.get(key)

    def keep(self, parts: dict[str, list[Part]], pages: dict[str, Laid]) -> None:
        self._parts = parts
        self._pages = pages if sum(len(laid.pages) for laid in pages.values()) <= CACHED_PAGES else {}


class Reuse:
    """One build's dealings with a LayoutCache (or with none: then nothing is taken or
    kept): the parts of the windows kept whole (``kept``), the windows still to lay out
    (``waiting``), and, once the body is laid out, what goes back (``keep``)."""

    def __init__(self, cache: LayoutCache | None, report: Report, windows: Windows):
        self._cache, self._windows = cache, windows
        self.digest = templates_digest() if cache is not None else ""  # what kept layouts are keyed by
        self._keys: dict[int, str] = {}
        self._chunk_keys: dict[str, str] = {}
        if cache is not None:
            self._keys = {index: window_key(report, window, self.digest) for index, window in windows}
            self._chunk_keys = {chunk.id: window_key(report, [chunk], self.digest)
                                for _, window in windows for chunk in window}
        self.kept: list[Part] = [part for key in self._keys.values() for part in self._get(key)]
        done = {part.count.window for part in self.kept}
        self.waiting = [window for window in windows if window[0] not in done]

    def loaded(self, warm: Loaded | None) -> Loaded:
        """The fonts and stylesheet: as kept, while the templates are unchanged; else `warm`
        (loaded ahead), else loaded now. Kept for the next build."""
        from .engine import load

        cache = self._cache
        if cache is not None and cache.engine is not None and cache.engine[0] == self.digest:
            loaded = cache.engine[1]
        else:
            loaded = warm if warm is not None else load()
        if cache is not None:
            cache.engine = (self.digest, loaded)
        return loaded

    def take_pages(self, keep: bool) -> None:
        """Each waiting window's unchanged commitments take their pages as they were laid
        out; with `keep`, each keeps its pages for the next build."""
        if self._cache is None:
            return
        for _, window in self.waiting:
            for chunk in window:
                chunk.reuse(self._cache.pages(self._chunk_keys[chunk.id]), keep=keep)

    def keep(self, parts: list[Part], heard: list[str]) -> None:
        """Keep this build's parts by window, and the pages of its commitments, for the next
        build: unless the engine said something (its warnings go with them)."""
        cache = self._cache
        if cache is None:
            return
        by_key: dict[str, list[Part]] = {}
        for part in parts:
            by_key.setdefault(self._keys[part.count.window], []).append(part)
        laid = {key: found for key in self._chunk_keys.values() if (found := cache.pages(key)) is not None}
        laid |= {self._chunk_keys[chunk.id]: found for _, window in self._windows for chunk in window
                 if (found := chunk.laid()) is not None}
        if heard:
            by_key, laid = {}, {}
        cache.keep(by_key, laid)

    def sheet(self, start: int, count: int) -> bytes | None:
        """A sheet of page numbers as an earlier build laid it out, if it is kept."""
        return self._cache.sheets.get((self.digest, start, count)) if self._cache is not None else None

    def keep_sheet(self, start: int, count: int, data: bytes) -> None:
        if self._cache is not None:
            self._cache.sheets[(self.digest, start, count)] = data

    def _get(self, key: str) -> list[Part]:
        return self._cache.get(key) if self._cache is not None else []


def window_key(report: Report, window: list[Chunk], templates: str) -> str:
    """What a window's pages show, and the templates that lay them out, as a digest: the
    page furniture (not the version or dates, which only the cover shows) and its chunks."""
    meta = replace(report.meta, version="", timestamp="", produced="", templates=())
    digest = hashlib.sha256(repr((meta, [(c.id, c.opens, c.priority.section.number, c.priority.section.heading,
                                          c.priority.section.lead_in, c.commitment) for c in window])).encode())
    digest.update(templates.encode())
    return digest.hexdigest()


def templates_digest() -> str:
    """The layout templates (``assemble.layouts``: stylesheets, fonts, watermarks …) as they
    are now: what a kept layout was made with (read again only when a file's size or time
    has changed)."""
    stats = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in layouts())
    return _digest_of(stats)


@cache
def _digest_of(stats: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _, _ in stats:
        digest.update(Path(name).name.encode() + b"\0" + Path(name).read_bytes())
    return digest.hexdigest()
