"""`byside zones validate|show|schema` from the command line."""

import json
import subprocess
import sys

from typer.testing import CliRunner

from byside.cli import app

from .conftest import edit

runner = CliRunner()


def test_validate_ok_exits_0():
    r = runner.invoke(app, ["zones", "validate"])
    assert r.exit_code == 0
    assert "valid: 3 zones (sa1, we1, we2), 2 data centres, 7 subscribers; 16 warning(s)" in r.stdout


def test_validate_lists_every_error_and_exits_2(zdir):
    edit(zdir, "we1.yaml", "vlan: 120", "vlan: 9999")
    edit(zdir, "sa1.yaml", "timezone: America/Sao_Paulo", "timezone: Mars/Olympus")
    r = runner.invoke(app, ["zones", "validate", "--dir", str(zdir), "--format", "json"])
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert doc["valid"] is False
    assert [f"{e['file']}:{e['line']} {e['path']}: {e['message']}" for e in doc["errors"]] == [
        "zones/sa1.yaml:8 timezone: unknown IANA timezone 'Mars/Olympus'",
        "zones/we1.yaml:26 segments[1].sites.dc-lis.vlan: VLAN 9999 is outside 1-4094",
    ]


def test_show_json_window_in_utc_is_dst_aware():
    winter = json.loads(runner.invoke(app, ["zones", "show", "we1", "--on", "2026-01-15", "--format", "json"]).stdout)
    summer = json.loads(runner.invoke(app, ["zones", "show", "we1", "--on", "2026-07-15", "--format", "json"]).stdout)
    change = json.loads(runner.invoke(app, ["zones", "show", "we1", "--on", "2026-10-25", "--format", "json"]).stdout)
    assert (winter["maintenance_window"]["utc_start"], winter["maintenance_window"]["utc_end"]) == ("2026-01-15T00:00Z", "2026-01-15T06:00Z")
    assert (summer["maintenance_window"]["utc_start"], summer["maintenance_window"]["utc_end"]) == ("2026-07-14T23:00Z", "2026-07-15T05:00Z")
    assert change["maintenance_window"]["hours"] == 7.0
    assert change["maintenance_window"]["local"] == "00:00 WEST to 06:00 WET"
    sa1 = json.loads(runner.invoke(app, ["zones", "show", "sa1", "--on", "2026-07-15", "--format", "json"]).stdout)
    assert (sa1["maintenance_window"]["utc_start"], sa1["maintenance_window"]["utc_end"]) == ("2026-07-15T03:00Z", "2026-07-15T09:00Z")


def test_show_json_has_segments_policy_allowlists_backup_logs():
    d = json.loads(runner.invoke(app, ["zones", "show", "we2", "--on", "2026-01-15", "--format", "json"]).stdout)
    assert d["segments"][0] == {"name": "edge", "purpose": "Internet-facing load balancers and API gateways", "multi_az": True,
                                "sites": {"dc-mad": {"cidr": "10.20.0.0/24", "vlan": 2010}, "aws": {"cidr": "10.21.0.0/22"},
                                          "gcp": {"cidr": "10.22.0.0/24"}}}
    assert d["segment_policy"][1]["ports"] == ["tcp/5432", "tcp/2049"]
    api = next(a for a in d["allowlists"] if a["service"] == "api")
    assert (api["cidrs_declared"], api["cidrs_aggregated"]) == (3, 3)
    assert d["backup"]["daily"] == 5 and d["log_retention_days"]["vpc-flow-logs"] == 90


def test_show_text_renders_every_zone():
    r = runner.invoke(app, ["zones", "show", "--on", "2026-01-15"])
    assert r.exit_code == 0
    for text in ("WE1", "WE2", "SA1", "Segment policy", "Subscriber allowlists", "2026-01-15T03:00Z to 2026-01-15T09:00Z UTC"):
        assert text in r.stdout


def test_show_bad_input_exits_2():
    r = subprocess.run([sys.executable, "-m", "byside.cli", "zones", "show", "zz"], capture_output=True, text=True)
    assert r.returncode == 2 and "unknown zone 'zz'" in r.stderr


def test_schema_is_json_schema_with_every_kind():
    r = runner.invoke(app, ["zones", "schema"])
    schema = json.loads(r.stdout)
    kinds = {d["properties"]["kind"]["const"] for d in schema["$defs"].values() if "kind" in d.get("properties", {})}
    assert kinds == {"platform", "datacenters", "subscribers", "access", "zone"}
