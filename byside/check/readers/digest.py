"""`pulumi preview --json`: the CLI's PreviewDigest (pkg/backend/display/json.go ShowPreviewDigest):
`{"config", "steps": [{"op", "urn", "provider", "oldState", "newState", ...}], "diagnostics",
"changeSummary": {op: count}}`, each state an apitype ResourceV3 with secrets masked as "[secret]".

What the CLI leaves out, and how the reader knows:
- without `--show-sames` it lists no `same` step but the root stack's, while `changeSummary.same`
  still counts them all: the digest is then a fragment of the stack (Plan.complete False);
- without `--show-replacement-steps` a replacement is its logical `replace` step alone; with it,
  `create-replacement` and `delete-replaced` follow for the same URN (one resource);
- `--show-reads` changes the progress display only: `read` steps are always in the digest;
- default providers' steps are internal and never shown.
A state's outputs are taken as the engine's AnalyzeStack sees them: a `same` step keeps its old
outputs; a step that changes the resource has outputs only after the provider's preview, which
the digest does not record (its `newState` is captured before the step runs).
"""

from __future__ import annotations

from typing import Any

from ...console import BadInput
from ..model import Plan
from .common import check_urn, split_by_stack
from .steps import Step, check_op, resolve


def from_preview_digest(doc: dict, source: str) -> list[Plan]:
    steps_raw = doc.get("steps") or []
    if not isinstance(steps_raw, list):
        raise BadInput(f"{source}: steps: expected a list")
    summary = doc.get("changeSummary") or {}
    if not isinstance(summary, dict) or not all(isinstance(v, int) for v in summary.values()):
        raise BadInput(f"{source}: changeSummary: expected an object of counts")
    config = doc.get("config") or {}
    if not isinstance(config, dict):
        raise BadInput(f"{source}: config: expected an object")
    steps: list[Step] = []
    for i, raw in enumerate(steps_raw):
        where = f"steps[{i}]"
        if not isinstance(raw, dict):
            raise BadInput(f"{source}: {where}: expected a step object with an `op`")
        op = check_op(raw.get("op"), where, source)
        urn = check_urn(raw.get("urn"), f"{where}.urn", source)
        old = raw.get("oldState")
        outputs: Any = None
        if op == "same" and isinstance(old, dict):
            outputs = old.get("outputs")  # SameStep keeps the old outputs
        steps.append(Step(op, urn, raw.get("newState"), f"{where}.newState", outputs))
    resources, not_judged = resolve(steps, source, mask=True)
    listed_sames = sum(1 for s in steps if s.op == "same")
    missing = max(0, int(summary.get("same", 0)) - listed_sames)
    return split_by_stack(source, resources, not_judged, fmt="pulumi preview --json", complete=missing == 0,
                          missing_sames=missing, config={str(k): str(v) for k, v in config.items()})
