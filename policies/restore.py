"""Restores proven, not assumed: backup-restore-tested (AWS Backup restore testing covers every
backup plan's vault and every resource type of the backup scope, at least monthly, starting in the
zone's window, validated within the RTO) and backup-evidence (an AWS Backup Audit Manager framework
whose controls are the promises, and restore-job and control-compliance reports delivered to an
encrypted, versioned, private bucket kept for the zone's audit retention).

Zone-level requirements ("this zone has a restore test") are judged on a zone's stack, i.e. a plan
holding the zone's AWS provider (every real plan does); the properties of the resources present
are judged always. The zone model gives the RTO, RPO, window, backup scope and audit retention.
"""

from __future__ import annotations

from typing import Any

from . import buckets
from .build import stack_policy
from .common import as_list, display, get, known_str, number, platform, zone_model, zone_of
from .schedules import ScheduleError, cadence_hours, first_outside

PLAN = "aws:backup/plan:Plan"
VAULT = "aws:backup/vault:Vault"
RT_PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan"
RT_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection"
FRAMEWORK = "aws:backup/framework:Framework"
REPORT_PLAN = "aws:backup/reportPlan:ReportPlan"
AWS_PROVIDER = "pulumi:providers:aws"
MONTH_HOURS = 31 * 24
AWS_DEFAULT_START_WINDOW_HOURS = 24  # StartWindowHours when a restore testing plan does not set it
REQUIRED_REPORTS = ("RESTORE_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT")


def by_zone(resources) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in resources:
        out.setdefault(zone_of(r.urn, r.props), []).append(r)
    return out


def deploys_to(resources, provider: str) -> bool:
    return any(r.resource_type == provider for r in resources)


def provider_urn(resources, provider: str) -> str | None:
    """Where a zone-level finding is attached: the zone's provider (its account / project)."""
    return next((r.urn for r in resources if r.resource_type == provider), None)


def required_types(zone) -> list[str]:
    types = platform().backup_scope_aws_types  # zones.model BACKUP_SCOPE_AWS_TYPES, in the zone facts
    return [t for scope in zone.backup.scope for t in types[scope]]


def selections_of(plan, resources) -> list:
    name = known_str(get(plan.props, "name"))
    out = []
    for s in resources:
        if s.resource_type != RT_SELECTION:
            continue
        if any(d.urn == plan.urn for d in (s.property_dependencies or {}).get("restoreTestingPlanName", [])):
            out.append(s)
        elif name and known_str(get(s.props, "restoreTestingPlanName")) == name:
            out.append(s)
    return out


# ---------------------------------------------------------------- backup-restore-tested


def _covers_vault(rt_plan, vaults: dict[str, Any]) -> bool:
    include = [known_str(v) for v in as_list(get(rt_plan.props, "recoveryPointSelection", "includeVaults"))]
    if "*" in include:
        return True
    if any(d.urn in vaults for d in (rt_plan.property_dependencies or {}).get("recoveryPointSelection", [])):
        return True
    names = {known_str(get(v.props, "name")) for v in vaults.values()} - {None}
    return any(i and i.rsplit(":", 1)[-1] in names for i in include)


def _selects_zone_resources(sel, zone) -> str | None:
    """None when the selection picks the zone's backed-up resources; else what it picks instead."""
    arns = [known_str(a) for a in as_list(get(sel.props, "protectedResourceArns"))]
    if arns and arns != ["*"]:
        return None  # named resources
    tag = zone.backup.selection_tag
    conds = as_list(get(sel.props, "protectedResourceConditions", "stringEquals"))
    if not conds:
        return None  # every recovery point of the type
    pairs = [(known_str(get(c, "key")), known_str(get(c, "value"))) for c in conds]
    if (f"aws:ResourceTag/{tag.key}", tag.value) in pairs:
        return None
    return "resources tagged " + ", ".join(f"{(k or '?').removeprefix('aws:ResourceTag/')}={v}" for k, v in pairs)


