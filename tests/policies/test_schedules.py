"""AWS cron evaluation against zone windows, across DST, on a fixed reference year."""

import pytest

import zones
from policies.schedules import ScheduleError, cadence_hours, first_outside, parse_cron

P = zones.load_platform()
WE1, SA1 = P.zone("we1"), P.zone("sa1")


@pytest.mark.parametrize("expr, hours", [
    ("cron(0 1 * * ? *)", 24.0), ("cron(0 1,13 * * ? *)", 12.0), ("cron(0 1 ? * SUN *)", 168.0),
    ("cron(0 1 ? * MON-FRI *)", 72.0), ("cron(0 1 1 * ? *)", 744.0), ("rate(12 hours)", 12.0), ("rate(1 day)", 24.0),
])
def test_cadence(expr, hours):
    assert cadence_hours(expr) == hours


def test_local_schedule_inside_the_window_all_year():
    assert first_outside("cron(0 1 ? * SUN *)", "Europe/Lisbon", 180, WE1.maintenance_window, WE1.timezone) is None
    assert first_outside("cron(0 0 * * ? *)", "America/Sao_Paulo", 360, SA1.maintenance_window, SA1.timezone) is None


def test_utc_schedule_drifts_out_of_the_window_when_summer_time_starts():
    # 05:30 UTC is 05:30 WET in winter (inside, 30 min left) but 06:30 WEST from 29 March.
    assert first_outside("cron(30 5 * * ? *)", "UTC", 20, WE1.maintenance_window, WE1.timezone) == "2026-03-29 06:30 WEST"


def test_the_night_clocks_go_forward_is_an_hour_shorter():
    # 01:00 Lisbon does not exist on 29 March 2026 (01:00 -> 02:00): a 5 h run from "01:00" ends 07:00.
    assert first_outside("cron(0 1 * * ? *)", "Europe/Lisbon", 300, WE1.maintenance_window, WE1.timezone) == "2026-03-29 02:00 WEST"
    assert first_outside("cron(0 1 * * ? *)", "Europe/Lisbon", 240, WE1.maintenance_window, WE1.timezone) is None


def test_sao_paulo_has_no_summer_time():
    assert first_outside("cron(0 3 * * ? *)", "UTC", 360, SA1.maintenance_window, SA1.timezone) is None
    assert first_outside("cron(0 2 * * ? *)", "UTC", 60, SA1.maintenance_window, SA1.timezone) == "2025-12-31 23:00 -03"  # 02:00 UTC on 1 January


@pytest.mark.parametrize("expr, message", [
    ("cron(0 1 * * *)", "'cron(0 1 * * *)': AWS cron needs 6 fields (minutes hours day-of-month month day-of-week year)"),
    ("cron(0 1 L * ? *)", "unsupported cron value 'L' (L, W and # are not evaluated)"),
    ("cron(0 25 * * ? *)", "'25' is out of range 0-23"),
    ("0 1 * * *", "'0 1 * * *' is not a cron(...) expression"),
])
def test_bad_expressions_are_named(expr, message):
    with pytest.raises(ScheduleError) as e:
        parse_cron(expr)
    assert str(e.value) == message


def test_rate_never_fits_a_window():
    with pytest.raises(ScheduleError, match="rate\\(\\) schedules run around the clock"):
        first_outside("rate(1 day)", "UTC", 60, WE1.maintenance_window, WE1.timezone)


# ---------------------------------------------------------------- against brute force

from datetime import datetime, time, timedelta, timezone  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from policies.schedules import REFERENCE_DAYS, REFERENCE_START  # noqa: E402
from zones.windows import contains  # noqa: E402


def _brute_force_fits(hours, minute, tz, duration, zone):
    # Every run of every day, written independently of first_outside.
    for i in range(REFERENCE_DAYS):
        d = REFERENCE_START + timedelta(days=i)
        for h in hours:
            start = datetime.combine(d, time(h, minute), tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)
            if not contains(zone.maintenance_window, zone.timezone, start, timedelta(minutes=duration)):
                return False
    return True


def test_a_window_past_midnight_is_not_convex():
    from zones.model import Window

    night = Window(start="22:00", end="28:00")  # 22:00-04:00
    assert first_outside("cron(0 1,12,23 * * ? *)", "UTC", 10, night, "UTC") == "2026-01-01 12:00 UTC"
    assert first_outside("cron(0 1,23 * * ? *)", "UTC", 10, night, "UTC") is None


@settings(max_examples=25, deadline=None)
@given(hours=st.sets(st.integers(0, 23), min_size=1, max_size=3), minute=st.sampled_from([0, 15, 30, 45]),
       duration=st.integers(0, 360), zone_id=st.sampled_from(["we1", "sa1"]), utc=st.booleans())
def test_first_outside_agrees_with_every_run(hours, minute, duration, zone_id, utc):
    zone = P.zone(zone_id)
    tz = "UTC" if utc else zone.timezone
    expr = f"cron({minute} {','.join(map(str, sorted(hours)))} * * ? *)"
    found = first_outside(expr, tz, duration, zone.maintenance_window, zone.timezone)
    assert (found is None) == _brute_force_fits(sorted(hours), minute, tz, duration, zone)
