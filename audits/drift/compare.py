"""Live against declared: pure comparison, one :class:`Drift` per difference.

Kinds: missing-resource, unknown-resource, missing-cidr, extra-cidr, extra-port, missing-port,
changed-target, weakened-vpn. What the endpoint does not show (e.g. tunnel options moto does not
implement) is a :class:`NotVerifiable`, never a pass or a fail.
"""

from __future__ import annotations

from dataclasses import dataclass

from .declared import AWS_TUNNEL_OPTIONS, GCP_CIPHER, GCP_IKE_VERSION, DeclaredZone
from .live import LiveZone

KINDS = ("missing-resource", "unknown-resource", "missing-cidr", "extra-cidr", "extra-port", "missing-port",
         "changed-target", "weakened-vpn")


@dataclass(frozen=True, order=True)
class Drift:
    zone: str
    cloud: str
    resource: str
    kind: str
    detail: str

    def as_dict(self) -> dict:
        return {"zone": self.zone, "cloud": self.cloud, "resource": self.resource, "kind": self.kind,
                "detail": self.detail}


@dataclass(frozen=True, order=True)
class NotVerifiable:
    zone: str
    cloud: str
    resource: str
    detail: str

    def as_dict(self) -> dict:
        return {"zone": self.zone, "cloud": self.cloud, "resource": self.resource, "detail": self.detail}


def _port(p: tuple) -> str:
    proto, a, b = p[0], p[1], p[2]
    proto = "all" if proto == "-1" else proto
    if proto == "all":
        return "all"
    return f"{proto}/{a}" if a == b else f"{proto}/{a}-{b}"


def _fmt(values) -> str:
    return ", ".join(str(v) for v in sorted(values, key=str))


def compare(decl: DeclaredZone, live: LiveZone) -> tuple[list[Drift], list[NotVerifiable]]:
    out: list[Drift] = []
    nv: list[NotVerifiable] = []
    z = decl.zone

    def drift(cloud: str, resource: str, kind: str, detail: str) -> None:
        out.append(Drift(z, cloud, resource, kind, detail))

    if live.aws_read:
        _aws(decl, live, drift, nv)
    if live.gcp_read:
        _gcp(decl, live, drift, nv)
    return sorted(set(out)), sorted(set(nv))


# ---------------------------------------------------------------- AWS


def _aws(decl: DeclaredZone, live: LiveZone, drift, nv: list) -> None:
    z = decl.zone
    seen = {}
    for pl in live.prefix_lists:
        want = decl.prefix_lists.get(pl.name)
        if want is None or pl.tags.get("service") != want.service:
            drift("aws", f"prefix-list/{pl.name}", "unknown-resource",
                  f"{pl.id} tagged zone={z}, service={pl.tags.get('service', '-')}: not declared in zones/")
            continue
        seen[pl.name] = pl
        for c in sorted(want.entries - pl.entries):
            drift("aws", f"prefix-list/{pl.name}", "missing-cidr", f"{c} ({want.service} subscribers)")
        for c in sorted(pl.entries - want.entries):
            drift("aws", f"prefix-list/{pl.name}", "extra-cidr", f"{c} is not declared for {want.service}")
    for name in sorted(set(decl.prefix_lists) - set(seen)):
        drift("aws", f"prefix-list/{name}", "missing-resource", f"no prefix list {name} tagged zone={z}")

    groups = {}
    for sg in live.security_groups:
        want = decl.security_groups.get(sg.name)
        scope_ok = want is not None and (
            want.scope == "default" or
            (want.scope.startswith("service:") and sg.tags.get("service") == want.scope.split(":", 1)[1]) or
            (want.scope.startswith("segment:") and sg.tags.get("segment") == want.scope.split(":", 1)[1]))
        if not scope_ok:
            drift("aws", f"security-group/{sg.name}", "unknown-resource",
                  f"{sg.id} tagged zone={z}: not declared in zones/")
            continue
        groups[sg.name] = sg
        _rules("aws", f"security-group/{sg.name}", want.rules, sg.rules, drift)
        _rules("aws", f"security-group/{sg.name}", want.egress, sg.egress, drift, egress=True)
    for name in sorted(set(decl.security_groups) - set(groups) - {"default"}):
        drift("aws", f"security-group/{name}", "missing-resource", f"no security group {name} tagged zone={z}")

    found: set[tuple[str, str]] = set()
    for v in live.vpns:
        dc = v.tags.get("datacenter")
        edges = decl.vpn_peers.get(dc or "", ())
        res = f"vpn-connection/{v.id}"
        if v.customer_gateway_ip not in edges:
            drift("aws", res, "unknown-resource", f"datacenter={dc or '-'}, customer gateway {v.customer_gateway_ip}: "
                  f"not an edge of a data centre of {z}")
            continue
        found.add((dc, v.customer_gateway_ip))
        if v.tunnels is None:
            nv.append(NotVerifiable(z, "aws", res, f"{dc} edge {v.customer_gateway_ip}: tunnel options not returned "
                                    "by this endpoint (IKE version, ciphers, DH groups not verifiable)"))
            continue
        for n, t in enumerate(v.tunnels, start=1):
            for option, allowed in AWS_TUNNEL_OPTIONS.items():
                values = t.get(option) or []
                if not values:
                    drift("aws", res, "weakened-vpn", f"tunnel {n} {option} not set: AWS then accepts its defaults "
                          f"(declared {_fmt(allowed)})")
                    continue
                bad = [x for x in values if x not in allowed]
                if bad:
                    drift("aws", res, "weakened-vpn", f"tunnel {n} {option} allows {_fmt(bad)} (declared {_fmt(allowed)})")
    for dc, edges in sorted(decl.vpn_peers.items()):
        for ip in edges:
            if (dc, ip) not in found:
                drift("aws", f"vpn-connection/{dc}/{ip}", "missing-resource",
                      f"no VPN connection tagged zone={z}, datacenter={dc} to edge {ip}")


