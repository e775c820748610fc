"""VPN policies: strong IKE/IPsec crypto on every tunnel, and redundancy with BGP."""

from __future__ import annotations

from typing import Any

from .build import resource_policy, stack_policy
from .common import UNKNOWN, as_list, display, get, number
from .network import linked, value_index

AWS_VPN = "aws:ec2/vpnConnection:VpnConnection"
GCP_TUNNEL = "gcp:compute/vPNTunnel:VPNTunnel"
GCP_HA_GATEWAY = "gcp:compute/haVpnGateway:HaVpnGateway"

# AWS Site-to-Site VPN tunnel options. What AWS offers when an option is left unset is the weak
# part: every version, cipher and group it supports.
AWS_ALLOWED: dict[str, tuple[set, str]] = {
    "IkeVersions": ({"ikev2"}, "ikev1"),
    "Phase1EncryptionAlgorithms": ({"AES256", "AES256-GCM-16"}, "AES128"),
    "Phase2EncryptionAlgorithms": ({"AES256", "AES256-GCM-16"}, "AES128"),
    "Phase1IntegrityAlgorithms": ({"SHA2-384", "SHA2-512"}, "SHA1"),
    "Phase2IntegrityAlgorithms": ({"SHA2-384", "SHA2-512"}, "SHA1"),
    # Groups 22-24 are numerically above 20 but are RFC 5114 MODP groups weaker than 20/21.
    "Phase1DhGroupNumbers": ({20, 21}, "groups 2 and 14"),
    "Phase2DhGroupNumbers": ({20, 21}, "groups 2 and 14"),
}

# GCP Cloud VPN: what Google accepts, from "Supported IKE ciphers" (cloud.google.com/network-connectivity/
# docs/vpn/concepts/supported-ike-ciphers, the IKEv2 tables; configuration values are case-sensitive).
# AEAD ciphers (AES-GCM) are "Encryption & Integrity" in one role: the tables give them no integrity
# algorithm, so a phase proposing only AES-GCM takes no `integrities` (the Terraform provider's own
# acceptance test, TestAccComputeVpnTunnel_cipherSuite, sends GCM without integrity too).
GCP_AEAD = {"AES-GCM-16-128", "AES-GCM-16-192", "AES-GCM-16-256"}
_GCP_GROUPS = {"Group-14", "modp-2048-224", "modp-2048-256", "Group-5", "Group-15", "Group-16", "Group-18",
               "Group-2", "modp-1024-160", "Group-19", "Group-20", "Group-21", "Group-31"}
_GCP_PRFS = {"PRF-AES128-XCBC", "PRF-AES128-CMAC", "PRF-HMAC-SHA1", "PRF-HMAC-MD5", "PRF-HMAC-SHA2-256",
             "PRF-HMAC-SHA2-384", "PRF-HMAC-SHA2-512"}
GCP_DOCUMENTED: dict[str, dict[str, set]] = {
    "phase1": {"encryptions": GCP_AEAD | {"AES-CBC-128", "AES-CBC-192", "AES-CBC-256", "3DES-CBC"},
               "integrities": {"AES-XCBC-96", "AES-CMAC-96", "HMAC-SHA1-96", "HMAC-MD5-96", "HMAC-SHA2-256-128",
                               "HMAC-SHA2-384-192", "HMAC-SHA2-512-256"},
               "prves": _GCP_PRFS, "dhs": _GCP_GROUPS},
    # Phase 2 (ESP) offers fewer integrity algorithms than phase 1: no HMAC-SHA2-384-192.
    "phase2": {"encryptions": GCP_AEAD | {"AES-CBC-128", "AES-CBC-192", "AES-CBC-256"},
               "integrities": {"HMAC-SHA2-256-128", "HMAC-SHA2-512-256", "HMAC-SHA1-96"},
               "pfs": _GCP_GROUPS},
}
# What this pack accepts of those: 256-bit AES, SHA2-384 or stronger, DH groups 20/21.
GCP_ENCRYPTION = {"AES-GCM-16-256", "AES-CBC-256"}
GCP_PRF = {"PRF-HMAC-SHA2-384", "PRF-HMAC-SHA2-512"}
GCP_DH = {"Group-20", "Group-21"}
GCP_FIELDS: dict[str, dict[str, tuple[set, str]]] = {
    "phase1": {"encryptions": (GCP_ENCRYPTION, "AES-CBC-128"),
               "integrities": ({"HMAC-SHA2-384-192", "HMAC-SHA2-512-256"}, "HMAC-SHA1-96"),
               "prves": (GCP_PRF, "PRF-HMAC-SHA1"), "dhs": (GCP_DH, "Group-2 and Group-14")},
    "phase2": {"encryptions": (GCP_ENCRYPTION, "AES-CBC-128"),
               "integrities": ({"HMAC-SHA2-512-256"}, "HMAC-SHA1-96"),
               "pfs": (GCP_DH, "Group-2 and Group-14")},
}


def _norm(value: Any) -> Any:
    n = number(value)
    return int(n) if n is not None and not isinstance(value, str) else (str(value) if value is not None else value)


def _fmt(values) -> str:
    # numbers in numeric order (DH groups), names alphabetically
    return ", ".join(str(v) for v in sorted(values, key=lambda v: (isinstance(v, str), v if isinstance(v, int) else 0, str(v))))


