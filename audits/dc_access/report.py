"""Rendering a :class:`~.review.Review`: review.json, the tables (CSV + XLSX), review.html and
next-authorized.csv, written as one bundle by :mod:`audits.export`."""

from __future__ import annotations

import html as _html
from datetime import datetime, timezone
from pathlib import Path

from audits.export import html_page, html_table, write_bundle

from .codes import CODES
from .inputs import AUTH_COLUMNS
from .review import Review

PEOPLE_COLUMNS = ["person_id", "name", "badge_id", "areas", "access_levels", "job_role", "hr_status",
                  "valid_until", "last_entry", "entries", "codes", "decision",
                  "reviewer", "reviewer_decision", "decision_date", "sign_off"]
FINDING_COLUMNS = ["code", "title", "badge_id", "person_id", "timestamp", "detail"]
REJECTED_COLUMNS = ["file", "line", "reason"]


def json_doc(r: Review) -> dict:
    p = r.params
    return {
        "report": "byside audit dc-access",
        "dc": p.dc, "year": p.year, "as_of": r.as_of.isoformat(),
        "roles": sorted(p.roles), "dormant_days": p.dormant_days,
        "previous": None if r.previous is None else {
            "as_of": r.previous.as_of.isoformat(),
            "signed_on": r.previous.signed_on.isoformat() if r.previous.signed_on else None},
        "counts": r.counts,
        "people": [x.as_dict() for x in r.people],
        "findings": [f.as_dict() for f in r.findings],
        "rejected": [x.as_dict() for x in r.rejected],
        "next_authorized": [dict(zip(AUTH_COLUMNS, row)) for row, _ in r.next_authorized],
        # Filled by the reviewer after the sign-off meeting; the next review's DCA-10 counts from
        # sign_off.signed_on when set, else from as_of.
        "sign_off": {"reviewer": None, "signed_on": None},
    }


def summary_rows(r: Review) -> list[list]:
    p, c = r.params, r.counts
    rows: list[list] = [
        ["dc", p.dc], ["year", p.year], ["as_of", r.as_of.isoformat()],
        ["roles", ", ".join(sorted(p.roles))], ["dormant_days", p.dormant_days],
        ["previous_review", r.previous.reference.isoformat() if r.previous else "none"],
    ]
    rows += [[k, v] for k, v in c.items() if not isinstance(v, dict)]
    rows += [[f"findings {code}", n] for code, n in c["findings"].items()]
    rows += [[f"decision {d}", n] for d, n in c["decisions"].items()]
    return rows


def tables(r: Review) -> dict:
    people = [[x.person_id, x.name, " ".join(x.badges), " ".join(x.areas), " ".join(x.access_levels),
               x.job_role, x.hr_status, x.valid_until, x.last_entry, x.entries, " ".join(x.codes), x.decision,
               None, None, None, None] for x in r.people]
    findings = [[f.code, CODES[f.code].title, f.badge_id, f.person_id, f.timestamp, f.detail] for f in r.findings]
    rejected = [[x.file, x.line, x.reason] for x in r.rejected]
    return {
        "Summary": (["item", "value"], summary_rows(r)),
        "People": (PEOPLE_COLUMNS, people),
        "Findings": (FINDING_COLUMNS, findings),
        "Rejected rows": (REJECTED_COLUMNS, rejected),
    }


def next_authorized(r: Review) -> tuple[list[str], list[list[str]]]:
    """The list after the proposed revocations; ``change`` against --previous (empty without it).
    Rows the previous review kept that are gone now are listed last with change ``removed``."""
    rows = [row + [change] for row, change in r.next_authorized]
    rows += [[old[c] for c in AUTH_COLUMNS] + ["removed"] for old in r.removed]
    return list(AUTH_COLUMNS) + ["change"], rows


def html(r: Review) -> str:
    p, c = r.params, r.counts
    e = _html.escape
    intro = (f"<p>Data centre <b>{e(p.dc)}</b>, year <b>{p.year}</b>, as of <b>{r.as_of}</b>. "
             f"Job roles that justify access: {e(', '.join(sorted(p.roles)))}; dormant after "
             f"{p.dormant_days} days without a granted entry.</p>"
             f"<p>Events read {c['events_read']} = reviewed {c['events_reviewed']} + outside the year "
             f"{c['events_outside_year']} + rejected {c['events_rejected']}. "
             f"Rejected rows in all inputs: {len(r.rejected)} (listed in review.xlsx, sheet Rejected rows).</p>")
    codes = html_table(["code", "finding", "count"],
                       [[code, CODES[code].title, n] for code, n in c["findings"].items()])
    decisions = html_table(["decision", "people"], list(c["decisions"].items()))
    people = html_table(["person", "name", "badge", "last entry", "entries", "codes", "proposed", "reviewer decision"],
                        [[x.person_id, x.name, " ".join(x.badges), x.last_entry or "none", x.entries,
                          " ".join(x.codes), x.decision, ""] for x in r.people])
    site = [f for f in r.findings if CODES[f.code].scope == "dc"]
    about_people = html_table(["code", "person", "badge", "detail"],
                              [[f.code, f.person_id, f.badge_id, f.detail] for f in r.findings
                               if CODES[f.code].scope == "person"])
    sections = [("", intro), ("Findings by code", codes), ("Proposed decisions", decisions),
                ("People", people), ("Findings about people", about_people),
                ("Findings about events, per badge", html_table(
                    ["code", "badge", "person", "events", "first", "last"], _event_groups(r)))]
    if site:
        sections.append(("Review cycle", "".join(f"<p>{e(f.code)}: {e(f.detail)}</p>" for f in site)))
    sign = ('<table class="sign"><tr><th>Reviewer</th><td></td></tr><tr><th>Date</th><td></td></tr>'
            "<tr><th>Signature</th><td></td></tr></table>")
    sections.append(("Sign-off", sign))
    return html_page(f"DC access review {p.dc} {p.year}", sections)


def _event_groups(r: Review) -> list[list]:
    """Event findings folded per code, badge and person, so the printed page stays short; every event is
    in the Findings sheet."""
    groups: dict[tuple[str, str, str], list] = {}
    for f in r.findings:  # sorted by code, badge, time
        if CODES[f.code].scope != "event":
            continue
        key = (f.code, f.badge_id or "", f.person_id or "")
        g = groups.get(key)
        if g is None:
            groups[key] = [f.code, f.badge_id, f.person_id, 1, f.timestamp, f.timestamp]
        else:
            g[3] += 1
            g[5] = f.timestamp
    return list(groups.values())


def write_review(r: Review, out_dir: Path) -> list[Path]:
    created = datetime(r.as_of.year, r.as_of.month, r.as_of.day, tzinfo=timezone.utc)
    return write_bundle(out_dir, tables=tables(r), json_doc=json_doc(r), html=html(r),
                        csv_only={"next-authorized.csv": next_authorized(r)}, created=created,
                        basename="review", title=f"DC access review {r.params.dc} {r.params.year}")
