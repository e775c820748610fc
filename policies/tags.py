"""tags-required: zone, owner and data-classification on every taggable resource.

Taggable means the provider SDK gives the type a `tags` (AWS) or `labels` (GCP) input. For a zone
zones/ knows, the owner must be the zone's owner team and the classification the platform's.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy.proxy import UNKNOWN_OBJECT_VALUE, UnknownValueError

from .build import resource_policy
from .common import UNKNOWN, get, known_str, platform, taggable, zone_model, zone_of

REQUIRED = ("zone", "owner", "data-classification")


def _tags_required(args, report_violation) -> None:
    key = taggable(args.resource_type)
    if key is None:
        return
    tags = get(args.props, key)
    if tags is UNKNOWN:
        raise UnknownValueError(UNKNOWN_OBJECT_VALUE, [key])
    tags = tags if isinstance(tags, Mapping) else {}
    required = list(REQUIRED) + [t for t in (args.get_config() or {}).get("requiredTags", []) if t not in REQUIRED]
    missing = [t for t in required if get(tags, t) in (None, "")]
    if missing:
        report_violation(f"{key} missing: {', '.join(missing)}", None)
    zone_id = zone_of(args.urn, args.props)
    zone = zone_model(zone_id)
    if zone is None:
        return
    expected = {"owner": zone.owner, "data-classification": platform().platform.data_classification}
    for tag, want in expected.items():
        have = known_str(get(tags, tag))
        if have and have != want:
            report_violation(f"{key} {tag} is {have!r}; zone {zone_id} requires {want!r}", None)


tags_required = resource_policy(
    "tags-required", _tags_required,
    config={"requiredTags": {"type": "array", "items": {"type": "string"},
                             "description": "tags required in addition to zone, owner, data-classification"}})

POLICIES = [tags_required]
