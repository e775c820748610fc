"""Whole-platform rules: what no single file can check on its own.

Each rule returns Issues naming file, YAML path and line; all rules run, so one call
lists every problem, not just the first.
"""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo, available_timezones

from .addressing import is_documentation, overlaps, parse_cidr, public_problem
from .issues import Issue
from .loader import SourceFile
from .model import DataCentersFile, SubscribersFile
from .platform import Platform
from . import validate_cloud, validate_egress, validate_promises

CLOUDS = ("aws", "gcp")


def validate(p: Platform, dcs: DataCentersFile, subs: SubscribersFile) -> list[Issue]:
    issues: list[Issue] = []
    for rule in (_unique_ids, _datacenters, _references, _addresses, _vlans, _windows, _allowlists, _retention):
        issues += rule(p, dcs, subs)
    issues += validate_promises.validate(p)  # monitoring, audit trail, notices (issue 13)
    issues += validate_cloud.validate(p)  # what the clouds' APIs would reject (issue 11)
    issues += validate_egress.validate(p)  # egress declarations (issue 11)
    return issues


def _dupes(src: SourceFile, ids: list[str], path_of, what: str) -> list[Issue]:
    seen: dict[str, int] = {}
    out = []
    for i, ident in enumerate(ids):
        if ident in seen:
            first = src.line(path_of(seen[ident]))
            out.append(src.issue(path_of(i), f"duplicate {what} {ident!r} (first at line {first})"))
        else:
            seen[ident] = i
    return out


def _unique_ids(p: Platform, dcs, subs) -> list[Issue]:
    s = p.sources
    out = _dupes(s["datacenters"], [d.id for d in dcs.datacenters], lambda i: ("datacenters", i, "id"), "data centre id")
    out += _dupes(s["subscribers"], [x.id for x in subs.subscribers], lambda i: ("subscribers", i, "id"), "subscriber id")
    out += _dupes(s["platform"], [x.id for x in p.platform.services], lambda i: ("services", i, "id"), "service id")
    out += _dupes(s["access"], [t.id for t in p.access.teams], lambda i: ("teams", i, "id"), "team id")
    for zid, z in p.zones.items():
        src = s[zid]
        out += _dupes(src, [g.name for g in z.segments], lambda i: ("segments", i, "name"), "segment name")
        out += _dupes(src, [a.subscriber for a in z.allowlists], lambda i: ("allowlists", i, "subscriber"), "allowlist for subscriber")
    return out


def _datacenters(p: Platform, dcs, subs) -> list[Issue]:
    src = p.sources["datacenters"]
    out = []
    for i, dc in enumerate(dcs.datacenters):
        if dc.provisioning == "vsphere" and dc.vsphere is None:
            out.append(src.issue(("datacenters", i, "vsphere"), "provisioning is `vsphere` but no vsphere: {datacenter, distributed_switch} given"))
        for j, ip in enumerate(dc.vpn_edge_ips):
            net, err = parse_cidr(f"{ip}/{32 if ':' not in ip else 128}")
            path = ("datacenters", i, "vpn_edge_ips", j)
            if err:
                out.append(src.issue(path, f"{ip!r} is not an IP address"))
            elif is_documentation(net):
                out.append(src.issue(path, f"{ip} is a documentation address (RFC 5737/3849)", "warning"))
            elif public_problem(net):
                out.append(src.issue(path, f"{ip} is {public_problem(net)}: a VPN edge must be a public address"))
        if dc.timezone is not None and dc.timezone not in available_timezones():
            out.append(src.issue(("datacenters", i, "timezone"), f"unknown IANA timezone {dc.timezone!r}"))
    return out


