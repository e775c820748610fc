"""The review's rules on small hand-made inputs: days, bursts, year edges, rejected rows, dates."""

import json
from datetime import date

import pytest

from audits.dc_access import InputError, Params, run_review
from audits.dc_access.csvfile import Rejected

AUTH = ("person_id,name,badge_id,dc,area,access_level,granted_on,granted_by,justification,valid_until\n"
        "P1,Ana Test,B1,site-x,hall,unescorted,{granted},Sec,work,{valid}\n")
ROSTER = "person_id,name,status,termination_date,job_role\nP1,Ana Test,{status},{term},{role}\n"


def mini(tmp_path, events, *, granted="2025-12-01", valid="", status="active", term="", role="engineer",
         previous=None, as_of=None, dormant=180, year=2025):
    """One person P1 with badge B1 at site-x; events as (timestamp, direction, result[, badge])."""
    (tmp_path / "a.csv").write_text(AUTH.format(granted=granted, valid=valid))
    (tmp_path / "r.csv").write_text(ROSTER.format(status=status, term=term, role=role))
    lines = ["timestamp,badge_id,dc,door,direction,result"]
    for ev in events:
        ts, d, res, *badge = ev
        lines.append(f"{ts},{badge[0] if badge else 'B1'},site-x,door-1,{d},{res}")
    (tmp_path / "e.csv").write_text("\n".join(lines) + "\n")
    prev = None
    if previous is not None:
        prev = tmp_path / "prev.json"
        prev.write_text(json.dumps(previous))
    return run_review(Params(dc="site-x", year=year, authorized=tmp_path / "a.csv", events=tmp_path / "e.csv",
                             roster=tmp_path / "r.csv", roles=("engineer",), dormant_days=dormant,
                             previous=prev, as_of=as_of))


def found(r, code):
    return [(f.timestamp, f.detail) for f in r.findings if f.code == code]


# ------------------------------------------------------------------------------------------ DCA-07

def test_dca07_midnight_crossing_is_two_unpaired_events_in_local_days(tmp_path):
    r = mini(tmp_path, [("2025-05-10T23:30:00+02:00", "in", "granted"), ("2025-05-11T00:30:00+02:00", "out", "granted")])
    assert found(r, "DCA-07") == [("2025-05-10T23:30:00+02:00", "entry with no exit the same day"),
                                  ("2025-05-11T00:30:00+02:00", "exit with no entry the same day")]


def test_dca07_same_local_day_pairs_although_utc_days_differ(tmp_path):
    # 20:30 and 23:50 at UTC-5 are 01:30 and 04:50 UTC on the next day, and the same local day.
    r = mini(tmp_path, [("2025-05-10T20:30:00-05:00", "in", "granted"), ("2025-05-10T23:50:00-05:00", "out", "granted")])
    assert found(r, "DCA-07") == []


def test_dca07_second_entry_without_exit_and_denied_events_do_not_pair(tmp_path):
    r = mini(tmp_path, [("2025-05-10T08:00:00+00:00", "in", "granted"), ("2025-05-10T09:00:00+00:00", "in", "granted"),
                        ("2025-05-10T10:00:00+00:00", "out", "granted"), ("2025-05-10T11:00:00+00:00", "out", "denied")])
    assert found(r, "DCA-07") == [("2025-05-10T08:00:00+00:00", "entry with no exit before the next entry")]


def test_dca07_unsorted_export_is_paired_in_time_order(tmp_path):
    r = mini(tmp_path, [("2025-05-10T17:00:00+00:00", "out", "granted"), ("2025-05-10T08:00:00+00:00", "in", "granted")])
    assert found(r, "DCA-07") == []


# ------------------------------------------------------------------------------------------ DCA-08

