"""A zone as plain data for `byside zones show` (text and JSON render the same dict)."""

from __future__ import annotations

from datetime import date

from .allowlist import QuotaExceeded, compile_zone
from .platform import Platform
from .windows import window_on


def describe_zone(p: Platform, zone_id: str, on: date) -> dict:
    z = p.zone(zone_id)
    sites: dict = {"datacenters": [
        {"id": d, "vendor": p.datacenters[d].vendor, "city": p.datacenters[d].city,
         "provisioning": p.datacenters[d].provisioning, "vpn_edge_ips": list(p.datacenters[d].vpn_edge_ips),
         "bgp_asn": p.datacenters[d].bgp_asn, "hosts_segments": bool(z.dc_segments(d))}
        for d in z.datacenters]}
    if z.aws:
        sites["aws"] = {"region": z.aws.region, "account_id": z.aws.account_id,
                        "availability_zones": list(z.aws.availability_zones), "asn": z.aws.asn}
    if z.gcp:
        sites["gcp"] = {"project": z.gcp.project, "region": z.gcp.region, "asn": z.gcp.asn}
    try:
        allowlists = [a.summary() for a in compile_zone(p, zone_id)]
        packing_error = None
    except QuotaExceeded as exc:
        allowlists, packing_error = [], str(exc)
    return {
        "id": z.id,
        "name": z.name,
        "owner": z.owner,
        "timezone": z.timezone,
        "sites": sites,
        "segments": [
            {"name": s.name, "purpose": s.purpose, "multi_az": s.multi_az,
             "sites": {site: {"cidr": pl.cidr, **({"vlan": pl.vlan} if pl.vlan is not None else {})}
                       for site, pl in s.sites.items()}}
            for s in z.segments
        ],
        "segment_policy": [
            {"from": r.from_, "to": r.to, "ports": [x.label for x in r.ports], "description": r.description}
            for r in z.segment_policy
        ],
        "allowlists": allowlists,
        "allowlist_packing_error": packing_error,
        "maintenance_window": window_on(z.maintenance_window, z.timezone, on).as_dict(),
        "backup": z.backup.model_dump(),
        "log_retention_days": dict(z.log_retention),
        "restore_test": z.restore_test.model_dump(),
        "certificates": [c.model_dump(exclude_none=True) for c in z.certificates],
        "subscribers": [{"id": s.id, "name": s.name, "country": s.country}
                        for s in sorted(p.subscribers.values(), key=lambda s: s.id) if s.zone == zone_id],
    }
