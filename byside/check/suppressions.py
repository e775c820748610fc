"""Suppressions: a reviewed, expiring exception for one policy on resources matching a URN glob.

File (YAML): a list under `suppressions:`, each entry with exactly
  policy: <policy or checkov check ID>   urn: <glob, fnmatch syntax>
  reason: <why; required>                expires: <YYYY-MM-DD; valid through that day>
A suppressed violation does not count. An expired suppression suppresses nothing and fails the
gate; an unused one is reported as a warning (it is stale and should go).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..console import BadInput
from .model import Violation

KEYS = ("policy", "urn", "reason", "expires")


@dataclass
class Suppression:
    policy: str
    urn: str
    reason: str
    expires: date
    file: str
    line: int
    matched: list[Violation] = field(default_factory=list)

    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def matches(self, v: Violation) -> bool:
        return v.policy == self.policy and fnmatchcase(v.urn, self.urn)

    def as_dict(self) -> dict:
        return {"policy": self.policy, "urn": self.urn, "reason": self.reason, "expires": self.expires.isoformat(),
                "file": self.file, "line": self.line, "matched": len(self.matched)}


def load(path: Path) -> list[Suppression]:
    src = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{src}: no such suppressions file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"{src}: cannot read: {e}") from None
    try:
        doc = YAML(typ="rt").load(text)
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise BadInput(f"{src}{at}: not valid YAML: {getattr(e, 'problem', None) or e}") from None
    if doc is None:
        return []
    if not isinstance(doc, dict) or set(doc) != {"suppressions"}:
        raise BadInput(f"{src}:1: expected a mapping with one key `suppressions` (a list of entries)")
    entries = doc["suppressions"] or []
    if not isinstance(entries, list):
        raise BadInput(f"{src}:{doc.lc.key('suppressions')[0] + 1}: suppressions: expected a list")
    out: list[Suppression] = []
    for i, e in enumerate(entries):
        line = entries.lc.item(i)[0] + 1
        if not isinstance(e, dict):
            raise BadInput(f"{src}:{line}: suppressions[{i}]: expected a mapping with {', '.join(KEYS)}")
        unknown = sorted(set(e) - set(KEYS))
        if unknown:
            raise BadInput(f"{src}:{e.lc.key(unknown[0])[0] + 1}: suppressions[{i}].{unknown[0]}: unknown field "
                           f"(allowed: {', '.join(KEYS)})")
        for k in KEYS:
            if k not in e or e[k] in (None, ""):
                raise BadInput(f"{src}:{line}: suppressions[{i}].{k}: required")
        for k in ("policy", "urn", "reason"):
            if not isinstance(e[k], str) or not e[k].strip():
                raise BadInput(f"{src}:{e.lc.value(k)[0] + 1}: suppressions[{i}].{k}: expected a non-empty string")
        expires = e["expires"]
        if isinstance(expires, str):
            try:
                expires = date.fromisoformat(expires)
            except ValueError:
                pass
        if not isinstance(expires, date):
            raise BadInput(f"{src}:{e.lc.value('expires')[0] + 1}: suppressions[{i}].expires: {e['expires']!r} is not "
                           "a date (YYYY-MM-DD)")
        out.append(Suppression(str(e["policy"]).strip(), str(e["urn"]).strip(), str(e["reason"]).strip(), expires,
                               src, line))
    return out


@dataclass
class Applied:
    kept: list[Violation]  # count towards the gate
    suppressed: list[tuple[Violation, Suppression]]
    expired: list[Suppression]  # fail the gate
    unused: list[Suppression]  # warnings


def apply(violations: list[Violation], suppressions: list[Suppression], today: date) -> Applied:
    active = [s for s in suppressions if s.expires >= today]
    expired = [s for s in suppressions if s.expires < today]
    kept, suppressed = [], []
    for v in violations:
        s = next((s for s in active if s.matches(v)), None)
        if s is None:
            kept.append(v)
        else:
            s.matched.append(v)
            suppressed.append((v, s))
    unused = [s for s in active if not s.matched]
    return Applied(kept, suppressed, expired, unused)