@pytest.mark.parametrize("seconds, bursts", [
    ([0, 240, 540], [(0, 540, 3)]),                   # three within 9 minutes
    ([0, 360, 660], []),                              # 11 minutes from first to third
    ([0, 300, 600], [(0, 600, 3)]),                   # exactly ten minutes: within
    ([0, 60, 120, 1800, 1860, 1920], [(0, 120, 3), (1800, 1920, 3)]),   # two separate bursts
    ([0, 240, 480, 720, 960], [(0, 960, 5)]),         # overlapping windows: one burst, reported once
    ([0, 60], []),
])
def test_dca08_sliding_ten_minute_window(tmp_path, seconds, bursts):
    from datetime import datetime, timedelta, timezone

    t0 = datetime(2025, 3, 3, 12, 0, tzinfo=timezone.utc)
    ts = [(t0 + timedelta(seconds=s)).isoformat() for s in seconds]
    r = mini(tmp_path, [(t, "in", "denied") for t in reversed(ts)])
    expect = [((t0 + timedelta(seconds=a)).isoformat(),
               f"{n} denied attempts between {(t0 + timedelta(seconds=a)).isoformat()} and "
               f"{(t0 + timedelta(seconds=b)).isoformat()}") for a, b, n in bursts]
    assert found(r, "DCA-08") == expect


def test_dca08_counts_badges_not_on_the_list(tmp_path):
    r = mini(tmp_path, [(f"2025-03-03T12:0{m}:00+00:00", "in", "denied", "B-STRANGE") for m in (1, 2, 3)])
    assert [(f.code, f.badge_id, f.person_id) for f in r.findings if f.code == "DCA-08"] == [("DCA-08", "B-STRANGE", None)]
    assert found(r, "DCA-05") == []  # denied: nobody got in


# ------------------------------------------------------------------------------------------ year, counts

def test_year_is_cut_in_utc_and_counts_add_up(tmp_path):
    r = mini(tmp_path, [
        ("2024-12-31T23:30:00-01:00", "in", "granted"),   # 2025-01-01 00:30 UTC: reviewed
        ("2025-01-01T00:30:00+01:00", "out", "granted"),  # 2024-12-31 23:30 UTC: outside
        ("2025-12-31T23:30:00-01:00", "in", "granted"),   # 2026 in UTC: outside
        ("2025-06-01T10:00:00Z", "bogus", "granted"),     # rejected
    ])
    c = r.counts
    assert (c["events_read"], c["events_reviewed"], c["events_outside_year"], c["events_rejected"]) == (4, 1, 2, 1)
    assert c["events_read"] == c["events_reviewed"] + c["events_outside_year"] + c["events_rejected"]


