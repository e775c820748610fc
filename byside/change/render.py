"""`byside diff` as text, JSON (`byside-diff/1`) or one compact Markdown comment for the pull
request and the job summary. Deterministic: the same change renders to the same bytes (no
timestamps, no absolute paths)."""

from __future__ import annotations

import json

from ..console import styled
from . import FORMAT, DiffResult, Finding
from .resources import ACTIONS, ResourceChange

FORMATS = ("text", "json", "markdown")
# GitHub: an issue or PR comment holds at most 65,536 characters; a job summary 1 MiB. The comment
# stays well under it: lists are cut at MAX_ITEMS (the JSON report has every entry).
MAX_COMMENT = 60_000
MAX_ITEMS = 50
MAX_PATHS = 8  # changed property paths shown per resource
MARKER = "<!-- byside-diff -->"  # the workflow finds its own comment by it and updates it


def _where(f: Finding) -> str:
    return f"{f.primary.uri}:{f.primary.line}"


def json_report(d: DiffResult) -> dict:
    return {
        "format": FORMAT,
        "exit_code": d.exit_code,
        "base": {"ref": d.base_ref, "commit": d.base_commit},
        "summary": {"zones": d.zones, **d.counts(),
                    "may_replace": sum(1 for c in d.resources if c.replace == "may replace"),
                    "findings": {"new": len(d.new), "new_mandatory": len(d.new_mandatory), "fixed": len(d.fixed),
                                 "unchanged": len(d.unchanged)},
                    "checkov": {"base": d.base.checkov, "head": d.head.checkov}},
        "zones": [{"zone": z, **d.counts(z)} for z in d.zones],
        "resources": [c.as_dict() for c in d.resources],
        "findings": {"new": [f.as_dict() for f in d.new], "fixed": [f.as_dict() for f in d.fixed],
                     "unchanged": [f.as_dict() for f in d.unchanged]},
    }


def render_json(d: DiffResult) -> str:
    return json.dumps(json_report(d), indent=2, ensure_ascii=False) + "\n"


def _paths(c: ResourceChange, limit: int = MAX_PATHS) -> str:
    labels = [x.label for x in c.changes]
    more = f", … {len(labels) - limit} more" if len(labels) > limit else ""
    return ", ".join(labels[:limit]) + more


def _verb(c: ResourceChange) -> str:
    if c.action == "replace":
        return f"replace (changes {', '.join(c.forcing)})"
    if c.action == "update":
        return "update (may replace)"
    return c.action


def render_text(d: DiffResult, console) -> None:
    console.print(styled(("byside diff", "bold"), f": base {d.base_ref} ({d.base_commit[:12]}) -> working tree"))
    for zone in d.zones:
        counts = d.counts(zone)
        console.print(styled("\n", (f"zone {zone}", "bold"), ": " + ", ".join(f"{n} {a}d" if a != "create" else
                                                                             f"{n} created"
                                                                             for a, n in counts.items())))
        for c in (c for c in d.resources if c.zone == zone):
            line = f"  {_verb(c):<22} {c.name} ({c.type})"
            console.print(line)
            if c.changes:
                console.print(styled("      ", (_paths(c, 20), "dim")))
    for title, items, colour in (("new", d.new, "red"), ("fixed", d.fixed, "green"), ("unchanged", d.unchanged, "dim")):
        console.print(styled("\n", (f"findings {title} ({len(items)})", "bold")))
        for f in items if title != "unchanged" else ():
            v = f.violation
            console.print(styled("  ", (v.enforcement, colour), f" {v.policy} {v.zone} {v.urn.rsplit('::', 1)[-1]}: "
                                 f"{v.message}"))
            console.print(styled("      ", ("at", "dim"), f" {_where(f)} ({f.primary.what})"))
    c = d.counts()
    verdict = ("FAIL", "bold red") if d.exit_code else ("PASS", "bold green")
    console.print(styled("\n", verdict, f": {len(d.zones)} zone(s) touched; {c['create']} created, {c['update']} "
                         f"updated, {c['replace']} replaced, {c['delete']} deleted; findings {len(d.new)} new "
                         f"({len(d.new_mandatory)} mandatory), {len(d.fixed)} fixed, {len(d.unchanged)} unchanged"))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _finding_line(f: Finding) -> str:
    v = f.violation
    mark = "🛑" if v.enforcement == "mandatory" else "⚠️"
    return (f"- {mark} **{v.enforcement}** `{v.policy}` ({v.severity}) `{v.zone}` `{v.urn.rsplit('::', 1)[-1]}` — "
            f"{_cell(v.message)} — `{_where(f)}`")


