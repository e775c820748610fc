"""byside/cli.py's error boundary: bad input 2, bugs 3 with a short report, traceback only with --debug."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

import zones
from byside.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _boom(*a, **k):
    raise ValueError("something the code did not expect")


def test_a_bug_is_exit_3_with_a_short_report_and_no_traceback(monkeypatch):
    monkeypatch.setattr(zones, "load", _boom)
    r = CliRunner().invoke(app, ["zones", "validate"])
    assert r.exit_code == 3
    assert "byside: internal error (byside " in r.output
    assert "ValueError: something the code did not expect" in r.output
    assert "--debug" in r.output and "report it to" in r.output
    assert "Traceback" not in r.output


def test_debug_adds_the_traceback(monkeypatch):
    monkeypatch.setattr(zones, "load", _boom)
    r = CliRunner().invoke(app, ["--debug", "zones", "validate"])
    assert r.exit_code == 3
    assert "Traceback (most recent call last)" in r.output and "_boom" in r.output


def test_byside_debug_environment_variable_adds_the_traceback(monkeypatch):
    monkeypatch.setattr(zones, "load", _boom)
    monkeypatch.setenv("BYSIDE_DEBUG", "1")
    r = CliRunner().invoke(app, ["zones", "validate"])
    assert r.exit_code == 3 and "Traceback (most recent call last)" in r.output


def test_bad_input_is_exit_2_with_the_message_verbatim():
    r = CliRunner().invoke(app, ["zones", "show", "z[bold]z"])
    assert r.exit_code == 2
    assert "error: unknown zone 'z[bold]z'" in r.output


def test_usage_errors_are_exit_2():
    r = CliRunner().invoke(app, ["check", "--no-such-option"])
    assert r.exit_code == 2


def test_sigterm_is_exit_143_and_ctrl_c_130(tmp_path):
    # Reading a fifo nobody writes to blocks: the command is surely running when the signal comes.
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    for sig, code in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        proc = subprocess.Popen([sys.executable, "-m", "byside.cli", "check", "--no-checkov", "--plan", str(fifo)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(2.0)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == code, err.decode()
        assert b"Traceback" not in err