def _rules(cloud: str, res: str, want: frozenset, have: frozenset, drift, egress: bool = False) -> None:
    """Rules (protocol, from, to, peer) — the source of ingress, the destination of egress: a rule on
    a port nobody declared is an extra open port; on a declared port with another peer an extra
    CIDR; the reverse are missing."""
    want_ports = {r[:3] for r in want}
    have_ports = {r[:3] for r in have}
    what, peer, way = ("egress ", "egress to ", "to") if egress else ("", "", "from")
    for r in sorted(have - want, key=str):
        if r[:3] not in want_ports:
            drift(cloud, res, "extra-port", f"{what}{_port(r)} open to {r[3]}")
        else:
            drift(cloud, res, "extra-cidr", f"{peer}{r[3]} allowed on {_port(r)}")
    for r in sorted(want - have, key=str):
        if r[:3] not in have_ports:
            drift(cloud, res, "missing-port", f"{what}{_port(r)} {way} {r[3]} not open")
        else:
            drift(cloud, res, "missing-cidr", f"{peer}{r[3]} not allowed on {_port(r)}")


# ---------------------------------------------------------------- GCP


def _gcp(decl: DeclaredZone, live: LiveZone, drift, nv: list) -> None:
    z = decl.zone
    seen = set()
    for fw in live.firewalls:
        res = f"firewall/{fw.name}"
        want = decl.firewall_rules.get(fw.name)
        if want is None or fw.direction != want.direction or fw.action != want.action:
            drift("gcp", res, "unknown-resource", f"{fw.direction} {fw.action} rule named {z}-*: not declared in zones/")
            continue
        seen.add(fw.name)
        ranges = "destinationRanges" if want.direction == "EGRESS" else "sourceRanges"
        if fw.disabled:
            drift("gcp", res, "missing-resource", "rule exists but is disabled: not enforced")
        for c in sorted(want.sources - fw.sources):
            drift("gcp", res, "missing-cidr", f"{c} not in {ranges}")
        for c in sorted(fw.sources - want.sources):
            drift("gcp", res, "extra-cidr" if want.action == "allow" else "missing-cidr",
                  f"{c} in {ranges}" if want.action == "allow" else f"deny rule covers {c} instead")
        if want.action == "allow":
            for p in sorted(fw.ports - want.ports):
                drift("gcp", res, "extra-port", f"{_port(p)} allowed")
            for p in sorted(want.ports - fw.ports):
                drift("gcp", res, "missing-port", f"{_port(p)} not allowed")
        elif fw.ports != want.ports:
            drift("gcp", res, "missing-port", f"denies {_fmt(_port(p) for p in fw.ports)} instead of all")
        if fw.target_tags != want.target_tags:
            drift("gcp", res, "changed-target", f"targetTags {_fmt(fw.target_tags) or 'none (every instance)'} "
                  f"(declared {_fmt(want.target_tags) or 'none'})")
    for name in sorted(set(decl.firewall_rules) - seen):
        drift("gcp", f"firewall/{name}", "missing-resource", f"no firewall rule {name} in {decl.gcp_project}")

    dcs_seen = set()
    for t in live.tunnels:
        res = f"vpn-tunnel/{t.name}"
        dc = t.labels.get("datacenter")
        if dc not in decl.vpn_peers:
            drift("gcp", res, "unknown-resource", f"labelled zone={z}, datacenter={dc or '-'}: not a data centre of {z}")
            continue
        dcs_seen.add(dc)
        if t.ike_version is None:
            nv.append(NotVerifiable(z, "gcp", res, "ikeVersion not returned by this endpoint"))
        elif t.ike_version != GCP_IKE_VERSION:
            drift("gcp", res, "weakened-vpn", f"ikeVersion {t.ike_version} (declared {GCP_IKE_VERSION})")
        if t.cipher is None:
            drift("gcp", res, "weakened-vpn", "cipherSuite not set: GCP then proposes every supported cipher")
            continue
        for phase, fields in GCP_CIPHER.items():
            live_phase = t.cipher.get(phase, {})
            for fld in sorted(set(fields) | {f for f, v in live_phase.items() if v}):
                values, allowed = live_phase.get(fld) or [], fields.get(fld)
                if allowed is None:  # declared without it: the integrity of an AES-GCM-only suite
                    drift("gcp", res, "weakened-vpn", f"cipherSuite.{phase}.{fld} allows {_fmt(values)} (declared "
                          f"none: AES-GCM is encryption and integrity in one)")
                elif not values:
                    drift("gcp", res, "weakened-vpn", f"cipherSuite.{phase}.{fld} not set (declared {_fmt(allowed)})")
                elif bad := [v for v in values if v not in allowed]:
                    drift("gcp", res, "weakened-vpn", f"cipherSuite.{phase}.{fld} allows {_fmt(bad)} (declared {_fmt(allowed)})")
    for dc in sorted(set(decl.vpn_peers) - dcs_seen):
        drift("gcp", f"vpn-tunnel/{dc}", "missing-resource", f"no VPN tunnel labelled zone={z}, datacenter={dc}")
