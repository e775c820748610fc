"""`byside audit dc-access sign|verify`: close the annual review with the reviewer's decisions and an
SSH signature, and check a signed folder. Registered on the `dc-access` group of audit.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

import typer

from .audit import dc_app, percent_option, today_utc


@dc_app.command("sign")
def sign(
    review_dir: Path = typer.Argument(..., help="The exported review folder (from `byside audit dc-access`)"),
    decisions: Path = typer.Option(..., "--decisions", help="The reviewer's decisions: review.xlsx with the People "
                                   "sheet filled in, or a CSV person_id, decision, comment[, new_area, "
                                   "new_access_level, new_valid_until]"),
    reviewer: str = typer.Option(..., "--reviewer", help="The reviewer's name"),
    on: str = typer.Option(..., "--date", help="Decision date YYYY-MM-DD (DCA-10 of next year counts from it)"),
    key: Optional[Path] = typer.Option(None, "--key", help="SSH private key (or the public key of one held by "
                                       "ssh-agent) to sign the manifest with (ssh-keygen -Y sign -n byside-review)"),
    out: Optional[Path] = typer.Option(None, "--out", help="Signed folder (default: REVIEW_DIR/signed)"),
    confirm_warnings: bool = typer.Option(False, "--confirm-warnings", help="Sign a review that is not ready to "
                                          "sign as is (too many rejected events, none reviewed, exported with "
                                          "--accept-rejected): the signed folder records the confirmed warnings"),
    max_rejected_percent: float = typer.Option(1.0, "--max-rejected-percent", help="The export's guard, applied "
                                               "again before signing"),
    today: Optional[str] = typer.Option(None, "--today", hidden=True, help="Today's date (tests)"),
) -> None:
    """Check the decisions against the review (every person decided, comments where they differ from the
    proposal, nothing edited since the export) and write the signed folder. Exit 0 signed; 2 on any
    inconsistency or bad input, with nothing written."""
    from audits.dc_access import InputError
    from audits.dc_access.signed import SignRequest, prepare, write_signed
    from audits.dc_access.signedfile import SIGNATURE
    from audits.export import ExportError
    from audits.sshsig import SignatureError

    from .. import safeio
    from ..console import BadInput, err, out as console_out, styled

    try:
        signed_on = date.fromisoformat(on)
    except ValueError:
        raise BadInput(f"--date: {on!r} is not a date (YYYY-MM-DD)") from None
    percent_option(max_rejected_percent)
    target = out if out is not None else review_dir / "signed"
    req = SignRequest(review_dir=review_dir, decisions=decisions, reviewer=reviewer, signed_on=signed_on,
                      out=target, key=key, confirm_warnings=confirm_warnings,
                      max_rejected_percent=max_rejected_percent, today=today_utc(today))
    try:
        result = prepare(req)
        paths: list = []
        # staged and renamed into place; the signature is the manifest's companion file
        safeio.write_folder(target, lambda staging: paths.extend(write_signed(result, staging)), companions=(SIGNATURE,))
    except (InputError, ExportError, SignatureError) as exc:
        raise BadInput(str(exc)) from None
    for w in result.warnings:
        err.print(styled(("confirmed warning:", "bold yellow"), f" {w}"))
    d = result.doc
    n = d["counts"]["decisions"]
    console_out.print(styled((f"{d['dc']} {d['year']}", "bold"),
                             f" signed by {d['reviewer']} on {d['signed_on']}: retain {n['retain']}, "
                             f"revoke {n['revoke']}, change {n['change']}; authorised grants "
                             f"{d['counts']['authorized_before']} -> {d['counts']['authorized_after']}; "
                             + ("SSH signature manifest.sha256.sig" if key is not None else "no SSH signature (no --key)")))
    console_out.print(f"wrote {len(paths)} files to {target}")


@dc_app.command("verify")
def verify(
    folder: Path = typer.Argument(..., help="A signed review folder (from `byside audit dc-access sign`)"),
    allowed_signers: Path = typer.Option(..., "--allowed-signers", help="SSH allowed-signers file (the format "
                                         "git's gpg.ssh.allowedSignersFile uses)"),
    principal: Optional[str] = typer.Option(None, "--principal", help="Require this signer identity (default: "
                                            "any the allowed-signers file names for the key)"),
) -> None:
    """Check every file against manifest.sha256 and the SSH signature over it (ssh-keygen -Y verify).
    Exit 0 verified; 1 verification failed (a file changed, added or missing; no or a bad signature);
    2 bad input."""
    from audits.dc_access.signedfile import check_signed
    from audits.sshsig import SignatureError, check_allowed_signers

    from ..console import BadInput, err, out as console_out, styled

    try:
        check_allowed_signers(allowed_signers)
        result = check_signed(folder, allowed_signers, principal)
    except (ValueError, SignatureError) as exc:
        raise BadInput(str(exc)) from None
    doc = result.doc or {}
    if result.problems:
        for p in result.problems:
            err.print(styled(("FAILED", "bold red"), f" {p}"))
        console_out.print(f"verification failed: {folder} ({len(result.problems)} problem(s))")
        raise typer.Exit(1)
    console_out.print(f"verified: {folder} — {doc.get('dc')} {doc.get('year')} signed by {doc.get('reviewer')} "
                      f"on {doc.get('signed_on')}; {result.signature_status}; every file matches manifest.sha256")
