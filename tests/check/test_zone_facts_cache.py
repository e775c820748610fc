"""The gate's decision which zone facts the pack judges with is kept, keyed by what it depends on:
a second run with the same zone data loads no zones; any change of the zone folder decides again."""

import shutil

import pytest

import zones
from byside.check import zone_facts


@pytest.fixture
def zone_copy(tmp_path, monkeypatch):
    folder = tmp_path / "zones"
    shutil.copytree(zones.PACKAGE_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setenv("BYSIDE_ZONES_DIR", str(folder))
    monkeypatch.delenv("BYSIDE_ZONE_FACTS", raising=False)
    monkeypatch.setattr(zone_facts, "CACHE_DIR", tmp_path / "cache")
    zone_facts._env.cache_clear()
    return folder


def _loads(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = zones.load_platform
    monkeypatch.setattr(zones, "load_platform", lambda folder=None: calls.append(str(folder)) or real(folder))
    return calls


def test_same_zone_data_is_decided_once(zone_copy, monkeypatch):
    calls = _loads(monkeypatch)
    first = zone_facts.facts_env()
    assert first == {}  # an unchanged copy of zones/: the pack's own facts file fits
    assert len(calls) == 1
    zone_facts._env.cache_clear()  # as a new process would start
    assert zone_facts.facts_env() == first
    assert len(calls) == 1  # the kept decision: no zone load


def test_an_edited_zone_file_is_decided_again(zone_copy, monkeypatch):
    calls = _loads(monkeypatch)
    assert zone_facts.facts_env() == {}
    we1 = zone_copy / "we1.yaml"
    we1.write_text(we1.read_text(encoding="utf-8").replace("vpn: 90", "vpn: 60", 1), encoding="utf-8")
    zone_facts._env.cache_clear()
    env = zone_facts.facts_env()
    assert len(calls) == 2
    path = env["BYSIDE_ZONE_FACTS"]
    assert '"vpn": 60' in open(path, encoding="utf-8").read()


def test_a_stray_file_changes_the_key_and_bad_data_is_never_kept(zone_copy, monkeypatch):
    assert zone_facts.facts_env() == {}
    (zone_copy / "we1.yml").write_text("zone: we1\n", encoding="utf-8")
    zone_facts._env.cache_clear()
    with pytest.raises(zones.ZoneDataError, match="we1.yml"):
        zone_facts.facts_env()
    with pytest.raises(zones.ZoneDataError, match="we1.yml"):  # not decided, so not kept
        zone_facts.facts_env()


def test_the_paths_found_without_the_zone_model_are_the_zone_packages(monkeypatch, tmp_path):
    from zones import pack_facts

    assert zone_facts.ZONES_PACKAGE_DIR == zones.PACKAGE_DIR
    assert zone_facts.FACTS == pack_facts.FACTS
    monkeypatch.delenv("BYSIDE_ZONES_DIR", raising=False)
    assert zone_facts.zone_folder() == zones.default_dir()
    monkeypatch.setenv("BYSIDE_ZONES_DIR", str(tmp_path))
    assert zone_facts.zone_folder() == zones.default_dir() == tmp_path
