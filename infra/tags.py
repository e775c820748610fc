"""Tags and labels every resource carries (docs/contracts.md): zone, owner, data-classification."""

from __future__ import annotations

import re


def zone_tags(platform, zone) -> dict[str, str]:
    return {"zone": zone.id, "owner": zone.owner, "data-classification": platform.platform.data_classification}


def tagged(base: dict[str, str], **extra: str) -> dict[str, str]:
    """The zone tags plus extras (service, segment, datacenter, access-level, Name)."""
    out = dict(base)
    out.update({k.replace("_", "-"): v for k, v in extra.items()})
    return out


def labels(base: dict[str, str], **extra: str) -> dict[str, str]:
    """GCP labels: lower-case letters, digits, '-' and '_' only (keys and values)."""
    def clean(s: str) -> str:
        return re.sub(r"[^a-z0-9_-]", "-", s.lower())[:63]

    return {clean(k): clean(v) for k, v in tagged(base, **extra).items()}
