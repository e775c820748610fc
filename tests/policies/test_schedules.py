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
