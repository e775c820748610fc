"""The cloud access review as pure logic: an :class:`~.read.Inventory` and the access model in,
findings out. The IAM document rules are policies/iam_rules.py's (the pack's), not re-implemented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from audits.export import summarise
from policies import iam_rules

from .codes import CHECKS, SEVERITY_ORDER
from .read import Inventory, Policy, Role

NOT_AVAILABLE = "not available from this endpoint"
BREAK_GLASS = "break-glass"
ROOT = "<root_account>"
# Credential-report cells that carry no date.
NO_DATE = {"N/A", "no_information", "not_supported", ""}


@dataclass(frozen=True)
class Params:
    as_of: date
    unused_days: int = 90
    key_max_age_days: int = 90
    zone: str | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    principal_type: str  # user | role | root | declared-role
    principal: str
    detail: str  # the same text in every format; a long list summarised (audits.export.summarise)
    policy: str = ""
    items: tuple[str, ...] = ()  # the whole list behind `detail` (JSON only), when it has one

    def as_dict(self) -> dict:
        c = CHECKS[self.code]
        return {"code": self.code, "title": c.title, "severity": c.severity, "principal_type": self.principal_type,
                "principal": self.principal, "policy": self.policy, "detail": self.detail, "items": list(self.items)}


@dataclass
class Principal:
    type: str
    name: str
    arn: str
    status: str  # declared | workload | service-linked | undeclared | user | root
    last_used: str  # ISO date, "never" or NOT_AVAILABLE
    codes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"type": self.type, "name": self.name, "arn": self.arn, "status": self.status,
                "last_used": self.last_used, "codes": sorted(set(self.codes))}


@dataclass
class Gap:
    """Data the endpoint does not provide: said so, never invented."""
    item: str
    detail: str

    def as_dict(self) -> dict:
        return {"item": self.item, "status": NOT_AVAILABLE, "detail": self.detail}


@dataclass
class Review:
    params: Params
    account: str
    endpoint: str | None
    zones: list[str]
    declared: dict[str, dict]  # role name -> {"zone", "team", "level", "max_session_seconds"}
    principals: list[Principal]
    findings: list[Finding]
    gaps: list[Gap]
    rejected: list[dict]  # unreadable policy documents: {principal, policy, reason}
    zone_account: str | None = None  # the account zones/ gives --zone (None without --zone or AWS site)

    @property
    def counts(self) -> dict:
        by_code = {code: 0 for code in CHECKS}
        for f in self.findings:
            by_code[f.code] += 1
        by_sev = {s: 0 for s in SEVERITY_ORDER}
        for f in self.findings:
            by_sev[CHECKS[f.code].severity] += 1
        return {"users": sum(p.type == "user" for p in self.principals),
                "roles": sum(p.type == "role" for p in self.principals),
                "declared_roles": len(self.declared), "findings": by_code, "by_severity": by_sev,
                "gaps": len(self.gaps), "rejected": len(self.rejected)}


def declared_roles(platform, zone: str | None) -> dict[str, dict]:
    """`<zone>-<team>-<level>` for every team x AWS level x zone of zones/access.yaml."""
    zones = [zone] if zone else sorted(z for z, zf in platform.zones.items() if zf.aws is not None)
    out: dict[str, dict] = {}
    for z in zones:
        for team in platform.teams_for(z):
            for lvl in team.aws:
                out[f"{z}-{team.id}-{lvl}"] = {"zone": z, "team": team.id, "level": lvl,
                                               "max_session_seconds": platform.access.levels[lvl].max_session_seconds}
    return out


def _date(cell: str | None) -> datetime | None:
    if cell is None or cell in NO_DATE:
        return None
    return datetime.fromisoformat(cell.replace("Z", "+00:00"))


def _days(as_of: date, when: datetime) -> int:
    return (as_of - when.astimezone(timezone.utc).date()).days


def _service_only(trust: dict) -> bool:
    """Every Allow statement names only AWS service principals (a workload, not a person)."""
    try:
        doc = iam_rules.load_document(trust)
    except iam_rules.PolicyDocumentError:
        return False
    allows = [s for s in doc["Statement"] if s["Effect"] == "Allow"]
    return bool(allows) and all(isinstance(s.get("Principal"), dict) and set(s["Principal"]) == {"Service"}
                                for s in allows)


class _Judge:
    def __init__(self, params: Params):
        self.params = params
        self.findings: list[Finding] = []
        self.rejected: list[dict] = []

    def add(self, code: str, ptype: str, name: str, detail: str, policy: str = "") -> None:
        self.findings.append(Finding(code, ptype, name, detail, policy))

    def add_list(self, code: str, ptype: str, name: str, label: str, items: list[str], policy: str = "") -> None:
        """A finding about a list (actions, principals): summarised alike in every format, whole in JSON."""
        self.findings.append(Finding(code, ptype, name, label + summarise(items), policy, tuple(items)))

    def documents(self, ptype: str, name: str, policies: list[Policy], exempt: bool) -> None:
        """CAA-05/06/07/09 on the policies a user or role holds. AWS-managed policies are judged by
        ARN only (CAA-07): their documents are AWS's, broad by design, and not the zone's to change."""
        for p in policies:
            label = p.arn or f"inline:{p.name}"
            if p.aws_managed:
                if iam_rules.is_admin_policy_arn(p.arn) and not exempt:
                    self.add("CAA-07", ptype, name, f"{p.name} attached", label)
                continue
            try:
                wild = iam_rules.wildcard_actions(p.document)
                write = iam_rules.wildcard_resources_on_write(p.document)
                esc = iam_rules.privilege_escalation(p.document)
            except iam_rules.PolicyDocumentError as e:
                self.rejected.append({"principal": name, "policy": label, "reason": str(e)})
                continue
            if wild and not exempt:
                self.add_list("CAA-05", ptype, name, "allows ", wild, label)
            if write:
                self.add_list("CAA-06", ptype, name, "write on Resource '*': ", write, label)
            if esc:
                self.add_list("CAA-09", ptype, name, "escalation methods: ", esc, label)


def review(inv: Inventory, platform, params: Params) -> Review:
    if params.zone is not None:
        platform.zone(params.zone)  # KeyError naming the known zones
    declared = declared_roles(platform, params.zone)
    zones_in_scope = sorted({d["zone"] for d in declared.values()} | ({params.zone} if params.zone else set(platform.zones)))
    j = _Judge(params)
    principals: list[Principal] = []
    gaps: list[Gap] = []
    as_of, n = params.as_of, params.unused_days

    # --- roles
    for r in inv.roles:
        status = _role_status(r, declared, zones_in_scope)
        last = _role_last_used(r)
        p = Principal("role", r.name, r.arn, status, last)
        principals.append(p)
        if status == "service-linked":
            continue  # AWS's own, changed only by AWS
        if status == "undeclared":
            j.add("CAA-10", "role", r.name, f"path {r.path}; tags " + (", ".join(f"{k}={v}" for k, v in sorted(r.tags.items())) or "none"))
        try:
            mfa = iam_rules.trust_requires_mfa(r.trust)
            without = iam_rules.assumers_without_mfa(r.trust)
        except iam_rules.PolicyDocumentError as e:
            j.rejected.append({"principal": r.name, "policy": "trust", "reason": str(e)})
            mfa, without = False, []
        if without:
            j.add_list("CAA-08", "role", r.name, "assumable without MFA by ", without, "trust")
        # The pack's exemption: a break-glass role is allowed broad actions only while MFA-gated.
        exempt = r.tags.get("access-level") == BREAK_GLASS and mfa
        j.documents("role", r.name, r.policies, exempt)
        if r.name in declared and r.max_session > declared[r.name]["max_session_seconds"]:
            j.add("CAA-13", "role", r.name, f"MaxSessionDuration {r.max_session} s > {declared[r.name]['level']} "
                  f"limit {declared[r.name]['max_session_seconds']} s")
        if r.last_used is not None:
            used = r.last_used.get("LastUsedDate")
            if used is None and _days(as_of, r.created) > n:
                j.add("CAA-04", "role", r.name, f"never used; created {r.created.date().isoformat()}")
            elif used is not None and _days(as_of, used) > n:
                j.add("CAA-04", "role", r.name, f"last used {used.date().isoformat()} ({_days(as_of, used)} days before {as_of})")
    if any(r.last_used is None for r in inv.roles):
        gaps.append(Gap("role last used", "GetRole returned no RoleLastUsed: CAA-04 not judged for roles"))
    present = {r.name for r in inv.roles}
    for name, d in sorted(declared.items()):
        if name not in present:
            j.add("CAA-12", "declared-role", name, f"team {d['team']}, level {d['level']}, zone {d['zone']}")

    # --- users (credential report) and their policies
    rows = {row.get("user"): row for row in inv.credential_report}
    for u in inv.users:
        row = rows.get(u.name)
        last = _user_last_used(row)
        principals.append(Principal("user", u.name, u.arn, "undeclared", last))
        j.add("CAA-11", "user", u.name, "IAM user; access is granted to identity groups through roles")
        j.documents("user", u.name, u.policies, exempt=False)
        if row is None:
            gaps.append(Gap(f"credential report row for {u.name}", "user missing from the credential report"))
            continue
        if row.get("password_enabled") == "true" and row.get("mfa_active") != "true":
            j.add("CAA-01", "user", u.name, "console password enabled, mfa_active false")
        for k in (1, 2):
            if row.get(f"access_key_{k}_active") == "true":
                rotated = _date(row.get(f"access_key_{k}_last_rotated"))
                if rotated is not None and _days(as_of, rotated) > params.key_max_age_days:
                    j.add("CAA-02", "user", u.name, f"access key {k} last rotated {rotated.date().isoformat()} "
                          f"({_days(as_of, rotated)} days > {params.key_max_age_days})")
        if _user_unused(row, as_of, n):
            j.add("CAA-04", "user", u.name, f"no password or access-key use in {n} days (last: {last})")

    # --- root
    root = rows.get(ROOT)
    if root is None:
        gaps.append(Gap("root account", f"the credential report has no {ROOT} row: CAA-03 not judged"))
    else:
        principals.append(Principal("root", ROOT, root.get("arn", ""), "root", _user_last_used(root)))
        problems = []
        if root.get("mfa_active") != "true":
            problems.append("mfa_active false")
        problems += [f"access key {k} active" for k in (1, 2) if root.get(f"access_key_{k}_active") == "true"]
        if problems:
            j.add("CAA-03", "root", ROOT, ", ".join(problems))

    # Columns the endpoint reports as not supported are gaps, named once each. AWS itself says
    # not_supported for the root user's password columns and for the password of a user without one.
    unsupported = sorted({col for row in inv.credential_report if row.get("user") != ROOT
                          for col, v in row.items() if v == "not_supported"
                          and not (col == "password_last_used" and row.get("password_enabled") == "false")})
    for col in unsupported:
        gaps.append(Gap(f"credential report column {col}", "reported as not_supported"))

    findings = sorted(set(j.findings), key=lambda f: (f.code, f.principal_type, f.principal, f.policy, f.detail))
    by_name = {(p.type, p.name): p for p in principals}
    for f in findings:
        if (f.principal_type, f.principal) in by_name:
            by_name[(f.principal_type, f.principal)].codes.append(f.code)
    principals.sort(key=lambda p: (p.type, p.name))
    zf = platform.zone(params.zone) if params.zone else None
    return Review(zone_account=zf.aws.account_id if zf is not None and zf.aws else None,
                  params=params, account=inv.account, endpoint=inv.endpoint, zones=zones_in_scope, declared=declared,
                  principals=principals, findings=findings, gaps=sorted(gaps, key=lambda g: g.item),
                  rejected=sorted(j.rejected, key=lambda x: (x["principal"], x["policy"])))


def _role_status(r: Role, declared: dict, zones: list[str]) -> str:
    if r.path.startswith("/aws-service-role/"):
        return "service-linked"
    if r.name in declared:
        return "declared"
    if r.tags.get("zone") in zones and _service_only(r.trust):
        return "workload"
    return "undeclared"


def _role_last_used(r: Role) -> str:
    if r.last_used is None:
        return NOT_AVAILABLE
    used = r.last_used.get("LastUsedDate")
    return used.astimezone(timezone.utc).date().isoformat() if used else "never"


def _user_dates(row: dict) -> list[datetime]:
    cells = [row.get("password_last_used"), row.get("access_key_1_last_used_date"), row.get("access_key_2_last_used_date")]
    return [d for d in (_date(c) for c in cells) if d is not None]


def _user_last_used(row: dict | None) -> str:
    if row is None:
        return NOT_AVAILABLE
    dates = _user_dates(row)
    return max(dates).astimezone(timezone.utc).date().isoformat() if dates else "never"


def _user_unused(row: dict, as_of: date, n: int) -> bool:
    dates = _user_dates(row)
    if dates:
        return _days(as_of, max(dates)) > n
    created = _date(row.get("user_creation_time"))
    return created is not None and _days(as_of, created) > n
