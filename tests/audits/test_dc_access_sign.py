"""`byside audit dc-access sign|verify`, and the next year's review on the signed folder: the round trip
export -> decisions in the XLSX -> sign (throwaway SSH key) -> verify -> next year's --previous."""

import csv
import json
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from audits.examples.generate import NOT_JUSTIFYING, baseline, plant, to_csv

from tests.cli import error_message

from .dc_gen import clean, cli, roles

TODAY = ["--today", "2026-03-01"]


def bad_input(r) -> bool:
    """Bad input: exit 2 with the message on stderr (byside.cli's error boundary)."""
    return r.exit_code == 2 and error_message(r) is not None


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """A throwaway ed25519 key made for this test run, and an allowed-signers file trusting it."""
    d = tmp_path_factory.mktemp("keys")
    for name in ("reviewer", "stranger"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@test", "-f", str(d / name)],
                       check=True)
    pub = (d / "reviewer.pub").read_text().split()
    (d / "allowed_signers").write_text(f'reviewer@byside.example namespaces="byside-review" {pub[0]} {pub[1]}\n')
    other = (d / "stranger.pub").read_text().split()
    (d / "other_signers").write_text(f'stranger@elsewhere namespaces="byside-review" {other[0]} {other[1]}\n')
    return d


def _export(ds, folder: Path, *extra: str) -> Path:
    paths = ds.write(folder / "in")
    out = folder / "review"
    r = cli(ds.args(paths, out) + TODAY + list(extra))
    assert r.exit_code == 0, r.output
    return out


def _sign(review: Path, decisions: Path, *extra: str, date_: str = "2026-01-20"):
    from byside.cli import app
    from typer.testing import CliRunner

    return CliRunner().invoke(app, ["audit", "dc-access", "sign", str(review), "--decisions", str(decisions),
                                    "--reviewer", "Ana Lobato", "--date", date_, *TODAY, *extra])


def _verify(folder: Path, signers: Path, *extra: str):
    from byside.cli import app
    from typer.testing import CliRunner

    return CliRunner().invoke(app, ["audit", "dc-access", "verify", str(folder), "--allowed-signers", str(signers), *extra])


def _year_2025():
    """Eight people: P0002 and P0005 proposed for revocation (job role), P0003 for review (DCA-07)."""
    ds = plant(plant(plant(clean(), "DCA-03", 1), "DCA-03", 4), "DCA-07", 2)
    return ds


def _fill_people_sheet(review: Path, out: Path, decide) -> Path:
    """What the reviewer does: open review.xlsx, fill the decision columns of the People sheet, save."""
    wb = openpyxl.load_workbook(review / "review.xlsx")
    ws = wb["People"]
    col = {c.value: i for i, c in enumerate(ws[1])}
    for row in ws.iter_rows(min_row=2):
        values = decide(row[col["person_id"]].value, row[col["decision"]].value)
        for name, value in values.items():
            row[col[name]].value = value
    wb.save(out)
    return out


def _decide(pid, proposed):
    if pid == "P0003":  # unpaired entry: shorter grant
        return {"reviewer_decision": "change", "comment": "entry without exit: grant until end of June",
                "new_valid_until": datetime(2026, 6, 30)}
    if pid == "P0004":
        return {"reviewer_decision": "Change", "comment": "moves to escorted access", "new_access_level": "escorted"}
    return {"reviewer_decision": proposed}


@pytest.fixture(scope="module")
def signed_2025(tmp_path_factory, keys):
    base = tmp_path_factory.mktemp("y2025")
    review = _export(_year_2025(), base)
    xlsx = _fill_people_sheet(review, base / "returned.xlsx", _decide)
    r = _sign(review, xlsx, "--key", str(keys / "reviewer"))
    assert r.exit_code == 0, r.output
    return {"base": base, "review": review, "signed": review / "signed", "decisions": xlsx, "output": r.output}


