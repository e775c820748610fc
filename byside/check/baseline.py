"""`byside check --baseline FILE`: a previous `byside check --format json` report, whose violations
are known. The gate then fails only on mandatory violations that are not in it, and says how many
of the known ones remain. Violations are compared by fingerprint (policy, resource, message:
`locations.fingerprint`), never by position, so an unrelated edit does not make a finding new."""

from __future__ import annotations

from pathlib import Path

from ..console import BadInput
from .locations import fingerprint

FIELDS = ("policy", "urn", "message")


def load(path: Path) -> frozenset[str]:
    """The fingerprints of the report's violations; BadInput (exit 2) naming the file and field
    for anything that is not a `byside-check/1` report."""
    from .. import safeio

    doc = safeio.load_json(path)
    if not isinstance(doc, dict) or doc.get("format") != "byside-check/1":
        got = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise BadInput(f"{path}: --baseline: format: expected a `byside check --format json` report "
                       f"(byside-check/1), got {got!r}")
    violations = doc.get("violations")
    if not isinstance(violations, list):
        raise BadInput(f"{path}: --baseline: violations: expected a list")
    out = set()
    for i, v in enumerate(violations):
        missing = [k for k in FIELDS if not isinstance(v, dict) or not isinstance(v.get(k), str)]
        if missing:
            raise BadInput(f"{path}: --baseline: violations[{i}].{missing[0]}: expected a string")
        out.add(fingerprint(v["policy"], v["urn"], v["message"]))
    return frozenset(out)
