"""The project's own three zones, through the default input (the offline preview of every zone):
no mandatory violation; and the preview cache is keyed on what the preview depends on."""

import json
import shutil

import jsonschema
import pytest

import zones
from byside.preview import cache as preview_input

from .conftest import HERE, ROOT, byside, violations


@pytest.fixture(scope="module")
def zone_ids():
    return sorted(zones.load_platform().zones)


def test_the_three_zones_pass_the_gate(zone_ids, tmp_path):
    out = tmp_path / "check.sarif"
    r = byside("check", "--no-checkov", "--format", "sarif", "--out", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, json.loads((HERE / "sarif-schema-2.1.0.json").read_text()))
    run = doc["runs"][0]
    assert [x for x in run["results"] if x["level"] == "error"] == []
    assert run["properties"]["zones"] == zone_ids
    assert run["properties"]["resources"] > 100 * len(zone_ids)  # the whole program was judged
    from policies.metadata import METADATA

    assert len(run["tool"]["driver"]["rules"]) == len(METADATA)


def test_controls_of_the_three_zones_all_pass(zone_ids):
    r = byside("controls", "--no-checkov", "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["zones"] == zone_ids
    states = {(c["id"], z): s["status"] for c in doc["controls"] for z, s in c["zones"].items()
              if c["coverage"] == "enforced"}
    assert states and set(states.values()) == {"pass"}


def test_preview_cache_key_follows_zone_data(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "zones", tmp_path / "zones")
    monkeypatch.setenv("BYSIDE_ZONES_DIR", str(tmp_path / "zones"))
    before = preview_input.inputs_key()
    assert preview_input.inputs_key() == before
    we1 = tmp_path / "zones" / "we1.yaml"
    we1.write_text(we1.read_text() + "\n# changed\n")
    assert preview_input.inputs_key() != before


def test_cached_documents_are_used_and_misses_rerun_the_preview(tmp_path, monkeypatch):
    from byside.preview import run as preview

    monkeypatch.setattr(preview_input, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(preview_input, "inputs_key", lambda: "k1")
    calls = []

    def fake_preview_zones(ids):
        calls.append(list(ids))
        return {z: (json.dumps({"version": 3, "deployment": {"resources": [], "zone": z}}), "") for z in ids}

    monkeypatch.setattr(preview, "preview_zones", fake_preview_zones)
    (tmp_path / "we1-k1.json").write_text('{"cached": true}')
    (tmp_path / "we2-k0.json").write_text('{"stale": true}')
    docs = preview_input.preview_documents(["we1", "we2"])
    assert calls == [["we2"]]
    assert docs == {"we1": {"cached": True}, "we2": {"version": 3, "deployment": {"resources": [], "zone": "we2"}}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["we1-k1.json", "we2-k1.json"]  # stale entry replaced
    preview_input.preview_documents(["we1", "we2"], use_cache=False)
    assert calls == [["we2"], ["we1", "we2"]]


def test_a_failing_preview_is_bad_input(tmp_path, monkeypatch):
    from byside.preview import run as preview
    from byside.console import BadInput

    def broken(ids):
        raise preview.PreviewError("zone we1: KeyError: 'no such data centre dc-xyz'")

    monkeypatch.setattr(preview_input, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(preview, "preview_zones", broken)
    with pytest.raises(BadInput, match="^offline preview failed: zone we1: KeyError: 'no such data centre dc-xyz'$"):
        preview_input.preview_documents(["we1"])


def test_the_three_zones_pass_the_gate_with_checkov(zone_ids):
    r = byside("check", "--format", "json")
    assert r.returncode == 0, r.stderr
    found = violations(r.stdout)
    assert [v for v in found if v["enforcement"] == "mandatory"] == []
    assert {v["source"] for v in found} <= {"crossguard", "checkov"}


def test_bad_zone_data_is_bad_input_for_the_default_input(tmp_path):
    shutil.copytree(ROOT / "zones", tmp_path / "zones")
    (tmp_path / "zones" / "we1.yaml").write_text((ROOT / "zones" / "we1.yaml").read_text() + "  bogus: [\n")
    import os
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "byside.cli", "check", "--no-checkov"], cwd=ROOT, capture_output=True,
                       text=True, env={**os.environ, "BYSIDE_ZONES_DIR": str(tmp_path / "zones")}, timeout=120)
    assert r.returncode == 2
    assert r.stderr.startswith("error: 1 error(s) in zone data:")
    assert f"{tmp_path / 'zones' / 'we1.yaml'}:" in r.stderr


def test_zone_option_selects_zones_of_the_preview(zone_ids):
    one = zone_ids[-1]
    r = byside("check", "--no-checkov", "--zone", one, "--format", "json")
    assert (r.returncode, violations(r.stdout)) == (0, [])
    r = byside("check", "--no-checkov", "--zone", one, "--format", "sarif")
    assert json.loads(r.stdout)["runs"][0]["properties"]["zones"] == [one]
    r = byside("check", "--zone", "xx1")
    assert (r.returncode, r.stderr.strip()) == (2, f"error: --zone: unknown zone(s) xx1; known: {', '.join(zone_ids)}")
