"""The PDF writer: pagination and contents ranges, page furniture, continuation
pages, escaping, tagging and metadata, fonts, reproducibility, the URL fetcher."""

from __future__ import annotations

import itertools
import re
import textwrap
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
import weasyprint

from assemble import TEMPLATES
from assemble.errors import Severity, TemplateError
from assemble.model import CommitmentSection, Item, PrioritySection, Report, Span, SubHeading
from assemble.versions import native
from assemble.writers.pdf import cache as pdf_cache
from assemble.writers.pdf import document as pdf
from assemble.writers.pdf import engine, forked, sandbox, template, windows
from assemble.writers.pdf import fonts as pdf_fonts

from ..meta import META as BASE_META

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Police and Crime Plan 2016-2020 – Quarterly Update 2020/21 Q2"

META = replace(BASE_META, version="1.1")

# Seven pages: cover, contents, 1.1 on page 3, 1.2 overflowing onto page 5,
# priority 2 on page 6 alone, priority 3 (three levels, labels) on page 7.
FILLER = "\n".join(f"- Filler update number {n} of commitment 1.2." for n in range(48))
SMALL = f"""\
priority 1: Small Things First
lead-in: We will:
commitment 1.1: Keep the first commitment short.
- One **bold** and *italic* update.
commitment 1.2: Run this commitment over onto a second page.
{FILLER}
- Last update of 1.2.
priority 2: A Single Page
lead-in: Working with partners we will:
commitment 2.1: Fit on one page.
- Only update of 2.1.
priority 3: Three Levels
lead-in: Working with partners we will:
commitment 3.1: Show every kind of block.
subheading: The Force Control Room (FCR)
- Force-wide update.
- [North LPA]
  - [Colchester]
    - Third-level update in Colchester.
  - [Tendring] Inline district update.
- [West LPA] Inline area update.
"""


def report_from(outline: str, **meta) -> Report:
    return native.load(textwrap.dedent(outline), replace(META, **meta))


def render(report: Report, path: Path):
    pagination, problems = pdf.write_pdf(report, path)
    assert problems == []  # nothing the PDF engine complained of, no font but Liberation Sans
    return pagination, pypdf.PdfReader(path)


def flat(text: str) -> str:
    """Page text with every run of whitespace made one space (lines rejoined)."""
    return " ".join(text.split())


