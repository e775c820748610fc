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


_FINISH = """
import atexit, sys, tempfile, threading, time
from pathlib import Path
from byside.cli import finish
out = Path(sys.argv[1])
tmp = tempfile.TemporaryDirectory()  # cleaned by its atexit finalizer
(Path(tmp.name) / "x").write_text("x")
(out / "tmpdir").write_text(tmp.name)
atexit.register(lambda: (out / "atexit").write_text("ran"))
def late():
    time.sleep(0.3)
    (out / "thread").write_text("done")
threading.Thread(target=late).start()
for _ in range(1000):
    sys.stdout.write("y" * 100)  # buffered, no newline: the last of it must be flushed
finish(int(sys.argv[2]) if sys.argv[2] != "none" else None)
"""


def test_finish_exits_with_the_code_after_threads_atexit_hooks_and_flushes(tmp_path):
    # main() skips the interpreter's teardown (os._exit) but keeps what a normal exit does.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout buffered, as by default
    for arg, code in (("3", 3), ("none", 0), ("1", 1)):
        r = subprocess.run([sys.executable, "-c", _FINISH, str(tmp_path), arg], cwd=ROOT, capture_output=True, text=True,
                           env=env)
        assert r.returncode == code and r.stdout == "y" * 100000, r.stderr
        assert (tmp_path / "atexit").read_text() == "ran" and (tmp_path / "thread").read_text() == "done"
        assert not Path((tmp_path / "tmpdir").read_text()).exists()
        for f in ("atexit", "thread", "tmpdir"):
            (tmp_path / f).unlink()


def test_finish_on_a_closed_stdout_is_exit_120_as_python_exits(tmp_path):
    code = "import sys; from byside.cli import finish; sys.stdout.write('z' * 10); finish(0)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered: the flush is what fails
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env)
    proc.stdout.close()  # the reader went away before the flush
    proc.wait(timeout=60)
    assert proc.returncode == 120
