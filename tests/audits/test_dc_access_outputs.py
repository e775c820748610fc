"""`byside audit dc-access` end to end: the bundle, its manifest, determinism, bad files, the sample."""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from audits.dc_access.codes import CODES
from audits.examples.generate import SAMPLE_SITES, write_sample
from tests.cli import error_message

from .dc_gen import cli, planted

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "audits" / "examples"
BUNDLE = ["findings.csv", "manifest.sha256", "next-authorized.csv", "people.csv", "rejected-rows.csv",
          "review.html", "review.json", "review.xlsx", "summary.csv"]


def sample_args(dc: str, out: Path) -> list[str]:
    d = EXAMPLES / dc
    args = ["--dc", dc, "--year", "2025", "--authorized", str(d / "authorized.csv"), "--events", str(d / "events.csv"),
            "--roster", str(d / "roster.csv"), "--out", str(out)]
    if (d / "previous-review.json").exists():
        args += ["--previous", str(d / "previous-review.json")]
    return args


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    base = tmp_path_factory.mktemp("sample")
    outs = {}
    for dc in SAMPLE_SITES:
        r = cli(sample_args(dc, base / dc))
        assert r.exit_code == 0, r.output
        outs[dc] = base / dc
    return outs


def test_sample_review_contains_every_finding_code(sample_out):
    codes = set()
    for out in sample_out.values():
        doc = json.loads((out / "review.json").read_text())
        codes |= {f["code"] for f in doc["findings"]}
        assert {c for c, n in doc["counts"]["findings"].items() if n} == {f["code"] for f in doc["findings"]}
    # DCA-11 needs a signed previous review: the round trip in test_dc_access_sign.py shows it.
    assert codes == set(CODES) - {"DCA-11"}


def test_sample_data_set_is_what_the_generator_writes(tmp_path):
    write_sample(tmp_path)
    written = [EXAMPLES / dc / p.name for dc in SAMPLE_SITES for p in sorted((EXAMPLES / dc).iterdir())]
    written += sorted((EXAMPLES / "formats").glob("*/*.csv"))  # the sample in the example formats
    assert len(written) == 2 * 4 + 1 + 4
    for p in written:
        rel = p.relative_to(EXAMPLES)
        assert (tmp_path / rel).read_bytes() == p.read_bytes(), f"run python -m audits.examples.generate ({rel})"


def test_bundle_files_and_json_shape(sample_out):
    out = sample_out["dc-lis"]
    assert sorted(p.name for p in out.iterdir()) == BUNDLE
    doc = json.loads((out / "review.json").read_text())
    assert (doc["dc"], doc["year"], doc["as_of"]) == ("dc-lis", 2025, "2025-12-31")
    c = doc["counts"]
    assert c["events_read"] == c["events_reviewed"] + c["events_outside_year"] + c["events_rejected"]
    # the export's two offset-less events are read in the site's timezone (zones/datacenters.yaml)
    assert (c["events_read"], c["events_outside_year"], c["events_rejected"], c["events_local_time"]) == (2110, 1, 3, 2)
    assert doc["events_timezone"] == {"timezone": "Europe/Lisbon", "source": "zones/datacenters.yaml", "events": 2}
    assert c["people"] == len(doc["people"]) == 25
    assert set(doc["people"][0]) >= {"person_id", "badge_id", "decision", "codes", "last_entry", "entries"}
    assert set(doc["findings"][0]) == {"code", "badge_id", "person_id", "timestamp", "detail"}
    assert [(x["file"], x["line"]) for x in doc["rejected"]] == [
        ("authorized.csv", 30), ("roster.csv", 26), ("events.csv", 2107), ("events.csv", 2110), ("events.csv", 2111)]
    assert doc["sign_off"] == {"reviewer": None, "signed_on": None}
    person = {p["person_id"]: p for p in doc["people"]}
    assert (person["L0001"]["decision"], person["L0001"]["codes"]) == ("revoke", ["DCA-01"])
    assert (person["L0004"]["decision"], person["L0004"]["codes"], person["L0004"]["entries"]) == ("retain", [], 46)


def test_manifest_verifies_with_sha256sum(sample_out):
    for out in sample_out.values():
        r = subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=out, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
        assert sorted(r.stdout.splitlines()) == [f"{n}: OK" for n in BUNDLE if n != "manifest.sha256"]


def test_manifest_catches_a_changed_file(sample_out, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(sample_out["dc-mad"], copy)
    (copy / "people.csv").write_text("tampered\n")
    r = subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=copy, capture_output=True, text=True)
    assert r.returncode == 1 and "people.csv: FAILED" in r.stdout


