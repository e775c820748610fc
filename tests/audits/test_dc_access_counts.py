"""Every event read is reviewed, outside the year, another site's or rejected (with its line): a property test."""

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from audits.dc_access import Params, run_review

OFFSETS = [timedelta(0), timedelta(hours=1), timedelta(hours=-5), timedelta(hours=5, minutes=30)]

good_ts = st.builds(
    lambda s, off: datetime.fromtimestamp(s, timezone(off)).isoformat(),
    st.integers(int(datetime(2024, 12, 30, tzinfo=timezone.utc).timestamp()),
                int(datetime(2026, 1, 2, tzinfo=timezone.utc).timestamp())),
    st.sampled_from(OFFSETS))
timestamp = st.one_of(good_ts, st.sampled_from(["", "2025-02-30T10:00:00Z", "2025-06-01T10:00:00", "yesterday"]))
event = st.tuples(timestamp, st.sampled_from(["B1", "B2", ""]), st.sampled_from(["site-x", "site-x", "site-y"]),
                  st.sampled_from(["in", "out", "IN"]), st.sampled_from(["granted", "denied", "ok"]))


def _expected(ts, badge, dc, direction, result):
    """Independent oracle: None if malformed, "other" for another site's event, else the UTC year."""
    if not badge or direction not in ("in", "out") or result not in ("granted", "denied"):
        return None
    try:
        t = datetime.fromisoformat(ts)
    except ValueError:
        return None
    if t.tzinfo is None:
        return None
    return "other" if dc != "site-x" else t.astimezone(timezone.utc).year


@settings(max_examples=60, deadline=None)
@given(st.lists(event, max_size=40))
def test_events_read_is_reviewed_plus_outside_plus_other_dc_plus_rejected(tmp_path_factory, events):
    d = tmp_path_factory.mktemp("counts")
    (d / "a.csv").write_text("person_id,name,badge_id,dc,area,access_level,granted_on,granted_by,justification,valid_until\n"
                             "P1,A,B1,site-x,h,u,2025-01-01,S,w,\n")
    (d / "r.csv").write_text("person_id,name,status,termination_date,job_role\nP1,A,active,,eng\n")
    (d / "e.csv").write_text("timestamp,badge_id,dc,door,direction,result\n"
                             + "".join(f"{t},{b},{dc},d,{x},{r}\n" for t, b, dc, x, r in events))
    rv = run_review(Params(dc="site-x", year=2025, authorized=d / "a.csv", events=d / "e.csv", roster=d / "r.csv",
                           roles=("eng",), dormant_days=180))
    years = [_expected(*e) for e in events]
    c = rv.counts
    assert c["events_read"] == len(events)
    assert c["events_read"] == (c["events_reviewed"] + c["events_outside_year"] + c["events_other_dc"]
                                + c["events_skipped"] + c["events_rejected"])
    assert c["events_reviewed"] == sum(1 for y in years if y == 2025)
    assert c["events_outside_year"] == sum(1 for y in years if y not in (None, "other", 2025))
    assert c["events_other_dc"] == sum(1 for y in years if y == "other") == sum(rv.other_dc.values())
    assert c["events_skipped"] == 0
    assert [x.line for x in rv.rejected] == [i + 2 for i, y in enumerate(years) if y is None]
