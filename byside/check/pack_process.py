"""Start a policy pack's process exactly as the Pulumi engine starts a Python analyzer plugin.

Since CLI 3.169 the engine starts a Python pack through the Python language host
(pulumi/pulumi sdk/python/cmd/pulumi-language-python `RunPlugin`, pkg/resource/plugin
analyzer_plugin.go): `<venv>/bin/python -u -m pulumi.policy <engine-address> <absolute pack dir>`
with the pack folder as working directory, the virtualenv activated (VIRTUAL_ENV, its bin first on
PATH, no PYTHONHOME), and PULUMI_ORGANIZATION, PULUMI_PROJECT, PULUMI_STACK, PULUMI_DRY_RUN and
PULUMI_CONFIG (the stack's config as JSON) set from the stack being judged — one process per stack.

Apart from the gRPC client (analyzer.py) and light to import, so the gate starts the packs first
and loads grpc and the protocol while they boot.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

# The engine passes its own address first; nothing in pulumi_policy dials it, so this stands in.
ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:0"
ORGANIZATION = "organization"  # what Pulumi's file ("diy") backend reports as the organization


def pack_virtualenv(pack_dir: Path) -> Path | None:
    """The virtualenv PulumiPolicy.yaml names (`runtime.options.virtualenv`, relative to the pack)."""
    try:
        st = (Path(pack_dir) / "PulumiPolicy.yaml").stat()
    except OSError:
        return None
    venv = _virtualenv_option(str(pack_dir), (st.st_mtime_ns, st.st_size, st.st_ino))
    if venv is None:
        return None
    path = (Path(pack_dir) / venv).resolve() if not os.path.isabs(venv) else Path(venv)
    return path if (path / "bin" / "python").exists() else None


@functools.lru_cache(maxsize=16)
def _virtualenv_option(pack_text: str, stamp: tuple[int, int, int]) -> str | None:
    """Read once per version of the file: every stack's process starts from it."""
    from .. import safeyaml  # ruamel, which the stack's config needs anyway (not PyYAML: 10 ms more)

    try:
        proj = safeyaml.load(Path(pack_text) / "PulumiPolicy.yaml", what="policy pack project").data or {}
    except (OSError, safeyaml.InputError):
        return None
    runtime = proj.get("runtime") if isinstance(proj, dict) else None
    options = runtime.get("options") if isinstance(runtime, dict) else None
    venv = options.get("virtualenv") if isinstance(options, dict) else None
    return venv if isinstance(venv, str) and venv else None


def activated_env(environ: dict[str, str], venv: Path | None) -> dict[str, str]:
    """sdk/python/toolchain ActivateVirtualEnv: venv/bin first on PATH, VIRTUAL_ENV set, PYTHONHOME unset."""
    if venv is None:
        return dict(environ)
    env = {k: v for k, v in environ.items() if k.upper() not in ("PYTHONHOME", "VIRTUAL_ENV")}
    path_key = next((k for k in env if k.upper() == "PATH"), "PATH")
    env[path_key] = f"{venv / 'bin'}{os.pathsep}{env[path_key]}" if path_key in env else str(venv / "bin")
    env["VIRTUAL_ENV"] = str(venv)
    return env


class PackProcess:
    """The pack's process for one stack: started at once, stopped with SIGINT (what PolicyPack's
    serve loop handles), its stderr kept for error messages."""

    def __init__(self, pack_dir: Path, stack: str, project: str = "byside", python: str | None = None, *,
                 organization: str = ORGANIZATION, config: dict[str, str] | None = None,
                 zones_dir: Path | None = None) -> None:
        self.pack_dir = Path(pack_dir).resolve()
        self.zones_dir = zones_dir  # another checkout's zone data (`byside diff`'s base); None: the gate's own
        self.stack, self.project, self.organization = stack, project, organization
        self.config = dict(config or {})
        self.venv = pack_virtualenv(self.pack_dir) if python is None else None
        self.python = python or (str(self.venv / "bin" / "python") if self.venv else sys.executable)
        self.proc: subprocess.Popen | None = None
        self.stderr = tempfile.TemporaryFile()
        self._interrupted = False

    def argv(self) -> list[str]:
        return [self.python, "-u", "-m", "pulumi.policy", ENGINE_ADDRESS_PLACEHOLDER, str(self.pack_dir)]

    def env(self) -> dict[str, str]:
        env = activated_env(dict(os.environ), self.venv)
        for key in ("PULUMI_ORGANIZATION", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN", "PULUMI_CONFIG"):
            env.pop(key, None)  # the stack being judged sets them, not the caller's environment
        values = {"PULUMI_ORGANIZATION": self.organization, "PULUMI_PROJECT": self.project,
                  "PULUMI_STACK": self.stack, "PULUMI_DRY_RUN": "true",
                  "PULUMI_CONFIG": json.dumps(self.config, sort_keys=True) if self.config else ""}
        env.update({k: v for k, v in values.items() if v})  # the language host sets only non-empty values
        return env

    def start(self) -> "PackProcess":
        """Raises PackStartError (not a pack, zone data that does not load)."""
        if not (self.pack_dir / "__main__.py").is_file():
            raise PackStartError(f"{self.pack_dir}: not a policy pack (no __main__.py)")
        if self.proc is None:
            from . import zone_facts

            env = self.env()
            try:
                # Not the language host's: the facts of the zone data in use, when they are not the
                # pack's own file (other zone data, or zones/ edited since `make pack`): zone_facts.py.
                env.update(zone_facts.facts_env(self.zones_dir))
            except Exception as e:
                import zones  # loaded by then: only a zone load raises ZoneDataError

                if isinstance(e, zones.ZoneDataError):
                    raise PackStartError(f"zone data: {e}") from None
                raise
            self.proc = subprocess.Popen(self.argv(), cwd=self.pack_dir, env=env, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=self.stderr)
        return self

    def stderr_tail(self) -> str:
        self.stderr.seek(0)
        text = self.stderr.read().decode("utf-8", "replace").strip()
        return "\n".join(text.splitlines()[-15:])

    def interrupt(self) -> None:
        """Ask the pack to stop (SIGINT) without waiting: lets several packs wind down at once."""
        if self.proc is not None and self.proc.poll() is None and not self._interrupted:
            self._interrupted = True
            self.proc.send_signal(signal.SIGINT)

    def stop(self) -> None:
        """Stop and reap: SIGINT (the pack exits 0), then terminate, then kill, only if it does not."""
        if self.proc is not None and self.proc.poll() is None:
            for stop, wait in ((self.interrupt, 5), (self.proc.terminate, 5), (self.proc.kill, None)):
                stop()
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        self.stderr.close()


class PackStartError(Exception):
    """The pack could not be started (the gate turns it into exit 2)."""
