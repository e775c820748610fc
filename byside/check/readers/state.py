"""Stack state: `pulumi stack export` (UntypedDeployment: `{"version": 1..4, "features"?,
"deployment"}`) and a file backend's checkpoint (`.pulumi/stacks/<project>/<stack>.json`:
`{"version": 1..4, "features"?, "checkpoint": {"stack", "latest": <deployment>}}`, or, before
versions, `{"stack", "latest"}`).

As pulumi/pulumi's pkg/resource/stack reads them: versions 1 and 2 are migrated to 3 (v1
`defaults` dropped, every input depending on every dependency), 3 and 4 share one shape, and a
v4 file lists the features it needs — unknown ones are rejected by name, as Pulumi rejects them.
"""

from __future__ import annotations

from typing import Any

from ...console import BadInput
from ..model import NotJudged, Plan, Resource
from .common import resource, split_by_stack

# pkg/resource/stack/deployment.go `supportedFeatures`, and what each means for the gate.
FEATURES = {
    "refreshBeforeUpdate": "a flag on the resource; the recorded state is judged",
    "views": "view resources (`viewOf`) are their provider's, not the program's: stack policies only",
    "hooks": "resource hooks run code around steps; they do not change the recorded state",
    "taint": "a tainted resource is replaced at the next update from the same inputs",
    "replaceWith": "replacement triggers; the recorded state is judged",
    "extensionParameterization": "provider parameterization; resources are judged as recorded",
    "byteString": "strings that are not UTF-8 stay in their envelope, as the engine sends them to analyzers",
}
REJECTED_FEATURES = {
    "snippets-prototype": "snippet resources are a prototype whose meaning for policies is not defined",
}
VERSIONS = (1, 2, 3, 4)


def _features(doc: dict, source: str) -> list[str]:
    features = doc.get("features") or []
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise BadInput(f"{source}: features: expected a list of feature names")
    if doc.get("version") != 4 and features:
        raise BadInput(f"{source}: features: only a version 4 deployment lists features")
    for f in features:
        if f in REJECTED_FEATURES:
            raise BadInput(f"{source}: features: {f!r} is not supported by the gate: {REJECTED_FEATURES[f]}")
        if f not in FEATURES:
            raise BadInput(f"{source}: features: this deployment needs {f!r}, which neither the gate nor this "
                           f"Pulumi version knows (known: {', '.join(sorted(FEATURES))})")
    return features


def _version(doc: dict, source: str) -> int:
    version = doc.get("version")
    if version not in VERSIONS or isinstance(version, bool):
        raise BadInput(f"{source}: version: deployment version {version!r} is not supported (expected 1 to 4, "
                       "as written by `pulumi stack export`)")
    return version


def _migrated(raw: dict, version: int) -> dict:
    """pkg/resource/stack/migrate: v1 `defaults` are dropped; v1/v2 have no per-property
    dependencies, so every input depends on every dependency."""
    if version >= 3:
        return raw
    out = {k: v for k, v in raw.items() if k != "defaults"}
    if version == 1:
        out.pop("external", None)
        out.pop("provider", None)
    deps = raw.get("dependencies") or []
    out["propertyDependencies"] = {k: list(deps) for k in (raw.get("inputs") or {})} if isinstance(deps, list) else {}
    return out


def deployment_plans(deployment: Any, version: int, source: str, where: str, fmt: str) -> list[Plan]:
    """The resources of one deployment (DeploymentV1..V3), split by stack."""
    if deployment is None:
        deployment = {}
    if not isinstance(deployment, dict):
        raise BadInput(f"{source}: {where}: expected an object")
    raw = deployment.get("resources") or []
    if not isinstance(raw, list):
        raise BadInput(f"{source}: {where}.resources: expected a list")
    resources: list[Resource] = []
    not_judged: list[NotJudged] = []
    for i, item in enumerate(raw):
        here = f"{where}.resources[{i}]"
        r = resource(_migrated(item, version) if isinstance(item, dict) else item, here, source)
        if item.get("delete"):
            not_judged.append(NotJudged(source, r.urn, "pending deletion"))
        elif item.get("pendingReplacement"):
            not_judged.append(NotJudged(source, r.urn, "pending replacement (deleted before its replacement)"))
        else:
            if isinstance(item.get("viewOf"), str) and item["viewOf"]:
                r.view_of = item["viewOf"]
                not_judged.append(NotJudged(source, r.urn, f"view of {r.view_of}: stack policies only"))
            if r.external:
                not_judged.append(NotJudged(source, r.urn, "external: read by the program, not managed by the stack; "
                                                           "no policy judges reads (as under the engine)"))
            resources.append(r)
    ops = deployment.get("pending_operations") or []
    if not isinstance(ops, list):
        raise BadInput(f"{source}: {where}.pending_operations: expected a list")
    for i, op in enumerate(ops):
        res = op.get("resource") if isinstance(op, dict) else None
        urn = res.get("urn") if isinstance(res, dict) else None
        if not isinstance(urn, str):
            raise BadInput(f"{source}: {where}.pending_operations[{i}].resource.urn: missing or not a string")
        not_judged.append(NotJudged(source, urn, f"pending operation ({op.get('type', '?')}) of an interrupted "
                                                 "update: its outcome is unknown"))
    return split_by_stack(source, resources, not_judged, fmt=fmt)


def from_stack_export(doc: dict, source: str) -> list[Plan]:
    version = _version(doc, source)
    _features(doc, source)
    return deployment_plans(doc.get("deployment"), version, source, "deployment", f"pulumi stack export v{version}")


def from_checkpoint(doc: dict, source: str) -> list[Plan]:
    """A file backend's checkpoint; an unversioned one (before Pulumi versioned them) reads as v1."""
    if "checkpoint" in doc:
        version = _version(doc, source)
        _features(doc, source)
        chk, where = doc["checkpoint"], "checkpoint"
    else:
        version, chk, where = 1, doc, ""
    if not isinstance(chk, dict):
        raise BadInput(f"{source}: checkpoint: expected an object")
    latest = f"{where}.latest" if where else "latest"
    return deployment_plans(chk.get("latest"), version, source, latest, f"checkpoint v{version}")
