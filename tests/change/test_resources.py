"""byside.change.resources: which resources a change creates, updates, replaces and deletes."""

from __future__ import annotations

import json

from byside.change.resources import compare, diff_values
from byside.check.model import Plan, Resource

SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "AAA"}
OTHER = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "BBB"}
U = "urn:pulumi:we1::byside::"


def _plan(*resources: Resource) -> list[Plan]:
    return [Plan("preview:we1", "we1", list(resources), project="byside")]


def test_a_secret_is_only_ever_changed_never_shown():
    changes = diff_values({"tunnel1PresharedKey": SECRET, "x": 1}, {"tunnel1PresharedKey": OTHER, "x": 1})
    assert [c.as_dict() for c in changes] == [{"path": "tunnel1PresharedKey", "secret": True}]
    assert changes[0].label == "tunnel1PresharedKey: changed (secret)"
    added = diff_values({}, {"opts": {"key": SECRET}})
    assert [c.as_dict() for c in added] == [{"path": "opts", "secret": True}]
    assert "AAA" not in json.dumps([c.as_dict() for c in changes + added])
    assert diff_values({"k": SECRET}, {"k": dict(SECRET)}) == []


def test_created_updated_replaced_deleted():
    base = _plan(Resource(U + "aws:s3/bucket:Bucket::gone", "aws:s3/bucket:Bucket", {}),
                 Resource(U + "aws:s3/bucket:Bucket::kept", "aws:s3/bucket:Bucket", {"acl": "private"}),
                 Resource(U + "aws:ec2/vpc:Vpc::net", "aws:ec2/vpc:Vpc", {"cidrBlock": "10.0.0.0/16", "tags": {"a": "1"}}),
                 Resource(U + "aws:ec2/subnet:Subnet::s", "aws:ec2/subnet:Subnet", {"cidrBlock": "10.0.1.0/24"}))
    head = _plan(Resource(U + "aws:s3/bucket:Bucket::new", "aws:s3/bucket:Bucket", {}),
                 Resource(U + "aws:s3/bucket:Bucket::kept", "aws:s3/bucket:Bucket", {"acl": "private"}),
                 Resource(U + "aws:ec2/vpc:Vpc::net", "aws:ec2/vpc:Vpc", {"cidrBlock": "10.1.0.0/16", "tags": {"a": "2"}},
                          replace_on_changes=["cidrBlock"]),
                 Resource(U + "aws:ec2/subnet:Subnet::s", "aws:ec2/subnet:Subnet", {"cidrBlock": "10.0.2.0/24"}))
    got = [(c.action, c.name, [x.path for x in c.changes], c.replace, c.forcing) for c in compare(base, head)]
    assert got == [
        ("create", "new", [], "", []),
        ("update", "s", ["cidrBlock"], "may replace", []),
        ("replace", "net", ["cidrBlock", "tags.a"], "replace", ["cidrBlock"]),
        ("delete", "gone", [], "", []),
    ]
