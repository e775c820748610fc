"""Nothing signable by mistake (issue #10, item 4): offset-less events read in the site's timezone or
rejected; too many rejected events or none reviewed stop the export (and the signature) unless
accepted, and then every page says so; --as-of after today and other sites' events are reported."""

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

import zones
from audits.examples.generate import to_csv

from tests.cli import error_message

from .dc_gen import cli
from .test_dc_access_sign import _sign, bad_input

AUTH = ("person_id,name,badge_id,dc,area,access_level,granted_on,granted_by,justification,valid_until\n"
        "P1,Ana Test,B1,{dc},hall,unescorted,2025-01-01,Sec,work,\n")
ROSTER = "person_id,name,status,termination_date,job_role\nP1,Ana Test,active,,datacenter-engineer\n"
SITE_X = ["--roles", "datacenter-engineer", "--dormant-days", "400"]  # a site zones/ does not know: no timezone


def _inputs(tmp_path: Path, stamps: list[str], dc: str = "site-x", other: dict | None = None) -> list[str]:
    (tmp_path / "a.csv").write_text(AUTH.format(dc=dc))
    (tmp_path / "r.csv").write_text(ROSTER)
    rows = []
    for i, ts in enumerate(stamps):
        rows.append({"timestamp": ts, "badge_id": "B1", "dc": dc, "door": "d", "direction": "in" if i % 2 == 0 else "out",
                     "result": "granted"})
    for site, n in (other or {}).items():
        rows += [{"timestamp": "2025-05-05T10:00:00+00:00", "badge_id": "B7", "dc": site, "door": "d", "direction": "in",
                  "result": "granted"}] * n
    (tmp_path / "e.csv").write_bytes(to_csv(["timestamp", "badge_id", "dc", "door", "direction", "result"], rows))
    return ["--dc", dc, "--year", "2025", "--authorized", str(tmp_path / "a.csv"), "--events", str(tmp_path / "e.csv"),
            "--roster", str(tmp_path / "r.csv"), "--today", "2026-01-15"]


def _visits(n: int, offset: str = "+00:00") -> list[str]:
    """n events: an entry at 09:00 and an exit at 17:00 on consecutive days from 1 March."""
    return [f"{date(2025, 3, 1) + timedelta(days=i // 2)}T{'09' if i % 2 == 0 else '17'}:00:00{offset}" for i in range(n)]


def test_offset_less_events_of_a_site_without_timezone_stop_the_export(tmp_path):
    args = _inputs(tmp_path, _visits(20, offset=""))
    r = cli(args + SITE_X + ["--out", str(tmp_path / "out")])
    assert bad_input(r)
    assert error_message(r).splitlines() == [
        "site-x 2025: not ready to sign, nothing written:",
        "  20 of 20 events rejected (100.00 %), more than the 1 % allowed (--max-rejected-percent); see the Rejected rows",
        "  no event of 2025 was reviewed (events read 20: outside the year 0, other data centres 0, rejected 20)",
        "  (fix the inputs, or export anyway with --accept-rejected: every page then says so)"]
    assert not (tmp_path / "out").exists()


def test_an_events_file_with_only_a_header_stops_the_export(tmp_path):
    args = _inputs(tmp_path, [])
    r = cli(args + SITE_X + ["--out", str(tmp_path / "out")])
    assert bad_input(r)
    assert "  no event of 2025 was reviewed (events read 0: outside the year 0, other data centres 0, rejected 0)" \
        in error_message(r).splitlines()
    assert not (tmp_path / "out").exists()


@pytest.fixture
def accepted(tmp_path):
    args = _inputs(tmp_path, _visits(20, offset=""))
    out = tmp_path / "out"
    r = cli(args + SITE_X + ["--out", str(out), "--accept-rejected"])
    assert r.exit_code == 0, r.output
    return out


