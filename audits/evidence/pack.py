"""The evidence pack: gather the sources, index them, write one folder under one manifest.

Layout of ``--out``::

    index.html                      the page to open first: every control -> its evidence files
    evidence.json                   the same index as data (format byside-evidence/1)
    controls/controls.json (.md)    byside controls
    gate/check.json, check.sarif    byside check on every zone
    dc-reviews/<dc>/...             each signed DC review, as signed (its own manifest and signature)
    access-reviews/<zone>/...       the latest cloud access review of the year, per zone
    keys/allowed_signers            the public keys the DC reviews were verified with (when given)
    manifest.sha256                 SHA-256 of every file above (sha256sum -c manifest.sha256)
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from audits.export import html_page, write_bundle

from .frameworks import CONTROLS, KINDS
from .index import control_rows, missing
from .sources import (PACK_FORMAT, EvidenceInputError, GateOutput, Item, access_review_items, dc_review_items,
                      find_folders, gate_items)


@dataclass(frozen=True)
class PackRequest:
    year: int
    out: Path
    gate: GateOutput
    zones: tuple[str, ...]                 # every zone of zones/: the gate must cover each
    datacenters: tuple[str, ...]           # every DC of zones/: each needs a signed review
    dc_reviews: tuple[Path, ...] = ()      # given explicitly; else searched for
    access_reviews: tuple[Path, ...] = ()
    search: tuple[Path, ...] = (Path("build"),)
    allowed_signers: Path | None = None


@dataclass
class Pack:
    doc: dict
    files: dict[str, bytes]
    page: str
    missing: list[dict] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.missing else 0

    def write(self, folder: Path) -> list[Path]:
        """Render into the empty ``folder`` (byside.safeio.write_folder's staging folder)."""
        created = datetime(self.doc["year"], 12, 31, tzinfo=timezone.utc)
        return write_bundle(folder, tables={}, json_doc=self.doc, basename="evidence", created=created,
                            extra_files={"index.html": self.page, **self.files})


def gather(req: PackRequest) -> tuple[list[Item], dict, list[dict]]:
    items, matrix = gate_items(req.gate, list(req.zones))
    where = "searched " + ", ".join(str(p) for p in req.search) if req.search else "none given"
    dc_folders = list(req.dc_reviews) or find_folders(list(req.search), "signed-review.json", req.out)
    for p in req.dc_reviews:
        if not p.is_dir():
            raise EvidenceInputError(f"--dc-review {p}: no such folder")
    dc, seen = dc_review_items(dc_folders, req.year, list(req.datacenters), req.allowed_signers,
                               "given: " + ", ".join(map(str, req.dc_reviews)) if req.dc_reviews else where)
    for p in req.access_reviews:
        if not (p / "access-review.json").is_file():
            raise EvidenceInputError(f"--access-review {p}: no access-review.json in it (a folder written by "
                                     "byside audit access)")
    ac_folders = list(req.access_reviews) or find_folders(list(req.search), "access-review.json", req.out)
    ac, seen2 = access_review_items(ac_folders, req.year,
                                    "given: " + ", ".join(map(str, req.access_reviews)) if req.access_reviews else where)
    return items + dc + ac, matrix, seen + seen2


def build_pack(req: PackRequest) -> Pack:
    """Everything read, checked and indexed; nothing written yet (Pack.write does that)."""
    items, matrix, seen = gather(req)
    rows = control_rows(CONTROLS, items, matrix)
    gaps = missing(items)
    files: dict[str, bytes] = {}
    for i in items:
        files.update(i.files)
    if req.allowed_signers is not None:
        files["keys/allowed_signers"] = Path(req.allowed_signers).read_bytes()
    doc = {
        "format": PACK_FORMAT, "report": "byside evidence", "year": req.year,
        "zones": list(req.zones), "datacenters": list(req.datacenters),
        "controls": rows, "evidence": [i.as_dict() for i in items], "missing": gaps, "also_seen": seen,
        "gate": {"source": req.gate.source, **next((i.meta for i in items if i.kind == "gate-report" and i.key == ""), {})},
    }
    return Pack(doc, files, index_html(doc), gaps)


# ---------------------------------------------------------------- the index page


def _link(path: str | None, text: str) -> str:
    e = _html.escape
    return f'<a href="{e(path)}">{e(text)}</a>' if path else e(text)


def _status(s: str) -> str:
    label = {"ok": "ok", "missing": "MISSING", "invalid": "INVALID", "evidenced": "evidenced",
             "incomplete": "INCOMPLETE"}.get(s, s)
    return f'<b>{_html.escape(label)}</b>' if label.isupper() else _html.escape(label)


def index_html(doc: dict) -> str:
    e = _html.escape
    gate = doc["gate"]
    n_ok = sum(1 for r in doc["controls"] if r["status"] == "evidenced")
    intro = (f"<p>Evidence for {doc['year']}: {n_ok} of {len(doc['controls'])} framework controls fully evidenced; "
             f"{len(doc['missing'])} item(s) missing or not verifying (listed below, never left out).</p>"
             f"<p>Zones: {e(', '.join(doc['zones']))}. Data centres: {e(', '.join(doc['datacenters']))}. "
             f"Gate: {e(gate.get('source', ''))}"
             + (f" — exit code {gate['exit_code']}, {gate['violations']} violation(s), {gate['mandatory']} mandatory."
                if "exit_code" in gate else ".") + "</p>"
             "<p>Every file is listed with its SHA-256 in <code>manifest.sha256</code>: "
             "<code>sha256sum -c manifest.sha256</code> in this folder checks them all.</p>")
    head = "<tr><th>Framework</th><th>Control</th><th>Status</th><th>Evidence</th><th>Service Description controls (status per zone)</th></tr>"
    body = []
    for r in doc["controls"]:
        ev = "<br>".join(f"{_status(x['status'])} {_link(x['file'], KINDS[x['kind']] + (' — ' + x['key'] if x['key'] else ''))}"
                         + ("" if x["status"] == "ok" else f": {e(x['detail'])}") for x in r["evidence"])
        sd = "<br>".join(f"{_link('controls/controls.json', x['id'])}: "
                         + e(", ".join(f"{z} {s}" for z, s in x["status"].items()) or x["coverage"])
                         for x in r["matrix_rows"])
        body.append(f"<tr><td>{e(r['framework'])}</td><td><b>{e(r['id'])}</b> {e(r['title'])}</td>"
                    f"<td>{_status(r['status'])}</td><td>{ev}</td><td>{sd}</td></tr>")
    controls = f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"
    files = "".join(f"<tr><td>{e(KINDS[i['kind']])}</td><td>{e(i['key'])}</td><td>{_status(i['status'])}</td>"
                    f"<td>{_link(i['file'], i['file'] or '—')}</td><td>{e(i['detail'])}</td><td>{e(i['source'])}</td></tr>"
                    for i in doc["evidence"])
    files = ("<table>\n<thead><tr><th>Evidence</th><th>For</th><th>Status</th><th>File</th><th>Detail</th>"
             f"<th>Read from</th></tr></thead>\n<tbody>\n{files}\n</tbody>\n</table>")
    gaps = ("<ul>" + "".join(f"<li>{_status(g['status'])} {e(g['what'])}{' — ' + e(g['key']) if g['key'] else ''}: "
                             f"{e(g['detail'])}</li>" for g in doc["missing"]) + "</ul>") if doc["missing"] else "<p>None.</p>"
    seen = "".join(f"<li>{e(s['kind'])} {e(s['status'])}: {e(s['source'])} — {e(s['detail'])}</li>" for s in doc["also_seen"])
    verify = ("<p>Each DC review folder keeps its own <code>manifest.sha256</code> and SSH signature "
              "<code>manifest.sha256.sig</code>: <code>byside audit dc-access verify dc-reviews/&lt;dc&gt; "
              "--allowed-signers keys/allowed_signers</code>, or without this tool <code>ssh-keygen -Y verify -f "
              "keys/allowed_signers -I &lt;signer&gt; -n byside-review -s manifest.sha256.sig &lt; manifest.sha256</code>."
              "</p>")
    sections = [("", intro), ("Controls and their evidence", controls), ("Missing or not verifying", gaps),
                ("Evidence files", files), ("How to check this pack", verify)]
    if seen:
        sections.append(("Also found, not included", f"<ul>{seen}</ul>"))
    banner = [f"INCOMPLETE — {len(doc['missing'])} evidence item(s) missing or not verifying"] if doc["missing"] else []
    return html_page(f"Evidence pack {doc['year']}", sections, banner=banner)
