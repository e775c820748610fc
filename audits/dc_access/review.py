"""The DC access review as data: read the inputs, run every check, propose a decision per person."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from zoneinfo import ZoneInfo

from .codes import CODES, decide
from .csvfile import InputError, Rejected
from .events import Holder, Revoked, scan_events, stamp
from .findings import Finding, badge_findings, person_findings, review_cycle_finding
from .inputs import AUTH_COLUMNS, Authorisation, PreviousReview, parse_authorized, parse_previous, parse_roster
from .mapping import NATIVE_AUTHORIZED, NATIVE_EVENTS, NATIVE_ROSTER, AuthorizedFormat, EventsFormat, RosterFormat


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
    events_format: EventsFormat = NATIVE_EVENTS
    authorized_format: AuthorizedFormat = NATIVE_AUTHORIZED
    roster_format: RosterFormat = NATIVE_ROSTER
    # (IANA timezone, where it came from) for timestamps without a UTC offset; None: such events are rejected
    events_timezone: tuple[str, str] | None = None
    allowed_signers: Path | None = None  # to verify a signed --previous

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
    authorized: list[list[str]] = field(default_factory=list)   # this DC's list as read, AUTH_COLUMNS order
    previous_decisions: list[dict] = field(default_factory=list)  # signed previous: carried out or not
    other_dc: dict[str, int] = field(default_factory=dict)        # events of other sites in the file
    skipped: dict[str, int] = field(default_factory=dict)         # rows the events format skips, by value
    # Set by audits.dc_access.guard.assess before writing: what stops a signature, and notices.
    guard: dict = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def run_review(params: Params, progress: Callable[[int], None] | None = None) -> Review:
    """Everything but writing: raises :class:`InputError` on an unreadable/wrongly-shaped input."""
    as_of = params.as_of_date
    roles = set(params.roles)
    previous = parse_previous(params.previous, params.allowed_signers) if params.previous else None
    if previous is not None and previous.dc != params.dc:
        raise InputError(f"previous review {params.previous}: it reviews dc {previous.dc!r}, not {params.dc!r}")
    auth = parse_authorized(params.authorized, params.dc, params.authorized_format)
    roster = parse_roster(params.roster, params.roster_format)

    by_person: dict[str, list[Authorisation]] = defaultdict(list)
    by_badge: dict[str, list[Authorisation]] = defaultdict(list)
    for a in auth.rows:
        by_person[a.person_id].append(a)
        by_badge[a.badge_id].append(a)
    holders = {badge: _holder(rows, roster.people) for badge, rows in by_badge.items()}

    revoked: dict[str, Revoked] = {}
    if previous is not None and previous.kind == "signed":
        for d in previous.decisions:
            if d.decision == "revoke":
                for b in d.badges:
                    revoked[b] = Revoked(d.person_id, previous.signed_on)  # type: ignore[arg-type]
    tz = ZoneInfo(params.events_timezone[0]) if params.events_timezone else None
    scan = scan_events(params.events, params.dc, params.year, holders, progress, params.events_format, tz, revoked)

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
        "events_other_dc": sum(scan.other_dc.values()), "events_skipped": sum(scan.skipped.values()),
        "events_rejected": len(scan.rejected), "events_local_time": scan.local_time,
        "authorized_rows_read": auth.read, "authorized_rows_other_dc": auth.other_dc,
        "authorized_rows_rejected": len(auth.rejected),
        "roster_rows_read": roster.read, "roster_rows_rejected": len(roster.rejected),
        "people": len(people), "badges_seen": len(scan.tracks),
        "findings": {code: by_code.get(code, 0) for code in CODES},
        "decisions": {d: by_decision.get(d, 0) for d in ("retain", "revoke", "review")},
    }
    carried = previous_decisions(previous, auth.rows)
    counts["previous_decisions_not_carried_out"] = sum(1 for d in carried if d["carried_out"] == "no")
    # The identity the auditors check: nothing read is unaccounted for.
    assert counts["events_read"] == (scan.reviewed + scan.outside_year + counts["events_other_dc"]
                                     + counts["events_skipped"] + len(scan.rejected))
    listed = [a.row() for a in sorted(auth.rows, key=lambda a: (a.person_id, a.badge_id, a.area))]
    return Review(params, as_of, counts, people, findings, rejected, next_rows, previous, removed,
                  authorized=listed, previous_decisions=carried, other_dc=dict(sorted(scan.other_dc.items())),
                  skipped=dict(sorted(scan.skipped.items())))


def _shape(row: dict) -> tuple:
    return (row["badge_id"], row["area"], row["access_level"], row["valid_until"])


def previous_decisions(previous: PreviousReview | None, rows: list[Authorisation]) -> list[dict]:
    """The signed previous review's revocations and changes against this year's list: carried out
    (``yes``), not (``no``), or ``superseded`` (a changed person no longer on the list)."""
    if previous is None or previous.kind != "signed":
        return []
    now: dict[str, list[dict]] = defaultdict(list)
    for a in rows:
        now[a.person_id].append(dict(zip(AUTH_COLUMNS, a.row())))
    out = []
    for d in sorted(previous.decisions, key=lambda d: d.person_id):
        if d.decision == "retain":
            continue
        mine = sorted(now.get(d.person_id, []), key=_shape)
        listed = ", ".join(f"badge {r['badge_id']} {r['area']}" for r in mine)
        if d.decision == "revoke":
            state = "no" if mine else "yes"
            detail = f"revoked, but still on the list ({listed})" if mine else "revoked, no longer on the list"
        elif not mine:
            state, detail = "superseded", "changed, and no longer on the list"
        else:
            want = sorted(_shape(r) for r in d.rows)
            state = "yes" if [_shape(r) for r in mine] == want else "no"
            detail = ("changed as decided" if state == "yes" else
                      "changed, but the list differs: decided " + "; ".join(" ".join(x for x in w if x) for w in want)
                      + " — listed " + "; ".join(" ".join(x for x in _shape(r) if x) for r in mine))
        out.append({"person_id": d.person_id, "decision": d.decision, "signed_on": previous.signed_on.isoformat()
                    if previous.signed_on else None, "carried_out": state, "detail": detail})
    return out


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

