"""Per-stack pack configuration: policies/config/<stack>.json, in the format of
`pulumi preview --policy-pack-config` — {"<policy-id>": "advisory"} or
{"<policy-id>": {"enforcementLevel": "advisory", "<property>": ...}}.

Validated against the policies' own config schemas (plus `enforcementLevel`), so the CLI and the
offline gate accept and reject the same files. Errors name the file and the field.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import jsonschema

from .registry import POLICIES

CONFIG_DIR = Path(__file__).resolve().parent / "config"
LEVELS = ("advisory", "mandatory", "remediate", "disabled")


class PackConfigError(ValueError):
    pass


def _schema(policy) -> dict:
    props = dict(policy.config_schema.properties) if policy.config_schema else {}
    props["enforcementLevel"] = {"type": "string", "enum": list(LEVELS)}
    return {"type": "object", "properties": props, "additionalProperties": False}


def normalize(config: Any, source: str = "<config>") -> dict[str, dict[str, Any]]:
    """{policy: {"enforcementLevel": ..., props...}}; PackConfigError naming source and field."""
    if not isinstance(config, dict):
        raise PackConfigError(f"{source}: expected a JSON object of policy IDs")
    by_name = {p.name: p for p in POLICIES}
    out: dict[str, dict[str, Any]] = {}
    for key in sorted(config):
        value = config[key]
        if key not in by_name:
            close = difflib.get_close_matches(key, sorted(by_name), n=1, cutoff=0.6)
            hint = f"(did you mean {close[0]!r}?)" if close else f"(known: {', '.join(sorted(by_name))})"
            raise PackConfigError(f"{source}: {key!r} is not a policy of the pack {hint}")
        if isinstance(value, str):
            value = {"enforcementLevel": value}
        try:
            jsonschema.validate(value, _schema(by_name[key]))
        except jsonschema.ValidationError as e:
            where = ".".join(str(p) for p in e.absolute_path)
            raise PackConfigError(f"{source}: {key}{'.' + where if where else ''}: {e.message}") from None
        out[key] = value
    return out


def configure_request(config: dict[str, dict[str, Any]]):
    """The analyzer `Configure` request for a normalised config (what the CLI sends)."""
    from google.protobuf import struct_pb2
    from pulumi.runtime.proto import analyzer_pb2 as pb

    levels = {"advisory": pb.ADVISORY, "mandatory": pb.MANDATORY, "remediate": pb.REMEDIATE, "disabled": pb.DISABLED}
    out = {}
    for name, value in config.items():
        props = struct_pb2.Struct()
        props.update({k: v for k, v in value.items() if k != "enforcementLevel"})
        out[name] = pb.PolicyConfig(enforcementLevel=levels[value.get("enforcementLevel", "mandatory")], properties=props)
    return pb.ConfigureAnalyzerRequest(policyConfig=out)
