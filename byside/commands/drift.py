"""`byside drift`: live allowlists and VPNs against zones/. Exit 1 on drift, 0 in sync, 2 on bad
input or an unreachable endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("drift")(drift)


def drift(
    zone: Optional[str] = typer.Option(None, "--zone", help="One zone (default: every zone)"),
    aws_endpoint_url: Optional[str] = typer.Option(None, "--aws-endpoint-url",
                                                   help="EC2 endpoint (default: AWS_ENDPOINT_URL or AWS's own)"),
    gcp_endpoint: Optional[str] = typer.Option(None, "--gcp-endpoint",
                                               help="Compute REST endpoint, e.g. http://127.0.0.1:8080; anonymous "
                                                    "credentials (default: compute.googleapis.com with ADC)"),
    cloud: str = typer.Option("all", "--cloud", help="aws, gcp or all"),
    fmt: str = typer.Option("text", "--format", help="text or json"),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the report to FILE instead of stdout"),
) -> None:
    """Report every difference between what is deployed and zones/: missing/extra CIDR, extra open
    port, weakened VPN settings, unknown resources in a zone's scope."""
    import zones
    from audits.drift import ReadError, run
    from audits.drift.report import json_text, text

    from .. import safeio
    from ..console import BadInput, out as console_out

    if fmt not in ("text", "json"):
        raise BadInput(f"--format: {fmt!r}; use text or json")
    if cloud not in ("aws", "gcp", "all"):
        raise BadInput(f"--cloud: {cloud!r}; use aws, gcp or all")
    for name, url in (("--aws-endpoint-url", aws_endpoint_url), ("--gcp-endpoint", gcp_endpoint)):
        if url is not None and not url.startswith(("http://", "https://")):
            raise BadInput(f"{name}: {url!r} is not an http(s) URL")
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
    raise typer.Exit(0 if report["in_sync"] else 1)
