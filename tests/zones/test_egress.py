"""Egress as declared (issue 11): the derivation every room shares, and bad declarations caught
by `zones validate` with file and line."""

from __future__ import annotations

import zones
from zones.egress import egress_rules, segment_flows

from .conftest import edit, errors


def test_egress_is_the_source_side_of_every_flow_plus_the_declarations():
    z = zones.load_platform().zone("sa1")
    got = sorted((r.cloud, r.source, r.name, r.cidrs, r.aws_service, tuple(p.label for p in r.ports), r.declared)
                 for r in egress_rules(z))
    flows = {(f.source, f.target) for f in segment_flows(z.segment_policy)}
    assert ("app", "db") in flows
    assert [g for g in got if g[4] == "s3"] == [
        ("aws", "app", "s3", (), "s3", ("tcp/443",), True), ("aws", "db", "s3", (), "s3", ("tcp/443",), True)]
    assert [g for g in got if g[2] == "google-apis"] == [
        ("gcp", "app", "google-apis", ("199.36.153.8/30",), None, ("tcp/443",), True)]
    # Every flow of the segment policy from a segment with a cloud site, to the target at every site.
    implied = [g for g in got if not g[6]]
    seg_cidrs = {s.name: tuple(site.cidr for site in s.sites.values()) for s in z.segments}
    expected = sorted((cloud, f, f"to-{t}", seg_cidrs[t], None) for cloud in ("aws", "gcp") for f, t in flows
                      if cloud in z.segment(f).sites)
    assert [g[:5] for g in implied] == expected


def test_each_bad_declaration(zdir):
    edit(zdir, "we1.yaml", "  - from: [app]\n    to: {google_apis: private}",
         "  - from: [app, cache]\n    to: {google_apis: private, cidrs: [10.11.32.0/24, 0.0.0.0/0, 10.99.0.0/33]}")
    edit(zdir, "we1.yaml", "reason: subscriber file exports and database dumps to S3, through the VPC's gateway "
                           "endpoint (no internet route)", "reason: '  '")
    edit(zdir, "we2.yaml", "  - from: [app, db]\n    to: {aws_service: s3}", "  - from: [db]\n    to: {google_apis: private}")
    assert errors(zdir) == [
        "zones/we1.yaml:92 egress[0].reason: say why the segment must reach it: the reason is shown wherever the "
        "egress is judged",
        "zones/we1.yaml:93 egress[1].from[1]: unknown segment 'cache'",
        "zones/we1.yaml:94 egress[1].to: name exactly one destination: cidrs, internet, aws_service or google_apis "
        "(given: cidrs, google_apis)",
        "zones/we1.yaml:94 egress[1].to.cidrs[0]: 10.11.32.0/24 overlaps segment 'db': traffic between segments "
        "belongs in segment_policy (which opens the receiving side too)",
        "zones/we1.yaml:94 egress[1].to.cidrs[1]: 0.0.0.0/0 is the whole internet: declare `internet: true` instead",
        "zones/we1.yaml:94 egress[1].to.cidrs[2]: malformed CIDR '10.99.0.0/33': '10.99.0.0/33' does not appear to be "
        "an IPv4 or IPv6 network",
        "zones/we2.yaml:86 egress[0].to.google_apis: Google APIs are reached from GCP: none of db has a GCP site",
    ]
