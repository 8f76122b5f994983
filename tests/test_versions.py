"""Versions: their numbers, names, what they are made from and the manifest that
records them. Pure: no files."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from assemble.errors import VersionError
from assemble.kept import EngineRecord, Flag
from assemble.quarter import QuarterError
from assemble.versions import (
    Fingerprint,
    Manifest,
    Output,
    Release,
    Template,
    Version,
    content_hash,
    next_version,
    release_name,
    stem,
)

from .present import there

Q = "2020-21-Q2"
FP = Fingerprint(
    inputs={"north.docx": "a" * 64},
    templates={"quarterly-update.docx": Template("1.0", "c" * 64),
               "quarterly-update.css": Template(None, "d" * 64)},
    package="0.1.0+abc",
    counts={"read": 93, "placed": 93, "left_out": 0},
)


@pytest.mark.parametrize("newest, reissue, version", [
    (None, False, "1.0"), (None, True, "1.0"), ("1.0", False, "1.1"), ("1.9", False, "1.10"),
    ("1.3", True, "2.0"), ("2.0", False, "2.1"),
])
def test_next_version(newest, reissue, version):
    assert next_version(newest, reissue) == version


def test_names():
    assert stem(Q, "1.0") == "quarterly-update-2020-21-Q2-v1.0"
    assert release_name(Q, "1.1") == "Police and Crime Plan Quarterly Update 2020-21 Q2 v1.1.pdf"
    assert release_name("1999-00-Q4", "2.0", "Plan Update") == "Plan Update 1999-00 Q4 v2.0.pdf"
    assert release_name(Q, "1.1", kind="docx") == "Police and Crime Plan Quarterly Update 2020-21 Q2 v1.1.docx"
    with pytest.raises(QuarterError):
        release_name("Q2", "1.0")


def test_content_hash_counts_what_a_reader_sees_the_outline_and_templates_not_inputs_or_code():
    base = content_hash("outline\n", FP)
    assert base == content_hash("outline\r\n", FP)  # line endings do not count
    assert content_hash("outline\n", dataclasses.replace(FP, inputs={"north.docx": "e" * 64})) == base
    assert content_hash("outline\n", dataclasses.replace(FP, counts={})) == base
    assert content_hash("outline 2\n", FP) != base
    assert content_hash("outline\n", dataclasses.replace(FP, package="0.2.0")) == base
    changed = {**FP.templates, "quarterly-update.css": Template(None, "f" * 64)}
    assert content_hash("outline\n", dataclasses.replace(FP, templates=changed)) != base
    renumbered = {**FP.templates, "quarterly-update.docx": Template("9.9", "c" * 64)}
    assert content_hash("outline\n", dataclasses.replace(FP, templates=renumbered)) == base  # the bytes count
    assert len(base) == 64


def version(v: str, released: Release | None = None) -> Version:
    outputs = {"pdf": Output(f"{stem(Q, v)}.pdf", "1" * 64), "docx": Output(f"{stem(Q, v)}.docx", "2" * 64),
               "native": Output(f"{stem(Q, v)}.native", "3" * 64), "changes": Output(f"changes-v{v}.md", "4" * 64)}
    return Version(v, "2020-10-01T00:00:00+00:00", v.endswith(".0") and v != "1.0", "c" * 64, FP, outputs,
                   released)


def test_documents_are_the_rendered_outputs_only():
    assert version("1.1").documents() == {"pdf": f"{stem(Q, '1.1')}.pdf", "docx": f"{stem(Q, '1.1')}.docx"}


def test_manifest_text_round_trips_in_its_json_shape():
    released = Release("A. Analyst", "2020-10-06T16:00:00+00:00", release_name(Q, "1.1"), "5" * 64,
                       {"pdf": Output(release_name(Q, "1.1"), "5" * 64),
                        "html": Output(release_name(Q, "1.1", kind="html"), "6" * 64)})
    manifest = Manifest(Q, [version("1.0"), version("1.1", released)])
    text = manifest.to_text()
    assert text.endswith("}\n")
    data = json.loads(text)
    assert data["quarter"] == Q and [v["version"] for v in data["versions"]] == ["1.0", "1.1"]
    first = data["versions"][0]
    assert set(first) == {"version", "built", "reissue", "content", "inputs", "templates", "package", "engine",
                          "counts", "plan", "sent", "outputs", "released", "warnings", "flags"}
    assert first["templates"] == {"quarterly-update.docx": {"version": "1.0", "sha256": "c" * 64},
                                  "quarterly-update.css": {"version": None, "sha256": "d" * 64}}
    assert first["outputs"]["pdf"] == {"file": f"{stem(Q, '1.0')}.pdf", "sha256": "1" * 64}
    assert first["released"] is None
    assert data["versions"][1]["released"] == {
        "by": "A. Analyst", "at": "2020-10-06T16:00:00+00:00", "file": release_name(Q, "1.1"), "sha256": "5" * 64,
        "files": {"pdf": {"file": release_name(Q, "1.1"), "sha256": "5" * 64},
                  "html": {"file": "Police and Crime Plan Quarterly Update 2020-21 Q2 v1.1.html", "sha256": "6" * 64}},
        "warnings": [], "engine": None}
    assert Manifest.from_text(text, "manifest.json") == manifest


def test_an_older_manifest_with_bare_template_hashes_still_reads():
    old = {"quarter": Q, "versions": [{"version": "1.0", "templates": {"a.css": "d" * 64},
                                       "outputs": {"pdf": {"file": "x.pdf"}}}]}
    [v] = Manifest.from_text(json.dumps(old), "manifest.json").versions
    assert v.fingerprint.templates == {"a.css": Template(None, "d" * 64)}
    assert v.outputs == {"pdf": Output("x.pdf", "")} and v.released is None and v.reissue is False
    assert v.engine is None  # built before the engine was recorded
    assert v.flags == ()  # built before the flags were kept


def test_a_versions_flags_round_trip_and_one_not_a_flag_is_passed_over():
    """Issue 27: what the checks flagged in single updates is kept with the version, for next
    quarter's returns."""
    flags = (Flag("2.1", "North LPA", "Partnership problem solving…", "Saffron Waldon",
                  "the district label 'Saffron Waldon' is not a place in the plan", "did you mean 'Saffron Walden'?"),
             Flag("1.3", "Force Control Room", "Calls rose by 22.5%", None, "figures contradict each other"))
    manifest = Manifest(Q, [dataclasses.replace(version("1.0"), flags=flags)])
    data = json.loads(manifest.to_text())
    assert data["versions"][0]["flags"][0] == {
        "commitment": "2.1", "area": "North LPA", "text": "Partnership problem solving…", "label": "Saffron Waldon",
        "message": "the district label 'Saffron Waldon' is not a place in the plan",
        "hint": "did you mean 'Saffron Walden'?"}
    assert Manifest.from_text(manifest.to_text(), "manifest.json") == manifest
    data["versions"][0]["flags"].append({"commitment": 2.1, "message": None})  # edited by hand
    [v] = Manifest.from_text(json.dumps(data), "manifest.json").versions
    assert v.flags == flags


