"""AWS IAM policies, judged with policies/iam_rules.py (the same rules as `byside audit access`).

Break-glass: a role is break-glass when its `access-level` tag is `break-glass` or its name says
so; it is exempt from the wildcard-action and admin-attachment rules only while its trust policy
lets people assume it with MFA (and nobody without).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterator

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError
from pulumi_policy.secret import Secret

from . import iam_rules
from .build import resource_policy, stack_policy
from .common import UNKNOWN, as_list, display, get, known_str, labels_of, plain
from .network import linked, value_index

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
POLICY = "aws:iam/policy:Policy"
USER_POLICY = "aws:iam/userPolicy:UserPolicy"
GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
ROLE_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ROLE_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
USER_ATTACHMENT = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
GROUP_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
SSO_ATTACHMENT = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
SSO_PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet"
USER_TYPES = {
    "aws:iam/user:User": "IAM user",
    "aws:iam/accessKey:AccessKey": "access key",
    "aws:iam/userPolicy:UserPolicy": "inline user policy",
    "aws:iam/userLoginProfile:UserLoginProfile": "console login profile",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "user policy attachment",
    "aws:iam/userGroupMembership:UserGroupMembership": "user group membership",
    "aws:iam/sshKey:SshKey": "user SSH key",
    "aws:iam/serviceSpecificCredential:ServiceSpecificCredential": "service-specific credential",
    "aws:iam/signingCertificate:SigningCertificate": "user signing certificate",
}
BREAK_GLASS = "break-glass"


def documents(resource_type: str, props: Any, strict: bool = False) -> Iterator[tuple[str, Any]]:
    """(label, policy document) pairs a resource carries. A document unknown at preview is left
    out, or with `strict` (resource policies) raised, so the engine reports it could not judge."""
    found: list[tuple[str, Any]] = []
    if resource_type == ROLE:
        for i, p in enumerate(as_list(get(props, "inlinePolicies"))):
            found.append((f"inlinePolicies[{known_str(get(p, 'name')) or i}]", get(p, "policy")))
    elif resource_type in (ROLE_POLICY, POLICY, USER_POLICY, GROUP_POLICY):
        found.append(("policy", get(props, "policy")))
    for label, doc in found:
        if isinstance(doc, Secret):
            continue  # cannot be read: reported once, by iam-privilege-escalation (secret_documents)
        if doc is UNKNOWN and strict:
            raise UnknownValueError(UNKNOWN_STRING_VALUE, [label])
        if doc is not None and doc is not UNKNOWN:
            yield label, doc


def secret_documents(resource_type: str, props: Any) -> list[str]:
    """Labels of the policy documents a resource carries as secrets: no IAM rule can read them."""
    found: list[str] = []
    if resource_type == ROLE:
        if isinstance(get(props, "assumeRolePolicy"), Secret):
            found.append("assumeRolePolicy")
        inline = get(props, "inlinePolicies")
        if isinstance(inline, Secret):
            found.append("inlinePolicies")
        else:
            for i, p in enumerate(as_list(inline)):
                if isinstance(p, Secret) or isinstance(get(p, "policy"), Secret):
                    found.append(f"inlinePolicies[{known_str(get(p, 'name')) or i}]")
    elif resource_type in (ROLE_POLICY, POLICY, USER_POLICY, GROUP_POLICY) and isinstance(get(props, "policy"), Secret):
        found.append("policy")
    return found


IAM_DOCUMENT_POLICIES = ("iam-no-wildcard-actions", "iam-no-wildcard-resources-on-write", "iam-mfa-required-to-assume",
                         "iam-privilege-escalation")


def _each_document(resource_type: str, props: Any, report_violation, urn: str | None = None) -> Iterator[tuple[str, dict]]:
    """Parsed documents; an unreadable document is itself a violation (it cannot be judged).
    Resource policies (urn None) are strict about unknown documents, stack policies skip them."""
    for label, doc in documents(resource_type, props, strict=urn is None):
        try:
            yield label, iam_rules.load_document(plain(doc))
        except iam_rules.PolicyDocumentError as e:
            report_violation(f"{label}: {e}", urn)


def _sample(items: list[str], limit: int = 8) -> str:
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more} more" if more > 0 else "")


# ---------------------------------------------------------------- break-glass


def _is_break_glass(resource) -> bool:
    tags = labels_of(resource.props)
    if isinstance(tags, Mapping) and known_str(get(tags, "access-level")) == BREAK_GLASS:
        return True
    name = known_str(get(resource.props, "name")) or resource.name or ""
    return BREAK_GLASS in name.lower()


def mfa_gated_break_glass(role) -> bool:
    """A break-glass role people can assume, and only with MFA."""
    if role is None or role.resource_type != ROLE or not _is_break_glass(role):
        return False
    trust = get(role.props, "assumeRolePolicy")
    if trust is None or trust is UNKNOWN:
        return False
    try:
        doc = plain(trust)
        return bool(iam_rules.human_assumers(doc)) and iam_rules.trust_requires_mfa(doc)
    except iam_rules.PolicyDocumentError:
        return False


class _Links:
    """Who a policy or attachment belongs to, resolved once per stack validation."""

    def __init__(self, resources):
        self.roles = {r.urn: r for r in resources if r.resource_type == ROLE}
        self.policies = {r.urn: r for r in resources if r.resource_type == POLICY}
        self.sets = {r.urn: r for r in resources if r.resource_type == SSO_PERMISSION_SET}
        self.role_values = value_index(self.roles.values())
        self.policy_values = value_index(self.policies.values())
        self.set_values = value_index(self.sets.values())
        # managed policy urn -> roles it is attached to
        self.attached_to: dict[str, list] = {}
        for r in resources:
            if r.resource_type == ROLE_ATTACHMENT:
                for p in linked(r, "policyArn", self.policies, self.policy_values):
                    self.attached_to.setdefault(p.urn, []).extend(self.role_of(r) or [None])

    def role_of(self, r) -> list:
        return linked(r, "role", self.roles, self.role_values)


# ---------------------------------------------------------------- iam-no-wildcard-actions


def _no_wildcard_actions(args, report_violation) -> None:
    links = _Links(args.resources)
    for r in args.resources:
        if r.resource_type not in (ROLE, ROLE_POLICY, POLICY, USER_POLICY, GROUP_POLICY):
            continue
        if r.resource_type == ROLE:
            exempt = mfa_gated_break_glass(r)
        elif r.resource_type == ROLE_POLICY:
            roles = links.role_of(r)
            exempt = bool(roles) and all(mfa_gated_break_glass(x) for x in roles)
        elif r.resource_type == POLICY:
            holders = links.attached_to.get(r.urn, [])
            exempt = bool(holders) and all(mfa_gated_break_glass(x) for x in holders)
        else:
            exempt = False
        for label, doc in _each_document(r.resource_type, r.props, report_violation, r.urn):
            found = iam_rules.wildcard_actions(doc)
            if found and not exempt:
                report_violation(f"{display(r.urn, r.name)} {label} allows wildcard actions: {', '.join(found)}", r.urn)


no_wildcard_actions = stack_policy("iam-no-wildcard-actions", _no_wildcard_actions)


# ---------------------------------------------------------------- iam-no-wildcard-resources-on-write


def _no_wildcard_resources(args, report_violation) -> None:
    for label, doc in _each_document(args.resource_type, args.props, report_violation):
        found = iam_rules.wildcard_resources_on_write(doc)
        if found:
            report_violation(f"{label} allows {len(found)} write/permissions-management action(s) on Resource \"*\": "
                             f"{_sample(found)}", None)


no_wildcard_resources_on_write = resource_policy("iam-no-wildcard-resources-on-write", _no_wildcard_resources)


# ---------------------------------------------------------------- iam-privilege-escalation


def _privilege_escalation(args, report_violation) -> None:
    secret = secret_documents(args.resource_type, args.props)
    if secret:  # once per resource, for all the IAM rules that cannot read it
        report_violation(f"cannot be judged: the document is secret ({', '.join(secret)}); "
                         f"{', '.join(IAM_DOCUMENT_POLICIES)} cannot read it — keep policy documents plain "
                         f"(they hold no secret)", None)
    for label, doc in _each_document(args.resource_type, args.props, report_violation):
        methods = iam_rules.privilege_escalation(doc)
        if methods:
            paths = "; ".join(f"{m} ({' + '.join(iam_rules.escalation_actions(m))})" for m in methods)
            report_violation(f"{label} grants privilege escalation: {paths}", None)


privilege_escalation = resource_policy("iam-privilege-escalation", _privilege_escalation)


# ---------------------------------------------------------------- iam-mfa-required-to-assume


def _mfa_to_assume(args, report_violation) -> None:
    if args.resource_type != ROLE:
        return
    trust = get(args.props, "assumeRolePolicy")
    if trust is UNKNOWN:  # let the engine report it cannot judge at preview
        raise UnknownValueError(UNKNOWN_STRING_VALUE, ["assumeRolePolicy"])
    if trust is None or isinstance(trust, Secret):
        return  # a secret trust policy is reported by iam-privilege-escalation
    try:
        without = iam_rules.assumers_without_mfa(plain(trust))
    except iam_rules.PolicyDocumentError as e:
        report_violation(f"assumeRolePolicy: {e}", None)
        return
    if without:
        report_violation(f"assumeRolePolicy lets {', '.join(without)} assume the role without MFA", None)


mfa_required_to_assume = resource_policy("iam-mfa-required-to-assume", _mfa_to_assume)


# ---------------------------------------------------------------- iam-no-users


def _no_users(args, report_violation) -> None:
    what = USER_TYPES.get(args.resource_type)
    if what:
        report_violation(f"{what} {args.name}: IAM users and their keys/policies are not allowed; people sign in "
                         f"through the identity provider's groups, workloads use roles", None)
    elif args.resource_type == POLICY_ATTACHMENT:
        users = [u for u in as_list(get(args.props, "users")) if u is not None]
        if users:
            report_violation(f"policy attachment {args.name} attaches a policy to {len(users)} IAM user(s)", None)


no_users = resource_policy("iam-no-users", _no_users)


# ---------------------------------------------------------------- iam-no-admin-attachments


def _no_admin_attachments(args, report_violation) -> None:
    links = _Links(args.resources)
    for r in args.resources:
        t, name = r.resource_type, display(r.urn, r.name)
        if t == ROLE:
            arns = [a for a in as_list(get(r.props, "managedPolicyArns")) if iam_rules.is_admin_policy_arn(a)]
            if arns and not mfa_gated_break_glass(r):
                report_violation(f"role {name} has managed policy {', '.join(arns)} and is not an MFA-gated "
                                 f"break-glass role", r.urn)
        elif t in (ROLE_ATTACHMENT, ROLE_ATTACHMENTS_EXCLUSIVE):
            arns = [a for a in as_list(get(r.props, "policyArn" if t == ROLE_ATTACHMENT else "policyArns"))
                    if iam_rules.is_admin_policy_arn(a)]
            roles = links.role_of(r) if t == ROLE_ATTACHMENT else linked(r, "roleName", links.roles, links.role_values)
            if arns and not (roles and all(mfa_gated_break_glass(x) for x in roles)):
                target = ", ".join(display(x.urn, x.name) for x in roles) or str(get(r.props, "role") or get(r.props, "roleName"))
                report_violation(f"{name} attaches {', '.join(arns)} to {target}, not an MFA-gated break-glass role",
                                 r.urn)
        elif t in (POLICY_ATTACHMENT, USER_ATTACHMENT, GROUP_ATTACHMENT):
            arn = get(r.props, "policyArn")
            if not iam_rules.is_admin_policy_arn(arn):
                continue
            if t == POLICY_ATTACHMENT:
                roles = [links.role_values.get(x) for x in (known_str(v) for v in as_list(get(r.props, "roles"))) if x]
                others = as_list(get(r.props, "users")) + as_list(get(r.props, "groups"))
                if roles and not others and all(mfa_gated_break_glass(x) for x in roles):
                    continue
            report_violation(f"{name} attaches {arn} outside an MFA-gated break-glass role", r.urn)
        elif t == SSO_ATTACHMENT:
            arn = get(r.props, "managedPolicyArn")
            if not iam_rules.is_admin_policy_arn(arn):
                continue
            sets = linked(r, "permissionSetArn", links.sets, links.set_values)
            if not (sets and all(_is_break_glass(s) for s in sets)):
                report_violation(f"{name} attaches {arn} to a permission set that is not break-glass", r.urn)


no_admin_attachments = stack_policy("iam-no-admin-attachments", _no_admin_attachments)

POLICIES = [no_wildcard_actions, no_wildcard_resources_on_write, no_admin_attachments, mfa_required_to_assume,
            no_users, privilege_escalation]
