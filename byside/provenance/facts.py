"""The zone facts, each with the file and line it is written at: what a resource can be traced back to.

Built once from the loaded zone model (`zones.Platform`, whose loader keeps every YAML node's
line). Pure: no Pulumi, no cloud SDK. A fact is named by its file relative to the repository root
when the zone data lives inside it (else the absolute path), its YAML path and its line.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Net = ipaddress.IPv4Network | ipaddress.IPv6Network

# What a fact is about; policies and checks are tied to the kinds that can cause them (causes.py).
KINDS = ("allowlist", "subscriber", "service", "segment", "segment-policy", "backup", "window", "timezone",
         "log-retention", "restore-test", "certificate", "monitoring", "operations", "audit-trail", "site",
         "datacenter", "access", "tags", "zone")


@dataclass(frozen=True, order=True)
class Fact:
    """One zone fact a resource was built from: `file:line` and the YAML path that holds it."""

    file: str  # relative to the repository root when inside it
    line: int
    path: str  # YAML path, e.g. allowlists[0].cidrs[1]
    kind: str
    value: str  # the fact as written (a CIDR, a port range, a number of days, a name)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "file": self.file, "line": self.line, "path": self.path, "value": self.value}

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Cidr:
    """A subscriber's allowlisted range: its fact, the network and the services it may reach."""

    fact: Fact
    subscriber: Fact
    net: Net
    services: tuple[str, ...]


@dataclass
class ZoneFacts:
    """Every fact of one zone, indexed the ways resources are matched against them."""

    zone: str
    zone_fact: Fact
    cidrs: list[Cidr] = field(default_factory=list)
    services: dict[str, list[tuple[tuple[str, int, int], Fact]]] = field(default_factory=dict)  # id -> ports
    segment_sites: dict[tuple[str, str], Fact] = field(default_factory=dict)  # (segment, site) -> cidr fact
    segment_nets: list[tuple[Net, str, str, Fact]] = field(default_factory=list)  # (net, segment, site, fact)
    vlans: dict[tuple[str, int], Fact] = field(default_factory=dict)  # (dc, vlan) -> fact
    policy: list[tuple[str, str, tuple[str, int, int], Fact]] = field(default_factory=list)  # from, to, span
    backup: dict[str, Fact] = field(default_factory=dict)
    window: Fact | None = None
    timezone: Fact | None = None
    log_retention: dict[str, Fact] = field(default_factory=dict)
    restore_test: Fact | None = None
    certificates: dict[str, Fact] = field(default_factory=dict)
    site: dict[str, Fact] = field(default_factory=dict)  # "aws.region", "gcp.asn", ...
    datacenters: dict[str, dict[str, Fact]] = field(default_factory=dict)  # dc -> {"edge:<ip>", "asn", "dc"}
    owner: Fact | None = None
    teams: dict[str, Fact] = field(default_factory=dict)  # team id -> fact (access.yaml)
    groups: dict[str, Fact] = field(default_factory=dict)  # directory group -> team fact
    levels: dict[str, Fact] = field(default_factory=dict)  # level -> fact (access.yaml)
    platform: dict[str, Fact] = field(default_factory=dict)  # platform-wide facts by name


def _rel(path: Path | None, name: str, root: Path) -> str:
    p = Path(path) if path else Path(name).absolute()
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return os.fspath(p)


class _Source:
    """One zone file's facts: its name relative to the root and the line of each YAML path."""

    def __init__(self, src, root: Path):
        self.src = src
        self.file = _rel(getattr(src, "path", None), src.name, root)

    def fact(self, path: tuple, kind: str, value: Any) -> Fact:
        from zones.issues import format_path

        return Fact(self.file, self.src.line(path), format_path(path), kind, str(value))


def _span(p) -> tuple[str, int, int]:
    return (p.protocol, p.from_port, p.to_port)


