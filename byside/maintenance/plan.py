"""Plan a maintenance notice: does the slot lie inside the zone's window that night (DST-aware),
when must the notice go out, and to whom. Pure: the zone model and the dates in, a Notice out.

The Service Description's rules:
- planned impacting work: "at least 3 business days notice". A business day is Monday to Friday
  and not a public holiday in any country of the zone's subscribers (the `holidays` library). The
  latest notice date is the third business day before the day the work starts (local date), so the
  notice day and the two business days after it all come before the work.
- emergency work (a critical security patch): "at least 24 hours before": the notice goes out no
  later than 24 real hours (UTC) before the start.
- both inside the zone's maintenance window, in its local time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from zones.windows import WindowOn, window_on

BUSINESS_DAYS_NOTICE = 3
EMERGENCY_NOTICE = timedelta(hours=24)
MAX_DURATION = timedelta(hours=24)
_DURATION = re.compile(r"^(?:(?P<h>\d{1,3})h)?(?:(?P<m>\d{1,4})m)?$")
_LOCAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class BadPlan(ValueError):
    """Bad input: `option` names the command-line option at fault."""

    def __init__(self, option: str, message: str):
        self.option = option
        super().__init__(f"{option}: {message}")


def parse_duration(text: str) -> timedelta:
    """`90m`, `2h`, `1h30m` -> timedelta (more than 0, at most 24 h)."""
    m = _DURATION.fullmatch(text.strip().lower())
    if not text.strip() or not m or (m["h"] is None and m["m"] is None):
        raise BadPlan("--duration", f"{text!r} is not a duration like 90m, 2h or 1h30m")
    d = timedelta(hours=int(m["h"] or 0), minutes=int(m["m"] or 0))
    if d <= timedelta(0):
        raise BadPlan("--duration", "must be longer than 0 minutes")
    if d > MAX_DURATION:
        raise BadPlan("--duration", f"{text} is longer than 24h: no maintenance window is that long")
    return d


def parse_local(text: str, option: str = "--start") -> datetime:
    """'YYYY-MM-DD HH:MM' -> a naive local datetime (the zone's wall clock)."""
    m = _LOCAL.fullmatch(text.strip())
    if not m:
        raise BadPlan(option, f"{text!r} is not 'YYYY-MM-DD HH:MM'")
    try:
        return datetime(*map(int, m.groups()))
    except ValueError as e:
        raise BadPlan(option, f"{text!r}: {e}") from None


def parse_today(text: str) -> datetime:
    """--today 'YYYY-MM-DD' (the start of that day) or 'YYYY-MM-DD HH:MM', the zone's local time."""
    m = _DATE.fullmatch(text.strip())
    if m:
        try:
            return datetime(*map(int, m.groups()))
        except ValueError as e:
            raise BadPlan("--today", f"{text!r}: {e}") from None
    return parse_local(text, "--today")


def resolve(naive: datetime, tz: str, option: str) -> tuple[datetime, str | None]:
    """The instant a local wall-clock time names, and a note when it happens twice (clocks go
    back: the first occurrence is taken). A time that does not exist (clocks go forward) is bad input."""
    zone = ZoneInfo(tz)
    first = naive.replace(tzinfo=zone, fold=0)
    if first.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != naive:
        raise BadPlan(option, f"{naive:%Y-%m-%d %H:%M} does not exist in {tz}: the clocks go forward that night")
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        return first, (f"{naive:%Y-%m-%d %H:%M} happens twice in {tz} (the clocks go back); the first, "
                       f"{first:%H:%M %Z} (UTC{_offset(first)}), is planned")
    return first, None


def _offset(dt: datetime) -> str:
    minutes = int(dt.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> dict[date, str]:
    import holidays

    return dict(holidays.country_holidays(country, years=year))


def holiday(day: date, countries: tuple[str, ...]) -> str | None:
    """'<name> (<country>)' when `day` is a public holiday in any of the countries."""
    names = [f"{_holidays(c, day.year)[day]} ({c})" for c in countries if day in _holidays(c, day.year)]
    return "; ".join(names) or None


def business_days_before(day: date, n: int, countries: tuple[str, ...]) -> tuple[date, list[tuple[date, str]]]:
    """The n-th business day before `day`, and the non-business weekdays skipped (holidays)."""
    skipped: list[tuple[date, str]] = []
    d, count = day, 0
    while count < n:
        d -= timedelta(days=1)
        if d.weekday() >= 5:
            continue
        h = holiday(d, countries)
        if h:
            skipped.append((d, h))
            continue
        count += 1
    return d, skipped


@dataclass(frozen=True)
class Recipient:
    id: str
    name: str
    country: str | None


@dataclass(frozen=True)
class Notice:
    zone_id: str
    zone_name: str
    timezone: str
    emergency: bool
    start: datetime  # aware, zone local
    end: datetime
    duration: timedelta
    window: WindowOn  # the zone's window the slot was judged against
    inside_window: bool
    today: datetime  # aware, zone local
    deadline: datetime  # aware, zone local: the notice must go out before this instant
    latest_notice_date: date
    late: bool
    countries: tuple[str, ...]
    holidays_skipped: tuple[tuple[date, str], ...]
    recipients: tuple[Recipient, ...]
    operations_email: str
    notes: tuple[str, ...] = field(default=())

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(timezone.utc)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(timezone.utc)

    @property
    def ok(self) -> bool:
        return self.inside_window and not self.late


def _window_for(z, start: datetime, end: datetime) -> tuple[WindowOn, bool]:
    """The window of the slot's local day (or of the day before, for windows past midnight)."""
    day = start.date()
    candidates = [window_on(z.maintenance_window, z.timezone, d) for d in (day, day - timedelta(days=1))]
    for w in candidates:
        if w.utc_start <= start.astimezone(timezone.utc) and end.astimezone(timezone.utc) <= w.utc_end:
            return w, True
    return candidates[0], False


def plan_notice(platform, zone_id: str, start_local: datetime, duration: timedelta, emergency: bool,
                today_local: datetime) -> Notice:
    """Judge the slot and compute the notice. Raises BadPlan on input it cannot plan."""
    if zone_id not in platform.zones:
        raise BadPlan("--zone", f"unknown zone {zone_id!r}; known: {', '.join(platform.zones)}")
    z = platform.zones[zone_id]
    notes: list[str] = []
    start, note = resolve(start_local, z.timezone, "--start")
    notes += [note] if note else []
    today, note = resolve(today_local, z.timezone, "--today")
    notes += [note] if note else []
    zone = ZoneInfo(z.timezone)
    end = (start.astimezone(timezone.utc) + duration).astimezone(zone)  # real elapsed time, across DST
    window, inside = _window_for(z, start, end)
    subs = sorted((s for s in platform.subscribers.values() if s.zone == zone_id), key=lambda s: s.id)
    recipients = tuple(Recipient(s.id, s.name, s.country) for s in subs)
    countries = tuple(sorted({s.country for s in subs if s.country}))
    skipped: list[tuple[date, str]] = []
    if emergency:
        deadline = (start.astimezone(timezone.utc) - EMERGENCY_NOTICE).astimezone(zone)
        latest = deadline.date()
        late = today >= deadline
    else:
        missing = [s.id for s in subs if not s.country]
        if missing:
            raise BadPlan("--zone", f"subscriber(s) {', '.join(missing)} of zone {zone_id} have no country in "
                                    "subscribers.yaml: their business days cannot be counted")
        latest, skipped = business_days_before(start.date(), BUSINESS_DAYS_NOTICE, countries)
        deadline = datetime.combine(latest + timedelta(days=1), datetime.min.time()).replace(tzinfo=zone)
        late = today.date() > latest
    return Notice(zone_id=zone_id, zone_name=z.name, timezone=z.timezone, emergency=emergency, start=start, end=end,
                  duration=duration, window=window, inside_window=inside, today=today, deadline=deadline,
                  latest_notice_date=latest, late=late, countries=countries, holidays_skipped=tuple(skipped),
                  recipients=recipients, operations_email=platform.platform.operations_email, notes=tuple(notes))
