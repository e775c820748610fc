"""The signed folder of a closed review: ``byside audit dc-access sign``'s output.

``REVIEW_DIR`` is checked against its manifest (nothing edited since the export), the reviewer's
decisions against the review (:mod:`.sign`), and then one bundle is written atomically:
signed-review.json (the review, every decision, reviewer, date, the review's manifest and its
hash), authorized.csv (the list for the coming year), changes.csv, signed-review.xlsx/.html (marked
as signed on every page), the CSV tables, manifest.sha256 and, with a key, manifest.sha256.sig
(``ssh-keygen -Y sign -n byside-review`` over the manifest).
"""

from __future__ import annotations

import hashlib
import html as _html
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from audits.export import html_page, html_table, write_bundle
from audits.sshsig import NAMESPACE, sign as ssh_sign
from byside.safeio import MANIFEST, manifest_problems

from .codes import CODES
from .csvfile import InputError
from .decisions import read_decisions
from .inputs import AUTH_COLUMNS
from .report import PEOPLE_COLUMNS, REVIEW_FORMAT
from .sign import CHANGE_COLUMNS, Decision, apply, check, guard_problems
from .signedfile import SIGNATURE, SIGNED_FORMAT, SIGNED_JSON, load_json

BASENAME = "signed-review"
DECISION_COLUMNS = ["person_id", "name", "codes", "proposed", "decision", "comment", "new_area",
                    "new_access_level", "new_valid_until", "decisions_file"]


@dataclass(frozen=True)
class SignRequest:
    review_dir: Path
    decisions: Path
    reviewer: str
    signed_on: date
    out: Path
    key: Path | None = None
    confirm_warnings: bool = False
    max_rejected_percent: float = 1.0
    today: date | None = None


