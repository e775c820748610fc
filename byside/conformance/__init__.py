"""Provider conformance: the preview's resources against the locked provider SDKs' input schemas
(byside/conformance/sdk.py) and the value rules the providers and cloud APIs enforce
(byside/conformance/rules.py, zones/cloud_limits.py). `check_plans` is the library's entry point."""

from .check import Finding, check_resources, judge
from .run import check_documents, check_plans

__all__ = ["Finding", "check_documents", "check_plans", "check_resources", "judge"]
