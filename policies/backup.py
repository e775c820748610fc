"""Backup policies: retention (5 daily / 4 weekly / 3 monthly, in days; vault encrypted) and RPO.

The promise is platform-wide (zones/platform.yaml service_description.backup), so both policies
judge every zone; only the "is this database selected" part reads the zone's selection tag.
AWS Backup and GCP snapshot schedules keep restore points by age, so "N restore points of a
cadence" becomes "a rule at least that frequent keeping them at least N periods": 5 days, 4 weeks
(28 days), and for months the longest span of N consecutive calendar months (92 days for 3).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .build import resource_policy, stack_policy
from .common import UNKNOWN, as_list, display, get, known_str, labels_of, number, platform, zone_model, zone_of
from .network import linked, value_index
from .schedules import ScheduleError, cadence_hours

PLAN = "aws:backup/plan:Plan"
VAULT = "aws:backup/vault:Vault"
SELECTION = "aws:backup/selection:Selection"
SNAPSHOT_POLICY = "gcp:compute/resourcePolicy:ResourcePolicy"
SQL = "gcp:sql/databaseInstance:DatabaseInstance"
# Backup scope of the Service Description: relational databases and subscriber file stores.
IN_SCOPE_AWS = {
    "aws:rds/instance:Instance": "database", "aws:rds/cluster:Cluster": "database",
    "aws:efs/fileSystem:FileSystem": "file system",
}


@lru_cache(maxsize=16)
def longest_months(n: int) -> int:
    """Most days any n consecutive calendar months span (3 -> 92)."""
    lengths = [calendar.monthrange(2000 + y, m)[1] for y in range(28) for m in range(1, 13)]
    return max(sum(lengths[i:i + n]) for i in range(len(lengths) - n))


def requirements() -> list[tuple[str, int, float, int]]:
    """(label, count, cadence hours at most, retention days at least) from the platform promise."""
    b = platform().platform.service_description.backup
    return [("daily", b.daily, 24.0, b.daily), ("weekly", b.weekly, 24.0 * 7, 7 * b.weekly),
            ("monthly", b.monthly, 24.0 * 31, longest_months(b.monthly))]


def _cadence(expr: Any) -> float | None:
    e = known_str(expr)
    if not e:
        return None
    try:
        return cadence_hours(e)
    except (ScheduleError, ValueError):
        return None


def _days(value: Any) -> float | None:
    """Retention in days; None = kept forever (unset) or unknown at preview (not judged)."""
    if value is None or value is UNKNOWN:
        return None
    n = number(value)
    return n if n is not None else 0.0


def _rules(resource_type: str, props: Any) -> list[tuple[str, float | None, float | None, bool]]:
    """(name, cadence hours, retention days, retention set) per schedule of a plan or snapshot policy."""
    out = []
    if resource_type == PLAN:
        for i, rule in enumerate(as_list(get(props, "rules"))):
            name = known_str(get(rule, "ruleName")) or f"rules[{i}]"
            after = get(rule, "lifecycle", "deleteAfter")
            out.append((name, _cadence(get(rule, "schedule")), _days(after), after is not None))
    elif resource_type == SNAPSHOT_POLICY:
        policy = get(props, "snapshotSchedulePolicy")
        if policy is None or policy is UNKNOWN:
            return []
        sched = get(policy, "schedule")
        cadence = None
        if get(sched, "hourlySchedule") is not None:
            cadence = number(get(sched, "hourlySchedule", "hoursInCycle"))
        elif get(sched, "dailySchedule") is not None:
            days = number(get(sched, "dailySchedule", "daysInCycle"))
            cadence = 24.0 * days if days else None
        elif get(sched, "weeklySchedule") is not None:
            n = len(as_list(get(sched, "weeklySchedule", "dayOfWeeks")))
            cadence = 24.0 * 7 / n if n else None
        after = get(policy, "retentionPolicy", "maxRetentionDays")
        out.append(("snapshotSchedulePolicy", cadence, _days(after), after is not None))
    return out


def _fmt_hours(h: float) -> str:
    return f"{h / 24:g} d" if h >= 24 else f"{h:g} h"


# ---------------------------------------------------------------- backup-retention


def _retention(args, report_violation) -> None:
    if args.resource_type == VAULT:
        key = get(args.props, "kmsKeyArn")
        if key is None:
            report_violation("kmsKeyArn is not set: the vault must be encrypted with the platform's customer-managed "
                             "KMS key", None)
        return
    rules = _rules(args.resource_type, args.props)
    if args.resource_type not in (PLAN, SNAPSHOT_POLICY) or (args.resource_type == SNAPSHOT_POLICY and not rules):
        return
    for name, _, _, has_retention in rules:
        if not has_retention:
            report_violation(f"{name} has no retention (lifecycle.deleteAfter / maxRetentionDays): backups would be "
                             f"kept forever; retention must be expressed in days", None)
    for label, count, max_cadence, days in requirements():
        if not any(c is not None and c <= max_cadence and (keep is None or keep >= days) for _, c, keep, _ in rules):
            found = ", ".join(f"{n}: every {_fmt_hours(c) if c else '?'}, kept {f'{k:g} d' if k is not None else 'forever'}"
                              for n, c, k, _ in rules) or "no rules"
            report_violation(f"{count} {label} restore points need a schedule at least {label} kept at least {days} "
                             f"days ({found})", None)


retention = resource_policy("backup-retention", _retention)


# ---------------------------------------------------------------- backup-rpo


def _selection_tags(selection) -> set[tuple[str, str]]:
    out = set()
    for t in as_list(get(selection.props, "selectionTags")):
        if str(get(t, "type", default="STRINGEQUALS")).upper() == "STRINGEQUALS":
            k, v = known_str(get(t, "key")), known_str(get(t, "value"))
            if k and v:
                out.add((k, v))
    for cond in as_list(get(selection.props, "conditions")):
        for t in as_list(get(cond, "stringEquals")):
            k, v = known_str(get(t, "key")), known_str(get(t, "value"))
            if k and v:
                out.add((k.removeprefix("aws:ResourceTag/"), v))
    return out


def _rpo(args, report_violation) -> None:
    rpo = float(platform().platform.service_description.backup.rpo_hours)
    plans = {r.urn: r for r in args.resources if r.resource_type == PLAN}
    values = value_index(plans.values())
    fast_plan: dict[str, float | None] = {}
    for urn, plan in plans.items():
        cadences = [c for _, c, _, _ in _rules(PLAN, plan.props) if c is not None]
        fast_plan[urn] = min(cadences) if cadences else None
    good_tags: set[tuple[str, str]] = set()
    selected_urns: set[str] = set()
    for r in args.resources:
        name = display(r.urn, r.name)
        if r.resource_type == SELECTION:
            for plan in linked(r, "planId", plans, values):
                best = fast_plan[plan.urn]
                if best is None or best > rpo:
                    every = f"every {_fmt_hours(best)}" if best else "on no schedule"
                    report_violation(f"backup selection {name} uses plan {display(plan.urn, plan.name)}, which runs "
                                     f"{every}: the RPO needs a backup at least every {rpo:g} h", r.urn)
                else:
                    good_tags |= _selection_tags(r)
                    selected_urns.update(d.urn for d in (r.property_dependencies or {}).get("resources", []))
        elif r.resource_type == SNAPSHOT_POLICY:
            for _, cadence, _, _ in _rules(SNAPSHOT_POLICY, r.props):
                if cadence is None or cadence > rpo:
                    every = f"every {_fmt_hours(cadence)}" if cadence else "on no schedule it can read"
                    report_violation(f"snapshot schedule {name} runs {every}: the RPO needs a snapshot at least every "
                                     f"{rpo:g} h", r.urn)
        elif r.resource_type == SQL:
            if get(r.props, "settings", "backupConfiguration", "enabled") is not True:
                report_violation(f"Cloud SQL instance {name} has no automated backups "
                                 f"(settings.backupConfiguration.enabled)", r.urn)
    for r in args.resources:
        what = IN_SCOPE_AWS.get(r.resource_type)
        if not what or r.urn in selected_urns:
            continue
        zone = zone_model(zone_of(r.urn, r.props))
        if zone is None:
            continue  # the selection tag is a zone fact
        tag = (zone.backup.selection_tag.key, zone.backup.selection_tag.value)
        tags = labels_of(r.props)
        has = isinstance(tags, Mapping) and known_str(get(tags, tag[0])) == tag[1]
        if not has or tag not in good_tags:
            why = "is not tagged" if not has else "is tagged but no selection of a daily plan selects"
            report_violation(f"{what} {display(r.urn, r.name)} {why} {tag[0]}={tag[1]}: it must be backed up at least "
                             f"every {rpo:g} h", r.urn)


rpo = stack_policy("backup-rpo", _rpo)

POLICIES = [retention, rpo]
