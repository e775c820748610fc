"""`byside drift`: what is deployed (AWS prefix lists, security groups, VPN connections; GCP
firewall rules, VPN tunnels) against what zones/ declares.

declared.py (pure) builds the declared state from the zone model; aws.py and gcp.py are the only
SDK readers; compare.py (pure) lists every difference; report.py renders JSON/text.
"""

from __future__ import annotations

from .compare import KINDS, Drift, NotVerifiable, compare
from .declared import DeclaredZone, declared_zone
from .live import LiveZone, ReadError
from .report import doc

CLOUDS = ("aws", "gcp")


def run(platform, zone_ids: list[str], clouds: tuple[str, ...] = CLOUDS, aws_endpoint_url: str | None = None,
        gcp_endpoint: str | None = None) -> dict:
    """Read, compare and return the report document; ReadError when a cloud cannot be read."""
    from .aws import read_aws
    from .gcp import read_gcp

    drift: list[Drift] = []
    nv: list[NotVerifiable] = []
    read: dict[str, list[str]] = {}
    checked: dict[str, dict[str, int]] = {}
    for z in zone_ids:
        decl = declared_zone(platform, z)
        live = LiveZone(zone=z)
        read[z] = []
        if "aws" in clouds and decl.aws_region:
            read_aws(live, decl.aws_region, aws_endpoint_url)
            read[z].append("aws")
        if "gcp" in clouds and decl.gcp_project:
            read_gcp(live, decl.gcp_project, decl.gcp_region, gcp_endpoint)
            read[z].append("gcp")
        d, n = compare(decl, live)
        drift += d
        nv += n
        checked[z] = {"prefix_lists": len(live.prefix_lists), "security_groups": len(live.security_groups),
                      "vpn_connections": len(live.vpns), "firewall_rules": len(live.firewalls),
                      "vpn_tunnels": len(live.tunnels)}
    return doc(list(zone_ids), read, checked, sorted(drift), sorted(nv))


__all__ = ["CLOUDS", "KINDS", "DeclaredZone", "Drift", "LiveZone", "NotVerifiable", "ReadError", "compare",
           "declared_zone", "run"]
