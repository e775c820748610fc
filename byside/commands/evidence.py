"""`byside evidence`: one evidence pack for the auditor (exit 0 complete, 1 written with evidence
missing or not verifying, 2 bad input — nothing written)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    app.command(name="evidence")(evidence)


def evidence(
    year: int = typer.Option(..., "--year", help="The year the pack is for (DC reviews and access reviews of that year)"),
    out: Path = typer.Option(..., "--out", help="Output folder (written atomically, under one manifest)"),
    check_report: Optional[Path] = typer.Option(None, "--check-report", help="A ready `byside check --format json` "
                                                "report (either shape); needs --controls. Default: run the gate now"),
    controls: Optional[Path] = typer.Option(None, "--controls", help="A ready `byside controls --format json` matrix "
                                            "from the same run (with --check-report)"),
    check_sarif: Optional[Path] = typer.Option(None, "--check-sarif", help="The same run's `--format sarif` report"),
    no_checkov: bool = typer.Option(False, "--no-checkov", help="When the gate runs now: the pack only (faster)"),
    dc_review: Optional[List[Path]] = typer.Option(None, "--dc-review", help="A signed DC review folder (repeatable; "
                                                   "default: every one found under --search)"),
    access_review: Optional[List[Path]] = typer.Option(None, "--access-review", help="A cloud access review folder "
                                                       "(repeatable; default: found under --search); the newest "
                                                       "as-of date of the year per zone is included"),
    search: Optional[List[Path]] = typer.Option(None, "--search", help="Where to look for reviews not given "
                                                "explicitly (repeatable; default: build/)"),
    allowed_signers: Optional[Path] = typer.Option(None, "--allowed-signers", help="SSH allowed-signers file: the "
                                                   "DC reviews' signatures must verify against it (copied into the pack)"),
) -> None:
    """The auditor's pack for ISO/IEC 27001 A.5.15, A.5.18, A.7.2, A.8.15 and SOC 2 CC6.1-CC6.4, CC7.2: the
    controls matrix, the gate's report on every zone, the signed DC reviews of the year, the latest cloud
    access review, index.html linking every control to its evidence, one manifest.sha256."""
    import zones
    from audits.evidence import PackRequest, build_pack
    from audits.evidence.sources import EvidenceInputError, gate_from_files, run_gate
    from audits.export import ExportError
    from audits.sshsig import SignatureError, check_allowed_signers

    from .. import safeio
    from ..console import BadInput, err, out as console_out, styled

    if not 1970 <= year <= 9998:
        raise BadInput(f"--year: {year} is out of range")
    if (check_report is None) != (controls is None):
        raise BadInput("--check-report and --controls go together (the report and the matrix of one gate run); "
                       "give both, or neither to run the gate now")
    if check_sarif is not None and check_report is None:
        raise BadInput("--check-sarif goes with --check-report and --controls")
    try:
        if allowed_signers is not None:
            check_allowed_signers(allowed_signers)
        platform = zones.load_platform()
    except SignatureError as exc:
        raise BadInput(str(exc)) from None
    except zones.ZoneDataError as exc:
        raise BadInput(str(exc)) from None
    try:
        gate = (gate_from_files(check_report, controls, check_sarif) if check_report is not None
                else run_gate(no_checkov=no_checkov))
        req = PackRequest(year=year, out=out, gate=gate, zones=tuple(platform.zones),
                          datacenters=tuple(sorted(platform.datacenters)), dc_reviews=tuple(dc_review or ()),
                          access_reviews=tuple(access_review or ()), search=tuple(search or (Path("build"),)),
                          allowed_signers=allowed_signers)
        pack = build_pack(req)
        paths: list = []
        safeio.write_folder(out, lambda staging: paths.extend(pack.write(staging)))
    except (EvidenceInputError, ExportError) as exc:
        raise BadInput(str(exc)) from None
    doc = pack.doc
    n_ok = sum(1 for r in doc["controls"] if r["status"] == "evidenced")
    for g in pack.missing:
        err.print(styled((f"{g['status']}:", "bold yellow"),
                         f" {g['what']}{' — ' + g['key'] if g['key'] else ''}: {g['detail']}"))
    console_out.print(styled((f"evidence {year}", "bold"), f": {n_ok} of {len(doc['controls'])} controls fully "
                             f"evidenced; {len(pack.missing)} item(s) missing or not verifying"))
    console_out.print(f"wrote {len(paths)} files to {out} (open {out / 'index.html'})")
    raise typer.Exit(pack.exit_code)
