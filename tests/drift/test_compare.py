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


# ---------------------------------------------------------------- property: CIDR differences

from hypothesis import given, settings, strategies as st  # noqa: E402

from audits.drift.live import LivePrefixList  # noqa: E402

_DECL = []


def _we1():
    if not _DECL:
        _DECL.append(declared_zone(zones.load_platform(), "we1"))
    return _DECL[0]


_EXTRA = st.sets(st.integers(0, 255).map(lambda i: f"100.64.{i}.0/24"), max_size=5)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), extra=_EXTRA)
def test_prefix_list_drift_is_exactly_the_set_difference(data, extra):
    """Whatever is removed from and added to the live lists, the report names exactly those CIDRs."""
    decl = _we1()
    live = LiveZone(zone="we1", aws_read=True)
    removed: dict[str, set] = {}
    for name, pl in sorted(decl.prefix_lists.items()):
        gone = data.draw(st.sets(st.sampled_from(sorted(pl.entries))), label=name)
        removed[name] = gone
        add = extra if pl.family == 4 and name.endswith("api-v4-1") else set()
        live.prefix_lists.append(LivePrefixList(f"pl-{name}", name, {"zone": "we1", "service": pl.service},
                                                frozenset((pl.entries - gone) | add)))
    drift, _ = compare(decl, live)
    got = {(d.resource, d.kind, d.detail.split(" ")[0]) for d in drift if d.resource.startswith("prefix-list/")}
    want = {(f"prefix-list/{n}", "missing-cidr", c) for n, gone in removed.items() for c in gone}
    want |= {("prefix-list/we1-api-v4-1", "extra-cidr", c) for c in extra}
    assert got == want
