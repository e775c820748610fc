"""The authorised list, the HR roster and the previous review: parsed and checked row by row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .csvfile import InputError, Rejected, read_rows
from .mapping import NATIVE_AUTHORIZED, NATIVE_ROSTER, AuthorizedFormat, RosterFormat, parse_iso_date

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


_date = parse_iso_date


@dataclass
class AuthorisedList:
    rows: list[Authorisation]
    read: int
    other_dc: int
    rejected: list[Rejected]


def _getter(fmt, cols: tuple[str, ...]):
    """values (in ``cols`` order) -> the native field's text ("" for a column the format leaves out)."""
    idx = {f: cols.index(c) for f, c in fmt.columns.items()}

    def get(v: list[str], f: str) -> str:
        i = idx.get(f)
        return v[i] if i is not None else ""
    return get, idx


def parse_authorized(path: Path, dc: str, fmt: AuthorizedFormat = NATIVE_AUTHORIZED) -> AuthorisedList:
    rows: list[Authorisation] = []
    rejected: list[Rejected] = []
    seen: dict[tuple[str, str, str], int] = {}
    read = other = 0
    cols = fmt.source_columns
    get, idx = _getter(fmt, cols)
    levels = fmt.access_level
    for line, v in read_rows(path, cols, "authorised list"):
        read += 1
        # Identifiers and dates are trimmed; free text is kept exactly as written.
        person_id, badge_id, area = get(v, "person_id").strip(), get(v, "badge_id").strip(), get(v, "area").strip()
        name, level, granted_by, why = get(v, "name"), get(v, "access_level"), get(v, "granted_by"), get(v, "justification")
        granted_on, valid_until = get(v, "granted_on").strip(), get(v, "valid_until").strip()
        if levels is not None:
            level = levels.get(level.strip(), level)
        if "dc" in idx:
            raw_dc = get(v, "dc").strip()
            row_dc = fmt.dc.get(raw_dc, raw_dc) if fmt.dc is not None else raw_dc
        else:
            row_dc = dc  # a list without a site column is the reviewed site's

        def bad(reason: str) -> None:
            rejected.append(Rejected(path.name, line, reason))

        if not row_dc:
            bad(f"missing {fmt.label('dc')}")
            continue
        if row_dc != dc:
            other += 1  # another site's authorisation: counted, not reviewed here
            continue
        if not person_id:
            bad(f"missing {fmt.label('person_id')}")
            continue
        if not badge_id:
            bad(f"missing {fmt.label('badge_id')}")
            continue
        try:
            g = fmt.parse_date(granted_on)
        except ValueError:
            bad(f"{fmt.label('granted_on')} {granted_on!r} is not a date ({fmt.date_hint})")
            continue
        try:
            u = fmt.parse_date(valid_until) if valid_until else None
        except ValueError:
            bad(f"{fmt.label('valid_until')} {valid_until!r} is not a date ({fmt.date_hint}) or empty")
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


def parse_roster(path: Path, fmt: RosterFormat = NATIVE_ROSTER) -> Roster:
    people: dict[str, RosterEntry] = {}
    rejected: list[Rejected] = []
    read = 0
    cols = fmt.source_columns
    get, _ = _getter(fmt, cols)
    roles = fmt.job_role
    for line, v in read_rows(path, cols, "HR roster"):
        read += 1
        person_id, name, raw_status = get(v, "person_id").strip(), get(v, "name"), get(v, "status").strip()
        term, role = get(v, "termination_date").strip(), get(v, "job_role").strip()
        status = fmt.status.get(raw_status)
        if roles is not None:
            role = roles.get(role, role)
        reason = None
        t = None
        if not person_id:
            reason = f"missing {fmt.label('person_id')}"
        elif status is None:
            reason = f"{fmt.label('status')} {raw_status!r} is not one of {fmt.status_choices()}"
        elif person_id in people:
            reason = f"duplicate person_id {person_id!r} (first on line {people[person_id].line})"
        else:
            try:
                t = fmt.parse_date(term) if term else None
            except ValueError:
                reason = f"{fmt.label('termination_date')} {term!r} is not a date ({fmt.date_hint}) or empty"
        if reason:
            rejected.append(Rejected(path.name, line, reason))
            continue
        people[person_id] = RosterEntry(line, person_id, name, status, t, role)
    return Roster(people, read, rejected)


@dataclass(frozen=True)
class PreviousDecision:
    """One reviewer decision of a signed previous review."""
    person_id: str
    decision: str                 # retain, revoke or change
    badges: tuple[str, ...]       # the person's badges when the review was signed
    rows: tuple[dict, ...] = ()   # the person's rows on the signed updated list (none for revoke)


