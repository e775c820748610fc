"""Rich rendering of `zones show` (the data comes from zones.describe)."""

from __future__ import annotations

from rich.table import Table

from ..console import out, styled


def render_zone(d: dict) -> None:
    out.rule(styled((d["id"].upper(), "bold"), f" — {d['name']} (owner {d['owner']}, {d['timezone']})"))
    sites = Table(title="Sites", title_justify="left")
    for col in ("site", "where", "details"):
        sites.add_column(col)
    for dc in d["sites"]["datacenters"]:
        role = "segments + VPN peer" if dc["hosts_segments"] else "VPN peer only"
        sites.add_row(dc["id"], f"{dc['vendor']}, {dc['city']}",
                      f"{dc['provisioning']} VLANs; edge {', '.join(dc['vpn_edge_ips'])}; ASN {dc['bgp_asn']}; {role}")
    if "aws" in d["sites"]:
        a = d["sites"]["aws"]
        sites.add_row("aws", a["region"], f"account {a['account_id']}; AZs {', '.join(a['availability_zones'])}; ASN {a['asn']}")
    if "gcp" in d["sites"]:
        g = d["sites"]["gcp"]
        sites.add_row("gcp", g["region"], f"project {g['project']}; ASN {g['asn']}")
    out.print(sites)

    site_names = sorted({s for seg in d["segments"] for s in seg["sites"]})
    segs = Table(title="Segments (CIDR / VLAN per site)", title_justify="left")
    segs.add_column("segment")
    segs.add_column("multi-AZ")
    for s in site_names:
        segs.add_column(s)
    for seg in d["segments"]:
        cells = []
        for s in site_names:
            pl = seg["sites"].get(s)
            cells.append("—" if pl is None else pl["cidr"] + (f"  VLAN {pl['vlan']}" if "vlan" in pl else ""))
        segs.add_row(seg["name"], "yes" if seg["multi_az"] else "no", *cells)
    out.print(segs)

    pol = Table(title="Segment policy (everything else denied)", title_justify="left")
    for col in ("from", "to", "ports", "why"):
        pol.add_column(col)
    for r in d["segment_policy"]:
        pol.add_row(r["from"], r["to"], ", ".join(r["ports"]), r["description"])
    out.print(pol)

    al = Table(title="Subscriber allowlists", title_justify="left")
    for col in ("service", "ports", "subscribers", "CIDRs declared → aggregated", "AWS prefix lists / SGs", "GCP rules"):
        al.add_column(col)
    for a in d["allowlists"]:
        al.add_row(a["service"], ", ".join(a["ports"]), str(len(a["subscribers"])),
                   f"{a['cidrs_declared']} → {a['cidrs_aggregated']}",
                   f"{len(a['aws_prefix_lists'])} / {len(a['aws_security_groups'])} "
                   f"({', '.join(str(s['rules_charged']) for s in a['aws_security_groups'])} rules charged)",
                   str(len(a["gcp_firewall_rules"])))
    out.print(al)
    if d["allowlist_packing_error"]:
        out.print(styled(("allowlists do not fit:", "red"), f" {d['allowlist_packing_error']}"))

    w, b = d["maintenance_window"], d["backup"]
    out.print(styled(("Maintenance window", "bold"), f": {w['local']} ({w['timezone']}); on {w['date']}: "
              f"{w['utc_start']} to {w['utc_end']} UTC ({w['hours']:g} h)"))
    out.print(styled(("Backups", "bold"), f": {b['daily']} daily / {b['weekly']} weekly / {b['monthly']} monthly, start {b['start']} local, "
              f"RPO {b['rpo_hours']} h, RTO {b['rto_hours']} h; scope {', '.join(b['scope'])}; "
              f"selected by tag {b['selection_tag']['key']}={b['selection_tag']['value']}"))
    out.print(styled(("Log retention", "bold"), ": " + ", ".join(f"{k} {v} d" for k, v in d["log_retention_days"].items())))
    rt = d["restore_test"]
    out.print(styled(("Restore test", "bold"), f": monthly on day {rt['day_of_month']} at the window's start, validated "
                     f"within {rt['validation_hours']} h"))
    for c in d["certificates"]:
        where = "ACM (DaysToExpiry alarm)" if c["served_by"] == "acm" else f"external: {c['check']}"
        out.print(styled(("Certificate", "bold"), f" {c['name']}: {c['domain']}, {where}"))
    out.print(styled(("Subscribers", "bold"), ": " + (", ".join(f"{s['id']} ({s['country'] or 'no country'})"
                                                              for s in d["subscribers"]) or "none")))
