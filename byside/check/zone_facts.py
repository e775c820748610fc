"""Which zone facts the pack judges with under `byside check`.

The pack reads policies/zone_facts.json (generated from zones/, committed, checked by
tests/policies/test_pack_files.py). When the zone data in use is not what that file was made from —
other zone data (BYSIDE_ZONES_DIR: a test's or the benchmarks' zones), or zones/ edited since the
last `make facts` — the gate writes the facts of the zone data in use to build/cache/zone-facts/
and points the pack at them (BYSIDE_ZONE_FACTS), so the pack always judges the zones the preview
was made from. An explicit BYSIDE_ZONE_FACTS is left alone.

Deciding that means loading and validating the zone data (~0.35 s, before the first pack can
start), so the decision is kept in the same cache folder, keyed by everything it depends on: every
entry of the zone folder (names and bytes), the pack's facts file and the code of `zones/`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

# Where things are, found without importing the zone model (pydantic, the loaders: ~0.1 s before
# the first pack could start). Each is the same as the zones package's own, tested.
ZONES_PACKAGE_DIR = Path(importlib.util.find_spec("zones").origin).resolve().parent
FACTS = ZONES_PACKAGE_DIR.parent / "policies" / "zone_facts.json"  # zones.pack_facts.FACTS
CACHE_DIR = ZONES_PACKAGE_DIR.parent / "build" / "cache" / "zone-facts"


def zone_folder() -> Path:
    """zones.default_dir(): BYSIDE_ZONES_DIR or the package folder, read at each call."""
    return Path(os.environ.get("BYSIDE_ZONES_DIR") or ZONES_PACKAGE_DIR)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.glob("*.yaml")):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=8)
def _env(folder: str, digest: str) -> tuple[tuple[str, str], ...]:
    import zones
    from zones import pack_facts

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


def _key(folder: Path) -> str:
    """What the decision depends on: every entry of the zone folder (a stray `we1.yml` or a
    symlink is the loader's to reject, so it must change the key), the facts file, zones/ code."""
    h = hashlib.sha256()
    for f in sorted(folder.iterdir()) if folder.is_dir() else []:
        h.update(b"E" + f.name.encode("utf-8", "surrogateescape") + b"\0")
        if f.is_symlink():
            h.update(b"L" + os.readlink(f).encode("utf-8", "surrogateescape") + b"\0")
        elif f.is_file():
            h.update(f.read_bytes() + b"\0")
    h.update(FACTS.read_bytes() if FACTS.is_file() else b"-")
    for f in sorted(ZONES_PACKAGE_DIR.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def facts_env(folder: Path | None = None) -> dict[str, str]:
    """Environment for a pack process: BYSIDE_ZONE_FACTS when the pack's own file does not fit the
    zone data in use (`folder`, default zone_folder(); `byside diff` gives its base checkout's).
    Raises zones.ZoneDataError when the zone data in use does not load."""
    if os.environ.get("BYSIDE_ZONE_FACTS"):
        return {}
    folder = Path(folder).resolve() if folder is not None else zone_folder()
    known = CACHE_DIR / f"decision-{_key(folder)[:32]}.json"
    try:
        env = dict(json.loads(known.read_text(encoding="utf-8")))
        if all(Path(v).is_file() for v in env.values()):
            return env
    except (OSError, ValueError, TypeError):
        pass  # not decided yet (or the cache was cleared): decide again
    env = dict(_env(str(folder), _digest(folder)))
    try:
        known.parent.mkdir(parents=True, exist_ok=True)
        tmp = known.with_name(f"{known.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(env, sort_keys=True), encoding="utf-8")
        tmp.replace(known)
    except OSError:
        pass  # a read-only checkout: decide on every run
    return env
