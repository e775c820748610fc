"""Where a finding is shown: the zone-file line of the fact that caused it when there is one, else
the program line that registered the resource; the other (and the rest of the resource's facts)
as related locations. Every location is a file relative to the project root that exists there, so
GitHub can show it in a pull request's diff.

Fallbacks, in order, when a resource has neither: any zone fact of the resource, the zone file's
`id` line, the plan file (inside the repository), Pulumi.yaml.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..provenance.causes import cause
from .model import Violation


@dataclass(frozen=True)
class Location:
    uri: str  # relative to the project root, an existing file
    line: int
    what: str  # why this place: "allowlists[0].cidrs[1] (185.40.16.0/20)", "program", ...

    @property
    def where(self) -> str:
        return f"{self.uri}:{self.line}"


def _exists(root: Path, uri: str) -> bool:
    return bool(uri) and not Path(uri).is_absolute() and ".." not in Path(uri).parts and (root / uri).is_file()


def _zone_id_line(root: Path, zone: str) -> Location | None:
    uri = f"zones/{zone}.yaml"
    if not zone or not _exists(root, uri):
        return None
    for n, text in enumerate((root / uri).read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if text.startswith("id:"):
            return Location(uri, n, f"zone {zone}")
    return Location(uri, 1, f"zone {zone}")


def locate(v: Violation, provenance: dict, root: Path) -> tuple[Location, list[Location]]:
    """(primary, related) locations of a finding."""
    p = provenance.get(v.urn)
    facts = [f for f in (p.facts if p else ()) if _exists(root, f.file)]
    program = p.program if p and p.program and _exists(root, p.program.file) else None
    caused = cause(v.policy, v.message, facts)
    found: list[Location] = []
    if caused is not None:
        found.append(Location(caused.file, caused.line, f"{caused.path} ({caused.value})"))
    if program is not None:
        found.append(Location(program.file, program.line, "program: where the resource is registered"))
    for f in facts:
        if f is not caused and f.kind not in ("tags", "zone"):
            found.append(Location(f.file, f.line, f"{f.path} ({f.value})"))
    if not found:
        fallback = _zone_id_line(root, v.zone)
        origin = v.origin if v.origin and not v.origin.startswith("preview:") else ""
        rel = _relative(origin, root) if origin else ""
        if fallback is None and rel and _exists(root, rel):
            fallback = Location(rel, 1, "plan file")
        found.append(fallback or Location("Pulumi.yaml", 1, "the project"))
    unique: list[Location] = []
    for loc in found:
        if (loc.uri, loc.line) not in {(u.uri, u.line) for u in unique}:
            unique.append(loc)
    return unique[0], unique[1:]


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return ""


def fingerprint(policy: str, urn: str, message: str) -> str:
    """Stable across runs and unrelated edits: the policy, the resource and what is wrong with it —
    never a line number or a file path (`byside check --baseline`, `byside diff`, SARIF
    partialFingerprints)."""
    return hashlib.sha256(f"{policy}\0{urn}\0{message}".encode()).hexdigest()
