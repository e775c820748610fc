"""Integration point with the checkov bridge (byside/checkov_bridge.py): its findings become
violations with source `checkov`, its checks become rules for SARIF/JUnit."""

from __future__ import annotations

from .gate import Rule
from .model import Plan, Violation


def run(bridge, plans: list[Plan]) -> tuple[str, dict[str, Rule], list[Violation]]:
    fn = getattr(bridge, "run_checkov", None)
    if fn is None:
        return "not run: byside.checkov_bridge has no run_checkov()", {}, []
    raise NotImplementedError("checkov bridge adapter: pending the bridge's interface")
