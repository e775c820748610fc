"""The streamed form of `pulumi preview --json` (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true) and
`--event-log FILE`: one apitype EngineEvent per line (pkg/backend/display/events.go).

Each step is a `resourcePreEvent` (its `metadata`: StepEventMetadata with `op`, `urn`, `old`,
`new`), followed, once the step ran (on a preview: the provider's preview), by a
`resOutputsEvent` whose `metadata.new.outputs` are the outputs the engine's AnalyzeStack
receives. Every step is emitted, `same` ones included (the stream is the whole stack; an event log
also has the default providers' internal steps). Secrets arrive as envelopes whose ciphertext is
"[secret]" (the blinding crypter); StepEventStateMetadata records no dependencies, property
dependencies or resource options, so stack policies see fewer links than from the digest.
"""

from __future__ import annotations

import json

from ...console import BadInput
from ...safeio import check_depth, max_json_depth
from ..model import Plan
from .common import check_urn, split_by_stack
from .steps import Step, check_op, resolve


def _metadata(event: dict, kind: str, lineno: int, source: str) -> dict | None:
    body = event.get(kind)
    if body is None:
        return None
    meta = body.get("metadata") if isinstance(body, dict) else None
    if not isinstance(meta, dict):
        raise BadInput(f"{source}:{lineno}: {kind}.metadata: expected a step object with an `op`")
    return meta


def from_event_stream(text: str, source: str) -> list[Plan]:
    steps: list[Step] = []
    pre: dict[tuple[str, str], Step] = {}
    config: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as e:
            raise BadInput(f"{source}:{lineno}:{e.colno}: not valid JSON: {e.msg}") from None
        except RecursionError:
            raise BadInput(f"{source}:{lineno}: nested deeper than {max_json_depth()} levels "
                           "(BYSIDE_MAX_JSON_DEPTH)") from None
        if not isinstance(event, dict) or "sequence" not in event:
            raise BadInput(f"{source}:{lineno}: not a Pulumi engine event (no `sequence`)")
        check_depth(event, f"{source}:{lineno}")
        prelude = event.get("preludeEvent")
        if isinstance(prelude, dict) and isinstance(prelude.get("config"), dict):
            config = {str(k): str(v) for k, v in prelude["config"].items()}
        meta = _metadata(event, "resourcePreEvent", lineno, source)
        if meta is not None:
            where = f"line {lineno}: resourcePreEvent.metadata"
            op = check_op(meta.get("op"), where, source)
            urn = check_urn(meta.get("urn"), f"{where}.urn", source)
            step = Step(op, urn, meta.get("new"), f"{where}.new", custom_default=False)  # `custom` is omitempty
            steps.append(step)
            pre[(urn, op)] = step
            continue
        meta = _metadata(event, "resOutputsEvent", lineno, source)
        if meta is not None:
            step = pre.get((str(meta.get("urn")), str(meta.get("op"))))
            new = meta.get("new")
            if step is not None and isinstance(new, dict) and isinstance(new.get("outputs"), dict):
                step.outputs = new["outputs"]
    resources, not_judged = resolve(steps, source, mask=True)  # a bare "[secret]" too
    return split_by_stack(source, resources, not_judged, fmt="engine events", config=config)
