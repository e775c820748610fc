"""network-no-world-ingress: no ingress from 0.0.0.0/0 or ::/0, on any port.

Zone-independent: it judges every project's stacks (advisory by default in other projects',
mandatory in this one's; policies/build.py `default_enforcement`). The one exception is a rule that
is part of a declared allowlist of a known zone — one the allowlist compiler generates
(`<zone>-<service>-allow-...`, `service` tag or GCP target tag `svc-<service>`) whose source lies
within that service's compiled subscriber ranges — which zones/ validation keeps far narrower than
the whole internet, so in practice nothing is exempt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .build import resource_policy
from .common import get, is_own, known_str, labels_of, parse_net, span_label, stack_of, zone_model
from .network import _allowlist, _within, rules_of


def _services(resource_type: str, name: str, props, zone_id: str) -> set[str]:
    """Services of the zone whose declared allowlist the resource implements."""
    out: set[str] = set()
    tags = labels_of(props)
    if isinstance(tags, Mapping) and known_str(get(tags, "service")):
        out.add(known_str(get(tags, "service")))
    m = re.fullmatch(rf"{re.escape(zone_id)}-(?P<svc>.+?)-allow(?:-v[46])?-\d+", name)
    if m:
        out.add(m.group("svc"))
    for t in (known_str(x) for x in (get(props, "targetTags") or [])):
        if t and t.startswith("svc-"):
            out.add(t[4:])
    return out


def _declared(args, net) -> bool:
    if not is_own(args.urn):
        return False
    zone_id = stack_of(args.urn)
    if zone_model(zone_id) is None:
        return False
    name = known_str(get(args.props, "name")) or args.name
    services = _services(args.resource_type, name, args.props, zone_id)
    return any(a.service in services and _within(net, a.nets) for a in _allowlist(zone_id))


def _no_world_ingress(args, report_violation) -> None:
    for rule in rules_of(args.resource_type, args.props):
        if rule.direction != "ingress":
            continue
        for src in rule.sources:
            net = parse_net(src)
            if net is None or net.prefixlen != 0 or _declared(args, net):
                continue
            spans = ", ".join(span_label(s) for s in rule.spans)
            report_violation(f"{rule.where} allows {spans} from {src}: ingress from the whole internet", None)


no_world_ingress = resource_policy("network-no-world-ingress", _no_world_ingress)

POLICIES = [no_world_ingress]
