"""Text as the pipeline compares and quotes it."""

import re

import pytest

from assemble.text import clean_text, excerpt, first_words, normalise, plural, without_forbidden


@pytest.mark.parametrize("text, normal", [
    ("North LPA", "north lpa"),
    ("  Saffron   Walden ", "saffron walden"),
    ("Crime & Public-Protection!", "crime public protection"),
    ("Réunion été", "reunion ete"),
    ("Southend-on-Sea", "southend on sea"),
    ("ﬁnal", "final"),  # compatibility forms too
    ("", ""),
    ("!!", ""),
])
def test_normalise(text, normal):
    assert normalise(text) == normal


def test_first_words():
    assert first_words("one two three") == "one two three"
    assert first_words(" ".join(str(i) for i in range(10))) == "0 1 2 3 4 5 6 7…"
    assert first_words("a  b\nc d", 3) == "a b c…"
    assert first_words("") == ""


def test_excerpt():
    assert excerpt("short") == "short"
    assert excerpt("a  b\n c") == "a b c"
    cut = excerpt("x" * 30 + " " + "y" * 30)
    assert len(cut) == 48 and cut.endswith("…")
    assert excerpt("abcdef ghij", 8) == "abcdef…"  # the space before the cut goes


def test_plural():
    assert plural(1, "update") == "1 update"
    assert plural(0, "update") == "0 updates"
    assert plural(93, "update") == "93 updates"
    assert plural(2, "child", "children") == "2 children"
    assert plural(1, "child", "children") == "1 child"


def test_clean_text():
    assert clean_text("plain") == ("plain", False)
    assert clean_text("a\u00a0b\u200b\ufeffc\u2028d") == ("a bc d", False)
    assert clean_text("a\x00b\x1fc\ufffe\ud800d") == ("abcd", True)
    assert clean_text("line\x0bbreak") == ("line break", True)
    assert clean_text("tab\tnew\nline\r") == ("tab\tnew\nline\r", False)
    emoji = "👨\u200d👩\u200d👧 é ☕"
    assert clean_text(emoji) == (emoji, False)  # zero-width joiners hold emoji together


def test_a_noncharacter_is_removed_as_a_control_is():
    """U+FDD0 to U+FDEF: no character at all; the HTML edition could not carry them."""
    assert clean_text("a\ufdd0b\ufdefc") == ("abc", True)
    assert clean_text("next\x85line") == ("next line", False)  # a pasted line end: a space, no warning


def test_one_rule_for_the_characters_a_document_cannot_hold():
    """What a reader takes out of the text it reads is what the Word writer and the HTML edition
    take out of anything else they write (a plan's names, an area's): one set, defined once."""
    from assemble.writers import docx as docx_writer
    from assemble.writers import html

    everything = "".join(map(chr, range(0x110000)))
    kept = without_forbidden(everything)
    # C0 controls but tab, LF and CR; DEL and C1; surrogates; noncharacters
    assert len(everything) - len(kept) == 29 + 33 + 2048 + 32 + 2
    assert docx_writer.clean(everything) == kept
    assert html.clean(everything) == re.sub(r"\s+", " ", kept)
    assert clean_text(everything)[0] == without_forbidden(clean_text(everything)[0])


def test_the_area_a_return_names_is_read_one_way_whatever_the_format():
    from assemble.text import area_named

    assert area_named(["Area: North LPA"]) == "North LPA"  # a Word line, an Excel cell
    assert area_named(["AREA :  West LPA "]) == "West LPA"
    assert area_named(["Title", "Area", "South LPA"]) == "South LPA"  # a cell beside it (Excel, a Word table)
    assert area_named(["Area:", "FCR"]) == "FCR"
    assert area_named(["Area:"]) is None and area_named(["Areas: all"]) is None and area_named([]) is None
    assert area_named(["The area: covered"]) is None
