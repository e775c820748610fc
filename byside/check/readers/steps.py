"""Steps of a preview -> one resource per URN, in the state it will have (pkg/resource/deploy/step.go).

- create, update, same, replace, create-replacement, import, import-replacement: the new state;
- read, read-replacement: a resource the program reads, not one it manages (external);
- delete, delete-replaced, discard, discard-replaced, read-discard, remove-pending-replace: gone;
- refresh, diff: no new state of their own (a refreshed resource also has its same/update step).

A URN with several steps (a replacement: `replace` + `create-replacement` + `delete-replaced`) is
one resource: its new state if any step gives one, else the reason it has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...console import BadInput
from ..model import NotJudged, Resource
from .common import GONE_OPS, KNOWN_OPS, NEW_STATE_OPS, READ_OPS, resource

# Which step's state wins when one URN has several: the logical step first.
_RANK = {op: i for i, op in enumerate(("replace", "create-replacement", "import-replacement", "update", "create",
                                       "import", "same", "read-replacement", "read"))}


@dataclass
class Step:
    op: str
    urn: str
    new: Any  # the new state (ResourceV3 / StepEventStateMetadata), or None
    where: str  # JSON path (or line) of the new state, for errors
    outputs: Any = None  # outputs the format records for the new state, if any
    custom_default: bool = True


def check_op(op: Any, where: str, source: str) -> str:
    if not isinstance(op, str):
        raise BadInput(f"{source}: {where}: expected a step object with an `op`")
    if op not in KNOWN_OPS:
        raise BadInput(f"{source}: {where}.op: unknown step {op!r} (known: {', '.join(sorted(KNOWN_OPS))})")
    return op


def resolve(steps: list[Step], source: str, mask: bool) -> tuple[list[Resource], list[NotJudged]]:
    by_urn: dict[str, list[Step]] = {}
    for s in steps:
        by_urn.setdefault(s.urn, []).append(s)
    resources: list[Resource] = []
    not_judged: list[NotJudged] = []
    for urn, group in by_urn.items():
        states = [s for s in group if s.op in NEW_STATE_OPS | READ_OPS and s.new is not None]
        if not states:
            ops = ", ".join(dict.fromkeys(s.op for s in group))
            why = ops if any(s.op in GONE_OPS for s in group) else f"{ops}: no new state"
            not_judged.append(NotJudged(source, urn, why))
            continue
        best = min(states, key=lambda s: _RANK[s.op])
        outputs = next((s.outputs for s in sorted(states, key=lambda s: _RANK[s.op]) if s.outputs), None)
        r = resource(best.new, best.where, source, mask=mask, op=best.op, outputs=outputs or {},
                     custom_default=best.custom_default)
        if r.urn != urn:
            raise BadInput(f"{source}: {best.where}.urn: {r.urn} differs from its step's URN {urn}")
        resources.append(r)
        if r.external:
            not_judged.append(NotJudged(source, urn, f"{best.op}: read by the program, not managed by the stack; "
                                                     "no policy judges reads (as under the engine)"))
    return resources, not_judged
