"""`byside controls`: the Service Description's promises, what enforces each, status per zone."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..console import err
from .options import choice, value

Format = choice("ControlsFormat", ("md", "csv", "json"))  # = byside.controls.RENDERERS (tested)


def register(app: typer.Typer) -> None:
    app.command(name="controls")(controls)


def controls(
    fmt: Format = typer.Option("md", "--format", help="Output format"),
    plan: Optional[List[Path]] = typer.Option(None, "--plan", help="Plan file(s) to check (default: the offline "
                                              "preview of every zone), as for `byside check`"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="Write to FILE instead of stdout"),
    no_checkov: bool = typer.Option(False, "--no-checkov", help="Status from the pack only"),
) -> None:
    """The controls matrix an auditor reads first (exit 0; 2 on bad input)."""
    from .. import controls as ctl
    from .. import safeio
    from ..check import gate

    fmt = value(fmt)
    if out_file is not None:  # a folder, device or dangling link is refused before any work
        safeio.check_target(out_file)
    suppressions = gate.DEFAULT_SUPPRESSIONS if gate.DEFAULT_SUPPRESSIONS.is_file() else None
    result = gate.check(plan or None, suppressions_file=suppressions, use_checkov=not no_checkov)
    text = ctl.RENDERERS[fmt](ctl.matrix(result), result.zones)
    if out_file is None:
        typer.echo(text, nl=False)
    else:
        safeio.write_file(out_file, text)
        err.print(f"wrote {out_file}: {len(ctl.CONTROLS)} controls, zones {', '.join(result.zones)}")