def build(platform, root: Path) -> dict[str, ZoneFacts]:
    """zone id -> its facts, for every zone of the model."""
    src = {k: _Source(s, root) for k, s in platform.sources.items()}
    plat, pf = platform.platform, src["platform"]
    platform_facts = {
        "data-classification": pf.fact(("data_classification",), "tags", plat.data_classification),
        "operations-email": pf.fact(("operations_email",), "operations", plat.operations_email),
        "certificate-warning-days": pf.fact(("monitoring", "certificate_warning_days"), "monitoring",
                                            plat.monitoring.certificate_warning_days),
        "siem": pf.fact(("audit_trail", "siem"), "audit-trail", plat.audit_trail.siem.sink_destination()),
    }
    for i, svc in enumerate(plat.audit_trail.gcp_data_access_services):
        platform_facts[f"data-access:{svc}"] = pf.fact(("audit_trail", "gcp_data_access_services", i), "audit-trail", svc)
    services: dict[str, list[tuple[tuple[str, int, int], Fact]]] = {}
    for i, svc in enumerate(plat.services):
        services[svc.id] = [(_span(p), pf.fact(("services", i, "ports", j), "service", f"{svc.id} {p.label}"))
                            for j, p in enumerate(svc.ports)]
    subs = {s.id: src["subscribers"].fact(("subscribers", k), "subscriber", s.id)
            for k, s in enumerate(platform.subscribers.values())}
    dcs = {}
    for k, (dc_id, dc) in enumerate(platform.datacenters.items()):
        d = src["datacenters"]
        facts = {"dc": d.fact(("datacenters", k), "datacenter", dc_id),
                 "asn": d.fact(("datacenters", k, "bgp_asn"), "datacenter", dc.bgp_asn)}
        for j, ip in enumerate(dc.vpn_edge_ips):
            facts[f"edge:{ip}"] = d.fact(("datacenters", k, "vpn_edge_ips", j), "datacenter", ip)
        dcs[dc_id] = facts
    acc = src["access"]
    teams = {t.id: acc.fact(("teams", i), "access", t.id) for i, t in enumerate(platform.access.teams)}
    groups = {}
    for t in platform.access.teams:
        groups[t.gcp_group] = groups[t.aws_identity_group] = teams[t.id]
    levels = {lvl: acc.fact(("levels", lvl), "access", lvl) for lvl in platform.access.levels}

    out: dict[str, ZoneFacts] = {}
    for zid, zone in platform.zones.items():
        z = src[zid]
        zf = ZoneFacts(zone=zid, zone_fact=z.fact(("id",), "zone", zid), services=services,
                       teams=teams, groups=groups, levels=levels, platform=platform_facts)
        for i, al in enumerate(zone.allowlists):
            for j, text in enumerate(al.cidrs):
                zf.cidrs.append(Cidr(z.fact(("allowlists", i, "cidrs", j), "allowlist", text),
                                     subs.get(al.subscriber) or z.fact(("allowlists", i, "subscriber"), "subscriber",
                                                                       al.subscriber),
                                     ipaddress.ip_network(text, strict=False), tuple(al.services)))
        for i, seg in enumerate(zone.segments):
            for site, placement in seg.sites.items():
                f = z.fact(("segments", i, "sites", site, "cidr"), "segment", f"{seg.name} {site} {placement.cidr}")
                zf.segment_sites[(seg.name, site)] = f
                zf.segment_nets.append((ipaddress.ip_network(placement.cidr, strict=False), seg.name, site, f))
                if placement.vlan is not None:
                    zf.vlans[(site, placement.vlan)] = z.fact(("segments", i, "sites", site, "vlan"), "segment",
                                                              f"{seg.name} {site} VLAN {placement.vlan}")
        for i, rule in enumerate(zone.segment_policy):
            for j, p in enumerate(rule.ports):
                zf.policy.append((rule.from_, rule.to, _span(p),
                                  z.fact(("segment_policy", i, "ports", j), "segment-policy",
                                         f"{rule.from_} -> {rule.to} {p.label}")))
        b = zone.backup
        for key in ("daily", "weekly", "monthly", "rpo_hours", "rto_hours", "start", "scope"):
            zf.backup[key] = z.fact(("backup", key), "backup", getattr(b, key))
        zf.backup["selection_tag"] = z.fact(("backup", "selection_tag"), "backup",
                                            f"{b.selection_tag.key}={b.selection_tag.value}")
        zf.window = z.fact(("maintenance_window",), "window", f"{zone.maintenance_window.start}-"
                                                               f"{zone.maintenance_window.end}")
        zf.timezone = z.fact(("timezone",), "timezone", zone.timezone)
        zf.log_retention = {k: z.fact(("log_retention", k), "log-retention", f"{k} {v} days")
                            for k, v in zone.log_retention.items()}
        zf.restore_test = z.fact(("restore_test",), "restore-test", f"day {zone.restore_test.day_of_month}, "
                                 f"{zone.restore_test.validation_hours} h validation")
        zf.certificates = {c.name: z.fact(("certificates", i), "certificate", f"{c.name} {c.domain}")
                           for i, c in enumerate(zone.certificates)}
        for cloud in ("aws", "gcp"):
            site = getattr(zone, cloud)
            if site is None:
                continue
            for key, value in site.model_dump().items():
                zf.site[f"{cloud}.{key}"] = z.fact((cloud, key), "site", value)
        zf.datacenters = {d: dcs[d] for d in zone.datacenters if d in dcs}
        zf.owner = z.fact(("owner",), "tags", zone.owner)
        out[zid] = zf
    return out
