"""Issue 7: hostile and broken input gives clear errors; nothing is lost, nothing executed.

Every file here is made by tests/hostile.py. Refused files must be refused with a
message naming the file; valid but odd-looking text must come through exactly.

Where a case bounds the work a file makes, it counts that work (``tests/work.py``:
parts opened, bytes inflated, rows visited, pictures decoded) or the memory it takes,
never the time: a guard against work that runs away (a bomb inflated, a part read
over and over), which whatever else the machine runs cannot fail. Speed itself is
measured by ``make bench``.
"""

from __future__ import annotations

import hashlib
import io
import re
import resource
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from assemble import readers
from assemble.cli import main
from assemble.errors import InputError
from assemble.readers import docx as docx_reader
from assemble.readers import xlsx as xlsx_reader
from assemble.readers.unreadable import Unreadable
from assemble.resolve import resolve
from assemble.safety import limits, xml_heads

from . import hostile as h
from .builders import read
from .builders import update_texts as updates
from .present import there
from .work import counted, unpacked


def refusal(path: Path, plan) -> str:
    with pytest.raises(InputError) as err:
        readers.read(path)
    problems = err.value.problems
    assert problems and all(p.severity == "error" and there(p.place).file == path.name for p in problems)
    return str(err.value)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# --- refused, each with its message ---------------------------------------------------------

REFUSED = [
    ("empty.docx", h.empty, "is empty (0 bytes)"),
    ("cut short.docx", h.truncated, "is damaged: the file is incomplete or corrupt"),
    ("corrupt.docx", h.corrupt, "is damaged"),
    ("old format.docx", h.renamed_doc, "an old Word 97-2003 file (or password-protected: remove the password) "
                                       "renamed to .docx"),
    ("locked.docx", h.password_protected, "is password-protected"),
    ("scan.docx", h.renamed_pdf, "is a PDF renamed to .docx"),
    ("photo.docx", h.renamed_png, "is an image (PNG) renamed to .docx"),
    ("photo.xlsx", h.renamed_jpeg, "is an image (JPEG) renamed to .xlsx"),
    ("workbook.docx", h.excel_as_word, "is an Excel workbook renamed to .docx"),
    ("archive.docx", h.other_zip, "is a .docx that is something else inside"),
    ("no header.xlsx", h.no_header, "header row naming Priority and Update"),
    ("gigabyte.docx", h.gigabyte_bomb, "decompression bomb: it unpacks to more than 200 MB, the limit"),
    ("lying sizes.docx", h.lying_bomb, "is damaged"),
    ("zeros.docx", h.ratio_bomb, "decompression bomb: it unpacks from"),
    ("many parts.docx", h.many_parts, "decompression bomb: it holds 2,517 parts; the limit is 2,000"),
    ("claimed parts.docx", h.claimed_parts, "decompression bomb: it holds 60,000 parts; the limit is 2,000"),
    ("external entity.docx", lambda p: h.word_xxe(p, p.with_name("secret.txt")), "document type declaration"),
    ("laughs.docx", h.word_laughs, "document type declaration"),
    ("laughs utf16.docx", h.word_doctype_utf16, "document type declaration"),
    ("external entity.xlsx", lambda p: h.excel_xxe(p, p.with_name("secret.txt")), "document type declaration"),
    ("laughs.xlsx", h.excel_laughs, "document type declaration"),
    ("too big.docx", h.oversized, "is 101 MB; the limit is 100 MB"),
    ("stray cell.xlsx", h.stray_cell,
     "reaches cell XFD1048576: 17,179,869,184 cells to read; the limit is 1,000,000"),
    ("merged.xlsx", h.merge_bomb, "merged cells and links cover 17,179,836,416 cells; the limit is 1,000,000"),
    ("linked cells.xlsx", h.link_bomb,
     "merged cells and links cover 17,179,836,416 cells; the limit is 1,000,000"),
    ("far row.xlsx", h.row_past_excel, "has a sheet with a row 4,294,967,296, past the last Excel has"),
]


