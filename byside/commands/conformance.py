"""`byside conformance`: plans against the locked provider SDKs and the providers' value rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer
from ..console import BadInput, err, out, styled


def register(app: typer.Typer) -> None:
    app.command(name="conformance")(conformance)


def conformance(
    plan: Optional[List[Path]] = typer.Option(
        None, "--plan", help="Plan file, as for `byside check` (repeatable; default: the offline preview of every zone)"),
    zone: Optional[List[str]] = typer.Option(None, "--zone", help="Only these zones of the offline preview"),
    fmt: str = typer.Option("text", "--format", help="text or json"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="Write the report to FILE instead of stdout"),
    rules_only: bool = typer.Option(False, "--rules", help="List the value rules and their upstream sources"),
) -> None:
    """What `pulumi up` would reject that the mock engine accepts: inputs unknown to the provider SDK,
    wrong types, missing required inputs, plain secrets, and values the providers or cloud APIs refuse
    (exit 0 conforms, 1 findings, 2 bad input)."""
    from .. import safeio
    from ..check import gate
    from ..check.plans import read_plan_file
    from ..conformance import check_plans, rules

    if fmt not in ("text", "json"):
        raise BadInput(f"--format: {fmt!r} is not one of text, json")
    if rules_only:
        for r in rules.RULES:
            out.print(styled((r.id, "bold"), f" ({', '.join(r.types)})\n  {r.source}"))
        return
    if zone and plan:
        raise BadInput("--zone selects zones of the offline preview; it cannot be combined with --plan")
    plans = [p for f in plan for p in read_plan_file(f)] if plan else gate.default_plans(zone or None)
    result = check_plans(plans)
    cov = result.coverage
    summary = (f"{cov.resources} resources of {len(cov.types)} types in {', '.join(result.zones)}: {cov.top_level} "
               f"inputs and {cov.nested} nested values against the locked SDKs, {len(rules.RULES)} value rules")
    if fmt == "json":
        text = json.dumps({"format": "byside-conformance/1", "zones": result.zones, "coverage": cov.as_dict(),
                           "findings": [f.as_dict() for f in result.findings]}, indent=2, sort_keys=True) + "\n"
    else:
        lines = [f"{f.zone}: {f}" for f in result.findings]
        lines.append(f"{len(result.findings)} finding(s); {summary}")
        text = "\n".join(lines) + "\n"
    if out_file is None:
        typer.echo(text, nl=False)
    else:
        safeio.write_file(out_file, text)
        err.print(f"wrote {out_file}: {len(result.findings)} finding(s)")
    raise typer.Exit(result.exit_code)
