"""`byside diff`: what a change (the working tree against a base commit) does to every zone —
the resources created, updated, replaced and deleted, and the gate's findings new in the head,
fixed by it and unchanged (docs/diff.md; JSON `byside-diff/1` in docs/contracts.md).

Both sides are judged the same way (`byside check`): the offline preview of each side's program
and zone data, the head's policy pack, pack config, suppressions and checkov settings — so what
differs is what the change does to the resources, not how they are judged. The base is checked
out in a temporary git worktree (byside.change.worktree), removed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..check.gate import CheckResult
from ..check.locations import Location, fingerprint, locate
from ..check.model import Violation
from ..progress import NULL, Progress
from .resources import ACTIONS, ResourceChange, compare

FORMAT = "byside-diff/1"


@dataclass(frozen=True)
class Finding:
    violation: Violation
    fingerprint: str
    primary: Location
    related: tuple[Location, ...]

    def as_dict(self) -> dict:
        return {**self.violation.as_dict(), "fingerprint": self.fingerprint,
                "location": {"uri": self.primary.uri, "line": self.primary.line, "what": self.primary.what},
                "related": [{"uri": r.uri, "line": r.line, "what": r.what} for r in self.related]}


def findings(result: CheckResult) -> dict[str, Finding]:
    out = {}
    for v in result.violations:
        primary, related = locate(v, result.provenance, result.root)
        fp = fingerprint(v.policy, v.urn, v.message)
        out[fp] = Finding(v, fp, primary, tuple(related))
    return out


@dataclass
class DiffResult:
    base_ref: str
    base_commit: str
    head: CheckResult
    base: CheckResult
    resources: list[ResourceChange]
    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)  # located in the base's files
    unchanged: list[Finding] = field(default_factory=list)

    @property
    def zones(self) -> list[str]:
        """Zones the change touches: a resource or a finding differs."""
        return sorted({c.zone for c in self.resources} | {f.violation.zone for f in self.new + self.fixed})

    @property
    def new_mandatory(self) -> list[Finding]:
        return [f for f in self.new if f.violation.enforcement == "mandatory"]

    @property
    def exit_code(self) -> int:
        """1 when the head brings a new mandatory violation (or an expired suppression), as
        `byside check --baseline` on the base's report."""
        return 1 if self.new_mandatory or self.head.expired else 0

    def counts(self, zone: str | None = None) -> dict[str, int]:
        return {a: sum(1 for c in self.resources if c.action == a and (zone is None or c.zone == zone))
                for a in ACTIONS}


def compare_results(base: CheckResult, head: CheckResult) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(new, fixed, unchanged) findings, by fingerprint (policy, resource, message)."""
    old, now = findings(base), findings(head)
    key = lambda f: f.violation.sort_key()  # noqa: E731
    new = sorted((f for fp, f in now.items() if fp not in old), key=key)
    fixed = sorted((f for fp, f in old.items() if fp not in now), key=key)
    same = sorted((f for fp, f in now.items() if fp in old), key=key)
    return new, fixed, same


class _Labelled(Progress):
    """Progress of one side: its phases named "base preview", "head pack", ..."""

    def __init__(self, inner: Progress, label: str):
        self.inner, self.label = inner, label

    def phase(self, name, total=None, unit=""):
        self.inner.phase(f"{self.label} {name}", total, unit)

    def step(self, name, item="", ok=True):
        self.inner.step(f"{self.label} {name}", item, ok)

    def end(self, name, note=""):
        self.inner.end(f"{self.label} {name}", note)


def diff(project: Path | None = None, base: str | None = None, *, progress: Progress = NULL,
         **check_options) -> DiffResult:
    """Judge the base commit (a temporary worktree) and the working tree of `project` (default this
    repository), and compare. `check_options` go to both `byside check` runs (use_checkov,
    suppressions_file, config_file, pack_dir, today, preview_cache)."""
    from ..check import gate
    from . import worktree

    project = Path(project).resolve() if project else gate.ROOT
    top = worktree.toplevel(project)
    ref, commit = worktree.resolve_base(top, base)
    head = gate.check(root=project, progress=_Labelled(progress, "head"), **check_options)
    with worktree.checkout(top, commit) as tree:
        base_root = tree / project.relative_to(top)
        if not (base_root / "Pulumi.yaml").is_file():
            raise_missing(ref, project.relative_to(top))
        old = gate.check(root=base_root, progress=_Labelled(progress, "base"), **check_options)
        new, fixed, same = compare_results(old, head)  # while the base's files exist: its locations
    return DiffResult(ref, commit, head, old, compare(old.plans, head.plans), new, fixed, same)


def raise_missing(ref: str, rel: Path) -> None:
    from ..console import BadInput

    raise BadInput(f"--base {ref}: the project ({rel.as_posix() or '.'}/Pulumi.yaml) does not exist in that commit")
