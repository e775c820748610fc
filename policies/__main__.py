"""Serve the BySide policy pack (the engine starts this file as an analyzer plugin).

Only builds the PolicyPack: its constructor prints the port and serves gRPC forever, so nothing
may import this module. The policies live in the importable `policies` package.
"""

import importlib.util
import os
import sys
from pathlib import Path

# The engine runs `python -u -m pulumi.policy <engine> <pack dir>` in the pack folder, and Python
# puts that folder itself on sys.path: take it off (no module here may shadow a library module of
# the same name) and import the folder as the package `policies`, whatever it is called — a
# published pack is installed under a folder named after its name and version. Nothing above it
# is put on sys.path: the pack needs only its own files and requirements.txt (it never imports
# zones/; its zone facts are zone_facts.json).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if "policies" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("policies", HERE / "__init__.py",
                                                   submodule_search_locations=[str(HERE)])
    _pkg = importlib.util.module_from_spec(_spec)
    sys.modules["policies"] = _pkg
    _spec.loader.exec_module(_pkg)

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

# The server has stopped (the engine interrupts the pack when the stack is judged): exit now.
# Tearing down the interpreter would free the IAM database cloudsplaining loads (13 MB of JSON as
# millions of objects), ~0.4 s of CPU per stack for nothing the engine waits on.
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)
