"""Zone facts the clouds would reject once the program turns them into resources (issue 11).

The mock engine accepts anything, so these are caught here, with file and line, by the same rules
the provider-conformance check applies to the preview (zones/cloud_limits.py): log retention a
CloudWatch log group or GCP log bucket cannot keep, a window too short for the SSM cutoff on its
shortest night (DST), a backup start too late for AWS Backup's start and completion windows.
"""

from __future__ import annotations

from zoneinfo import ZoneInfoNotFoundError

from . import cloud_limits
from .issues import Issue
from .platform import Platform
from .windows import minutes_to_window_end, shortest_night

AUDIT = "audit"  # the one retention GCP applies (the _Default log bucket); AWS applies every source


def validate(p: Platform) -> list[Issue]:
    out: list[Issue] = []
    for zid, z in p.zones.items():
        src = p.sources[zid]
        for source, days in z.log_retention.items():
            problems = (cloud_limits.cloudwatch_retention(days) if z.aws else []) + (
                cloud_limits.gcp_log_bucket_retention(days) if z.gcp and source == AUDIT else [])
            out += [src.issue(("log_retention", source), f"{source!r}: {problem}") for problem in problems]
        if z.aws:
            out += _ssm_window(src, z)
            out += _backup_windows(src, z)
    return out


def _ssm_window(src, z) -> list[Issue]:
    w = z.maintenance_window
    s, e = w.minutes()
    if not 0 < e - s <= 24 * 60:
        return []  # reported by the window rules
    try:
        night = shortest_night(w, z.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return []  # an unknown timezone: reported by the window rules
    duration, cutoff = int(night.hours), cloud_limits.SSM_CUTOFF_HOURS
    return [src.issue(("maintenance_window",),
                      f"window {w.start}-{w.end} {z.timezone} lasts {night.hours:g} h on its shortest night "
                      f"({night.day.isoformat()}): the SSM maintenance window (duration {duration} h, cutoff "
                      f"{cutoff} h) would be rejected: {problem}")
            for problem in cloud_limits.ssm_window(duration, cutoff)]


def _backup_windows(src, z) -> list[Issue]:
    w = z.maintenance_window
    completion = minutes_to_window_end(w, z.backup.start)
    if not 0 <= completion <= w.minutes()[1] - w.minutes()[0]:
        return []  # outside the window: reported by the window rules
    start_window = cloud_limits.BACKUP_MIN_START_WINDOW
    return [src.issue(("backup", "start"),
                      f"backup start {z.backup.start} leaves {completion} min to the window's end {w.end}: the AWS "
                      f"Backup rules (start window {start_window} min, completion window {completion} min) would "
                      f"be rejected: {problem}")
            for problem in cloud_limits.backup_windows(start_window, completion)]
