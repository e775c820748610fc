"""`byside audit ...`: evidence exports for auditors.

``audit_app`` is the shared sub-app: ``dc-access`` is defined here; other audits register
themselves on it from their own modules (``byside/commands/audit_access.py`` adds ``access``;
byside/cli.py imports it).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

import typer

audit_app = typer.Typer(help="Evidence exports for auditors (DC access review, cloud access review).",
                        no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


@audit_app.command("dc-access")
def dc_access(
    dc: str = typer.Option(..., "--dc", help="Data centre id (zones/datacenters.yaml), e.g. dc-lis"),
    year: int = typer.Option(..., "--year", help="Year under review; only its events (in UTC) are reviewed"),
    authorized: Path = typer.Option(..., "--authorized", help="Authorised list (CSV)"),
    events: Path = typer.Option(..., "--events", help="Badge system access events (CSV)"),
    roster: Path = typer.Option(..., "--roster", help="HR roster (CSV)"),
    out: Path = typer.Option(..., "--out", help="Output folder (written atomically)"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="Last year's review.json"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reference date YYYY-MM-DD (default: 31 Dec of --year)"),
    roles: Optional[str] = typer.Option(None, "--roles", help="Job roles that justify access, comma-separated "
                                        "(default: the DC's access_roles in zones/)"),
    dormant_days: Optional[int] = typer.Option(None, "--dormant-days", help="Dormancy threshold in days "
                                               "(default: the DC's dormant_days in zones/)"),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bar while reading events (default: on a terminal, for large files)"),
) -> None:
    """The annual DC access review: findings DCA-01..10, a proposed decision per authorised person,
    review.json/.xlsx/.html, CSV tables, next-authorized.csv and manifest.sha256 in --out."""
    from audits.dc_access import InputError, Params, run_review, write_review
    from audits.export import ExportError

    from .. import safeio
    from ..console import BadInput, out as console_out, styled

    try:
        as_of_date = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise BadInput(f"--as-of: {as_of!r} is not a date (YYYY-MM-DD)") from None
    if not 1970 <= year <= 9998:
        raise BadInput(f"--year: {year} is out of range")
    if as_of_date is not None and as_of_date < date(year, 1, 1):
        raise BadInput(f"--as-of: {as_of_date} is before the year under review ({year})")
    if dormant_days is not None and dormant_days < 1:
        raise BadInput("--dormant-days: must be at least 1")
    role_list = tuple(r.strip() for r in roles.split(",") if r.strip()) if roles is not None else None
    if role_list == ():
        raise BadInput("--roles: give at least one job role")
    if role_list is None or dormant_days is None:
        site = _datacenter(dc)
        role_list = role_list or tuple(site.access_roles)
        dormant_days = dormant_days or site.dormant_days
    params = Params(dc=dc, year=year, authorized=authorized, events=events, roster=roster,
                    roles=role_list, dormant_days=dormant_days, previous=previous, as_of=as_of_date)
    try:
        review = _run_with_progress(params, progress)
        paths: list = []
        # rendered into a staging folder, renamed into place; never replaces what it did not write
        safeio.write_folder(out, lambda staging: paths.extend(write_review(review, staging)))
    except (InputError, ExportError) as exc:
        raise BadInput(str(exc)) from None
    c = review.counts
    found = ", ".join(f"{k} {v}" for k, v in c["findings"].items() if v) or "none"
    console_out.print(styled((f"{dc} {year}", "bold"), f" as of {review.as_of}: events read {c['events_read']} = reviewed "
                      f"{c['events_reviewed']} + outside year {c['events_outside_year']} + rejected "
                      f"{c['events_rejected']}; people {c['people']} (retain {c['decisions']['retain']}, "
                      f"revoke {c['decisions']['revoke']}, review {c['decisions']['review']}); findings: {found}"))
    console_out.print(f"wrote {len(paths)} files to {out}")


def _datacenter(dc: str):
    import zones

    from ..console import BadInput

    try:
        platform = zones.load_platform()
    except zones.ZoneDataError as exc:
        raise BadInput(str(exc)) from None
    try:
        return platform.datacenter(dc)
    except KeyError as exc:
        raise BadInput(f"--dc: {exc.args[0]} (or give both --roles and --dormant-days)") from None


PROGRESS_MIN_BYTES = 8 * 1024 * 1024


def _run_with_progress(params, progress: Optional[bool]):
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from audits.dc_access import run_review

    from ..console import err

    try:
        size = params.events.stat().st_size
    except OSError:
        size = 0
    show = progress if progress is not None else (err.is_terminal and size >= PROGRESS_MIN_BYTES)
    if not show:
        return run_review(params)
    with Progress(TextColumn("reading events"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("events", total=size or None)
        return run_review(params, progress=lambda n: bar.update(task, completed=n))