def test_sign_writes_the_signed_folder_from_the_returned_workbook(signed_2025):
    s = signed_2025["signed"]
    assert sorted(p.name for p in s.iterdir()) == [
        "authorized.csv", "changes.csv", "decisions.csv", "findings.csv", "manifest.sha256", "manifest.sha256.sig",
        "people.csv", "rejected-rows.csv", "signed-review.html", "signed-review.json", "signed-review.xlsx", "summary.csv"]
    doc = json.loads((s / "signed-review.json").read_text())
    review_manifest = (signed_2025["review"] / "manifest.sha256").read_bytes()
    assert (doc["format"], doc["dc"], doc["year"], doc["reviewer"], doc["signed_on"]) == (
        "byside-dc-review-signed/1", "dc-lis", 2025, "Ana Lobato", "2026-01-20")
    assert doc["review_manifest"] == review_manifest.decode()
    import hashlib
    assert doc["review_manifest_sha256"] == hashlib.sha256(review_manifest).hexdigest()
    assert doc["review"] == json.loads((signed_2025["review"] / "review.json").read_text())
    assert doc["counts"]["decisions"] == {"retain": 4, "revoke": 2, "change": 2}
    decided = {d["person_id"]: (d["proposed"], d["decision"], d["new"]) for d in doc["decisions"]}
    assert decided == {"P0001": ("retain", "retain", {}), "P0002": ("revoke", "revoke", {}),
                       "P0003": ("review", "change", {"valid_until": "2026-06-30"}),
                       "P0004": ("retain", "change", {"access_level": "escorted"}), "P0005": ("revoke", "revoke", {}),
                       "P0006": ("retain", "retain", {}), "P0007": ("retain", "retain", {}),
                       "P0008": ("retain", "retain", {})}
    assert doc["confirmed_warnings"] == []
    assert "signed by Ana Lobato on 2026-01-20: retain 4, revoke 2, change 2; authorised grants 8 -> 6" in signed_2025["output"]


def test_the_updated_list_and_changes_apply_every_decision(signed_2025):
    s = signed_2025["signed"]
    rows = list(csv.DictReader((s / "authorized.csv").open()))
    assert [r["person_id"] for r in rows] == ["P0001", "P0003", "P0004", "P0006", "P0007", "P0008"]
    by = {r["person_id"]: r for r in rows}
    assert (by["P0003"]["valid_until"], by["P0004"]["access_level"]) == ("2026-06-30", "escorted")
    before = {r["person_id"]: r for r in json.loads((signed_2025["review"] / "review.json").read_text())["authorized"]}
    assert {k: v for k, v in by["P0001"].items()} == before["P0001"]  # retained: unchanged
    changes = list(csv.DictReader((s / "changes.csv").open()))
    assert [(c["person_id"], c["decision"], c["proposed"], c["codes"], c["new_valid_until"], c["new_access_level"])
            for c in changes] == [
        ("P0002", "revoke", "revoke", "DCA-03", "", ""),
        ("P0003", "change", "review", "DCA-07", "2026-06-30", before["P0003"]["access_level"]),
        ("P0004", "change", "retain", "", before["P0004"]["valid_until"], "escorted"),
        ("P0005", "revoke", "revoke", "DCA-03", "", "")]
    assert changes[1]["comment"] == "entry without exit: grant until end of June"


def test_the_signed_outputs_say_signed_on_every_page(signed_2025):
    s = signed_2025["signed"]
    page = (s / "signed-review.html").read_text()
    head = page[page.index("<thead>"):page.index("</thead>")]
    assert "SIGNED by Ana Lobato on 2026-01-20 — review manifest SHA-256 " in head
    assert page.index("<thead>") < page.index("<h1>")
    wb = openpyxl.load_workbook(s / "signed-review.xlsx")
    assert wb.sheetnames == ["Summary", "Decisions", "Changes", "People", "Findings", "Rejected rows"]
    first = [c.value for c in wb["Summary"][2]]
    assert first[0] == "SIGNED" and first[1].startswith("SIGNED by Ana Lobato on 2026-01-20")


