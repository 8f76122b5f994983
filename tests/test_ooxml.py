"""What every Office writer here shares: reproducible packages and Word's bullet list."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import docx
from docx.oxml.ns import qn

from assemble.writers.ooxml import WORD_BULLETS, add_bullet_list, stable_zip

WHEN = datetime(2020, 10, 1, 9, 30, 15)


def package(order=("[Content_Types].xml", "word/document.xml"), method=zipfile.ZIP_STORED,
            when=(2024, 5, 6, 7, 8, 10), mode=0o644, system=3):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=when)
            info.external_attr = mode << 16
            info.create_system = system
            z.writestr(info, f"<{name}/>" * 50)
    return buf.getvalue()


def test_stable_zip_depends_only_on_the_contents_and_the_date():
    a = stable_zip(package(), WHEN)
    b = stable_zip(package(method=zipfile.ZIP_DEFLATED, when=(1999, 1, 1, 0, 0, 0), mode=0o755, system=0), WHEN)
    assert a == b  # whatever the host, permissions, times and compression it was made with
    assert stable_zip(a, WHEN) == a  # a fixed point
    assert stable_zip(package(), datetime(2020, 10, 2)) != a


def test_stable_zip_keeps_entries_in_order_dated_and_plain():
    data = stable_zip(package(order=("b.xml", "a.xml", "[Content_Types].xml")), WHEN)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == ["b.xml", "a.xml", "[Content_Types].xml"]
        for info in z.infolist():
            assert info.date_time == (2020, 10, 1, 9, 30, 14)  # zip times have two-second steps
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.create_system == 0
        assert z.read("a.xml") == b"<a.xml/>" * 50


def test_stable_zip_dates_before_1980_are_1980():
    with zipfile.ZipFile(io.BytesIO(stable_zip(package(), datetime(1970, 1, 1)))) as z:
        assert {i.date_time[0] for i in z.infolist()} == {1980}


def _levels(document, num_id):
    numbering = document.part.numbering_part.element
    [num] = [n for n in numbering.findall(qn("w:num")) if n.numId == num_id]
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    [abstract] = [a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id]
    return [(lvl.find(qn("w:numFmt")).get(qn("w:val")), lvl.find(qn("w:lvlText")).get(qn("w:val")),
             lvl.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:ascii")),
             int(lvl.find(qn("w:pPr")).find(qn("w:ind")).get(qn("w:left"))))
            for lvl in abstract.findall(qn("w:lvl"))]


def test_add_bullet_list_defines_word_bullets_a_level_each():
    document = docx.Document()
    num_id = add_bullet_list(document)
    assert _levels(document, num_id) == [
        ("bullet", char, font, 720 * (i + 1)) for i, (char, font) in enumerate(WORD_BULLETS)]


def test_add_bullet_list_twice_gives_two_lists_and_keeps_the_schema_order():
    document = docx.Document()
    first = add_bullet_list(document)
    second = add_bullet_list(document, (("•", "Arial"), ("o", "Courier New")))
    assert first != second
    assert [c for _, c, _, _ in _levels(document, second)] == ["•", "o"]
    numbering = document.part.numbering_part.element
    tags = [child.tag for child in numbering]
    assert max(i for i, t in enumerate(tags) if t == qn("w:abstractNum")) < tags.index(qn("w:num"))
    ids = numbering.xpath("./w:abstractNum/@w:abstractNumId")
    assert len(ids) == len(set(ids))
    nsids = numbering.xpath("./w:abstractNum/w:nsid/@w:val")
    assert len(nsids) == len(set(nsids))
    buf = io.BytesIO()
    document.save(buf)  # and Word's own reader takes it
    assert docx.Document(io.BytesIO(buf.getvalue())).part.numbering_part is not None
