"""Exit codes every command shares (README "Exit codes and limits"): usage errors are 2 everywhere,
the audits' `--fail-on` makes "1 = something found" true where it is asked for."""

from __future__ import annotations

import json

import pytest

from tests.cli import invoke
from tests.motoserver import client, doc

from .conftest import dc_access_args, no_traceback, plain

FORMATS = {
    ("check",): ("text", "json", "sarif", "junit"),
    ("controls",): ("md", "csv", "json"),
    ("drift",): ("text", "json"),
    ("zones", "validate"): ("text", "json"),
    ("zones", "show"): ("text", "json"),
}


@pytest.mark.parametrize("command", sorted(FORMATS))
def test_an_unknown_format_is_a_usage_error_everywhere(command):
    r = invoke(*command, "--format", "yaml")
    no_traceback(r)
    choices = ", ".join(f"'{c}'" for c in FORMATS[command])
    assert r.exit_code == 2 and f"'yaml' is not one of {choices}." in plain(r.output)


def test_the_declared_choices_are_the_renderers():
    from byside import controls
    from byside.check import report
    from byside.commands import check, controls as controls_cmd

    assert tuple(check.Format.__members__) == report.FORMATS
    assert tuple(controls_cmd.Format.__members__) == tuple(controls.RENDERERS)


def test_the_severity_choices_are_the_checks_severities():
    from audits.cloud_access.codes import CHECKS, SEVERITY_ORDER
    from byside.commands import audit_access

    assert set(audit_access.SEVERITIES) == {c.severity for c in CHECKS.values()} == set(SEVERITY_ORDER)


@pytest.mark.parametrize("args", [
    ["drift", "--fail-on", "sometimes"], ["audit", "access", "--out", "x", "--fail-on", "urgent"],
    ["audit", "dc-access", "--dc", "dc-lis", "--fail-on", "maybe"], ["drift", "--cloud", "azure"],
    ["audit", "dc-access", "--dc", "dc-lis", "--year", "twenty"], ["check", "--no-such-option"],
])
def test_bad_option_values_are_usage_errors(args):
    r = invoke(*args)
    no_traceback(r)
    assert r.exit_code == 2 and "Usage: byside" in r.output


# ---------------------------------------------------------------- dc-access


@pytest.mark.parametrize("fail_on, code", [(None, 0), ("never", 0), ("revoke", 1), ("finding", 1)])
def test_dc_access_exit_code_follows_fail_on(tmp_path, fail_on, code):
    out = tmp_path / "out"
    r = invoke(*dc_access_args(out), *(["--fail-on", fail_on] if fail_on else []))
    no_traceback(r)
    assert r.exit_code == code, r.output
    assert f"wrote 9 files to {out}" in r.output  # written either way: the findings are the export
    c = json.loads((out / "review.json").read_text())["counts"]
    assert c["decisions"]["revoke"] == 5


def test_dc_access_fail_on_revoke_is_0_when_nobody_is_revoked(tmp_path):
    # Everyone authorised is active, justified and used: findings DCA-10 (no previous review) only.
    auth = tmp_path / "authorized.csv"
    auth.write_text("person_id,name,badge_id,dc,area,access_level,granted_on,granted_by,justification,valid_until\n"
                    "p1,Ana,B1,dc-lis,hall,standard,2024-01-01,boss,ops,\n")
    roster = tmp_path / "roster.csv"
    roster.write_text("person_id,name,status,termination_date,job_role\np1,Ana,active,,datacenter-engineer\n")
    events = tmp_path / "events.csv"
    events.write_text("timestamp,badge_id,dc,door,direction,result\n"
                      "2025-12-01T09:00:00+00:00,B1,dc-lis,main,in,granted\n"
                      "2025-12-01T17:00:00+00:00,B1,dc-lis,main,out,granted\n")
    args = dc_access_args(tmp_path / "o", **{"--authorized": str(auth), "--roster": str(roster),
                                             "--events": str(events)})
    assert invoke(*args, "--fail-on", "revoke").exit_code == 0
    assert invoke(*dc_access_args(tmp_path / "p", **{"--authorized": str(auth), "--roster": str(roster),
                                                      "--events": str(events)}), "--fail-on", "finding").exit_code == 1


# ---------------------------------------------------------------- audit access


def _role_with(policy: dict) -> None:
    iam = client("iam")
    iam.create_role(RoleName="r1", AssumeRolePolicyDocument=doc([
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]))
    iam.put_role_policy(RoleName="r1", PolicyName="p", PolicyDocument=doc([policy]))


@pytest.mark.parametrize("fail_on, code", [(None, 0), ("never", 0), ("critical", 0), ("high", 1), ("low", 1)])
def test_access_review_exit_code_follows_fail_on(aws, tmp_path, fail_on, code):
    _role_with({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})  # CAA-05 high (and CAA-06, CAA-10)
    out = tmp_path / "o"
    r = invoke("audit", "access", "--out", str(out), *(["--fail-on", fail_on] if fail_on else []))
    no_traceback(r)
    assert r.exit_code == code, r.output
    rep = json.loads((out / "access-review.json").read_text())
    assert rep["counts"]["by_severity"]["critical"] == 0 and rep["counts"]["by_severity"]["high"] >= 1


# ---------------------------------------------------------------- drift


def test_drift_fail_on_never_reports_and_exits_0(aws, tmp_path):
    # An empty account: everything zones/ declares for we1 is missing — drift.
    out = tmp_path / "d.json"
    r = invoke("drift", "--zone", "we1", "--cloud", "aws", "--format", "json", "--out", str(out))
    assert r.exit_code == 1 and json.loads(out.read_text())["in_sync"] is False
    r = invoke("drift", "--zone", "we1", "--cloud", "aws", "--format", "json", "--fail-on", "never")
    assert r.exit_code == 0 and json.loads(r.stdout)["in_sync"] is False