def test_verify_accepts_the_untouched_folder(signed_2025, keys):
    r = _verify(signed_2025["signed"], keys / "allowed_signers")
    assert r.exit_code == 0, r.output
    assert "dc-lis 2025 signed by Ana Lobato on 2026-01-20; verified: signed by reviewer@byside.example " \
           "(ED25519 key SHA256:" in r.output
    assert _verify(signed_2025["signed"], keys / "allowed_signers", "--principal", "reviewer@byside.example").exit_code == 0


def _copy(signed_2025, tmp_path) -> Path:
    c = tmp_path / "copy"
    shutil.copytree(signed_2025["signed"], c)
    return c


def _reseal(folder: Path) -> None:
    """An attacker who edits a file and rewrites the manifest to match (the signature cannot follow)."""
    names = [line.split("  ", 1)[1] for line in (folder / "manifest.sha256").read_text().splitlines()]
    out = subprocess.run(["sha256sum", *names], cwd=folder, capture_output=True, text=True, check=True).stdout
    (folder / "manifest.sha256").write_text(out)


@pytest.mark.parametrize("tamper, message", [
    (lambda f: (f / "authorized.csv").write_text((f / "authorized.csv").read_text() + "X9,Mallory,B-X,dc-lis,h,u,2025-01-01,me,x,\n"),
     "authorized.csv: changed since it was written"),
    (lambda f: ((f / "authorized.csv").write_text("person_id\n"), _reseal(f)), "manifest.sha256.sig: signature does not verify"),
    (lambda f: (f / "manifest.sha256.sig").unlink(), "manifest.sha256.sig: missing — the folder is not signed"),
    (lambda f: (f / "extra.csv").write_text("x\n"), "extra.csv: not listed in manifest.sha256"),
    (lambda f: (f / "people.csv").unlink(), "people.csv: listed in manifest.sha256 but missing"),
])
def test_a_tampered_folder_fails_verification(signed_2025, keys, tmp_path, tamper, message):
    c = _copy(signed_2025, tmp_path)
    tamper(c)
    r = _verify(c, keys / "allowed_signers")
    assert r.exit_code == 1, r.output
    assert message in r.output


def test_a_key_the_allowed_signers_do_not_trust_fails(signed_2025, keys):
    r = _verify(signed_2025["signed"], keys / "other_signers")
    assert r.exit_code == 1 and "the signing key is not in" in r.output
    r = _verify(signed_2025["signed"], keys / "allowed_signers", "--principal", "someone@else")
    assert r.exit_code == 1 and "signature does not verify" in r.output


def test_verify_bad_input_is_exit_2(signed_2025, tmp_path, keys):
    r = _verify(signed_2025["signed"], tmp_path / "nope")
    assert bad_input(r) and "--allowed-signers" in error_message(r)
    r = _verify(tmp_path, keys / "allowed_signers")
    assert bad_input(r) and "signed-review.json" in error_message(r)


def test_the_private_key_never_reaches_any_output(signed_2025, keys):
    secret = [line for line in (keys / "reviewer").read_text().splitlines() if not line.startswith("-----")]
    assert secret
    texts = [signed_2025["output"]] + [p.read_bytes().decode("latin-1") for p in signed_2025["signed"].iterdir()]
    for text in texts:
        assert not any(line in text for line in secret)


def test_signing_twice_gives_byte_identical_folders(signed_2025, keys, tmp_path):
    r = _sign(signed_2025["review"], signed_2025["decisions"], "--key", str(keys / "reviewer"), "--out", str(tmp_path / "again"))
    assert r.exit_code == 0, r.output
    for p in signed_2025["signed"].iterdir():
        assert (tmp_path / "again" / p.name).read_bytes() == p.read_bytes(), p.name


