"""The authorised list, the HR roster and the previous review: parsed and checked row by row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .csvfile import InputError, Rejected, read_rows

AUTH_COLUMNS = ("person_id", "name", "badge_id", "dc", "area", "access_level", "granted_on", "granted_by",
                "justification", "valid_until")
ROSTER_COLUMNS = ("person_id", "name", "status", "termination_date", "job_role")
STATUSES = ("active", "leave", "terminated")


@dataclass(frozen=True)
class Authorisation:
    line: int
    person_id: str
    name: str
    badge_id: str
    dc: str
    area: str
    access_level: str
    granted_on: date
    granted_by: str
    justification: str
    valid_until: date | None

    def row(self) -> list[str]:
        """The row in AUTH_COLUMNS order, dates in ISO form."""
        return [self.person_id, self.name, self.badge_id, self.dc, self.area, self.access_level,
                self.granted_on.isoformat(), self.granted_by, self.justification,
                self.valid_until.isoformat() if self.valid_until else ""]


@dataclass(frozen=True)
class RosterEntry:
    line: int
    person_id: str
    name: str
    status: str
    termination_date: date | None
    job_role: str


def _date(text: str) -> date:
    if len(text) != 10:  # fromisoformat also takes 20250101; the exports always write YYYY-MM-DD
        raise ValueError
    return date.fromisoformat(text)


@dataclass
class AuthorisedList:
    rows: list[Authorisation]
    read: int
    other_dc: int
    rejected: list[Rejected]


def parse_authorized(path: Path, dc: str) -> AuthorisedList:
    rows: list[Authorisation] = []
    rejected: list[Rejected] = []
    seen: dict[tuple[str, str, str], int] = {}
    read = other = 0
    for line, v in read_rows(path, AUTH_COLUMNS, "authorised list"):
        read += 1
        # Identifiers and dates are trimmed; free text is kept exactly as written.
        person_id, name, badge_id, row_dc, area, level, granted_on, granted_by, why, valid_until = v
        person_id, badge_id, row_dc, area = person_id.strip(), badge_id.strip(), row_dc.strip(), area.strip()
        granted_on, valid_until = granted_on.strip(), valid_until.strip()

        def bad(reason: str) -> None:
            rejected.append(Rejected(path.name, line, reason))

        if not row_dc:
            bad("missing dc")
            continue
        if row_dc != dc:
            other += 1  # another site's authorisation: counted, not reviewed here
            continue
        if not person_id:
            bad("missing person_id")
            continue
        if not badge_id:
            bad("missing badge_id")
            continue
        try:
            g = _date(granted_on)
        except ValueError:
            bad(f"granted_on {granted_on!r} is not a date (YYYY-MM-DD)")
            continue
        try:
            u = _date(valid_until) if valid_until else None
        except ValueError:
            bad(f"valid_until {valid_until!r} is not a date (YYYY-MM-DD) or empty")
            continue
        if u is not None and u < g:
            bad(f"valid_until {u} is before granted_on {g}")
            continue
        key = (person_id, badge_id, area)
        if key in seen:
            bad(f"duplicate of line {seen[key]} (same person_id, badge_id and area)")
            continue
        seen[key] = line
        rows.append(Authorisation(line, person_id, name, badge_id, row_dc, area, level, g, granted_by, why, u))
    return AuthorisedList(rows, read, other, rejected)


@dataclass
class Roster:
    people: dict[str, RosterEntry]
    read: int
    rejected: list[Rejected]


def parse_roster(path: Path) -> Roster:
    people: dict[str, RosterEntry] = {}
    rejected: list[Rejected] = []
    read = 0
    for line, v in read_rows(path, ROSTER_COLUMNS, "HR roster"):
        read += 1
        person_id, name, status, term, role = v
        person_id, status, term, role = person_id.strip(), status.strip(), term.strip(), role.strip()
        reason = None
        t = None
        if not person_id:
            reason = "missing person_id"
        elif status not in STATUSES:
            reason = f"status {status!r} is not one of {', '.join(STATUSES)}"
        elif person_id in people:
            reason = f"duplicate person_id {person_id!r} (first on line {people[person_id].line})"
        else:
            try:
                t = _date(term) if term else None
            except ValueError:
                reason = f"termination_date {term!r} is not a date (YYYY-MM-DD) or empty"
        if reason:
            rejected.append(Rejected(path.name, line, reason))
            continue
        people[person_id] = RosterEntry(line, person_id, name, status, t, role)
    return Roster(people, read, rejected)


@dataclass(frozen=True)
class PreviousReview:
    dc: str
    as_of: date
    signed_on: date | None
    authorised: dict[tuple[str, str, str], dict]  # (person_id, badge_id, area) -> next_authorized row

    @property
    def reference(self) -> date:
        """The date the previous review counts from: its sign-off date if the reviewer filled
        ``sign_off.signed_on`` in review.json, else its ``as_of``."""
        return self.signed_on or self.as_of


def parse_previous(path: Path) -> PreviousReview:
    from byside import safeio

    label = f"previous review {path}"
    try:  # bounded size, UTF-8 with line:column, nesting capped (a 100,000-deep file is exit 2)
        doc = safeio.load_json(path, what="previous review")
    except safeio.InputError as exc:
        raise InputError(f"previous review {exc}") from None
    if not isinstance(doc, dict):
        raise InputError(f"{label}: expected a JSON object (review.json of byside audit dc-access)")

    def field(name: str, kind: type):
        if name not in doc:
            raise InputError(f"{label}: missing field {name!r} (is it review.json of byside audit dc-access?)")
        if not isinstance(doc[name], kind):
            raise InputError(f"{label}: field {name!r} must be a {kind.__name__}")
        return doc[name]

    dc = field("dc", str)
    try:
        as_of = _date(field("as_of", str))
    except ValueError:
        raise InputError(f"{label}: field 'as_of' {doc['as_of']!r} is not a date (YYYY-MM-DD)") from None
    signed_on = None
    sign = doc.get("sign_off")
    if isinstance(sign, dict) and sign.get("signed_on"):
        try:
            signed_on = _date(str(sign["signed_on"]))
        except ValueError:
            raise InputError(f"{label}: field 'sign_off.signed_on' {sign['signed_on']!r} is not a date") from None
    authorised: dict[tuple[str, str, str], dict] = {}
    for i, row in enumerate(field("next_authorized", list)):
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in AUTH_COLUMNS):
            raise InputError(f"{label}: next_authorized[{i}] must be an object with the string fields "
                             f"{', '.join(AUTH_COLUMNS)}")
        authorised[(row["person_id"], row["badge_id"], row["area"])] = row
    return PreviousReview(dc, as_of, signed_on, authorised)
