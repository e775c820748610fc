"""Pulumi resources (stack-export shape) -> Terraform plan JSON that checkov's terraform_plan
framework reads.

What Terraform writes and Pulumi does not, and how it is bridged:
- names: Pulumi camelCase -> Terraform snake_case, with the bridge's renames (pluralised list
  blocks: GCP `allows` -> `allow`, AWS backup `rules` -> `rule`, ...) from tables.py;
- single-item blocks Pulumi flattens into one object are re-wrapped as one-element lists;
- unknowns (the engine's sentinel) become null; secrets stay sealed: an envelope becomes the
  string `[secret]`, the ciphertext is never read;
- a scalar input that comes from another resource (a `propertyDependencies` entry) is what
  Terraform plans as unknown with a reference: its value becomes null and
  `configuration.expressions.<field>.references` names the other resource, so checkov draws the
  graph edge (e.g. flow log -> VPC for CKV2_AWS_11); JSON documents keep their value.
- types without a mapping are listed in `Conversion.unmapped`, never dropped in silence;
  component resources, providers and the stack resource have no Terraform counterpart and are
  counted apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from .tables import MAP_NAMES, TYPES, Field

TERRAFORM_VERSION = "1.9.8"
FORMAT_VERSION = "1.2"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # Pulumi's unknown-value sentinel in state/previews
SECRET_SIG = ("4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270")
REDACTED = "[secret]"
_PROVIDERS = {"aws": "registry.terraform.io/hashicorp/aws", "google": "registry.terraform.io/hashicorp/google",
              "random": "registry.terraform.io/hashicorp/random",
              "vsphere": "registry.terraform.io/hashicorp/vsphere"}


@dataclass
class Conversion:
    plan: dict[str, Any]
    addresses: dict[str, str]  # Terraform address -> Pulumi URN
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (Pulumi type, URN) of custom resources
    components: int = 0  # component resources and the stack: no Terraform counterpart
    providers: int = 0  # provider resources: provider configuration, not resources
    deleted: int = 0  # resources pending deletion (`delete: true`): not judged

    @property
    def unmapped_types(self) -> list[str]:
        return sorted({t for t, _ in self.unmapped})


def snake(name: str) -> str:
    """tfbridge's default name mapping, reversed: `tunnel1Phase1DhGroupNumbers` -> `tunnel1_phase1_dh_group_numbers`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG[0]) == SECRET_SIG[1]


def _tf_name(name: str, spec: Field | None) -> str:
    return spec.tf if spec is not None and spec.tf else snake(name)


def _scalar(value: Any) -> Any:
    return None if value == UNKNOWN else value


