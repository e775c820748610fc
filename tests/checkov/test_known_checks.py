"""The checkov check IDs a suppression may name (byside/checkov_bridge/runner.py known_checks): read
from the installed checkov's files once per installation, kept in build/cache under a key of its
dist-info RECORD; a damaged or stale cache is read again, never trusted."""

import json
import os
from pathlib import Path

from byside.checkov_bridge import runner


def _fake_checkov(root: Path, ids: list[str]) -> Path:
    site = root / "lib" / "python3.11" / "site-packages"
    checks = site / "checkov" / "terraform" / "checks" / "resource" / "aws"
    checks.mkdir(parents=True)
    for i, cid in enumerate(ids):
        (checks / f"Check{i}.py").write_text(f'        id = "{cid}"\n', encoding="utf-8")
    record = site / "checkov-9.9.9.dist-info" / "RECORD"
    record.parent.mkdir(parents=True)
    record.write_text("checkov/__init__.py,,\n", encoding="utf-8")
    (root / "bin").mkdir()
    exe = root / "bin" / "checkov"
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    return exe


def test_ids_come_from_the_installation_and_are_cached_per_record(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "KNOWN_CACHE_DIR", tmp_path / "cache")
    exe = _fake_checkov(tmp_path / "env", ["CKV_AWS_1", "CKV2_AWS_11"])
    runner._known_checks.cache_clear()
    first = runner.known_checks(exe)
    assert {"CKV_AWS_1", "CKV2_AWS_11"} <= first and "CKV_BYS_1" in first  # the project's own too
    [cache] = list((tmp_path / "cache").iterdir())
    assert json.loads(cache.read_text()) == ["CKV2_AWS_11", "CKV_AWS_1"]
    # The cache answers while the RECORD is unchanged (a new check file alone is not an install) ...
    checks = next((tmp_path / "env").rglob("aws"))
    (checks / "Extra.py").write_text('id = "CKV_AWS_99"\n')
    runner._known_checks.cache_clear()
    assert "CKV_AWS_99" not in runner.known_checks(exe)
    # ... and an install rewrites the RECORD: read again.
    record = next((tmp_path / "env").rglob("RECORD"))
    record.write_text("checkov/__init__.py,,\ncheckov/x.py,,\n")
    os.utime(record, ns=(1, 1))
    runner._known_checks.cache_clear()
    assert "CKV_AWS_99" in runner.known_checks(exe)
    runner._known_checks.cache_clear()


def test_a_damaged_cache_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "KNOWN_CACHE_DIR", tmp_path / "cache")
    exe = _fake_checkov(tmp_path / "env", ["CKV_GCP_2"])
    runner._known_checks.cache_clear()
    runner.known_checks(exe)
    [cache] = list((tmp_path / "cache").iterdir())
    for damaged in ("{not json", "[]", '["rm -rf /"]', '{"a": 1}'):
        cache.write_text(damaged)
        runner._known_checks.cache_clear()
        assert "CKV_GCP_2" in runner.known_checks(exe)
        assert json.loads(cache.read_text()) == ["CKV_GCP_2"]
    runner._known_checks.cache_clear()
