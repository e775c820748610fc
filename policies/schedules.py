"""AWS schedule expressions (cron/rate) and fixed daily times, judged against a zone's window.

Pure and deterministic: a schedule is evaluated on every day of a fixed reference year (so both
DST changes are seen, and the answer does not depend on the day the check runs), in the
schedule's own timezone, through zones/windows.py (its copy policies/windows.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .windows import Window, contains  # a generated copy of zones/windows.py

REFERENCE_START = date(2026, 1, 1)
REFERENCE_DAYS = 366

_MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}
_DAYS = {d: i for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split(), start=1)}  # AWS: 1 = Sunday


class ScheduleError(ValueError):
    pass


def _field(text: str, lo: int, hi: int, names: dict[str, int] | None = None) -> frozenset[int] | None:
    """A cron field as the set of values it matches; None for `*` / `?` (any)."""
    text = text.strip().upper()
    if text in ("*", "?"):
        return None
    out: set[int] = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, s = part.split("/", 1)
            step = int(s)
        if part in ("*", ""):
            a, b = lo, hi
        elif "-" in part:
            x, y = part.split("-", 1)
            a, b = _value(x, names), _value(y, names)
        else:
            a = _value(part, names)
            b = hi if step != 1 else a
        if not (lo <= a <= hi and lo <= b <= hi):
            raise ScheduleError(f"{text!r} is out of range {lo}-{hi}")
        out.update(range(a, b + 1, step))
    return frozenset(out)


def _value(text: str, names: dict[str, int] | None) -> int:
    if names and text in names:
        return names[text]
    if not text.isdigit():
        raise ScheduleError(f"unsupported cron value {text!r} (L, W and # are not evaluated)")
    return int(text)


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    dom: frozenset[int] | None
    months: frozenset[int] | None
    dow: frozenset[int] | None  # AWS numbering, 1 = Sunday
    years: frozenset[int] | None

    def runs_on(self, d: date) -> bool:
        if self.months is not None and d.month not in self.months:
            return False
        if self.years is not None and d.year not in self.years:
            return False
        if self.dom is not None and d.day not in self.dom:
            return False
        if self.dow is not None and (d.isoweekday() % 7) + 1 not in self.dow:
            return False
        return True

    def cadence_hours(self) -> float:
        """Longest gap between runs, in hours (approximate for monthly/yearly patterns)."""
        if self.dom is None and self.dow is None and self.months is None:
            if len(self.hours) == 24:
                return 1.0 if len(self.minutes) < 60 else 1 / 60
            hours = sorted(self.hours)
            gaps = [b - a for a, b in zip(hours, hours[1:])] + [24 - hours[-1] + hours[0]]
            return float(max(gaps))
        if self.dom is None and self.dow is not None and self.months is None:
            days = sorted(self.dow)
            gaps = [b - a for a, b in zip(days, days[1:])] + [7 - days[-1] + days[0]]
            return 24.0 * max(gaps)
        if self.dom is not None and self.dow is None:
            days = sorted(self.dom)
            gaps = [b - a for a, b in zip(days, days[1:])] + [31 - days[-1] + days[0]]
            months = 12 // len(self.months) if self.months else 1
            return 24.0 * (max(gaps) if len(days) > 1 else 31 * months)
        return 24.0 * 366


def parse_cron(expr: str) -> Cron:
    m = re.fullmatch(r"\s*cron\((.*)\)\s*", expr)
    if not m:
        raise ScheduleError(f"{expr!r} is not a cron(...) expression")
    parts = m.group(1).split()
    if len(parts) != 6:
        raise ScheduleError(f"{expr!r}: AWS cron needs 6 fields (minutes hours day-of-month month day-of-week year)")
    mi, h, dom, mon, dow, yr = parts
    minutes = _field(mi, 0, 59) or frozenset(range(60))
    hours = _field(h, 0, 23) or frozenset(range(24))
    return Cron(minutes, hours, _field(dom, 1, 31), _field(mon, 1, 12, _MONTHS), _field(dow, 1, 7, _DAYS),
                _field(yr, 1970, 2199))


def cadence_hours(expr: str) -> float:
    """How often a cron(...) or rate(...) expression runs, as its longest gap in hours."""
    m = re.fullmatch(r"\s*rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)\s*", expr)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        return n / 60 if unit.startswith("minute") else n if unit.startswith("hour") else 24.0 * n
    return parse_cron(expr).cadence_hours()


def _tz(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"unknown timezone {name!r}") from None


@lru_cache(maxsize=1024)
def first_outside(expr: str, schedule_tz: str, duration_min: int, window: Window, zone_tz: str) -> str | None:
    """The first run (in the reference year) whose [start, start+duration] leaves the window, as
    'YYYY-MM-DD HH:MM <zone tz abbreviation>', or None when every run fits. Raises ScheduleError.

    Every run is checked: a window may wrap past midnight (22:00-04:00), so the first and last
    run of a day do not bound the others. Cached per schedule, so a plan pays once per expression.
    """
    if expr.strip().startswith("rate("):
        raise ScheduleError("rate() schedules run around the clock, never inside a window")
    cron = parse_cron(expr)
    tz, ztz = _tz(schedule_tz), _tz(zone_tz)
    duration = timedelta(minutes=duration_min)
    times = sorted((h, m) for h in cron.hours for m in cron.minutes)
    for d in (REFERENCE_START + timedelta(days=i) for i in range(REFERENCE_DAYS)):
        if not cron.runs_on(d):
            continue
        for h, m in times:
            start = datetime.combine(d, time(h, m), tzinfo=tz).astimezone(timezone.utc)
            if not contains(window, zone_tz, start, duration):
                return f"{start.astimezone(ztz):%Y-%m-%d %H:%M %Z}"
    return None
