"""`byside check` end to end: read plans (or run the offline preview), judge every stack with the
policy pack served as the engine serves it, add checkov's findings, apply suppressions, and
return data for the renderers and the exit code. No printing here."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ..console import BadInput
from . import checkov_adapter, plans as plan_io
from . import policy_config, suppressions as supp
from .analyzer import Analyzer, Diagnostic, close_all, policy_defaults
from .model import Plan, Rule, Violation

ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = ROOT / "policies"
CONFIG_DIR = PACK_DIR / "config"
DEFAULT_SUPPRESSIONS = PACK_DIR / "suppressions.yaml"
PROJECT = "byside"


@dataclass
class CheckResult:
    plans: list[Plan]
    rules: dict[str, Rule]
    violations: list[Violation]  # counted (not suppressed), sorted
    suppressed: list[tuple[Violation, supp.Suppression]] = field(default_factory=list)
    expired: list[supp.Suppression] = field(default_factory=list)
    unused: list[supp.Suppression] = field(default_factory=list)
    checkov: str = "skipped (--no-checkov)"
    zones: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not judged, for stderr
    disabled: list[dict[str, str]] = field(default_factory=list)  # {policy, stack, source}: turned off by config

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement == "mandatory"]

    @property
    def exit_code(self) -> int:
        return 1 if self.mandatory or self.expired else 0

    @property
    def resources(self) -> int:
        return sum(len(p.resources) for p in self.plans)


def _message(d: Diagnostic) -> str:
    # pulumi_policy prefixes each message with the policy description; reports carry the
    # description in the rule already, so keep the specific part.
    if d.description and d.message.startswith(d.description + "\n"):
        return d.message[len(d.description) + 1:]
    return d.message


def to_violations(diags: list[Diagnostic], plan: Plan, rules: dict[str, Rule]) -> list[Violation]:
    by_urn = {r.urn: r for r in plan.resources}
    out = []
    for d in diags:
        if d.enforcement == "disabled":
            continue
        urn = d.urn or plan_io.stack_root_urn(plan.stack, PROJECT)
        r = by_urn.get(urn)
        rule = rules.get(d.policy)
        out.append(Violation(
            policy=d.policy, source="crossguard",
            severity=d.severity or (rule.severity if rule else "") or "medium",
            enforcement="mandatory" if d.enforcement == "remediate" else d.enforcement,
            zone=r.zone if r else (plan_io.stack_of(urn) or plan.stack),
            urn=urn, type=r.type if r else ("pulumi:pulumi:Stack" if urn.endswith(f"::{PROJECT}-{plan.stack}") else ""),
            message=_message(d), origin=plan.source))
    return out


def _rules_from_info(info) -> dict[str, Rule]:
    from .analyzer import ENFORCEMENT, SEVERITY

    return {p.name: Rule(id=p.name, source="crossguard", title=p.displayName or p.name,
                         severity=SEVERITY.get(p.severity, "medium"),
                         enforcement=ENFORCEMENT.get(p.enforcementLevel, "advisory"), description=p.description,
                         remediation=p.remediation_steps, clause=p.framework.specification)
            for p in info.policies}


def default_plans(zone_ids: list[str] | None = None, use_cache: bool = True) -> list[Plan]:
    """The offline preview of every zone (`byside preview`), read like a plan file."""
    import zones

    from ..preview.cache import preview_documents

    ids = zone_ids or list(zones.load_platform().zones)
    docs = preview_documents(ids, use_cache)
    return [p for z in ids for p in plan_io.parse_document(docs[z], f"preview:{z}")]


def pool_size(n_stacks: int, workers: int | None = None) -> int:
    """Analyzer processes to run: one per stack, at most one per core (each boots in ~0.6 s of CPU,
    so more processes than cores only queue)."""
    return max(1, min(n_stacks, workers or os.cpu_count() or 1))


def start_pool(pack_dir: Path, stacks: list[str], workers: int | None = None) -> list[Analyzer]:
    return [Analyzer(pack_dir, stacks[i] if i < len(stacks) else "none", PROJECT).start()
            for i in range(pool_size(len(stacks), workers))]


def run_crossguard(plans: list[Plan], pack_dir: Path = PACK_DIR, config_file: Path | None = None,
                   config_dir: Path = CONFIG_DIR,
                   pool: list[Analyzer] | None = None,
                   workers: int | None = None) -> tuple[dict[str, Rule], list[Violation]]:
    """Judge every plan with the pack, stack by stack (as `pulumi preview` does, one stack at a
    time): ConfigureStack, GetAnalyzerInfo, Configure with the stack's config, then Analyze and
    AnalyzeStack per plan. Stacks are spread over a small pool of analyzer processes."""
    stacks = sorted({p.stack for p in plans if p.resources})
    pool = list(pool or [])
    try:
        while len(pool) < pool_size(len(stacks), workers):
            pool.append(Analyzer(pack_dir, stacks[len(pool)] if len(pool) < len(stacks) else "none", PROJECT).start())
        rules: dict[str, Rule] = {}
        if not stacks:  # nothing to judge; still list the pack's rules
            rules.update(_rules_from_info(pool[0].info()))
            return rules, []
        # Largest stacks first, each to the least loaded analyzer.
        size = {s: sum(len(p.resources) for p in plans if p.stack == s) for s in stacks}
        queues: list[list[str]] = [[] for _ in pool]
        load = [0] * len(pool)
        for s in sorted(stacks, key=lambda s: (-size[s], s)):
            i = load.index(min(load))
            queues[i].append(s)
            load[i] += size[s]
        lock = threading.Lock()

        def work(i: int) -> list[Violation]:
            a, found = pool[i], []
            for stack in queues[i]:
                a.configure_stack(stack)
                info = a.info()
                with lock:
                    rules.update(_rules_from_info(info))
                a.configure(policy_config.stack_config(stack, policy_defaults(info), config_file, config_dir))
                for p in plans:
                    if p.stack == stack and p.resources:
                        found.extend(to_violations(a.analyze(p.resources), p, rules))
            return found

        with ThreadPoolExecutor(max_workers=len(pool)) as ex:
            results = list(ex.map(work, range(len(pool))))
    finally:
        close_all(pool)
    return rules, [v for vs in results for v in vs]


def run_checkov_bridge(plans: list[Plan]) -> tuple[str, dict[str, Rule], list[Violation], list[str]]:
    """Checkov's checks through the bridge (byside/checkov_bridge), when it is installed."""
    try:
        from .. import checkov_bridge
    except ImportError:
        return "not run: the checkov bridge (byside.checkov_bridge) is not available", {}, [], []
    return checkov_adapter.run(checkov_bridge, plans)