@pytest.mark.parametrize("name, build, expected", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_a_message_naming_the_file(tmp_path, plan, name, build, expected):
    message = refusal(build(tmp_path / name), plan)
    assert expected in message
    assert message.startswith(f"error: {name}")


def test_xml_attacks_name_the_part(tmp_path, plan):
    assert "part 'word/document.xml'" in refusal(h.word_laughs(tmp_path / "a.docx"), plan)
    assert "part 'xl/sharedStrings.xml'" in refusal(h.excel_laughs(tmp_path / "a.xlsx"), plan)


def test_the_ratio_limit_is_named(tmp_path, plan):
    message = refusal(h.ratio_bomb(tmp_path / "zeros.docx"), plan)
    assert "part 'word/media/image1.png'" in message and "the limit is 500:1" in message


BOMBS = [h.gigabyte_bomb, h.lying_bomb, h.ratio_bomb, h.many_parts, h.claimed_parts, h.stray_cell, h.merge_bomb,
         h.link_bomb, h.row_past_excel]


@pytest.mark.parametrize("build", BOMBS, ids=[b.__name__ for b in BOMBS])
def test_bombs_are_refused_before_any_library_works_in_bounded_memory(tmp_path, plan, build, monkeypatch):
    """Refused by the check: under a megabyte inflated (the bombs unpack to up to a gigabyte),
    no row of a sheet read."""
    excel_bombs = (h.stray_cell, h.merge_bomb, h.link_bomb, h.row_past_excel)
    path = build(tmp_path / ("bomb.xlsx" if build in excel_bombs else "bomb.docx"))
    tracemalloc.start()
    try:
        with counted(monkeypatch) as work, pytest.raises(InputError):
            read(path, plan)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert work.inflated < 1_000_000  # a gigabyte never inflates
    assert work.rows == 0 and work.pictures == 0
    assert peak < 16 * 1024 * 1024


def test_a_picture_bomb_is_never_decoded(tmp_path, plan, monkeypatch):
    """A picture declaring 100,000 x 100,000 pixels: the reader never opens pictures,
    so the workbook's update is read, in bounded memory."""
    path = h.picture_bomb(tmp_path / "FCR.xlsx")
    tracemalloc.start()
    try:
        with counted(monkeypatch) as work:
            subs, problems = read(path, plan)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problems == [] and updates(subs) == [h.GOOD_TEXT]
    assert work.pictures == 0 and peak < 16 * 1024 * 1024


def test_the_gigabyte_bomb_is_real(tmp_path):
    """The bomb the tests refuse does inflate to a gigabyte (checked on 64 MiB of it)."""
    member = h.zeros("z", 64)
    path = h.write_members(tmp_path / "z.zip", [member])
    assert len(path.read_bytes()) < 100_000
    with zipfile.ZipFile(path) as zf, zf.open("z") as f:
        total = 0
        while chunk := f.read(1 << 22):
            assert not chunk.strip(b"\x00")
            total += len(chunk)
    assert total == 64 << 20  # and the CRC matched, or zipfile would have raised
    assert len(h.gigabyte_bomb(tmp_path / "g.docx").read_bytes()) < 2_000_000


def test_xml_attacks_are_harmless_even_past_the_check(tmp_path, plan, monkeypatch):
    """Second line of defence: with check_package skipped, the libraries neither read
    the named file nor expand the entities; what they raise is a reported error. The
    memory the process has ever taken (a count the kernel keeps) grows by no expansion."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    highest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    # the readers as READERS holds them: the libraries alone, no check_package
    subs, _ = resolve(docx_reader.read(h.word_xxe(tmp_path / "x.docx", secret)), plan)
    assert not any("TOPSECRET" in t for t in updates(subs))
    for path, reader in [(h.word_laughs(tmp_path / "l.docx"), docx_reader.read),
                         (h.excel_laughs(tmp_path / "l.xlsx"), xlsx_reader.read),
                         (h.excel_xxe(tmp_path / "x.xlsx", secret), xlsx_reader.read)]:
        with counted(monkeypatch) as work:
            try:
                subs, _ = resolve(reader(path), plan)
                assert not any("TOPSECRET" in t or "lollollol" in t for t in updates(subs))
            except Unreadable:
                pass  # what readers.read reports as an InputError
        assert work.inflated <= 2 * unpacked(path)[1]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - highest < 256 * 1024  # a billion laughs: 3 GB


# --- a quarter folder with all of them ------------------------------------------------------------

GOOD_WORD = "West LPA – réunion ☕ 🚓 Q2.docx"
GOOD_EXCEL = "FCR été 🚓 Q2.xlsx"
ODD = "a\u00a0b\u200bc\ufeffd\u2028e\u2029f g\u202fh"  # as pasted
ODD_READ = "a bcd e f g h"  # no-break spaces and separators plain, zero-width gone


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A quarter built once from good files whose text looks like markup."""
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "2020-21-Q2"
    folder.mkdir()
    h.word_updates(folder / GOOD_WORD, [*h.MARKUP, ODD])
    h.excel_strings(folder / GOOD_EXCEL, [*h.MARKUP, ODD])
    outputs = root / "outputs"
    code, out, err = run("build", str(folder), "--outputs", str(outputs))
    assert code == 0, out + err
    return folder, outputs / "2020-21-Q2", out


def flat(text: str) -> str:
    return " ".join(text.split())


def test_markup_and_odd_characters_print_exactly_in_both_outputs(built):
    _, out_dir, _ = built
    [docx_path] = out_dir.glob("quarterly-update-*-v1.0.docx")
    [pdf_path] = out_dir.glob("quarterly-update-*-v1.0.pdf")
    document = docx.Document(str(docx_path))
    word_text = "\n".join(p.text for p in document.paragraphs)
    word_text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    pdf_text = flat(" ".join(page.extract_text() for page in PdfReader(pdf_path).pages))
    for text in [*h.MARKUP, ODD_READ]:
        assert word_text.count(text) == 2, text  # once from each file
        assert pdf_text.count(flat(text)) == 2, text


def test_refused_files_beside_good_ones(built, tmp_path_factory):
    """Every bad file named, exit 1, no traceback, no new version, the earlier one untouched."""
    folder, out_dir, _ = built
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
              for p in out_dir.iterdir() if p.name.startswith("quarterly-update") or p.name == "manifest.json"}
    assert any(n.endswith(".pdf") for n in before)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    names = []
    for name, build, _ in REFUSED:
        build(folder / name)
        names.append(name)
    (folder / "linked.docx").symlink_to(h.good_word(elsewhere / "West LPA.docx"))
    names.append("linked.docx")
    try:
        for command in ("check", "build"):
            argv = [command, str(folder)] + (["--outputs", str(out_dir.parent)] if command == "build" else [])
            code, out, err = run(*argv)
            assert code == 1, out + err
            both = out + err
            assert "Traceback" not in both and "unexpected" not in both and "bug in assemble" not in both
            for name in names:
                assert f"error: {name}: " in err, name
            assert f"{GOOD_WORD}" in out and f"{GOOD_EXCEL}" in out  # the file table
        after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in out_dir.iterdir() if p.name.startswith("quarterly-update") or p.name == "manifest.json"}
        assert after == before
    finally:
        for name in names:
            (folder / name).unlink()