def _aws_crypto(props: Any) -> list[str]:
    problems = []
    for tunnel in ("tunnel1", "tunnel2"):
        for field, (allowed, weak) in AWS_ALLOWED.items():
            key = f"{tunnel}{field}"
            raw = get(props, key)
            if raw is UNKNOWN:
                continue
            values = [_norm(v) for v in as_list(raw) if v is not UNKNOWN]
            if not values:
                problems.append(f"{key} is not set: AWS then also accepts {weak}")
                continue
            bad = [v for v in values if v not in allowed]
            if bad:
                problems.append(f"{key} allows {_fmt(bad)} (allowed: {_fmt(allowed)})")
    return problems


def _gcp_crypto(props: Any) -> list[str]:
    problems = []
    version = get(props, "ikeVersion")
    if version is not UNKNOWN and version is not None and number(version) != 2:
        # Over gRPC every number is a float (protobuf Struct): print 1, not 1.0.
        problems.append(f"ikeVersion is {_norm(version)}: only IKEv2 is allowed")
    suite = get(props, "cipherSuite")
    if suite is UNKNOWN:
        return problems
    if suite is None:
        return problems + ["cipherSuite is not set: GCP then proposes every supported cipher, "
                           "including HMAC-SHA1-96 and DH Group-2 and Group-14"]
    for phase, fields in GCP_FIELDS.items():
        block = get(suite, phase)
        if block is None:
            problems.append(f"cipherSuite.{phase} is not set: GCP then proposes every supported cipher")
            continue
        if block is UNKNOWN:
            continue
        problems += _gcp_phase(phase, block, fields)
    return problems


def _gcp_phase(phase: str, block: Any, fields: dict[str, tuple[set, str]]) -> list[str]:
    problems = []
    values = {f: [str(v) for v in as_list(get(block, f)) if v is not UNKNOWN] for f in fields}
    encryptions = values["encryptions"]
    aead_only = bool(encryptions) and all(e.startswith("AES-GCM") for e in encryptions)
    for field, (allowed, weak) in fields.items():
        key = f"cipherSuite.{phase}.{field}"
        if not values[field]:
            if field == "integrities" and aead_only:
                continue  # AES-GCM is encryption and integrity in one
            problems.append(f"{key} is not set: GCP then also proposes {weak}")
            continue
        if field == "integrities" and aead_only:
            problems.append(f"{key} is set with AES-GCM only: Google documents AES-GCM as encryption and "
                            f"integrity in one, with no integrity algorithm; omit {field}")
            continue
        unknown = [v for v in values[field] if v not in GCP_DOCUMENTED[phase][field]]
        if unknown:
            problems.append(f"{key} has {_fmt(unknown)}: not a {phase} value Google Cloud VPN documents "
                            f"(supported IKE ciphers)")
        bad = [v for v in values[field] if v not in allowed and v not in unknown]
        if bad:
            problems.append(f"{key} allows {_fmt(bad)} (allowed: {_fmt(allowed)})")
    return problems


def _strong_crypto(args, report_violation) -> None:
    if args.resource_type == AWS_VPN:
        problems = _aws_crypto(args.props)
    elif args.resource_type == GCP_TUNNEL:
        problems = _gcp_crypto(args.props)
    else:
        return
    for p in problems:
        report_violation(p, None)


strong_crypto = resource_policy("vpn-strong-crypto", _strong_crypto)


def _redundant(args, report_violation) -> None:
    gateways = {r.urn: r for r in args.resources if r.resource_type == GCP_HA_GATEWAY}
    values = value_index(gateways.values())
    interfaces: dict[str, set[int]] = {urn: set() for urn in gateways}
    for r in args.resources:
        name = display(r.urn, r.name)
        if r.resource_type == AWS_VPN:
            if get(r.props, "staticRoutesOnly") is True:
                report_violation(f"VPN connection {name} uses static routes only: BGP is required so traffic fails "
                                 f"over between its two tunnels", r.urn)
        elif r.resource_type == GCP_TUNNEL:
            if get(r.props, "targetVpnGateway") is not None and get(r.props, "vpnGateway") is None:
                report_violation(f"VPN tunnel {name} is Classic VPN (targetVpnGateway): no 99.99% SLA; use an HA VPN "
                                 f"gateway", r.urn)
                continue
            if get(r.props, "router") is None:
                report_violation(f"VPN tunnel {name} has no Cloud Router: BGP routing is required", r.urn)
            iface = number(get(r.props, "vpnGatewayInterface"))
            for gw in linked(r, "vpnGateway", gateways, values):
                if iface is not None:
                    interfaces[gw.urn].add(int(iface))
    for urn, gw in gateways.items():
        declared = as_list(get(gw.props, "vpnInterfaces"))
        expected = set(range(len(declared))) if declared and UNKNOWN not in declared else {0, 1}
        missing = sorted(expected - interfaces[urn])
        if missing:
            report_violation(f"HA VPN gateway {display(urn, gw.name)} has no tunnel on interface "
                             f"{', '.join(map(str, missing))}: 99.99% needs tunnels from every interface", urn)


redundant = stack_policy("vpn-redundant", _redundant)

POLICIES = [strong_crypto, redundant]
