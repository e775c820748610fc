"""Reading a `byside check --format json` report back: `byside check --baseline FILE` (`load`) and
`byside controls --report FILE` (`read_report`).

`--baseline`: a previous report, whose violations are known. The gate then fails only on mandatory violations that are not in it, and says how many
of the known ones remain. Violations are compared by fingerprint (policy, resource, message:
`locations.fingerprint`), never by position, so an unrelated edit does not make a finding new."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..console import BadInput
from .locations import fingerprint
from .model import FIELDS as VIOLATION_FIELDS, Rule, Violation

FIELDS = ("policy", "urn", "message")


def load(path: Path) -> frozenset[str]:
    """The fingerprints of the report's violations; BadInput (exit 2) naming the file and field
    for anything that is not a `byside-check/1` report."""
    return frozenset(fingerprint(v.policy, v.urn, v.message) for v in read_report(path, "--baseline").violations)


@dataclass
class Report:
    """What `byside controls` needs of a check: the zones, the rules that ran, the violations."""

    zones: list[str]
    rules: dict[str, Rule]
    violations: list[Violation]


def read_report(path: Path, option: str = "--report") -> Report:
    from .. import safeio

    doc = safeio.load_json(path)
    if not isinstance(doc, dict) or doc.get("format") != "byside-check/1":
        got = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise BadInput(f"{path}: {option}: format: expected a `byside check --format json` report "
                       f"(byside-check/1), got {got!r}")
    violations = doc.get("violations")
    if not isinstance(violations, list):
        raise BadInput(f"{path}: {option}: violations: expected a list")
    found = []
    for i, v in enumerate(violations):
        missing = [k for k in FIELDS if not isinstance(v, dict) or not isinstance(v.get(k), str)]
        if missing:
            raise BadInput(f"{path}: {option}: violations[{i}].{missing[0]}: expected a string")
        found.append(Violation(**{k: str(v.get(k, "")) for k in VIOLATION_FIELDS}))
    rules = {}
    for i, r in enumerate(doc.get("rules") or []):
        if not isinstance(r, dict) or not isinstance(r.get("id"), str):
            raise BadInput(f"{path}: {option}: rules[{i}].id: expected a string")
        rules[r["id"]] = Rule(**{k: str(r.get(k) or "") for k in ("id", "source", "title", "severity", "enforcement",
                                                                     "description", "remediation", "clause")})
    zones = (doc.get("summary") or {}).get("zones")
    if not isinstance(zones, list) or not all(isinstance(z, str) for z in zones):
        raise BadInput(f"{path}: {option}: summary.zones: expected a list of zone names")
    return Report(list(zones), rules, found)
