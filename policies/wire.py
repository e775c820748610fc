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

from collections import OrderedDict
from types import SimpleNamespace
from typing import Any, Callable

import pulumi_policy.policy as _policy
from google.protobuf import json_format
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, _deserialize_property
from pulumi_policy.proxy import unknown_checking_proxy
from pulumi_policy.secret import Secret


def _keep(prop: Any) -> Any:
    if isinstance(prop, list):
        return [_keep(e) for e in prop]
    if isinstance(prop, dict):
        if prop.get(SPECIAL_SIG_KEY) == SPECIAL_SECRET_SIG:
            return Secret(_keep(prop["value"]) if "value" in prop else None)
        if SPECIAL_SIG_KEY in prop:  # assets and archives: pulumi_policy's own handling
            return _deserialize_property(prop)
        return {k: _keep(v) for k, v in prop.items()}
    return prop


def deserialize_keeping_secrets(props: dict[str, Any], proxy_secrets: bool = False) -> dict[str, Any]:
    """Drop-in for pulumi_policy.deserialize.deserialize_properties; secrets stay Secret markers."""
    return {k: _keep(v) for k, v in props.items()}


class _IdentityMemo:
    """fn(x) remembered by the identity of x (x is held, so its id cannot be reused meanwhile).

    pulumi_policy's servicer rebuilds a resource's props for every policy: protobuf -> dict ->
    deserialized -> proxy, 20 times per resource (and per stack resource for each stack policy).
    The request objects stay the same across those calls, so each step is done once instead.
    Policies only read props, so sharing the read-only proxies between policies is safe.
    """

    def __init__(self, fn: Callable, maxsize: int = 65536):
        self.fn, self.maxsize = fn, maxsize
        self.cache: OrderedDict[int, tuple[Any, Any]] = OrderedDict()

    def __call__(self, x: Any, *args: Any) -> Any:
        hit = self.cache.get(id(x))
        if hit is not None and hit[0] is x:
            return hit[1]
        out = self.fn(x, *args)
        self.cache[id(x)] = (x, out)
        if len(self.cache) > self.maxsize:
            self.cache.popitem(last=False)
        return out


def install() -> None:
    """Make the served pack deserialize with `deserialize_keeping_secrets`, each resource once
    per request rather than once per policy (idempotent)."""
    if getattr(_policy, "_byside_wire", False):
        return
    _policy.json_format = SimpleNamespace(MessageToDict=_IdentityMemo(json_format.MessageToDict))
    _policy.deserialize_properties = _IdentityMemo(deserialize_keeping_secrets)
    _policy.unknown_checking_proxy = _IdentityMemo(unknown_checking_proxy)
    _policy._byside_wire = True


def resource_props(raw: dict[str, Any]) -> Any:
    """Raw (JSON) resource inputs -> what a policy's `args.props` is under the engine."""
    return unknown_checking_proxy(deserialize_keeping_secrets(raw))
