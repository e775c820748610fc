"""`byside diff` at the boundary (choices, bad input) and the progress lines of long work."""

from __future__ import annotations

import io
import re

from byside.console import make_console
from byside.progress import LineProgress, RichProgress, for_console
from tests.cli import error_message, invoke


def test_the_declared_choices_are_the_renderers():
    from byside.change import render
    from byside.commands import diff

    assert tuple(diff.Format.__members__) == render.FORMATS


def test_outside_a_git_repository_or_with_an_unknown_base_is_bad_input(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: byside\n")
    r = invoke("diff", "--project", tmp_path, "--no-checkov")
    assert r.exit_code == 2 and error_message(r).startswith("git rev-parse --show-toplevel in ")
    r = invoke("diff", "--base", "no-such-ref-xyz", "--no-checkov")
    assert r.exit_code == 2 and error_message(r).startswith("--base: 'no-such-ref-xyz' is not a commit of ")


def test_one_plain_line_per_phase_when_not_a_terminal():
    buf = io.StringIO()
    console = make_console(file=buf, width=200)
    bar = for_console(console)
    assert isinstance(bar, LineProgress)
    bar.phase("preview", 3, "zones")
    for z in ("we2", "sa1"):
        bar.step("preview", z)
    bar.step("preview", "we1", ok=False)
    bar.end("preview")
    bar.phase("checkov")
    bar.end("checkov", "10 passed")
    bar.end("checkov")  # once only
    lines = buf.getvalue().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"byside: preview 2/3 zones \(sa1, we2\), 1 failed \(we1\) in \d+\.\d s", lines[0])
    assert re.fullmatch(r"byside: checkov in \d+\.\d s: 10 passed", lines[1])


def test_a_bar_on_a_terminal():
    buf = io.StringIO()
    console = make_console(file=buf, width=100, force_terminal=True)
    bar = for_console(console)
    assert isinstance(bar, RichProgress)
    bar.phase("pack", 2, "stacks")
    bar.step("pack", "we1")
    bar.end("pack")
    bar.close()
    assert "pack stacks" in buf.getvalue()
