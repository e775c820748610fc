"""Offline preview: run infra/ on Pulumi's own mock engine and write a `pulumi stack export`-shaped
document (docs/contracts.md), with no Pulumi CLI, no cloud and no credentials.

Pulumi's mock settings are global, so `run_in_this_process` may run once per process;
`run_preview(zone)` / `run_previews(zones)` give each zone a fresh interpreter (in parallel).
Secrets stay in Pulumi's envelope with a fixed placeholder ciphertext: their plaintext (mock
RandomPassword results) lives only in the worker's memory and never reaches the file or a log.
"""

from __future__ import annotations

import heapq
import json
import os
import runpy
import subprocess
import sys
import threading
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

from . import defaults

PROJECT = "byside"
REPO = Path(__file__).resolve().parents[2]
PROGRAM = REPO / "infra" / "__main__.py"
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
# No secrets provider offline: every secret gets this ciphertext, so nothing can be decrypted.
PLACEHOLDER_CIPHERTEXT = "v1:offline-preview:no-secrets-provider"
MANIFEST_TIME = "2000-01-01T00:00:00Z"  # fixed: two runs give the same bytes


class PreviewError(Exception):
    """The program failed under the mock engine (bad zone data, a program error)."""


def secret_envelope() -> dict:
    return {SIG_KEY: SECRET_SIG, "ciphertext": PLACEHOLDER_CIPHERTEXT}


