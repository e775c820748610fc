"""Which framework control is evidenced by which file of the pack, and what is missing (pure)."""

from __future__ import annotations

from .frameworks import KINDS, FrameworkControl
from .sources import Item


def control_rows(controls: tuple[FrameworkControl, ...], items: list[Item], matrix: dict) -> list[dict]:
    """One row per framework control: every item of each evidence kind it relies on (found or not),
    the controls-matrix rows that bear on it with their status per zone, and its own status:
    ``evidenced`` when every item is there and verifies, else ``incomplete``."""
    by_id = {r["id"]: r for r in matrix.get("controls", [])}
    rows = []
    for c in controls:
        evidence = [{"kind": i.kind, "what": KINDS[i.kind], "key": i.key, "status": i.status, "file": i.main,
                     "detail": i.detail} for kind in c.kinds for i in items if i.kind == kind]
        sd = []
        for rid in c.matrix_rows:
            r = by_id.get(rid)
            if r is None:
                continue
            zones = r.get("zones") if isinstance(r.get("zones"), dict) else {}
            sd.append({"id": rid, "promise": r.get("promise", ""), "coverage": r.get("coverage", ""),
                       "status": {z: (s.get("status") if isinstance(s, dict) else str(s)) for z, s in sorted(zones.items())}})
        complete = all(e["status"] == "ok" for e in evidence) and bool(evidence)
        rows.append({"framework": c.framework, "id": c.id, "title": c.title,
                     "status": "evidenced" if complete else "incomplete", "evidence": evidence, "matrix_rows": sd})
    return rows


def missing(items: list[Item]) -> list[dict]:
    """Every item that is not there or does not verify — listed, never left out."""
    return [{"kind": i.kind, "what": KINDS[i.kind], "key": i.key, "status": i.status, "detail": i.detail}
            for i in items if i.status != "ok"]
