"""Which zone facts the pack judges with under `byside check`.

The pack reads policies/zone_facts.json (generated from zones/, committed, checked by
tests/policies/test_pack_files.py). When the zone data in use is not what that file was made from —
other zone data (BYSIDE_ZONES_DIR: a test's or the benchmarks' zones), or zones/ edited since the
last `make facts` — the gate writes the facts of the zone data in use to build/cache/zone-facts/
and points the pack at them (BYSIDE_ZONE_FACTS), so the pack always judges the zones the preview
was made from. An explicit BYSIDE_ZONE_FACTS is left alone.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

import zones
from zones import pack_facts

CACHE_DIR = zones.PACKAGE_DIR.parent / "build" / "cache" / "zone-facts"


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.glob("*.yaml")):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=8)
def _env(folder: str, digest: str) -> tuple[tuple[str, str], ...]:
    text = pack_facts.dumps(pack_facts.build(zones.load_platform(folder)))
    if pack_facts.FACTS.is_file() and pack_facts.FACTS.read_text(encoding="utf-8") == text:
        return ()
    if Path(folder).resolve() == zones.PACKAGE_DIR.resolve():
        print("note: policies/zone_facts.json is stale (zones/ changed): run `make facts`; "
              "byside check judges with the facts of zones/ as they are", file=sys.stderr)
    path = CACHE_DIR / f"zone-facts-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return (("BYSIDE_ZONE_FACTS", str(path)),)


def facts_env() -> dict[str, str]:
    """Environment for a pack process: BYSIDE_ZONE_FACTS when the pack's own file does not fit.
    Raises zones.ZoneDataError when the zone data in use does not load."""
    if os.environ.get("BYSIDE_ZONE_FACTS"):
        return {}
    folder = zones.default_dir()
    return dict(_env(str(folder), _digest(Path(folder))))
