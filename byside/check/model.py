"""The gate's data: resources read from plans, violations found in them. Data first, rendered later."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low")
# The exact fields of a violation in JSON output (issue 4), in this order.
FIELDS = ("policy", "source", "severity", "enforcement", "zone", "urn", "type", "message")


def stack_of(urn: str) -> str:
    """`urn:pulumi:<stack>::<project>::<type>::<name>` -> stack ("" when not a Pulumi URN)."""
    head = urn.split("::", 1)[0]
    return head[len("urn:pulumi:"):] if head.startswith("urn:pulumi:") else ""


def project_of(urn: str) -> str:
    parts = urn.split("::")
    return parts[1] if len(parts) > 2 else ""


def name_of(urn: str) -> str:
    parts = urn.split("::", 3)
    return parts[3] if len(parts) == 4 else urn


PROJECT = "byside"  # this project's name (Pulumi.yaml; policies.common.PROJECT)


def zone_of(urn: str, inputs: dict[str, Any]) -> str:
    """docs/contracts.md: in this project's stacks, the stack (a zone id; `zone-declared` checks the
    tag against it); in other projects', the `zone` tag/label, else the stack name."""
    if project_of(urn) == PROJECT:
        return stack_of(urn)
    for key in ("tags", "labels"):
        tags = inputs.get(key)
        if isinstance(tags, dict) and isinstance(tags.get("zone"), str) and tags["zone"]:
            return tags["zone"]
    return stack_of(urn)


@dataclass
class Resource:
    """One resource in the state it will have (docs/contracts.md): one per URN, whatever its steps."""

    urn: str
    type: str
    inputs: dict[str, Any]  # after the provider's Check, as the plan records them
    custom: bool = True
    parent: str = ""
    provider: str = ""  # provider reference `<provider urn>::<id>`
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    protect: bool = False
    # Resource options the engine passes to analyzers (AnalyzerResourceOptions), when the plan has them.
    ignore_changes: list[str] = field(default_factory=list)
    additional_secret_outputs: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    custom_timeouts: dict[str, float] = field(default_factory=dict)
    delete_before_replace: bool | None = None
    outputs: dict[str, Any] | None = None  # None: the plan has no outputs for it (a change in a preview)
    op: str = ""  # the step giving its new state (create, update, same, replace, read, ...); "" in a state file
    external: bool = False  # read (`Resource.get`, a `read` step, `external: true`): not managed by the stack
    view_of: str = ""  # a view a provider reports for that resource (v4 feature `views`): not registered
    source_position: str = ""  # where the program registered it, when the plan records it

    @property
    def name(self) -> str:
        return name_of(self.urn)

    @property
    def stack(self) -> str:
        return stack_of(self.urn)

    @property
    def project(self) -> str:
        return project_of(self.urn)

    @property
    def zone(self) -> str:
        return zone_of(self.urn, self.inputs)

    @property
    def managed(self) -> bool:
        """Registered by the program: the engine runs Analyze on it; checkov judges it as a resource."""
        return not self.external and not self.view_of

    @property
    def in_stack(self) -> bool:
        """In the engine's new state (`news`), which AnalyzeStack receives; reads are kept apart."""
        return not self.external


@dataclass(frozen=True)
class NotJudged:
    """A resource (or a step) the gate did not judge in full, and why. Listed, never dropped."""

    source: str  # plan file or "preview:<zone>"
    urn: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"source": self.source, "urn": self.urn, "reason": self.reason}


@dataclass
class Plan:
    """One stack's resources from one input (a plan file or one zone's offline preview)."""

    source: str  # file path, or "preview:<zone>"
    stack: str
    resources: list[Resource]
    not_judged: list[NotJudged] = field(default_factory=list)
    project: str = PROJECT
    format: str = ""  # e.g. "pulumi stack export v4", "pulumi preview --json", "engine events"
    complete: bool = True  # False: a preview fragment (no unchanged resources); needs --state
    missing_sames: int = 0  # for a fragment: unchanged resources the preview did not list
    config: dict[str, str] = field(default_factory=dict)  # stack config the plan records (secrets blinded)

    @property
    def skipped(self) -> list[str]:
        """`urn (reason)` of what was not judged (the text report's stderr lines)."""
        return [f"{n.urn} ({n.reason})" for n in self.not_judged]


@dataclass(frozen=True)
class Rule:
    """A policy or check as reports show it (from GetAnalyzerInfo, or the checkov bridge)."""

    id: str
    source: str
    title: str
    severity: str
    enforcement: str
    description: str
    remediation: str
    clause: str = ""


@dataclass(frozen=True)
class Violation:
    policy: str
    source: str  # crossguard | checkov
    severity: str
    enforcement: str  # mandatory | advisory
    zone: str
    urn: str
    type: str
    message: str
    origin: str = ""  # plan file (or "preview:<zone>") the resource came from; not part of the JSON

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in FIELDS}

    def sort_key(self) -> tuple:
        sev = SEVERITIES.index(self.severity) if self.severity in SEVERITIES else len(SEVERITIES)
        return (self.zone, sev, self.policy, self.urn, self.message, self.source, self.enforcement)
