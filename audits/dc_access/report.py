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

REVIEW_FORMAT = "byside-dc-review/1"
# The reviewer fills the last five columns of the People sheet; `byside audit dc-access sign` reads them.
DECISION_COLUMNS = ["reviewer_decision", "comment", "new_area", "new_access_level", "new_valid_until"]
PEOPLE_COLUMNS = ["person_id", "name", "badge_id", "areas", "access_levels", "job_role", "hr_status",
                  "valid_until", "last_entry", "entries", "codes", "decision"] + DECISION_COLUMNS
FINDING_COLUMNS = ["code", "title", "badge_id", "person_id", "timestamp", "detail"]
REJECTED_COLUMNS = ["file", "line", "reason"]
PREVIOUS_COLUMNS = ["person_id", "decision", "signed_on", "carried_out", "detail"]


def banner(r: Review) -> list[str]:
    """The warning every page carries when problems that stop a signature were accepted."""
    g = r.guard
    if not g.get("accepted"):
        return []
    return ["WARNING — exported with --accept-rejected; not ready to sign as is:"] + list(g["problems"])


def timezone_line(r: Review) -> str:
    tz = r.params.events_timezone
    if tz is None:
        return ("Timestamps without a UTC offset are rejected: no timezone is known for this data centre "
                "(zones/datacenters.yaml `timezone`, or --events-timezone).")
    n = r.counts["events_local_time"]
    return f"Timestamps without a UTC offset are read in {tz[0]} ({tz[1]}): {n} event(s)."


def json_doc(r: Review) -> dict:
    p = r.params
    prev = r.previous
    return {
        "report": "byside audit dc-access", "format": REVIEW_FORMAT,
        "dc": p.dc, "year": p.year, "as_of": r.as_of.isoformat(),
        "roles": sorted(p.roles), "dormant_days": p.dormant_days,
        "formats": {"events": p.events_format.describe(), "authorized": p.authorized_format.describe(),
                    "roster": p.roster_format.describe()},
        "events_timezone": None if p.events_timezone is None else {
            "timezone": p.events_timezone[0], "source": p.events_timezone[1], "events": r.counts["events_local_time"]},
        "guard": r.guard, "notices": r.notices,
        "previous": None if prev is None else {
            "kind": prev.kind, "as_of": prev.as_of.isoformat(),
            "signed_on": prev.signed_on.isoformat() if prev.signed_on else None,
            "reviewer": prev.reviewer, "signature": prev.signature},
        "previous_decisions": r.previous_decisions,
        "counts": r.counts,
        "events_other_dc": r.other_dc, "events_skipped": r.skipped,
        "people": [x.as_dict() for x in r.people],
        "findings": [f.as_dict() for f in r.findings],
        "rejected": [x.as_dict() for x in r.rejected],
        "authorized": [dict(zip(AUTH_COLUMNS, row)) for row in r.authorized],
        "next_authorized": [dict(zip(AUTH_COLUMNS, row)) for row, _ in r.next_authorized],
        # Filled by the reviewer after the sign-off meeting; the next review's DCA-10 counts from
        # sign_off.signed_on when set, else from as_of. `byside audit dc-access sign` supersedes it.
        "sign_off": {"reviewer": None, "signed_on": None},
    }


def summary_rows(r: Review) -> list[list]:
    p, c = r.params, r.counts
    rows: list[list] = [["WARNING", line] for line in banner(r)]
    rows += [
        ["dc", p.dc], ["year", p.year], ["as_of", r.as_of.isoformat()],
        ["roles", ", ".join(sorted(p.roles))], ["dormant_days", p.dormant_days],
        ["previous_review", f"{r.previous.kind} {r.previous.reference.isoformat()}" if r.previous else "none"],
        ["events_timezone", f"{p.events_timezone[0]} ({p.events_timezone[1]})" if p.events_timezone else "none"],
        ["formats", "; ".join(f"{k} {f.name}" for k, f in (("events", p.events_format),
                                                           ("authorized", p.authorized_format),
                                                           ("roster", p.roster_format)))],
        ["rejected_percent", r.guard.get("rejected_percent", 0.0)],
        ["max_rejected_percent", r.guard.get("max_rejected_percent", "")],
    ]
    rows += [["notice", n] for n in r.notices]
    rows += [[k, v] for k, v in c.items() if not isinstance(v, dict)]
    rows += [[f"events_other_dc {dc}", n] for dc, n in r.other_dc.items()]
    rows += [[f"events_skipped {v}", n] for v, n in r.skipped.items()]
    rows += [[f"findings {code}", n] for code, n in c["findings"].items()]
    rows += [[f"decision {d}", n] for d, n in c["decisions"].items()]
    return rows


