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


def zone_of(urn: str, inputs: dict[str, Any]) -> str:
    """The `zone` tag/label, else the stack name in the URN (docs/contracts.md)."""
    for key in ("tags", "labels"):
        tags = inputs.get(key)
        if isinstance(tags, dict) and isinstance(tags.get("zone"), str) and tags["zone"]:
            return tags["zone"]
    return stack_of(urn)


@dataclass
class Resource:
    urn: str
    type: str
    inputs: dict[str, Any]
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

    @property
    def name(self) -> str:
        return name_of(self.urn)

    @property
    def stack(self) -> str:
        return stack_of(self.urn)

    @property
    def zone(self) -> str:
        return zone_of(self.urn, self.inputs)


@dataclass
class Plan:
    """One stack's resources from one input (a plan file or one zone's offline preview)."""

    source: str  # file path, or "preview:<zone>"
    stack: str
    resources: list[Resource]
    skipped: list[str] = field(default_factory=list)  # "urn (reason)" for steps/resources not judged


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
