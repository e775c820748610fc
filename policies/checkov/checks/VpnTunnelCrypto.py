"""CKV_BYS_1: every VPN tunnel pins strong IKE/IPsec crypto (checkov has no check for it).

Runs inside checkov's own environment: plain Python, no import from the project. The accepted
algorithms come from the parameters file the bridge writes (env BYSIDE_CHECKOV_PARAMS, built from
policies/vpn.py so the pack and this check accept the same set); without it the check is UNKNOWN.
"""

from __future__ import annotations

import json
import os
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


def _params() -> dict[str, Any] | None:
    path = os.environ.get("BYSIDE_CHECKOV_PARAMS")
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _values(conf: dict[str, Any], key: str) -> list[Any]:
    """A plan attribute as a flat list: [[a, b]] / [a] / [None] / missing -> [a, b] / [a] / []."""
    raw = conf.get(key)
    out: list[Any] = []
    stack = [raw]
    while stack:
        v = stack.pop(0)
        if isinstance(v, list):
            stack[:0] = v
        elif v is not None:
            out.append(v)
    return out


def _block(conf: dict[str, Any], key: str) -> dict[str, Any] | None:
    raw = conf.get(key)
    if isinstance(raw, list) and raw and isinstance(raw[0], dict):
        return raw[0]
    return None


class VpnTunnelCrypto(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every VPN tunnel pins IKEv2, AES-256, SHA2-384+ and DH group 20/21",
            id="CKV_BYS_1",
            categories=(CheckCategories.NETWORKING, CheckCategories.ENCRYPTION),
            supported_resources=("aws_vpn_connection", "google_compute_vpn_tunnel"),
        )
        self.details: list[str] = []

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        params = _params()
        if params is None:
            return CheckResult.UNKNOWN
        problems = (self._aws(conf, params["vpn"]["aws"]) if self.entity_type == "aws_vpn_connection"
                    else self._gcp(conf, params["vpn"]["gcp"]))
        self.details = problems
        return CheckResult.FAILED if problems else CheckResult.PASSED

    def _aws(self, conf: dict[str, Any], allowed: dict[str, list[Any]]) -> list[str]:
        problems = []
        for tunnel in ("tunnel1", "tunnel2"):
            for option, ok in sorted(allowed.items()):
                key = f"{tunnel}_{option}"
                values = _values(conf, key)
                if not values:
                    problems.append(f"{key} not set (AWS then accepts weak defaults)")
                    self.evaluated_keys.append(key)
                    continue
                bad = [v for v in values if v not in ok and str(v) not in map(str, ok)]
                if bad:
                    problems.append(f"{key} allows {', '.join(map(str, bad))}")
                    self.evaluated_keys.append(key)
        return problems

    def _gcp(self, conf: dict[str, Any], allowed: dict[str, Any]) -> list[str]:
        problems = []
        version = _values(conf, "ike_version")
        if version and str(version[0]) != str(allowed["ike_version"]):
            problems.append(f"ike_version is {version[0]}")
        suite = _block(conf, "cipher_suite")
        if suite is None:
            return problems + ["cipher_suite not set (GCP then proposes weak ciphers)"]
        for phase in ("phase1", "phase2"):
            block = _block(suite, phase)
            if block is None:
                problems.append(f"cipher_suite.{phase} not set")
                continue
            encryption = [str(v) for v in _values(block, "encryption")]
            # AES-GCM (AEAD) is encryption and integrity in one: Google documents no integrity for it.
            aead_only = bool(encryption) and all(e.startswith("AES-GCM") for e in encryption)
            for field, ok in sorted(allowed[phase].items()):
                values = [str(v) for v in _values(block, field)]
                if field == "integrity" and aead_only:
                    if values:
                        problems.append(f"cipher_suite.{phase}.integrity set with AES-GCM only")
                    continue
                if not values:
                    problems.append(f"cipher_suite.{phase}.{field} not set")
                    continue
                bad = [v for v in values if v not in ok]
                if bad:
                    problems.append(f"cipher_suite.{phase}.{field} allows {', '.join(bad)}")
        return problems


check = VpnTunnelCrypto()
