"""What a build is made from: a template whose content changes must have its version
raised; the fingerprint of an assembly records inputs, templates, code and counts."""

import json
from pathlib import Path

from assemble import __version__
from assemble.fingerprint import fingerprint, package, sha256, template_versions, templates
from assemble.merge import merge
from assemble.model import Assembly
from assemble.quarter import Quarter
from assemble.versions import Fingerprint, Template

RECORDED = Path(__file__).resolve().parent / "golden" / "templates.json"


def test_every_template_has_a_version():
    missing = [name for name, t in templates().items() if not t.version]
    assert missing == [], f"add these to templates/versions.toml: {missing}"


def test_changed_template_has_a_new_version():
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    stale = [
        name for name, t in templates().items()
        if name in recorded and t.sha256 != recorded[name]["sha256"]
        and t.version == recorded[name]["version"]
    ]
    assert stale == [], (f"{stale} changed but kept their version: raise it in templates/versions.toml, "
                         "then run `make accept-templates`")


def test_recorded_hashes_match_their_versions():
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    unrecorded = [n for n, t in templates().items()
                  if n not in recorded or recorded[n]["version"] != t.version]
    assert unrecorded == [], f"run `make accept-templates` to record {unrecorded}"
    assert set(template_versions()) <= set(templates())


def test_templates_of_a_folder(tmp_path):
    (tmp_path / "versions.toml").write_text('"a.css" = "1.2"\n"sub/b.html" = 3\n', encoding="utf-8")
    (tmp_path / "a.css").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("b")
    (tmp_path / "c.txt").write_text("c")
    assert template_versions(tmp_path) == {"a.css": "1.2", "sub/b.html": "3"}
    found = templates(tmp_path)
    assert list(found) == ["a.css", "c.txt", "sub/b.html"]  # versions.toml itself is not a template
    assert found["a.css"] == Template("1.2", sha256(tmp_path / "a.css"))
    assert found["c.txt"].version is None
    assert sha256(tmp_path / "a.css") == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"


def test_package_is_the_version_and_a_hash_of_the_code():
    assert package().startswith(f"{__version__}+") and len(package().split("+")[1]) == 12
    assert package() == package()


def test_fingerprint_of_an_assembly(tmp_path, plan):
    a, b = tmp_path / "North LPA.docx", tmp_path / "FCR.xlsx"
    a.write_bytes(b"north")
    b.write_bytes(b"fcr")
    asm = Assembly(Quarter(2020, 2), plan, (), (), merge([], plan), inputs=(a, b))
    fp = fingerprint(asm)
    assert isinstance(fp, Fingerprint)
    assert fp.inputs == {"North LPA.docx": sha256(a), "FCR.xlsx": sha256(b)}
    assert fp.templates == templates() and fp.package == package()
    assert fp.counts == {"read": 0, "placed": 0, "left_out": 0}
