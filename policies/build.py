"""Turn a validate function and its metadata row into a pulumi_policy policy object."""

from __future__ import annotations

from typing import Any, Callable

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)

from .metadata import METADATA

FRAMEWORK = "BySide Service Description"


def _common(policy_id: str, config: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    m = METADATA[policy_id]
    return dict(
        name=m.id,
        description=m.description,
        enforcement_level=EnforcementLevel(m.enforcement),
        config_schema=PolicyConfigSchema(properties=config) if config else None,
        display_name=m.title,
        severity=Severity(m.severity),
        framework=PolicyComplianceFramework(name=FRAMEWORK, reference=m.section, specification=m.clause),
        tags=[m.kind] + (["zone-aware"] if m.zone_aware else []),
        remediation_steps=m.remediation,
    )


def resource_policy(policy_id: str, validate: Callable, config: dict[str, dict[str, Any]] | None = None) -> ResourceValidationPolicy:
    assert METADATA[policy_id].kind == "resource", policy_id
    return ResourceValidationPolicy(validate=validate, **_common(policy_id, config))


def stack_policy(policy_id: str, validate: Callable, config: dict[str, dict[str, Any]] | None = None) -> StackValidationPolicy:
    assert METADATA[policy_id].kind == "stack", policy_id
    return StackValidationPolicy(validate=validate, **_common(policy_id, config))
