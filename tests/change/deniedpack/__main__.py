"""A one-policy pack for tests/change: source ranges inside a denied block (185.40.0.0/16) are a
mandatory violation. The byside pack cannot be made to fail by a valid subscriber CIDR (it reads
the same zone facts as the program, and zones/ rejects world, private and too broad ranges), so
this stands in for "a policy the change breaks". Served exactly like policies/__main__.py."""

import ipaddress
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the repository root, for policies.wire

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy, Severity

from policies import wire

wire.install()

DENIED = ipaddress.ip_network("185.40.0.0/16")


def _inside(text) -> bool:
    try:
        net = ipaddress.ip_network(str(text), strict=False)
    except ValueError:
        return False
    return net.version == DENIED.version and net.subnet_of(DENIED)


def no_denied_source(args, report_violation):
    if args.resource_type == "aws:ec2/managedPrefixList:ManagedPrefixList":
        for i, entry in enumerate(args.props.get("entries") or []):
            if _inside(entry.get("cidr")):
                report_violation(f"entries[{i}]: {entry.get('cidr')} is inside the denied block {DENIED}")
    if args.resource_type == "gcp:compute/firewall:Firewall":
        for i, cidr in enumerate(args.props.get("sourceRanges") or []):
            if _inside(cidr):
                report_violation(f"sourceRanges[{i}]: {cidr} is inside the denied block {DENIED}")


PolicyPack(
    name="deniedpack",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="test-no-denied-source", description="No source range inside the denied block.",
            validate=no_denied_source, severity=Severity.HIGH, remediation_steps="Use another range."),
    ],
)
