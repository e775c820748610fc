"""`byside audit access` against moto in server mode, seeded through boto3."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.cli import run as cli_run
from tests.motoserver import client, doc

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"  # moto's default account
TODAY = datetime.now(timezone.utc).date()
MFA_TRUST = doc([{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole",
                  "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}])
NO_MFA_TRUST = doc([{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}])
READ_ONLY = doc([{"Effect": "Allow", "Action": ["ec2:DescribeInstances", "logs:GetLogEvents"], "Resource": "*"}])
DECLARED_WE1 = ["we1-network-maintainer", "we1-network-read-only", "we1-platform-sre-break-glass",
                "we1-platform-sre-maintainer", "we1-platform-sre-read-only", "we1-security-read-only",
                "we1-support-read-only"]


run = cli_run  # the CLI in-process: (exit code, output or the exit-2 message)


def role(name: str, trust: str = MFA_TRUST, policy: str | None = READ_ONLY, tags: dict | None = None, **kw) -> None:
    iam = client("iam")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust,
                    Tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()], **kw)
    if policy is not None:
        iam.put_role_policy(RoleName=name, PolicyName=f"{name}-inline", PolicyDocument=policy)


def review(out: Path, *args: str) -> dict:
    code, output = run("audit", "access", "--out", str(out), *args)
    assert code == 0, output
    return json.loads((out / "access-review.json").read_text())


def found(rep: dict) -> list[tuple[str, str, str]]:
    return [(f["code"], f["principal"], f["detail"]) for f in rep["findings"]]


def test_clean_zone_has_no_findings_and_names_what_the_endpoint_lacks(aws, tmp_path):
    """The roles exactly as the program deploys them (infra/plans.py documents, infra/aws/iam.py names/tags)."""
    import zones
    from infra import plans

    p = zones.load_platform()
    iam = client("iam")
    for lvl, level in p.access.levels.items():
        iam.create_policy(PolicyName=f"we1-{lvl}", PolicyDocument=plans.level_policy(
            "we1", "eu-west-1", ACCOUNT, level.aws_actions, lvl == "break-glass"))
    for team in p.teams_for("we1"):
        for lvl in team.aws:
            name = f"we1-{team.id}-{lvl}"
            role(name, trust=plans.trust_policy(ACCOUNT, team.aws_identity_group), policy=None,
                 MaxSessionDuration=p.access.levels[lvl].max_session_seconds,
                 tags={"zone": "we1", "access-level": lvl, "team": team.id})
            iam.attach_role_policy(RoleName=name, PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/we1-{lvl}")
    role("we1-flow-logs", trust=doc([{"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                                      "Action": "sts:AssumeRole"}]),
         policy=doc([{"Effect": "Allow", "Action": ["logs:PutLogEvents"],
                      "Resource": f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/byside/we1/*"}]), tags={"zone": "we1"})
    role("AWSServiceRoleForSupport", Path="/aws-service-role/support.amazonaws.com/",
         trust=doc([{"Effect": "Allow", "Principal": {"Service": "support.amazonaws.com"}, "Action": "sts:AssumeRole"}]),
         policy=None)
    rep = review(tmp_path / "out", "--zone", "we1", "--as-of", TODAY.isoformat())
    assert rep["findings"] == []
    assert rep["counts"]["findings"] == {f"CAA-{i:02d}": 0 for i in range(1, 14)}
    assert [p["name"] for p in rep["declared_roles"]] == DECLARED_WE1
    assert (rep["account"], rep["zone_account"]) == (ACCOUNT, p.zone("we1").aws.account_id)  # moto's is not we1's
    status = {p["name"]: p["status"] for p in rep["principals"]}
    assert status == {**{n: "declared" for n in DECLARED_WE1}, "we1-flow-logs": "workload",
                      "AWSServiceRoleForSupport": "service-linked"}
    # moto's credential report has no <root_account> row: said so, not judged.
    assert rep["gaps"] == [{"item": "root account", "status": "not available from this endpoint",
                            "detail": "the credential report has no <root_account> row: CAA-03 not judged"}]
    assert {p["last_used"] for p in rep["principals"]} == {"never"}


def _plant_everything() -> None:
    role("we1-platform-sre-read-only", tags={"zone": "we1"})
    role("we1-network-maintainer", trust=NO_MFA_TRUST)                                    # CAA-08
    role("we1-platform-sre-break-glass", tags={"access-level": "break-glass"}, MaxSessionDuration=7200,  # CAA-13 only
         policy=doc([{"Effect": "Allow", "Action": "ec2:*", "Resource": f"arn:aws:ec2:eu-west-1:{ACCOUNT}:*"}]))
    role("we1-support-read-only", policy=doc([{"Effect": "Allow", "Action": "s3:*",          # CAA-05
                                                "Resource": "arn:aws:s3:::byside-we1-exports/*"}]))
    iam = client("iam")
    arn = iam.create_policy(PolicyName="terminate-anything", PolicyDocument=doc(
        [{"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*"}]))["Policy"]["Arn"]
    role("we1-security-read-only", policy=None)                                              # CAA-06
    iam.attach_role_policy(RoleName="we1-security-read-only", PolicyArn=arn)
    role("we1-network-read-only", policy=None)                                               # CAA-07
    iam.attach_role_policy(RoleName="we1-network-read-only", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    role("contractor", policy=doc([{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}]))  # 10, 9, 6
    iam.create_user(UserName="alice")                                                        # CAA-11, CAA-01
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-9")
    iam.create_user(UserName="bob")                                                          # CAA-11, CAA-02
    iam.create_access_key(UserName="bob")
    iam.create_group(GroupName="ops")                                                        # CAA-07 via a group
    iam.attach_group_policy(GroupName="ops", PolicyArn="arn:aws:iam::aws:policy/IAMFullAccess")
    iam.add_user_to_group(GroupName="ops", UserName="bob")


def test_each_planted_finding_is_found_exactly(aws, tmp_path):
    _plant_everything()
    as_of = TODAY + timedelta(days=60)
    rep = review(tmp_path / "out", "--zone", "we1", "--as-of", as_of.isoformat(), "--key-max-age", "30")
    assert found(rep) == [
        ("CAA-01", "alice", "console password enabled, mfa_active false"),
        ("CAA-02", "bob", f"access key 1 last rotated {TODAY} (60 days > 30)"),
        ("CAA-05", "we1-support-read-only", "allows s3:*"),
        ("CAA-06", "contractor", "write on Resource '*': iam:CreateAccessKey"),
        ("CAA-06", "we1-security-read-only", "write on Resource '*': ec2:TerminateInstances"),
        ("CAA-07", "we1-network-read-only", "AdministratorAccess attached"),  # roles, then users
        ("CAA-07", "bob", "IAMFullAccess attached"),
        ("CAA-08", "we1-network-maintainer", f"assumable without MFA by arn:aws:iam::{ACCOUNT}:root"),
        ("CAA-09", "contractor", "escalation methods: CreateAccessKey"),
        ("CAA-10", "contractor", "path /; tags none"),
        ("CAA-11", "alice", "IAM user; access is granted to identity groups through roles"),
        ("CAA-11", "bob", "IAM user; access is granted to identity groups through roles"),
        ("CAA-12", "we1-platform-sre-maintainer", "team platform-sre, level maintainer, zone we1"),
        ("CAA-13", "we1-platform-sre-break-glass", "MaxSessionDuration 7200 s > break-glass limit 3600 s"),
    ]
    by_code = {(f["code"], f["principal"]): f for f in rep["findings"]}
    assert by_code["CAA-07", "we1-network-read-only"]["policy"] == "arn:aws:iam::aws:policy/AdministratorAccess"
    assert by_code["CAA-07", "bob"]["policy"] == "arn:aws:iam::aws:policy/IAMFullAccess"
    assert by_code["CAA-05", "we1-support-read-only"]["policy"] == "inline:we1-support-read-only-inline"
    assert by_code["CAA-09", "contractor"]["severity"] == "critical"
    # moto reports these credential-report columns as not_supported: listed as gaps, not guessed.
    assert [g["item"] for g in rep["gaps"]] == [
        "credential report column access_key_1_last_used_region", "credential report column access_key_1_last_used_service",
        "credential report column access_key_2_last_used_region", "credential report column access_key_2_last_used_service",
        "credential report column password_next_rotation", "root account"]


def test_unused_principals_from_role_last_used_and_key_last_used(aws, tmp_path):
    role("we1-platform-sre-read-only")
    role("we1-support-read-only")
    iam = client("iam")
    iam.create_user(UserName="carol")
    key = iam.create_access_key(UserName="carol")["AccessKey"]
    client("iam", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]).list_users()
    creds = client("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/we1-platform-sre-read-only",
                                      RoleSessionName="review")["Credentials"]
    client("iam", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
           aws_session_token=creds["SessionToken"]).list_roles()
    as_of = TODAY + timedelta(days=100)
    rep = review(tmp_path / "a", "--zone", "we1", "--as-of", as_of.isoformat(), "--key-max-age", "365")
    assert [x for x in found(rep) if x[0] == "CAA-04"] == [
        ("CAA-04", "we1-platform-sre-read-only", f"last used {TODAY} (100 days before {as_of})"),
        ("CAA-04", "we1-support-read-only", f"never used; created {TODAY}"),
        ("CAA-04", "carol", f"no password or access-key use in 90 days (last: {TODAY})"),
    ]
    last = {p["name"]: p["last_used"] for p in rep["principals"]}
    assert last == {"carol": TODAY.isoformat(), "we1-platform-sre-read-only": TODAY.isoformat(),
                    "we1-support-read-only": "never"}
    rep = review(tmp_path / "b", "--zone", "we1", "--as-of", as_of.isoformat(), "--unused-days", "100")
    assert [x for x in found(rep) if x[0] == "CAA-04"] == []


def test_bundle_formats_manifest_and_determinism(aws, tmp_path):
    _plant_everything()
    args = ("--zone", "we1", "--as-of", (TODAY + timedelta(days=60)).isoformat())
    review(tmp_path / "one", *args)
    review(tmp_path / "two", *args)
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == ["access-review.html", "access-review.json", "access-review.xlsx", "checks.csv", "data-gaps.csv",
                     "findings.csv", "manifest.sha256", "principals.csv", "rejected.csv", "summary.csv"]
    for n in names:
        assert (tmp_path / "one" / n).read_bytes() == (tmp_path / "two" / n).read_bytes(), n
    check = subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=tmp_path / "one", capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    lines = (tmp_path / "one" / "findings.csv").read_text().splitlines()
    assert lines[0] == "code,severity,title,principal_type,principal,policy,detail"
    assert len(lines) == 1 + 13  # the planted set less CAA-02 (key 60 days old, limit 90)
    checks = (tmp_path / "one" / "checks.csv").read_text()
    assert "CAA-03,critical,Root account with access keys or without MFA" in checks
    assert "Correct-Horse-9" not in "".join((tmp_path / "one" / n).read_text(errors="replace") for n in names)


def test_root_row_is_judged_when_the_endpoint_provides_it():
    """Pure review over an Inventory (no SDK): what AWS's report carries for the root user."""
    import zones
    from audits.cloud_access import Inventory, Params, review as run_review

    root = {"user": "<root_account>", "arn": f"arn:aws:iam::{ACCOUNT}:root", "user_creation_time": "2020-01-01T00:00:00+00:00",
            "password_enabled": "not_supported", "password_last_used": "2025-01-01T00:00:00+00:00",
            "mfa_active": "false", "access_key_1_active": "true", "access_key_1_last_rotated": "2020-01-01T00:00:00+00:00",
            "access_key_1_last_used_date": "N/A", "access_key_2_active": "false"}
    inv = Inventory(account=ACCOUNT, credential_report=[root], users=[], roles=[])
    r = run_review(inv, zones.load_platform(), Params(as_of=datetime(2025, 6, 1).date(), zone="we1"))
    assert [(f.code, f.principal, f.detail) for f in r.findings if f.code == "CAA-03"] == [
        ("CAA-03", "<root_account>", "mfa_active false, access key 1 active")]
    assert [g.item for g in r.gaps] == []


