"""Serve the BySide policy pack (the engine starts this file as an analyzer plugin).

Only builds the PolicyPack: its constructor prints the port and serves gRPC forever, so nothing
may import this module. The policies live in the importable `policies` package.
"""

import sys
from pathlib import Path

# Run as a script, Python puts policies/ itself first on sys.path; put the repository root there
# instead, so `policies` and `zones` import as packages and no module here shadows a library.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from policies import wire  # noqa: E402
from policies.registry import POLICIES  # noqa: E402

wire.install()  # policies see secrets as Secret markers, never as bare text

PolicyPack(
    name="byside",
    policies=POLICIES,
    enforcement_level=EnforcementLevel.MANDATORY,
    description="BySide platform guardrails: the Service Description's promises as CrossGuard policies",
)
