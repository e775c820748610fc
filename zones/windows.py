"""Maintenance windows in local time and in UTC, DST-aware (pure).

Standard library only, on purpose: the policy pack carries a generated copy of this file
(policies/windows.py, `python -m byside.pack_build`), so it judges windows with this very code
without importing zones/. A window is anything with `start` and `end` ("HH:MM"; the end may run
past midnight as "30:00" or wrap as "22:00"-"04:00") — zones.model.Window or the pack's facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

Window = Any  # zones.model.Window, or the pack's facts node: anything with .start and .end


def window_minutes(window: Window) -> tuple[int, int]:
    """(start, end) in minutes after the local midnight of the day the window starts."""
    def m(s: str) -> int:
        h, mm = s.split(":")
        return int(h) * 60 + int(mm)

    start, end = m(window.start), m(window.end)
    if end <= start:  # "22:00"-"04:00" wraps to the next day
        end += 24 * 60
    return start, end


@dataclass(frozen=True)
class WindowOn:
    day: date
    timezone: str
    local_start: datetime
    local_end: datetime

    @property
    def utc_start(self) -> datetime:
        return self.local_start.astimezone(timezone.utc)

    @property
    def utc_end(self) -> datetime:
        return self.local_end.astimezone(timezone.utc)

    @property
    def hours(self) -> float:
        # Real elapsed time: 5 h or 7 h on a DST-change night.
        return (self.utc_end - self.utc_start).total_seconds() / 3600

    def as_dict(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "timezone": self.timezone,
            "local": f"{self.local_start:%H:%M %Z} to {self.local_end:%H:%M %Z}",
            "utc_start": self.utc_start.strftime("%Y-%m-%dT%H:%MZ"),
            "utc_end": self.utc_end.strftime("%Y-%m-%dT%H:%MZ"),
            "hours": round(self.hours, 2),
        }


def window_on(window: Window, tz: str, day: date) -> WindowOn:
    """The window that starts on `day` (local), resolved to instants."""
    zone = ZoneInfo(tz)
    start_min, end_min = window_minutes(window)
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    start = _local(day, start_min, zone)
    end = _local(day, end_min, zone)
    return WindowOn(day, tz, start, end)


def _local(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    d = day + timedelta(days=minutes // 1440)
    m = minutes % 1440
    naive = datetime.combine(d, time(m // 60, m % 60))
    return naive.replace(tzinfo=zone)


def contains(window: Window, tz: str, instant: datetime, duration: timedelta = timedelta(0)) -> bool:
    """Whether [instant, instant+duration] lies inside the window of the local day it starts in
    (or of the day before, for windows that run past midnight)."""
    local = instant.astimezone(ZoneInfo(tz))
    for day in (local.date(), local.date() - timedelta(days=1)):
        w = window_on(window, tz, day)
        if w.utc_start <= instant and instant + duration <= w.utc_end:
            return True
    return False


def shortest_night(window: Window, tz: str, year: int = 2026) -> WindowOn:
    """The window on its shortest night of the year (a spring-forward night is an hour short; the
    first such night when several tie)."""
    day, shortest = date(year, 1, 1), None
    while day.year == year:
        w = window_on(window, tz, day)
        if shortest is None or w.hours < shortest.hours:
            shortest = w
        day += timedelta(days=1)
    return shortest


def shortest_night_hours(window: Window, tz: str, year: int = 2026) -> float:
    """What an SSM window may last so that no run overruns the zone's window."""
    return shortest_night(window, tz, year).hours


def minutes_to_window_end(window: Window, start: str) -> int:
    """Minutes from a local start time ("HH:MM", inside the window) to the window's end: a backup
    rule's completion window, counted from its scheduled start."""
    w_start, w_end = window_minutes(window)
    h, m = start.split(":")
    at = int(h) * 60 + int(m)
    if at < w_start:
        at += 24 * 60
    return w_end - at