def test_accept_rejected_writes_a_review_that_says_so_on_every_page(accepted):
    doc = json.loads((accepted / "review.json").read_text())
    assert doc["guard"] == {"accepted": True, "max_rejected_percent": 1.0, "rejected_percent": 100.0, "problems": [
        "20 of 20 events rejected (100.00 %), more than the 1 % allowed (--max-rejected-percent); see the Rejected rows",
        "no event of 2025 was reviewed (events read 20: outside the year 0, other data centres 0, rejected 20)"]}
    page = (accepted / "review.html").read_text()
    # the warning is the page table's header row: on screen above the title, printed on every sheet
    head = page[page.index('<table class="page">'):page.index("</thead>")]
    assert "WARNING — exported with --accept-rejected; not ready to sign as is:" in head
    assert "20 of 20 events rejected (100.00 %)" in head and "no event of 2025 was reviewed" in head
    assert page.index("</thead>") < page.index("<h1>") and page.rstrip().endswith("</table>\n</body>\n</html>")
    summary = list(openpyxl.load_workbook(accepted / "review.xlsx")["Summary"].iter_rows(values_only=True))
    assert summary[1:4] == [
        ("WARNING", "WARNING — exported with --accept-rejected; not ready to sign as is:"),
        ("WARNING", doc["guard"]["problems"][0]), ("WARNING", doc["guard"]["problems"][1])]
    assert (accepted / "summary.csv").read_text().splitlines()[1].startswith("WARNING,")


def test_a_review_exported_with_accept_rejected_is_signed_only_when_the_reviewer_confirms(accepted, tmp_path):
    (tmp_path / "d.csv").write_bytes(to_csv(["person_id", "decision", "comment"],
                                            [{"person_id": "P1", "decision": "revoke", "comment": "no usable badge data"}]))
    r = _sign(accepted, tmp_path / "d.csv", "--out", str(tmp_path / "signed"))
    assert bad_input(r)
    assert error_message(r).startswith(f"review {accepted} is not ready to sign as is (--confirm-warnings to sign it "
                                       "anyway, as the reviewer who has read these): 2 problem(s), nothing written:")
    assert not (tmp_path / "signed").exists()
    r = _sign(accepted, tmp_path / "d.csv", "--out", str(tmp_path / "signed"), "--confirm-warnings")
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "signed" / "signed-review.json").read_text())
    assert doc["confirmed_warnings"] == doc["review"]["guard"]["problems"]
    page = (tmp_path / "signed" / "signed-review.html").read_text()
    head = page[:page.index("</thead>")]
    assert "WARNING — signed with --confirm-warnings; the reviewer confirmed having read:" in head
    assert "20 of 20 events rejected (100.00 %)" in head


def test_signing_applies_the_guard_again_at_its_own_threshold(tmp_path):
    stamps = _visits(98) + ["not a time", "2025-13-01T00:00:00Z"]  # 2 % rejected
    args = _inputs(tmp_path, stamps)
    r = cli(args + SITE_X + ["--out", str(tmp_path / "out"), "--max-rejected-percent", "5"])
    assert r.exit_code == 0, r.output
    (tmp_path / "d.csv").write_bytes(to_csv(["person_id", "decision", "comment"],
                                            [{"person_id": "P1", "decision": "retain", "comment": ""}]))
    r = _sign(tmp_path / "out", tmp_path / "d.csv", "--out", str(tmp_path / "s"))
    assert bad_input(r) and "2 of 100 events rejected (2.00 %), more than the 1 % allowed" in error_message(r)
    r = _sign(tmp_path / "out", tmp_path / "d.csv", "--out", str(tmp_path / "s"), "--max-rejected-percent", "5")
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("bad, ok", [(1, True), (2, False)])
def test_the_rejected_share_is_more_than_one_percent_by_default(tmp_path, bad, ok):
    stamps = _visits(100 - bad) + ["yesterday"] * bad
    r = cli(_inputs(tmp_path, stamps) + SITE_X + ["--out", str(tmp_path / "out")])
    assert (r.exit_code == 0) is ok, r.output
    assert (tmp_path / "out").exists() is ok