def test_same_inputs_give_byte_identical_output(sample_out, tmp_path):
    r = cli(sample_args("dc-lis", tmp_path / "again"))
    assert r.exit_code == 0
    for name in BUNDLE:
        assert (tmp_path / "again" / name).read_bytes() == (sample_out["dc-lis"] / name).read_bytes(), name


def test_a_later_as_of_changes_the_review(sample_out, tmp_path):
    r = cli(sample_args("dc-lis", tmp_path / "later") + ["--as-of", "2026-01-31"])
    assert r.exit_code == 0
    assert json.loads((tmp_path / "later" / "review.json").read_text())["as_of"] == "2026-01-31"


def test_formula_cells_are_neutralised_in_csv_and_xlsx(tmp_path):
    ds = planted("DCA-01")
    ds.roster[1]["name"] = "=1+1"
    ds.authorized[1]["name"] = "=1+1"
    ds.authorized[2]["justification"] = "@SUM(A1:A9)"
    ds.authorized[3]["area"] = "-2+3"
    ds.authorized[4]["justification"] = "\tcmd"
    paths = ds.write(tmp_path / "in")
    out = tmp_path / "out"
    assert cli(ds.args(paths, out)).exit_code == 0
    people = (out / "people.csv").read_text().splitlines()
    assert people[2].startswith("P0002,'=1+1,B-LIS-0002,")
    nxt = (out / "next-authorized.csv").read_bytes().decode()  # keep the \r
    assert "'@SUM(A1:A9)" in nxt and ",'-2+3," in nxt and "'\tcmd" in nxt
    wb = openpyxl.load_workbook(out / "review.xlsx")
    cell = wb["People"]["B3"]
    assert (cell.value, cell.data_type) == ("'=1+1", "s")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    # JSON keeps the data as given (it is not a spreadsheet)
    doc = json.loads((out / "review.json").read_text())
    assert doc["people"][1]["name"] == "=1+1"