def test_symbolic_link_refused(tmp_path, plan):
    folder = tmp_path / "2020-21-Q2"
    folder.mkdir()
    h.good_word(folder / "West LPA Q2.docx")
    (folder / "North LPA Q2.docx").symlink_to(h.good_word(tmp_path / "North LPA.docx"))
    code, _out, err = run("check", str(folder))
    assert code == 1
    assert "error: North LPA Q2.docx: is a symbolic link; links are not followed" in err


# --- valid, however odd ------------------------------------------------------------------------------


def test_macro_enabled_files_read_and_nothing_runs(tmp_path, plan):
    proof = tmp_path / "macro-ran"
    for path in (h.docm(tmp_path / "West LPA Q2.docm", proof), h.xlsm(tmp_path / "FCR Q2.xlsm", proof)):
        with zipfile.ZipFile(path) as zf:
            assert any(n.endswith("vbaProject.bin") for n in zf.namelist())
        subs, problems = read(path, plan)
        assert problems == []
        assert updates(subs) == [h.GOOD_TEXT]
    assert not proof.exists()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_markup_looking_text_reads_exactly(tmp_path, plan, kind):
    if kind == "docx":
        path = h.word_updates(tmp_path / "West LPA.docx", h.MARKUP)
    else:
        path = h.excel_strings(tmp_path / "FCR.xlsx", h.MARKUP)
    subs, problems = read(path, plan)
    assert problems == []
    assert updates(subs) == h.MARKUP


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_pasted_characters(tmp_path, plan, kind):
    texts = [ODD, "\ufeffStarts with a byte-order mark", "bell\x7f and\x9f C1 controls \x92removed"]
    expected = [ODD_READ, "Starts with a byte-order mark", "bell and C1 controls removed"]
    if kind == "docx":
        path = h.word_updates(tmp_path / "West LPA.docx", texts)
    else:
        path = h.excel_strings(tmp_path / "FCR.xlsx", texts)
    subs, problems = read(path, plan)
    assert updates(subs) == expected
    assert [p.severity for p in problems] == ["warning"]
    assert "control characters" in problems[0].message
    assert problems[0].place.where.startswith("paragraph 5" if kind == "docx" else "sheet 'Updates', row 4")