def lines(page) -> list[str]:
    """A page's non-blank lines as laid out, margins included, top to bottom."""
    return [ln.strip() for ln in page.extract_text(extraction_mode="layout").splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "small.pdf"
    report = report_from(SMALL)
    pagination, reader = render(report, path)
    return report, pagination, reader, path


@pytest.fixture(scope="module")
def sample(released_pdf):
    report, pagination, problems, path = released_pdf
    assert problems == []
    reader = pypdf.PdfReader(path)
    return report, pagination, reader, [p.extract_text() for p in reader.pages]


# --- the sample quarter: the published pagination ------------------------------------


def test_sample_has_the_published_pages_and_ranges(sample):
    _, pagination, reader, _ = sample
    assert len(reader.pages) == pagination.pages == 16
    assert pagination.ranges == {
        1: "3-5", 2: "6-7", 3: "8", 4: "9-10", 5: "11-13", 6: "14-15", 7: "16"
    }


def test_sample_contents_shows_the_ranges(sample):
    report, pagination, _, texts = sample
    contents = texts[1]
    shown = {}
    for line in contents.splitlines():
        m = re.match(r"^(Priority (\d+) – .*?) (\d+(?:-\d+)?)$", flat(line))
        if m:
            shown[int(m.group(2))] = (m.group(1), m.group(3))
    assert {n: r for n, (_, r) in shown.items()} == pagination.ranges
    assert {n: t for n, (t, _) in shown.items()} == {p.number: p.heading for p in report.priorities}
    assert shown[3][1] == "8" and "8-8" not in contents
    assert "..." not in contents  # the leader is a dotted rule, drawn: not text to read


def test_sample_continuation_pages_repeat_the_commitment(sample):
    report, _, _, texts = sample
    texts = [flat(t) for t in texts]
    owner = {}  # page number -> (priority, commitment) it shows
    for p in report.priorities:
        for c in p.commitments:
            for n, text in enumerate(texts, start=1):
                if n > 2 and flat(c.text) in text:
                    assert p.heading in text and p.lead_in in text
                    owner[n] = (p.number, c.id)
    assert sorted(owner) == list(range(3, 17))  # every body page shows its commitment
    continuation = [n for n in owner if owner.get(n - 1) == owner[n]]
    assert continuation == [7, 13]


def test_sample_has_no_automatic_hyphenation(sample):
    report, _, _, texts = sample
    source = flat(native.dump(report).replace("**", "").replace("*", ""))
    for text in texts[2:]:
        rows = text.splitlines()
        for line, following in itertools.pairwise(rows):
            if re.search(r"[A-Za-z][-\u2010\u00ad]$", line):  # a hyphen at a line end: was it typed?
                joined = line.split()[-1] + following.split()[0]
                assert joined in source, f"hyphenated {joined!r}"


# --- page furniture --------------------------------------------------------------------


def test_cover_page(small):
    _, _, reader, _ = small
    text = reader.pages[0].extract_text()
    for expected in [
        "OFFICIAL", "Police and Crime Plan 2016-2020", "Quarterly Update", "Quarter 2 – 2020/21",
        "Data to September 2020", "Version 1.1", "Produced October 2020",
        "Performance Analysis Unit, Essex Police",
    ]:
        assert expected in text
    assert HEADER not in text


def test_running_header_from_page_two_and_page_numbers(small):
    _, pagination, reader, _ = small
    assert pagination.pages == len(reader.pages) == 7
    first = lines(reader.pages[0])
    assert HEADER not in "\n".join(first)
    assert not first[-1].endswith("1")  # no page number on the cover
    for n, page in enumerate(reader.pages[1:], start=2):
        rows = lines(page)
        assert rows[1] == HEADER, f"page {n}"
        assert rows[-1].split()[-1] == str(n), f"page {n}"


def test_marking_at_top_and_bottom_of_every_page(small):
    _, _, reader, _ = small
    for n, page in enumerate(reader.pages, start=1):
        rows = lines(page)
        assert rows[0] == "OFFICIAL", f"page {n}"
        assert rows[-1].split()[0] == "OFFICIAL", f"page {n}"


def test_single_page_priority_range_is_one_number(small):
    _, pagination, reader, _ = small
    assert pagination.ranges == {1: "3-5", 2: "6", 3: "7"}
    contents = "\n".join(flat(line) for line in reader.pages[1].extract_text().splitlines())
    assert re.search(r"Priority 2 – A Single Page 6$", contents, re.M)
    assert "6-6" not in contents


def test_every_commitment_starts_a_page_and_continuations_repeat_it(small):
    _, _, reader, _ = small
    texts = [flat(p.extract_text()) for p in reader.pages]
    assert "Keep the first commitment short." in texts[2]
    assert "Filler update number 0 " not in texts[2]
    for n in (3, 4):  # pages 4 and 5: commitment 1.2 and its continuation
        assert "Priority 1 – Small Things First" in texts[n]
        assert "We will:" in texts[n]
        assert "Run this commitment over onto a second page." in texts[n]
    assert "Filler update number 0 " in texts[3] and "Last update of 1.2." in texts[4]


def test_contents_entries_link_to_their_priorities(small):
    _, pagination, reader, _ = small
    dests = reader.named_destinations
    targets = set()
    for ref in reader.pages[1].get("/Annots", []):
        annot = ref.get_object()
        if annot.get("/Subtype") == "/Link":
            name = str(annot["/Dest"])
            targets.add((name, reader.get_destination_page_number(dests[name]) + 1))
    assert targets == {
        (f"priority-{n}", int(r.split("-")[0])) for n, r in pagination.ranges.items()
    }


@pytest.mark.parametrize("guess", [1, 4])
def test_a_wrong_guess_of_the_front_pages_is_put_right(small, tmp_path, monkeypatch, guess):
    report, pagination, _, path = small
    monkeypatch.setattr(pdf, "FRONT_PAGES", guess)  # the cover and contents are two pages
    again, reader = render(report, tmp_path / "guess.pdf")
    assert again == pagination
    assert "Priority 2 – A Single Page" in reader.pages[1].extract_text()
    assert (tmp_path / "guess.pdf").read_bytes() == path.read_bytes()


@pytest.mark.parametrize("processes", [2, 3])
def test_laid_out_in_several_processes_the_same_bytes(small, tmp_path, processes):
    report, pagination, _, path = small
    assert pdf.write_pdf(report, tmp_path / "cores.pdf", processes=processes) == (pagination, [])
    assert (tmp_path / "cores.pdf").read_bytes() == path.read_bytes()


def test_a_layout_process_ends_when_its_sheets_are_not_wanted(small, monkeypatch):
    import os
    import select

    # more than a pipe holds: the process must not block on it once this side lets go
    monkeypatch.setattr(engine.Engine, "sheet", lambda self, start, count: b"%" * 1_000_000)
    laid = pdf.lay_out_pdf(small[0], processes=2)
    other = laid._sheets._other
    assert other is not None
    process = other.process
    process._channel.close()  # as when the layout is dropped unwritten, without waiting for it
    ending = os.pidfd_open(process.pid)
    try:
        ended, _, _ = select.select([ending], [], [], 30)  # readable once the process has ended
    finally:
        os.close(ending)
        process.stop()  # reaps it, or ends it if it hung
    assert ended


def test_laid_out_in_small_windows_and_parts_the_same_pages(small, tmp_path, monkeypatch):
    report, pagination, reader, _ = small
    monkeypatch.setattr(windows, "WINDOW_PAGES", 1)
    monkeypatch.setattr(windows, "FLUSH_PAGES", 1)
    monkeypatch.setattr(forked, "SHEETS", 2)
    again, parted = render(report, tmp_path / "parts.pdf")
    assert again == pagination
    assert [lines(p) for p in parted.pages] == [lines(p) for p in reader.pages]


def test_draft_mark_on_every_page_and_same_pagination(small, tmp_path):
    report, pagination, reader, _ = small
    draft_pagination, draft = render(replace(report, meta=replace(report.meta, draft=True)),
                                     tmp_path / "draft.pdf")
    assert draft_pagination == pagination
    for page, final_page in zip(draft.pages, reader.pages, strict=True):
        text, final = page.extract_text(), final_page.extract_text()
        assert "DRAFT" in text and "DRAFT" not in final
        assert flat(text.replace("DRAFT", "")) == flat(final)


def test_same_report_gives_the_same_bytes(small, tmp_path):
    report, _, _, path = small
    assert pdf.write_pdf(report, tmp_path / "again.pdf")[1] == []
    assert (tmp_path / "again.pdf").read_bytes() == path.read_bytes()


# --- content --------------------------------------------------------------------------


def test_three_levels_each_with_its_own_marker(small):
    _, _, reader, _ = small
    rows = lines(reader.pages[6])
    marker = {row[1:].strip(): row[0] for row in rows if row[0] in "•–▪"}
    assert marker["Force-wide update."] == "•"
    assert marker["North LPA:"] == "•"
    assert marker["Colchester:"] == "–"
    assert marker["Third-level update in Colchester."] == "▪"
    assert marker["Tendring: Inline district update."] == "–"
    assert marker["West LPA: Inline area update."] == "•"
    assert "The Force Control Room (FCR):" in rows


def test_html_structure():
    report = report_from(SMALL)
    html = template.render_html(report, {1: "3-5", 2: "6", 3: "7"})
    assert '<html lang="en-GB">' in html
    assert f"<title>{META.title}</title>" in html
    assert "<h1>Priority 3 – Three Levels</h1>" in html
    assert '<p class="lead-in">Working with partners we will:</p>' in html
    assert "One <strong>bold</strong> and <em>italic</em> update." in html
    assert '<strong class="label">Tendring:</strong> Inline district update.' in html
    assert re.search(r'<p class="subheading" id="[^"]+"><strong>The Force Control Room \(FCR\):</strong></p>', html)
    assert re.search(r'<ul class="l1">.*<ul class="l2">.*<ul class="l3">', html, re.S)
    assert "<table" not in html  # sections, headings and lists: no layout tables
    assert html.count('<section class="commitment"') == 4
    assert html.count("<h2") == 4 and html.count("<h1>") == 3  # a priority's heading once, in its section
    assert html.count('<article class="repeat">') == 1  # 1.2's page shows priority 1's heading again


def test_priority_without_commitments_and_commitment_without_updates(tmp_path):
    report = Report(META, (
        PrioritySection(1, "Nothing Reported", "We will:", ()),
        PrioritySection(2, "Reported Empty", "We will:", (CommitmentSection("2.1", "Quiet.", ()),)),
    ))
    pagination, reader = render(report, tmp_path / "empty.pdf")
    assert pagination.ranges == {1: "3", 2: "4"}
    assert "Priority 1 – Nothing Reported" in reader.pages[2].extract_text()
    assert "Quiet." in reader.pages[3].extract_text()


def test_labels_and_subheadings_stay_with_their_updates(tmp_path):
    """Sweep a bare label and a sub-heading across the page foot, a line at a time."""
    out = ["priority 1: Sweep", "lead-in: We will:"]
    for c in range(8):
        out.append(f"commitment 1.{c}: Commitment {c}.")
        out += [f"- Filler {c}-{k} of one line." for k in range(30 + c)]
        out += [f"- [Area{c}x LPA]", f"  - [Place{c}x]", f"    - Child{c}x update.",
                f"subheading: Unit{c}x", f"- Unit{c}x update."]
    _, reader = render(report_from("\n".join(out)), tmp_path / "sweep.pdf")
    texts = [p.extract_text() for p in reader.pages]

    def page(s: str) -> int:
        (found,) = [n for n, t in enumerate(texts) if s in t]
        return found

    moved = set()
    for c in range(8):
        label = page(f"Area{c}x LPA:")
        assert label == page(f"Place{c}x:") == page(f"Child{c}x update."), c
        assert page(f"Unit{c}x:") == page(f"Unit{c}x update."), c
        moved.add(label == page(f"Filler {c}-0 ") + 1)
    assert moved == {True, False}  # the sweep did carry the label over the page foot


# --- safety: text is data ---------------------------------------------------------------

HOSTILE = ["{{ 7*7 }}", "<script>alert(1)</script>", '<img src="file:///etc/passwd">', "{% raw %}"]


def hostile_report() -> Report:
    bad = " ".join(HOSTILE)
    item = Item((Span(bad), Span(" & bold", bold=True)), (Item((Span(bad),), label="<b>x</b>"),))
    commitment = CommitmentSection("1.1", "Commit " + bad, (SubHeading("Sub " + bad), item))
    meta = replace(META, unit="Unit </style> " + bad, marking='OFFICIAL "quoted" </style>')
    return Report(meta, (PrioritySection(1, "Title " + bad, "Lead " + bad, (commitment,)),))


def test_hostile_text_is_escaped_in_html():
    html = template.render_html(hostile_report(), {1: "3"})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;:" in html
    style = html.split("<style>")[1].split("</style>")[0]
    assert "</" not in style and '"quoted"' not in style


def test_hostile_text_prints_literally(tmp_path):
    pagination, reader = render(hostile_report(), tmp_path / "hostile.pdf")
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    for bad in HOSTILE:
        assert bad in text
    assert "<b>x</b>:" in text
    assert 'OFFICIAL "quoted" </style>' in text
    assert pagination.ranges == {1: "3"}


# --- accessibility, metadata, fonts ---------------------------------------------------------


def test_tagged_with_language_and_title(small):
    _, _, reader, _ = small
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert "/StructTreeRoot" in catalog


def test_document_metadata(small):
    _, _, reader, _ = small
    info = reader.metadata
    assert info.title == META.title
    assert info.author == "Performance Analysis Unit"
    assert "Quarter 2 – 2020/21" in info.subject
    assert "Version 1.1" in info["/Keywords"]
    assert info["/version"] == "1.1"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20201001000000+00'00"


def test_every_font_is_embedded_liberation_sans(small):
    _, _, reader, _ = small
    seen = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            seen.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert {"Liberation-Sans", "Liberation-Sans-Bold", "Liberation-Sans-Italic"} <= seen
    assert seen <= {"Liberation-Sans", "Liberation-Sans-Bold", "Liberation-Sans-Italic",
                    "Liberation-Sans-Bold-Italic"}


def test_a_body_in_another_font_is_loud(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_fonts, "ACCEPTED_FONTS", ("Arial",))  # as if Liberation Sans were not there
    _, problems = pdf.write_pdf(report_from(SMALL), tmp_path / "other.pdf")
    assert [p.severity for p in problems] == [Severity.WARNING]
    assert "the PDF body is set in Liberation Sans, not Arial or Liberation Sans" in problems[0].message
    assert "fonts-liberation2" in problems[0].hint


CJK = "Contact: 警察の窓口 (Japanese), 社区警务 (Chinese)."


def test_chinese_and_japanese_are_drawn_with_the_fallback_font(tmp_path):
    outline = SMALL.replace("- Only update of 2.1.", f"- [Harlow] {CJK}")
    pagination, reader = render(report_from(outline), tmp_path / "cjk.pdf")  # no problem reported
    assert pagination.ranges == {1: "3-5", 2: "6", 3: "7"}
    fonts = {str(f.get_object()["/BaseFont"]).split("+", 1)[1] for f in reader.pages[5]["/Resources"]["/Font"].values()}
    assert "Droid-Sans-Fallback" in fonts
    assert "警察の窓口" in reader.pages[5].extract_text() and "社区警务" in reader.pages[5].extract_text()


def _without_a_font() -> str:
    """A character no installed font has (fontconfig says), from scripts seldom installed."""
    import subprocess

    for code in (0x10C80, 0x1E900, 0x11A00, 0x0D15, 0x0A95, 0x1C5A):
        found = subprocess.run(["fc-list", f":charset={code:x}", "family"], capture_output=True, text=True,
                               check=True).stdout
        if not found.strip():
            return chr(code)
    raise AssertionError("every candidate character has a font here: add a rarer one")


def test_characters_no_font_has_are_named_with_their_update(tmp_path):
    char = _without_a_font()
    outline = SMALL.replace("- Only update of 2.1.", f"- [Harlow] A name written {char}{char} here.")
    pagination, problems = pdf.write_pdf(report_from(outline), tmp_path / "missing.pdf")
    assert pagination.ranges == {1: "3-5", 2: "6", 3: "7"}
    (problem,) = problems
    assert problem.severity is Severity.WARNING
    assert problem.message.startswith("commitment 2.1, an update: the PDF shows 1 character of "
                                      f"'Harlow A name written {char}{char} here.' as empty boxes")
    assert f"'{char}' (U+{ord(char):04X} " in problem.message and "Noto" in problem.hint


# --- the URL fetcher ----------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    (TEMPLATES / ".." / "pyproject.toml").as_uri(),
    "https://example.com/logo.png",
    "data:image/png;base64,iVBORw0KGgo=",
    "file://otherhost" + str(TEMPLATES / "quarterly-update.css"),
])
def test_fetcher_refuses_anything_outside_templates(url):
    with pytest.raises(sandbox.Refused) as refused:
        sandbox.TemplatesOnly().fetch(url)
    assert "refused to load" in str(refused.value)


