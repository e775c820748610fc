"""The gate's default input: the offline preview of every zone (byside/preview/run.py).

The preview runs the program on Pulumi's mock engine, one interpreter per zone (~3 s of CPU per
zone, mostly importing the provider SDKs). Its output is deterministic, so the gate keeps each
zone's document in build/cache/preview/, keyed by a hash of everything the output depends on —
the program (infra/), the zone data, the preview code, the lock file and the Python version —
and reruns the preview only when one of them changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from ..console import BadInput

REPO = Path(__file__).resolve().parents[2]
CACHE_DIR = REPO / "build" / "cache" / "preview"


def _zones_dir() -> Path:
    return Path(os.environ.get("BYSIDE_ZONES_DIR") or REPO / "zones")


def inputs_key() -> str:
    """Hash of every file the preview's output depends on (paths and contents)."""
    h = hashlib.sha256(sys.version.encode())
    files = sorted(p for p in (REPO / "infra").rglob("*.py") if "__pycache__" not in p.parts)
    files += sorted(_zones_dir().glob("*.yaml"))
    files += sorted((REPO / "byside").joinpath("preview").glob("*.py")) + [REPO / "uv.lock", REPO / "Pulumi.yaml"]
    for f in files:
        if f.is_file():
            h.update(str(f.relative_to(REPO) if f.is_relative_to(REPO) else f).encode() + b"\0")
            h.update(f.read_bytes() + b"\0")
    return h.hexdigest()[:32]


def _cached(path: Path) -> dict | None:
    """A cached document, or None when there is none or it is unreadable (then it is rebuilt)."""
    from .. import safeio

    try:
        doc = safeio.load_json(path)
    except safeio.InputError:
        return None
    return doc if isinstance(doc, dict) else None


def preview_documents(zone_ids: list[str], use_cache: bool = True) -> dict[str, dict]:
    """zone -> stack-export document, from the cache when the inputs are unchanged."""
    from .. import safeio
    from . import run as preview

    key = inputs_key() if use_cache else ""
    docs: dict[str, dict] = {}
    if use_cache:
        for z in zone_ids:
            cached = _cached(CACHE_DIR / f"{z}-{key}.json")
            if cached is not None:
                docs[z] = cached
    missing = [z for z in zone_ids if z not in docs]
    if missing:
        try:
            texts = {z: text for z, (text, _log) in preview.preview_zones(missing).items()}
        except preview.PreviewError as e:
            raise BadInput(f"offline preview failed: {e}") from None
        for z, text in texts.items():
            docs[z] = json.loads(text)
            if use_cache:
                for old in CACHE_DIR.glob(f"{z}-*.json"):
                    old.unlink(missing_ok=True)
                safeio.write_file(CACHE_DIR / f"{z}-{key}.json", text)
    return {z: docs[z] for z in zone_ids}
