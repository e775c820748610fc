"""The evidence itself: found, checked and read (I/O), as :class:`Item` values the index links to.

- The gate: ``byside check --format json`` (and SARIF) and ``byside controls --format json``, either
  produced now by one in-process run of the gate on the offline preview of every zone, or read from
  files given on the command line. The JSON report is read in both shapes the gate has had: a list
  of violations, and the object ``{"format": "byside-check/1", "exit_code", "summary", "violations",
  ...}``.
- Signed DC reviews (folders holding ``signed-review.json``): manifest checked, and the SSH signature
  when an allowed-signers file is given; one per data centre of zones/ for the year (the latest
  signature date when there are several; the others are listed as superseded).
- Cloud access reviews (folders holding ``access-review.json``): manifest checked; the newest as-of
  date of the year per zone.

A source that cannot be read at all is bad input (:class:`EvidenceInputError`, exit 2); a review that
does not verify is an ``invalid`` item; evidence not found is a ``missing`` item. Nothing is left out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from byside.safeio import MANIFEST, manifest_problems, read_manifest

PACK_MARKER = "evidence.json"
PACK_FORMAT = "byside-evidence/1"


class EvidenceInputError(Exception):
    """A source given to the pack cannot be read or is not what it claims: exit 2, nothing written."""


@dataclass
class Item:
    kind: str                   # frameworks.KINDS
    key: str                    # the data centre, the zone ("all": every zone's roles), "" for the gate
    status: str                 # "ok", "invalid" or "missing"
    detail: str
    main: str | None = None     # the file to open, as a path inside the pack
    files: dict[str, bytes] = field(default_factory=dict)  # path inside the pack -> content
    source: str = ""            # where it was read from
    meta: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "key": self.key, "status": self.status, "detail": self.detail, "file": self.main,
                "source": self.source, "files": sorted(self.files), **({"meta": self.meta} if self.meta else {})}


# ---------------------------------------------------------------- the gate


@dataclass(frozen=True)
class GateOutput:
    report: str            # byside check --format json
    sarif: str | None      # byside check --format sarif
    controls: str          # byside controls --format json
    source: str
    controls_md: str | None = None


def run_gate(no_checkov: bool = False) -> GateOutput:
    """One run of the gate on the offline preview of every zone, rendered as the commands render it."""
    from byside import controls as ctl
    from byside.check import gate, report

    suppressions = gate.DEFAULT_SUPPRESSIONS if gate.DEFAULT_SUPPRESSIONS.is_file() else None
    result = gate.check(None, suppressions_file=suppressions, use_checkov=not no_checkov)
    rows = ctl.matrix(result)
    how = "byside check --no-checkov" if no_checkov else "byside check"
    return GateOutput(report.render_json(result), report.render_sarif(result), ctl.render_json(rows, result.zones),
                      f"{how} on the offline preview of every zone (run by byside evidence)",
                      ctl.render_md(rows, result.zones))


def _read_text(path: Path, label: str) -> str:
    from byside.safeio import InputError, read_text

    try:
        return read_text(path)
    except InputError as exc:
        raise EvidenceInputError(f"{label} {exc}") from None


def _json(text: str, label: str):
    from byside.safeio import InputError, parse_json

    try:
        return parse_json(text, label)
    except InputError as exc:
        raise EvidenceInputError(str(exc)) from None


def gate_from_files(check_report: Path, controls: Path, sarif: Path | None) -> GateOutput:
    return GateOutput(_read_text(check_report, "--check-report"), _read_text(sarif, "--check-sarif") if sarif else None,
                      _read_text(controls, "--controls"), f"files given: {check_report}, {controls}"
                      + (f", {sarif}" if sarif else ""))


def read_check_report(text: str, label: str) -> dict:
    """The gate's JSON report in either shape: a list of violations (before byside-check/1) or the
    object. The exit code is the report's own when it has one, else derived from the violations
    (mandatory ones -> 1; an expired suppression, which the list shape cannot show, is not seen)."""
    doc = _json(text, label)
    if isinstance(doc, list):
        violations, shape, summary = doc, "list of violations (before byside-check/1)", {}
    elif isinstance(doc, dict) and isinstance(doc.get("violations"), list):
        violations, shape = doc["violations"], str(doc.get("format") or "object")
        summary = doc.get("summary") if isinstance(doc.get("summary"), dict) else {}
    else:
        raise EvidenceInputError(f"{label}: not a `byside check --format json` report (a list of violations, or an "
                                 "object with `violations`)")
    for i, v in enumerate(violations):
        if not isinstance(v, dict) or not isinstance(v.get("policy"), str):
            raise EvidenceInputError(f"{label}: violations[{i}] is not a violation (an object with `policy`)")
    mandatory = sum(1 for v in violations if v.get("enforcement") == "mandatory")
    own = doc.get("exit_code") if isinstance(doc, dict) else None
    exit_code = own if isinstance(own, int) and not isinstance(own, bool) else (1 if mandatory else 0)
    return {"shape": shape, "violations": len(violations), "mandatory": mandatory, "exit_code": exit_code,
            "exit_code_from": "the report" if exit_code is own else "its violations",
            "by_zone": dict(sorted(Counter(str(v.get("zone") or "") for v in violations).items())),
            "not_judged": len(doc["not_judged"]) if isinstance(doc, dict) and isinstance(doc.get("not_judged"), list) else None,
            "summary": summary}


def read_controls(text: str, label: str) -> dict:
    doc = _json(text, label)
    ok = (isinstance(doc, dict) and isinstance(doc.get("controls"), list) and isinstance(doc.get("zones"), list)
          and all(isinstance(r, dict) and isinstance(r.get("id"), str) for r in doc["controls"]))
    if not ok:
        raise EvidenceInputError(f"{label}: not a `byside controls --format json` matrix (an object with `zones` and "
                                 "`controls`, each control with an `id`)")
    return doc


def gate_items(g: GateOutput, zone_ids: list[str]) -> tuple[list[Item], dict]:
    """The controls matrix and the gate report as items (and a missing item per zone not covered)."""
    report = read_check_report(g.report, "gate report")
    controls = read_controls(g.controls, "controls matrix")
    if g.sarif is not None:
        sarif = _json(g.sarif, "gate SARIF report")
        if not (isinstance(sarif, dict) and sarif.get("version") == "2.1.0" and isinstance(sarif.get("runs"), list)):
            raise EvidenceInputError("gate SARIF report: not SARIF 2.1.0 (`version` 2.1.0 and `runs`)")
    judged = [str(z) for z in controls["zones"]]
    files = {"controls/controls.json": g.controls.encode("utf-8")}
    if g.controls_md is not None:
        files["controls/controls.md"] = g.controls_md.encode("utf-8")
    items = [Item("controls-matrix", "", "ok", f"{len(controls['controls'])} Service Description controls, status "
                  f"per zone ({', '.join(judged) or 'none'})", "controls/controls.json", files, g.source)]
    gate_files = {"gate/check.json": g.report.encode("utf-8")}
    if g.sarif is not None:
        gate_files["gate/check.sarif"] = g.sarif.encode("utf-8")
    detail = (f"{report['violations']} violation(s), {report['mandatory']} mandatory; exit code {report['exit_code']} "
              f"(from {report['exit_code_from']}); zones judged: {', '.join(judged) or 'none'}; report shape: "
              f"{report['shape']}" + ("" if g.sarif is not None else "; no SARIF given"))
    items.append(Item("gate-report", "", "ok", detail, "gate/check.json", gate_files, g.source,
                      {"exit_code": report["exit_code"], "violations": report["violations"],
                       "mandatory": report["mandatory"], "zones": judged}))
    for z in zone_ids:
        if z not in judged:
            items.append(Item("gate-report", z, "missing", f"the gate's report does not cover zone {z}", source=g.source))
    return items, controls


# ---------------------------------------------------------------- reviews on disk


def find_folders(roots: list[Path], marker: str, out: Path) -> list[Path]:
    """Folders under ``roots`` holding ``marker``; never inside ``out`` or an earlier evidence pack."""
    found: list[Path] = []
    out_r = out.resolve()
    for root in roots:
        if not root.is_dir():
            continue
        for p in sorted(root.rglob(marker)):
            folder = p.parent.resolve()
            if folder == out_r or out_r in folder.parents:
                continue
            if any((a / PACK_MARKER).is_file() for a in [folder, *folder.parents]):
                continue
            if p.is_file() and p.parent not in found:
                found.append(p.parent)
    return found


def _folder_files(folder: Path, prefix: str, extra: tuple[str, ...] = ()) -> dict[str, bytes]:
    names = list(read_manifest(folder)) + [MANIFEST] + [x for x in extra if (folder / x).is_file()]
    return {f"{prefix}/{n}": (folder / n).read_bytes() for n in names}


def dc_review_items(folders: list[Path], year: int, dcs: list[str], allowed_signers: Path | None,
                    searched: str) -> tuple[list[Item], list[dict]]:
    """One item per data centre (found, invalid or missing) and what else was seen (superseded, other years)."""
    from audits.dc_access.signedfile import SIGNATURE, check_signed

    seen: list[dict] = []
    by_dc: dict[str, list[tuple]] = {}
    for folder in folders:
        try:
            check = check_signed(folder, allowed_signers)
        except ValueError as exc:
            seen.append({"kind": "dc-review", "source": str(folder), "status": "unreadable", "detail": str(exc)})
            continue
        doc = check.doc
        if doc.get("year") != year:
            seen.append({"kind": "dc-review", "source": str(folder), "status": "other year",
                         "detail": f"{doc.get('dc')} {doc.get('year')}"})
            continue
        by_dc.setdefault(str(doc.get("dc")), []).append((check, folder))
    items = []
    for dc in list(dcs) + sorted(set(by_dc) - set(dcs)):
        found = by_dc.get(dc, [])
        good = sorted((c for c in found if c[0].ok), key=lambda c: (str(c[0].doc.get("signed_on")), str(c[1])))
        if good:
            check, folder = good[-1]
            doc = check.doc
            prefix = f"dc-reviews/{dc}"
            note = "" if dc in dcs else " (a data centre zones/ does not list)"
            items.append(Item("dc-review", dc, "ok",
                              f"{dc} {year}, as of {doc.get('as_of')}, signed by {doc.get('reviewer')} on "
                              f"{doc.get('signed_on')}; {check.signature_status}{note}",
                              f"{prefix}/signed-review.html", _folder_files(folder, prefix, (SIGNATURE,)), str(folder),
                              {"signed_on": doc.get("signed_on"), "reviewer": doc.get("reviewer"),
                               "signature": check.signature_status}))
            seen += [{"kind": "dc-review", "source": str(f), "status": "superseded",
                      "detail": f"{dc} {year} signed on {c.doc.get('signed_on')}: a later signed review is included"}
                     for c, f in good[:-1]]
            seen += [{"kind": "dc-review", "source": str(f), "status": "invalid", "detail": "; ".join(c.problems)}
                     for c, f in found if not c.ok]
        elif found:
            c, f = found[-1]
            items.append(Item("dc-review", dc, "invalid", f"signed review of {dc} {year} does not verify: "
                              + "; ".join(c.problems), source=str(f)))
        else:
            items.append(Item("dc-review", dc, "missing", f"no signed review of {dc} for {year} ({searched})"))
    return items, seen


def access_review_items(folders: list[Path], year: int, searched: str) -> tuple[list[Item], list[dict]]:
    """The newest access review of the year per zone (``all`` when it judged every zone's roles)."""
    seen: list[dict] = []
    by_zone: dict[str, list[tuple[date, Path, dict]]] = {}
    invalid: list[tuple[Path, str]] = []
    for folder in folders:
        path = folder / "access-review.json"
        try:
            doc = _json(_read_text(path, "access review"), f"access review {path}")
        except EvidenceInputError as exc:
            seen.append({"kind": "access-review", "source": str(folder), "status": "unreadable", "detail": str(exc)})
            continue
        try:
            as_of = date.fromisoformat(str(doc.get("as_of"))) if isinstance(doc, dict) else None
        except ValueError:
            as_of = None
        if not isinstance(doc, dict) or doc.get("report") != "byside audit access" or as_of is None:
            seen.append({"kind": "access-review", "source": str(folder), "status": "unreadable",
                         "detail": "access-review.json is not a review of byside audit access"})
            continue
        if as_of.year != year:
            seen.append({"kind": "access-review", "source": str(folder), "status": "other year", "detail": f"as of {as_of}"})
            continue
        problems = manifest_problems(folder)
        if problems:
            invalid.append((folder, "; ".join(problems)))
            continue
        by_zone.setdefault(str(doc.get("zone") or "all"), []).append((as_of, folder, doc))
    items = []
    for zone in sorted(by_zone):
        ordered = sorted(by_zone[zone], key=lambda x: (x[0], str(x[1])))
        as_of, folder, doc = ordered[-1]
        prefix = f"access-reviews/{zone}"
        c = doc.get("counts") if isinstance(doc.get("counts"), dict) else {}
        found = ", ".join(f"{k} {v}" for k, v in (c.get("findings") or {}).items() if v) or "none"
        items.append(Item("access-review", zone, "ok", f"account {doc.get('account')}, zone {zone}, as of {as_of}; "
                          f"findings: {found}", f"{prefix}/access-review.html", _folder_files(folder, prefix), str(folder),
                          {"as_of": as_of.isoformat(), "account": doc.get("account")}))
        seen += [{"kind": "access-review", "source": str(f), "status": "superseded",
                  "detail": f"zone {zone} as of {a}: a later review is included"} for a, f, _ in ordered[:-1]]
    for folder, why in invalid:
        seen.append({"kind": "access-review", "source": str(folder), "status": "invalid", "detail": why})
        if not items:
            items.append(Item("access-review", "", "invalid", f"cloud access review does not verify: {why}", source=str(folder)))
    if not items:
        items.append(Item("access-review", "", "missing", f"no cloud access review as of {year} ({searched})"))
    return items, seen