def test_fetcher_serves_templates():
    response = sandbox.TemplatesOnly().fetch((TEMPLATES / "quarterly-update.css").as_uri())
    try:
        assert b"@font-face" in response.read()
    finally:
        response.close()


def test_a_refused_resource_stops_weasyprint():
    html = weasyprint.HTML(string='<img src="file:///etc/passwd">',
                           base_url=TEMPLATES.as_uri() + "/", url_fetcher=sandbox.TemplatesOnly())
    with pytest.raises(sandbox.Refused):
        html.render()


def test_a_refused_resource_stops_the_writer_with_a_template_error(tmp_path, monkeypatch):
    real = template.render_html

    def with_an_outside_image(*args, **kwargs):
        return real(*args, **kwargs).replace("</body>", '<img src="file:///etc/passwd"></body>')

    monkeypatch.setattr(template, "render_html", with_an_outside_image)
    with pytest.raises(TemplateError) as err:
        pdf.write_pdf(report_from(SMALL), tmp_path / "refused.pdf")
    assert "refused to load file:///etc/passwd" in err.value.message
    assert err.value.hint == "the layout templates may use only files under templates/"
    assert not (tmp_path / "refused.pdf").exists()


@pytest.mark.parametrize("processes", [1, 2])
def test_what_the_engine_logs_becomes_warnings_and_its_logger_is_left_alone(tmp_path, monkeypatch, processes):
    import logging

    logger = logging.getLogger(engine.ENGINE_LOGGER)
    handlers, propagate = list(logger.handlers), logger.propagate
    real = windows.lay_out_share

    def noisy(*args):  # in the forked layout process too, when there is one
        logger.warning("Ignored `foo: bar` at 1:2, unknown property.")
        logger.warning("Ignored `foo: bar` at 1:2, unknown property.")
        return real(*args)

    monkeypatch.setattr(windows, "lay_out_share", noisy)
    _, problems = pdf.write_pdf(report_from(SMALL), tmp_path / "noisy.pdf", processes=processes)
    assert [(p.severity, p.message) for p in problems] == [
        (Severity.WARNING, "the PDF engine reported: Ignored `foo: bar` at 1:2, unknown property.")]
    assert (logger.handlers, logger.propagate) == (handlers, propagate)


