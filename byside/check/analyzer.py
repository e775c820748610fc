"""Run a policy pack exactly as the Pulumi engine runs a Python analyzer plugin, and talk to it.

The engine starts `pulumi-analyzer-policy-python <engine-address> .`, i.e.
`python -u -m pulumi.policy <engine-address> .` with the pack folder as working directory and
PULUMI_PROJECT / PULUMI_STACK / PULUMI_DRY_RUN in the environment; `pulumi.policy` runs the pack's
`__main__.py`, whose PolicyPack prints its port on stdout and serves the Analyzer gRPC service.
The engine then calls ConfigureStack, GetAnalyzerInfo, Configure, Analyze for every resource and
AnalyzeStack over all of them. So does this client, one analyzer per stack, so `byside check` and
`pulumi preview --policy-pack` judge with the same code.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as pb
from pulumi.runtime.proto import analyzer_pb2_grpc as pb_grpc

import zones

from ..console import BadInput
from . import zone_facts
from .model import Resource

# The engine's own address is passed first; our packs never dial back, so any address will do.
ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:0"
_MAX_MESSAGE = 400 * 1024 * 1024  # as pulumi_policy's server: stacks can be large
_OPTIONS = [("grpc.max_send_message_length", _MAX_MESSAGE), ("grpc.max_receive_message_length", _MAX_MESSAGE)]

ENFORCEMENT = {pb.ADVISORY: "advisory", pb.MANDATORY: "mandatory", pb.DISABLED: "disabled",
               pb.REMEDIATE: "remediate"}
ENFORCEMENT_CODE = {v: k for k, v in ENFORCEMENT.items()}
SEVERITY = {pb.POLICY_SEVERITY_LOW: "low", pb.POLICY_SEVERITY_MEDIUM: "medium", pb.POLICY_SEVERITY_HIGH: "high",
            pb.POLICY_SEVERITY_CRITICAL: "critical"}


class AnalyzerError(BadInput):
    """The pack could not be started or answered with an error: the gate cannot judge (exit 2)."""


@dataclass(frozen=True)
class Diagnostic:
    policy: str
    pack: str
    message: str
    description: str
    enforcement: str
    severity: str  # "" when the pack did not say
    urn: str


def _struct(d: dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(d)
    return s


def _options(r: Resource) -> pb.AnalyzerResourceOptions:
    opts = pb.AnalyzerResourceOptions(protect=r.protect, parent=r.parent, ignoreChanges=r.ignore_changes,
                                      additionalSecretOutputs=r.additional_secret_outputs, aliases=r.aliases,
                                      deleteBeforeReplace=bool(r.delete_before_replace),
                                      deleteBeforeReplaceDefined=r.delete_before_replace is not None)
    if r.custom_timeouts:
        opts.customTimeouts.CopyFrom(pb.AnalyzerResourceOptions.CustomTimeouts(**r.custom_timeouts))
    return opts


class Analyzer:
    """One analyzer process. Use as a context manager; `start()` returns at once so several packs
    boot while the caller prepares requests. The engine starts one per stack; the gate may judge
    several stacks in turn with one process, sending ConfigureStack and a full Configure (every
    policy's level and properties) before each, so no setting carries over."""

    def __init__(self, pack_dir: Path, stack: str, project: str = "byside", python: str | None = None,
                 timeout: float = 120.0) -> None:
        self.pack_dir, self.stack, self.project = Path(pack_dir), stack, project
        venv = self.pack_dir / "venv" / "bin" / "python"  # interim: issue 9 reads PulumiPolicy.yaml's virtualenv
        self.python = python or (str(venv) if venv.exists() else sys.executable)
        self.timeout = timeout
        self.proc: subprocess.Popen | None = None
        self.channel: grpc.Channel | None = None
        self.stub: pb_grpc.AnalyzerStub | None = None
        self._stderr = tempfile.TemporaryFile()
        self._info: pb.AnalyzerInfo | None = None
        self._closed = False
        self._interrupted = False

    # ------------------------------------------------------------ process
    def start(self) -> "Analyzer":
        if not (self.pack_dir / "__main__.py").is_file():
            raise AnalyzerError(f"{self.pack_dir}: not a policy pack (no __main__.py)")
        env = dict(os.environ, PULUMI_PROJECT=self.project, PULUMI_STACK=self.stack, PULUMI_DRY_RUN="true",
                   PYTHONUNBUFFERED="1")
        try:
            env.update(zone_facts.facts_env())  # the facts of the zone data in use (zone_facts.py)
        except zones.ZoneDataError as e:
            raise AnalyzerError(f"zone data: {e}") from None
        self.proc = subprocess.Popen([self.python, "-u", "-m", "pulumi.policy", ENGINE_ADDRESS_PLACEHOLDER, "."],
                                     cwd=self.pack_dir, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self._stderr)
        return self

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip()
        return "\n".join(text.splitlines()[-15:])

    def _connect(self) -> None:
        if self.stub is not None:
            return
        if self.proc is None:
            self.start()
        assert self.proc is not None and self.proc.stdout is not None
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.timeout)
        text = line[0].decode(errors="replace").strip() if line else ""
        if not text.isdigit():
            self.proc.kill()
            self.proc.wait()
            why = "did not print its port in time" if not line else (
                f"exited with code {self.proc.returncode}" if not text else f"printed {text!r} instead of a port")
            raise AnalyzerError(f"policy pack {self.pack_dir} (stack {self.stack}) {why}:\n{self._stderr_tail()}")
        # Keep draining stdout so a chatty pack never blocks on a full pipe.
        threading.Thread(target=lambda: self.proc.stdout.read(), daemon=True).start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{int(text)}", options=_OPTIONS)
        grpc.channel_ready_future(self.channel).result(timeout=self.timeout)
        self.stub = pb_grpc.AnalyzerStub(self.channel)

    def interrupt(self) -> None:
        """Ask the pack to stop (SIGINT) without waiting: lets several packs wind down at once."""
        if self.channel is not None:  # first, so the client never sees the server go away
            self.channel.close()
            self.channel = None
        if self.proc is not None and self.proc.poll() is None and not self._interrupted:
            self._interrupted = True
            self.proc.send_signal(signal.SIGINT)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        if self.proc is not None and self.proc.poll() is None:
            # SIGINT is what PolicyPack's serve loop handles (KeyboardInterrupt -> server.stop), so
            # the pack exits 0; terminate, then kill, only if it does not.
            for stop, wait in ((self.interrupt, 5), (self.proc.terminate, 5), (self.proc.kill, None)):
                stop()
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()

    def __enter__(self) -> "Analyzer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except grpc.RpcError as e:
            raise AnalyzerError(f"policy pack {self.pack_dir} (stack {self.stack}): {what} failed: "
                                f"{e.code().name}: {e.details()}\n{self._stderr_tail()}") from None

    # ------------------------------------------------------------ protocol
    def configure_stack(self, stack: str | None = None) -> None:
        """Tell the pack which stack it judges next (a pooled analyzer judges several in turn)."""
        self._connect()
        self.stack = stack or self.stack
        try:
            self.stub.ConfigureStack(pb.AnalyzerStackConfigureRequest(stack=self.stack, project=self.project,
                                                                      dry_run=True), timeout=self.timeout)
        except grpc.RpcError as e:  # older packs: the engine tolerates this too
            if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                raise AnalyzerError(f"policy pack {self.pack_dir}: ConfigureStack failed: {e.details()}") from None

    def info(self) -> pb.AnalyzerInfo:
        self._connect()
        if self._info is None:
            self._info = self._call("GetAnalyzerInfo", self.stub.GetAnalyzerInfo, empty_pb2.Empty(),
                                    timeout=self.timeout)
        return self._info

    def configure(self, config: dict[str, dict[str, Any]]) -> None:
        """`config`: {policy: {"enforcementLevel": level, property: value}} for every policy."""
        self._connect()
        req = pb.ConfigureAnalyzerRequest(policyConfig={
            name: pb.PolicyConfig(enforcementLevel=ENFORCEMENT_CODE[c["enforcementLevel"]],
                                  properties=_struct({k: v for k, v in c.items() if k != "enforcementLevel"}))
            for name, c in config.items()})
        self._call("Configure", self.stub.Configure, req, timeout=self.timeout)

    def analyze(self, resources: list[Resource]) -> list[Diagnostic]:
        """Analyze each resource (concurrently, as the engine does while stepping) and then the whole
        stack; diagnostics without a URN are attached to their resource (Analyze) or left empty."""
        self._connect()
        by_urn = {r.urn: r for r in resources}
        props = {r.urn: _struct(r.inputs) for r in resources}

        def provider(r: Resource) -> pb.AnalyzerProviderResource | None:
            ref = r.provider.rsplit("::", 1)[0] if r.provider else ""
            p = by_urn.get(ref)
            return pb.AnalyzerProviderResource(type=p.type, urn=p.urn, name=p.name, properties=props[p.urn]) if p else None

        requests = [pb.AnalyzeRequest(type=r.type, urn=r.urn, name=r.name, properties=props[r.urn],
                                      options=_options(r), provider=provider(r)) for r in resources]
        # Every request in flight at once: the pack's server works them off with its thread pool.
        futures = [self.stub.Analyze.future(req, timeout=self.timeout) for req in requests]
        stack_req = pb.AnalyzeStackRequest(resources=[
            pb.AnalyzerResource(type=r.type, urn=r.urn, name=r.name, properties=props[r.urn], options=_options(r),
                                provider=provider(r), parent=r.parent, dependencies=r.dependencies,
                                propertyDependencies={k: pb.AnalyzerPropertyDependencies(urns=v)
                                                      for k, v in r.property_dependencies.items()})
            for r in resources])
        out: list[Diagnostic] = []
        for req, fut in zip(requests, futures):
            resp = self._call(f"Analyze({req.urn})", fut.result)
            out.extend(self._diag(d, req.urn) for d in resp.diagnostics)
        resp = self._call("AnalyzeStack", self.stub.AnalyzeStack, stack_req, timeout=self.timeout)
        out.extend(self._diag(d, "") for d in resp.diagnostics)
        return out

    @staticmethod
    def _diag(d: pb.AnalyzeDiagnostic, default_urn: str) -> Diagnostic:
        return Diagnostic(policy=d.policyName, pack=d.policyPackName, message=d.message, description=d.description,
                          enforcement=ENFORCEMENT.get(d.enforcementLevel, "advisory"),
                          severity=SEVERITY.get(d.severity, ""), urn=d.urn or default_urn)


def close_all(analyzers: list["Analyzer"]) -> None:
    for a in analyzers:
        a.interrupt()
    for a in analyzers:
        a.close()


def policy_defaults(info: pb.AnalyzerInfo) -> dict[str, dict[str, Any]]:
    """Each policy's default enforcement level and config schema, from GetAnalyzerInfo."""
    return {p.name: {"enforcementLevel": ENFORCEMENT.get(p.enforcementLevel, "advisory"),
                     "severity": SEVERITY.get(p.severity, ""),
                     "schema": json_format.MessageToDict(p.configSchema.properties) if p.HasField("configSchema") else {},
                     "required": list(p.configSchema.required) if p.HasField("configSchema") else []}
            for p in info.policies}