def test_a_csv_of_decisions_and_no_key_gives_an_unsigned_folder(signed_2025, keys, tmp_path):
    dec = tmp_path / "d.csv"
    dec.write_bytes(to_csv(["person_id", "decision", "comment"],
                           [{"person_id": f"P000{i}", "decision": "revoke" if i in (2, 5) else "retain",
                             "comment": "looked at DCA-07: a forgotten exit" if i == 3 else ""} for i in range(1, 9)]))
    r = _sign(signed_2025["review"], dec, "--out", str(tmp_path / "s"))
    assert r.exit_code == 0, r.output
    assert "no SSH signature (no --key)" in r.output
    assert not (tmp_path / "s" / "manifest.sha256.sig").exists()
    assert json.loads((tmp_path / "s" / "signed-review.json").read_text())["decisions_file"] == {"name": "d.csv", "kind": "csv"}
    r = _verify(tmp_path / "s", keys / "allowed_signers")
    assert r.exit_code == 1 and "missing — the folder is not signed" in r.output


# ------------------------------------------------------------------------------------------ refusals


def _csv(tmp_path, rows, columns=("person_id", "decision", "comment", "new_area", "new_access_level", "new_valid_until")):
    p = tmp_path / "decisions.csv"
    p.write_bytes(to_csv(list(columns), [dict(zip(columns, r)) for r in rows]))
    return p


def _name(signed_2025, pid):
    doc = json.loads((signed_2025["review"] / "review.json").read_text())
    return next(p["name"] for p in doc["people"] if p["person_id"] == pid)


def test_inconsistent_decisions_are_exit_2_with_every_problem_and_nothing_written(signed_2025, tmp_path):
    dec = _csv(tmp_path, [("P0001", "retain", "", "", "", ""), ("P0001", "retain", "", "", "", ""),
                          ("P0002", "retain", "", "", "", ""), ("P0003", "keep", "x", "", "", ""),
                          ("P0004", "change", "moves", "", "", ""), ("P0005", "change", "s", "", "", "2026-01-01"),
                          ("P0006", "retain", "", "hall-9", "", ""), ("P0007", "change", "s", "", "", "2027-13-01"),
                          ("ZZ01", "retain", "", "", "", ""), ("", "retain", "", "", "", "")])
    r = _sign(signed_2025["review"], dec, "--out", str(tmp_path / "out"))
    assert bad_input(r)
    assert error_message(r).splitlines() == [
        f"cannot sign {signed_2025['review']}: 10 problem(s), nothing written:",
        "  decisions.csv:3: a second decision for P0001 (the first is at decisions.csv:2)",
        "  decisions.csv:4: P0002: the decision retain differs from the proposed revoke: give a comment saying why",
        "  decisions.csv:5: P0003: decision 'keep' is not retain, revoke or change",
        "  decisions.csv:6: P0004: a change needs at least one of new_area, new_access_level, new_valid_until",
        "  decisions.csv:7: P0005: new_valid_until 2026-01-01 is before the decision date 2026-01-20: that is a "
        "revocation, decide revoke",
        "  decisions.csv:8: P0006: new_area given, but only a change takes new values",
        "  decisions.csv:9: P0007: new_valid_until '2027-13-01' is not a date (YYYY-MM-DD)",
        "  decisions.csv:10: unknown person 'ZZ01': not an authorised person of this review",
        "  decisions.csv:11: missing person_id",
        f"  P0008 ({_name(signed_2025, 'P0008')}): no decision — every authorised person needs one",
    ]
    assert not (tmp_path / "out").exists()


def test_a_review_edited_since_its_export_cannot_be_signed(signed_2025, tmp_path):
    review = tmp_path / "review"
    shutil.copytree(signed_2025["review"], review, ignore=shutil.ignore_patterns("signed"))
    (review / "people.csv").write_text("edited\n")
    (review / "notes.txt").write_text("x\n")
    r = _sign(review, signed_2025["decisions"])
    assert bad_input(r)
    assert error_message(r).splitlines()[1:] == [
        "  notes.txt: not listed in manifest.sha256",
        "  people.csv: changed since it was written (hash differs from manifest.sha256)"]
    assert not (review / "signed").exists()