def _references(p: Platform, dcs, subs) -> list[Issue]:
    out = []
    s = p.sources
    services = {x.id for x in p.platform.services}
    teams = {t.id for t in p.access.teams}
    for i, sub in enumerate(subs.subscribers):
        if sub.zone not in p.zones:
            out.append(s["subscribers"].issue(("subscribers", i, "zone"), f"unknown zone {sub.zone!r}"))
    for i, team in enumerate(p.access.teams):
        for j, zid in enumerate(team.zones):
            if zid not in p.zones:
                out.append(s["access"].issue(("teams", i, "zones", j), f"unknown zone {zid!r}"))
        for cloud in CLOUDS:
            for j, level in enumerate(getattr(team, cloud)):
                if level not in p.access.levels:
                    out.append(s["access"].issue(("teams", i, cloud, j), f"unknown access level {level!r}"))
    for zid, z in p.zones.items():
        src = s[zid]
        if z.owner not in teams:
            out.append(src.issue(("owner",), f"unknown team {z.owner!r}"))
        for j, dc in enumerate(z.datacenters):
            if dc not in p.datacenters:
                out.append(src.issue(("datacenters", j), f"unknown data centre {dc!r}"))
        sites = set(z.datacenters) | {c for c in CLOUDS if getattr(z, c) is not None}
        names = {g.name for g in z.segments}
        for i, seg in enumerate(z.segments):
            for site in seg.sites:
                if site not in sites:
                    out.append(src.issue(("segments", i, "sites", site), f"unknown site {site!r}; this zone's sites are {', '.join(sorted(sites))}"))
        for i, rule in enumerate(z.segment_policy):
            for key, seg in (("from", rule.from_), ("to", rule.to)):
                if seg not in names:
                    out.append(src.issue(("segment_policy", i, key), f"unknown segment {seg!r}"))
        for i, al in enumerate(z.allowlists):
            sub = p.subscribers.get(al.subscriber)
            if sub is None:
                out.append(src.issue(("allowlists", i, "subscriber"), f"unknown subscriber {al.subscriber!r}"))
            elif sub.zone != zid:
                out.append(src.issue(("allowlists", i, "subscriber"), f"subscriber {al.subscriber!r} is assigned to zone {sub.zone!r}, not {zid!r}"))
            for j, svc in enumerate(al.services):
                if svc not in services:
                    out.append(src.issue(("allowlists", i, "services", j), f"unknown service {svc!r}"))
                elif p.service(svc).segment not in names:
                    out.append(src.issue(("allowlists", i, "services", j), f"service {svc!r} listens in segment {p.service(svc).segment!r}, which this zone lacks"))
    return out


def _addresses(p: Platform, dcs, subs) -> list[Issue]:
    """Malformed CIDRs, and overlaps across every segment of every zone and site."""
    out = []
    placed = []
    for zid, z in p.zones.items():
        src = p.sources[zid]
        for i, seg in enumerate(z.segments):
            for site, pl in seg.sites.items():
                path = ("segments", i, "sites", site, "cidr")
                net, err = parse_cidr(pl.cidr)
                if err:
                    out.append(src.issue(path, err))
                else:
                    placed.append((net, (src, path, seg.name)))
    for (src, path, _), (osrc, opath, oname) in overlaps(placed):
        mine = src.data_at(path) if hasattr(src, "data_at") else None
        out.append(src.issue(path, f"{_cidr_at(src, path)} overlaps segment {oname!r} {_cidr_at(osrc, opath)} ({osrc.name}:{osrc.line(opath)})"))
    return out


def _cidr_at(src: SourceFile, path) -> str:
    node = src.data
    for part in path:
        node = node[part]
    return str(node)


def _vlans(p: Platform, dcs, subs) -> list[Issue]:
    out = []
    dsrc = p.sources["datacenters"]
    for i, dc in enumerate(dcs.datacenters):
        r = dc.vlan_range
        if not (1 <= r.first <= r.last <= 4094):
            out.append(dsrc.issue(("datacenters", i, "vlan_range"), f"VLAN range {r.first}-{r.last} must satisfy 1 <= first <= last <= 4094"))
    used: dict[tuple[str, int], tuple[SourceFile, tuple]] = {}
    for zid, z in p.zones.items():
        src = p.sources[zid]
        for i, seg in enumerate(z.segments):
            for site, pl in seg.sites.items():
                path = ("segments", i, "sites", site, "vlan")
                dc = p.datacenters.get(site)
                if site in CLOUDS:
                    if pl.vlan is not None:
                        out.append(src.issue(path, f"a cloud site ({site}) has no VLAN"))
                    continue
                if dc is None:
                    continue  # reported as an unknown site
                if pl.vlan is None:
                    out.append(src.issue(("segments", i, "sites", site), f"segment {seg.name!r} in {site} needs a vlan"))
                    continue
                if not 1 <= pl.vlan <= 4094:
                    out.append(src.issue(path, f"VLAN {pl.vlan} is outside 1-4094"))
                elif not dc.vlan_range.first <= pl.vlan <= dc.vlan_range.last:
                    out.append(src.issue(path, f"VLAN {pl.vlan} is outside {site}'s vendor range {dc.vlan_range.first}-{dc.vlan_range.last}"))
                key = (site, pl.vlan)
                if key in used:
                    osrc, opath = used[key]
                    out.append(src.issue(path, f"VLAN {pl.vlan} is already used in {site} ({osrc.name}:{osrc.line(opath)})"))
                else:
                    used[key] = (src, path)
    return out


