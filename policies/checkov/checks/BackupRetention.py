"""CKV_BYS_3: backups are kept by age in days long enough for the promise (5 daily, 4 weekly,
3 monthly: 5 / 28 / 84 days), and no backup rule keeps them forever.

A requirement (period, days) is met by a rule that runs at least once per period and keeps its
recovery points at least that many days. AWS: aws_backup_plan rules (cron/rate schedule,
lifecycle.delete_after). GCP: google_compute_resource_policy snapshot schedules
(daily/hourly/weekly schedule, retention_policy.max_retention_days).

Runs inside checkov's own environment: plain Python, no import from the project. The numbers come
from the parameters file the bridge writes from zones/platform.yaml (env BYSIDE_CHECKOV_PARAMS);
without it the check is UNKNOWN.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


def _params() -> dict[str, Any] | None:
    path = os.environ.get("BYSIDE_CHECKOV_PARAMS")
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _first(conf: dict[str, Any] | None, key: str) -> Any:
    v = conf.get(key) if isinstance(conf, dict) else None
    while isinstance(v, list):
        v = v[0] if v else None
    return v


def _blocks(conf: dict[str, Any] | None, key: str) -> list[dict[str, Any]]:
    v = conf.get(key) if isinstance(conf, dict) else None
    return [b for b in v if isinstance(b, dict)] if isinstance(v, list) else []


def _number(v: Any) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def aws_period_days(expr: Any) -> float | None:
    """Days between runs of an AWS Backup schedule; None when it cannot be read."""
    if not isinstance(expr, str):
        return None
    m = re.fullmatch(r"\s*rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)\s*", expr)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        return n / 1440 if unit.startswith("minute") else n / 24 if unit.startswith("hour") else float(n)
    m = re.fullmatch(r"\s*cron\((.*)\)\s*", expr)
    if not m:
        return None
    fields = m.group(1).split()
    if len(fields) != 6:
        return None
    _, hours, dom, _, dow, _ = fields
    if dom in ("*", "?") and dow in ("*", "?"):
        runs = len(hours.split(",")) if hours != "*" else 24
        return 1 / runs
    if dom in ("*", "?"):
        return 7 / max(1, len(dow.split(",")))  # some days of each week
    return 31 / max(1, len(dom.split(",")))  # some days of each month


def gcp_period_days(schedule: dict[str, Any] | None) -> float | None:
    daily = _blocks(schedule, "daily_schedule")
    if daily:
        return _number(_first(daily[0], "days_in_cycle"))
    hourly = _blocks(schedule, "hourly_schedule")
    if hourly:
        hours = _number(_first(hourly[0], "hours_in_cycle"))
        return hours / 24 if hours else None
    weekly = _blocks(schedule, "weekly_schedule")
    if weekly:
        days = _blocks(weekly[0], "day_of_weeks")
        return 7 / max(1, len(days))
    return None


class BackupRetention(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure backups are kept by age in days for the daily, weekly and monthly promise",
            id="CKV_BYS_3",
            categories=(CheckCategories.BACKUP_AND_RECOVERY,),
            supported_resources=("aws_backup_plan", "google_compute_resource_policy"),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        params = _params()
        if params is None:
            return CheckResult.UNKNOWN
        if self.entity_type == "aws_backup_plan":
            self.evaluated_keys = ["rule"]
            rules = []
            for rule in _blocks(conf, "rule"):
                lifecycle = _blocks(rule, "lifecycle")
                keep = _number(_first(lifecycle[0], "delete_after")) if lifecycle else None
                if keep is None:
                    return CheckResult.FAILED  # kept forever: retention must be a number of days
                rules.append((aws_period_days(_first(rule, "schedule")), keep))
        else:
            policy = _blocks(conf, "snapshot_schedule_policy")
            if not policy:
                return CheckResult.UNKNOWN  # not a snapshot schedule (placement, instance schedule)
            self.evaluated_keys = ["snapshot_schedule_policy"]
            retention = _blocks(policy[0], "retention_policy")
            keep = _number(_first(retention[0], "max_retention_days")) if retention else None
            if keep is None:
                return CheckResult.FAILED
            schedules = _blocks(policy[0], "schedule")
            rules = [(gcp_period_days(schedules[0] if schedules else None), keep)]
        for need in params["backup"]:
            if not any(period is not None and period <= need["period_days"] and keep >= need["retention_days"]
                       for period, keep in rules):
                return CheckResult.FAILED
        return CheckResult.PASSED


check = BackupRetention()
