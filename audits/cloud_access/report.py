"""Rendering a :class:`~.review.Review` as the evidence bundle (access-review.json/.xlsx/.html,
one CSV per table, manifest.sha256) through the shared export layer."""

from __future__ import annotations

import html as _html
from datetime import datetime, time, timezone
from pathlib import Path

from audits.export import html_page, html_table, write_bundle

from .codes import CHECKS
from .review import Review

BASENAME = "access-review"
FINDING_COLUMNS = ["code", "severity", "title", "principal_type", "principal", "policy", "detail"]
PRINCIPAL_COLUMNS = ["type", "name", "arn", "status", "last_used", "codes", "reviewer", "reviewer_decision",
                     "decision_date", "sign_off"]
CHECK_COLUMNS = ["code", "severity", "title", "description", "remediation", "frameworks", "findings"]
GAP_COLUMNS = ["item", "status", "detail"]
REJECTED_COLUMNS = ["principal", "policy", "reason"]


def json_doc(r: Review) -> dict:
    p = r.params
    return {
        "report": "byside audit access",
        "account": r.account, "zone": p.zone, "zone_account": r.zone_account, "zones": r.zones, "as_of": p.as_of.isoformat(),
        "unused_days": p.unused_days, "key_max_age_days": p.key_max_age_days,
        "counts": r.counts,
        "checks": [c.as_dict() for c in CHECKS.values()],
        "declared_roles": [{"name": k, **v} for k, v in sorted(r.declared.items())],
        "principals": [x.as_dict() for x in r.principals],
        "findings": [f.as_dict() for f in r.findings],
        "gaps": [g.as_dict() for g in r.gaps],
        "rejected": r.rejected,
    }


def tables(r: Review) -> dict:
    c = r.counts
    summary = [["report", "byside audit access"], ["account", r.account], ["zone", r.params.zone or "all"],
               ["zone_account (zones/)", r.zone_account],
               ["as_of", r.params.as_of.isoformat()], ["unused_days", r.params.unused_days],
               ["key_max_age_days", r.params.key_max_age_days], ["users", c["users"]], ["roles", c["roles"]],
               ["declared_roles", c["declared_roles"]], ["gaps", c["gaps"]], ["rejected", c["rejected"]]]
    summary += [[f"findings {code}", n] for code, n in c["findings"].items()]
    return {
        "Summary": (["key", "value"], summary),
        "Findings": (FINDING_COLUMNS, [[f.as_dict()[k] for k in FINDING_COLUMNS] for f in r.findings]),
        "Principals": (PRINCIPAL_COLUMNS, [[p.type, p.name, p.arn, p.status, p.last_used, sorted(set(p.codes)),
                                            None, None, None, None] for p in r.principals]),
        "Checks": (CHECK_COLUMNS, [[ck.code, ck.severity, ck.title, ck.description, ck.remediation, ck.frameworks,
                                    c["findings"][ck.code]] for ck in CHECKS.values()]),
        "Data gaps": (GAP_COLUMNS, [[g.item, "not available from this endpoint", g.detail] for g in r.gaps]),
        "Rejected": (REJECTED_COLUMNS, [[x["principal"], x["policy"], x["reason"]] for x in r.rejected]),
    }


def html(r: Review, t: dict) -> str:
    esc = _html.escape
    head = (f"<p>Account {esc(r.account)}, zone {esc(r.params.zone or 'all')}, as of {r.params.as_of.isoformat()}; "
            f"unused threshold {r.params.unused_days} days, key rotation limit {r.params.key_max_age_days} days.</p>")
    sign = ('<table class="sign"><tr><th>Reviewer</th><td></td><th>Date</th><td></td><th>Signature</th><td></td></tr>'
            "</table>")
    sections = [("", head)] + [(name, html_table(*t[name])) for name in ("Findings", "Principals", "Data gaps", "Checks")]
    sections.append(("Sign-off", sign))
    return html_page(f"Cloud access review — {r.account}", sections)


def write_review(r: Review, out: Path | str) -> list[Path]:
    t = tables(r)
    created = datetime.combine(r.params.as_of, time(0, 0), tzinfo=timezone.utc)
    return write_bundle(out, tables=t, json_doc=json_doc(r), html=html(r, t), created=created,
                        basename=BASENAME, title="Cloud access review")
