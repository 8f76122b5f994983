"""A template whose content changes must have its version raised."""

import json
from pathlib import Path

from assemble.inventory import templates, template_versions

RECORDED = Path(__file__).resolve().parent / "golden" / "templates.json"


def test_every_template_has_a_version():
    missing = [name for name, t in templates().items() if not t["version"]]
    assert missing == [], f"add these to templates/versions.toml: {missing}"


def test_changed_template_has_a_new_version():
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    stale = [
        name for name, t in templates().items()
        if name in recorded and t["sha256"] != recorded[name]["sha256"]
        and t["version"] == recorded[name]["version"]
    ]
    assert stale == [], (f"{stale} changed but kept their version: raise it in templates/versions.toml, "
                         "then run `make accept-templates`")


def test_recorded_hashes_match_their_versions():
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    unrecorded = [n for n, t in templates().items()
                  if n not in recorded or recorded[n]["version"] != t["version"]]
    assert unrecorded == [], f"run `make accept-templates` to record {unrecorded}"
    assert set(template_versions()) <= set(templates())
