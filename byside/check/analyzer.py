"""Talk to a policy pack as the Pulumi engine talks to an analyzer plugin.

The process is started as the engine starts it (pack_process.py). `pulumi.policy` runs the
folder's `__main__.py`, whose PolicyPack prints its port and serves the Analyzer gRPC service. The
engine then calls Handshake (packs may not implement it), ConfigureStack, GetAnalyzerInfo,
Configure, Analyze for each registered resource while it steps (a bounded number at a time) and
AnalyzeStack once over the new state. So does this client.

What each call carries (pkg/resource/deploy/step_generator.go): Analyze gets a resource's inputs
after the provider's Check; AnalyzeStack gets every resource of the new state (`news`: reads are
kept apart and reach no policy) with its outputs — where a plan records none (a change in a
preview), the inputs stand in for the provider's preview of them.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2

from .protocol import analyzer_pb2 as pb, analyzer_pb2_grpc as pb_grpc

from ..console import BadInput
from .model import Resource
from .pack_process import (ENGINE_ADDRESS_PLACEHOLDER, ORGANIZATION, PackProcess, PackStartError,  # noqa: F401
                           activated_env, pack_virtualenv)

_MAX_MESSAGE = 400 * 1024 * 1024  # as pulumi_policy's server: stacks can be large
_OPTIONS = [("grpc.max_send_message_length", _MAX_MESSAGE), ("grpc.max_receive_message_length", _MAX_MESSAGE)]
IN_FLIGHT = 8  # Analyze calls outstanding at once (the engine steps with bounded parallelism)
TIMEOUT_S = 120.0  # per call; AnalyzeStack gets STACK_S_PER_RESOURCE more per resource
STACK_S_PER_RESOURCE = 0.005
BOOT_TIMEOUT_S = 120.0  # to print the port and take connections (imports, zone model)

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


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _options(r: Resource) -> pb.AnalyzerResourceOptions:
    opts = pb.AnalyzerResourceOptions(protect=r.protect, parent=r.parent, ignoreChanges=r.ignore_changes,
                                      additionalSecretOutputs=r.additional_secret_outputs, aliases=r.aliases,
                                      deleteBeforeReplace=bool(r.delete_before_replace),
                                      deleteBeforeReplaceDefined=r.delete_before_replace is not None)
    if r.custom_timeouts:
        opts.customTimeouts.CopyFrom(pb.AnalyzerResourceOptions.CustomTimeouts(**r.custom_timeouts))
    return opts


class Analyzer:
    """One analyzer process for one stack, as the engine starts one per stack. Use as a context
    manager; `start()` returns at once so several packs boot while the caller prepares requests."""

    def __init__(self, pack_dir: Path, stack: str, project: str = "byside", python: str | None = None,
                 timeout: float = TIMEOUT_S, *, organization: str = ORGANIZATION,
                 config: dict[str, str] | None = None, secret_keys: Iterable[str] = (),
                 in_flight: int = IN_FLIGHT, process: PackProcess | None = None) -> None:
        self.process = process or PackProcess(pack_dir, stack, project, python, organization=organization,
                                              config=config)
        self.pack_dir, self.stack, self.project = self.process.pack_dir, self.process.stack, self.process.project
        self.organization, self.config = self.process.organization, self.process.config
        self.secret_keys = sorted(secret_keys)
        self.timeout = timeout
        self.in_flight = max(1, in_flight)
        self.channel: grpc.Channel | None = None
        self.stub: pb_grpc.AnalyzerStub | None = None
        self._info: pb.AnalyzerInfo | None = None
        self._closed = False

    # ------------------------------------------------------------ process
    @property
    def proc(self):
        return self.process.proc

    def argv(self) -> list[str]:
        return self.process.argv()

    def env(self) -> dict[str, str]:
        return self.process.env()

    def start(self) -> "Analyzer":
        try:
            self.process.start()
        except PackStartError as e:
            raise AnalyzerError(str(e)) from None
        return self

    def _stderr_tail(self) -> str:
        return self.process.stderr_tail()

    def _where(self) -> str:
        return f"policy pack {self.pack_dir} (stack {self.stack})"

    def _connect(self) -> None:
        if self.stub is not None:
            return
        self.start()
        assert self.proc is not None and self.proc.stdout is not None
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(BOOT_TIMEOUT_S)
        text = line[0].decode(errors="replace").strip() if line else ""
        if not text.isdigit():
            self.proc.kill()
            self.proc.wait()
            why = "did not print its port in time" if not line else (
                f"exited with code {self.proc.returncode}" if not text else f"printed {text!r} instead of a port")
            raise AnalyzerError(f"{self._where()} {why}:\n{self._stderr_tail()}")
        # Keep draining stdout so a chatty pack never blocks on a full pipe.
        threading.Thread(target=lambda: self.proc.stdout.read(), daemon=True).start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{int(text)}", options=_OPTIONS)
        grpc.channel_ready_future(self.channel).result(timeout=BOOT_TIMEOUT_S)
        self.stub = pb_grpc.AnalyzerStub(self.channel)
        try:  # as the engine: Handshake first; a pack that does not implement it is fine
            self.stub.Handshake(pb.AnalyzerHandshakeRequest(engine_address=ENGINE_ADDRESS_PLACEHOLDER,
                                                            root_directory=str(self.pack_dir),
                                                            program_directory=str(self.pack_dir)),
                                timeout=self.timeout)
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                raise AnalyzerError(f"{self._where()}: Handshake failed: {e.code().name}: {e.details()}") from None

    def interrupt(self) -> None:
        """Ask the pack to stop (SIGINT) without waiting: lets several packs wind down at once."""
        if self.channel is not None:  # first, so the client never sees the server go away
            self.channel.close()
            self.channel = None
        self.process.interrupt()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        self.process.stop()

    def __enter__(self) -> "Analyzer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _failed(self, what: str, e: grpc.RpcError) -> AnalyzerError:
        return AnalyzerError(f"{self._where()}: {what} failed: {e.code().name}: {e.details()}\n{self._stderr_tail()}")

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except grpc.RpcError as e:
            raise self._failed(what, e) from None

    # ------------------------------------------------------------ protocol
    def configure_stack(self) -> None:
        """Tell the pack which stack it judges (organization, project, stack, config, dry run)."""
        self._connect()
        req = pb.AnalyzerStackConfigureRequest(stack=self.stack, project=self.project, organization=self.organization,
                                               dry_run=True, config=self.config, config_secret_keys=self.secret_keys)
        try:
            self.stub.ConfigureStack(req, timeout=self.timeout)
        except grpc.RpcError as e:  # older packs: the engine tolerates this too
            if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                raise self._failed("ConfigureStack", e) from None

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
        """Analyze every registered resource (at most `in_flight` calls outstanding, each with its own
        deadline), then AnalyzeStack once over the stack's new state. Diagnostics without a URN are
        attached to their resource (Analyze) or left empty (AnalyzeStack)."""
        self._connect()
        by_urn = {r.urn: r for r in resources}
        providers: dict[str, pb.AnalyzerProviderResource | None] = {}

        def provider(r: Resource) -> pb.AnalyzerProviderResource | None:
            ref = r.provider.rsplit("::", 1)[0] if r.provider else ""
            if ref not in providers:
                p = by_urn.get(ref)
                providers[ref] = pb.AnalyzerProviderResource(type=p.type, urn=p.urn, name=p.name,
                                                             properties=_struct(p.inputs)) if p else None
            return providers[ref]

        out: list[Diagnostic] = []
        pending: deque[tuple[str, grpc.Future]] = deque()

        def settle() -> None:
            urn, fut = pending.popleft()
            resp = self._call(f"Analyze({urn})", fut.result)
            out.extend(self._diag(d, urn) for d in resp.diagnostics)

        for r in resources:
            if not r.managed:
                continue
            if len(pending) >= self.in_flight:
                settle()
            req = pb.AnalyzeRequest(type=r.type, urn=r.urn, name=r.name, properties=_struct(r.inputs),
                                    options=_options(r), provider=provider(r))
            pending.append((r.urn, self.stub.Analyze.future(req, timeout=self.timeout)))
        while pending:
            settle()

        stack = [r for r in resources if r.in_stack]
        body = self._stack_request_bytes(stack, provider)
        call = self.channel.unary_unary("/pulumirpc.Analyzer/AnalyzeStack", request_serializer=None,
                                        response_deserializer=pb.AnalyzeResponse.FromString)
        resp = self._call("AnalyzeStack", call, body, timeout=self.timeout + STACK_S_PER_RESOURCE * len(stack))
        del body
        out.extend(self._diag(d, "") for d in resp.diagnostics)
        return out

    @staticmethod
    def _stack_request_bytes(stack: list[Resource], provider) -> bytes:
        """The serialized AnalyzeStackRequest, built one resource at a time: `repeated
        AnalyzerResource resources = 1` is each resource's bytes behind its tag and length, so the
        whole request never exists as message objects beside its bytes (50,000 resources: ~0.5 GiB
        less at the peak). The pack receives exactly the bytes SerializeToString would give."""
        out = bytearray()
        for r in stack:
            data = pb.AnalyzerResource(
                type=r.type, urn=r.urn, name=r.name,
                properties=_struct(r.outputs if r.outputs is not None else r.inputs), options=_options(r),
                provider=provider(r), parent=r.parent, dependencies=r.dependencies,
                propertyDependencies={k: pb.AnalyzerPropertyDependencies(urns=v)
                                      for k, v in r.property_dependencies.items()}).SerializeToString()
            out += b"\x0a" + _varint(len(data)) + data
        return bytes(out)

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
