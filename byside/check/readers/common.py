"""What every reader shares: a resource object in Pulumi's serialized form (apitype ResourceV3,
or the engine events' StepEventStateMetadata) -> Resource, with every field checked and named
by its JSON path on error; secrets kept sealed; plans split by stack."""

from __future__ import annotations

import struct
from typing import Any

from ...console import BadInput
from ..model import NotJudged, Plan, Resource, project_of, stack_of

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
FLOAT_SIG = "8ad145fe-0d11-4827-bfd7-1abcbf086f5c"  # NaN/±Inf in state files (hex of the float's bits)
PREVIEW_SECRET_MASK = "[secret]"  # what `pulumi preview --json` prints instead of a secret value

# Step ops the engine writes (pkg/resource/deploy/step.go), by what they mean for the new state.
NEW_STATE_OPS = {"create", "update", "same", "replace", "create-replacement", "import", "import-replacement"}
READ_OPS = {"read", "read-replacement"}  # the program reads a resource it does not manage
GONE_OPS = {"delete", "delete-replaced", "discard", "discard-replaced", "read-discard", "remove-pending-replace"}
OTHER_OPS = {"refresh", "diff", "extend-parameterize"}  # no new state of their own
KNOWN_OPS = NEW_STATE_OPS | READ_OPS | GONE_OPS | OTHER_OPS


def seal(value: Any, mask: bool = False) -> Any:
    """Plan values as the engine would send them: secrets stay envelopes (the `[secret]` mask of
    `pulumi preview --json` becomes one, when `mask`), never decrypted; a plaintext secret a file
    might carry (`--show-secrets`) is dropped from the envelope; NaN/Inf come back as floats.
    Copy on write: a value with nothing to change is returned as it is (a 50,000-resource plan is
    not held twice)."""
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == SECRET_SIG:
            sealed = {SIG_KEY: SECRET_SIG, **({"ciphertext": value["ciphertext"]}
                                              if isinstance(value.get("ciphertext"), str) else {})}
            return value if sealed == value else sealed
        if sig == FLOAT_SIG and isinstance(value.get("value"), str):
            try:
                return struct.unpack(">d", bytes.fromhex(value["value"]))[0]
            except ValueError:
                return value
        out = None
        for k, v in value.items():
            s = seal(v, mask)
            if s is not v:
                if out is None:
                    out = dict(value)
                out[k] = s
        return value if out is None else out
    if isinstance(value, list):
        out_list = None
        for i, v in enumerate(value):
            s = seal(v, mask)
            if s is not v:
                if out_list is None:
                    out_list = list(value)
                out_list[i] = s
        return value if out_list is None else out_list
    if mask and value == PREVIEW_SECRET_MASK:
        return {SIG_KEY: SECRET_SIG}
    return value


def _str_list(value: Any, where: str, source: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadInput(f"{source}: {where}: expected a list of URNs")
    return list(value)


def _timeouts(value: Any, where: str, source: str) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, (int, float)) for v in value.values()):
        raise BadInput(f"{source}: {where}: expected an object of numbers")
    return {k: float(v) for k, v in value.items() if k in ("create", "update", "delete", "read")}


def _object(value: Any, where: str, source: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadInput(f"{source}: {where}: expected an object")
    return value


def check_urn(urn: Any, where: str, source: str) -> str:
    if not isinstance(urn, str) or not urn:
        raise BadInput(f"{source}: {where}: missing or not a string")
    if not urn.startswith("urn:pulumi:") or urn.count("::") < 3:
        raise BadInput(f"{source}: {where}: {urn!r} is not a Pulumi URN "
                       "(urn:pulumi:<stack>::<project>::<type>::<name>)")
    return urn


def resource(raw: Any, where: str, source: str, *, mask: bool = False, op: str = "",
             outputs: Any = None, custom_default: bool = True) -> Resource:
    """A serialized resource state -> Resource. `outputs` overrides the state's own outputs (the
    caller knows where a format keeps them); an absent or empty `outputs` means none recorded."""
    if not isinstance(raw, dict):
        raise BadInput(f"{source}: {where}: expected a resource object, got {type(raw).__name__}")
    urn = check_urn(raw.get("urn"), f"{where}.urn", source)
    if not isinstance(raw.get("type"), str) or not raw["type"]:
        raise BadInput(f"{source}: {where}.type: missing or not a string")
    inputs = _object(raw.get("inputs"), f"{where}.inputs", source)
    outs = raw.get("outputs") if outputs is None else outputs
    outs = _object(outs, f"{where}.outputs", source) or None
    deps = _object(raw.get("propertyDependencies"), f"{where}.propertyDependencies", source)
    for key in ("parent", "provider", "sourcePosition"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise BadInput(f"{source}: {where}.{key}: expected a string")
    dbr = raw.get("deleteBeforeReplace")
    return Resource(
        urn=urn, type=raw["type"], inputs=seal(inputs, mask), outputs=seal(outs, mask) if outs else None,
        custom=bool(raw.get("custom", custom_default)), parent=raw.get("parent") or "",
        provider=raw.get("provider") or "",
        dependencies=_str_list(raw.get("dependencies"), f"{where}.dependencies", source),
        property_dependencies={k: _str_list(v, f"{where}.propertyDependencies.{k}", source) for k, v in deps.items()},
        protect=bool(raw.get("protect", False)),
        ignore_changes=_str_list(raw.get("ignoreChanges"), f"{where}.ignoreChanges", source),
        additional_secret_outputs=_str_list(raw.get("additionalSecretOutputs"), f"{where}.additionalSecretOutputs",
                                            source),
        aliases=[a for a in (raw.get("aliases") or []) if isinstance(a, str)],
        custom_timeouts=_timeouts(raw.get("customTimeouts"), f"{where}.customTimeouts", source),
        delete_before_replace=dbr if isinstance(dbr, bool) else None,
        op=op, external=bool(raw.get("external", False)) or op in READ_OPS,
        source_position=raw.get("sourcePosition") or "")


def split_by_stack(source: str, resources: list[Resource], not_judged: list[NotJudged], *, fmt: str,
                   complete: bool = True, missing_sames: int = 0, config: dict | None = None,
                   stack_hint: str = "") -> list[Plan]:
    """One Plan per (project, stack); a URN twice in one input is bad input."""
    stacks: dict[tuple[str, str], list[Resource]] = {}
    seen: set[str] = set()
    for r in resources:
        if r.urn in seen:
            raise BadInput(f"{source}: resource {r.urn} appears twice")
        seen.add(r.urn)
        stacks.setdefault((r.project, r.stack), []).append(r)
    gone: dict[tuple[str, str], list[NotJudged]] = {}
    for n in not_judged:
        gone.setdefault((project_of(n.urn), stack_of(n.urn)), []).append(n)
    keys = sorted(set(stacks) | set(gone))
    if not keys:
        return [Plan(source, stack_hint, [], [], format=fmt, complete=complete, config=dict(config or {}))]
    return [Plan(source, stack, stacks.get((project, stack), []), gone.get((project, stack), []), project=project,
                 format=fmt, complete=complete, missing_sames=missing_sames, config=dict(config or {}))
            for project, stack in keys]
