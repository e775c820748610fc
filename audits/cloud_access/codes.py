"""The cloud access review's checks: stable codes with Prowler-like metadata (severity,
description, remediation, framework mapping), so findings are data and rendered later."""

from __future__ import annotations

from dataclasses import dataclass

FRAMEWORKS = "ISO/IEC 27001 A.5.15 A.5.18 A.8.2; SOC 2 CC6.1-CC6.3"


@dataclass(frozen=True)
class Check:
    code: str
    title: str
    severity: str  # critical | high | medium | low
    description: str
    remediation: str
    frameworks: str = FRAMEWORKS

    def as_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "severity": self.severity,
                "description": self.description, "remediation": self.remediation, "frameworks": self.frameworks}


CHECKS: dict[str, Check] = {c.code: c for c in (
    Check("CAA-01", "IAM user with a console password and no MFA", "high",
          "The user can sign in to the console with a password alone.",
          "Enable an MFA device for the user, or remove the console password (people sign in through the "
          "identity groups of zones/access.yaml)."),
    Check("CAA-02", "Active access key older than the rotation limit", "medium",
          "A long-lived access key has not been rotated within the limit (--key-max-age days).",
          "Rotate the key (create a new one, switch, deactivate and delete the old one) or delete it."),
    Check("CAA-03", "Root account with access keys or without MFA", "critical",
          "The account root user has an active access key or no MFA device.",
          "Delete the root access keys and enable MFA on the root user."),
    Check("CAA-04", "Principal unused for longer than the threshold", "medium",
          "No sign-in, access-key use or role assumption within --unused-days days before --as-of.",
          "Remove the principal, or record why it must stay in the reviewer's decision."),
    Check("CAA-05", "Policy allows wildcard actions", "high",
          "An Allow statement grants '*' or 'service:*' (or NotAction); the same rule as the policy pack. "
          "Break-glass roles whose trust policy requires MFA are exempt, as in the pack.",
          "List the actions the principal needs (zones/access.yaml levels)."),
    Check("CAA-06", "Policy allows write actions on every resource", "high",
          "Write or permissions-management actions that can be scoped to an ARN are allowed on Resource '*'.",
          "Scope the write actions to the zone's ARNs."),
    Check("CAA-07", "AWS-managed administrator policy attached", "critical",
          "AdministratorAccess, PowerUserAccess or IAMFullAccess is attached outside an MFA-gated break-glass role.",
          "Detach the policy; grant the access level's own policy instead."),
    Check("CAA-08", "Trust policy lets people assume the role without MFA", "high",
          "A principal that stands for a person may call sts:AssumeRole without aws:MultiFactorAuthPresent.",
          "Add a Bool aws:MultiFactorAuthPresent true condition to the trust statement."),
    Check("CAA-09", "Policy allows privilege escalation", "critical",
          "The permissions combine into a known privilege-escalation method (Rhino Security Labs, as "
          "cloudsplaining detects them).",
          "Remove one of the actions of the method, or scope it to resources that cannot escalate."),
    Check("CAA-10", "Role not declared in the access model", "medium",
          "The role is neither a declared team x level role (<zone>-<team>-<level>, docs/contracts.md), nor an "
          "AWS service-linked role, nor a workload role of the zone (service principals only, zone tag).",
          "Declare the access in zones/access.yaml and deploy it through the program, or delete the role."),
    Check("CAA-11", "IAM user not declared in the access model", "medium",
          "The access model grants access to identity groups through roles, never to IAM users.",
          "Move the person to the team's identity group and delete the IAM user."),
    Check("CAA-12", "Declared role missing", "low",
          "A team x level role the access model declares for the zone does not exist in the account.",
          "Deploy the zone's stack (pulumi up), or remove the level from zones/access.yaml."),
    Check("CAA-13", "Role session longer than its access level allows", "medium",
          "A declared role's MaxSessionDuration exceeds the level's max_session_seconds.",
          "Set MaxSessionDuration to the level's limit."),
)}

SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
