"""The HTML edition: one self-contained file, its structure and content, the same as the
PDF's, and axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from assemble.model import Item
from assemble.writers import html

from .. import pdfua_rules
from ..present import there
from .conftest import sample_report

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run")


@pytest.fixture(scope="module", params=["draft", "released"])
def edition(request, tmp_path_factory):
    report = sample_report(draft=request.param == "draft")
    path = tmp_path_factory.mktemp("html") / "sample.html"
    html.write_html(report, path)
    return report, path, path.read_text(encoding="utf-8")


def updates(blocks):
    for block in blocks:
        if isinstance(block, Item):
            if block.text.strip():
                yield " ".join(block.text.split())
            yield from updates(block.children)


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def elements(node: etree._Element, path: str) -> list[HtmlElement]:
    """The elements an XPath finds in the page (lxml types what an XPath finds as any XPath value)."""
    found = node.xpath(path)
    assert isinstance(found, list), path
    kept = [e for e in found if isinstance(e, HtmlElement)]
    assert len(kept) == len(found), f"{path} finds more than elements"
    return kept


def strings(node: etree._Element, path: str) -> list[str]:
    """The attribute values or text an XPath finds in the page."""
    found = node.xpath(path)
    assert isinstance(found, list), path
    kept = [s for s in found if isinstance(s, str)]
    assert len(kept) == len(found), f"{path} finds more than strings"
    return kept


def test_one_file_that_fetches_nothing_and_runs_nothing(edition):
    _, _, text = edition
    tree = lxml_html.fromstring(text)
    assert tree.xpath("//script") == [] and " on" not in text.split("<body>")[1].split(">")[0]
    assert tree.xpath("//link") == [] and tree.xpath("//img") == [] and tree.xpath("//iframe") == []
    assert all(href.startswith("#") for href in strings(tree, "//@href"))
    assert tree.xpath("//@src") == []
    assert "url(" not in text and "@import" not in text
    assert len(elements(tree, "//head/style")) == 1


def test_language_title_and_marking_top_and_bottom(edition):
    report, _, text = edition
    tree = lxml_html.fromstring(text)
    assert tree.get("lang") == "en-GB"
    title = tree.findtext(".//title")
    assert title == ("DRAFT: " if report.meta.draft else "") + report.meta.title
    body = [text_of(e) for e in elements(tree, "//body//*[self::p or self::h1 or self::h2 or self::li]")]
    assert body[0] == "OFFICIAL" and body[-1] == "OFFICIAL"
    assert ("DRAFT" in " ".join(body)) is report.meta.draft


def test_contents_link_to_each_priority_heading(edition):
    report, _, text = edition
    tree = lxml_html.fromstring(text)
    links = elements(tree, "//nav//a")
    assert [text_of(a) for a in links] == [p.heading for p in report.priorities]
    for a in links:
        (target,) = elements(tree, f"//*[@id='{there(a.get('href'))[1:]}']")
        assert text_of(elements(target, ".//h1")[0]) == text_of(a)


def test_priorities_h1_commitments_h2_updates_in_nested_lists(edition):
    report, _, text = edition
    tree = lxml_html.fromstring(text)
    main = elements(tree, "//main")[0]
    headings = [(e.tag, text_of(e)) for e in elements(main, ".//h1|.//h2")]
    expected = []
    for p in report.priorities:
        expected.append(("h1", p.heading))
        expected += [("h2", c.text) for c in p.commitments]
    assert headings == expected
    assert len(elements(main, ".//h2")) == 12
    assert main.xpath(".//ul/li/ul/li/ul/li")  # three levels, as the returns gave them
    assert main.xpath(".//li[not(parent::ul)]") == []
    assert "<table" not in text


def test_every_update_once_in_the_order_of_the_pdf(edition, draft_pdf):
    report, _, text = edition
    expected = [u for p in report.priorities for c in p.commitments for u in updates(c.blocks)]
    assert len(expected) == 93
    page = text_of(elements(lxml_html.fromstring(text), "//main")[0])
    pdf_text = pdfua_rules.read(draft_pdf[3]).reading()
    at_html = at_pdf = 0
    for update in expected:
        assert page.count(update) == 1, update[:60]
        at_html = page.index(update, at_html) + len(update)
        at_pdf = pdf_text.index(update, at_pdf) + len(update)


def test_labels_bold_with_colons_and_emphasis_kept():
    report = sample_report()
    text = html.render_html(report)
    assert "<li><strong>North LPA:</strong>\n<ul>" in text
    assert "<strong>West LPA:</strong> During the quarter" in text
    assert '<p class="subheading"><strong>The Force Control Room (FCR):</strong></p>' in text


def test_hostile_text_is_escaped_and_forbidden_characters_dropped():
    from .test_pdf import HOSTILE, hostile_report

    report = hostile_report()
    report = replace(report, meta=replace(report.meta, organisation="Essex\x01 Police\ufffe"))
    text = html.render_html(report)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert '<img src="file:///etc/passwd">' not in text
    assert "{{ 7*7 }}" in text and ">49<" not in text
    assert "\x01" not in text and "\ufffe" not in text and "Essex Police" in text
    style = text.split("<style>")[1].split("</style>")[0]
    assert "</" not in style
    assert all(bad in text or bad.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") in text
               for bad in HOSTILE)


def test_preview_says_preview():
    report = sample_report(draft=True, draft_label="PREVIEW")
    text = html.render_html(report)
    assert "<title>PREVIEW: " in text and '<strong class="draft-tag">PREVIEW</strong>' in text
    assert "DRAFT" not in text


def test_the_same_report_gives_the_same_bytes(edition, tmp_path):
    report, path, _ = edition
    html.write_html(report, tmp_path / "again.html")
    assert (tmp_path / "again.html").read_bytes() == path.read_bytes()


def test_templates_are_recorded_in_its_metadata():
    report = sample_report(templates=(("quarterly-update-web.html", "1a2b3c4d"), ("plans/2016-2020.toml", "9f8e7d6c")))
    text = html.render_html(report)
    assert '<meta name="templates" content="quarterly-update-web.html 1a2b3c4d; plans/2016-2020.toml 9f8e7d6c">' in text


# --- in a browser: axe-core ----------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Debian's Chromium, headless, through its WebDriver; the network is not used."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver, "make test installs chromium and chromium-driver (tools/system-deps.sh --test)"
    assert AXE.is_file(), "make test installs axe-core (npm ci)"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (*CHROMIUM, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    session = webdriver.Chrome(service=Service(driver), options=options)
    session.set_script_timeout(60)
    yield session
    session.quit()


def axe(browser, path: Path) -> dict[str, Any]:
    browser.get(path.as_uri())
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(JSON.stringify({violations: r.violations, passes: r.passes.map(p => p.id)})))"
        ".catch(e => done(JSON.stringify({error: String(e)})));", WCAG)
    return json.loads(found)


def test_axe_finds_no_wcag_a_or_aa_violation(browser, edition):
    _, path, _ = edition
    result = axe(browser, path)
    assert "error" not in result, result
    violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['html'][:80]})"
                  for v in result["violations"]]
    assert violations == []
    assert {"color-contrast", "html-has-lang", "document-title", "list", "listitem"} <= set(result["passes"])


def test_axe_would_say_so(browser, tmp_path):
    """The check can fail: a page with faults shows them."""
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><p style="color:#bbb;background:#fff">faint</p><li>stray</li></body></html>')
    found = {v["id"] for v in axe(browser, bad)["violations"]}
    assert {"html-has-lang", "document-title", "color-contrast", "listitem"} <= found
    assert re.search(r"axe v?4\.", AXE.read_text(encoding="utf-8")[:200])
