"""Turn a URL the layout engine asks for into a file under templates/, or a refusal.

WeasyPrint may load nothing but files under ``templates/`` (the stylesheet, the fonts,
the draft watermark); anything else stops the layout: ``Refused`` is fatal, so the
engine cannot turn it into a warning and go on. Submission text is data and never
reaches a URL, so a refusal means a template asked for something it must not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher

from ... import TEMPLATES

OUTSIDE = "the layout templates may use only files under templates/"  # the hint of the refusal's TemplateError


class Refused(FatalURLFetchingError):
    """A resource outside templates/: fatal, so WeasyPrint cannot turn it into a warning."""


class TemplatesOnly(URLFetcher):
    """A WeasyPrint URL fetcher for files under templates/; anything else is refused."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",))

    def fetch(self, url: str, headers: Any = None) -> Any:
        path = templates_path(url)
        if path is None:
            raise Refused(f"refused to load {url}: only files under {TEMPLATES} may be used")
        # A missing file under templates/ is an ordinary error: WeasyPrint warns
        # and goes on (a missing font then shows in the body font's warning).
        return super().fetch(path.as_uri(), headers)


def templates_path(url: str) -> Path | None:
    """The path under templates/ that url names, or None when it names anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    return path if TEMPLATES.resolve() in path.parents else None