@dataclass(frozen=True)
class PreviousReview:
    dc: str
    as_of: date
    signed_on: date | None
    authorised: dict[tuple[str, str, str], dict]  # (person_id, badge_id, area) -> row of the list it left
    kind: str = "review"          # "review" (an unsigned review.json) or "signed" (a signed folder)
    reviewer: str | None = None
    decisions: tuple[PreviousDecision, ...] = ()
    signature: str = ""           # the signed folder's signature status
    source: str = ""

    @property
    def reference(self) -> date:
        """The date the previous review counts from: its signature date (a signed folder, or the
        ``sign_off.signed_on`` a reviewer filled in review.json), else its ``as_of``."""
        return self.signed_on or self.as_of


def _fields(doc: dict, label: str, hint: str):
    def field(name: str, kind: type):
        if name not in doc:
            raise InputError(f"{label}: missing field {name!r} ({hint})")
        if not isinstance(doc[name], kind):
            raise InputError(f"{label}: field {name!r} must be a {kind.__name__}")
        return doc[name]

    def day(name: str) -> date:
        try:
            return _date(field(name, str))
        except ValueError:
            raise InputError(f"{label}: field {name!r} {doc[name]!r} is not a date (YYYY-MM-DD)") from None
    return field, day


def _rows(items: list, label: str, name: str) -> dict[tuple[str, str, str], dict]:
    out: dict[tuple[str, str, str], dict] = {}
    for i, row in enumerate(items):
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in AUTH_COLUMNS):
            raise InputError(f"{label}: {name}[{i}] must be an object with the string fields {', '.join(AUTH_COLUMNS)}")
        out[(row["person_id"], row["badge_id"], row["area"])] = {k: row[k] for k in AUTH_COLUMNS}
    return out


def parse_previous(path: Path, allowed_signers: Path | None = None) -> PreviousReview:
    """Last year's review: a signed folder (or its signed-review.json), whose manifest must verify
    (and its signature, given ``allowed_signers``); or an unsigned review.json (or its folder)."""
    from .signedfile import check_signed, is_signed_review, load_json

    path = Path(path)
    if is_signed_review(path):
        try:
            check = check_signed(path, allowed_signers)
        except ValueError as exc:
            raise InputError(f"previous review: {exc}") from None
        label = f"previous review {check.folder}"
        if check.problems:
            raise InputError(f"{label}: does not verify — " + "; ".join(check.problems))
        return _signed_previous(check.doc, label, check.signature_status, str(check.folder))
    if path.is_dir():
        path = path / "review.json"
    label = f"previous review {path}"
    if allowed_signers is not None:
        raise InputError(f"{label}: --allowed-signers needs a signed review (a folder written by "
                         "`byside audit dc-access sign`); this is an unsigned review.json")
    if not path.is_file():
        raise InputError(f"{label}: cannot read (no such file)")
    try:
        doc = load_json(path, label)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if not isinstance(doc, dict):
        raise InputError(f"{label}: expected a JSON object (review.json of byside audit dc-access)")
    field, day = _fields(doc, label, "is it review.json of byside audit dc-access?")
    dc = field("dc", str)
    as_of = day("as_of")
    signed_on = None
    sign = doc.get("sign_off")
    if isinstance(sign, dict) and sign.get("signed_on"):
        try:
            signed_on = _date(str(sign["signed_on"]))
        except ValueError:
            raise InputError(f"{label}: field 'sign_off.signed_on' {sign['signed_on']!r} is not a date") from None
    authorised = _rows(field("next_authorized", list), label, "next_authorized")
    return PreviousReview(dc, as_of, signed_on, authorised, source=str(path), signature="unsigned review.json")


def _signed_previous(doc: dict, label: str, signature: str, source: str) -> PreviousReview:
    field, day = _fields(doc, label, "written by byside audit dc-access sign?")
    dc, as_of, signed_on = field("dc", str), day("as_of"), day("signed_on")
    reviewer = field("reviewer", str)
    authorised = _rows(field("authorized", list), label, "authorized")
    by_person: dict[str, list[dict]] = {}
    for row in authorised.values():
        by_person.setdefault(row["person_id"], []).append(row)
    decisions = []
    for i, d in enumerate(field("decisions", list)):
        ok = (isinstance(d, dict) and isinstance(d.get("person_id"), str)
              and d.get("decision") in ("retain", "revoke", "change")
              and isinstance(d.get("badges"), list) and all(isinstance(b, str) for b in d["badges"]))
        if not ok:
            raise InputError(f"{label}: decisions[{i}] must be an object with person_id, decision "
                             "(retain, revoke or change) and badges")
        rows = tuple(sorted(by_person.get(d["person_id"], []), key=lambda r: (r["badge_id"], r["area"])))
        decisions.append(PreviousDecision(d["person_id"], d["decision"], tuple(d["badges"]), rows))
    return PreviousReview(dc, as_of, signed_on, authorised, kind="signed", reviewer=reviewer,
                          decisions=tuple(decisions), signature=signature, source=source)
