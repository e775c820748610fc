"""What a change does to the resources: per zone, every resource created, updated (with the
changed property paths), replaced and deleted, from the plans of two commits (base and head).

Compared on the resources' inputs as the plans record them (the offline preview: the program's
inputs; outputs are the mock engine's and say nothing). Secret values are never compared in the
clear nor shown: a path whose value is (or was) a secret envelope is reported as "changed" only —
and the offline preview seals every secret with the same placeholder, so a secret's new value
cannot even be told from its old one there (docs/diff.md).

Replacement: the engine replaces a resource when a changed property is in its `replaceOnChanges`
option (the program's, or the one a provider SDK adds to its registrations) — that is "replace".
Bridged providers (aws, gcp, vsphere) keep Terraform's ForceNew flags in the provider plugin, not
in their SDKs, and no plugin runs offline: every other update "may replace".
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..check.model import Plan, Resource
from ..check.readers.common import SECRET_SIG, SIG_KEY

ACTIONS = ("create", "update", "replace", "delete")
_ABSENT = object()
STACK_TYPE = "pulumi:pulumi:Stack"


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def redact(value: Any) -> Any:
    """A value with every secret envelope replaced by "[secret]" (for showing before/after)."""
    if is_secret(value):
        return "[secret]"
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


@dataclass(frozen=True)
class Change:
    """One changed property path; `before`/`after` absent (None with `added`/`removed`) or redacted."""

    path: str
    before: Any = None
    after: Any = None
    secret: bool = False
    added: bool = False
    removed: bool = False

    def as_dict(self) -> dict:
        if self.secret:
            return {"path": self.path, "secret": True}
        out: dict[str, Any] = {"path": self.path}
        if not self.added:
            out["before"] = redact(self.before)
        if not self.removed:
            out["after"] = redact(self.after)
        return out

    @property
    def label(self) -> str:
        """`path: before → after` (values shown when short), `path: + value`, `path: − value`;
        a secret only as `path: changed (secret)`."""
        if self.secret:
            return f"{self.path}: changed (secret)"
        if self.added:
            return f"{self.path}: + {_short(self.after)}"
        if self.removed:
            return f"{self.path}: − {_short(self.before)}"
        return f"{self.path}: {_short(self.before)} → {_short(self.after)}"


def _short(value: Any, limit: int = 64) -> str:
    text = value if isinstance(value, str) else json.dumps(redact(value), sort_keys=True, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def diff_values(a: Any, b: Any, path: str = "") -> list[Change]:
    """The property paths whose values differ between `a` (base) and `b` (head), sorted."""
    if is_secret(a) or is_secret(b):
        return [] if a == b else [Change(path or "(value)", secret=True)]
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            sub = _join(path, k)
            if k not in a:
                out.append(Change(sub, after=b[k], added=True, secret=_holds_secret(b[k])))
            elif k not in b:
                out.append(Change(sub, before=a[k], removed=True, secret=_holds_secret(a[k])))
            else:
                out += diff_values(a[k], b[k], sub)
        return out
    if isinstance(a, list) and isinstance(b, list):
        # Aligned as a sequence (the program sorts its lists): an inserted entry is one addition,
        # not a change of every entry after it. Index: the head's, the base's for a removal.
        key = [json.dumps(x, sort_keys=True, default=str) for x in a], [json.dumps(x, sort_keys=True, default=str)
                                                                         for x in b]
        out = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, *key, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for k in range(pairs):
                out += diff_values(a[i1 + k], b[j1 + k], _join(path, j1 + k))
            for i in range(i1 + pairs, i2):
                out.append(Change(_join(path, i), before=a[i], removed=True, secret=_holds_secret(a[i])))
            for j in range(j1 + pairs, j2):
                out.append(Change(_join(path, j), after=b[j], added=True, secret=_holds_secret(b[j])))
        return out
    return [] if a == b else [Change(path or "(value)", before=a, after=b)]


def _holds_secret(value: Any) -> bool:
    if is_secret(value):
        return True
    if isinstance(value, dict):
        return any(_holds_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_secret(v) for v in value)
    return False


def _top(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def replacement(r: Resource, changes: list[Change]) -> tuple[str, list[str]]:
    """("replace", the properties that force it) when a changed property is in the resource's
    replaceOnChanges ("*": any); else ("may replace", []): unknown offline (module docstring)."""
    marks = set(r.replace_on_changes)
    forcing = sorted({c.path for c in changes if "*" in marks or _top(c.path) in marks or c.path in marks})
    return ("replace", forcing) if forcing else ("may replace", [])


@dataclass
class ResourceChange:
    zone: str
    urn: str
    type: str
    action: str  # create | update | replace | delete
    changes: list[Change] = field(default_factory=list)  # update / replace: what changed
    replace: str = ""  # update: "may replace" (unknown offline); replace: "replace"
    forcing: list[str] = field(default_factory=list)  # replace: the replaceOnChanges properties changed

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]

    def sort_key(self) -> tuple:
        return (self.zone, ACTIONS.index(self.action), self.type, self.urn)

    def as_dict(self) -> dict:
        out: dict[str, Any] = {"zone": self.zone, "urn": self.urn, "type": self.type, "action": self.action}
        if self.action in ("update", "replace"):
            out["replacement"] = self.replace
            out["changes"] = [c.as_dict() for c in self.changes]
        if self.forcing:
            out["forcing"] = self.forcing
        return out


def _by_urn(plans: Iterable[Plan]) -> dict[str, tuple[str, Resource]]:
    out = {}
    for p in plans:
        for r in p.resources:
            if r.type != STACK_TYPE and r.in_stack:
                out[r.urn] = (p.stack, r)
    return out


def compare(base: list[Plan], head: list[Plan]) -> list[ResourceChange]:
    """Every resource that differs between the base's and the head's plans, sorted by zone, action,
    type and URN. A URN is the identity (a renamed resource is a delete and a create, as in Pulumi)."""
    old, new = _by_urn(base), _by_urn(head)
    out: list[ResourceChange] = []
    for urn in sorted(set(old) | set(new)):
        if urn not in old:
            zone, r = new[urn]
            out.append(ResourceChange(zone, urn, r.type, "create"))
        elif urn not in new:
            zone, r = old[urn]
            out.append(ResourceChange(zone, urn, r.type, "delete"))
        else:
            (_, a), (zone, b) = old[urn], new[urn]
            changes = diff_values(a.inputs, b.inputs)
            if a.type != b.type:  # cannot happen for one URN (the type is in it); kept fail-closed
                changes.insert(0, Change("(type)", before=a.type, after=b.type))
            if changes:
                action, forcing = replacement(b, changes)
                out.append(ResourceChange(zone, urn, b.type, "replace" if action == "replace" else "update",
                                          changes, action, forcing))
    return sorted(out, key=ResourceChange.sort_key)
