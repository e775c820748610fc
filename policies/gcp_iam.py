"""gcp-no-primitive-roles: no roles/owner, roles/editor or roles/viewer anywhere in GCP IAM."""

from __future__ import annotations

import json
import re

from .build import resource_policy
from .common import UNKNOWN, as_list, get, known_str, plain

PRIMITIVE = ("roles/owner", "roles/editor", "roles/viewer")
# Every `*IAMMember` / `*IAMBinding` / `*IAMPolicy` resource of any GCP module (projects,
# folders, organizations, and per-service ones such as storage/bucketIAMMember).
IAM_TYPE = re.compile(r"^gcp:[A-Za-z0-9]+/[A-Za-z0-9]*i[Aa][Mm](Member|Binding|Policy):", re.IGNORECASE)


def _roles(resource_type: str, props) -> list[str]:
    kind = IAM_TYPE.match(resource_type).group(1).lower()
    if kind in ("member", "binding"):
        role = known_str(get(props, "role"))
        return [role] if role else []
    data = get(props, "policyData")
    if data is None or data is UNKNOWN:
        return []
    doc = plain(data)
    if isinstance(doc, str):
        try:
            doc = json.loads(doc)
        except json.JSONDecodeError:
            return []
    return [b.get("role") for b in as_list(doc.get("bindings")) if isinstance(b, dict) and isinstance(b.get("role"), str)]


def _no_primitive_roles(args, report_violation) -> None:
    if not IAM_TYPE.match(args.resource_type):
        return
    for role in _roles(args.resource_type, args.props):
        if role in PRIMITIVE:
            report_violation(f"grants primitive role {role}: use the predefined roles of an access level "
                             f"(zones/access.yaml)", None)


no_primitive_roles = resource_policy("gcp-no-primitive-roles", _no_primitive_roles)

POLICIES = [no_primitive_roles]