def test_the_engine_record_round_trips():
    engine = EngineRecord("1.50.12", "6.0.0", "2.14.1", {"Droid Sans Fallback": "Version 1.00c"})
    released = Release("A. Analyst", "2020-10-06T16:00:00+00:00", release_name(Q, "1.0"), "5" * 64, engine=engine)
    manifest = Manifest(Q, [dataclasses.replace(version("1.0", released), engine=engine)])
    data = json.loads(manifest.to_text())["versions"][0]
    assert data["engine"] == {"pango": "1.50.12", "harfbuzz": "6.0.0", "fontconfig": "2.14.1",
                              "fonts": {"Droid Sans Fallback": "Version 1.00c"}}
    assert data["released"]["engine"] == data["engine"]
    assert Manifest.from_text(manifest.to_text(), "manifest.json") == manifest


@pytest.mark.parametrize("text", ["", "[]", '{"versions": {}}', '{"versions": [{"built": "x"}]}', "{broken"])
def test_not_a_manifest(text):
    with pytest.raises(VersionError) as err:
        Manifest.from_text(text, "out/manifest.json")
    assert err.value.message.startswith("out/manifest.json is not a manifest of versions (")
    assert err.value.hint == "restore it before building"


def test_newest_and_get():
    manifest = Manifest(Q, [version("1.0"), version("1.1")])
    assert there(manifest.newest).version == "1.1" and Manifest(Q).newest is None
    assert manifest.get("1.0").version == "1.0"
    with pytest.raises(VersionError, match=re.escape("there is no v2.0")):
        manifest.get("2.0")
