"""`byside maintenance plan` as a user runs it: exit codes, the option named on bad input, the
.ics (parsed back with icalendar) and the notice, byte-identical on a rerun, nothing replaced that
is not ours."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

ROOT = Path(__file__).resolve().parents[2]


def byside(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "byside.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def run_plan(out: Path, *extra: str, start="2026-06-12 01:00", zone="we1", duration="2h", today="2026-06-08"):
    return byside("maintenance", "plan", "--zone", zone, "--start", start, "--duration", duration, "--today", today,
                  "--out-dir", str(out), *extra)


def test_planned_notice_on_time_writes_ics_and_notice(tmp_path):
    r = run_plan(tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "slot inside the window" in lines
    assert "today: 2026-06-08 00:00 WEST: the notice is on time" in lines
    assert "not a business day: 2026-06-10 Day of Portugal, Camões, and the Portuguese Communities (PT)" in lines
    assert ("notify: Douro Telecom (sub-douro-telecom, PT), Lusomarket Retail (sub-lusomarket, PT), "
            "Tagus Bank (sub-tagus-bank, PT)") in lines
    ics = tmp_path / "we1-20260612T0100-planned-maintenance.ics"
    txt = tmp_path / "we1-20260612T0100-planned-maintenance.txt"
    assert sorted(p.name for p in tmp_path.iterdir()) == [ics.name, txt.name]  # no temporary file left
    cal = Calendar.from_ical(ics.read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) == 1
    ev = events[0]
    assert str(ev["summary"]) == "BySide WE1 planned maintenance"
    assert (ev.decoded("dtstart").isoformat(), ev.decoded("dtend").isoformat()) == (
        "2026-06-12T00:00:00+00:00", "2026-06-12T02:00:00+00:00")
    assert ev.decoded("dtstamp").isoformat() == "2026-06-07T23:00:00+00:00"  # --today, 00:00 Lisbon
    assert str(ev["uid"]).endswith("@maintenance.byside")
    assert "on or before Monday 2026-06-08" in str(ev["description"])
    text = txt.read_text()
    assert text.startswith("Subject: [BySide] Planned maintenance in zone WE1 (Western Europe 1) on 2026-06-12 "
                           "01:00 WEST\n")
    assert "  Start:    2026-06-12 01:00 WEST  (2026-06-12 00:00 UTC)\n" in text
    assert "does not count towards the SLA" in text
    first = (ics.read_bytes(), txt.read_bytes())
    assert run_plan(tmp_path).returncode == 0
    assert (ics.read_bytes(), txt.read_bytes()) == first  # byte-identical


def test_late_notice_exits_1_and_still_writes(tmp_path):
    r = run_plan(tmp_path, today="2026-06-09")
    assert r.returncode == 1
    assert "today: 2026-06-09 00:00 WEST: the notice is LATE" in r.stdout.splitlines()
    assert len(list(tmp_path.iterdir())) == 2  # the notice should still go out, as early as it can


def test_slot_outside_the_window_exits_1_and_writes_nothing(tmp_path):
    r = run_plan(tmp_path / "out", start="2026-06-12 05:00")
    assert r.returncode == 1
    assert "slot OUTSIDE the window" in r.stdout.splitlines()
    assert not (tmp_path / "out").exists()


def test_emergency_slot(tmp_path):
    r = run_plan(tmp_path, "--emergency", zone="sa1", start="2026-05-06 01:00", duration="90m",
                 today="2026-05-05 00:30")
    assert r.returncode == 0, r.stderr
    assert ("notice: emergency maintenance: at least 24 hours before the start, i.e. before 2026-05-05 01:00 -03 "
            "(2026-05-05 04:00 UTC)") in r.stdout.splitlines()
    text = (tmp_path / "sa1-20260506T0100-emergency-maintenance.txt").read_text()
    assert "apply a critical security patch (emergency maintenance)" in text and "SLA" not in text
    assert run_plan(tmp_path, "--emergency", zone="sa1", start="2026-05-06 01:00", duration="90m",
                    today="2026-05-05 01:30").returncode == 1


@pytest.mark.parametrize("args, message", [
    (("--zone", "eu9"), "error: --zone: unknown zone 'eu9'; known: sa1, we1, we2"),
    (("--duration", "2 hours"), "error: --duration: '2 hours' is not a duration like 90m, 2h or 1h30m"),
    (("--start", "2026-06-12"), "error: --start: '2026-06-12' is not 'YYYY-MM-DD HH:MM'"),
    (("--start", "2026-03-29 01:30"), "error: --start: 2026-03-29 01:30 does not exist in Europe/Lisbon: the clocks "
                                      "go forward that night"),
    (("--today", "06/08/2026"), "error: --today: '06/08/2026' is not 'YYYY-MM-DD HH:MM'"),
])
def test_bad_input_exits_2_naming_the_option(tmp_path, args, message):
    opts = {"--zone": "we1", "--start": "2026-06-12 01:00", "--duration": "2h", "--today": "2026-06-08"}
    opts.update(dict(zip(args[::2], args[1::2])))
    r = byside("maintenance", "plan", *[x for kv in opts.items() for x in kv], "--out-dir", str(tmp_path / "o"))
    assert (r.returncode, r.stderr.strip()) == (2, message)
    assert "Traceback" not in r.stderr and not (tmp_path / "o").exists()


def test_never_replaces_a_folder_and_writes_through_a_symlink(tmp_path):
    name = "we1-20260612T0100-planned-maintenance"
    (tmp_path / f"{name}.txt").mkdir()  # a folder where the notice would go
    r = run_plan(tmp_path)
    assert r.returncode == 2 and f"{name}.txt: is a folder; give a file name" in r.stderr
    assert not (tmp_path / f"{name}.ics").exists()  # checked before anything is written
    (tmp_path / f"{name}.txt").rmdir()
    kept = tmp_path / "kept" / "notice.txt"
    kept.parent.mkdir()
    kept.write_text("old notice")
    (tmp_path / f"{name}.txt").symlink_to(kept)
    assert run_plan(tmp_path).returncode == 0
    assert (tmp_path / f"{name}.txt").is_symlink() and kept.read_text().startswith("Subject: [BySide]")
    file_as_dir = tmp_path / "plain-file"
    file_as_dir.write_text("x")
    r = run_plan(file_as_dir)
    assert r.returncode == 2 and "plain-file" in r.stderr and file_as_dir.read_text() == "x"
