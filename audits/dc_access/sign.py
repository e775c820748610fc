"""Closing the annual review, as pure logic: the reviewer's decisions checked against the exported
review, and applied to its authorised list.

- Every authorised person of the review has exactly one decision: ``retain``, ``revoke`` or
  ``change`` (with at least one of ``new_area``, ``new_access_level``, ``new_valid_until``).
- A decision that differs from the proposal carries a comment. The proposal ``review`` is never a
  decision, so every person the review asked a human to look at gets a comment.
- No unknown person, no second decision for one person, no new values on a retain or revoke.
- A change changes something; a new ``valid_until`` is a date on or after the decision date (an
  earlier one is a revocation: say ``revoke``).

:func:`check` returns every problem at once (the command exits 2 and writes nothing if there is
one); :func:`apply` returns the list for the coming year and one row per changed or revoked grant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .decisions import DecisionRow
from .inputs import AUTH_COLUMNS, parse_iso_date

DECISIONS = ("retain", "revoke", "change")
FIELDS = {"new_area": "area", "new_access_level": "access_level", "new_valid_until": "valid_until"}
CHANGE_COLUMNS = ["person_id", "name", "decision", "proposed", "codes", "badge_id", "area", "access_level",
                  "valid_until", "new_area", "new_access_level", "new_valid_until", "comment"]


@dataclass(frozen=True)
class Decision:
    person_id: str
    name: str
    proposed: str
    decision: str
    comment: str
    codes: tuple[str, ...]
    badges: tuple[str, ...]
    new: dict[str, str] = field(default_factory=dict)  # row field -> new value (change only)
    where: str = ""

    def as_dict(self) -> dict:
        return {"person_id": self.person_id, "name": self.name, "proposed": self.proposed,
                "decision": self.decision, "comment": self.comment, "codes": list(self.codes),
                "badges": list(self.badges), "new": dict(sorted(self.new.items())), "where": self.where}


def check(review: dict, rows: list[DecisionRow], signed_on: date) -> tuple[list[Decision], list[str]]:
    """The decisions, and every problem with them (empty: they may be signed)."""
    people = {p["person_id"]: p for p in review["people"]}
    listed: dict[str, list[dict]] = {}
    for row in review["authorized"]:
        listed.setdefault(row["person_id"], []).append(row)
    problems: list[str] = []
    first: dict[str, str] = {}
    out: list[Decision] = []
    for r in rows:
        pid = r.person_id
        if not pid:
            problems.append(f"{r.where}: missing person_id")
            continue
        if pid not in people:
            problems.append(f"{r.where}: unknown person {pid!r}: not an authorised person of this review")
            continue
        if pid in first:
            problems.append(f"{r.where}: a second decision for {pid} (the first is at {first[pid]})")
            continue
        first[pid] = r.where
        p = people[pid]
        d = r.decision
        if not d:
            problems.append(f"{r.where}: {pid}: no decision (retain, revoke or change)")
            continue
        if d not in DECISIONS:
            problems.append(f"{r.where}: {pid}: decision {d!r} is not retain, revoke or change")
            continue
        if d != p["decision"] and not r.comment:
            problems.append(f"{r.where}: {pid}: the decision {d} differs from the proposed {p['decision']}: "
                            "give a comment saying why")
        new: dict[str, str] = {}
        if d != "change":
            if r.new:
                problems.append(f"{r.where}: {pid}: {', '.join(sorted(r.new))} given, but only a change takes new values")
        else:
            new = _new_values(r, pid, signed_on, problems)
            if new is not None and not new:
                problems.append(f"{r.where}: {pid}: a change needs at least one of new_area, new_access_level, "
                                "new_valid_until")
            elif new and all(all(row[k] == v for k, v in new.items()) for row in listed.get(pid, [])):
                problems.append(f"{r.where}: {pid}: the change changes nothing (the list already says so): "
                                "decide retain")
        out.append(Decision(pid, p["name"], p["decision"], d, r.comment, tuple(p["codes"]),
                            tuple(sorted({row["badge_id"] for row in listed.get(pid, [])})), new or {}, r.where))
    for pid in people:
        if pid not in first:
            problems.append(f"{pid} ({people[pid]['name']}): no decision — every authorised person needs one")
    return sorted(out, key=lambda x: x.person_id), problems


def _new_values(r: DecisionRow, pid: str, signed_on: date, problems: list[str]) -> dict[str, str] | None:
    new = {}
    bad = False
    for col, fld in FIELDS.items():
        value = r.new.get(col, "").strip()
        if not value:
            continue
        if fld == "valid_until":
            try:
                until = parse_iso_date(value)
            except ValueError:
                problems.append(f"{r.where}: {pid}: new_valid_until {value!r} is not a date (YYYY-MM-DD)")
                bad = True
                continue
            if until < signed_on:
                problems.append(f"{r.where}: {pid}: new_valid_until {until} is before the decision date "
                                f"{signed_on}: that is a revocation, decide revoke")
                bad = True
                continue
        new[fld] = value
    return None if bad else new


def apply(review: dict, decisions: list[Decision]) -> tuple[list[dict], list[list]]:
    """The authorised list for the coming year (revocations dropped, changes applied, sorted) and
    changes.csv's rows: one per grant revoked or changed, with the values before and after."""
    by_person = {d.person_id: d for d in decisions}
    kept: dict[tuple[str, str, str], dict] = {}
    changes: list[list] = []
    for row in sorted(review["authorized"], key=lambda x: (x["person_id"], x["badge_id"], x["area"], x["granted_on"])):
        d = by_person.get(row["person_id"])
        if d is None or d.decision == "retain":
            kept.setdefault((row["person_id"], row["badge_id"], row["area"]), dict(row))
            continue
        after = {k: d.new.get(k, row[k]) for k in AUTH_COLUMNS} if d.decision == "change" else None
        changes.append([d.person_id, d.name, d.decision, d.proposed, " ".join(d.codes), row["badge_id"], row["area"],
                        row["access_level"], row["valid_until"]]
                       + ([after["area"], after["access_level"], after["valid_until"]] if after else ["", "", ""])
                       + [d.comment])
        if after is not None:
            # Two grants that become the same (person, badge, area) are one grant from now on.
            kept.setdefault((after["person_id"], after["badge_id"], after["area"]), after)
    updated = [kept[k] for k in sorted(kept)]
    return updated, changes


def guard_problems(review: dict, max_percent: float) -> list[str]:
    """The export's guard, applied again before a signature: what was accepted at export with
    --accept-rejected, and what these counts break at this threshold."""
    from .guard import problems

    found = list(review.get("guard", {}).get("problems", []))
    for p in problems(review["counts"], review["year"], max_percent):
        if p not in found:
            found.append(p)
    return found
