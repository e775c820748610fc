"""`byside preview`: the offline preview of every zone stack (Pulumi's mock engine, no CLI)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..console import BadInput, err, out, styled

DEFAULT_OUT_DIR = Path("build/preview")


def register(app: typer.Typer) -> None:
    app.command("preview")(preview)


def preview(
    zone: str = typer.Option("all", "--zone", help="Zone id, or `all`"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="Output file (one zone only; default <out-dir>/<zone>.json)"),
    out_dir: Path = typer.Option(DEFAULT_OUT_DIR, "--out-dir", help="Folder for <zone>.json files"),
    directory: Optional[Path] = typer.Option(None, "--dir", help="Zone data folder (default: the repository's zones/)"),
) -> None:
    """Run infra/ for each zone on Pulumi's mock engine; write stack-export-shaped JSON per zone."""
    import zones

    from .. import safeio
    from ..preview import PreviewError, preview_zones, summary

    try:
        platform = zones.load_platform(directory)
    except zones.ZoneDataError as exc:
        raise BadInput(str(exc)) from None
    ids = list(platform.zones) if zone == "all" else [zone]
    if zone != "all" and zone not in platform.zones:
        raise BadInput(f"--zone: unknown zone {zone!r}; known: {', '.join(platform.zones)}, all")
    if out_file is not None and len(ids) != 1:
        raise BadInput("--out names one file: use it with one --zone, or use --out-dir")
    targets = {z: out_file if out_file is not None else out_dir / f"{z}.json" for z in ids}
    for target in targets.values():  # refuse a folder, device or dangling link before any work
        safeio.check_target(target)
    try:
        results = preview_zones(ids, directory.resolve() if directory else None)
    except PreviewError as exc:
        raise BadInput(f"preview failed: {exc}") from None
    import json

    docs = {z: json.loads(text) for z, (text, _) in results.items()}
    # Everything computed before anything is written: a failure leaves no partial set.
    for z in ids:
        text, log = results[z]
        if log.strip():
            err.print(log.rstrip(), markup=False, highlight=False)
        safeio.write_file(targets[z], text)
    counts = {z: summary(docs[z]) for z in ids}
    table = Table(title="Offline preview: resources per type and zone")
    table.add_column("type")
    for z in ids:
        table.add_column(z, justify="right")
    for typ in sorted({t for c in counts.values() for t in c}):
        table.add_row(typ, *[str(counts[z].get(typ, "")) for z in ids])
    table.add_row(styled(("total", "bold")), *[styled((str(sum(counts[z].values())), "bold")) for z in ids])
    out.print(table)
    for z in ids:
        out.print(f"{z}: {targets[z]}")