def _judge_restore_plan(rt_plan, zone, resources, report) -> None:
    name = display(rt_plan.urn, rt_plan.name)
    expr = known_str(get(rt_plan.props, "scheduleExpression"))
    tz = known_str(get(rt_plan.props, "scheduleExpressionTimezone")) or "UTC"
    hours = number(get(rt_plan.props, "startWindowHours")) or AWS_DEFAULT_START_WINDOW_HOURS
    if expr:
        try:
            every = cadence_hours(expr)
            if every > MONTH_HOURS:
                report(f"restore test {name} runs every {every / 24:g} d: restores must be tested at least monthly",
                       rt_plan.urn)
            when = first_outside(expr, tz, int(hours * 60), zone.maintenance_window, zone.timezone)
            if when:
                report(f"restore test {name} ({expr} {tz}, start window {hours:g} h) starts outside zone {zone.id}'s "
                       f"window {zone.maintenance_window.start}-{zone.maintenance_window.end} {zone.timezone}: first "
                       f"at {when}", rt_plan.urn)
        except (ScheduleError, ValueError) as e:
            report(f"restore test {name}: schedule {expr} cannot be judged: {e}", rt_plan.urn)
    sels = selections_of(rt_plan, resources)
    have = {known_str(get(s.props, "protectedResourceType")) for s in sels}
    for rtype in required_types(zone):
        if rtype not in have:
            report(f"restore test {name} has no {rtype} selection: the backup scope "
                   f"({', '.join(zone.backup.scope)}) is restored only if every type is tested", rt_plan.urn)
    rto = zone.backup.rto_hours
    for s in sels:
        sname = display(s.urn, s.name)
        v = number(get(s.props, "validationWindowHours"))
        if v is None:
            report(f"restore test selection {sname} sets no validationWindowHours: restored copies must be validated "
                   f"within the RTO of {rto} h", s.urn)
        elif v >= rto:
            report(f"restore test selection {sname} validates for {v:g} h: restore and validation must fit the RTO of "
                   f"{rto} h", s.urn)
        other = _selects_zone_resources(s, zone)
        if other:
            report(f"restore test selection {sname} selects {other}, not the zone's backed-up resources "
                   f"({zone.backup.selection_tag.key}={zone.backup.selection_tag.value})", s.urn)


def _restore_tested(args, report_violation) -> None:
    for zid, rs in sorted(by_zone(args.resources).items()):
        zone = zone_model(zid)
        if zone is None:
            continue
        rt_plans = [r for r in rs if r.resource_type == RT_PLAN]
        for rt in rt_plans:
            _judge_restore_plan(rt, zone, args.resources, report_violation)
        if not deploys_to(rs, AWS_PROVIDER):
            continue
        vaults = {r.urn: r for r in rs if r.resource_type == VAULT}
        for plan in (r for r in rs if r.resource_type == PLAN):
            if not any(_covers_vault(rt, vaults) for rt in rt_plans):
                report_violation(f"backup plan {display(plan.urn, plan.name)} is never restore-tested: zone {zid} needs "
                                 f"an AWS Backup restore testing plan restoring from its vault at least monthly",
                                 plan.urn)


restore_tested = stack_policy("backup-restore-tested", _restore_tested)


# ---------------------------------------------------------------- backup-evidence


def _controls(fw) -> dict[str, dict[str, str]]:
    out = {}
    for c in as_list(get(fw.props, "controls")):
        name = known_str(get(c, "name"))
        if name:
            out[name] = {known_str(get(p, "name")): known_str(get(p, "value")) for p in as_list(get(c, "inputParameters"))}
            out[name]["_types"] = " ".join(known_str(t) or "" for t in as_list(get(c, "scope", "complianceResourceTypes")))
    return out


def _hours(unit: str | None, value: str | None) -> float | None:
    n = number(value)
    if n is None:
        return None
    return n * {"hours": 1, "days": 24, "weeks": 168}.get((unit or "hours").lower(), float("nan"))