def test_role_last_used_missing_from_the_endpoint_is_a_gap_not_a_finding():
    import zones
    from audits.cloud_access import Inventory, Params, review as run_review
    from audits.cloud_access.read import Role

    old = datetime(2020, 1, 1, tzinfo=timezone.utc)
    r = Role(name="we1-support-read-only", arn="arn:aws:iam::1:role/x", path="/", created=old,
             trust=json.loads(MFA_TRUST), max_session=3600, tags={}, policies=[], last_used=None)
    res = run_review(Inventory(account=ACCOUNT, credential_report=[], users=[], roles=[r]), zones.load_platform(),
                     Params(as_of=datetime(2025, 6, 1).date(), zone="we1"))
    assert not [f for f in res.findings if f.code == "CAA-04"]
    assert [p.last_used for p in res.principals] == ["not available from this endpoint"]
    assert "role last used" in [g.item for g in res.gaps]


def test_bad_input_and_unreachable_endpoint_exit_2(aws, tmp_path, monkeypatch):
    assert run("audit", "access", "--out", str(tmp_path / "x"), "--as-of", "2025-13-01")[0] == 2
    code, msg = run("audit", "access", "--out", str(tmp_path / "x"), "--zone", "mars")
    assert (code, msg) == (2, "--zone: unknown zone 'mars'; known: sa1, we1, we2")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    proc = subprocess.run([sys.executable, "-m", "byside.cli", "audit", "access", "--out", str(tmp_path / "y")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "cannot read the account" in proc.stderr and "127.0.0.1:9" in proc.stderr
    assert not (tmp_path / "y").exists() and not (tmp_path / "x").exists()
