"""Serve the BySide policy pack (the engine starts this file as an analyzer plugin).

Only builds the PolicyPack: its constructor prints the port and serves gRPC forever, so nothing
may import this module. The policies live in the importable `policies` package.
"""

import sys
from pathlib import Path

# Run as a script, or by the engine (`python -m pulumi.policy <engine> .` in this folder), Python
# puts policies/ itself on sys.path; put the repository root there instead, so `policies` and
# `zones` import as packages and no module here shadows a library module of the same name.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

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
