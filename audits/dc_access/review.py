"""The DC access review as data: read the inputs, run every check, propose a decision per person."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from .codes import CODES, decide
from .csvfile import InputError, Rejected
from .events import Holder, scan_events, stamp
from .findings import Finding, badge_findings, person_findings, review_cycle_finding
from .inputs import AUTH_COLUMNS, Authorisation, PreviousReview, parse_authorized, parse_previous, parse_roster


@dataclass(frozen=True)
class Params:
    dc: str
    year: int
    authorized: Path
    events: Path
    roster: Path
    roles: tuple[str, ...]
    dormant_days: int
    previous: Path | None = None
    as_of: date | None = None

    @property
    def as_of_date(self) -> date:
        return self.as_of or date(self.year, 12, 31)


@dataclass
class Person:
    person_id: str
    name: str
    badges: tuple[str, ...]
    areas: tuple[str, ...]
    access_levels: tuple[str, ...]
    job_role: str | None
    hr_status: str | None
    valid_until: str
    last_entry: str | None
    entries: int
    codes: tuple[str, ...]
    decision: str

    def as_dict(self) -> dict:
        return {"person_id": self.person_id, "name": self.name, "badge_id": " ".join(self.badges),
                "areas": list(self.areas), "access_levels": list(self.access_levels), "job_role": self.job_role,
                "hr_status": self.hr_status, "valid_until": self.valid_until or None,
                "decision": self.decision, "codes": list(self.codes), "last_entry": self.last_entry,
                "entries": self.entries}


@dataclass
class Review:
    params: Params
    as_of: date
    counts: dict
    people: list[Person]
    findings: list[Finding]
    rejected: list[Rejected]
    next_authorized: list[tuple[list[str], str]]  # (row in AUTH_COLUMNS order, change)
    previous: PreviousReview | None = None
    removed: list[dict] = field(default_factory=list)


def run_review(params: Params, progress: Callable[[int], None] | None = None) -> Review:
    """Everything but writing: raises :class:`InputError` on an unreadable/wrongly-shaped input."""
    as_of = params.as_of_date
    roles = set(params.roles)
    previous = parse_previous(params.previous) if params.previous else None
    if previous is not None and previous.dc != params.dc:
        raise InputError(f"previous review {params.previous}: it reviews dc {previous.dc!r}, not {params.dc!r}")
    auth = parse_authorized(params.authorized, params.dc)
    roster = parse_roster(params.roster)

    by_person: dict[str, list[Authorisation]] = defaultdict(list)
    by_badge: dict[str, list[Authorisation]] = defaultdict(list)
    for a in auth.rows:
        by_person[a.person_id].append(a)
        by_badge[a.badge_id].append(a)
    holders = {badge: _holder(rows, roster.people) for badge, rows in by_badge.items()}

    scan = scan_events(params.events, params.dc, params.year, holders, progress)

    findings: list[Finding] = list(scan.findings)
    findings += badge_findings(auth.rows)
    findings += review_cycle_finding(previous, as_of)
    people_last: dict[str, tuple[int, int] | None] = {}
    for person, rows in by_person.items():
        lasts = [le for le in (scan.last_entry(b) for b in {a.badge_id for a in rows}) if le is not None]
        people_last[person] = max(lasts) if lasts else None
        last = people_last[person]
        last_day = datetime.fromtimestamp(last[0], timezone.utc).date() if last else None
        findings += person_findings(person, rows, roster.people.get(person), roles, as_of,
                                    params.dormant_days, last_day)
    findings.sort(key=Finding.sort_key)

    codes_of: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        for p in f.people:
            codes_of[p].add(f.code)
    people = []
    for person in sorted(by_person):
        rows = sorted(by_person[person], key=lambda a: (a.badge_id, a.area))
        hr = roster.people.get(person)
        badges = tuple(sorted({a.badge_id for a in rows}))
        last = people_last[person]
        codes = tuple(sorted(codes_of[person]))
        valid = [a.valid_until for a in rows]
        people.append(Person(
            person_id=person, name=(hr.name if hr and hr.name else rows[0].name),
            badges=badges, areas=tuple(sorted({a.area for a in rows})),
            access_levels=tuple(sorted({a.access_level for a in rows})),
            job_role=hr.job_role if hr else None, hr_status=hr.status if hr else None,
            valid_until="" if any(v is None for v in valid) else max(valid).isoformat(),  # type: ignore[type-var]
            last_entry=stamp(*last) if last else None,
            entries=sum(scan.entries(b) for b in badges), codes=codes, decision=decide(codes)))

    revoked = {p.person_id for p in people if p.decision == "revoke"}
    kept = sorted((a for a in auth.rows if a.person_id not in revoked),
                  key=lambda a: (a.person_id, a.badge_id, a.area))
    next_rows: list[tuple[list[str], str]] = []
    removed: list[dict] = []
    for a in kept:
        row = a.row()
        change = ""
        if previous is not None:
            old = previous.authorised.get((a.person_id, a.badge_id, a.area))
            change = "added" if old is None else ("unchanged" if [old[c] for c in AUTH_COLUMNS] == row else "changed")
        next_rows.append((row, change))
    if previous is not None:
        now = {(a.person_id, a.badge_id, a.area) for a in kept}
        removed = [previous.authorised[k] for k in sorted(previous.authorised) if k not in now]

    rejected = auth.rejected + roster.rejected + scan.rejected  # each in line order
    by_code = Counter(f.code for f in findings)
    by_decision = Counter(p.decision for p in people)
    counts = {
        "events_read": scan.read, "events_reviewed": scan.reviewed, "events_outside_year": scan.outside_year,
        "events_rejected": len(scan.rejected),
        "authorized_rows_read": auth.read, "authorized_rows_other_dc": auth.other_dc,
        "authorized_rows_rejected": len(auth.rejected),
        "roster_rows_read": roster.read, "roster_rows_rejected": len(roster.rejected),
        "people": len(people), "badges_seen": len(scan.tracks),
        "findings": {code: by_code.get(code, 0) for code in CODES},
        "decisions": {d: by_decision.get(d, 0) for d in ("retain", "revoke", "review")},
    }
    # The identity the auditors check: nothing read is unaccounted for.
    assert counts["events_read"] == scan.reviewed + scan.outside_year + len(scan.rejected)
    return Review(params, as_of, counts, people, findings, rejected, next_rows, previous, removed)


def _holder(rows: list[Authorisation], roster: dict) -> Holder:
    """The people behind one badge and the last local date each may still enter with it."""
    people = tuple(sorted({a.person_id for a in rows}))
    limits = []
    for p in people:
        hr = roster.get(p)
        if hr is not None and hr.termination_date is not None:
            limits.append((p, hr.termination_date, "termination date"))
        valid = [a.valid_until for a in rows if a.person_id == p]
        if all(v is not None for v in valid):
            limits.append((p, max(valid), "valid_until"))  # type: ignore[type-var]
    earliest = min((d for _, d, _ in limits), default=None)
    return Holder(people, tuple(limits), earliest)