def _map(value: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in value.items():
        if is_secret(v):
            out[k] = REDACTED
        elif isinstance(v, dict):
            out[k] = _map(v)
        elif isinstance(v, list):
            out[k] = [_map(x) if isinstance(x, dict) and not is_secret(x) else _leaf(x) for x in v]
        else:
            out[k] = _scalar(v)
    return out


def _leaf(value: Any) -> Any:
    return REDACTED if is_secret(value) else _scalar(value)


def _block(obj: Mapping[str, Any], fields: Mapping[str, Field]) -> dict[str, Any]:
    return {_tf_name(k, fields.get(k)): _value(k, v, fields.get(k)) for k, v in obj.items()}


def _value(name: str, value: Any, spec: Field | None) -> Any:
    if is_secret(value):
        return REDACTED
    if value == UNKNOWN or value is None:
        return None
    if (spec is not None and spec.map) or (spec is None and name in MAP_NAMES):
        return _map(value) if isinstance(value, dict) else value
    nested = spec.fields if spec is not None else {}
    if isinstance(value, dict):
        block = _block(value, nested)
        # Terraform writes every block as a list; a flattened one (spec.one) or a block the table
        # does not know is one block.
        return [block]
    if isinstance(value, list):
        items = [_block(x, nested) if isinstance(x, dict) and not is_secret(x) else _leaf(x) for x in value]
        return items
    if spec is not None and spec.one:
        return [value]  # a single-item list of scalars Pulumi flattened (e.g. storage_locations)
    return value


def _is_document(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip()[:1] in ("{", "[")


def _tf_ident(name: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return ident if re.match(r"[A-Za-z_]", ident) else "r_" + ident


def _provider(tf_type: str) -> str:
    return tf_type.split("_", 1)[0]


def resource_kind(res: Mapping[str, Any]) -> str:
    """`resource`, `component` (incl. the stack), `provider` or `deleted`."""
    rtype = res.get("type", "")
    if res.get("delete"):
        return "deleted"
    if rtype.startswith("pulumi:providers:"):
        return "provider"
    if not res.get("custom", False) or rtype == "pulumi:pulumi:Stack":
        return "component"
    return "resource"


def convert(resources: list[Mapping[str, Any]]) -> Conversion:
    """Stack-export resources (dicts with urn, type, custom, inputs, dependencies,
    propertyDependencies; `outputs` not needed) -> Terraform plan JSON."""
    conv = Conversion(plan={}, addresses={})
    planned: list[dict[str, Any]] = []
    configured: list[dict[str, Any]] = []
    addr_of: dict[str, str] = {}
    taken: set[str] = set()
    todo: list[tuple[Mapping[str, Any], str, str, str]] = []

    for res in resources:
        kind = resource_kind(res)
        if kind != "resource":
            attr = {"component": "components", "provider": "providers", "deleted": "deleted"}[kind]
            setattr(conv, attr, getattr(conv, attr) + 1)
            continue
        urn, rtype = res["urn"], res["type"]
        spec = TYPES.get(rtype)
        if spec is None:
            conv.unmapped.append((rtype, urn))
            continue
        base = _tf_ident(urn.rsplit("::", 1)[-1])
        name, n = base, 1
        while f"{spec.tf_type}.{name}" in taken:  # same Pulumi name under another parent or stack
            n += 1
            name = f"{base}_{n}"
        address = f"{spec.tf_type}.{name}"
        taken.add(address)
        addr_of[urn] = address
        conv.addresses[address] = urn
        todo.append((res, address, spec.tf_type, name))

    for res, address, tf_type, name in todo:
        spec = TYPES[res["type"]]
        inputs = res.get("inputs") or {}
        values = _block(inputs, spec.fields)
        expressions: dict[str, Any] = {}
        prop_deps = res.get("propertyDependencies") or {}
        for prop, urns in sorted(prop_deps.items()):
            refs = [addr_of[u] for u in urns or [] if u in addr_of]
            if not refs:
                continue
            tf_field = _tf_name(prop, spec.fields.get(prop))
            expressions[tf_field] = {"references": [r for a in refs for r in (f"{a}.id", a)]}
            raw = inputs.get(prop)
            if isinstance(raw, str) and not _is_document(raw) or raw == UNKNOWN or is_secret(raw):
                values[tf_field] = None  # known only after the other resource: Terraform's unknown + reference
        values.update(source_aliases(res["type"], inputs, values))
        depends_on = sorted({addr_of[u] for u in res.get("dependencies") or [] if u in addr_of})
        planned.append({
            "address": address, "mode": "managed", "type": tf_type, "name": name,
            "provider_name": _PROVIDERS.get(_provider(tf_type), _provider(tf_type)),
            "schema_version": 0, "values": values, "sensitive_values": {},
        })
        conf: dict[str, Any] = {"address": address, "mode": "managed", "type": tf_type, "name": name,
                                "provider_config_key": _provider(tf_type), "expressions": expressions,
                                "schema_version": 0}
        if depends_on:
            conf["depends_on"] = depends_on
        configured.append(conf)

    providers = sorted({_provider(r["type"]) for r in planned})
    conv.plan = {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {"root_module": {"resources": planned}},
        "configuration": {
            "provider_config": {p: {"name": p, "full_name": _PROVIDERS.get(p, p)} for p in providers},
            "root_module": {"resources": configured},
        },
    }
    return conv


# aws_vpc_security_group_{ingress,egress}_rule name their source `prefix_list_id` /
# `referenced_security_group_id`; checkov's open-ingress checks (CKV_AWS_24/25/260/277, ...) read a
# prefix-list or security-group source only under aws_security_group_rule's names `prefix_list_ids` /
# `source_security_group_id`, and take a rule without them for "no source = the whole internet".
# The converted rule carries both spellings, so checkov reads the source as what it is.
_SOURCE_ALIASES = {"prefixListId": "prefix_list_ids", "referencedSecurityGroupId": "source_security_group_id"}
_VPC_RULES = ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
              "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")


def source_aliases(rtype: str, inputs: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The extra spellings of a VPC security group rule's source that checkov reads (above)."""
    if rtype not in _VPC_RULES:
        return {}
    out: dict[str, Any] = {}
    for prop, alias in _SOURCE_ALIASES.items():
        if prop not in inputs or inputs[prop] is None:
            continue
        value = _leaf(inputs[prop])  # an id, or null when known only after the other resource
        out[alias] = [value] if alias == "prefix_list_ids" else value
    return out


def dumps(plan: Mapping[str, Any]) -> str:
    """Deterministic text of a plan (same resources -> same bytes)."""
    return json.dumps(plan, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