def test_dates_the_reviewer_cannot_sign_on(signed_2025, tmp_path):
    r = _sign(signed_2025["review"], signed_2025["decisions"], "--out", str(tmp_path / "o"), date_="2025-12-30")
    assert "  --date 2025-12-30 is before the review's as-of date 2025-12-31" in error_message(r)
    r = _sign(signed_2025["review"], signed_2025["decisions"], "--out", str(tmp_path / "o"), date_="2026-03-02")
    assert "  --date 2026-03-02 is after today (2026-03-01)" in error_message(r)
    r = _sign(signed_2025["review"], signed_2025["decisions"], "--out", str(tmp_path / "o"), date_="20.01.2026")
    assert error_message(r) == "--date: '20.01.2026' is not a date (YYYY-MM-DD)"
    assert not (tmp_path / "o").exists()


def test_the_workbook_of_another_review_is_refused(signed_2025, tmp_path):
    wb = openpyxl.load_workbook(signed_2025["decisions"])
    for row in wb["Summary"].iter_rows(min_row=2):
        if row[0].value == "dc":
            row[1].value = "dc-mad"
    wb.save(tmp_path / "other.xlsx")
    r = _sign(signed_2025["review"], tmp_path / "other.xlsx", "--out", str(tmp_path / "o"))
    assert ("its Summary sheet says dc dc-mad, the review is dc-lis 2025 (the workbook of another review?)"
            in error_message(r))


# ------------------------------------------------------------------------------------------ next year


def _year_2026(signed: Path):
    """Next year's inputs: the signed list, except that P0005's revocation was never carried out;
    P0002 (revoked, off the list) and P0005 still badge in all year."""
    ds = baseline("dc-lis", 2026, roles(), seed=1)
    signed_rows = list(csv.DictReader((signed / "authorized.csv").open()))
    p5 = next(a for a in json.loads((signed / "signed-review.json").read_text())["review"]["authorized"]
              if a["person_id"] == "P0005")
    ds.authorized = sorted(signed_rows + [p5], key=lambda a: a["person_id"])
    for r in ds.roster:
        if r["person_id"] == "P0005":
            r["job_role"] = NOT_JUSTIFYING
    ds.previous = None
    return ds


@pytest.fixture(scope="module")
def next_year(signed_2025, keys, tmp_path_factory):
    base = tmp_path_factory.mktemp("y2026")
    ds = _year_2026(signed_2025["signed"])
    paths = ds.write(base / "in")
    out = base / "review"
    r = cli(ds.args(paths, out) + ["--previous", str(signed_2025["signed"]), "--allowed-signers",
                                   str(keys / "allowed_signers"), "--as-of", "2027-01-10", "--today", "2027-02-01"])
    assert r.exit_code == 0, r.output
    return {"ds": ds, "out": out, "doc": json.loads((out / "review.json").read_text())}


def test_next_year_counts_the_review_cycle_from_the_signature_date(next_year):
    doc = next_year["doc"]
    assert doc["previous"]["kind"] == "signed" and doc["previous"]["signed_on"] == "2026-01-20"
    assert doc["previous"]["reviewer"] == "Ana Lobato"
    assert doc["previous"]["signature"].startswith("verified: signed by reviewer@byside.example (ED25519 key SHA256:")
    # as of 2027-01-10: 375 days after the previous review's as-of date, 355 after its signature
    assert doc["counts"]["findings"]["DCA-10"] == 0


