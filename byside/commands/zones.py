"""`byside zones validate|schema|show`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from ..console import err, out, styled
from .options import choice, value

Format = choice("ZonesFormat", ("text", "json"))

zones_app = typer.Typer(help="Validate, describe and show the zone data (zones/*.yaml).", no_args_is_help=True)

DirOption = typer.Option(None, "--dir", help="Zone data folder (default: the repository's zones/)")


def register(app: typer.Typer) -> None:
    app.add_typer(zones_app, name="zones")


@zones_app.command()
def validate(
    directory: Optional[Path] = DirOption,
    fmt: Format = typer.Option("text", "--format", help="Output format"),
) -> None:
    """Load every zone file, list every error and warning; exit 2 on any error."""
    import zones

    fmt = value(fmt)

    platform, issues = zones.load(directory)
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity == "warning"]
    if fmt == "json":
        out.print_json(json.dumps({"valid": platform is not None, "errors": [i.as_dict() for i in errors],
                                   "warnings": [i.as_dict() for i in warnings]}))
    else:
        for i in errors:
            err.print(styled(("error", "red"), f" {i}"))
        for i in warnings:
            err.print(styled((str(i), "yellow")))
        if platform is not None:
            out.print(styled(("valid", "green"), f": {len(platform.zones)} zones ({', '.join(platform.zones)}), "
                      f"{len(platform.datacenters)} data centres, {len(platform.subscribers)} subscribers; "
                      f"{len(warnings)} warning(s)"))
        else:
            err.print(styled(("invalid", "bold red"), f": {len(errors)} error(s), {len(warnings)} warning(s)"))
    raise typer.Exit(0 if platform is not None else 2)


@zones_app.command()
def schema() -> None:
    """Print the JSON Schema of the zone files (for editors: see README)."""
    from zones.schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


@zones_app.command()
def show(
    zone: Optional[str] = typer.Argument(None, help="Zone id (default: all zones)"),
    on: Optional[str] = typer.Option(None, "--on", help="Date (YYYY-MM-DD) for the window in UTC; default today"),
    fmt: Format = typer.Option("text", "--format", help="Output format"),
    directory: Optional[Path] = DirOption,
) -> None:
    """Show sites, segments, policy, allowlist packing, window (local and UTC), backup and logs."""
    import zones
    from zones.describe import describe_zone

    from ..console import BadInput

    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise BadInput(f"--on: {on!r} is not a date (YYYY-MM-DD)") from None
    fmt = value(fmt)
    try:
        platform = zones.load_platform(directory)
    except zones.ZoneDataError as exc:
        raise BadInput(str(exc)) from None
    ids = [zone] if zone else list(platform.zones)
    if zone and zone not in platform.zones:
        raise BadInput(f"unknown zone {zone!r}; known: {', '.join(platform.zones)}")
    data = [describe_zone(platform, z, day) for z in ids]
    if fmt == "json":
        typer.echo(json.dumps(data if not zone else data[0], indent=2, sort_keys=True))
        return
    from .zones_render import render_zone

    for d in data:
        render_zone(d)
