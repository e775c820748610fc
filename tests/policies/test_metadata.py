"""The registry: exactly the issue's policy IDs, each with complete metadata and a clause quoted
verbatim from the Service Description."""

from pathlib import Path

import pytest
from pulumi_policy import ResourceValidationPolicy, StackValidationPolicy

from policies.metadata import METADATA, PolicyMeta
from policies.registry import POLICIES

ISSUE_IDS = [
    "network-no-public-admin-ingress", "network-ingress-allowlisted", "network-default-deny", "network-segment-isolation",
    "network-flow-logs", "vpn-strong-crypto", "vpn-redundant", "iam-no-wildcard-actions",
    "iam-no-wildcard-resources-on-write", "iam-no-admin-attachments", "iam-mfa-required-to-assume", "iam-no-users",
    "iam-privilege-escalation", "gcp-no-primitive-roles", "backup-retention", "backup-rpo", "maintenance-window",
    "log-retention", "secrets-not-plaintext", "tags-required",
]
# Issue 13: restores, monitoring and the audit trail.
ISSUE_IDS += ["backup-restore-tested", "backup-evidence", "monitoring-coverage", "logging-audit-trail"]
# Issue 9: fail closed on zones; no ingress from the whole internet.
ISSUE_IDS += ["zone-declared", "network-no-world-ingress"]
# Issue 11: egress as declared.
ISSUE_IDS += ["network-egress-declared"]
SERVICE_DESCRIPTION = Path("/work/shared/seed/000_4b5ba48a47789814.txt")


def test_exactly_the_issue_ids_in_order():
    assert list(METADATA) == ISSUE_IDS
    assert [p.name for p in POLICIES] == ISSUE_IDS


def test_metadata_is_complete_and_frozen():
    for m in METADATA.values():
        assert isinstance(m, PolicyMeta)
        assert m.severity in ("critical", "high", "medium", "low") and m.enforcement in ("mandatory", "advisory")
        assert m.description and m.remediation and m.clause and m.section and m.title
    with pytest.raises(AttributeError):
        METADATA["iam-no-users"].severity = "low"


def test_policy_objects_match_their_metadata_kind():
    for p in POLICIES:
        kind = METADATA[p.name].kind
        assert isinstance(p, StackValidationPolicy if kind == "stack" else ResourceValidationPolicy), p.name
        assert p.description == METADATA[p.name].description
        assert p.enforcement_level.value == METADATA[p.name].enforcement


@pytest.mark.skipif(not SERVICE_DESCRIPTION.exists(), reason="Service Description text not beside the repository")
def test_clauses_are_quoted_verbatim():
    text = SERVICE_DESCRIPTION.read_text()
    for m in METADATA.values():
        assert m.clause in text, m.id
        assert m.section in text, m.id