def _structure_types(reader) -> set[str]:
    seen: set[str] = set()

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if "/S" in node:
                seen.add(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return seen


def test_headings_and_lists_are_tagged(small):
    types = _structure_types(small[2])
    assert {"/H1", "/L", "/LI", "/Lbl", "/LBody", "/P"} <= types


REVISED = SMALL.replace("Only update of 2.1.", "Only update of 2.1, revised.")  # a change in the third window


@pytest.fixture
def laid_out(monkeypatch) -> list[str]:
    """The ids of the commitments the engine lays out body pages for, in order."""
    found: list[str] = []
    real = engine.Engine.body

    def body(self, priorities):
        found.extend(c.id for p in priorities for c in p.commitments)
        return real(self, priorities)

    monkeypatch.setattr(engine.Engine, "body", body)
    return found


def test_a_layout_cache_lays_out_only_what_changed_and_gives_the_same_bytes(small, tmp_path, laid_out):
    report, _, _, _ = small
    cache = pdf_cache.LayoutCache()
    pdf.lay_out_pdf(report, cache=cache).write(tmp_path / "first.pdf")
    laid_out.clear()
    changed = report_from(REVISED)
    again = pdf.lay_out_pdf(changed, cache=cache)
    assert "commitment-2-1" in laid_out and "commitment-1-2" not in laid_out  # its window only
    assert "commitment-3-1" not in laid_out  # and of its window, the commitment that changed
    again.write(tmp_path / "cached.pdf")
    laid_out.clear()
    assert pdf.write_pdf(changed, tmp_path / "fresh.pdf")[1] == []
    assert "commitment-1-2" in laid_out
    assert (tmp_path / "cached.pdf").read_bytes() == (tmp_path / "fresh.pdf").read_bytes()


def test_a_layout_cache_holds_no_pages_past_its_bound(small, tmp_path, laid_out, monkeypatch):
    """Past CACHED_PAGES the commitments' pages are not kept (the windows' parts still are)."""
    report, _, _, _ = small
    monkeypatch.setattr(pdf_cache, "CACHED_PAGES", 1)
    cache = pdf_cache.LayoutCache()
    pdf.lay_out_pdf(report, cache=cache).write(tmp_path / "first.pdf")
    laid_out.clear()
    pdf.lay_out_pdf(report_from(REVISED), cache=cache).write(tmp_path / "again.pdf")
    assert "commitment-3-1" in laid_out and "commitment-1-2" not in laid_out
