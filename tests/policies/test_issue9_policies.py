"""Issue 9 in the pack: the secret table is the locked SDKs', a secret policy document is reported
once as not judgeable, zone facts of this project vs others, and the project-dependent default of
network-no-world-ingress as the engine's pack process announces it."""

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from policies import secret_properties as gen
from policies.build import default_enforcement
from policies.common import PROJECT, zone_of
from policies.registry import POLICIES

from .harness import run

ROOT = Path(__file__).resolve().parents[2]
P = {p.name: p for p in POLICIES}
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "FAKE-CIPHERTEXT-PLACEHOLDER"}
DOC = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::atlas/*"}]})


def res(t, name, inputs, stack="we1", project="byside"):
    return {"type": t, "urn": f"urn:pulumi:{stack}::{project}::{t}::{name}", "name": name, "inputs": inputs}


def test_the_committed_secret_table_is_what_the_locked_sdks_declare():
    # Regenerating from the installed (uv.lock) SDKs gives the committed file, byte for byte.
    assert gen.TABLE.read_text(encoding="utf-8") == gen.dumps(gen.build())
    table = json.loads(gen.TABLE.read_text())
    assert table["types"]["aws:ec2/vpnConnection:VpnConnection"] == ["tunnel1PresharedKey", "tunnel2PresharedKey"]
    assert table["types"]["gcp:compute/vPNTunnel:VPNTunnel"] == ["sharedSecret", "sharedSecretWo"]
    assert table["types"]["pulumi:providers:aws"] == ["accessKey", "secretKey", "token"]
    # Output-only secrets (a generated client secret) are no input a program could write.
    assert "aws:cognito/userPoolClient:UserPoolClient" not in table["types"]
    assert table["maps"]["aws:cognito/identityProvider:IdentityProvider"] == ["attributeMapping", "providerDetails"]


def test_the_pack_never_imports_the_generator_or_the_rest_of_the_repository():
    # policies/ must work published alone: nothing in the pack imports byside/, tests/ or (issue 11)
    # zones/; only the development-time generators read the generator module.
    generators = {"secret_properties.py", "tag_properties.py"}
    for path in sorted((ROOT / "policies").glob("*.py")):
        text = path.read_text()
        assert "from byside" not in text and "import byside" not in text and "from tests" not in text, path
        assert not re.search(r"^\s*(from|import) zones\b", text, re.M), path
        if path.name not in generators:
            assert "secret_properties import" not in text and "import secret_properties" not in text, path


def test_a_secret_policy_document_is_reported_once_and_never_as_got_secret():
    role = res("aws:iam/role:Role", "sealed-role", {"assumeRolePolicy": SECRET, "inlinePolicies": [
        {"name": "inline", "policy": SECRET}, {"name": "plain", "policy": DOC}]})
    policy = res("aws:iam/policy:Policy", "sealed-policy", {"policy": SECRET})
    found = {p: run(P[p], [role, policy]) for p in ("iam-no-wildcard-actions", "iam-no-wildcard-resources-on-write",
                                                     "iam-mfa-required-to-assume", "iam-privilege-escalation")}
    assert found["iam-mfa-required-to-assume"] == [] and found["iam-no-wildcard-resources-on-write"] == []
    # The plain inline document is still judged; the secret ones are reported once per resource.
    assert found["iam-no-wildcard-actions"] == [
        (role["urn"], "sealed-role inlinePolicies[plain] allows wildcard actions: s3:*")]
    tail = ("iam-no-wildcard-actions, iam-no-wildcard-resources-on-write, iam-mfa-required-to-assume, "
            "iam-privilege-escalation cannot read it — keep policy documents plain (they hold no secret)")
    assert [(u.rsplit("::", 1)[-1], m) for u, m in found["iam-privilege-escalation"]] == [
        ("sealed-role", f"cannot be judged: the document is secret (assumeRolePolicy, inlinePolicies[inline]); {tail}"),
        ("sealed-policy", f"cannot be judged: the document is secret (policy); {tail}")]
    assert "got Secret" not in str(found)


def test_project_name_is_pulumi_yaml_s():
    assert yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["name"] == PROJECT


def test_zone_of_a_foreign_project_is_none_whatever_its_tags():
    assert zone_of("urn:pulumi:we1::shop::aws:ec2/vpc:Vpc::v", {"tags": {"zone": "we1"}}) == ""
    assert zone_of("urn:pulumi:we1::byside::aws:ec2/vpc:Vpc::v", {"tags": {"zone": "we9"}}) == "we1"


def test_world_ingress_is_advisory_for_other_projects_and_mandatory_here():
    assert default_enforcement("network-no-world-ingress", "byside") == "mandatory"
    assert default_enforcement("network-no-world-ingress", "shop") == "advisory"
    assert default_enforcement("network-no-public-admin-ingress", "shop") == "mandatory"
    # In a pack process the engine started for another project's stack (PULUMI_PROJECT).
    code = ("from policies.registry import POLICIES; "
            "print([p.enforcement_level.value for p in POLICIES if p.name == 'network-no-world-ingress'][0])")
    for project, level in (("shop", "advisory"), ("byside", "mandatory")):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                             env={"PATH": "/usr/bin:/bin", "PULUMI_PROJECT": project}, timeout=120)
        assert out.stdout.strip() == level, out.stderr


def test_bad_zone_data_is_loaded_once_and_reported_by_every_call(monkeypatch):
    # The pack reads zone facts (issue 11: policies/zone_facts.json), not zones/: a bad facts file.
    from policies import common, facts

    calls = []

    error = facts.FactsError("zone facts /x/zone_facts.json: not format 1")

    def broken():
        calls.append(1)
        raise error

    monkeypatch.setattr(common, "_PLATFORM", [])
    monkeypatch.setattr(facts, "load", broken)
    for _ in range(3):
        try:
            common.platform()
        except facts.FactsError as e:
            assert "not format 1" in str(e)
    assert calls == [1]  # a 10,000-resource stack would otherwise reload it for every policy call