def test_malformed_rows_are_rejected_with_physical_line_numbers(tmp_path):
    (tmp_path / "a.csv").write_text(
        "person_id,name,badge_id,dc,area,access_level,granted_on,granted_by,justification,valid_until,extra\n"
        "P1,Ana,B1,site-x,hall,unescorted,2025-12-01,Sec,work,,x\n"
        ",Nobody,B9,site-x,hall,unescorted,2025-01-01,Sec,work,,\n"
        "P2,Bo,,site-x,hall,unescorted,2025-01-01,Sec,work,,\n"
        "P3,Cy,B3,site-x,hall,unescorted,2025-13-01,Sec,work,,\n"
        "P4,Di,B4,site-x,hall,unescorted,2025-01-01,Sec,work,2024-12-31,\n"
        "P1,Ana,B1,site-x,hall,unescorted,2025-12-01,Sec,again,,\n"
        "P5,Ed,B5,elsewhere,hall,unescorted,2025-01-01,Sec,work,,\n")
    (tmp_path / "r.csv").write_text("job_role,person_id,name,status,termination_date\n"
                                    "engineer,P1,Ana,active,\n"
                                    "engineer,P1,Ana again,active,\n"
                                    "engineer,P7,Gil,retired,\n"
                                    "engineer,P8,Hal,terminated,31.12.2025\n")
    (tmp_path / "e.csv").write_text(
        "badge_id,timestamp,dc,door,direction,result\n"
        'B1,2025-12-02T08:00:00+00:00,site-x,"door\nwith a break",in,granted\n'   # lines 2-3
        "B1,2025-12-02T09:00:00+00:00,site-x,d,sideways,granted\n"                  # line 4
        "B1,2025-12-02T09:00:00+00:00,site-x,d,out,maybe\n"
        ",2025-12-02T09:00:00+00:00,site-x,d,out,granted\n"
        "B1,not-a-time,site-x,d,out,granted\n"
        "B1,2025-12-02T09:00:00,site-x,d,out,granted\n"
        "B1,2025-12-02T09:00:00+00:00,site-y,d,out,granted\n"
        "B1,2025-12-02T17:00:00+00:00\n"                                            # short row
        "\n"                                                                        # blank: not a record
        "B1,2025-12-02T17:00:00+00:00,site-x,d,out,granted\n")                      # line 12
    r = run_review(Params(dc="site-x", year=2025, authorized=tmp_path / "a.csv", events=tmp_path / "e.csv",
                          roster=tmp_path / "r.csv", roles=("engineer",), dormant_days=180))
    assert r.rejected == [
        Rejected("a.csv", 3, "missing person_id"),
        Rejected("a.csv", 4, "missing badge_id"),
        Rejected("a.csv", 5, "granted_on '2025-13-01' is not a date (YYYY-MM-DD)"),
        Rejected("a.csv", 6, "valid_until 2024-12-31 is before granted_on 2025-01-01"),
        Rejected("a.csv", 7, "duplicate of line 2 (same person_id, badge_id and area)"),
        Rejected("r.csv", 3, "duplicate person_id 'P1' (first on line 2)"),
        Rejected("r.csv", 4, "status 'retired' is not one of active, leave, terminated"),
        Rejected("r.csv", 5, "termination_date '31.12.2025' is not a date (YYYY-MM-DD) or empty"),
        Rejected("e.csv", 4, "direction 'sideways' is not in or out"),
        Rejected("e.csv", 5, "result 'maybe' is not granted or denied"),
        Rejected("e.csv", 6, "missing badge_id"),
        Rejected("e.csv", 7, "timestamp 'not-a-time' is not ISO 8601"),
        Rejected("e.csv", 8, "timestamp '2025-12-02T09:00:00' has no UTC offset and no timezone is known for it "
                             "(set `timezone` for this data centre in zones/datacenters.yaml, or give --events-timezone)"),
        Rejected("e.csv", 10, "direction '' is not in or out"),
    ]
    c = r.counts
    # line 9 is another site's event: counted and named, not rejected
    assert (c["events_read"], c["events_reviewed"], c["events_other_dc"], c["events_rejected"]) == (9, 2, 1, 6)
    assert r.other_dc == {"site-y": 1}
    assert (c["authorized_rows_read"], c["authorized_rows_other_dc"], c["authorized_rows_rejected"]) == (7, 1, 5)
    assert (c["roster_rows_read"], c["roster_rows_rejected"]) == (4, 3)
    assert [(p.person_id, p.entries) for p in r.people] == [("P1", 1)]
    assert found(r, "DCA-07") == []


# ------------------------------------------------------------------------------------------ dates

@pytest.mark.parametrize("last, dormant", [("2025-06-10", False), ("2025-06-09", True)])
def test_dca02_threshold_is_strictly_longer_than_n_days(tmp_path, last, dormant):
    r = mini(tmp_path, [(f"{last}T08:00:00+00:00", "in", "granted"), (f"{last}T09:00:00+00:00", "out", "granted")],
             granted="2024-01-01", as_of=date(2025, 6, 20), dormant=10)
    assert bool(found(r, "DCA-02")) is dormant


