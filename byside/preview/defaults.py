"""Provider defaults the offline preview applies to a resource's inputs, as the real provider's
Check does before the engine hands the inputs to the policy pack.

The mock engine records what the program sent; under `pulumi preview`/`up` the bridged
Terraform provider first fills in its schema defaults (`Default:` in the Terraform resource), so
the pack sees e.g. a backup rule's `startWindow` as 60 even when the program left it out. Only
defaults a policy or a conformance rule reads are listed here (docs/preview.md, "Provider
defaults"), each with its upstream source; values the program sets are never touched.

Properties that stay absent under the real engine too (Optional + Computed in the provider, the
cloud API picks the value) are not here: each policy that reads one assumes the API's documented
default or the stricter reading (listed in docs/preview.md).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

EACH = "*"  # a path step over every element of a list


@dataclass(frozen=True)
class ProviderDefault:
    type: str
    path: tuple[str, ...]  # property names (wire casing); EACH steps into every list element
    value: Any
    source: str
    read_by: str  # the policies / conformance rules that depend on it

    @property
    def where(self) -> str:
        return ".".join(self.path).replace(".*", "[]")


_TF_AWS_BACKUP_PLAN = "hashicorp/terraform-provider-aws internal/service/backup/plan.go (rule schema)"

DEFAULTS: tuple[ProviderDefault, ...] = (
    ProviderDefault("aws:backup/plan:Plan", ("rules", EACH, "startWindow"), 60,
                    f"{_TF_AWS_BACKUP_PLAN}: start_window Default 60",
                    "maintenance-window; conformance backup.rule"),
    ProviderDefault("aws:backup/plan:Plan", ("rules", EACH, "completionWindow"), 180,
                    f"{_TF_AWS_BACKUP_PLAN}: completion_window Default 180",
                    "conformance backup.rule"),
    ProviderDefault("aws:backup/plan:Plan", ("rules", EACH, "scheduleExpressionTimezone"), "Etc/UTC",
                    f"{_TF_AWS_BACKUP_PLAN}: schedule_expression_timezone Default "
                    "defaultPlanRuleScheduleExpressionTimezone = \"Etc/UTC\"",
                    "maintenance-window"),
    ProviderDefault("aws:cloudwatch/logGroup:LogGroup", ("retentionInDays",), 0,
                    "hashicorp/terraform-provider-aws internal/service/logs/group.go: retention_in_days Default 0 "
                    "(never expire)",
                    "log-retention; conformance logs.retention"),
    ProviderDefault("gcp:logging/projectBucketConfig:ProjectBucketConfig", ("retentionDays",), 30,
                    "hashicorp/terraform-provider-google google/services/logging/resource_logging_bucket_config.go: "
                    "retention_days Default 30",
                    "log-retention; conformance logging.bucket-retention"),
    ProviderDefault("gcp:compute/vPNTunnel:VPNTunnel", ("ikeVersion",), 2,
                    "hashicorp/terraform-provider-google google/services/compute/resource_compute_vpn_tunnel.go: "
                    "ike_version Default 2 (magic-modules VpnTunnel.yaml default_value)",
                    "vpn-strong-crypto"),
)

_BY_TYPE: dict[str, list[ProviderDefault]] = {}
for _d in DEFAULTS:
    _BY_TYPE.setdefault(_d.type, []).append(_d)


def _fill(node: Any, path: tuple[str, ...], value: Any) -> None:
    head, rest = path[0], path[1:]
    if head == EACH:
        if isinstance(node, list):
            for item in node:
                _fill(item, rest, value)
        return
    if not isinstance(node, dict) or _is_envelope(node):
        return  # a secret or computed value: the provider fills it inside, the preview cannot see
    if not rest:
        node.setdefault(head, copy.deepcopy(value))
    elif head in node:
        _fill(node[head], rest, value)


_SIG_KEY = "4dabf18193072939515e22adb298388d"  # Pulumi's special-value signature key (run.SIG_KEY)


def _is_envelope(node: dict) -> bool:
    return _SIG_KEY in node


def apply(resource_type: str, inputs: dict) -> dict:
    """`inputs` with the provider defaults of `resource_type` filled in where absent (a copy)."""
    defaults = _BY_TYPE.get(resource_type)
    if not defaults:
        return inputs
    out = copy.deepcopy(inputs)
    for d in defaults:
        _fill(out, d.path, d.value)
    return out
