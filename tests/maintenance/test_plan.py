"""The maintenance planner: windows across DST nights in both timezones (what the tz database says),
business days in the subscribers' holiday calendars, emergency notice, and bad input."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

import zones
from byside.maintenance import BadPlan, parse_duration, parse_local, parse_today, plan_notice


@pytest.fixture(scope="module")
def platform():
    return zones.load_platform()


def plan(platform, zone, start, duration="2h", emergency=False, today="2026-01-05"):
    return plan_notice(platform, zone, parse_local(start), parse_duration(duration), emergency, parse_today(today))


# ---------------------------------------------------------------- durations and times


@pytest.mark.parametrize("text, minutes", [("90m", 90), ("2h", 120), ("1h30m", 90), ("24h", 1440), ("5m", 5)])
def test_durations(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text, message", [
    ("0m", "--duration: must be longer than 0 minutes"),
    ("2x", "--duration: '2x' is not a duration like 90m, 2h or 1h30m"),
    ("", "--duration: '' is not a duration like 90m, 2h or 1h30m"),
    ("30m1h", "--duration: '30m1h' is not a duration like 90m, 2h or 1h30m"),
    ("25h", "--duration: 25h is longer than 24h: no maintenance window is that long"),
])
def test_bad_durations(text, message):
    with pytest.raises(BadPlan, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        parse_duration(text)


def test_bad_start_and_today():
    with pytest.raises(BadPlan, match=r"^--start: '2026-02-30 01:00': day is out of range for month$"):
        parse_local("2026-02-30 01:00")
    with pytest.raises(BadPlan, match=r"^--start: '2026-04-16' is not 'YYYY-MM-DD HH:MM'$"):
        parse_local("2026-04-16")
    with pytest.raises(BadPlan, match=r"^--today: 'tomorrow' is not 'YYYY-MM-DD HH:MM'$"):
        parse_today("tomorrow")
    assert parse_today("2026-04-10") == datetime(2026, 4, 10)


def test_unknown_zone(platform):
    with pytest.raises(BadPlan, match=r"^--zone: unknown zone 'eu9'; known: sa1, we1, we2$"):
        plan(platform, "eu9", "2026-04-16 01:00")


# ---------------------------------------------------------------- DST nights


def test_lisbon_spring_forward_night_is_five_hours(platform):
    """Last Sunday of March 2026: 01:00 WET becomes 02:00 WEST; the window 00:00-06:00 lasts 5 h."""
    n = plan(platform, "we1", "2026-03-29 00:30", "1h", today="2026-03-20")
    assert (n.window.hours, n.window.utc_start.isoformat(), n.window.utc_end.isoformat()) == (
        5.0, "2026-03-29T00:00:00+00:00", "2026-03-29T05:00:00+00:00")
    assert (f"{n.start:%H:%M %Z}", f"{n.end:%H:%M %Z}") == ("00:30 WET", "02:30 WEST")  # one real hour
    assert n.inside_window and n.ok
    # 5 h 30 min fits any other night, not this one
    long = plan(platform, "we1", "2026-03-29 00:00", "5h30m", today="2026-03-20")
    assert (long.inside_window, f"{long.end:%H:%M %Z}") == (False, "06:30 WEST")
    assert plan(platform, "we1", "2026-03-30 00:00", "5h30m", today="2026-03-20").inside_window
    with pytest.raises(BadPlan, match=r"^--start: 2026-03-29 01:30 does not exist in Europe/Lisbon: the clocks go "
                                      r"forward that night$"):
        plan(platform, "we1", "2026-03-29 01:30", today="2026-03-20")


def test_lisbon_fall_back_night_is_seven_hours(platform):
    """Last Sunday of October 2026: 02:00 WEST becomes 01:00 WET; the window lasts 7 h and 01:30
    happens twice (the first is planned, and said so)."""
    n = plan(platform, "we2", "2026-10-25 00:00", "6h30m", today="2026-10-01")
    assert n.window.hours == 7.0 and n.inside_window
    assert f"{n.end:%H:%M %Z}" == "05:30 WET"
    twice = plan(platform, "we2", "2026-10-25 01:30", "1h", today="2026-10-01")
    assert (twice.start.isoformat(), twice.start_utc.isoformat()) == ("2026-10-25T01:30:00+01:00",
                                                                       "2026-10-25T00:30:00+00:00")
    assert twice.notes == ("2026-10-25 01:30 happens twice in Europe/Lisbon (the clocks go back); the first, 01:30 "
                           "WEST (UTC+01:00), is planned",)


def test_sao_paulo_has_no_dst_since_2019_in_the_tz_database(platform):
    """Brazil abolished DST in 2019 (tzdata 2019b): every 2026 night, including the first Sunday of
    November when clocks used to go forward at midnight, is 6 h at UTC-03; in 2018 that midnight did
    not exist."""
    n = plan(platform, "sa1", "2026-11-01 00:00", "6h", today="2026-10-01")
    assert (n.window.hours, n.inside_window, f"{n.start:%H:%M %Z}", n.start_utc.isoformat()) == (
        6.0, True, "00:00 -03", "2026-11-01T03:00:00+00:00")
    with pytest.raises(BadPlan, match=r"^--start: 2018-11-04 00:00 does not exist in America/Sao_Paulo"):
        plan(platform, "sa1", "2018-11-04 00:00", "1h", today="2018-10-01")
    old = plan(platform, "sa1", "2018-11-04 01:00", "5h30m", today="2018-10-01")
    assert (old.window.hours, old.inside_window) == (5.0, False)  # that night was an hour short


def test_slot_outside_the_window(platform):
    n = plan(platform, "we1", "2026-04-16 05:00", "2h", today="2026-04-01")
    assert not n.inside_window and not n.ok and not n.late


# ---------------------------------------------------------------- business days


def test_three_business_days_in_portugal_skip_day_of_portugal(platform):
    """WE1's subscribers are in PT: Wednesday 10 June 2026 is a public holiday there, so for work on
    Friday 12 June the notice goes out by Monday 8 June (Thu 11, Tue 9, Mon 8)."""
    n = plan(platform, "we1", "2026-06-12 01:00", "2h", today="2026-06-08")
    assert (n.countries, n.latest_notice_date, n.late) == (("PT",), date(2026, 6, 8), False)
    assert n.holidays_skipped == ((date(2026, 6, 10), "Day of Portugal, Camões, and the Portuguese Communities (PT)"),)
    late = plan(platform, "we1", "2026-06-12 01:00", "2h", today="2026-06-09")
    assert late.late and not late.ok  # three weekdays before, but not three business days


def test_a_holiday_in_any_subscriber_country_counts(platform):
    """WE2 serves ES and GB: the GB Spring Bank Holiday (25 May 2026) is not a business day, even
    though Spain works; work on Thursday 28 May needs notice by Friday 22 May."""
    n = plan(platform, "we2", "2026-05-28 00:00", "1h", today="2026-05-22")
    assert n.countries == ("ES", "GB")
    assert (n.latest_notice_date, n.late) == (date(2026, 5, 22), False)
    assert n.holidays_skipped == ((date(2026, 5, 25), "Spring Bank Holiday (GB)"),)
    assert plan(platform, "we2", "2026-05-28 00:00", "1h", today="2026-05-23").late


def test_weekends_are_not_business_days(platform):
    """SA1 (BR): work on Tuesday 16 June 2026 -> Mon 15, (Sun 14, Sat 13), Fri 12, Thu 11."""
    n = plan(platform, "sa1", "2026-06-16 01:00", "1h", today="2026-06-01")
    assert (n.countries, n.latest_notice_date, n.holidays_skipped) == (("BR",), date(2026, 6, 11), ())


def test_subscribers_listed_and_country_required(platform):
    n = plan(platform, "we2", "2026-05-28 00:00", "1h", today="2026-05-01")
    assert [(r.id, r.country) for r in n.recipients] == [("sub-meseta-seguros", "ES"), ("sub-thames-energy", "GB")]
    subs = {k: v.model_copy(update={"country": None}) if k == "sub-thames-energy" else v
            for k, v in platform.subscribers.items()}
    no_country = type(platform)(platform.platform, platform.datacenters, subs, platform.access, platform.zones)
    with pytest.raises(BadPlan, match=r"^--zone: subscriber\(s\) sub-thames-energy of zone we2 have no country"):
        plan(no_country, "we2", "2026-05-28 00:00", "1h")


# ---------------------------------------------------------------- emergency


def test_emergency_needs_24_hours_in_real_time(platform):
    n = plan(platform, "sa1", "2026-05-06 01:00", "90m", emergency=True, today="2026-05-05 00:30")
    assert (n.deadline.isoformat(), n.latest_notice_date, n.late, n.ok) == (
        "2026-05-05T01:00:00-03:00", date(2026, 5, 5), False, True)
    assert plan(platform, "sa1", "2026-05-06 01:00", "90m", emergency=True, today="2026-05-05 01:00").late
    # across the spring-forward night in Lisbon, 24 real hours before 03:00 WEST is 02:00 WET the day before
    dst = plan(platform, "we1", "2026-03-29 03:00", "1h", emergency=True, today="2026-03-28")
    assert dst.deadline.isoformat() == "2026-03-28T02:00:00+00:00"
    # an emergency still has to fit the window
    assert not plan(platform, "sa1", "2026-05-06 05:30", "1h", emergency=True, today="2026-05-01").inside_window