class NotSignable(InputError):
    """The review or the decisions cannot be signed as they are; ``problems`` lists every reason."""

    def __init__(self, what: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{what}: {len(problems)} problem(s), nothing written:\n" + "\n".join(f"  {p}" for p in problems))


def _inside(child: Path, parent: Path) -> str | None:
    try:
        rel = child.resolve().relative_to(parent.resolve())
    except ValueError:
        return None
    return rel.as_posix() if rel.parts else None


def load_review(review_dir: Path, out: Path | None = None) -> tuple[dict, bytes]:
    """review.json of an exported review folder whose manifest verifies, and the manifest's bytes."""
    if not review_dir.is_dir():
        raise InputError(f"review {review_dir}: no such folder")
    # The signed folder may live inside the review folder (the default REVIEW_DIR/signed): that one,
    # and an earlier signed folder there, are not edits of the export.
    allowed = [x.split("/")[0] for x in [_inside(out, review_dir)] if x] if out is not None else []
    allowed += [p.name for p in sorted(review_dir.iterdir()) if p.is_dir() and (p / SIGNED_JSON).is_file()]
    if not (review_dir / MANIFEST).is_file():
        raise InputError(f"review {review_dir}: no {MANIFEST} (not a folder written by byside audit dc-access)")
    problems = [p for p in manifest_problems(review_dir) if p.split(":", 1)[0] not in allowed]
    if problems:
        raise NotSignable(f"review {review_dir} has been edited since it was exported", problems)
    try:
        doc = load_json(review_dir / "review.json", f"review {review_dir}")
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if not isinstance(doc, dict) or doc.get("report") != "byside audit dc-access":
        raise InputError(f"review {review_dir}: review.json is not a review of byside audit dc-access")
    if doc.get("format") != REVIEW_FORMAT or not isinstance(doc.get("authorized"), list):
        raise InputError(f"review {review_dir}: exported by an older version (no {REVIEW_FORMAT} format, no "
                         "authorised list): export the review again")
    return doc, (review_dir / MANIFEST).read_bytes()


@dataclass
class Prepared:
    """Everything checked; what the signed folder will hold."""
    doc: dict
    updated: list[dict]
    changes: list[list]
    warnings: list[str]
    key: Path | None


def prepare(req: SignRequest) -> Prepared:
    """Check everything before anything is written: NotSignable / InputError on any problem."""
    today = req.today or datetime.now(timezone.utc).date()
    review, manifest = load_review(req.review_dir, req.out)
    problems = []
    if not req.reviewer.strip():
        problems.append("--reviewer: give the reviewer's name")
    as_of = date.fromisoformat(review["as_of"])
    if req.signed_on < as_of:
        problems.append(f"--date {req.signed_on} is before the review's as-of date {as_of}")
    if req.signed_on > today:
        problems.append(f"--date {req.signed_on} is after today ({today})")
    decisions_file = read_decisions(req.decisions)
    for k in ("dc", "year"):
        got = decisions_file.review.get(k)
        if got is not None and got != str(review[k]):
            problems.append(f"decisions {req.decisions}: its Summary sheet says {k} {got}, the review is "
                            f"{review['dc']} {review['year']} (the workbook of another review?)")
    decisions, found = check(review, decisions_file.rows, req.signed_on)
    problems += found
    if problems:
        raise NotSignable(f"cannot sign {req.review_dir}", problems)
    warnings = guard_problems(review, req.max_rejected_percent)
    if warnings and not req.confirm_warnings:
        raise NotSignable(f"review {req.review_dir} is not ready to sign as is (--confirm-warnings to sign "
                          "it anyway, as the reviewer who has read these)", warnings)
    updated, changes = apply(review, decisions)
    doc = signed_doc(review, manifest, decisions, updated, req, warnings, decisions_file.kind)
    return Prepared(doc, updated, changes, warnings, req.key)


def write_signed(p: Prepared, folder: Path) -> list[Path]:
    """Render the signed folder into the empty ``folder`` (byside.safeio.write_folder's staging folder),
    then sign its manifest when a key was given: the signature is the manifest's companion."""
    d = p.doc
    signed_on = date.fromisoformat(d["signed_on"])
    created = datetime(signed_on.year, signed_on.month, signed_on.day, tzinfo=timezone.utc)
    paths = write_bundle(folder, tables=tables(d, p.changes), json_doc=d, html=html(d, p.changes),
                         csv_only={"authorized.csv": (list(AUTH_COLUMNS), [[r[c] for c in AUTH_COLUMNS] for r in p.updated])},
                         created=created, basename=BASENAME, title=_title(d))
    if p.key is not None:
        (folder / SIGNATURE).write_bytes(ssh_sign((folder / MANIFEST).read_bytes(), p.key, NAMESPACE))
        paths.append(folder / SIGNATURE)
    return paths


def signed_doc(review: dict, manifest: bytes, decisions: list[Decision], updated: list[dict], req: SignRequest,
               warnings: list[str], kind: str) -> dict:
    counts = {d: sum(1 for x in decisions if x.decision == d) for d in ("retain", "revoke", "change")}
    return {
        "format": SIGNED_FORMAT, "report": "byside audit dc-access sign",
        "dc": review["dc"], "year": review["year"], "as_of": review["as_of"],
        "reviewer": req.reviewer.strip(), "signed_on": req.signed_on.isoformat(),
        "signature": {"namespace": NAMESPACE, "file": SIGNATURE if req.key is not None else None,
                      "over": MANIFEST},
        "review_manifest": manifest.decode("utf-8"),
        "review_manifest_sha256": hashlib.sha256(manifest).hexdigest(),
        "decisions_file": {"name": req.decisions.name, "kind": kind},
        "confirmed_warnings": warnings,
        "counts": {"decisions": counts, "authorized_before": len(review["authorized"]), "authorized_after": len(updated),
                   "grants_revoked": sum(1 for x in review["authorized"] if _decision(decisions, x) == "revoke"),
                   "grants_changed": sum(1 for x in review["authorized"] if _decision(decisions, x) == "change")},
        "decisions": [d.as_dict() for d in decisions],
        "authorized": updated,
        "review": review,
    }


def _decision(decisions: list[Decision], row: dict) -> str | None:
    return next((d.decision for d in decisions if d.person_id == row["person_id"]), None)


def _title(doc: dict) -> str:
    return f"DC access review {doc['dc']} {doc['year']} — signed"


def signed_banner(doc: dict) -> list[str]:
    lines = [f"SIGNED by {doc['reviewer']} on {doc['signed_on']} — review manifest SHA-256 "
             f"{doc['review_manifest_sha256']}" + ("" if doc["signature"]["file"] else " (no SSH key signature)")]
    if doc["confirmed_warnings"]:
        lines.append("WARNING — signed with --confirm-warnings; the reviewer confirmed having read:")
        lines += doc["confirmed_warnings"]
    return lines


def tables(doc: dict, changes: list[list]) -> dict:
    review = doc["review"]
    c = doc["counts"]
    summary = [["SIGNED", line] for line in signed_banner(doc)]
    summary += [["dc", doc["dc"]], ["year", doc["year"]], ["as_of", doc["as_of"]], ["reviewer", doc["reviewer"]],
                ["signed_on", doc["signed_on"]], ["review_manifest_sha256", doc["review_manifest_sha256"]],
                ["ssh_signature", doc["signature"]["file"] or "none (signed without --key)"],
                ["authorized_before", c["authorized_before"]], ["authorized_after", c["authorized_after"]],
                ["grants_revoked", c["grants_revoked"]], ["grants_changed", c["grants_changed"]]]
    summary += [[f"decision {k}", n] for k, n in c["decisions"].items()]
    summary += [[f"review {k}", v] for k, v in review["counts"].items() if not isinstance(v, dict)]
    summary += [[f"review findings {k}", v] for k, v in review["counts"]["findings"].items()]
    decisions = [[d["person_id"], d["name"], d["codes"], d["proposed"], d["decision"], d["comment"],
                  d["new"].get("area"), d["new"].get("access_level"), d["new"].get("valid_until"), d["where"]]
                 for d in doc["decisions"]]
    by_person = {d["person_id"]: d for d in doc["decisions"]}
    people = [[p["person_id"], p["name"], p["badge_id"], p["areas"], p["access_levels"], p["job_role"], p["hr_status"],
               p["valid_until"], p["last_entry"], p["entries"], p["codes"], p["decision"],
               by_person[p["person_id"]]["decision"], by_person[p["person_id"]]["comment"],
               by_person[p["person_id"]]["new"].get("area"), by_person[p["person_id"]]["new"].get("access_level"),
               by_person[p["person_id"]]["new"].get("valid_until")] for p in review["people"]]
    findings = [[f["code"], CODES[f["code"]].title if f["code"] in CODES else "", f["badge_id"], f["person_id"],
                 f["timestamp"], f["detail"]] for f in review["findings"]]
    return {
        "Summary": (["item", "value"], summary),
        "Decisions": (DECISION_COLUMNS, decisions),
        "Changes": (CHANGE_COLUMNS, changes),
        "People": (PEOPLE_COLUMNS, people),
        "Findings": (["code", "title", "badge_id", "person_id", "timestamp", "detail"], findings),
        "Rejected rows": (["file", "line", "reason"], [[x["file"], x["line"], x["reason"]] for x in review["rejected"]]),
    }


def html(doc: dict, changes: list[list]) -> str:
    e = _html.escape
    review = doc["review"]
    rc = review["counts"]
    c = doc["counts"]
    intro = (f"<p>Data centre <b>{e(doc['dc'])}</b>, year <b>{doc['year']}</b>, as of <b>{e(doc['as_of'])}</b>: "
             f"reviewed and signed by <b>{e(doc['reviewer'])}</b> on <b>{e(doc['signed_on'])}</b>. "
             f"Authorised grants {c['authorized_before']} before, {c['authorized_after']} after "
             f"({c['grants_revoked']} revoked, {c['grants_changed']} changed).</p>"
             f"<p>Events read {rc['events_read']} = reviewed {rc['events_reviewed']} + outside the year "
             f"{rc['events_outside_year']} + other data centres {rc.get('events_other_dc', 0)} + skipped "
             f"{rc.get('events_skipped', 0)} + rejected {rc['events_rejected']}.</p>")
    tz = review.get("events_timezone")
    if tz:
        intro += f"<p>Timestamps without a UTC offset were read in {e(tz['timezone'])} ({e(tz['source'])}): {tz['events']} event(s).</p>"
    if review.get("notices"):
        intro += "<ul>" + "".join(f"<li>{e(n)}</li>" for n in review["notices"]) + "</ul>"
    codes = html_table(["code", "finding", "count"],
                       [[k, CODES[k].title if k in CODES else "", n] for k, n in rc["findings"].items()])
    decisions = html_table(["person", "name", "codes", "proposed", "decision", "comment"],
                           [[d["person_id"], d["name"], d["codes"], d["proposed"], d["decision"], d["comment"]]
                            for d in doc["decisions"]])
    change_rows = html_table(["person", "decision", "badge", "area", "access level", "valid until", "new area",
                              "new access level", "new valid until", "comment"],
                             [[r[0], r[2], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12]] for r in changes])
    sig = (f"ssh-keygen -Y sign -n {NAMESPACE} over {MANIFEST} ({SIGNATURE})" if doc["signature"]["file"]
           else "no SSH signature (signed without --key)")
    sign = (f'<table class="sign"><tr><th>Reviewer</th><td>{e(doc["reviewer"])}</td></tr>'
            f"<tr><th>Date</th><td>{e(doc['signed_on'])}</td></tr>"
            f"<tr><th>Signature</th><td>{e(sig)}</td></tr>"
            f"<tr><th>Review manifest SHA-256</th><td>{e(doc['review_manifest_sha256'])}</td></tr></table>")
    sections = [("", intro), ("Findings by code", codes), ("Decisions", decisions),
                ("Changes to the authorised list", change_rows), ("Signed", sign)]
    return html_page(_title(doc), sections, banner=signed_banner(doc))

