"""Findings as data, and the checks on people and on the review as a whole (DCA-01..04, 09, 10).

The event checks (DCA-05..08) live in :mod:`.events`, which streams the badge export.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from .inputs import Authorisation, PreviousReview, RosterEntry


@dataclass(frozen=True, slots=True)  # there may be hundreds of thousands
class Finding:
    code: str
    badge_id: str | None
    person_id: str | None
    timestamp: str | None
    detail: str
    # Who the finding bears on (all holders of a shared badge); not exported as such.
    people: tuple[str, ...] = field(default=(), compare=False)
    # Instant in UTC seconds, to sort event findings in time rather than by their text.
    at: int = field(default=0, compare=False)

    def sort_key(self) -> tuple:
        return (self.code, self.badge_id or "", self.at, self.person_id or "", self.detail)

    def as_dict(self) -> dict:
        return {"code": self.code, "badge_id": self.badge_id, "person_id": self.person_id,
                "timestamp": self.timestamp, "detail": self.detail}


def person_findings(person_id: str, auths: list[Authorisation], hr: RosterEntry | None, roles: set[str],
                    as_of: date, dormant_days: int, last_entry: date | None) -> list[Finding]:
    """DCA-01..04 for one authorised person (all their rows on the list for this DC)."""
    badge = " ".join(sorted({a.badge_id for a in auths}))
    found: list[Finding] = []

    def add(code: str, detail: str) -> None:
        found.append(Finding(code, badge, person_id, None, detail, (person_id,)))

    if hr is None:
        add("DCA-01", "not on the HR roster")
    elif hr.status == "terminated":
        when = f" on {hr.termination_date}" if hr.termination_date else " (no termination date)"
        add("DCA-01", f"terminated{when}, still authorised")
    # Dormancy counts from the last granted entry, or from the grant if there was none since.
    since = max(d for d in (last_entry, min(a.granted_on for a in auths)) if d is not None)
    idle = (as_of - since).days
    if idle > dormant_days:
        what = f"last granted entry {last_entry}" if last_entry else f"no granted entry this year (granted {since})"
        add("DCA-02", f"{what}: {idle} days before {as_of}, threshold {dormant_days}")
    if hr is not None and hr.job_role not in roles:
        add("DCA-03", f"job role {hr.job_role or '(empty)'!r} is not one of {', '.join(sorted(roles))}")
    # A person whose every grant has run out; one still-valid row keeps the person's access.
    if all(a.valid_until is not None and a.valid_until < as_of for a in auths):
        last = max(a.valid_until for a in auths)  # type: ignore[type-var]
        add("DCA-04", f"valid until {last}, before {as_of}")
    return found


def badge_findings(auths: list[Authorisation]) -> list[Finding]:
    """DCA-09: one badge held by several people, one person holding several badges (at this DC)."""
    holders: dict[str, set[str]] = defaultdict(set)
    badges: dict[str, set[str]] = defaultdict(set)
    for a in auths:
        holders[a.badge_id].add(a.person_id)
        badges[a.person_id].add(a.badge_id)
    found = []
    for badge, people in sorted(holders.items()):
        if len(people) > 1:
            for p in sorted(people):
                others = ", ".join(sorted(people - {p}))
                found.append(Finding("DCA-09", badge, p, None, f"badge {badge} also held by {others}", (p,)))
    for person, held in sorted(badges.items()):
        if len(held) > 1:
            found.append(Finding("DCA-09", " ".join(sorted(held)), person, None,
                                 f"holds {len(held)} badges: {', '.join(sorted(held))}", (person,)))
    return found


def review_cycle_finding(previous: PreviousReview | None, as_of: date) -> list[Finding]:
    """DCA-10: the list must have been reviewed within 365 days of this review's as-of date."""
    if previous is None:
        return [Finding("DCA-10", None, None, None, "no previous review given (--previous)")]
    age = (as_of - previous.reference).days
    if age > 365:
        how = "signed on" if previous.signed_on else "as of"
        return [Finding("DCA-10", None, None, None,
                        f"previous review {how} {previous.reference}, {age} days before {as_of}")]
    return []