def to_state(value: Any) -> Any:
    """Deserialized RPC values -> stack-export JSON: secrets enveloped, resources by URN."""
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return secret_envelope()
        return {str(k): to_state(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_state(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    urn = getattr(value, "urn", None)  # a resource reference
    if urn is not None:
        return f"<resource {type(value).__name__}>"
    return str(value)


def source_position(uri: str, line: int, column: int = 0, root: Path | None = None) -> str:
    """A registration's source position as the engine records it in the state (`sourcePosition`,
    pkg/resource/deploy/source_eval.go): `project:///<path relative to the project root>#<line>[,<col>]`;
    "" when there is none the program can be blamed for: no line, not a file URI, or a file outside
    the program's folder (`main: infra/` of Pulumi.yaml: the SDK's own frames, this runner)."""
    from urllib.parse import unquote, urlsplit

    if not uri or line <= 0:
        return ""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return ""
    path = Path(unquote(parts.path))
    if not path.is_absolute():
        return ""
    rel = Path(os.path.relpath(path, root or REPO))
    if rel.parts[:1] != PROGRAM.parent.relative_to(REPO).parts:
        return ""
    return f"project:///{rel.as_posix()}#{line}" + (f",{column}" if column > 0 else "")


def program_position(request, root: Path) -> str:
    """The SDK's source position (the caller of the resource's constructor); where that lies inside
    the SDK (explicit providers: the generated class calls its base), the first frame of the
    request's stack trace that is the program's."""
    pos = request.sourcePosition
    found = source_position(pos.uri, pos.line, pos.column, root)
    for frame in request.stackTrace.frames if not found else ():
        found = source_position(frame.pc.uri, frame.pc.line, frame.pc.column, root)
        if found:
            break
    return found


def _monitor_class():
    from google.protobuf import empty_pb2
    from google.protobuf.json_format import MessageToDict
    from pulumi.runtime import mocks, rpc
    from pulumi.runtime.proto import resource_pb2
    from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

    class RecordingMonitor(mocks.MockMonitor):
        """Pulumi's MockMonitor, also keeping what the engine would keep in the state file:
        parent, provider, dependencies and property dependencies of every registration."""

        def __init__(self, mocks_: mocks.Mocks, stack: str, root: Path | None = None):
            super().__init__(mocks_)
            self.stack = stack
            self.root = root or REPO  # the project root (Pulumi.yaml): source positions are relative to it
            self.records: dict[str, dict] = {}
            self.lock = threading.Lock()

        def _default_provider(self, typ: str) -> str:
            pkg = typ.split(":")[0]
            version = metadata.version(f"pulumi_{pkg}").replace(".", "_")
            urn = f"urn:pulumi:{self.stack}::{PROJECT}::pulumi:providers:{pkg}::default_{version}"
            pid = "00000000-0000-0000-0000-000000000000"
            with self.lock:
                self.records.setdefault(urn, {
                    "urn": urn, "type": f"pulumi:providers:{pkg}", "custom": True, "id": pid, "parent": None,
                    "inputs": {"version": metadata.version(f"pulumi_{pkg}")},
                    "outputs": {"version": metadata.version(f"pulumi_{pkg}")},
                    "dependencies": [], "propertyDependencies": {}, "provider": None,
                })
            return f"{urn}::{pid}"

        def RegisterResource(self, request):
            urn = self.make_urn(request.parent, request.type, request.name)
            record = {"urn": urn, "type": request.type, "custom": bool(request.custom), "parent": request.parent or None,
                      "dependencies": sorted(set(request.dependencies)),
                      "propertyDependencies": {k: sorted(set(v.urns)) for k, v in request.propertyDependencies.items()},
                      "provider": None, "inputs": {}, "outputs": {}}
            record["sourcePosition"] = program_position(request, self.root)
            if request.replaceOnChanges:
                record["replaceOnChanges"] = sorted(request.replaceOnChanges)
            if request.type == "pulumi:pulumi:Stack":
                with self.lock:
                    self.records[urn] = record
                return resource_pb2.RegisterResourceResponse(urn=urn)
            _ensure_event_loop()
            inputs = rpc.deserialize_properties(request.object)
            args = mocks.MockResourceArgs(typ=request.type, name=request.name, inputs=inputs,
                                          provider=request.provider, resource_id=request.importId,
                                          custom=request.custom or False)
            id_, state = self.mocks.new_resource(args)
            obj = _sync_await(rpc.serialize_properties(state, {}))
            self.resources[urn] = mocks.MockMonitor.ResourceRegistration(urn, id_, state)
            if request.custom:
                record["id"] = id_
                # From the wire form, not the deserialized one: the SDK's deserializer pushes a
                # nested secret up to its whole parent; the state file keeps it where it is.
                record["inputs"] = defaults.apply(request.type, to_state(MessageToDict(request.object)))
                computed = {k: v for k, v in state.items() if k not in inputs}
                record["outputs"] = {**record["inputs"], **to_state(computed)}
                is_provider = request.type.startswith("pulumi:providers:")
                record["provider"] = None if is_provider else (request.provider or self._default_provider(request.type))
            with self.lock:
                if urn in self.records:
                    raise PreviewError(f"two resources with the same URN {urn}")
                self.records[urn] = record
            return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj)

        def RegisterResourceOutputs(self, request):
            outputs = MessageToDict(request.outputs)
            with self.lock:
                if request.urn in self.records:
                    self.records[request.urn]["outputs"] = to_state(outputs)
            return empty_pb2.Empty()

    return RecordingMonitor


def _ordered(records: dict[str, dict]) -> list[dict]:
    """Dependency order, as in a state file (a resource after its parent, provider and
    dependencies); ties broken by URN so the order never depends on thread timing."""
    deps: dict[str, set[str]] = {}
    for urn, r in records.items():
        d = set(r["dependencies"]) | {u for us in r["propertyDependencies"].values() for u in us}
        if r["parent"]:
            d.add(r["parent"])
        if r.get("provider"):
            d.add(r["provider"].rsplit("::", 1)[0])
        deps[urn] = {u for u in d if u in records and u != urn}
    users: dict[str, list[str]] = {u: [] for u in records}
    for urn, d in deps.items():
        for u in d:
            users[u].append(urn)
    pending = {u: len(d) for u, d in deps.items()}
    def key(u: str) -> tuple[bool, str]:
        return records[u]["type"] != "pulumi:pulumi:Stack", u  # the stack first, as in a state file

    ready = [key(u) for u, n in pending.items() if n == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        _, urn = heapq.heappop(ready)
        out.append(records[urn])
        for user in users[urn]:
            pending[user] -= 1
            if pending[user] == 0:
                heapq.heappush(ready, key(user))
    if len(out) != len(records):
        raise PreviewError("dependency cycle among: " + ", ".join(sorted(u for u, n in pending.items() if n)))
    return out


def _resource_json(r: dict) -> dict:
    out = {"urn": r["urn"], "type": r["type"], "custom": r["custom"]}
    if "id" in r:
        out["id"] = r["id"]
    for key in ("parent", "provider"):
        if r.get(key):
            out[key] = r[key]
    out["inputs"] = r["inputs"]
    out["outputs"] = r["outputs"]
    out["dependencies"] = r["dependencies"]
    out["propertyDependencies"] = r["propertyDependencies"]
    # Fields of the engine's own ResourceV3 (apitype/core.go), written as the engine writes them.
    for key in ("replaceOnChanges", "sourcePosition"):
        if r.get(key):
            out[key] = r[key]
    return out


def run_preview(zone_id: str, zones_dir: str | Path | None = None) -> dict:
    """One zone's stack-export document, from a fresh interpreter (callable any number of times)."""
    text, _log = preview_zones([zone_id], zones_dir)[zone_id]
    return json.loads(text)


def run_previews(zone_ids: list[str], zones_dir: str | Path | None = None) -> dict[str, dict]:
    """Several zones in one worker (SDKs loaded once, a forked runtime per zone): zone -> document."""
    return {z: json.loads(text) for z, (text, _log) in preview_zones(zone_ids, zones_dir).items()}


def run_in_this_process(zone_id: str, zones_dir: str | Path | None = None, platform=None,
                        root: str | Path | None = None) -> dict:
    """Run infra/ for one zone on the mock engine here; the stack-export document.

    Pulumi's mock settings are global: once per process (byside.preview.worker calls this).
    `platform`: the zone model already loaded from `zones_dir` (the program then reuses it).
    `root`: the project root whose program runs (default this repository; `byside diff` previews
    another commit's checkout), source positions are relative to it."""
    import pulumi
    from pulumi.runtime import settings
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    import zones

    from .mocks import ZoneMocks

    if zones_dir:
        os.environ["BYSIDE_ZONES_DIR"] = str(zones_dir)  # zones.default_dir() follows it
    if platform is None:
        platform = zones.load_platform(zones_dir)
    else:
        # The program's own `zones.load_platform()` gets the model already loaded from the same
        # folder (parsing the YAML again costs ~0.4 s per zone).
        zones.load_platform = lambda directory=None, _p=platform, _load=zones.load_platform: (
            _p if directory is None else _load(directory))
    platform.zone(zone_id)  # unknown zone: KeyError naming the known ones
    if settings.get_root_resource() is not None:
        raise PreviewError("run_in_this_process runs once per process (Pulumi's mock settings are global)")
    root = Path(root) if root else REPO
    monitor = _monitor_class()(ZoneMocks(platform, zone_id, zone_id), zone_id, root)
    pulumi.runtime.set_all_config({f"{PROJECT}:zone": zone_id})
    pulumi.runtime.set_mocks(monitor.mocks, project=PROJECT, stack=zone_id, preview=False, monitor=monitor)
    stack = settings.get_root_resource()
    # set_mocks registered the Stack already; register it in the recorder too (no RPC needed).
    stack_urn = f"urn:pulumi:{zone_id}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{zone_id}"
    monitor.records.setdefault(stack_urn, {"urn": stack_urn, "type": "pulumi:pulumi:Stack", "custom": False,
                                           "parent": None, "dependencies": [], "propertyDependencies": {},
                                           "provider": None, "inputs": {}, "outputs": {}})

    def program() -> None:
        runpy.run_path(str(root / PROGRAM.relative_to(REPO)), run_name="__main__")
        stack._outputs_registered = False  # set_mocks finished the stack before the program ran
        stack._finish()

    _sync_await(run_pulumi_func(program))
    resources = [_resource_json(r) for r in _ordered(monitor.records)]
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": MANIFEST_TIME, "magic": "", "version": f"v{metadata.version('pulumi')}"},
            "resources": resources,
        },
    }


def dumps(doc: dict) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def worker_env(zones_dir: str | Path | None = None, root: str | Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO)] + [p for p in [env.get("PYTHONPATH")] if p])
    if zones_dir:
        env["BYSIDE_ZONES_DIR"] = str(zones_dir)
    if root and Path(root).resolve() != REPO:
        # Another checkout's program and zone model (its infra/ and zones/ first on sys.path), run
        # by this preview's machinery (byside.preview.worker).
        env["BYSIDE_PROJECT_ROOT"] = str(Path(root).resolve())
    else:
        env.pop("BYSIDE_PROJECT_ROOT", None)
    # pulumi-gcp's compute module is ~1.3 M lines: compiling it on every run costs ~4 s. Keep
    # bytecode, but in build/ rather than beside the sources (the Makefile disables it there).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(REPO / "build" / ".pycache"))
    return env


