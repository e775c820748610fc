"""`byside audit access`: the cloud access review, registered on the shared `audit` sub-app."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

import typer

from .audit import audit_app
from .options import check_aws_endpoint_env, choice, value

SEVERITIES = ("low", "medium", "high", "critical")  # = audits.cloud_access.codes severities (tested)
FailOn = choice("AccessFailOn", ("never",) + SEVERITIES)


@audit_app.command("access")
def access(
    out: Path = typer.Option(..., "--out", help="Output folder (written atomically)"),
    zone: Optional[str] = typer.Option(None, "--zone", help="Zone whose account this is (default: every zone's roles count as declared)"),
    unused_days: int = typer.Option(90, "--unused-days", help="A principal unused for longer is reported (CAA-04)"),
    key_max_age: int = typer.Option(90, "--key-max-age", help="Access-key rotation limit in days (CAA-02)"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reference date YYYY-MM-DD (default: today, UTC)"),
    fail_on: FailOn = typer.Option("never", "--fail-on", help="Exit 1 (after writing the export) when a finding "
                                   "has this severity or a higher one; `never`: exit 0"),
) -> None:
    """The cloud access review through boto3 (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL): findings
    CAA-01..13, principals, data gaps; access-review.json/.xlsx/.html, CSV tables, manifest.sha256.
    Exit 0 written (1 with --fail-on when met), 2 bad input or an unreadable account."""
    import zones
    from audits.cloud_access import Params, ReadError, read_inventory, review, write_review
    from audits.cloud_access.codes import CHECKS
    from audits.export import ExportError

    from .. import safeio
    from ..console import BadInput, err, out as console_out, styled

    try:
        as_of_date = date.fromisoformat(as_of) if as_of else datetime.now(timezone.utc).date()
    except ValueError:
        raise BadInput(f"--as-of: {as_of!r} is not a date (YYYY-MM-DD)") from None
    if unused_days < 1:
        raise BadInput("--unused-days: must be at least 1")
    if key_max_age < 1:
        raise BadInput("--key-max-age: must be at least 1")
    check_aws_endpoint_env(["iam", "sts"])
    try:
        platform = zones.load_platform()
    except zones.ZoneDataError as exc:
        raise BadInput(str(exc)) from None
    if zone is not None and zone not in platform.zones:
        raise BadInput(f"--zone: unknown zone {zone!r}; known: {', '.join(sorted(platform.zones))}")
    params = Params(as_of=as_of_date, unused_days=unused_days, key_max_age_days=key_max_age, zone=zone)
    try:
        result = review(read_inventory(), platform, params)
        paths: list = []
        # rendered into a staging folder, renamed into place; never replaces what it did not write
        safeio.write_folder(out, lambda staging: paths.extend(write_review(result, staging)))
    except (ReadError, ExportError) as exc:
        raise BadInput(str(exc)) from None
    if result.zone_account and result.zone_account != result.account:
        err.print(styled(("warning:", "yellow"), f" the credentials reach account {result.account}; zones/ gives {zone} "
                  f"account {result.zone_account} (reviewed as {zone} anyway)"))
    c = result.counts
    found = ", ".join(f"{k} {v}" for k, v in c["findings"].items() if v) or "none"
    console_out.print(styled((f"account {result.account}", "bold"), f" as of {as_of_date}: users {c['users']}, roles {c['roles']}, "
                      f"declared roles {c['declared_roles']}; findings: {found}; "
                      f"data gaps {c['gaps']} (not available from this endpoint)"))
    console_out.print(f"wrote {len(paths)} files to {out}")
    threshold = value(fail_on)
    if threshold != "never":
        at_least = SEVERITIES[SEVERITIES.index(threshold):]
        if any(CHECKS[f.code].severity in at_least for f in result.findings):
            raise typer.Exit(1)
