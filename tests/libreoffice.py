"""LibreOffice, as the tests run it: headless, a profile of its own for each run
(so that runs never share one), converting a file into a folder. `make test`
installs it (tools/system-deps.sh --test); no test skips for want of it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def soffice() -> str:
    found = shutil.which("soffice")
    assert found, ("LibreOffice is missing: make test installs libreoffice-writer-nogui and libreoffice-calc-nogui "
                   "(tools/system-deps.sh --test)")
    return found


def convert(source: Path, outdir: Path, to: str = "pdf") -> Path:
    """`source` converted by LibreOffice into `outdir` ("pdf", 'docx:MS Word 2007 XML' or
    'xlsx:Calc MS Excel 2007 XML'); the new file."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="soffice-") as profile:
        subprocess.run(
            [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--convert-to", to, "--outdir", str(outdir), str(source)],
            check=True, capture_output=True, timeout=180,
        )
    made = outdir / f"{source.stem}.{to.split(':', maxsplit=1)[0]}"
    assert made.is_file(), f"LibreOffice wrote no {made.name}"
    return made


def priority_pages(pdf: Path, headings: list[str]) -> tuple[int, dict[str, int]]:
    """A converted PDF's page count and the page each heading first stands on (after page 2)."""
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    starts: dict[str, int] = {}
    for number, text in enumerate(pages, start=1):
        for heading in headings:
            if number > 2 and heading in " ".join(text.split()):
                starts.setdefault(heading, number)
    return len(pages), starts
