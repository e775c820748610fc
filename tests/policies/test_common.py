"""Zone resolution, safe reads of engine props, taggable types, the secret-keeping wire format."""

import pytest
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy
from pulumi_policy.secret import Secret

from policies.common import UNKNOWN, as_list, get, plain, stack_of, taggable, zone_model, zone_of
from policies.wire import deserialize_keeping_secrets, resource_props

U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


def test_stack_of_urn():
    assert stack_of("urn:pulumi:sa1::byside::aws:ec2/vpc:Vpc::main") == "sa1"
    assert stack_of("urn:pulumi:we2::byside::byside:zone:Zone$aws:ec2/vpc:Vpc::main") == "we2"
    assert stack_of("not-a-urn") == ""


def test_zone_is_the_stack_in_this_project_and_none_in_others():
    # contracts.md: a stack of this project is a zone; a tag that says otherwise is zone-declared's
    # violation, not a way out of the zone's policies. Other projects belong to no zone of zones/.
    urn = "urn:pulumi:we1::byside::aws:ec2/vpc:Vpc::main"
    assert zone_of(urn, resource_props({"tags": {"zone": "sa1"}})) == "we1"
    assert zone_of(urn, resource_props({"labels": {"zone": "we9"}})) == "we1"
    assert zone_of(urn, resource_props({"tags": U})) == "we1"
    assert zone_of("urn:pulumi:we1::shop::aws:ec2/vpc:Vpc::main", resource_props({"tags": {"zone": "we1"}})) == ""


def test_zone_model_knows_the_three_zones_only():
    assert [z for z in ("we1", "we2", "sa1", "zz9") if zone_model(z) is not None] == ["we1", "we2", "sa1"]


def test_get_marks_unknowns_and_defaults_missing_values():
    props = unknown_checking_proxy({"a": {"b": [1, U]}, "c": None, "d": U})
    assert get(props, "a", "b", 0) == 1
    assert get(props, "a", "b", 1) is UNKNOWN
    assert get(props, "d") is UNKNOWN and get(props, "d", "x") is UNKNOWN
    assert get(props, "c", default="dflt") == "dflt" and get(props, "zz") is None
    assert get(props, "a", "b", 7) is None
    with pytest.raises(UnknownValueError):
        props["d"]  # what the proxy does on its own


def test_plain_and_as_list_keep_unknowns_visible():
    props = unknown_checking_proxy({"xs": ["a", U], "m": {"k": U}})
    assert plain(props) == {"xs": ["a", UNKNOWN], "m": {"k": UNKNOWN}}
    assert as_list(get(props, "xs")) == ["a", UNKNOWN]
    assert as_list(None) == [] and as_list("one") == ["one"]


def test_secrets_stay_markers_even_without_plaintext():
    raw = {"psk": {SIG: SECRET_SIG, "ciphertext": "FAKE-CIPHERTEXT-PLACEHOLDER"},
           "nested": [{"token": {SIG: SECRET_SIG, "value": "FAKE-VALUE"}}], "plain": "x"}
    out = deserialize_keeping_secrets(raw)
    assert isinstance(out["psk"], Secret) and out["psk"].value is None
    assert isinstance(out["nested"][0]["token"], Secret) and out["nested"][0]["token"].value == "FAKE-VALUE"
    assert out["plain"] == "x"
    assert get(resource_props(raw), "psk", "anything") is None  # a secret is a leaf to policies


@pytest.mark.parametrize("resource_type, key", [
    ("aws:ec2/securityGroup:SecurityGroup", "tags"),
    ("aws:ec2/vpnConnection:VpnConnection", "tags"),
    ("aws:ec2/securityGroupRule:SecurityGroupRule", None),
    ("aws:iam/rolePolicy:RolePolicy", None),
    ("gcp:compute/vPNTunnel:VPNTunnel", "labels"),
    ("gcp:compute/haVpnGateway:HaVpnGateway", "labels"),
    ("gcp:compute/firewall:Firewall", None),
    ("gcp:compute/subnetwork:Subnetwork", None),
    ("random:index/randomPassword:RandomPassword", None),
    ("byside:zone:Zone", None),
])
def test_taggable_types_come_from_the_provider_sdks(resource_type, key):
    assert taggable(resource_type) == key


def test_an_input_a_policy_cannot_read_is_a_violation_not_a_crash():
    from policies.registry import POLICIES

    from .harness import run

    admin = next(p for p in POLICIES if p.name == "network-no-public-admin-ingress")
    bad = {"type": "gcp:compute/firewall:Firewall", "urn": "urn:pulumi:we1::byside::gcp:compute/firewall:Firewall::bad-port",
           "name": "bad-port", "inputs": {"allows": [{"protocol": "tcp", "ports": ["ssh"]}], "sourceRanges": ["0.0.0.0/0"]}}
    assert run(admin, [bad]) == [(bad["urn"], "could not be evaluated: ValueError: invalid literal for int() with base 10: 'ssh'")]


def test_identity_memo_computes_once_per_object_per_call_and_never_confuses_objects():
    from policies import wire

    calls = []
    memo = wire._memo(lambda d: calls.append(d) or dict(d))
    a, b = {"x": 1}, {"x": 1}
    run = wire._per_call(lambda self, request, context: (memo(a) is memo(a), memo(b) == {"x": 1}))
    assert run(None, None, None) == (True, True) and calls == [a, b]  # equal but another object: computed again
    run(None, None, None)
    assert len(calls) == 4  # a new call, a new memo: nothing is kept between calls
    memo(a)
    assert len(calls) == 5  # outside a servicer call nothing is remembered