def test_dca02_counts_from_the_grant_when_there_was_no_entry(tmp_path):
    assert found(mini(tmp_path, [], granted="2025-12-01"), "DCA-02") == []
    assert found(mini(tmp_path, [], granted="2025-01-02"), "DCA-02") == [
        (None, "no granted entry this year (granted 2025-01-02): 363 days before 2025-12-31, threshold 180")]


def test_dca06_termination_date_in_the_events_local_day(tmp_path):
    r = mini(tmp_path, [("2025-05-01T23:30:00-03:00", "in", "granted"),   # 2 May in UTC, 1 May locally
                        ("2025-05-01T23:40:00-03:00", "out", "granted"),
                        ("2025-05-02T08:00:00+02:00", "in", "granted"),
                        ("2025-05-02T09:00:00+02:00", "out", "granted")],
             status="leave", term="2025-05-01", valid="2025-05-01", granted="2024-01-01", as_of=date(2025, 4, 30))
    assert found(r, "DCA-06") == [("2025-05-02T08:00:00+02:00",
                                   "granted entry on 2025-05-02, after termination date 2025-05-01 and valid_until 2025-05-01")]
    assert found(r, "DCA-01") == []  # on leave, not terminated


def test_dca04_only_when_every_grant_has_run_out(tmp_path):
    assert found(mini(tmp_path, [], valid="2025-12-30"), "DCA-04") == [(None, "valid until 2025-12-30, before 2025-12-31")]
    assert found(mini(tmp_path, [], valid="2025-12-31"), "DCA-04") == []


def _prev(as_of, signed_on=None, dc="site-x"):
    return {"dc": dc, "as_of": as_of, "sign_off": {"reviewer": "x", "signed_on": signed_on}, "next_authorized": []}


@pytest.mark.parametrize("previous, detail", [
    (None, "no previous review given (--previous)"),
    (_prev("2024-12-31"), None),                                        # 365 days
    (_prev("2024-12-30"), "previous review as of 2024-12-30, 366 days before 2025-12-31"),
    (_prev("2024-12-30", "2025-01-15"), None),                          # signed later: counts from sign-off
    (_prev("2024-06-30", "2024-12-01"), "previous review signed on 2024-12-01, 395 days before 2025-12-31"),
])
def test_dca10_review_cycle(tmp_path, previous, detail):
    r = mini(tmp_path, [], previous=previous)
    assert found(r, "DCA-10") == ([(None, detail)] if detail else [])


@pytest.mark.parametrize("doc, message", [
    (_prev("2024-12-31", dc="dc-other"), "it reviews dc 'dc-other', not 'site-x'"),
    ({"dc": "site-x", "next_authorized": []}, "missing field 'as_of'"),
    ({"dc": "site-x", "as_of": "31/12/2024", "next_authorized": []}, "field 'as_of' '31/12/2024' is not a date"),
    ({"dc": "site-x", "as_of": "2024-12-31", "next_authorized": [{"person_id": "P1"}]}, "next_authorized[0] must be"),
    ([1, 2], "expected a JSON object"),
])
def test_previous_review_wrongly_shaped_fails(tmp_path, doc, message):
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        mini(tmp_path, [], previous=doc)


def test_progress_is_reported_up_to_the_whole_file(tmp_path):
    from audits.examples.generate import synthetic_events

    (tmp_path / "a.csv").write_text(AUTH.format(granted="2025-01-01", valid=""))
    (tmp_path / "r.csv").write_text(ROSTER.format(status="active", term="", role="engineer"))
    synthetic_events(tmp_path / "e.csv", "site-x", 2025, people=3, events=40_000)
    seen = []
    r = run_review(Params(dc="site-x", year=2025, authorized=tmp_path / "a.csv", events=tmp_path / "e.csv",
                          roster=tmp_path / "r.csv", roles=("engineer",), dormant_days=180), progress=seen.append)
    assert r.counts["events_read"] == 40_000
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == (tmp_path / "e.csv").stat().st_size
