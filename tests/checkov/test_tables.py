"""The mapping table against its sources: Pulumi's bridge metadata in /work/shared/reference (when
present) and the provider SDKs' input types installed in the project's environment."""

from __future__ import annotations

import collections.abc
import importlib
import inspect
import json
import sys
import typing
from pathlib import Path

import pytest

from byside.checkov_bridge.convert import snake
from byside.checkov_bridge.tables import MAP_NAMES, TYPES, Field

REFERENCE = Path("/work/shared/reference")
GCP_META = REFERENCE / "pulumi-gcp-bridge-metadata.json"
AWS_SUBSET = REFERENCE / "pulumi-aws-bridge-subset.json"


def camel(tf: str) -> str:
    head, *rest = tf.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


# ------------------------------------------------------------------ SDK input types

def _module(token: str):
    pkg, path, _ = token.split(":")
    mod = path.split("/")[0]
    return importlib.import_module(f"pulumi_{pkg}" if mod == "index" else f"pulumi_{pkg}.{mod}")


def _props(cls) -> dict[str, object]:
    """Pulumi property name -> return annotation of every getter of an SDK class."""
    out = {}
    for _, p in inspect.getmembers(cls, lambda m: isinstance(m, property)):
        name = getattr(p.fget, "_pulumi_name", None)
        if name:
            out[name] = p.fget.__annotations__.get("return")
    return out


def _kind(ann, home) -> tuple[str, type | None]:
    """(`one` | `blocks` | `map` | `list` | `scalar`, nested Args class) of an SDK annotation."""
    first = typing.get_args(ann)[0] if typing.get_origin(ann) is typing.Union else ann

    def resolve(t):
        if isinstance(t, typing.ForwardRef) and t.__forward_arg__.endswith("Args"):
            return getattr(sys.modules[home.__module__], t.__forward_arg__)
        return None

    if resolve(first):
        return "one", resolve(first)
    origin = typing.get_origin(first)
    if origin is collections.abc.Sequence:
        inner = typing.get_args(first)[0]
        inner = typing.get_args(inner)[0] if typing.get_origin(inner) is typing.Union else inner
        return ("blocks", resolve(inner)) if resolve(inner) else ("list", None)
    if origin is collections.abc.Mapping:
        return "map", None
    return "scalar", None


def _walk_sdk(token, fields, cls, path, problems, depth=0):
    props = _props(cls)
    for name, spec in fields.items():
        outputs = _props(getattr(_module(token), token.rsplit(":", 1)[1])) if depth == 0 else {}
        if name not in props and name not in outputs:
            problems.append(f"{path}{name}: not a property of {cls.__name__}")
    for name, ann in sorted(props.items()):
        kind, sub = _kind(ann, cls)
        spec: Field | None = fields.get(name)
        where = f"{path}{name}"
        if kind == "one":
            if spec is None or not spec.one:
                problems.append(f"{where}: single {sub.__name__} (flattened block) not marked one")
        elif kind in ("blocks", "list") and spec is not None and spec.one:
            problems.append(f"{where}: a list in the SDK, marked one")
        elif kind == "map" and not ((spec is not None and spec.map) or (spec is None and name in MAP_NAMES)):
            problems.append(f"{where}: a map in the SDK, keys would be renamed")
        if sub is not None and depth < 6:
            _walk_sdk(token, spec.fields if spec else {}, sub, where + ".", problems, depth + 1)


def _args_class(token):
    """The resource's own input class, from its module: where a same-named input type exists (the
    inline bucket block pulumi_aws.s3.BucketVersioningArgs) the SDK calls it `...InitArgs`."""
    name = token.rsplit(":", 1)[1]
    home = sys.modules[getattr(_module(token), name).__module__]
    return getattr(home, name + "InitArgs", None) or getattr(home, name + "Args")


@pytest.mark.parametrize("token", sorted(TYPES))
def test_table_matches_sdk_input_types(token):
    cls = _args_class(token)
    problems: list[str] = []
    _walk_sdk(token, TYPES[token].fields, cls, "", problems)
    assert problems == []


# ------------------------------------------------------------------ bridge metadata

def _walk_gcp(tf_fields, fields, cls, path, problems, outputs=None):
    props = {**(outputs or {}), **(_props(cls) if cls is not None else {})}
    renamed = {spec.tf: name for name, spec in fields.items() if spec.tf}
    for tf, meta in sorted((tf_fields or {}).items()):
        name = renamed.get(tf, camel(tf))
        spec = fields.get(name)
        where = f"{path}{tf}"
        if meta.get("maxItemsOne"):
            if spec is None or not spec.one:
                problems.append(f"{where}: maxItemsOne, not marked one")
        elif spec is not None and spec.one:
            problems.append(f"{where}: a list, marked one")
        if cls is not None and name not in props:
            problems.append(f"{where}: Pulumi name {name!r} not in {cls.__name__} (a rename missing?)")
        sub = _kind(props[name], cls)[1] if cls is not None and name in props else None
        nested = (meta.get("elem") or {}).get("fields")
        if nested:
            _walk_gcp(nested, spec.fields if spec else {}, sub, where + ".", problems)


GCP_TOKENS = sorted(t for t in TYPES if t.startswith("gcp:"))


@pytest.mark.skipif(not GCP_META.is_file(), reason="reference/pulumi-gcp-bridge-metadata.json not present")
@pytest.mark.parametrize("token", GCP_TOKENS)
def test_gcp_table_matches_bridge_metadata(token):
    meta = json.loads(GCP_META.read_text())["auto-aliasing"]["resources"][TYPES[token].tf_type]
    assert meta["current"] == token
    problems: list[str] = []
    cls = _args_class(token)
    outputs = _props(getattr(_module(token), token.rsplit(":", 1)[1]))  # output-only fields (asPaths)
    _walk_gcp(meta.get("fields"), TYPES[token].fields, cls, "", problems, outputs)
    assert problems == []


AWS_TOKENS = sorted(t for t in TYPES if t.startswith("aws:"))


@pytest.mark.skipif(not AWS_SUBSET.is_file(), reason="reference/pulumi-aws-bridge-subset.json not present")
def test_aws_table_matches_bridge_renames():
    subset = json.loads(AWS_SUBSET.read_text())["resources"]
    covered = []
    for token in AWS_TOKENS:
        spec = TYPES[token]
        ref = subset.get(spec.tf_type)
        if ref is None:
            continue
        covered.append(token)
        assert ref["token"] == token
        mine = {name: f.tf for name, f in spec.fields.items() if f.tf}
        assert mine == ref["nonCamelCaseRenames"], token
        for name, tf in ref["renamedProperties"].items():  # every other rename is plain camelCase
            assert mine.get(name, snake(name)) == tf, (token, name)
    # the reference lists 40 types; the program's types outside it are checked against the SDK only
    assert len(covered) == len([t for t in AWS_TOKENS if TYPES[t].tf_type in subset]) >= 35


def test_program_types_are_all_in_the_table():
    """Every resource type the three zones' programs register is mapped (tests/checkov/test_zones.py
    checks the same on the live preview); here the list the issue and contracts name."""
    named = {"aws:ec2/vpnConnection:VpnConnection", "gcp:compute/vPNTunnel:VPNTunnel",
             "aws:ec2/managedPrefixList:ManagedPrefixList", "aws:backup/plan:Plan", "aws:ec2/flowLog:FlowLog",
             "gcp:compute/firewall:Firewall", "gcp:compute/subnetwork:Subnetwork", "aws:iam/policy:Policy",
             "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
             "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "gcp:compute/network:Network"}
    assert named <= set(TYPES)
