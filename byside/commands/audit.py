"""`byside audit ...`: evidence exports for auditors.

``audit_app`` is the shared sub-app: ``dc-access`` is defined here (the review itself when called
without a subcommand, plus ``sign`` and ``verify`` from byside/commands/audit_dc_sign.py); other
audits register themselves on it from their own modules (``byside/commands/audit_access.py`` adds
``access``; byside/cli.py imports them).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

import typer

from .options import choice, value

DcFailOn = choice("DcFailOn", ("never", "revoke", "finding"))

audit_app = typer.Typer(help="Evidence exports for auditors (DC access review, cloud access review).",
                        no_args_is_help=True)
dc_app = typer.Typer(invoke_without_command=True,
                     help="The annual DC access review: export it (options below, no subcommand), then "
                          "`sign` the reviewer's decisions and `verify` the signed folder.")
audit_app.add_typer(dc_app, name="dc-access")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


def today_utc(text: Optional[str]) -> date:
    from ..console import BadInput

    try:
        return date.fromisoformat(text) if text else datetime.now(timezone.utc).date()
    except ValueError:
        raise BadInput(f"--today: {text!r} is not a date (YYYY-MM-DD)") from None


def percent_option(value: float, flag: str = "--max-rejected-percent") -> float:
    from ..console import BadInput

    if not 0 <= value <= 100:
        raise BadInput(f"{flag}: {value:g} is not a percentage between 0 and 100")
    return value


@dc_app.callback()
def dc_access(
    ctx: typer.Context,
    dc: Optional[str] = typer.Option(None, "--dc", help="Data centre id (zones/datacenters.yaml), e.g. dc-lis"),
    year: Optional[int] = typer.Option(None, "--year", help="Year under review; only its events (in UTC) are reviewed"),
    authorized: Optional[Path] = typer.Option(None, "--authorized", help="Authorised list (CSV)"),
    events: Optional[Path] = typer.Option(None, "--events", help="Badge system access events (CSV)"),
    roster: Optional[Path] = typer.Option(None, "--roster", help="HR roster (CSV)"),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (written atomically)"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="Last year's review: its signed folder "
                                            "(from `sign`) or an unsigned review.json"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reference date YYYY-MM-DD (default: 31 Dec of --year)"),
    roles: Optional[str] = typer.Option(None, "--roles", help="Job roles that justify access, comma-separated "
                                        "(default: the DC's access_roles in zones/)"),
    dormant_days: Optional[int] = typer.Option(None, "--dormant-days", help="Dormancy threshold in days "
                                               "(default: the DC's dormant_days in zones/)"),
    events_format: Optional[Path] = typer.Option(None, "--events-format", help="Mapping (YAML) of the badge "
                                                 "system's columns and values (default: this tool's own columns)"),
    authorized_format: Optional[Path] = typer.Option(None, "--authorized-format", help="Mapping (YAML) of the "
                                                     "authorised list's columns"),
    roster_format: Optional[Path] = typer.Option(None, "--roster-format", help="Mapping (YAML) of the HR roster's columns"),
    events_timezone: Optional[str] = typer.Option(None, "--events-timezone", help="IANA timezone for event timestamps "
                                                  "without a UTC offset (default: the events format's, else the DC's "
                                                  "timezone in zones/datacenters.yaml; without one they are rejected)"),
    max_rejected_percent: float = typer.Option(1.0, "--max-rejected-percent", help="More rejected events than this "
                                               "share of those read stops the export (exit 2)"),
    accept_rejected: bool = typer.Option(False, "--accept-rejected", help="Export even when too many events are "
                                         "rejected or none of the year is reviewed; every page then carries a warning"),
    allowed_signers: Optional[Path] = typer.Option(None, "--allowed-signers", help="SSH allowed-signers file: the "
                                                   "signed --previous review's signature must verify against it"),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bar while reading events (default: on a terminal, for large files)"),
    today: Optional[str] = typer.Option(None, "--today", hidden=True, help="Today's date (tests)"),
    fail_on: Optional[DcFailOn] = typer.Option(None, "--fail-on", help="Exit 1 (after writing the export) when a "
                                               "person's proposed decision is `revoke`, or on any `finding` "
                                               "(default `never`: exit 0)"),
) -> None:
    """The annual DC access review: findings DCA-01..11, a proposed decision per authorised person,
    review.json/.xlsx/.html, CSV tables, next-authorized.csv and manifest.sha256 in --out.
    Exit 0 written (1 with --fail-on when met); 2 bad input, or not ready to sign (too many rejected
    events, none reviewed)."""
    from ..console import BadInput

    given = {k: v for k, v in ctx.params.items() if v is not None and k not in ("max_rejected_percent", "accept_rejected")}
    if ctx.invoked_subcommand is not None:
        if given or accept_rejected or max_rejected_percent != 1.0:
            raise BadInput(f"the review's options go without a subcommand, not before `{ctx.invoked_subcommand}` "
                           f"(byside audit dc-access {ctx.invoked_subcommand} --help)")
        return
    missing = [f"--{k.replace('_', '-')}" for k, v in (("dc", dc), ("year", year), ("authorized", authorized),
                                                        ("events", events), ("roster", roster), ("out", out)) if v is None]
    if missing:
        raise BadInput(f"missing option(s) {', '.join(missing)} (byside audit dc-access --help)")
    _review(dc=dc, year=year, authorized=authorized, events=events, roster=roster, out=out, previous=previous,
            as_of=as_of, roles=roles, dormant_days=dormant_days, events_format=events_format,
            authorized_format=authorized_format, roster_format=roster_format, events_timezone=events_timezone,
            max_rejected_percent=max_rejected_percent, accept_rejected=accept_rejected,
            allowed_signers=allowed_signers, progress=progress, today=today, fail_on=value(fail_on) or "never")


def _review(*, dc, year, authorized, events, roster, out, previous, as_of, roles, dormant_days, events_format,
            authorized_format, roster_format, events_timezone, max_rejected_percent, accept_rejected,
            allowed_signers, progress, today, fail_on="never") -> None:
    from zoneinfo import available_timezones

    from audits.dc_access import InputError, Params, write_review
    from audits.dc_access.guard import assess
    from audits.dc_access.mapping import FormatError, load_format
    from audits.export import ExportError

    from .. import safeio
    from ..console import BadInput, err, out as console_out, styled

    day = today_utc(today)
    percent_option(max_rejected_percent)
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
    if events_timezone is not None and events_timezone not in available_timezones():
        raise BadInput(f"--events-timezone: {events_timezone!r} is not an IANA timezone (e.g. Europe/Lisbon)")
    if allowed_signers is not None and previous is None:
        raise BadInput("--allowed-signers checks the signed --previous review: give --previous too")
    role_list = tuple(r.strip() for r in roles.split(",") if r.strip()) if roles is not None else None
    if role_list == ():
        raise BadInput("--roles: give at least one job role")
    site = None
    if role_list is None or dormant_days is None or events_timezone is None:
        site = _datacenter(dc, required=role_list is None or dormant_days is None)
    if role_list is None or dormant_days is None:
        role_list = role_list or tuple(site.access_roles)
        dormant_days = dormant_days or site.dormant_days
    formats = {}
    try:
        for key, path, kind in (("events_format", events_format, "events-format"),
                                ("authorized_format", authorized_format, "authorized-format"),
                                ("roster_format", roster_format, "roster-format")):
            if path is not None:
                formats[key] = load_format(path, kind)
    except FormatError as exc:
        raise BadInput(str(exc)) from None
    tz = None
    if events_timezone is not None:
        tz = (events_timezone, "--events-timezone")
    elif "events_format" in formats and formats["events_format"].timezone:
        tz = (formats["events_format"].timezone, f"events format {formats['events_format'].name}")
    elif site is not None and site.timezone:
        tz = (site.timezone, "zones/datacenters.yaml")
    params = Params(dc=dc, year=year, authorized=authorized, events=events, roster=roster,
                    roles=role_list, dormant_days=dormant_days, previous=previous, as_of=as_of_date,
                    events_timezone=tz, allowed_signers=allowed_signers, **formats)
    try:
        review = _run_with_progress(params, progress)
        problems = assess(review, max_percent=max_rejected_percent, accept=accept_rejected, today=day)
        if problems and not accept_rejected:
            raise BadInput(f"{dc} {year}: not ready to sign, nothing written:\n"
                           + "\n".join(f"  {p}" for p in problems)
                           + "\n  (fix the inputs, or export anyway with --accept-rejected: every page then says so)")
        paths: list = []
        # rendered into a staging folder, renamed into place; never replaces what it did not write
        safeio.write_folder(out, lambda staging: paths.extend(write_review(review, staging)))
    except (InputError, ExportError) as exc:
        raise BadInput(str(exc)) from None
    c = review.counts
    found = ", ".join(f"{k} {v}" for k, v in c["findings"].items() if v) or "none"
    for line in review.guard["problems"]:
        err.print(styled(("warning (accepted):", "bold yellow"), f" {line}"))
    for line in review.notices:
        err.print(styled(("notice:", "yellow"), f" {line}"))
    console_out.print(styled((f"{dc} {year}", "bold"), f" as of {review.as_of}: events read {c['events_read']} = reviewed "
                      f"{c['events_reviewed']} + outside year {c['events_outside_year']} + other DCs "
                      f"{c['events_other_dc']} + skipped {c['events_skipped']} + rejected {c['events_rejected']}; "
                      f"people {c['people']} (retain {c['decisions']['retain']}, "
                      f"revoke {c['decisions']['revoke']}, review {c['decisions']['review']}); findings: {found}"))
    console_out.print(f"wrote {len(paths)} files to {out}")
    if (fail_on == "revoke" and c["decisions"]["revoke"]) or (fail_on == "finding" and any(c["findings"].values())):
        raise typer.Exit(1)


def _datacenter(dc: str, required: bool = True):
    import zones

    from ..console import BadInput

    try:
        platform = zones.load_platform()
    except zones.ZoneDataError as exc:
        raise BadInput(str(exc)) from None
    try:
        return platform.datacenter(dc)
    except KeyError as exc:
        if not required:
            return None
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
