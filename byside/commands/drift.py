"""`byside drift`: live allowlists and VPNs against zones/. Exit 1 on drift (unless `--fail-on
never`), 0 in sync, 2 on bad input or an unreachable endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .options import check_aws_endpoint_env, check_url, choice, value

Cloud = choice("Cloud", ("aws", "gcp", "all"))
Format = choice("DriftFormat", ("text", "json"))
FailOn = choice("DriftFailOn", ("drift", "never"))

def register(app: typer.Typer) -> None:
    app.command("drift")(drift)


def drift(
    zone: Optional[str] = typer.Option(None, "--zone", help="One zone (default: every zone)"),
    aws_endpoint_url: Optional[str] = typer.Option(None, "--aws-endpoint-url",
                                                   help="EC2 endpoint (default: AWS_ENDPOINT_URL or AWS's own)"),
    gcp_endpoint: Optional[str] = typer.Option(None, "--gcp-endpoint",
                                               help="Compute REST endpoint, e.g. http://127.0.0.1:8080; anonymous "
                                                    "credentials (default: compute.googleapis.com with ADC)"),
    cloud: Cloud = typer.Option("all", "--cloud", help="Which clouds to read"),
    fmt: Format = typer.Option("text", "--format", help="Report format"),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the report to FILE instead of stdout"),
    fail_on: FailOn = typer.Option("drift", "--fail-on", help="Exit 1 when live differs from zones/ (`drift`), "
                                   "or report only and exit 0 (`never`)"),
) -> None:
    """Report every difference between what is deployed and zones/: missing/extra CIDR, extra open
    port, weakened VPN settings, unknown resources in a zone's scope."""
    import zones
    from audits.drift import ReadError, run
    from audits.drift.report import json_text, text

    from .. import safeio
    from ..console import BadInput, out as console_out

    fmt, cloud = value(fmt), value(cloud)
    for name, url in (("--aws-endpoint-url", aws_endpoint_url), ("--gcp-endpoint", gcp_endpoint)):
        if url is not None:
            check_url(url, name)
    if cloud in ("aws", "all") and aws_endpoint_url is None:
        check_aws_endpoint_env(["ec2"])
    if out is not None:  # a folder, device or dangling link is refused before any work
        safeio.check_target(out)
    try:
        platform = zones.load_platform()
    except zones.ZoneDataError as exc:
        raise BadInput(str(exc)) from None
    if zone is not None and zone not in platform.zones:
        raise BadInput(f"--zone: unknown zone {zone!r}; known: {', '.join(sorted(platform.zones))}")
    zone_ids = [zone] if zone else sorted(platform.zones)
    clouds = ("aws", "gcp") if cloud == "all" else (cloud,)
    try:
        report = run(platform, zone_ids, clouds, aws_endpoint_url, gcp_endpoint)
    except ReadError as exc:
        raise BadInput(str(exc)) from None
    rendered = json_text(report) if fmt == "json" else text(report)
    if out is not None:
        safeio.write_file(out, rendered)
        n = len(report["drift"])
        console_out.print(("in sync" if report["in_sync"] else f"drift: {n} difference(s)") + f"; wrote {out}")
    else:
        typer.echo(rendered, nl=False)
    raise typer.Exit(0 if report["in_sync"] or value(fail_on) == "never" else 1)