def known_ids_notes(sups: list[supp.Suppression], rules: dict[str, Rule], checkov_ran: bool) -> list[str]:
    """Every suppression names a policy of the pack or a checkov check (the bridge's gated ones and
    those that ran), else exit 2 with the closest ID; notes for those checkov could not vouch for."""
    from ..checkov_bridge import GATED

    why = "" if checkov_ran else "checkov did not run (--no-checkov)"
    skipped = supp.check_ids(sups, set(rules) | set(GATED), why)
    return [f"suppression for {', '.join(skipped)} not verified: {why}"] if skipped else []


def check(plan_files: list[Path] | None = None, *, plans: list[Plan] | None = None, pack_dir: Path = PACK_DIR,
          config_file: Path | None = None, config_dir: Path = CONFIG_DIR, suppressions_file: Path | None = None,
          use_checkov: bool = True, today: date | None = None,
          preview: Callable[[], list[Plan]] | None = None, workers: int | None = None,
          preview_cache: bool = True, zone_ids: list[str] | None = None) -> CheckResult:
    today = today or date.today()
    sups = supp.load(suppressions_file, today) if suppressions_file else []
    pool: list[Analyzer] = []
    try:
        if plans is None and plan_files:
            plans = [p for f in plan_files for p in plan_io.read_plan_file(f)]
        elif plans is None:
            # Boot the analyzers while the program runs under the mock engine.
            import zones

            try:
                known = list(zones.load_platform().zones)
            except zones.ZoneDataError as e:
                raise BadInput(str(e)) from None
            unknown = [z for z in zone_ids or [] if z not in known]
            if unknown:
                raise BadInput(f"--zone: unknown zone(s) {', '.join(unknown)}; known: {', '.join(known)}")
            ids = [z for z in known if z in zone_ids] if zone_ids else known
            pool = start_pool(pack_dir, ids, workers)
            plans = (preview or (lambda: default_plans(ids, preview_cache)))()
        # checkov (a separate program, seconds to start) runs while the pack judges.
        with ThreadPoolExecutor(max_workers=1) as ex:
            ck = ex.submit(run_checkov_bridge, plans) if use_checkov else None
            rules, found = run_crossguard(plans, pack_dir, config_file, config_dir, pool, workers)
            status, ck_rules, ck_found, notes = ck.result() if ck else ("skipped (--no-checkov)", {}, [], [])
    finally:
        close_all(pool)
    rules.update(ck_rules)
    found.extend(ck_found)
    notes += known_ids_notes(sups, rules, use_checkov)
    levels = {rid: r.enforcement for rid, r in rules.items() if r.source == "crossguard"}
    disabled = [d for stack in sorted({p.stack for p in plans if p.resources})
                for d in policy_config.disabled(stack, levels, config_file, config_dir)]
    applied = supp.apply(sorted(found, key=Violation.sort_key), sups, today)
    zones_seen = sorted({r.zone for p in plans for r in p.resources} | {v.zone for v in found})
    return CheckResult(plans=plans, rules=rules, violations=applied.kept, suppressed=applied.suppressed,
                       expired=applied.expired, unused=applied.unused, checkov=status, zones=zones_seen,
                       notes=notes, disabled=disabled)
