"""Suppressions: a reviewed, expiring exception for one policy on resources matching a URN glob.

File (YAML, read through byside/safeyaml.py):

  max_lifetime_days: 365        # optional header: no entry may expire later than today + this
  suppressions:
    - policy: <policy or checkov check ID>   urn: <glob, fnmatch syntax>
      reason: <why; required>                expires: <YYYY-MM-DD; valid through that day>
      scope: all                # only, and then required, when `urn` matches every URN

A suppressed violation does not count. An expired suppression suppresses nothing and fails the
gate; an unused one is reported as a warning (it is stale and should go). Everything else that
is wrong is exit 2 naming file and line: an unknown field, a missing or empty one, a date that is
not a real `YYYY-MM-DD` day (a date and time included), an expiry further away than the lifetime
allows, a glob that matches every URN without `scope: all`, and — once the pack and checkov have
said which IDs exist (`check_ids`) — an unknown policy or check ID, with the closest known one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Iterable

from ..console import BadInput
from .model import Violation

KEYS = ("policy", "urn", "reason", "expires", "scope")
REQUIRED = ("policy", "urn", "reason", "expires")
HEADER = ("max_lifetime_days", "suppressions")
DEFAULT_MAX_LIFETIME_DAYS = 365
MAX_LIFETIME_CAP_DAYS = 3650
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]")
# URNs that share nothing but the URN's own structure: a glob matching all of them matches every
# URN in practice (`*`, `urn:*`, `urn:pulumi:*::*`, `*::*`), so it needs `scope: all`.
PROBE_URNS = (
    "urn:pulumi:0::0::0::0",
    "urn:pulumi:QQ::QQ::QQ$QQ::QQ",
    "urn:pulumi:x_y-z.w::Ab9::kk:jj/hh:GG::n m[]{}!#%&+,;=@^`~",
)
# checkov's check IDs (CKV_AWS_23, CKV2_GCP_12, CKV_BYS_1): accepted unverified when checkov did not run.
CHECKOV_ID = re.compile(r"CKV\d*_[A-Z0-9]+_\d+")


@dataclass
class Suppression:
    policy: str
    urn: str
    reason: str
    expires: date
    file: str
    line: int
    scope: str = ""
    policy_line: int = 0
    matched: list[Violation] = field(default_factory=list)

    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def matches(self, v: Violation) -> bool:
        return v.policy == self.policy and fnmatchcase(v.urn, self.urn)

    def as_dict(self) -> dict:
        out = {"policy": self.policy, "urn": self.urn, "reason": self.reason, "expires": self.expires.isoformat(),
               "file": self.file, "line": self.line, "matched": len(self.matched)}
        if self.scope:
            out["scope"] = self.scope
        return out


def matches_every_urn(glob: str) -> bool:
    return all(fnmatchcase(u, glob) for u in PROBE_URNS)


def _date(value, where: str, field_name: str) -> date:
    text = value if isinstance(value, str) else None
    if text is not None and _DATETIME.match(text.strip()):
        raise BadInput(f"{where}: {field_name}: {value!r} is a date and time; give the last day the suppression "
                       "holds, as a date (YYYY-MM-DD)")
    if text is None or not _DAY.fullmatch(text.strip()):
        raise BadInput(f"{where}: {field_name}: {value!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(text.strip())
    except ValueError as e:
        raise BadInput(f"{where}: {field_name}: {value!r} is not a date ({e})") from None


def load(path: Path, today: date | None = None) -> list[Suppression]:
    from .. import safeyaml

    today = today or date.today()
    src = str(path)
    doc = safeyaml.load(path, what="suppressions file")
    data = doc.data
    if data is None:
        return []
    if not isinstance(data, dict) or "suppressions" not in data or set(data) - set(HEADER):
        extra = sorted(set(data) - set(HEADER)) if isinstance(data, dict) else []
        at = f"{src}:{doc.line((extra[0],))}: {extra[0]}: unknown field" if extra else f"{src}:1"
        raise BadInput(f"{at}: expected a mapping with `suppressions` (a list of entries) and, optionally, "
                       "`max_lifetime_days`")
    lifetime = data.get("max_lifetime_days", DEFAULT_MAX_LIFETIME_DAYS)
    if type(lifetime) is not int or not 1 <= lifetime <= MAX_LIFETIME_CAP_DAYS:
        raise BadInput(f"{src}:{doc.line(('max_lifetime_days',))}: max_lifetime_days: {lifetime!r} is not a number "
                       f"of days from 1 to {MAX_LIFETIME_CAP_DAYS}")
    latest = today + timedelta(days=lifetime)
    entries = data["suppressions"] or []
    if not isinstance(entries, list):
        raise BadInput(f"{src}:{doc.line(('suppressions',))}: suppressions: expected a list")
    out: list[Suppression] = []
    for i, e in enumerate(entries):
        base = ("suppressions", i)
        line = doc.line(base)

        def at(k: str) -> str:
            return f"{src}:{doc.line(base + (k,))}: suppressions[{i}].{k}"

        if not isinstance(e, dict):
            raise BadInput(f"{src}:{line}: suppressions[{i}]: expected a mapping with {', '.join(REQUIRED)}")
        unknown = sorted(set(e) - set(KEYS))
        if unknown:
            raise BadInput(f"{at(unknown[0])}: unknown field (allowed: {', '.join(KEYS)})")
        for k in REQUIRED:
            if k not in e or e[k] in (None, ""):
                raise BadInput(f"{src}:{line}: suppressions[{i}].{k}: required")
        for k in ("policy", "urn", "reason"):
            if not isinstance(e[k], str) or not e[k].strip():
                raise BadInput(f"{at(k)}: expected a non-empty string")
        expires = _date(e["expires"], f"{src}:{doc.line(base + ('expires',))}", f"suppressions[{i}].expires")
        if expires > latest:
            raise BadInput(f"{at('expires')}: {expires} is more than {lifetime} days after today ({today}; the "
                           f"latest allowed is {latest}) — review it sooner, or set `max_lifetime_days` in the "
                           "file's header")
        urn = e["urn"].strip()
        scope = e.get("scope")
        if scope is not None and scope != "all":
            raise BadInput(f"{at('scope')}: {scope!r}: the only scope is `all` (for a glob that matches every URN)")
        if matches_every_urn(urn) and scope != "all":
            raise BadInput(f"{at('urn')}: {urn!r} matches every URN: narrow the glob to the resources meant, or say "
                           "so with `scope: all`")
        if scope == "all" and not matches_every_urn(urn):
            raise BadInput(f"{at('scope')}: `scope: all` but {urn!r} does not match every URN; remove `scope`")
        out.append(Suppression(e["policy"].strip(), urn, e["reason"].strip(), expires, src, line,
                               scope or "", doc.line(base + ("policy",))))
    return out


def check_ids(suppressions: list[Suppression], known: Iterable[str], unverifiable: str = "") -> list[str]:
    """BadInput for the first suppression naming an ID outside `known`, with the closest one.
    `unverifiable` (why, e.g. "checkov did not run") lets checkov-shaped IDs through unchecked;
    they are returned for a note."""
    known = sorted(set(known))
    skipped = []
    for s in suppressions:
        if s.policy in known:
            continue
        if unverifiable and CHECKOV_ID.fullmatch(s.policy):
            skipped.append(s.policy)
            continue
        close = difflib.get_close_matches(s.policy, known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {len(known)} IDs, see `byside controls`"
        raise BadInput(f"{s.file}:{s.policy_line or s.line}: policy: {s.policy!r} is not a policy of the pack nor a "
                       f"checkov check; {hint}")
    return sorted(set(skipped))


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