def test_a_revoked_person_who_still_badges_in_is_dca11(next_year):
    doc, ds = next_year["doc"], next_year["ds"]
    found = [f for f in doc["findings"] if f["code"] == "DCA-11"]
    for badge, person in (("B-LIS-0002", "P0002"), ("B-LIS-0005", "P0005")):
        entries = sorted(datetime.fromisoformat(e["timestamp"]) for e in ds.events
                         if e["badge_id"] == badge and e["direction"] == "in")
        late = [t for t in entries if t.date() > date(2026, 1, 20)]
        mine = [f for f in found if f["badge_id"] == badge]
        assert late and [f["timestamp"] for f in mine] == [t.isoformat() for t in late]
        assert all(f["person_id"] == person and f"{person} was revoked at the review signed on 2026-01-20" in f["detail"]
                   for f in mine)
        if person == "P0005":  # on the list: its entries before the signature are nothing special
            assert len(late) < len(entries)
    # P0002's badge is off the list: its entries after the signature are DCA-11, not "unknown badge" DCA-05
    early = [e for e in ds.events if e["badge_id"] == "B-LIS-0002" and e["direction"] == "in"
             and datetime.fromisoformat(e["timestamp"]).date() <= date(2026, 1, 20)]
    assert len([f for f in doc["findings"] if f["code"] == "DCA-05"]) == len(early)
    p5 = next(p for p in doc["people"] if p["person_id"] == "P0005")
    assert (p5["decision"], p5["codes"]) == ("revoke", ["DCA-03", "DCA-11"])


def test_the_diff_against_last_year_shows_decisions_carried_out_or_not(next_year):
    doc = next_year["doc"]
    assert [(d["person_id"], d["decision"], d["carried_out"]) for d in doc["previous_decisions"]] == [
        ("P0002", "revoke", "yes"), ("P0003", "change", "yes"), ("P0004", "change", "yes"), ("P0005", "revoke", "no")]
    assert doc["previous_decisions"][3]["detail"].startswith("revoked, but still on the list (badge B-LIS-0005 ")
    assert doc["counts"]["previous_decisions_not_carried_out"] == 1
    assert "1 decision(s) of the previous review were not carried out (see Previous decisions)" in doc["notices"]
    change = {r["person_id"]: r["change"] for r in csv.DictReader((next_year["out"] / "next-authorized.csv").open())}
    assert change["P0001"] == "unchanged" and change.get("P0005", "removed") in ("added", "removed")
    wb = openpyxl.load_workbook(next_year["out"] / "review.xlsx")
    assert "Previous decisions" in wb.sheetnames
    page = (next_year["out"] / "review.html").read_text()
    assert "<h2>Decisions of the previous review</h2>" in page


def test_a_signed_previous_that_does_not_verify_is_exit_2(signed_2025, keys, tmp_path):
    c = tmp_path / "prev"
    shutil.copytree(signed_2025["signed"], c)
    (c / "authorized.csv").write_text("person_id\n")
    ds = _year_2026(signed_2025["signed"])
    paths = ds.write(tmp_path / "in")
    r = cli(ds.args(paths, tmp_path / "out") + ["--previous", str(c)])
    assert bad_input(r)
    assert error_message(r) == (f"previous review {c}: does not verify — authorized.csv: changed since it was "
                                "written (hash differs from manifest.sha256)")
    r = cli(ds.args(paths, tmp_path / "out") + ["--previous", str(signed_2025["signed"]), "--allowed-signers",
                                                str(keys / "other_signers")])
    assert bad_input(r) and "manifest.sha256.sig: the signing key is not in" in error_message(r)
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------ the command group


def test_dc_access_is_still_the_review_command_and_a_group(tmp_path):
    from byside.cli import app
    from typer.testing import CliRunner

    r = CliRunner().invoke(app, ["audit", "dc-access", "--help"])
    assert r.exit_code == 0 and "sign" in r.output and "verify" in r.output and "--events-format" in r.output
    r = CliRunner().invoke(app, ["audit", "dc-access", "--dc", "dc-lis"])
    assert bad_input(r) and error_message(r).startswith("missing option(s) --year, --authorized, --events, --roster, --out")
    r = CliRunner().invoke(app, ["audit", "dc-access", "--dc", "dc-lis", "verify", "x", "--allowed-signers", "y"])
    assert bad_input(r) and "the review's options go without a subcommand, not before `verify`" in error_message(r)
