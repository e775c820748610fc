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

from typing import Any

import pulumi_policy.policy as _policy
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


def install() -> None:
    """Make the served pack deserialize with `deserialize_keeping_secrets` (idempotent)."""
    _policy.deserialize_properties = deserialize_keeping_secrets


def resource_props(raw: dict[str, Any]) -> Any:
    """Raw (JSON) resource inputs -> what a policy's `args.props` is under the engine."""
    return unknown_checking_proxy(deserialize_keeping_secrets(raw))
