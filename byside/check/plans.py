"""Plan readers: `pulumi stack export` (deployment version 3), `pulumi preview --json` (the CLI's
PreviewDigest: `steps[]` with `op`, `urn`, `newState`; or, streamed, one engine event per line),
and `byside preview` (stack-export shaped).
The format is detected from the document itself; anything else is bad input naming the file.

Secrets are never decrypted: a stack export's envelope (sig + ciphertext) is passed on as it is,
and the `[secret]` mask of `pulumi preview --json` becomes an envelope without a value, so the
pack sees a secret marker in both cases.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..console import BadInput
from .model import Plan, Resource, stack_of

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
PREVIEW_SECRET_MASK = "[secret]"  # what `pulumi preview --json` prints instead of a secret value
# Steps whose resource is gone after the update: not part of the new state, so not judged.
GONE_OPS = {"delete", "delete-replaced", "discard", "discard-replaced", "read-discard",
            "remove-pending-replace"}
KNOWN_FORMATS = "`pulumi preview --json`, `pulumi stack export` or `byside preview` output"


def _mask_to_secret(value: Any) -> Any:
    if value == PREVIEW_SECRET_MASK:
        return {SIG_KEY: SECRET_SIG}
    if isinstance(value, list):
        return [_mask_to_secret(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask_to_secret(v) for k, v in value.items()}
    return value


def _str_list(value: Any, where: str, source: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadInput(f"{source}: {where}: expected a list of URNs")
    return list(value)


def _resource(raw: Any, where: str, source: str, unmask: bool = False) -> Resource:
    if not isinstance(raw, dict):
        raise BadInput(f"{source}: {where}: expected a resource object, got {type(raw).__name__}")
    for key in ("urn", "type"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise BadInput(f"{source}: {where}.{key}: missing or not a string")
    if not raw["urn"].startswith("urn:pulumi:") or raw["urn"].count("::") < 3:
        raise BadInput(f"{source}: {where}.urn: {raw['urn']!r} is not a Pulumi URN "
                       "(urn:pulumi:<stack>::<project>::<type>::<name>)")
    inputs = raw.get("inputs")
    if inputs is None:
        inputs = {}
    if not isinstance(inputs, dict):
        raise BadInput(f"{source}: {where}.inputs: expected an object")
    deps = raw.get("propertyDependencies") or {}
    if not isinstance(deps, dict):
        raise BadInput(f"{source}: {where}.propertyDependencies: expected an object")
    return Resource(
        urn=raw["urn"], type=raw["type"], inputs=_mask_to_secret(inputs) if unmask else inputs,
        custom=bool(raw.get("custom", True)), parent=raw.get("parent") or "", provider=raw.get("provider") or "",
        dependencies=_str_list(raw.get("dependencies"), f"{where}.dependencies", source),
        property_dependencies={k: _str_list(v, f"{where}.propertyDependencies.{k}", source) for k, v in deps.items()},
        protect=bool(raw.get("protect", False)),
        ignore_changes=_str_list(raw.get("ignoreChanges"), f"{where}.ignoreChanges", source),
        additional_secret_outputs=_str_list(raw.get("additionalSecretOutputs"), f"{where}.additionalSecretOutputs",
                                            source),
        aliases=[a for a in (raw.get("aliases") or []) if isinstance(a, str)],
        custom_timeouts=_timeouts(raw.get("customTimeouts"), f"{where}.customTimeouts", source),
        delete_before_replace=raw.get("deleteBeforeReplace") if isinstance(raw.get("deleteBeforeReplace"), bool)
        else None)


def _timeouts(value: Any, where: str, source: str) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, (int, float)) for v in value.values()):
        raise BadInput(f"{source}: {where}: expected an object of numbers")
    return {k: float(v) for k, v in value.items() if k in ("create", "update", "delete", "read")}


def _split_by_stack(source: str, resources: list[Resource], skipped: list[str]) -> list[Plan]:
    stacks: dict[str, list[Resource]] = {}
    seen: set[str] = set()
    for r in resources:
        if r.urn in seen:
            raise BadInput(f"{source}: resource {r.urn} appears twice")
        seen.add(r.urn)
        stacks.setdefault(r.stack, []).append(r)
    if not stacks:
        return [Plan(source, "", [], skipped)]
    return [Plan(source, stack, rs, skipped if i == 0 else []) for i, (stack, rs) in enumerate(sorted(stacks.items()))]


def from_stack_export(doc: dict, source: str) -> list[Plan]:
    if doc.get("version") != 3:
        raise BadInput(f"{source}: version: deployment version {doc.get('version')!r} is not supported (expected 3, "
                       "as written by `pulumi stack export`)")
    deployment = doc.get("deployment")
    if not isinstance(deployment, dict):
        raise BadInput(f"{source}: deployment: expected an object")
    raw = deployment.get("resources") or []
    if not isinstance(raw, list):
        raise BadInput(f"{source}: deployment.resources: expected a list")
    resources, skipped = [], []
    for i, item in enumerate(raw):
        r = _resource(item, f"deployment.resources[{i}]", source)
        if isinstance(item, dict) and item.get("delete"):
            skipped.append(f"{r.urn} (pending deletion)")
            continue
        resources.append(r)
    return _split_by_stack(source, resources, skipped)


def from_preview_digest(doc: dict, source: str) -> list[Plan]:
    steps = doc.get("steps") or []
    if not isinstance(steps, list):
        raise BadInput(f"{source}: steps: expected a list")
    resources, skipped = [], []
    for i, step in enumerate(steps):
        where = f"steps[{i}]"
        if not isinstance(step, dict) or not isinstance(step.get("op"), str):
            raise BadInput(f"{source}: {where}: expected a step object with an `op`")
        state = step.get("newState")
        if step["op"] in GONE_OPS or state is None:
            skipped.append(f"{step.get('urn', '?')} ({step['op']})")
            continue
        resources.append(_resource(state, f"{where}.newState", source, unmask=True))
    return _split_by_stack(source, resources, skipped)


def from_event_stream(text: str, source: str) -> list[Plan]:
    """`pulumi preview --json` with PULUMI_ENABLE_STREAMING_JSON_PREVIEW: one engine event per line;
    each `resourcePreEvent.metadata` (StepEventMetadata) carries the step's op and `new` state.
    These states have no dependencies or propertyDependencies (the event format omits them)."""
    from .. import safeio

    steps: dict[str, dict] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as e:
            raise BadInput(f"{source}:{lineno}:{e.colno}: not valid JSON: {e.msg}") from None
        except RecursionError:
            raise BadInput(f"{source}:{lineno}: nested deeper than {safeio.max_json_depth()} levels "
                           "(BYSIDE_MAX_JSON_DEPTH)") from None
        if isinstance(event, (dict, list)):
            safeio.check_depth(event, f"{source}:{lineno}")
        if not isinstance(event, dict) or "sequence" not in event:
            raise BadInput(f"{source}:{lineno}: not a Pulumi engine event (no `sequence`)")
        pre = event.get("resourcePreEvent")
        if pre is None:
            continue
        meta = pre.get("metadata") if isinstance(pre, dict) else None
        if not isinstance(meta, dict) or not isinstance(meta.get("op"), str):
            raise BadInput(f"{source}:{lineno}: resourcePreEvent.metadata: expected a step with an `op`")
        steps[str(meta.get("urn"))] = {"op": meta["op"], "urn": meta.get("urn"), "newState": meta.get("new"),
                                       "line": lineno}
    resources, skipped = [], []
    for step in steps.values():
        state = step["newState"]
        if step["op"] in GONE_OPS or state is None:
            skipped.append(f"{step['urn']} ({step['op']})")
            continue
        if isinstance(state, dict):  # events omit `custom` when false (omitempty)
            state = {"custom": False, **state}
        resources.append(_resource(state, f"line {step['line']}: resourcePreEvent.metadata.new", source, unmask=True))
    return _split_by_stack(source, resources, skipped)


def parse_document(doc: Any, source: str) -> list[Plan]:
    """Detect the format of a parsed JSON document and read it."""
    if isinstance(doc, dict) and "deployment" in doc:
        return from_stack_export(doc, source)
    if isinstance(doc, dict) and ("steps" in doc or "changeSummary" in doc):
        return from_preview_digest(doc, source)
    kind = type(doc).__name__ if not isinstance(doc, dict) else f"object with keys {sorted(doc)[:6]}"
    raise BadInput(f"{source}: not {KNOWN_FORMATS} (expected `version` + `deployment`, or `steps`); got {kind}")


def read_plan_file(path: Path) -> list[Plan]:
    from .. import safeio  # size capped, UTF-8 with line:column, nesting capped (issue 10)

    source = str(path)
    text = safeio.decode_utf8(safeio.read_bytes(path, what="plan file"), source)
    if not text.strip():
        raise BadInput(f"{source}: empty file; expected {KNOWN_FORMATS}")
    try:
        doc = json.loads(text)
    except RecursionError:
        raise BadInput(f"{source}: nested deeper than {safeio.max_json_depth()} levels (BYSIDE_MAX_JSON_DEPTH)") from None
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and _first_line_is_event(text):
            return from_event_stream(text, source)
        raise BadInput(f"{source}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    if isinstance(doc, (dict, list)):
        safeio.check_depth(doc, source)
    if isinstance(doc, dict) and "sequence" in doc and "deployment" not in doc and "steps" not in doc:
        return from_event_stream(text, source)  # a stream of a single event
    return parse_document(doc, source)


def _first_line_is_event(text: str) -> bool:
    try:
        first = json.loads(text.lstrip().splitlines()[0])
    except (json.JSONDecodeError, IndexError, RecursionError):
        return False
    return isinstance(first, dict) and "sequence" in first


def stack_root_urn(stack: str, project: str = "byside") -> str:
    return f"urn:pulumi:{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}"


__all__ = ["read_plan_file", "parse_document", "stack_of", "stack_root_urn", "SIG_KEY", "SECRET_SIG"]
