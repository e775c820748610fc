"""CKV_BYS_2: a managed prefix list declares max_entries, within the AWS quota, and holds no more
entries than it declares (an SG rule referencing the list is charged max_entries rules).

Runs inside checkov's own environment: plain Python, no import from the project. The quota comes
from the parameters file the bridge writes from zones/platform.yaml (env BYSIDE_CHECKOV_PARAMS);
without it the check is UNKNOWN.
"""

from __future__ import annotations

import json
import os
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


def _params() -> dict[str, Any] | None:
    path = os.environ.get("BYSIDE_CHECKOV_PARAMS")
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _first(conf: dict[str, Any], key: str) -> Any:
    v = conf.get(key)
    while isinstance(v, list):
        v = v[0] if v else None
    return v


class ManagedPrefixListSize(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure managed prefix lists declare max_entries within the quota and hold no more entries",
            id="CKV_BYS_2",
            categories=(CheckCategories.NETWORKING,),
            supported_resources=("aws_ec2_managed_prefix_list",),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        params = _params()
        if params is None:
            return CheckResult.UNKNOWN
        quota = int(params["prefix_list"]["max_entries"])
        self.evaluated_keys = ["max_entries", "entry"]
        max_entries = _first(conf, "max_entries")
        try:
            declared = int(max_entries)
        except (TypeError, ValueError):
            return CheckResult.FAILED  # missing or not a number
        entries = [e for e in conf.get("entry") or [] if isinstance(e, dict)]
        if declared < 1 or declared > quota or len(entries) > declared:
            return CheckResult.FAILED
        return CheckResult.PASSED


check = ManagedPrefixListSize()