def people_rows(r: Review) -> list[list]:
    return [[x.person_id, x.name, " ".join(x.badges), " ".join(x.areas), " ".join(x.access_levels),
             x.job_role, x.hr_status, x.valid_until, x.last_entry, x.entries, " ".join(x.codes), x.decision]
            + [None] * len(DECISION_COLUMNS) for x in r.people]


def tables(r: Review) -> dict:
    findings = [[f.code, CODES[f.code].title, f.badge_id, f.person_id, f.timestamp, f.detail] for f in r.findings]
    rejected = [[x.file, x.line, x.reason] for x in r.rejected]
    out = {
        "Summary": (["item", "value"], summary_rows(r)),
        "People": (PEOPLE_COLUMNS, people_rows(r)),
        "Findings": (FINDING_COLUMNS, findings),
        "Rejected rows": (REJECTED_COLUMNS, rejected),
    }
    if r.previous is not None and r.previous.kind == "signed":
        out["Previous decisions"] = (PREVIOUS_COLUMNS, [[d[k] for k in PREVIOUS_COLUMNS] for d in r.previous_decisions])
    return out


def next_authorized(r: Review) -> tuple[list[str], list[list[str]]]:
    """The list after the proposed revocations; ``change`` against --previous (empty without it).
    Rows the previous review kept that are gone now are listed last with change ``removed``."""
    rows = [row + [change] for row, change in r.next_authorized]
    rows += [[old[c] for c in AUTH_COLUMNS] + ["removed"] for old in r.removed]
    return list(AUTH_COLUMNS) + ["change"], rows


def html_sections(r: Review) -> list[tuple[str, str]]:
    """The review's printable sections (also used by the signed copy)."""
    p, c = r.params, r.counts
    e = _html.escape
    prev = r.previous
    previous = ("none" if prev is None else
                f"{e(prev.kind)} review as of {prev.as_of}" + (f", signed on {prev.signed_on}" if prev.signed_on else "")
                + (f" by {e(prev.reviewer)}" if prev.reviewer else "") + (f" — {e(prev.signature)}" if prev.kind == "signed" else ""))
    intro = (f"<p>Data centre <b>{e(p.dc)}</b>, year <b>{p.year}</b>, as of <b>{r.as_of}</b>. "
             f"Job roles that justify access: {e(', '.join(sorted(p.roles)))}; dormant after "
             f"{p.dormant_days} days without a granted entry. Previous review: {previous}.</p>"
             f"<p>{e(timezone_line(r))}</p>"
             f"<p>Events read {c['events_read']} = reviewed {c['events_reviewed']} + outside the year "
             f"{c['events_outside_year']} + other data centres {c['events_other_dc']} + skipped "
             f"{c['events_skipped']} + rejected {c['events_rejected']} ({r.guard.get('rejected_percent', 0.0):.2f} %). "
             f"Rejected rows in all inputs: {len(r.rejected)} (listed in review.xlsx, sheet Rejected rows).</p>")
    if r.notices:
        intro += "<ul>" + "".join(f"<li>{e(n)}</li>" for n in r.notices) + "</ul>"
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
    if prev is not None and prev.kind == "signed":
        sections.append(("Decisions of the previous review", html_table(
            PREVIOUS_COLUMNS, [[d[k] for k in PREVIOUS_COLUMNS] for d in r.previous_decisions])))
    return sections


def html(r: Review) -> str:
    sign = ('<table class="sign"><tr><th>Reviewer</th><td></td></tr><tr><th>Date</th><td></td></tr>'
            "<tr><th>Signature</th><td></td></tr></table>")
    return html_page(f"DC access review {r.params.dc} {r.params.year}", html_sections(r) + [("Sign-off", sign)],
                     banner=banner(r))


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
