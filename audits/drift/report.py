"""Drift results as JSON and text (deterministic: sorted items, no timestamps)."""

from __future__ import annotations

import json
from pathlib import Path

from .compare import KINDS, Drift, NotVerifiable


def doc(zones: list[str], clouds: dict[str, list[str]], checked: dict[str, dict[str, int]],
        drift: list[Drift], nv: list[NotVerifiable]) -> dict:
    counts = {k: 0 for k in KINDS}
    for d in drift:
        counts[d.kind] += 1
    return {"report": "byside drift", "zones": zones, "clouds": clouds, "checked": checked,
            "in_sync": not drift, "counts": counts, "drift": [d.as_dict() for d in drift],
            "not_verifiable": [n.as_dict() for n in nv]}


def json_text(d: dict) -> str:
    return json.dumps(d, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def text(d: dict) -> str:
    lines = []
    for z in d["zones"]:
        c = d["checked"][z]
        lines.append(f"zone {z} ({', '.join(d['clouds'][z]) or 'no cloud'}): checked "
                     + ", ".join(f"{v} {k}" for k, v in c.items()))
    if d["drift"]:
        lines.append("")
        lines.append(f"DRIFT: {len(d['drift'])} difference(s)")
        for x in d["drift"]:
            lines.append(f"  {x['zone']} {x['cloud']} {x['resource']}: {x['kind']}: {x['detail']}")
    else:
        lines.append("in sync: live matches zones/")
    if d["not_verifiable"]:
        lines.append("")
        lines.append(f"not verifiable from this endpoint: {len(d['not_verifiable'])}")
        for x in d["not_verifiable"]:
            lines.append(f"  {x['zone']} {x['cloud']} {x['resource']}: {x['detail']}")
    return "\n".join(lines) + "\n"