def test_workbook_sheets_headers_frozen_and_filtered(sample_out):
    wb = openpyxl.load_workbook(sample_out["dc-lis"] / "review.xlsx")
    assert wb.sheetnames == ["Summary", "People", "Findings", "Rejected rows"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    findings = list(wb["Findings"].iter_rows(values_only=True))
    assert findings[0] == ("code", "title", "badge_id", "person_id", "timestamp", "detail")
    assert len(findings) - 1 == len(json.loads((sample_out["dc-lis"] / "review.json").read_text())["findings"])
    assert [r[1:] for r in wb["Rejected rows"].iter_rows(values_only=True)][1] == (30, "granted_on '01/02/2024' is not a date (YYYY-MM-DD)")


def test_next_authorized_drops_revocations_and_marks_changes(sample_out):
    rows = (sample_out["dc-lis"] / "next-authorized.csv").read_text().splitlines()
    assert rows[0].endswith(",valid_until,change")
    by_person = {}
    for line in rows[1:]:
        by_person.setdefault(line.split(",")[0], []).append(line.rsplit(",", 1)[1])
    doc = json.loads((sample_out["dc-lis"] / "review.json").read_text())
    revoked = {p["person_id"] for p in doc["people"] if p["decision"] == "revoke"}
    assert revoked == {"L0001", "L0002", "L0003", "L0008", "L0010"}
    assert all(by_person[p] == ["removed"] for p in revoked)
    assert by_person["L0900"] == ["added"] and by_person["L0004"] == ["unchanged"]
    assert by_person["L0013"] == ["added", "unchanged"]  # the shared badge is new this year
    mad = (sample_out["dc-mad"] / "next-authorized.csv").read_text().splitlines()
    assert all(line.endswith(",") for line in mad[1:])  # no --previous: no change column values


def test_html_is_a_printable_summary(sample_out):
    page = (sample_out["dc-mad"] / "review.html").read_text()
    assert "<h1>DC access review dc-mad 2025</h1>" in page
    assert ("Events read 2106 = reviewed 2102 + outside the year 1 + other data centres 0 + skipped 0 + rejected 3 "
            "(0.14 %).") in page
    first_page = page[:page.index("<h2>")]
    assert "Timestamps without a UTC offset are read in Europe/Madrid (zones/datacenters.yaml): 2 event(s)." in first_page
    assert "DCA-10: no previous review given (--previous)" in page
    assert "Sign-off" in page and "@media print" in page
    doc = json.loads((sample_out["dc-mad"] / "review.json").read_text())
    late = [f for f in doc["findings"] if f["code"] == "DCA-06"]
    assert len({(f["badge_id"], f["person_id"]) for f in late}) == 1
    assert (f"<tr><td>DCA-06</td><td>{late[0]['badge_id']}</td><td>{late[0]['person_id']}</td><td>{len(late)}</td>"
            f"<td>{late[0]['timestamp']}</td><td>{late[-1]['timestamp']}</td></tr>") in page
    assert "<tr><td>DCA-03</td><td>M0003</td><td>B-MAD-0003</td><td>job role" in page


# ------------------------------------------------------------------------------------------ bad input

def _bad_events(tmp_path):
    ds = planted("DCA-05")
    paths = ds.write(tmp_path / "in")
    paths["events"].write_text("when,badge_id,dc,door,way,result\n2025-01-01T00:00:00Z,B1,dc-lis,d,in,granted\n")
    return ds, paths


def test_wrongly_shaped_file_exits_2_and_leaves_no_dir(tmp_path):
    ds, paths = _bad_events(tmp_path)
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "byside.cli", "audit", "dc-access", *ds.args(paths, out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2
    assert f"events {paths['events']}: missing column(s) timestamp, direction" in r.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["in"]  # no temporary folder left either


def test_wrongly_shaped_file_leaves_a_previous_bundle_unchanged(sample_out, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample_out["dc-lis"], out)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    ds, paths = _bad_events(tmp_path)
    r = cli(ds.args(paths, out))
    assert r.exit_code != 0 and r.exit_code == 2
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


@pytest.mark.parametrize("which, content, message", [
    ("roster", b"", "HR roster {path}: empty file"),
    ("authorized", b"person_id,name\nP1,x\n", "authorised list {path}: missing column(s) badge_id, dc, area"),
    ("events", b"timestamp,badge_id,dc,door,direction,result\n2025-01-01T00:00:00Z,B\xff,dc-lis,d,in,granted\n",
     "events {path}: line 2: not UTF-8 text"),
    ("events", None, "events {path}: cannot read"),
])
def test_unreadable_inputs_exit_2_naming_the_file(tmp_path, which, content, message):
    ds = planted("DCA-05")
    paths = ds.write(tmp_path / "in")
    if content is None:
        paths[which].unlink()
    else:
        paths[which].write_bytes(content)
    r = cli(ds.args(paths, tmp_path / "out"))
    assert r.exit_code == 2
    assert error_message(r).startswith(message.format(path=paths[which]))
    assert not (tmp_path / "out").exists()


def test_roles_and_dormancy_override_allow_a_site_outside_zones(tmp_path):
    ds = planted("DCA-03")
    for rows in (ds.authorized, ds.events):
        for row in rows:
            row["dc"] = "vendor-x"
    ds.previous = dict(ds.previous, dc="vendor-x")
    paths = ds.write(tmp_path / "in")
    args = ds.args(paths, tmp_path / "out")
    args[1] = "vendor-x"
    r = cli(args + ["--roles", "datacenter-engineer,network-engineer,site-reliability-engineer,facilities-coordinator",
                    "--dormant-days", "400"])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "out" / "review.json").read_text())
    assert (doc["dc"], doc["dormant_days"], doc["findings"]) == ("vendor-x", 400, [])
    r = cli(args + ["--roles", "datacenter-engineer"])
    assert r.exit_code == 2 and "unknown data centre 'vendor-x'" in error_message(r)


def test_refuses_to_replace_a_folder_that_is_not_a_previous_export(tmp_path):
    ds = planted("DCA-05")
    paths = ds.write(tmp_path / "in")
    r = cli(ds.args(paths, tmp_path / "in"))
    assert r.exit_code == 2 and "not empty and not a folder this command wrote" in error_message(r)
    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == ["authorized.csv", "events.csv",
                                                                   "previous-review.json", "roster.csv"]


def test_progress_bar_does_not_change_the_output(sample_out, tmp_path):
    r = cli(sample_args("dc-mad", tmp_path / "p") + ["--progress"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "p" / "manifest.sha256").read_bytes() == (sample_out["dc-mad"] / "manifest.sha256").read_bytes()


def test_as_of_before_the_year_is_refused(tmp_path):
    r = cli(sample_args("dc-mad", tmp_path / "x") + ["--as-of", "2024-12-31"])
    assert r.exit_code == 2 and error_message(r) == "--as-of: 2024-12-31 is before the year under review (2025)"
    assert not (tmp_path / "x").exists()
