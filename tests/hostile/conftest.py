"""Shared helpers for the attack tests: a private copy of zones/, bad files of every class."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import zones

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "tests" / "check" / "plans"
TESTPACK = ROOT / "tests" / "check" / "testpack"
EXAMPLES = ROOT / "audits" / "examples" / "dc-lis"
# `byside check` on a small plan with the tests' own two-policy pack and no checkov: the fastest gate.
FAST_GATE = ("--plan", str(PLANS / "stack-export.json"), "--policy-pack", str(TESTPACK), "--no-checkov")


@pytest.fixture
def zdir(tmp_path, monkeypatch):
    """A private copy of zones/*.yaml, messages relative to tmp_path."""
    d = tmp_path / "zones"
    d.mkdir()
    for p in zones.PACKAGE_DIR.glob("*.yaml"):
        shutil.copy(p, d / p.name)
    monkeypatch.chdir(tmp_path)
    return d


def alias_bomb(levels: int) -> str:
    """The "billion laughs" document: each level nine aliases of the one before (9 levels: 1 KB
    of text, 9**9 = 387 million strings once expanded)."""
    names = "abcdefghijklmnop"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [" + ",".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def dc_access_args(out: Path, **over: str) -> list[str]:
    args = {"--dc": "dc-lis", "--year": "2025", "--authorized": str(EXAMPLES / "authorized.csv"),
            "--events": str(EXAMPLES / "events.csv"), "--roster": str(EXAMPLES / "roster.csv"), "--out": str(out)}
    args.update(over)
    return ["audit", "dc-access", *[x for kv in args.items() for x in kv]]


def no_traceback(result) -> None:
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output


def plain(output: str) -> str:
    """Usage errors as one line of text: typer draws them in a box."""
    return " ".join(output.translate({ord(c): " " for c in "│╭╮╰╯─"}).split())
