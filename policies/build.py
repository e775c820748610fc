"""Turn a validate function and its metadata row into a pulumi_policy policy object."""

from __future__ import annotations

import os
from typing import Any, Callable

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)

from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UnknownValueError

from .common import PROJECT
from .metadata import METADATA

FRAMEWORK = "BySide Service Description"


def default_enforcement(policy_id: str, project: str | None = None) -> str:
    """The policy's default level for the project being judged: the engine starts one pack per
    stack with PULUMI_PROJECT set, so the pack announces the level that applies to that project."""
    m = METADATA[policy_id]
    project = project if project is not None else os.environ.get("PULUMI_PROJECT", PROJECT)
    return m.foreign_enforcement if m.foreign_enforcement and project != PROJECT else m.enforcement


def _common(policy_id: str, config: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    m = METADATA[policy_id]
    return dict(
        name=m.id,
        description=m.description,
        enforcement_level=EnforcementLevel(default_enforcement(policy_id)),
        config_schema=PolicyConfigSchema(properties=config) if config else None,
        display_name=m.title,
        severity=Severity(m.severity),
        framework=PolicyComplianceFramework(name=FRAMEWORK, reference=m.section, specification=m.clause),
        tags=[m.kind] + (["zone-aware"] if m.zone_aware else []),
        remediation_steps=m.remediation,
    )


def guarded(validate: Callable) -> Callable:
    """An input the policy cannot make sense of (a malformed port, an odd shape) becomes a
    violation naming the error, instead of an exception that would abort the engine's preview
    or let the resource pass unjudged. Unknown values and not-applicable keep their meaning."""

    def run(args, report_violation):
        try:
            return validate(args, report_violation)
        except (UnknownValueError, _NotApplicableError):
            raise
        except Exception as e:  # noqa: BLE001 - reported, not swallowed
            urn = getattr(args, "urn", None)
            report_violation(f"could not be evaluated: {type(e).__name__}: {e}", urn)
            return None

    return run


def resource_policy(policy_id: str, validate: Callable, config: dict[str, dict[str, Any]] | None = None) -> ResourceValidationPolicy:
    if METADATA[policy_id].kind != "resource":
        raise TypeError(f"{policy_id} is a {METADATA[policy_id].kind} policy in metadata")
    return ResourceValidationPolicy(validate=guarded(validate), **_common(policy_id, config))


def stack_policy(policy_id: str, validate: Callable, config: dict[str, dict[str, Any]] | None = None) -> StackValidationPolicy:
    if METADATA[policy_id].kind != "stack":
        raise TypeError(f"{policy_id} is a {METADATA[policy_id].kind} policy in metadata")
    return StackValidationPolicy(validate=guarded(validate), **_common(policy_id, config))