@pytest.mark.parametrize("name", ["West LPA – réunion ☕ 🚓 Q2.docx", "Force Control Room été 🚓.xlsx",
                                  "  South LPA  (final) ✅.docx"])
def test_file_names_with_spaces_accents_emoji(tmp_path, plan, name):
    path = tmp_path / name
    h.good_word(path) if name.endswith(".docx") else h.good_excel(path)
    subs, problems = read(path, plan)
    assert problems == [] and subs[0].area and updates(subs) == [h.GOOD_TEXT]


def test_a_100000_character_update(tmp_path, plan, monkeypatch):
    """Read whole, and with each part read at most twice (the check, the reader)."""
    path, text = h.long_update(tmp_path / "West LPA.docx")
    assert len(text) == 100_000
    with counted(monkeypatch) as work:
        subs, problems = read(path, plan)
    assert problems == [] and updates(subs) == [text]
    parts, size = unpacked(path)
    assert work.opened <= 2 * parts and work.inflated <= 2 * size


def test_a_10000_row_sheet(tmp_path, plan, monkeypatch):
    """Every row read once: the header found in the first, then the 10,000 below it; the
    sheet inflated by the check, by openpyxl and for its merged cells, no more."""
    path = h.many_rows(tmp_path / "FCR.xlsx")
    with counted(monkeypatch) as work:
        subs, problems = read(path, plan)
    assert problems == [] and subs[0].count() == 10_000
    assert updates(subs)[-1] == "Update number 10000 from the sheet"
    assert work.rows == 1 + 10_000
    assert work.inflated <= 4 * unpacked(path)[1]


def test_a_50_megabyte_file_is_read(tmp_path, plan):
    path = h.fifty_megabytes(tmp_path / "West LPA.docx")
    assert path.stat().st_size > 50_000_000
    subs, problems = read(path, plan)
    assert problems == [] and updates(subs) == [h.GOOD_TEXT]


# --- the pieces ----------------------------------------------------------------------------------------


HEADS = [
    (b'<?xml version="1.0"?><!-- c --><!DOCTYPE a []><a/>', "document type declaration"),
    (b"<!-- a comment -->\n<?pi x?>\n<!ENTITY x 'y'><a/>", "markup declaration"),
    (b'<?xml version="1.0" encoding="UTF-7"?><a/>', "encoding 'UTF-7'"),
    (b'<?xml version="1.0" encoding="UTF-16"?><a/>', "encoding 'UTF-16'"),  # claims wide, is not
    (b"\x4c\x6f\xa7\x94\x93\x40", "EBCDIC"),
    (b"<!--" + b"x" * xml_heads.HEAD_BYTES, "more than 64 KB"),
    ('<?xml version="1.0" encoding="utf-16"?><!DOCTYPE a><a/>'.encode("utf-16-be"), "document type"),
    # U+2D2D then '>' in UTF-16: the bytes of "-->", but not the end of the comment
    ("<!--\u2d2d><a/>--><!DOCTYPE a><a/>".encode("utf-16-le"), "document type"),
]


