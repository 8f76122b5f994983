"""The sample's Word document as normalised XML parts, for the golden comparison
(tests/writers/test_docx.py) and for `make accept-golden`, which writes them.

Each part is parsed, the whitespace between elements dropped, every element's
attributes sorted by name and the whole indented two spaces an element, so a
change shows as a readable diff. Text inside elements is kept as it is."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from assemble.versions import native
from assemble.writers.docx import render_docx

from .meta import META, SAMPLE_PAGINATION
from .quarters import GOLDEN as NATIVE

FOLDER = NATIVE.parent / "docx"
PARTS = ("word/document.xml", "word/numbering.xml", "word/styles.xml")


def normalised(xml: bytes) -> str:
    """One part as pretty-printed XML with its attributes in order."""
    root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=False, resolve_entities=False))
    for el in root.iter():
        if len(el):  # element content: whitespace between children means nothing
            if el.text is not None and not el.text.strip():
                el.text = None
            for child in el:
                if child.tail is not None and not child.tail.strip():
                    child.tail = None
        items = sorted(el.attrib.items())
        el.attrib.clear()
        for key, value in items:
            el.set(key, value)
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode") + "\n"


def sample_parts() -> dict[str, str]:
    """Golden file name -> the part of the sample's Word document rendered now."""
    report = native.load(NATIVE.read_text(encoding="utf-8"), META)
    data = render_docx(report, SAMPLE_PAGINATION)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {Path(part).name: normalised(z.read(part)) for part in PARTS}
