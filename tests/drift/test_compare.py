"""compare.py on AWS tunnel options, which moto does not return: live data as AWS's
DescribeVpnConnections gives it (Options.TunnelOptions), judged against infra/plans.py's suite."""

from __future__ import annotations

import zones
from audits.drift import LiveZone, compare, declared_zone
from audits.drift.live import LiveVpn

STRONG = {"IkeVersions": ["ikev2"], "Phase1EncryptionAlgorithms": ["AES256-GCM-16"],
          "Phase2EncryptionAlgorithms": ["AES256-GCM-16"], "Phase1IntegrityAlgorithms": ["SHA2-384"],
          "Phase2IntegrityAlgorithms": ["SHA2-384"], "Phase1DHGroupNumbers": [20, 21], "Phase2DHGroupNumbers": [20, 21]}


def _live(tunnels) -> LiveZone:
    live = LiveZone(zone="we1", aws_read=True)
    live.vpns = [LiveVpn("vpn-1", {"zone": "we1", "datacenter": "dc-lis"}, "198.51.100.10", tunnels),
                 LiveVpn("vpn-2", {"zone": "we1", "datacenter": "dc-lis"}, "198.51.100.11", [STRONG, STRONG])]
    return live


def _vpn_drift(tunnels):
    decl = declared_zone(zones.load_platform(), "we1")
    drift, nv = compare(decl, _live(tunnels))
    return [(d.resource, d.kind, d.detail) for d in drift if d.resource.startswith("vpn")], nv


def test_declared_suite_on_both_tunnels_is_in_sync():
    assert _vpn_drift([STRONG, STRONG]) == ([], [])


def test_weakened_tunnel_options_are_each_reported():
    weak = dict(STRONG, IkeVersions=["ikev1", "ikev2"], Phase1IntegrityAlgorithms=["SHA1", "SHA2-384"],
                Phase2DHGroupNumbers=[2, 20], Phase2EncryptionAlgorithms=[])
    assert _vpn_drift([STRONG, weak]) == ([
        ("vpn-connection/vpn-1", "weakened-vpn", "tunnel 2 IkeVersions allows ikev1 (declared ikev2)"),
        ("vpn-connection/vpn-1", "weakened-vpn", "tunnel 2 Phase1IntegrityAlgorithms allows SHA1 (declared SHA2-384)"),
        ("vpn-connection/vpn-1", "weakened-vpn", "tunnel 2 Phase2DHGroupNumbers allows 2 (declared 20, 21)"),
        ("vpn-connection/vpn-1", "weakened-vpn",
         "tunnel 2 Phase2EncryptionAlgorithms not set: AWS then accepts its defaults (declared AES256-GCM-16)"),
    ], [])


def test_missing_vpn_to_an_edge_is_reported():
    decl = declared_zone(zones.load_platform(), "we1")
    live = LiveZone(zone="we1", aws_read=True)
    live.vpns = [LiveVpn("vpn-2", {"zone": "we1", "datacenter": "dc-lis"}, "198.51.100.11", [STRONG, STRONG])]
    drift, _ = compare(decl, live)
    assert [(d.resource, d.kind, d.detail) for d in drift if d.resource.startswith("vpn")] == [
        ("vpn-connection/dc-lis/198.51.100.10", "missing-resource",
         "no VPN connection tagged zone=we1, datacenter=dc-lis to edge 198.51.100.10")]
