"""A clean generated data set has no finding; planting one code finds exactly that code."""

from datetime import date, datetime

import pytest

from audits.dc_access.codes import CODES

from .dc_gen import clean, planted, review

ALL = sorted(CODES)
# Who the plant bears on (person 0 of the baseline) and what is proposed for them.
EXPECTED_DECISION = {"DCA-01": "revoke", "DCA-02": "revoke", "DCA-03": "revoke", "DCA-04": "revoke",
                     "DCA-05": "retain", "DCA-06": "review", "DCA-07": "review", "DCA-08": "review",
                     "DCA-09": "review", "DCA-10": "retain", "DCA-11": "revoke"}


def test_clean_baseline_has_no_finding_and_retains_everyone(tmp_path):
    r = review(clean(), tmp_path)
    assert r.findings == []
    assert [p.decision for p in r.people] == ["retain"] * 8
    assert r.counts["findings"] == {c: 0 for c in ALL}
    assert r.counts["events_read"] == r.counts["events_reviewed"] == 8 * 40 * 2
    assert r.rejected == []


@pytest.mark.parametrize("code", ALL)
def test_planting_one_code_finds_exactly_it(tmp_path, code):
    ds = planted(code)
    r = review(ds, tmp_path)
    assert {f.code for f in r.findings} == {code}
    assert r.counts["findings"] == {c: (len(r.findings) if c == code else 0) for c in ALL}
    first = r.people[0]
    assert first.person_id == "P0001"
    assert first.decision == EXPECTED_DECISION[code]
    assert first.codes == (() if code in ("DCA-05", "DCA-10") else (code,))
    assert all(p.decision == "retain" and p.codes == () for p in r.people[1:])


def _one(r):
    assert len(r.findings) == 1, r.findings
    return r.findings[0].as_dict()


def _last_visit(ds, badge="B-LIS-0001"):
    return max(datetime.fromisoformat(e["timestamp"]) for e in ds.events if e["badge_id"] == badge).date()


def test_dca01_terminated(tmp_path):
    ds = planted("DCA-01")
    term = ds.roster[0]["termination_date"]
    assert term > _last_visit(ds).isoformat()  # nothing entered after it, so no DCA-06
    assert _one(review(ds, tmp_path)) == {
        "code": "DCA-01", "badge_id": "B-LIS-0001", "person_id": "P0001", "timestamp": None,
        "detail": f"terminated on {term}, still authorised"}


def test_dca01_absent_from_roster(tmp_path):
    ds = clean()
    ds.roster = ds.roster[1:]
    assert _one(review(ds, tmp_path))["detail"] == "not on the HR roster"


def test_dca02_dormant_counts_days_from_the_last_granted_entry(tmp_path):
    ds = planted("DCA-02")
    last = max(datetime.fromisoformat(e["timestamp"]) for e in ds.events
               if e["badge_id"] == "B-LIS-0001" and e["direction"] == "in")
    days = (date(2025, 12, 31) - last.date()).days
    assert _one(review(ds, tmp_path)) == {
        "code": "DCA-02", "badge_id": "B-LIS-0001", "person_id": "P0001", "timestamp": None,
        "detail": f"last granted entry {last.date()}: {days} days before 2025-12-31, threshold 180"}


def test_dca03_role(tmp_path):
    assert _one(review(planted("DCA-03"), tmp_path))["detail"] == (
        "job role 'facilities-coordinator' is not one of datacenter-engineer, network-engineer, "
        "site-reliability-engineer")


def test_dca04_expired(tmp_path):
    ds = planted("DCA-04")
    f = _one(review(ds, tmp_path))
    assert (f["code"], f["person_id"], f["detail"]) == ("DCA-04", "P0001", f"valid until {_last_visit(ds)}, before 2025-12-31")


def test_dca05_unknown_badge_entry(tmp_path):
    assert _one(review(planted("DCA-05"), tmp_path)) == {
        "code": "DCA-05", "badge_id": "B-UNLISTED-01", "person_id": None, "timestamp": "2025-03-10T11:05:00+00:00",
        "detail": "granted entry at door main-entrance by a badge not on the authorised list"}


def test_dca06_one_finding_per_entry_after_valid_until(tmp_path):
    ds = planted("DCA-06")
    late = sorted(datetime.fromisoformat(e["timestamp"]) for e in ds.events
                  if e["badge_id"] == "B-LIS-0001" and e["direction"] == "in"
                  and datetime.fromisoformat(e["timestamp"]).date() > date(2025, 9, 30))
    r = review(ds, tmp_path)
    assert late and [f.timestamp for f in r.findings] == [t.isoformat() for t in late]
    assert [f.detail for f in r.findings] == [f"granted entry on {t.date()}, after valid_until 2025-09-30" for t in late]
    assert {f.person_id for f in r.findings} == {"P0001"}


def test_dca07_entry_without_exit(tmp_path):
    assert _one(review(planted("DCA-07"), tmp_path)) == {
        "code": "DCA-07", "badge_id": "B-LIS-0001", "person_id": "P0001", "timestamp": "2025-06-02T07:45:00+00:00",
        "detail": "entry with no exit the same day"}


def test_dca08_denied_burst_reported_once(tmp_path):
    assert _one(review(planted("DCA-08"), tmp_path)) == {
        "code": "DCA-08", "badge_id": "B-LIS-0001", "person_id": "P0001", "timestamp": "2025-06-02T22:10:00+00:00",
        "detail": "3 denied attempts between 2025-06-02T22:10:00+00:00 and 2025-06-02T22:17:00+00:00"}


def test_dca09_person_with_two_badges(tmp_path):
    assert _one(review(planted("DCA-09"), tmp_path)) == {
        "code": "DCA-09", "badge_id": "B-LIS-0001 B-LIS-0001-SPARE", "person_id": "P0001", "timestamp": None,
        "detail": "holds 2 badges: B-LIS-0001, B-LIS-0001-SPARE"}


def test_dca09_badge_shared_by_two_people(tmp_path):
    ds = clean()
    ds.authorized[1]["badge_id"] = ds.authorized[0]["badge_id"]
    ds.events = [e for e in ds.events if e["badge_id"] != "B-LIS-0002"]
    r = review(ds, tmp_path)
    assert [f.as_dict() for f in r.findings] == [
        {"code": "DCA-09", "badge_id": "B-LIS-0001", "person_id": "P0001", "timestamp": None,
         "detail": "badge B-LIS-0001 also held by P0002"},
        {"code": "DCA-09", "badge_id": "B-LIS-0001", "person_id": "P0002", "timestamp": None,
         "detail": "badge B-LIS-0001 also held by P0001"}]
    assert [(p.person_id, p.entries, p.decision) for p in r.people[:2]] == [("P0001", 40, "review"), ("P0002", 40, "review")]


def test_dca10_no_previous(tmp_path):
    assert _one(review(planted("DCA-10"), tmp_path)) == {
        "code": "DCA-10", "badge_id": None, "person_id": None, "timestamp": None,
        "detail": "no previous review given (--previous)"}
