"""The zone fact that caused a finding, among the facts of the resource it is about.

Each policy and check is tied to the kinds of fact that can cause it (an ingress policy to the
allowlist CIDRs, the segment policy and the service ports; a backup policy to the backup
settings; ...). Among the resource's facts of those kinds, the ones the finding's message names
come first (a CIDR it quotes, or one inside it; a value it repeats), then the order of the kinds.
None when no fact of those kinds is there: the program line is then the finding's location. A
policy of no known kind (another pack's) is tied to the fact its message names, if any.
"""

from __future__ import annotations

import ipaddress
import re

from .facts import Fact

NETWORK = ("allowlist", "segment-policy", "service", "segment")
# Policy or check ID (or an ID prefix ending in "-" / "_") -> the kinds of fact that can cause it.
CAUSES: dict[str, tuple[str, ...]] = {
    "network-no-public-admin-ingress": NETWORK,
    "network-ingress-allowlisted": ("allowlist", "service"),
    "network-no-world-ingress": NETWORK,
    "network-segment-isolation": ("segment-policy", "segment"),
    "network-default-deny": ("segment",),
    "network-flow-logs": ("log-retention", "segment"),
    "vpn-": ("datacenter", "site"),
    "iam-": ("access",),
    "gcp-no-primitive-roles": ("access",),
    "backup-restore-tested": ("restore-test", "backup"),
    "backup-evidence": ("restore-test", "backup"),
    "backup-": ("backup",),
    "maintenance-window": ("window", "timezone"),
    "log-retention": ("log-retention",),
    "tags-required": ("tags",),
    "zone-declared": ("zone",),
    "monitoring-coverage": ("certificate", "monitoring", "operations", "datacenter"),
    "logging-audit-trail": ("audit-trail", "log-retention"),
    # checkov's checks the bridge gates, by what they read
    "CKV_AWS_23": NETWORK, "CKV_AWS_24": NETWORK, "CKV_AWS_25": NETWORK, "CKV_AWS_260": NETWORK,
    "CKV_AWS_277": NETWORK, "CKV_GCP_2": NETWORK, "CKV_GCP_3": NETWORK, "CKV2_GCP_12": NETWORK,
    "CKV_GCP_26": ("segment",), "CKV_GCP_74": ("segment",), "CKV2_AWS_11": ("segment",),
    "CKV_BYS_1": ("datacenter",), "CKV_BYS_2": ("allowlist", "service"), "CKV_BYS_3": ("backup",),
    "CKV_AWS_338": ("log-retention",), "CKV_AWS_66": ("log-retention",),
}
_CIDR = re.compile(r"[0-9a-fA-F:.]+/\d{1,3}")


def kinds_for(policy: str) -> tuple[str, ...]:
    if policy in CAUSES:
        return CAUSES[policy]
    prefixes = [p for p in CAUSES if p.endswith(("-", "_")) and policy.startswith(p)]
    return CAUSES[max(prefixes, key=len)] if prefixes else ()


def _nets(message: str) -> list:
    out = []
    for text in _CIDR.findall(message):
        try:
            out.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            continue
    return out


def _named(fact: Fact, message: str, nets: list) -> bool:
    try:
        net = ipaddress.ip_network(fact.value, strict=False)
    except ValueError:
        net = None
    if net is not None:
        # the message names this range, one inside it, or an aggregate of it — not the whole
        # internet, which holds every range
        return any(n.version == net.version and (n.subnet_of(net) or (n.prefixlen > 0 and net.subnet_of(n)))
                   for n in nets)
    return bool(fact.value) and fact.value in message


def cause(policy: str, message: str, facts: tuple[Fact, ...] | list[Fact]) -> Fact | None:
    """The fact that caused a finding of `policy` with this message, or None."""
    kinds = kinds_for(policy)
    nets = _nets(message)
    if not kinds:
        # A policy of no known kind (another pack's): the fact its message names, if one does.
        named = sorted(f for f in facts if f.kind not in ("tags", "zone") and _named(f, message, nets))
        return named[0] if named else None
    ranked = sorted((f for f in facts if f.kind in kinds),
                    key=lambda f: (not _named(f, message, nets), kinds.index(f.kind), f))
    if nets and ranked and not _named(ranked[0], message, nets):
        # The message names a range no fact of the resource holds (a source the zone data does not
        # declare): no zone line caused it; the program line is where it comes from.
        return None
    return ranked[0] if ranked else None
