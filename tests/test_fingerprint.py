"""What a build is made from: template versions recorded by the build itself (no
step of anyone's), the templates that shape a quarter (its own plan, never another),
and the fingerprint of an assembly: inputs, templates, plan, code, counts, returns."""

from dataclasses import replace

from assemble import TEMPLATES, __version__
from assemble.assembly import Assembly
from assemble.merge import merge
from assemble.quarter import Quarter
from assemble.verdicts import Verdict
from assemble.versions import Fingerprint, Sent, Template
from assemble.versions.fingerprint import fingerprint, package, sha256, template, templates, templates_for


def test_a_templates_version_is_the_start_of_its_hash(tmp_path):
    css = tmp_path / "a.css"
    css.write_text("a")
    assert template(css) == Template("ca978112", "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")
    css.write_text("b")  # edited: a new version, nobody recorded it
    assert template(css).version != "ca978112"


def test_templates_of_a_folder(tmp_path):
    (tmp_path / "a.css").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("b")
    found = templates(tmp_path)
    assert list(found) == ["a.css", "sub/b.html"]
    assert found["a.css"] == Template(sha256(tmp_path / "a.css")[:8], sha256(tmp_path / "a.css"))


def test_the_templates_that_shape_a_quarter_are_the_layout_and_its_own_plan(plan):
    shaping = templates_for(plan)
    assert "plans/2016-2020.toml" in shaping and shaping["plans/2016-2020.toml"].sha256 == plan.sha256
    assert {"quarterly-update.html", "quarterly-update.css", "quarterly-update.docx",
            "fonts/LiberationSans-Regular.ttf"} <= set(shaping)
    other = replace(plan, file="2021-2024.toml", sha256="f" * 64)
    assert "plans/2016-2020.toml" not in templates_for(other)  # another plan's file never shapes it
    assert all(v.version for v in shaping.values())
    assert set(shaping) - {"plans/2016-2020.toml"} == {n for n in templates(TEMPLATES) if not n.startswith("plans/")}


def test_package_is_the_version_and_a_hash_of_the_code():
    assert package().startswith(f"{__version__}+") and len(package().split("+")[1]) == 12
    assert package() == package()


def test_fingerprint_of_an_assembly(tmp_path, plan):
    a, b = tmp_path / "North LPA.docx", tmp_path / "FCR.xlsx"
    a.write_bytes(b"north")
    b.write_bytes(b"fcr")
    files = (Verdict("North LPA.docx", "North LPA", "docx", 3), Verdict("FCR.xlsx", None, "xlsx", 0))
    asm = Assembly(Quarter(2020, 2), plan, files, (), merge([], plan), inputs=(a, b))
    fp = fingerprint(asm)
    assert isinstance(fp, Fingerprint)
    assert fp.inputs == {"North LPA.docx": sha256(a), "FCR.xlsx": sha256(b)}
    assert fp.templates == templates_for(plan) and fp.package == package()
    assert fp.plan == Template(plan.version, plan.sha256) and fp.plan_file == "2016-2020.toml"
    assert fp.counts == {"read": 0, "placed": 0, "left_out": 0}
    assert fp.sent == (Sent("North LPA.docx", "North LPA", "docx", 3), Sent("FCR.xlsx", None, "xlsx", 0))
