"""The handover document for a `manual` DC: what the vendor configures (VLANs, IPsec, BGP).

Pre-shared keys are never written into it: the document names the secret stack outputs that
hold them, read with `pulumi stack output --show-secrets` by whoever hands them over.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from .vsphere import Vlan

SECRET_KEYS = ("presharedKey", "sharedSecret")


def strip_secrets(value, path: str):
    """A copy without secret values: each becomes a pointer to the stack output that holds it."""
    if isinstance(value, dict):
        return {k: (f"<secret: stack output {path}.{k}>" if k in SECRET_KEYS else strip_secrets(v, f"{path}.{k}"))
                for k, v in value.items()}
    if isinstance(value, list):
        return [strip_secrets(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


def render(zone_id: str, dc, vlans: list[Vlan], aws: dict, gcp: dict) -> str:
    lines = [f"# Handover: zone {zone_id} at {dc.id} ({dc.vendor}, {dc.city})", "",
             "## VLANs", "", "| segment | VLAN | CIDR |", "|---|---|---|"]
    lines += [f"| {v.segment} | {v.vlan} | {v.cidr} |" for v in vlans] or ["| (none: no DC-side segment) | | |"]
    lines += ["", f"## IPsec (IKEv2 only) and BGP — DC ASN {dc.bgp_asn}", ""]
    for key, p in sorted(aws.items()):
        lines.append(f"### AWS {key}: edge {p['edgeIp']}, AWS ASN {p['awsAsn']}")
        lines.append(f"IKE {', '.join(p['ikeVersions'])}; phase 1 and 2: {', '.join(p['encryption'])}, "
                     f"{', '.join(p['integrity'])}, DH groups {', '.join(str(g) for g in p['dhGroups'])}")
        for n, t in enumerate(p["tunnels"], start=1):
            lines.append(f"- tunnel {n}: AWS endpoint {t['outsideAddress']}, inside {t['cgwInsideAddress']} (DC) / "
                         f"{t['vgwInsideAddress']} (AWS), key {t['presharedKey']}")
        lines.append("")
    for key, p in sorted(gcp.items()):
        lines.append(f"### GCP {key}: GCP ASN {p['gcpAsn']}, IKEv{p['ikeVersion']}")
        p1, p2 = p["phase1"], p["phase2"]
        # AES-GCM is encryption and integrity in one: GCP then takes no integrity algorithm.
        integrity1 = ", ".join(p1.get("integrities") or ["no separate integrity (AEAD)"])
        lines.append(f"phase 1: {', '.join(p1['encryptions'])}, {integrity1}, {', '.join(p1['prves'])}, "
                     f"{', '.join(p1['dhs'])}; phase 2: {', '.join(p2['encryptions'])}, PFS {', '.join(p2['pfs'])}")
        for t in p["tunnels"]:
            lines.append(f"- HA VPN interface {t['haVpnInterface']} ({t['gcpAddress']}) to edge {t['edgeIp']}: "
                         f"BGP {t['dcBgpIp']} (DC) / {t['gcpBgpIp']} (GCP) in {t['insideRange']}, key {t['sharedSecret']}")
        lines.append("")
    return "\n".join(lines)


@dataclass
class HandoverArgs:
    zone_id: str
    datacenter: object  # zones.model.DataCenter
    vlans: list[Vlan]
    aws_peers: dict  # key -> peer parameters (Outputs inside)
    gcp_peers: dict


class Handover(pulumi.ComponentResource):
    def __init__(self, name: str, args: HandoverArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:dc:Handover", name, None, opts)
        aws = strip_secrets(args.aws_peers, "vpnPeers.aws")
        gcp = strip_secrets(args.gcp_peers, "vpnPeers.gcp")
        self.document: pulumi.Output[str] = pulumi.Output.from_input({"aws": aws, "gcp": gcp}).apply(
            lambda p: render(args.zone_id, args.datacenter, args.vlans, p["aws"], p["gcp"]))
        self.register_outputs({"document": self.document})
