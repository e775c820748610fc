"""Provenance (issue 12): every resource's program line and the zone facts it was built from, in the
preview's side file, never in the resources' inputs; `sourcePosition` read from real plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from byside.provenance import Position, parse_position
from tests.cli import invoke

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    out = tmp_path_factory.mktemp("preview")
    r = invoke("preview", "--zone", "we1", "--out-dir", out)
    assert r.exit_code == 0, r.output
    return json.loads((out / "we1.json").read_text()), json.loads((out / "we1.provenance.json").read_text())


def _line(rel: str, n: int) -> str:
    return (REPO / rel).read_text().splitlines()[n - 1]


def test_every_registered_resource_has_its_program_line(preview):
    doc, side = preview
    resources = doc["deployment"]["resources"]
    assert side["format"] == "byside-provenance/1"
    assert [e["urn"] for e in side["resources"]] == [r["urn"] for r in resources]
    missing = sorted(e["urn"].rsplit("::", 2)[-2] for e in side["resources"] if not e["program"])
    # only what the program does not register itself: the stack and the SDK's default providers
    assert missing == ["pulumi:providers:random", "pulumi:providers:vsphere", "pulumi:pulumi:Stack"]
    for r, e in zip(resources, side["resources"]):
        if e["program"]:
            assert r["sourcePosition"].startswith("project:///infra/")  # the engine's own field, as it writes it
            rel, line = e["program"].rsplit(":", 1)
            assert rel.startswith("infra/") and (REPO / rel).is_file()
            assert 1 <= int(line) <= len((REPO / rel).read_text().splitlines())
        assert "provenance" not in json.dumps(r["inputs"]) and "sourcePosition" not in r["inputs"]


def test_a_prefix_list_is_traced_to_its_subscribers_cidr_lines(preview):
    _, side = preview
    entry = next(e for e in side["resources"] if e["urn"].endswith("::we1-sftp-v4-1"))
    cidrs = [f for f in entry["facts"] if f["kind"] == "allowlist"]
    assert [(f["file"], f["path"], f["value"]) for f in cidrs] == [
        ("zones/we1.yaml", "allowlists[0].cidrs[0]", "203.0.113.0/27"),
        ("zones/we1.yaml", "allowlists[0].cidrs[1]", "203.0.113.32/27")]
    for f in entry["facts"]:
        assert f["value"].split(" ")[0] in _line(f["file"], f["line"]) or f["kind"] in ("service", "tags", "zone")
    subs = [f["value"] for f in entry["facts"] if f["kind"] == "subscriber"]
    assert subs == ["sub-lusomarket"]  # sftp: only Lusomarket has it in we1
    assert "sub-lusomarket" in _line("zones/subscribers.yaml", next(
        f["line"] for f in entry["facts"] if f["kind"] == "subscriber"))
    assert entry["program"].startswith("infra/aws/allowlists.py:")


@pytest.mark.parametrize("text, expected", [
    ("project:///infra/aws/allowlists.py#45,13", Position("infra/aws/allowlists.py", 45)),
    ("project:///infra/zone.py#7", Position("infra/zone.py", 7)),
    (f"file://{REPO}/infra/zone.py#9", Position("infra/zone.py", 9)),
    ("file:///elsewhere/x.py#9", None),
    ("project:///../x.py#3", None),
    ("project:///infra/zone.py", None),
    ("project:///infra/zone.py#0", None),
    ("", None),
])
def test_source_positions_as_the_engine_writes_them(text, expected):
    assert parse_position(text, REPO) == expected


def test_real_exports_give_the_position_or_the_first_project_frame_of_the_stack_trace():
    from byside.check.readers.common import resource

    base = {"urn": "urn:pulumi:we1::byside::aws:s3/bucket:Bucket::b", "type": "aws:s3/bucket:Bucket", "custom": True}
    r = resource({**base, "sourcePosition": "project:///infra/aws/bucket.py#35,5"}, "resources[0]", "x.json")
    assert r.source_position == "project:///infra/aws/bucket.py#35,5"
    frames = [{"sourcePosition": "file:///venv/pulumi/resource.py#10"},
              {"sourcePosition": "project:///infra/aws/bucket.py#35"}]
    r = resource({**base, "stackTrace": frames}, "resources[0]", "x.json")
    assert r.source_position == "project:///infra/aws/bucket.py#35"