def _cut(lines: list[str], limit: int = MAX_ITEMS) -> list[str]:
    if len(lines) <= limit:
        return lines
    return lines[:limit] + [f"- … and {len(lines) - limit} more (the JSON report, `byside diff --format json`, "
                            f"lists every one)"]


def render_markdown(d: DiffResult) -> str:
    """One compact comment: zones touched, resource counts by action, new findings first, fixed
    ones, then the changed resources and the unchanged findings collapsed."""
    c = d.counts()
    verdict = "❌ new mandatory findings" if d.exit_code else "✅ no new mandatory finding"
    out = [MARKER, f"### byside diff — {verdict}", "",
           f"Base `{d.base_ref}` (`{d.base_commit[:12]}`) → this change. "
           f"**{len(d.zones)}** zone(s) touched; **{c['create']}** created, **{c['update']}** updated, "
           f"**{c['replace']}** replaced, **{c['delete']}** deleted; findings **{len(d.new)}** new, "
           f"**{len(d.fixed)}** fixed, {len(d.unchanged)} unchanged"
           + (f" ({len(d.head.suppressed)} suppressed in the head, each with its reason and expiry)"
              if d.head.suppressed else "") + ".", ""]
    if d.zones:
        out += ["| zone | created | updated | replaced | deleted | new findings | fixed |",
                "|---|---:|---:|---:|---:|---:|---:|"]
        for z in d.zones:
            n = d.counts(z)
            out.append(f"| `{z}` | {n['create']} | {n['update']} | {n['replace']} | {n['delete']} | "
                       f"{sum(1 for f in d.new if f.violation.zone == z)} | "
                       f"{sum(1 for f in d.fixed if f.violation.zone == z)} |")
        out.append("")
    if d.new:
        out += [f"#### New findings ({len(d.new)})", *_cut([_finding_line(f) for f in d.new]), ""]
    if d.fixed:
        out += [f"#### Fixed ({len(d.fixed)})", *_cut([_finding_line(f) for f in d.fixed]), ""]
    if d.resources:
        lines = [f"- `{x.zone}` **{_verb(x)}** `{x.name}` ({x.type})" + (f": {_cell(_paths(x))}" if x.changes else "")
                 for x in d.resources]
        out += [f"<details><summary>Resources changed ({len(d.resources)})</summary>", "", *_cut(lines), "",
                "</details>", ""]
        if any(x.replace == "may replace" for x in d.resources):
            out += ["_may replace_: the provider decides (Terraform's ForceNew is not in the Pulumi SDKs and no "
                    "provider runs offline); `pulumi preview` on the stack says for sure.", ""]
    if d.unchanged:
        out += [f"<details><summary>Unchanged findings ({len(d.unchanged)})</summary>", "",
                *_cut([_finding_line(f) for f in d.unchanged]), "", "</details>", ""]
    text = "\n".join(out).rstrip() + "\n"
    if len(text) > MAX_COMMENT:  # a last resort: never more than GitHub takes
        text = text[:MAX_COMMENT - 200].rsplit("\n", 1)[0] + "\n\n… cut to fit a GitHub comment; the JSON report " \
               "has everything.\n"
    return text
