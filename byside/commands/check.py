"""`byside check`: the policy gate for PRs (exit 0 pass, 1 mandatory violation, 2 bad input)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import List, Optional

import typer

from ..console import BadInput, err, make_console, out, styled
from .options import choice, value

Format = choice("CheckFormat", ("text", "json", "sarif", "junit"))  # = byside.check.report.FORMATS (tested)


def register(app: typer.Typer) -> None:
    app.command(name="check")(check)


def check(
    plan: Optional[List[Path]] = typer.Option(
        None, "--plan", help="Plan file: `pulumi preview --json`, `pulumi stack export` or `byside preview` output "
        "(repeatable; default: the offline preview of every zone)"),
    state: Optional[List[Path]] = typer.Option(
        None, "--state", help="The stack's current state (`pulumi stack export`), to complete a `pulumi preview "
        "--json` made without --show-sames (repeatable, one per stack)"),
    zone: Optional[List[str]] = typer.Option(
        None, "--zone", help="Only these zones of the offline preview (repeatable; not with --plan)"),
    fmt: Format = typer.Option("text", "--format", help="Report format"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="Write the report to FILE instead of stdout"),
    suppressions: Optional[Path] = typer.Option(
        None, "--suppressions", help="Suppressions YAML (default: policies/suppressions.yaml if present)"),
    policy_config: Optional[Path] = typer.Option(
        None, "--policy-config", help="Pack config for every stack, `--policy-pack-config` format "
        "(default: policies/config/<stack>.json where present)"),
    policy_pack: Optional[Path] = typer.Option(
        None, "--policy-pack", help="Policy pack folder (default: the repository's policies/)"),
    no_checkov: bool = typer.Option(False, "--no-checkov", help="Skip checkov (fastest loop)"),
    no_preview_cache: bool = typer.Option(
        False, "--no-preview-cache", help="Rerun the offline preview even if its inputs are unchanged"),
    today: Optional[str] = typer.Option(None, "--today", hidden=True, help="Date for suppression expiry (tests)"),
) -> None:
    """Judge plans with the CrossGuard pack (served as the Pulumi engine serves it) and checkov."""
    from .. import safeio
    from ..check import gate, report

    fmt = value(fmt)
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise BadInput(f"--today: {today!r} is not a date (YYYY-MM-DD)") from None
    if out_file is not None:  # a folder, device or dangling link is refused before any work
        safeio.check_target(out_file)
    if state and not plan:
        raise BadInput("--state completes a partial `pulumi preview --json` given with --plan")
    if zone and plan:
        raise BadInput("--zone selects zones of the offline preview; it cannot be combined with --plan")
    if suppressions is None and gate.DEFAULT_SUPPRESSIONS.is_file():
        suppressions = gate.DEFAULT_SUPPRESSIONS
    pack_dir = policy_pack or gate.PACK_DIR
    if not (pack_dir / "__main__.py").is_file():
        raise BadInput(f"--policy-pack: {pack_dir} is not a policy pack folder (no __main__.py)")
    import gc

    gc.set_threshold(10_000, 50, 50)  # large plans: millions of small objects, alive for the whole run
    result = gate.check(plan or None, pack_dir=pack_dir, config_file=policy_config, suppressions_file=suppressions,
                        use_checkov=not no_checkov, today=day, preview_cache=not no_preview_cache,
                        zone_ids=zone or None, state_files=state or None)
    # The foreign-project notice is the first line (docs/contracts.md); data printed verbatim.
    for note in result.notes:
        err.print(styled((note, "dim")))
    for s in result.expired:
        err.print(styled(("expired suppression", "bold red"), f" {s.where()}: {s.policy} {s.urn} expired "
                         f"{s.expires} ({s.reason}) — renew it after review or fix the violation"))
    for s in result.unused:
        err.print(styled(("unused suppression", "yellow"), f" {s.where()}: {s.policy} {s.urn} matches no "
                         "violation — remove it"))
    for n in result.not_judged:
        err.print(styled((f"not judged ({n.source}): {n.urn} ({n.reason})", "dim")))
    if fmt == "text" and out_file is None:
        report.render_text(result, out)
    else:
        if fmt == "text":
            from io import StringIO

            buf = StringIO()
            report.render_text(result, make_console(file=buf, width=120, no_color=True))
            text = buf.getvalue()
        else:
            text = {"json": report.render_json, "sarif": report.render_sarif, "junit": report.render_junit}[fmt](result)
        if out_file is None:
            typer.echo(text, nl=False)
        else:
            safeio.write_file(out_file, text)
            err.print(f"wrote {out_file}: {len(result.violations)} violation(s), {len(result.mandatory)} mandatory")
    raise typer.Exit(result.exit_code)
