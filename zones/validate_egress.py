"""Rules for the zones' `egress` declarations (issue 11): each names known segments, one
destination, and a reason; a named network is outside the zone's segments (a flow between
segments belongs in segment_policy, where the receiving side is opened too)."""

from __future__ import annotations

from .addressing import parse_cidr
from .egress import INTERNET
from .issues import Issue
from .platform import Platform


def validate(p: Platform) -> list[Issue]:
    out: list[Issue] = []
    for zid, z in p.zones.items():
        src = p.sources[zid]
        names = {s.name for s in z.segments}
        segment_nets = [(net, s.name) for s in z.segments for site in s.sites.values()
                        for net, err in [parse_cidr(site.cidr)] if not err]
        for i, e in enumerate(z.egress):
            base = ("egress", i)
            for j, seg in enumerate(e.from_):
                if seg not in names:
                    out.append(src.issue(base + ("from", j), f"unknown segment {seg!r}"))
            t = e.to
            kinds = [k for k, given in (("cidrs", t.cidrs), ("internet", t.internet), ("aws_service", t.aws_service),
                                        ("google_apis", t.google_apis)) if given]
            if len(kinds) != 1:
                out.append(src.issue(base + ("to",), f"name exactly one destination: cidrs, internet, aws_service or "
                                                     f"google_apis (given: {', '.join(kinds) or 'none'})"))
            if not e.reason.strip():
                out.append(src.issue(base + ("reason",), "say why the segment must reach it: the reason is shown "
                                                         "wherever the egress is judged"))
            for j, text in enumerate(t.cidrs or []):
                path = base + ("to", "cidrs", j)
                net, err = parse_cidr(text)
                if err:
                    out.append(src.issue(path, err))
                elif str(net) in INTERNET:
                    out.append(src.issue(path, f"{net} is the whole internet: declare `internet: true` instead"))
                else:
                    hit = next((seg for n, seg in segment_nets if n.version == net.version and n.overlaps(net)), None)
                    if hit:
                        out.append(src.issue(path, f"{net} overlaps segment {hit!r}: traffic between segments belongs "
                                                   f"in segment_policy (which opens the receiving side too)"))
            clouds = {c for seg in e.from_ if z.segment(seg) for c in z.segment(seg).sites if c in ("aws", "gcp")}
            if t.aws_service and "aws" not in clouds:
                out.append(src.issue(base + ("to", "aws_service"), "an AWS service is reached from AWS: none of "
                                                                   f"{', '.join(e.from_)} has an AWS site"))
            if t.google_apis and "gcp" not in clouds:
                out.append(src.issue(base + ("to", "google_apis"), "Google APIs are reached from GCP: none of "
                                                                   f"{', '.join(e.from_)} has a GCP site"))
    return out
