"""`byside diff`: what the working tree changes against a base commit, per zone (exit 0; 1 when it
brings a new mandatory finding; 2 on bad input)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

import typer

from ..console import BadInput, err, out
from .options import choice, value

Format = choice("DiffFormat", ("text", "json", "markdown"))  # = byside.change.render.FORMATS (tested)


def register(app: typer.Typer) -> None:
    app.command(name="diff")(diff)


def diff(
    base: Optional[str] = typer.Option(
        None, "--base", help="The commit to compare with (default: the merge base of HEAD with the default branch)"),
    fmt: Format = typer.Option("text", "--format", help="Report format (markdown: one PR comment)"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="Write the report to FILE instead of stdout"),
    base_report: Optional[Path] = typer.Option(
        None, "--base-report", help="Also write the base's `byside check --format json` report to FILE (for "
        "`byside check --baseline`)"),
    project: Optional[Path] = typer.Option(
        None, "--project", help="The project's folder, inside a git repository (default: this repository)"),
    suppressions: Optional[Path] = typer.Option(
        None, "--suppressions", help="Suppressions YAML for both sides (default: policies/suppressions.yaml)"),
    policy_pack: Optional[Path] = typer.Option(
        None, "--policy-pack", help="Policy pack folder for both sides (default: the repository's policies/)"),
    no_checkov: bool = typer.Option(False, "--no-checkov", help="Skip checkov on both sides"),
    today: Optional[str] = typer.Option(None, "--today", hidden=True, help="Date for suppression expiry (tests)"),
) -> None:
    """Preview the base commit (a temporary git worktree) and the working tree offline; list every
    resource created, updated, replaced or deleted, and the findings new, fixed and unchanged."""
    from .. import progress as progress_mod, safeio
    from ..change import diff as run_diff
    from ..change import render
    from ..check import gate

    fmt = value(fmt)
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise BadInput(f"--today: {today!r} is not a date (YYYY-MM-DD)") from None
    for target in (out_file, base_report):
        if target is not None:
            safeio.check_target(target)
    if suppressions is None and gate.DEFAULT_SUPPRESSIONS.is_file():
        suppressions = gate.DEFAULT_SUPPRESSIONS
    pack_dir = policy_pack or gate.PACK_DIR
    if not (pack_dir / "__main__.py").is_file():
        raise BadInput(f"--policy-pack: {pack_dir} is not a policy pack folder (no __main__.py)")
    bar = progress_mod.for_console(err)
    try:
        result = run_diff(project, base, progress=bar, suppressions_file=suppressions, use_checkov=not no_checkov,
                          today=day, pack_dir=pack_dir)
    finally:
        bar.close()
    if fmt == "text" and out_file is None:
        render.render_text(result, out)
    else:
        if fmt == "text":
            from io import StringIO

            from ..console import make_console

            buf = StringIO()
            render.render_text(result, make_console(file=buf, width=120, no_color=True))
            text = buf.getvalue()
        else:
            text = {"json": render.render_json, "markdown": render.render_markdown}[fmt](result)
        if out_file is None:
            typer.echo(text, nl=False)
        else:
            safeio.write_file(out_file, text)
            err.print(f"wrote {out_file}: {len(result.resources)} resource change(s), {len(result.new)} new finding(s)")
    if base_report is not None:
        from ..check import report

        safeio.write_file(base_report, report.render_json(result.base))
        err.print(f"wrote {base_report}: the base's report, {len(result.base.violations)} violation(s)")
    raise typer.Exit(result.exit_code)