def preview_zones(zone_ids: list[str], zones_dir: str | Path | None = None, root: str | Path | None = None,
                  on_zone: Callable[[str, bool], None] | None = None) -> dict[str, tuple[str, str]]:
    """Every zone previewed by one worker process (which loads the SDKs once, then forks a fresh
    interpreter state per zone); zone -> (document text, that zone's log). `root`: the project
    root whose program runs (default this repository); `on_zone(zone, ok)` is called as each zone
    finishes (progress), from this thread."""
    import tempfile
    import time

    root = Path(root).resolve() if root else REPO
    with tempfile.TemporaryDirectory(prefix="byside-preview-") as tmp:
        with open(Path(tmp, ".stderr"), "w+", encoding="utf-8") as stderr:
            proc = subprocess.Popen([sys.executable, "-m", "byside.preview.worker", "--out-dir", tmp, *zone_ids],
                                    env=worker_env(zones_dir, root), cwd=str(root), stdout=subprocess.DEVNULL,
                                    stderr=stderr, text=True, start_new_session=True)
            reported: set[str] = set()

            def report() -> None:
                for z in zone_ids:
                    if z in reported or on_zone is None:
                        continue
                    if Path(tmp, f"{z}.json").exists():
                        reported.add(z)
                        on_zone(z, True)
                    elif proc.poll() is not None:
                        reported.add(z)
                        on_zone(z, False)

            try:
                while proc.poll() is None:
                    report()
                    time.sleep(0.05)
            finally:
                if proc.poll() is None:  # interrupted: the worker and its forked children go too
                    import signal

                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait()
            report()
            stderr.seek(0)
            err_text = stderr.read()
        results, failures = {}, []
        for z in zone_ids:
            doc, log = Path(tmp, f"{z}.json"), Path(tmp, f"{z}.log")
            log_text = log.read_text(encoding="utf-8") if log.exists() else ""
            if doc.exists():
                results[z] = (doc.read_text(encoding="utf-8"), log_text)
            else:
                failures.append(f"zone {z}: " + (log_text.strip().splitlines() or
                                                 err_text.strip().splitlines() or ["worker failed"])[-1])
    if failures or proc.returncode != 0:
        raise PreviewError("; ".join(failures) or err_text.strip() or f"worker exit {proc.returncode}")
    return results


def summary(doc: dict) -> dict[str, int]:
    """Resources per type (custom resources and components), for the table."""
    counts: dict[str, int] = {}
    for r in doc["deployment"]["resources"]:
        counts[r["type"]] = counts.get(r["type"], 0) + 1
    return dict(sorted(counts.items()))