def _framework_gaps(fw, zone, validation_hours: float) -> list[str]:
    """What the framework's controls leave unproven, against the zone's promises."""
    b = zone.backup
    ctl = _controls(fw)
    gaps = []

    def scoped(name: str) -> None:
        types = ctl[name]["_types"].split()
        missing = [t for t in required_types(zone) if types and t not in types]
        if missing:
            gaps.append(f"{name} leaves {', '.join(missing)} out of its scope")

    name = "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK"
    if name not in ctl:
        gaps.append(f"no {name} (backups at least every {b.rpo_hours} h, kept at least {b.daily} days)")
    else:
        every = _hours(ctl[name].get("requiredFrequencyUnit"), ctl[name].get("requiredFrequencyValue"))
        keep = number(ctl[name].get("requiredRetentionDays"))
        if every is None or every != every or every > b.rpo_hours:
            gaps.append(f"{name} requires a backup every {ctl[name].get('requiredFrequencyValue')} "
                        f"{ctl[name].get('requiredFrequencyUnit')}, not at least every {b.rpo_hours} h")
        if keep is None or keep < b.daily:
            gaps.append(f"{name} requires {ctl[name].get('requiredRetentionDays')} days of retention, not at least "
                        f"{b.daily}")
    if "BACKUP_RECOVERY_POINT_ENCRYPTED" not in ctl:
        gaps.append("no BACKUP_RECOVERY_POINT_ENCRYPTED (recovery points encrypted)")
    name = "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN"
    if name not in ctl:
        gaps.append(f"no {name} (every database and file store in a backup plan)")
    else:
        scoped(name)
    name = "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET"
    budget = b.rto_hours * 60 - validation_hours * 60
    if name not in ctl:
        gaps.append(f"no {name} (restores within the RTO of {b.rto_hours} h)")
    else:
        target = number(ctl[name].get("maxRestoreTime"))
        if target is None or target > budget:
            gaps.append(f"{name} allows {ctl[name].get('maxRestoreTime')} minutes: restore plus {validation_hours:g} h "
                        f"of validation must fit the RTO of {b.rto_hours} h ({budget:g} minutes at most)")
        scoped(name)
    return gaps


def _evidence(args, report_violation) -> None:
    all_buckets = buckets.buckets(args.resources)
    for zid, rs in sorted(by_zone(args.resources).items()):
        zone = zone_model(zid)
        if zone is None:
            continue
        retention = zone.log_retention.get("audit")
        validation = max([number(get(s.props, "validationWindowHours")) or 0
                          for s in rs if s.resource_type == RT_SELECTION] or [0])
        frameworks = {r.urn: r for r in rs if r.resource_type == FRAMEWORK}
        for fw in frameworks.values():
            for gap in _framework_gaps(fw, zone, validation):
                report_violation(f"framework {display(fw.urn, fw.name)}: {gap}", fw.urn)
        reports: dict[str, list] = {}
        for rp in (r for r in rs if r.resource_type == REPORT_PLAN):
            name = display(rp.urn, rp.name)
            template = known_str(get(rp.props, "reportSetting", "reportTemplate")) or "?"
            reports.setdefault(template, []).append(rp)
            if template == "CONTROL_COMPLIANCE_REPORT":
                linked = buckets.by_dependency_or_value(rp, "reportSetting", None, frameworks, ())
                arns = [known_str(a) for a in as_list(get(rp.props, "reportSetting", "frameworkArns"))]
                named = {known_str(get(f.props, "name")) for f in frameworks.values()} - {None}
                if not linked and not any(a and a.rsplit(":", 1)[-1].rsplit("-", 5)[0] in named for a in arns):
                    report_violation(f"report plan {name} reports on no framework of zone {zid}", rp.urn)
            target = get(rp.props, "reportDeliveryChannel", "s3BucketName")
            found = buckets.by_dependency_or_value(rp, "reportDeliveryChannel", target, all_buckets, ("bucket",))
            if not found:
                report_violation(f"report plan {name} delivers to bucket {known_str(target) or '<unknown>'}, which this "
                                 f"plan does not declare: evidence must go to a bucket the zone manages", rp.urn)
            for b in found:
                for p in buckets.problems(b, args.resources, retention):
                    report_violation(f"report plan {name}: evidence bucket {display(b.urn, b.name)} {p}", rp.urn)
        if not deploys_to(rs, AWS_PROVIDER) or not any(r.resource_type == PLAN for r in rs):
            continue
        if not frameworks:
            report_violation(f"zone {zid} backs up without an AWS Backup Audit Manager framework: nothing proves the "
                             f"RPO, retention, encryption, scope and RTO promises", provider_urn(rs, AWS_PROVIDER))
        for template in REQUIRED_REPORTS:
            if template not in reports:
                report_violation(f"zone {zid} has no {template} report plan: the evidence an auditor asks for is not "
                                 f"delivered", provider_urn(rs, AWS_PROVIDER))


evidence = stack_policy("backup-evidence", _evidence)

POLICIES = [restore_tested, evidence]
