"""Resource properties as the pack sees them: Pulumi's wire format, secrets kept marked.

The engine sends analyzers their props with secrets still wrapped (KeepSecrets), but
pulumi_policy's Analyze/AnalyzeStack unwrap them to bare values, so no policy could tell a secret
pre-shared key from a plain-text one. `install()` (called by policies/__main__.py before the pack
serves) swaps in a deserializer that keeps each secret as a `pulumi_policy.Secret` marker; a
secret envelope without `value` (plan files keep only `ciphertext`) becomes Secret(None), so the
plaintext is never needed. Tests and the offline gate build props with `resource_props`, which is
the same code, so policies see the same thing under the CLI and offline.
"""

from __future__ import annotations

import gc
import threading
from types import SimpleNamespace
from typing import Any, Callable

import pulumi_policy.policy as _policy
from google.protobuf import json_format
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, _deserialize_property
from pulumi_policy.proxy import unknown_checking_proxy
from pulumi_policy.secret import Secret


def _keep(prop: Any) -> Any:
    """Secret envelopes -> Secret markers, assets and archives as pulumi_policy reads them; copy
    on write: a list or object holding neither is returned as it is (the props of a 50,000-resource
    stack are not held twice while a call runs)."""
    if isinstance(prop, list):
        out = None
        for i, e in enumerate(prop):
            k = _keep(e)
            if k is not e:
                if out is None:
                    out = list(prop)
                out[i] = k
        return prop if out is None else out
    if isinstance(prop, dict):
        if prop.get(SPECIAL_SIG_KEY) == SPECIAL_SECRET_SIG:
            return Secret(_keep(prop["value"]) if "value" in prop else None)
        if SPECIAL_SIG_KEY in prop:  # assets and archives: pulumi_policy's own handling
            return _deserialize_property(prop)
        out_d = None
        for key, v in prop.items():
            k = _keep(v)
            if k is not v:
                if out_d is None:
                    out_d = dict(prop)
                out_d[key] = k
        return prop if out_d is None else out_d
    return prop


def deserialize_keeping_secrets(props: dict[str, Any], proxy_secrets: bool = False) -> dict[str, Any]:
    """Drop-in for pulumi_policy.deserialize.deserialize_properties; secrets stay Secret markers."""
    return _keep(props) if isinstance(props, dict) else {k: _keep(v) for k, v in props.items()}


_call = threading.local()  # the servicer call running on this thread: its memo


def _memo(fn: Callable) -> Callable:
    """fn(x) remembered by the identity of x for the duration of one servicer call.

    pulumi_policy's servicer rebuilds a resource's props for every policy: protobuf -> dict ->
    deserialized -> proxy, 22 times per resource (and per stack resource for each stack policy).
    The request objects stay the same across those calls, so each step is done once instead;
    policies only read props, so sharing the read-only proxies between policies is safe. The memo
    lives as long as the call (x is held, so its id cannot be reused meanwhile), so memory stays
    bounded by the requests in flight, whatever the stack's size."""

    def call(x: Any, *args: Any) -> Any:
        cache = getattr(_call, "cache", None)
        if cache is None:
            return fn(x, *args)
        key = (fn, id(x))
        hit = cache.get(key)
        if hit is not None and hit[0] is x:
            return hit[1]
        out = fn(x, *args)
        cache[key] = (x, out)
        return out

    return call


def _memo_method(method: Callable) -> Callable:
    """A servicer method of one request object, remembered for the call (see _memo)."""
    memo = _memo(lambda request, self: method(self, request))

    def run(self, request):
        return memo(request, self)

    return run


def _per_call(method: Callable) -> Callable:
    def run(self, request, context):
        _call.cache = {}
        try:
            return method(self, request, context)
        finally:
            _call.cache = None

    return run


def _once(method: Callable) -> Callable:
    """The servicer configures pulumi's runtime settings from the environment on every call; the
    environment of a pack process does not change (the engine starts one per stack): once will do."""
    lock, done = threading.Lock(), []

    def run(self):
        if not done:
            with lock:
                if not done:
                    method(self)
                    done.append(True)

    return run


def _provider_by_content(method: Callable) -> Callable:
    """A stack's resources share a few providers: the same provider message (same bytes) gives the
    same read-only provider resource, built once instead of once per resource and policy."""
    cache: dict[bytes, Any] = {}

    def run(self, request):
        if not request.HasField("provider"):
            return None
        key = request.provider.SerializeToString(deterministic=True)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = method(self, request)
        return hit

    return run


def install() -> None:
    """Make the served pack deserialize with `deserialize_keeping_secrets`, each resource once
    per request rather than once per policy, providers once per content, runtime settings once
    per process (idempotent)."""
    if getattr(_policy, "_byside_wire", False):
        return
    _policy.json_format = SimpleNamespace(MessageToDict=_memo(json_format.MessageToDict))
    _policy.deserialize_properties = _memo(deserialize_keeping_secrets)
    _policy.unknown_checking_proxy = _memo(unknown_checking_proxy)
    servicer = _policy._PolicyAnalyzerServicer
    for name in ("Analyze", "AnalyzeStack", "Remediate"):
        setattr(servicer, name, _per_call(getattr(servicer, name)))
    servicer._configure_runtime_settings = _once(servicer._configure_runtime_settings)
    servicer._get_provider_resource = _provider_by_content(servicer._get_provider_resource)
    servicer._get_resource_options = _memo_method(servicer._get_resource_options)
    # A stack's props are millions of small dicts and proxies, alive for a call: with the default
    # thresholds the cyclic collector rescans them again and again (half of AnalyzeStack's time on
    # 10,000 resources). What the imports built is frozen out of its way; it runs less often.
    gc.freeze()
    gc.set_threshold(10_000, 50, 50)
    _policy._byside_wire = True


def resource_props(raw: dict[str, Any]) -> Any:
    """Raw (JSON) resource inputs -> what a policy's `args.props` is under the engine."""
    return unknown_checking_proxy(deserialize_keeping_secrets(raw))
