"""Pulumi entry point: `pulumi stack select we1 && pulumi up` (Pulumi.yaml has `main: infra/`).

Reads the stack's zone, loads zones/ and builds one ZoneStack; nothing else lives here.
"""

import sys
from pathlib import Path

try:
    import zones
    import infra.zone  # noqa: F401
except ImportError:  # the engine puts infra/ itself on sys.path, not the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import zones

import pulumi

from infra.zone import ZoneStack, ZoneStackArgs

zone_id = pulumi.Config("byside").require("zone")
stack = ZoneStack(zone_id, ZoneStackArgs(zones.load_platform(), zone_id))
for key, value in stack.exports().items():
    pulumi.export(key, value)