def test_offset_less_events_are_read_in_the_sites_timezone_and_the_first_page_says_so(tmp_path):
    args = _inputs(tmp_path, _visits(20, offset=""), dc="dc-lis")
    r = cli(args + ["--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "out" / "review.json").read_text())
    assert doc["events_timezone"] == {"timezone": "Europe/Lisbon", "source": "zones/datacenters.yaml", "events": 20}
    assert doc["counts"]["events_reviewed"] == 20
    first = next(f for f in doc["people"] if f["person_id"] == "P1")
    assert first["last_entry"] == "2025-03-10T09:00:00+00:00"  # Lisbon is UTC+0 in March before the change
    page = (tmp_path / "out" / "review.html").read_text()
    assert ("Timestamps without a UTC offset are read in Europe/Lisbon (zones/datacenters.yaml): 20 event(s)."
            in page[:page.index("<h2>")])
    r = cli(args + ["--out", str(tmp_path / "o2"), "--events-timezone", "Asia/Tokyo"])
    doc = json.loads((tmp_path / "o2" / "review.json").read_text())
    assert doc["events_timezone"]["source"] == "--events-timezone"
    assert doc["people"][0]["last_entry"] == "2025-03-10T09:00:00+09:00"
    r = cli(args + ["--out", str(tmp_path / "o3"), "--events-timezone", "Mars/Olympus"])
    assert bad_input(r) and error_message(r).startswith("--events-timezone: 'Mars/Olympus' is not an IANA timezone")


def test_local_times_a_clock_change_makes_ambiguous_or_impossible_are_rejected(tmp_path):
    stamps = _visits(200, offset="") + ["2025-03-30T01:30:00", "2025-10-26T01:30:00"]
    r = cli(_inputs(tmp_path, stamps, dc="dc-lis") + ["--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "out" / "review.json").read_text())
    assert [x["reason"] for x in doc["rejected"]] == [
        "timestamp '2025-03-30T01:30:00' does not exist in Europe/Lisbon (clocks went forward)",
        "timestamp '2025-10-26T01:30:00' is ambiguous in Europe/Lisbon (clocks went back: it names two instants)"]


def test_as_of_after_today_and_other_sites_events_are_in_the_summary(tmp_path):
    args = _inputs(tmp_path, _visits(20), dc="dc-lis", other={"dc-mad": 3, "": 1})
    r = cli(args + ["--out", str(tmp_path / "out"), "--as-of", "2026-02-01"])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "out" / "review.json").read_text())
    assert doc["notices"][:2] == [
        "the as-of date 2026-02-01 is after today (2026-01-15): the review covers days that have not happened yet",
        "the events file also holds events of other data centres, not reviewed here: (empty) 1, dc-mad 3"]
    assert (doc["counts"]["events_other_dc"], doc["events_other_dc"]) == (4, {"": 1, "dc-mad": 3})
    summary = list(openpyxl.load_workbook(tmp_path / "out" / "review.xlsx")["Summary"].iter_rows(values_only=True))
    assert ("notice", doc["notices"][0]) in summary and ("events_other_dc dc-mad", 3) in summary
    page = (tmp_path / "out" / "review.html").read_text()
    assert "<li>the as-of date 2026-02-01 is after today (2026-01-15)" in page


def test_a_datacentres_timezone_is_validated_like_every_zone_fact(tmp_path):
    zdir = tmp_path / "zones"
    shutil.copytree(Path(zones.__file__).parent, zdir, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    text = (zdir / "datacenters.yaml").read_text()
    (zdir / "datacenters.yaml").write_text(text.replace("timezone: Europe/Madrid", "timezone: Europe/Madird"))
    platform, issues = zones.load(zdir)
    errors = [str(i) for i in issues if i.severity == "error"]
    assert platform is None and len(errors) == 1
    assert errors[0].endswith("datacenters.yaml:23 datacenters[1].timezone: unknown IANA timezone 'Europe/Madird'")
