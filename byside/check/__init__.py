"""The `byside check` gate: plan readers, the analyzer client (the pack served as the Pulumi
engine serves it), suppressions, renderers and the orchestration. See docs/check.md."""

from .gate import CheckResult, check
from .model import Violation

__all__ = ["CheckResult", "Violation", "check"]
