"""`byside preview` bad input: exit 2, a message naming the cause, nothing written."""

from __future__ import annotations

import shutil
import subprocess
import sys

from byside.preview import REPO


def run(*args: str):
    return subprocess.run([sys.executable, "-m", "byside.cli", "preview", *args], cwd=REPO,
                          capture_output=True, text=True)


def test_unknown_zone(tmp_path):
    proc = run("--zone", "xx1", "--out-dir", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "--zone: unknown zone 'xx1'; known: sa1, we1, we2, all" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_out_needs_one_zone(tmp_path):
    proc = run("--zone", "all", "--out", str(tmp_path / "x.json"))
    assert proc.returncode == 2
    assert "--out names one file" in proc.stderr
    assert not (tmp_path / "x.json").exists()


def test_bad_zone_data_names_file_field_and_line(tmp_path):
    folder = tmp_path / "zones"
    shutil.copytree(REPO / "zones", folder)
    path = folder / "we2.yaml"
    path.write_text(path.read_text().replace("timezone: Europe/Lisbon", "time_zone: Europe/Lisbon"))
    proc = run("--zone", "we2", "--dir", str(folder), "--out-dir", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "we2.yaml:8" in proc.stderr and "time_zone" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_program_error_in_the_worker_names_file_line_and_field(tmp_path):
    # Valid data the program cannot build: AWS segments too far apart for one VPC (AWS allows /16
    # at most). (A backup start too late for the window is now caught by zones validate itself.)
    folder = tmp_path / "zones"
    shutil.copytree(REPO / "zones", folder)
    path = folder / "sa1.yaml"
    text = path.read_text()
    line = text[:text.index("segments:")].count("\n") + 1
    path.write_text(text.replace("aws: {cidr: 10.31.48.0/24}", "aws: {cidr: 10.40.48.0/24}"))
    proc = run("--zone", "sa1", "--dir", str(folder), "--out-dir", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert f"preview failed: zone sa1: {path}:{line}: segments: AWS segments " in proc.stderr.replace("\n", "")
    assert "10.31.32.0/22, 10.40.48.0/24 need a /10 VPC; AWS allows /16 at most" in proc.stderr.replace("\n", "")
    assert not (tmp_path / "out").exists()
