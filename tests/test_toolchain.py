"""The real CLI's way of running the program and the pack (docs/preview.md, Path 1).

A current Pulumi CLI resolves the Python toolchain per pulumi/pulumi sdk/python/toolchain
(ResolveToolchain, uv.go, pip.go): `toolchain: uv` needs `uv` on PATH ("Could not find `uv`
executable" otherwise), the virtualenv is relative to the project (or pack) folder, and Python
runs as `uv run python …` with UV_PROJECT_ENVIRONMENT=<virtualenv>; `toolchain: pip` runs
`<virtualenv>/bin/python` directly. Without a `toolchain` option a CLI since 3.227 picks uv
anyway when a uv.lock lies above the folder. These tests replay that resolution after
`make setup`: the program resolves to uv and .venv (uv on PATH once `.tools/env` is sourced, and
`uv run` starts the locked environment without touching uv.lock or the network); the pack to pip
and its own policies/venv, built from its requirements.txt alone.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
ENV_FILE = ROOT / ".tools" / "env"


def _options(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text())["runtime"]["options"]


def _resolve(folder: Path) -> tuple[str, Path]:
    """The toolchain and virtualenv a current CLI resolves for a project or pack folder."""
    yaml = folder / ("PulumiPolicy.yaml" if (folder / "PulumiPolicy.yaml").exists() else "Pulumi.yaml")
    options = _options(yaml)
    toolchain = options.get("toolchain")
    assert toolchain, f"{yaml.relative_to(ROOT)}: no explicit toolchain, the CLI would guess"
    venv = Path(options["virtualenv"])
    return toolchain, (venv if venv.is_absolute() else folder / venv).resolve()


def test_the_program_names_uv_and_the_locked_venv():
    assert _resolve(ROOT) == ("uv", (ROOT / ".venv").resolve())


def test_the_pack_names_pip_and_its_own_venv_which_holds_the_pack_and_nothing_of_the_repository():
    toolchain, venv = _resolve(ROOT / "policies")
    assert (toolchain, venv) == ("pip", (ROOT / "policies" / "venv").resolve())
    probe = ("import importlib.util as u, pulumi_policy, cloudsplaining, policy_sentry; "
             "print([m for m in ('zones', 'byside', 'pydantic', 'pulumi_aws') if u.find_spec(m)])")
    proc = subprocess.run([str(venv / "bin" / "python"), "-c", probe], cwd=ROOT / "policies", capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin"})
    assert (proc.returncode, proc.stdout.strip()) == (0, "[]"), proc.stderr


def _path_from_env_file() -> str:
    proc = subprocess.run(["sh", "-c", '. "$1" && printf %s "$PATH"', "sh", str(ENV_FILE)],
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, check=True)
    return proc.stdout


def test_make_setup_writes_an_env_file_that_puts_only_uv_on_path():
    assert ENV_FILE.exists(), "make setup writes .tools/env"
    path = _path_from_env_file().split(":")
    first = Path(path[0])
    assert path[1:] == ["/usr/bin", "/bin"]
    assert first == ROOT / ".tools" / "path"
    assert sorted(p.name for p in first.iterdir()) == ["uv"]  # no python/pip shadowing the system's
    assert (first / "uv").resolve() == (ROOT / ".tools" / "bin" / "uv").resolve()


def test_uv_run_as_the_language_host_starts_the_program_starts_the_locked_env():
    folder = ROOT
    toolchain, venv = _resolve(folder)
    lock = (ROOT / "uv.lock").read_bytes()
    env = {"PATH": _path_from_env_file(), "HOME": os.environ.get("HOME", "/tmp"),
           "UV_PROJECT_ENVIRONMENT": str(venv),  # what uv.go's uvCommand adds
           "UV_OFFLINE": "1", "UV_NO_PROGRESS": "1"}
    for cache in ("UV_CACHE_DIR", "XDG_CACHE_HOME"):
        if cache in os.environ:
            env[cache] = os.environ[cache]
    probe = "import sys, pulumi, pulumi_policy; print(sys.prefix)"
    proc = subprocess.run(["uv", "run", "python", "-c", probe], cwd=folder, capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()).resolve() == venv
    assert (ROOT / "uv.lock").read_bytes() == lock, "uv run re-locked: uv.lock out of date with pyproject.toml"
