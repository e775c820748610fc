"""Hostile JSON inputs (issue 10, class "JSON"): plans, --previous reviews, --policy-config, pack
config and the preview cache — nested 500 to 100,000 deep, not UTF-8, the wrong shape."""

from __future__ import annotations

import json

import pytest

from byside.check.policy_config import load_stack_config
from policies.pack_config import PackConfigError
from tests.cli import invoke, run

from .conftest import FAST_GATE, PLANS, dc_access_args, no_traceback

DEPTHS = [500, 5000, 100_000]
LIMIT = "nested deeper than 128 levels (BYSIDE_MAX_JSON_DEPTH)"


def deep_array(path, depth):
    path.write_text("[" * depth + "]" * depth)
    return path


def deep_object(path, depth):
    path.write_text('{"a":' * depth + "1" + "}" * depth)
    return path


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("command", ["check", "controls"])
def test_a_deep_plan_is_exit_2(tmp_path, depth, command):
    plan = deep_object(tmp_path / "plan.json", depth)
    assert run(command, "--plan", str(plan), "--no-checkov") == (2, f"{plan}: {LIMIT}")


def test_a_deep_line_in_an_event_stream_is_exit_2(tmp_path):
    plan = tmp_path / "events.jsonl"
    plan.write_text('{"sequence": 0}\n' + '{"a":' * 10_000 + "1" + "}" * 10_000 + "\n")
    assert run("check", "--plan", str(plan), "--no-checkov") == (2, f"{plan}:2: {LIMIT}")


@pytest.mark.parametrize("depth", DEPTHS)
def test_a_deep_previous_review_is_exit_2_and_writes_nothing(tmp_path, depth):
    prev = deep_object(tmp_path / "review.json", depth)
    out = tmp_path / "out"
    assert run(*dc_access_args(out, **{"--previous": str(prev)})) == (2, f"previous review {prev}: {LIMIT}")
    assert not out.exists()


def test_a_previous_review_that_is_not_utf8_names_line_and_column(tmp_path):
    prev = tmp_path / "review.json"
    prev.write_bytes(b'{\n  "dc": "caf\xe9"\n}\n')
    assert run(*dc_access_args(tmp_path / "o", **{"--previous": str(prev)})) == (
        2, f"previous review {prev}:2:13: not UTF-8 text (byte 0xe9)")


@pytest.mark.parametrize("depth", DEPTHS)
def test_a_deep_policy_config_is_exit_2(tmp_path, depth):
    cfg = deep_object(tmp_path / "cfg.json", depth)
    r = invoke("check", *FAST_GATE, "--policy-config", str(cfg))
    no_traceback(r)
    assert r.exit_code == 2 and r.stderr.strip().endswith(f"error: {cfg}: {LIMIT}")


def test_a_policy_config_that_is_not_utf8_is_exit_2_with_line_and_column(tmp_path):
    # Before: a traceback.
    cfg = tmp_path / "cfg.json"
    cfg.write_bytes(b'{"test-bucket-budget": "advisory",\n "note": "caf\xe9"}')
    r = invoke("check", *FAST_GATE, "--policy-config", str(cfg))
    assert r.exit_code == 2 and r.stderr.strip().endswith(f"error: {cfg}:2:14: not UTF-8 text (byte 0xe9)")


@pytest.mark.parametrize("depth", DEPTHS)
def test_a_deep_pack_config_is_refused(tmp_path, depth):
    deep_object(tmp_path / "we1.json", depth)
    with pytest.raises(PackConfigError) as e:
        load_stack_config("we1", tmp_path)
    assert str(e.value) == f"{tmp_path / 'we1.json'}: {LIMIT}"


def test_a_pack_config_that_is_not_utf8_is_refused(tmp_path):
    (tmp_path / "we1.json").write_bytes(b'{"tags-required": "advis\xf6ry"}')
    with pytest.raises(PackConfigError, match=r"we1\.json:1:25: not UTF-8 text \(byte 0xf6\)"):
        load_stack_config("we1", tmp_path)


def test_a_plan_at_a_sane_depth_is_still_read(tmp_path):
    doc = json.loads((PLANS / "stack-export.json").read_text())
    res = next(r for r in doc["deployment"]["resources"] if "inputs" in r)
    res["inputs"]["deep"] = json.loads("[" * 100 + "]" * 100)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(doc))
    code, _ = run("check", "--plan", str(plan), *FAST_GATE[2:])
    assert code == 1  # the fixture's mandatory violation, judged as before


def test_an_unreadable_preview_cache_entry_is_rebuilt(tmp_path, monkeypatch):
    from byside.preview import cache, run as preview_run

    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path)
    key = cache.inputs_key()
    entry = tmp_path / f"we1-{key}.json"
    fresh = {"version": 3, "deployment": {"manifest": {}, "resources": []}}
    calls = []
    monkeypatch.setattr(preview_run, "preview_zones",
                        lambda ids: calls.append(list(ids)) or {z: (json.dumps(fresh), "") for z in ids})
    for broken in (b'{"version": 3, "deploy', b"\xff\xfe", b"[" * 10_000, b"[]"):
        entry.write_bytes(broken)
        assert cache.preview_documents(["we1"]) == {"we1": fresh}
        assert json.loads(entry.read_text()) == fresh  # rewritten whole
    assert calls == [["we1"]] * 4
    assert cache.preview_documents(["we1"]) == {"we1": fresh} and len(calls) == 4  # now a hit
