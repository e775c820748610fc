"""zone-declared: in a stack of this project, every resource is in a zone of zones/.

A stack of this project is a zone (contracts.md): its name must be a zone id of zones/, and a
resource's `zone` tag or label, where present, must equal it. Without this the zone-aware policies
would skip a stack or a resource tagged with a zone zones/ does not know, and pass it unjudged.
Resources of other projects' stacks are not this policy's business (they are judged by the
zone-independent policies only).
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from .build import resource_policy
from .common import UNKNOWN, get, is_own, platform, stack_of


def _zone_declared(args, report_violation) -> None:
    if not is_own(args.urn):
        return
    stack = stack_of(args.urn)
    known = sorted(platform().zones)
    if stack not in known:
        report_violation(f"stack {stack!r} is not a zone of zones/ (zones: {', '.join(known)}): every stack of "
                         f"this project deploys one zone", None)
        return
    for key in ("tags", "labels"):
        tags = get(args.props, key)
        if tags is UNKNOWN:
            raise UnknownValueError(UNKNOWN_STRING_VALUE, [key])  # the engine reports it cannot judge yet
        if not isinstance(tags, Mapping):
            continue
        zone = get(tags, "zone")
        if zone is UNKNOWN:
            raise UnknownValueError(UNKNOWN_STRING_VALUE, [key, "zone"])
        if zone is None:
            continue
        if not isinstance(zone, str):
            report_violation(f"{key}.zone is not a zone id (a {type(zone).__name__}); stack {stack} is zone "
                             f"{stack}", None)
        elif zone != stack:
            where = "a zone of zones/" if zone in known else "not a zone of zones/"
            report_violation(f"{key}.zone is {zone!r} ({where}), but the resource is in stack {stack}: its zone is "
                             f"{stack}", None)


zone_declared = resource_policy("zone-declared", _zone_declared)

POLICIES = [zone_declared]
