"""maintenance-window: every schedule and window lies inside the zone's local window, DST-aware.

Covers SSM maintenance windows (schedule, duration, scheduleTimezone), AWS Backup plan rules
(schedule + startWindow, scheduleExpressionTimezone), GCP snapshot schedules (startTime, UTC),
RDS preferred maintenance/backup windows (UTC) and Cloud SQL maintenance windows (UTC).
A backup may start anywhere in its start window, so [start, start + startWindow] must fit; a GCP
snapshot or a Cloud SQL maintenance is given one hour.
"""

from __future__ import annotations

import re
from typing import Any

from .build import resource_policy
from .common import UNKNOWN, as_list, get, known_str, number, zone_model, zone_of
from .schedules import ScheduleError, first_outside

SSM_WINDOW = "aws:ssm/maintenanceWindow:MaintenanceWindow"
PLAN = "aws:backup/plan:Plan"
SNAPSHOT_POLICY = "gcp:compute/resourcePolicy:ResourcePolicy"
RDS_TYPES = ("aws:rds/instance:Instance", "aws:rds/cluster:Cluster")
SQL = "gcp:sql/databaseInstance:DatabaseInstance"

AWS_DEFAULT_START_WINDOW_MIN = 480  # AWS Backup's default start window (8 hours)
ONE_HOUR = 60
_DAYS = {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split(), start=1)}
_GCP_DAYS = {d: i for i, d in enumerate("SUNDAY MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY".split(), start=1)}


def _schedules(resource_type: str, props: Any) -> list[tuple[str, str, str, int, str]]:
    """(what, cron expression, its timezone, minutes it may run, as written) for each schedule."""
    out: list[tuple[str, str, str, int, str]] = []
    if resource_type == SSM_WINDOW:
        expr = known_str(get(props, "schedule"))
        hours = number(get(props, "duration"))
        if expr and hours is not None:
            out.append(("schedule", expr, known_str(get(props, "scheduleTimezone")) or "UTC", int(hours * 60), expr))
    elif resource_type == PLAN:
        for i, rule in enumerate(as_list(get(props, "rules"))):
            expr = known_str(get(rule, "schedule"))
            if not expr:
                continue
            name = known_str(get(rule, "ruleName")) or f"rules[{i}]"
            start = number(get(rule, "startWindow"))
            minutes = int(start) if start is not None else AWS_DEFAULT_START_WINDOW_MIN
            out.append((f"rule {name}", expr, known_str(get(rule, "scheduleExpressionTimezone")) or "UTC", minutes, expr))
    elif resource_type == SNAPSHOT_POLICY:
        sched = get(props, "snapshotSchedulePolicy", "schedule")
        if sched is None or sched is UNKNOWN:
            return out
        daily, hourly, weekly = (get(sched, k) for k in ("dailySchedule", "hourlySchedule", "weeklySchedule"))
        if daily is not None and daily is not UNKNOWN:
            hhmm = known_str(get(daily, "startTime"))
            if hhmm:
                h, m = hhmm.split(":")
                out.append(("snapshot schedule", f"cron({int(m)} {int(h)} * * ? *)", "UTC", ONE_HOUR, f"daily at {hhmm}"))
        if hourly is not None and hourly is not UNKNOWN:
            out.append(("snapshot schedule", "rate(1 hour)", "UTC", ONE_HOUR, "hourly"))
        for d in as_list(get(weekly, "dayOfWeeks")) if weekly not in (None, UNKNOWN) else []:
            day, hhmm = known_str(get(d, "day")), known_str(get(d, "startTime"))
            if day in _GCP_DAYS and hhmm:
                h, m = hhmm.split(":")
                out.append(("snapshot schedule", f"cron({int(m)} {int(h)} ? * {_GCP_DAYS[day]} *)",
                            "UTC", ONE_HOUR, f"{day.title()} at {hhmm}"))
    elif resource_type in RDS_TYPES:
        for key in ("preferredMaintenanceWindow", "preferredBackupWindow"):
            text = known_str(get(props, key))
            if text:
                out.extend(_rds_window(key, text))
    elif resource_type == SQL:
        mw = get(props, "settings", "maintenanceWindow")
        day, hour = number(get(mw, "day")), number(get(mw, "hour"))
        if day is not None and hour is not None:
            aws_day = int(day) % 7 + 1  # Cloud SQL: 1 = Monday ... 7 = Sunday
            out.append(("settings.maintenanceWindow", f"cron(0 {int(hour)} ? * {aws_day} *)", "UTC", ONE_HOUR,
                        f"day {int(day)} hour {int(hour)}"))
    return out


def _rds_window(key: str, text: str) -> list[tuple[str, str, str, int, str]]:
    """`ddd:hh24:mi-ddd:hh24:mi` (maintenance) or `hh24:mi-hh24:mi` (backup), both UTC."""
    m = re.fullmatch(r"(?:(\w{3}):)?(\d\d):(\d\d)-(?:(\w{3}):)?(\d\d):(\d\d)", text.strip().lower())
    if not m:
        return [(key, f"unparseable {text!r}", "UTC", 0, text)]
    d1, h1, m1, d2, h2, m2 = m.groups()
    start = int(h1) * 60 + int(m1)
    end = int(h2) * 60 + int(m2)
    if d1 and d2:
        span = ((_DAYS[d2] - _DAYS[d1]) % 7) * 1440 + end - start
        return [(key, f"cron({int(m1)} {int(h1)} ? * {_DAYS[d1]} *)", "UTC", span, text)]
    return [(key, f"cron({int(m1)} {int(h1)} * * ? *)", "UTC", (end - start) % 1440, text)]


def _maintenance_window(args, report_violation) -> None:
    schedules = _schedules(args.resource_type, args.props)
    if not schedules:
        return
    zone_id = zone_of(args.urn, args.props)
    zone = zone_model(zone_id)
    if zone is None:
        return  # the window and timezone are zone facts
    w = zone.maintenance_window
    for what, expr, tz, minutes, shown in schedules:
        try:
            when = first_outside(expr, tz, minutes, w, zone.timezone)
        except ScheduleError as e:
            report_violation(f"{what} {shown} cannot be checked against the window: {e}", None)
            continue
        if when:
            report_violation(f"{what} {shown} ({tz}, {minutes} min) runs outside zone {zone_id}'s window "
                             f"{w.start}-{w.end} {zone.timezone}: first at {when}", None)


maintenance_window = resource_policy("maintenance-window", _maintenance_window)

POLICIES = [maintenance_window]