def _windows(p: Platform, dcs, subs) -> list[Issue]:
    out = []
    promise = p.platform.service_description.maintenance_window
    ps, pe = promise.minutes()
    zones_known = available_timezones()
    for zid, z in p.zones.items():
        src = p.sources[zid]
        if z.timezone not in zones_known:
            out.append(src.issue(("timezone",), f"unknown IANA timezone {z.timezone!r}"))
        w = z.maintenance_window
        s, e = w.minutes()
        path = ("maintenance_window",)
        if e - s > 24 * 60:
            out.append(src.issue(path, f"window {w.start}-{w.end} is {(e - s) / 60:g} h long; a daily window is at most 24 h"))
        elif (s, e) != (ps, pe):
            if s >= ps and e <= pe:
                out.append(src.issue(path, f"window {w.start}-{w.end} is stricter than the promised {promise.start}-{promise.end} local", "warning"))
            else:
                out.append(src.issue(path, f"window {w.start}-{w.end} is not within the promised {promise.start}-{promise.end} local window"))
        b = z.backup
        bs = int(b.start[:2]) * 60 + int(b.start[3:])
        if not (s <= bs < e or s <= bs + 1440 < e):
            out.append(src.issue(("backup", "start"), f"backup start {b.start} is outside the maintenance window {w.start}-{w.end}"))
    return out


def _allowlists(p: Platform, dcs, subs) -> list[Issue]:
    out = []
    q = p.platform.quotas
    for zid, z in p.zones.items():
        src = p.sources[zid]
        seen: dict = {}
        for i, al in enumerate(z.allowlists):
            for j, text in enumerate(al.cidrs):
                path = ("allowlists", i, "cidrs", j)
                net, err = parse_cidr(text)
                if err:
                    out.append(src.issue(path, err))
                    continue
                minimum = q.allowlist_min_prefix_ipv4 if net.version == 4 else q.allowlist_min_prefix_ipv6
                if net.prefixlen < minimum:
                    out.append(src.issue(path, f"{net} is too broad: prefix /{net.prefixlen} is shorter than the minimum /{minimum}"))
                if is_documentation(net):
                    out.append(src.issue(path, f"{net} is a documentation range (RFC 5737/3849): fine for examples, not for a subscriber", "warning"))
                elif problem := public_problem(net):
                    out.append(src.issue(path, f"{net} is {problem}: not a subscriber's public range"))
                for svc in al.services:
                    key = (svc, net)
                    if key in seen:
                        out.append(src.issue(path, f"{net} is duplicated for service {svc!r} (line {src.line(seen[key])})"))
                    else:
                        seen[key] = path
    return out


def _retention(p: Platform, dcs, subs) -> list[Issue]:
    out = []
    sd = p.platform.service_description
    promise = sd.backup
    bounds = sd.log_retention_days
    for zid, z in p.zones.items():
        src = p.sources[zid]
        b = z.backup
        for key in ("daily", "weekly", "monthly"):
            if getattr(b, key) < getattr(promise, key):
                out.append(src.issue(("backup", key), f"{getattr(b, key)} {key} backups; the Service Description promises {getattr(promise, key)}"))
        if b.rpo_hours > promise.rpo_hours or b.rpo_hours < 1:
            out.append(src.issue(("backup", "rpo_hours"), f"RPO {b.rpo_hours} h; the Service Description promises at most {promise.rpo_hours} h"))
        if b.rto_hours > promise.rto_hours or b.rto_hours < 1:
            out.append(src.issue(("backup", "rto_hours"), f"RTO {b.rto_hours} h; the Service Description promises at most {promise.rto_hours} h"))
        for source, days in z.log_retention.items():
            if not bounds.min <= days <= bounds.max:
                out.append(src.issue(("log_retention", source), f"{days} days for {source!r} is outside {bounds.min}-{bounds.max} days (7 days to 6 months)"))
    return out
