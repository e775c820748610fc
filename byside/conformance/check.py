"""Judge every resource of a plan against its provider SDK's input schema and the value rules.

Schema findings (the mock engine accepts anything; the provider's Check does not): an unknown
type token, an input the type does not have, a value of the wrong type (nested types included), a
required input missing, a value outside a closed enum, a secret input that is not a Pulumi secret.
Value rules (byside/conformance/rules.py): what the provider or the cloud API rejects that a schema
cannot say. One finding per defect: a value of the wrong type is not judged by the value rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import rules, sdk

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # Pulumi's "unknown during preview" sentinel
# Inputs the engine itself adds to a provider resource (not part of the provider's schema).
ENGINE_PROVIDER_INPUTS = {"version", "pluginDownloadURL"}


@dataclass
class Coverage:
    """What was judged: resources, their types, and the input values checked against a schema."""

    resources: int = 0
    types: set = field(default_factory=set)
    top_level: int = 0  # the resources' own inputs
    nested: int = 0  # values inside them (list items, map values, nested input types' properties)

    def as_dict(self) -> dict:
        return {"resources": self.resources, "types": len(self.types), "top_level_inputs": self.top_level,
                "nested_values": self.nested}


@dataclass(frozen=True, order=True)
class Finding:
    zone: str
    urn: str
    type: str
    path: str  # the input's path, e.g. `rules[0].startWindow`
    rule: str  # `schema.*` or a value rule's id
    message: str

    def as_dict(self) -> dict:
        return {"zone": self.zone, "urn": self.urn, "type": self.type, "path": self.path, "rule": self.rule,
                "message": self.message}

    def __str__(self) -> str:
        return f"{self.urn} {self.path or '<resource>'}: [{self.rule}] {self.message}"


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def is_unknown(value: Any) -> bool:
    return value == UNKNOWN


def check_resources(resources: Iterable[Any], zone_of=lambda r: "", coverage: Coverage | None = None) -> list[Finding]:
    """Resources with `urn`, `type`, `inputs` and `custom` (byside.check.model.Resource or plan
    dicts); component resources and the stack are not provider resources and are skipped."""
    out: list[Finding] = []
    coverage = coverage if coverage is not None else Coverage()
    for r in resources:
        urn, typ = _attr(r, "urn"), _attr(r, "type")
        if not _attr(r, "custom", True) or typ == "pulumi:pulumi:Stack":
            continue
        coverage.resources += 1
        coverage.types.add(typ)
        found = judge(typ, _attr(r, "inputs") or {}, coverage)
        out += [Finding(zone_of(r), urn, typ, path, rule, msg) for path, rule, msg in found]
    return sorted(out)


def _attr(r: Any, name: str, default: Any = None) -> Any:
    return r.get(name, default) if isinstance(r, dict) else getattr(r, name, default)


def judge(token: str, inputs: dict, coverage: Coverage | None = None) -> list[tuple[str, str, str]]:
    """(path, rule, message) for every defect of one resource's inputs."""
    try:
        schema = sdk.resource_schema(token)
    except sdk.SchemaError as exc:
        return [("", "schema.type-token", str(exc))]
    problems: list[tuple[str, str, str]] = []
    bad_paths: set[str] = set()
    values = dict(inputs)
    if schema.provider:
        values = {k: _json_text(v) for k, v in values.items() if k not in ENGINE_PROVIDER_INPUTS}
    _object(schema.inputs, values, "", problems, bad_paths, coverage or Coverage(), top=True)
    for rule in rules.for_type(token):
        for path, message in rule.check(values):
            if not any(path == b or path.startswith(b + ".") or path.startswith(b + "[") for b in bad_paths):
                problems.append((path, rule.id, message))
    return problems


def _json_text(value: Any) -> Any:
    """A provider's non-string inputs travel as JSON text (the SDK's `pulumi.runtime.to_json`)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(props: dict[str, sdk.Prop], value: dict, path: str, out: list, bad: set, cov: Coverage,
            top: bool = False) -> None:
    for key in sorted(value):
        if top:
            cov.top_level += 1
        where = _join(path, key)
        prop = props.get(key)
        if prop is None:
            out.append((where, "schema.unknown-input", f"{key!r} is not an input of this type (inputs: "
                        f"{_some(props)})"))
            bad.add(where)
            continue
        v = value[key]
        if top and prop.secret and v is not None and not is_secret(v) and not is_unknown(v):
            out.append((where, "schema.secret", f"{key} is a secret input of the provider SDK but arrives as a plain "
                        "value: wrap it in pulumi.Output.secret"))
        _value(prop.type, v, where, out, bad, cov, not top)
    for key, prop in sorted(props.items()):
        if prop.required and value.get(key) is None:
            where = _join(path, key)
            out.append((where, "schema.required", f"required input {key} is missing"))
            bad.add(where)


def _some(props: dict) -> str:
    names = sorted(props)
    return ", ".join(names[:8]) + (f", ... ({len(names)} in all)" if len(names) > 8 else "")


def _value(t: sdk.Type, v: Any, path: str, out: list, bad: set, cov: Coverage, nested: bool = False) -> None:
    if nested:
        cov.nested += 1
    if v is None or is_secret(v) or is_unknown(v) or t.kind == "any":
        return
    problem = _mismatch(t, v)
    if problem:
        out.append((path, "schema.type", problem))
        bad.add(path)
        return
    if t.kind == "union":  # judged as the member it has the shape of (a JSON text, a document, ...)
        t = _member(t, v)
    if t.kind == "array":
        for i, item in enumerate(v):
            _value(t.item, item, f"{path}[{i}]", out, bad, cov, True)
    elif t.kind == "map":
        for k in sorted(v):
            _value(t.item, v[k], f"{path}.{k}", out, bad, cov, True)
    elif t.kind == "object":
        _object(t.props, v, path, out, bad, cov)
    elif t.kind == "enum" and not t.open and str(v) not in t.values:
        out.append((path, "schema.enum", f"{v!r} is not one of {t.name}: {', '.join(sorted(t.values))}"))
        bad.add(path)


def _member(t: sdk.Type, v: Any) -> sdk.Type:
    """The union member a value is: for an object, the one whose inputs it uses and whose required
    inputs it has (AWS principals: `AWS`, `Service` or `Federated`), else the first that fits."""
    fits = [o for o in t.options if _mismatch(o, v) is None]
    if isinstance(v, dict):
        for o in fits:
            if o.kind == "object" and set(v) <= set(o.props) and all(k in v for k, p in o.props.items() if p.required):
                return o
    return fits[0]


def _mismatch(t: sdk.Type, v: Any) -> str | None:
    ok = {
        "string": isinstance(v, str),
        "integer": isinstance(v, int) and not isinstance(v, bool) or isinstance(v, float) and v.is_integer(),
        "number": isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": isinstance(v, bool),
        "array": isinstance(v, list),
        "map": isinstance(v, dict),
        "object": isinstance(v, dict),
        "enum": isinstance(v, str),
    }
    if t.kind == "union":
        return None if any(_mismatch(o, v) is None for o in t.options) else f"{_shown(v)} is not {t.describe()}"
    return None if ok.get(t.kind, True) else f"{_shown(v)} is not {t.describe()}"


def _shown(v: Any) -> str:
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "an object"}.get(type(v), type(v).__name__)
    text = json.dumps(v) if not isinstance(v, (list, dict)) else ""
    return f"{kind} {text}".strip() if len(text) < 60 else kind
