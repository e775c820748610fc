"""The pack's policies and their metadata, in one place for the pack, the gate, SARIF and the
controls matrix. Importing this module builds the policy objects; it never serves gRPC."""

from __future__ import annotations

from . import backup, gcp_iam, iam, logs, maintenance, network, secret_inputs, tags, vpn
from . import audit_trail, monitoring, restore  # issue 13
from . import world_ingress, zone_declared  # issue 9
from . import egress  # issue 11
from .metadata import METADATA, PolicyMeta

_BY_ID = {p.name: p for module in (network, vpn, iam, gcp_iam, backup, maintenance, logs, secret_inputs, tags,
                                    restore, monitoring, audit_trail, zone_declared, world_ingress, egress)
          for p in module.POLICIES}

# In metadata order, so reports and GetAnalyzerInfo list them the same way every time.
POLICIES = [_BY_ID[policy_id] for policy_id in METADATA]

if set(_BY_ID) != set(METADATA):
    raise RuntimeError(f"policies and metadata disagree: {sorted(set(_BY_ID) ^ set(METADATA))}")

__all__ = ["METADATA", "POLICIES", "PolicyMeta"]
