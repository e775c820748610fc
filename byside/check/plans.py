"""Plan files: every format the Pulumi CLI writes, detected from the document itself, read as the
engine means it (byside/check/readers/*; docs/check.md has the table):

- `pulumi stack export` deployments, versions 1 to 4 (and `byside preview` output, version 3);
- a file backend's checkpoint (`.pulumi/stacks/<project>/<stack>.json`);
- `pulumi preview --json`: the digest (with or without `--show-sames`, `--show-replacement-steps`),
  and the streamed engine events (PULUMI_ENABLE_STREAMING_JSON_PREVIEW, `--event-log`).

A digest without its unchanged resources is a fragment of its stack: `with_state` rebuilds the
whole stack from the stack's current state (`--state FILE`), else the gate stops (exit 2).
Secrets are never decrypted: envelopes stay envelopes, the `[secret]` mask becomes one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..console import BadInput
from .model import NotJudged, Plan, Resource, stack_of
from .readers.common import SECRET_SIG, SIG_KEY
from .readers.digest import from_preview_digest
from .readers.events import from_event_stream
from .readers.state import from_checkpoint, from_stack_export

KNOWN_FORMATS = ("`pulumi preview --json`, `pulumi stack export`, a Pulumi checkpoint file or `byside preview` "
                 "output")
GZIP_MAGIC = b"\x1f\x8b"


def parse_document(doc: Any, source: str) -> list[Plan]:
    """Detect the format of a parsed JSON document and read it."""
    if isinstance(doc, dict) and "deployment" in doc:
        return from_stack_export(doc, source)
    if isinstance(doc, dict) and ("checkpoint" in doc or ("latest" in doc and ("stack" in doc or "target" in doc))):
        return from_checkpoint(doc, source)
    if isinstance(doc, dict) and ("steps" in doc or "changeSummary" in doc):
        return from_preview_digest(doc, source)
    kind = type(doc).__name__ if not isinstance(doc, dict) else f"object with keys {sorted(doc)[:6]}"
    raise BadInput(f"{source}: not {KNOWN_FORMATS} (expected `version` + `deployment`, `checkpoint`, or `steps`); "
                   f"got {kind}")


def _export_command(path: Path) -> str:
    stack = path.name.split(".", 1)[0]
    return f"`pulumi stack export --stack {stack} --file {stack}.json`"


def read_plan_file(path: Path) -> list[Plan]:
    """Read one plan file within byside.safeio's limits (size, JSON depth); any format above."""
    from .. import safeio

    source = str(path)
    data = safeio.read_bytes(path, what="plan file")
    if data[:2] == GZIP_MAGIC:
        raise BadInput(f"{source}: a gzip-compressed checkpoint (PULUMI_DIY_BACKEND_GZIP); export the stack "
                       f"instead: {_export_command(path)}, and pass that file")
    text = safeio.decode_utf8(data, source)
    del data
    if not text.strip():
        raise BadInput(f"{source}: empty file; expected {KNOWN_FORMATS}")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and _first_line_is_event(text):
            return from_event_stream(text, source)
        raise BadInput(f"{source}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    except RecursionError:
        raise BadInput(f"{source}: nested deeper than {safeio.max_json_depth()} levels (BYSIDE_MAX_JSON_DEPTH)") from None
    if isinstance(doc, (dict, list)):
        safeio.check_depth(doc, source)
    if isinstance(doc, dict) and "sequence" in doc and "deployment" not in doc and "steps" not in doc:
        return from_event_stream(text, source)  # a stream of a single event
    del text  # a large plan is not held twice
    return parse_document(doc, source)


def _first_line_is_event(text: str) -> bool:
    try:
        first = json.loads(text.lstrip().splitlines()[0])
    except (json.JSONDecodeError, IndexError, RecursionError):
        return False
    return isinstance(first, dict) and "sequence" in first


def fragment_error(plan: Plan) -> BadInput:
    return BadInput(
        f"{plan.source}: stack {plan.stack}: a partial preview: `pulumi preview --json` lists only changed "
        f"resources unless --show-sames ({plan.missing_sames} unchanged resource(s) not listed), and stack policies "
        f"and checkov's graph checks need the whole stack. Either rerun `pulumi preview --json --show-sames`, or "
        f"pass the stack's current state: `pulumi stack export --stack {plan.stack} --file {plan.stack}-state.json`, "
        f"then `byside check --plan {plan.source} --state {plan.stack}-state.json`")


def with_state(plan: Plan, state: Plan) -> Plan:
    """A preview fragment + the stack's current state -> the whole stack as it will be: every
    resource of the state the preview does not mention is unchanged (`same`, its recorded
    outputs); the preview's resources replace theirs; what it deletes is gone."""
    if (state.project, state.stack) != (plan.project, plan.stack):
        raise BadInput(f"{state.source}: --state holds stack {state.project}/{state.stack}, not "
                       f"{plan.project}/{plan.stack} of {plan.source}")
    if not state.complete:
        raise BadInput(f"{state.source}: --state must be a stack's state (`pulumi stack export`), not a preview")
    changed = {r.urn: r for r in plan.resources}
    gone = {n.urn for n in plan.not_judged if n.urn not in changed}
    resources: list[Resource] = []
    for r in state.resources:
        if r.urn in changed or r.urn in gone:
            continue
        resources.append(Resource(**{**r.__dict__, "op": "same"}))
    resources += plan.resources
    not_judged = list(plan.not_judged) + [n for n in state.not_judged if n.urn not in changed and n.urn not in gone]
    return Plan(plan.source, plan.stack, resources, not_judged, project=plan.project,
                format=f"{plan.format} + --state ({state.format})", complete=True, config=plan.config)


def stack_root_urn(stack: str, project: str = "byside") -> str:
    return f"urn:pulumi:{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}"


__all__ = ["read_plan_file", "parse_document", "with_state", "fragment_error", "stack_of", "stack_root_urn",
           "SIG_KEY", "SECRET_SIG", "NotJudged"]