@pytest.mark.parametrize("head, expected", HEADS)
def test_unsafe_xml_heads(head, expected):
    problem = xml_heads.xml_head_problem(head, complete=len(head) < xml_heads.HEAD_BYTES)
    assert problem and expected in problem


@pytest.mark.parametrize("head", [
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document xmlns:w="x"/>',
    b"\xef\xbb\xbf<a>&lt;!DOCTYPE is text here&gt;</a>",
    b"<a><![CDATA[<!DOCTYPE x>]]></a>",
    b"\xff\xd8\xff\xe0 not xml",
    b"",
    '<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"),
])
def test_safe_xml_heads(head):
    assert xml_heads.xml_head_problem(head, complete=True) is None


def test_a_picture_with_a_doctype_is_no_reason_to_refuse(tmp_path, plan):
    """SVG pictures from drawing programs often carry one; nothing parses them."""
    path = tmp_path / "West LPA.docx"
    contents = h.parts(h.good_word(path))
    contents["word/media/image1.svg"] = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" ' \
                                        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>'
    h.write_parts(path, contents)
    subs, problems = read(path, plan)
    assert problems == [] and updates(subs) == [h.GOOD_TEXT]


def test_library_errors_become_input_errors(tmp_path, plan):
    """A package that passes the check but that python-docx cannot make sense of."""
    path = tmp_path / "West LPA.docx"
    contents = h.parts(h.good_word(path))
    contents["word/document.xml"] = re.sub(rb"<w:body>", b"<w:body><w:p>", contents["word/document.xml"], count=1)
    h.write_parts(path, contents)
    message = refusal(path, plan)
    assert "part 'word/document.xml', line 2: cannot be read: its contents are damaged" in message
    assert "its XML is not well-formed" in message and "XMLSyntaxError" not in message


def test_too_many_paragraphs_refused_with_the_limit(tmp_path, plan, monkeypatch):
    from .builders import word

    monkeypatch.setattr(limits, "MAX_PARAGRAPHS", 5)
    path = word(tmp_path / "West LPA.docx", [("h", "Priority 7"), "1", *[(0, f"u{i}") for i in range(6)]])
    with pytest.raises(InputError) as err:
        read(path, plan)
    assert "has more than the 5 paragraphs a return may have" in str(err.value)


# --- messages: in words, never an exception's text or a path ----------------------------------

RAW = re.compile(r"\b[A-Z]\w*(?:Error|Exception)\b|Traceback|object has no attribute|No such file|\[Errno|"
                 r"There is no item named|KeyError")


def _mutants(tmp_path: Path):
    """The sample's first Word and Excel returns with each part in turn dropped, cut short,
    emptied or made another part: what a damaged or oddly made file looks like."""
    sample = Path(__file__).resolve().parent.parent / "inputs" / "2020-21-Q2"
    for source in (sample / "West LPA Q2.docx", sample / "SOC Q2.xlsx"):
        contents = h.parts(source)
        xml = [n for n in contents if n.endswith((".xml", ".rels"))]
        for i, name in enumerate(xml):
            for how, change in (("dropped", None), ("cut", contents[name][: len(contents[name]) // 2]),
                                ("empty", b""), ("swapped", contents[xml[(i + 1) % len(xml)]])):
                changed = dict(contents)
                if change is None:
                    del changed[name]
                else:
                    changed[name] = change
                yield h.write_parts(tmp_path / f"{source.stem} {i} {how}{source.suffix}", changed)


def test_no_message_carries_exception_text_a_path_or_a_warning(tmp_path, plan, capsys):
    seen = 0
    for path in _mutants(tmp_path):
        try:
            _, problems = read(path, plan)
        except InputError as err:
            problems = err.problems
            seen += 1
        for problem in problems:
            text = str(problem)
            assert str(tmp_path) not in text and not RAW.search(text), text
            assert problem.place.file == path.name, text
    assert seen > 20  # most of them are refused, each in words
    assert capsys.readouterr() == ("", "")  # nothing printed; warnings fail the test by themselves
