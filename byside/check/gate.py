"""`byside check` end to end: read plans (or run the offline preview), rebuild whole stacks from
fragments and their state, judge every stack with the policy pack served as the engine serves it,
add checkov's findings, apply suppressions, and return data for the renderers and the exit code.
No printing here. Fails closed: whatever it cannot place or judge is a finding, an error (exit 2)
or a `not_judged` entry, never a silent pass."""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..console import BadInput
from . import checkov_adapter, plans as plan_io
from . import policy_config, suppressions as supp
from ..progress import NULL, Progress
from .pack_process import PackProcess, PackStartError
from .model import PROJECT, NotJudged, Plan, Rule, Violation

if TYPE_CHECKING:  # analyzer.py loads grpc and the protocol: imported once the packs are booting
    from .analyzer import Analyzer, Diagnostic

ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = ROOT / "policies"
CONFIG_DIR = PACK_DIR / "config"
DEFAULT_SUPPRESSIONS = PACK_DIR / "suppressions.yaml"


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
    notes: list[str] = field(default_factory=list)  # for stderr / JSON `notes`; the foreign notice first
    not_judged: list[NotJudged] = field(default_factory=list)  # sorted
    disabled: list[dict[str, str]] = field(default_factory=list)  # {policy, stack, source}: turned off by config
    # URN -> where the resource comes from (program line, zone facts): byside/provenance
    provenance: dict = field(default_factory=dict)
    root: Path = ROOT  # the project root the report's paths are relative to
    skipped_checks: dict[str, str] = field(default_factory=dict)  # checkov checks switched off: id -> reason

    # `byside check --baseline FILE`: the fingerprints of that report's violations (byside.check.baseline)
    baseline: frozenset[str] | None = None
    baseline_source: str = ""

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement == "mandatory"]

    @property
    def new_mandatory(self) -> list[Violation]:
        """Mandatory violations not in the baseline (all of them without one): what fails the gate."""
        if self.baseline is None:
            return self.mandatory
        from .locations import fingerprint

        return [v for v in self.mandatory if fingerprint(v.policy, v.urn, v.message) not in self.baseline]

    @property
    def existing_mandatory(self) -> list[Violation]:
        """Mandatory violations the baseline already had (they remain, and do not fail the gate)."""
        new = {id(v) for v in self.new_mandatory}
        return [v for v in self.mandatory if id(v) not in new]

    @property
    def exit_code(self) -> int:
        return 1 if self.new_mandatory or self.expired else 0

    @property
    def resources(self) -> int:
        """Resources judged: every resource of the new states but reads."""
        return sum(1 for p in self.plans for r in p.resources if r.in_stack)

    @property
    def foreign(self) -> list[Plan]:
        """Plans of stacks of other projects: judged by the zone-independent policies only."""
        return [p for p in self.plans if p.project != PROJECT and p.resources]


def _message(d: Diagnostic) -> str:
    # pulumi_policy prefixes each message with the policy description; reports carry the
    # description in the rule already, so keep the specific part.
    if d.description and d.message.startswith(d.description + "\n"):
        return d.message[len(d.description) + 1:]
    return d.message


def to_violations(diags: list[Diagnostic], plan: Plan, rules: dict[str, Rule]) -> list[Violation]:
    by_urn = {r.urn: r for r in plan.resources}
    root = plan_io.stack_root_urn(plan.stack, plan.project)
    out = []
    for d in diags:
        if d.enforcement == "disabled":
            continue
        urn = d.urn or root
        r = by_urn.get(urn)
        rule = rules.get(d.policy)
        out.append(Violation(
            policy=d.policy, source="crossguard",
            severity=d.severity or (rule.severity if rule else "") or "medium",
            enforcement="mandatory" if d.enforcement == "remediate" else d.enforcement,
            zone=r.zone if r else (plan_io.stack_of(urn) or plan.stack),
            urn=urn, type=r.type if r else ("pulumi:pulumi:Stack" if urn == root else ""),
            message=_message(d), origin=plan.source))
    return out


def _rules_from_info(info) -> dict[str, Rule]:
    from .analyzer import ENFORCEMENT, SEVERITY

    return {p.name: Rule(id=p.name, source="crossguard", title=p.displayName or p.name,
                         severity=SEVERITY.get(p.severity, "medium"),
                         enforcement=ENFORCEMENT.get(p.enforcementLevel, "advisory"), description=p.description,
                         remediation=p.remediation_steps, clause=p.framework.specification)
            for p in info.policies}


def stack_config_values(plan: Plan, root: Path = ROOT) -> tuple[dict[str, str], list[str]]:
    """The stack's config as the engine passes it to analyzers (PULUMI_CONFIG, ConfigureStack):
    what the plan recorded, else, for this project's stacks, Pulumi.<stack>.yaml. Secret values are
    never decrypted: they are sent blinded ("[secret]"), as `pulumi preview --json` shows them."""
    if plan.config:
        return dict(plan.config), sorted(k for k, v in plan.config.items() if v == "[secret]")
    if plan.project != PROJECT:
        return {}, []
    path = root / f"Pulumi.{plan.stack}.yaml"
    if not path.exists() and not path.is_symlink():
        return {}, []  # a stack without its own settings file: no config, as the engine has none
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        stamp = None  # a dangling link: the reader says so
    values, secret = _stack_settings(str(path), stamp)
    return dict(values), list(secret)


@functools.lru_cache(maxsize=64)
def _stack_settings(path_text: str, stamp: tuple[int, int, int] | None) -> tuple[dict[str, str], tuple[str, ...]]:
    """A Pulumi.<stack>.yaml's config, read once per version of the file (a stack's pack process and
    its analyzer both need it; ruamel's safe composer costs ~15 ms a read)."""
    import json

    from .. import safeyaml

    path = Path(path_text)
    # A pull request may change it: read within the YAML limits, and a broken one is an error with
    # file and line (the engine would refuse it too), never an empty config.
    doc = safeyaml.load(path, what="stack settings file")
    config = doc.data.get("config") if isinstance(doc.data, dict) else None
    if doc.data is not None and not isinstance(doc.data, dict):
        raise BadInput(f"{path}:{doc.line(())}: expected a mapping (the stack's settings)")
    if config is not None and not isinstance(config, dict):
        raise BadInput(f"{path}:{doc.line(('config',))}: config: expected a mapping of keys to values")
    values: dict[str, str] = {}
    secret: list[str] = []
    for key, value in (config or {}).items():
        if isinstance(value, dict) and set(value) == {"secure"}:
            values[key], secret = "[secret]", secret + [key]
        elif isinstance(value, (dict, list)):
            values[key] = json.dumps(value, sort_keys=True)
        elif isinstance(value, bool):
            values[key] = str(value).lower()
        else:
            values[key] = str(value)
    return values, tuple(sorted(secret))


def new_analyzer(pack_dir: Path, plan: Plan, in_flight: int | None = None,
                 process: PackProcess | None = None, root: Path = ROOT) -> Analyzer:
    from .analyzer import Analyzer

    config, secret = stack_config_values(plan, root)
    process = process or pack_process(pack_dir, plan, root)
    kwargs = {"in_flight": in_flight} if in_flight else {}
    return Analyzer(pack_dir, plan.stack, plan.project, config=config, secret_keys=secret, process=process, **kwargs)


def judging_order(plans: list[Plan]) -> list[Plan]:
    """The stacks to judge, largest first (the longest job starts first)."""
    return sorted([p for p in plans if p.resources], key=lambda p: (-len(p.resources), p.project, p.stack, p.source))


def pack_process(pack_dir: Path, plan: Plan, root: Path = ROOT) -> PackProcess:
    """The stack's pack process; for another checkout (`byside diff`'s base) judging with that
    checkout's zone data (zones_dir)."""
    config, _ = stack_config_values(plan, root)
    return PackProcess(pack_dir, plan.stack, plan.project, config=config, zones_dir=zones_dir(root))


def start_packs(pack_dir: Path, plans: list[Plan], workers: int | None = None,
                in_flight: int | None = None, root: Path = ROOT) -> dict[tuple[str, str], Analyzer]:
    """Start the first stacks' pack processes, then load the gRPC client while they boot (both take
    ~0.3 s: on a PR's three stacks that is a tenth of the gate's time)."""
    jobs = judging_order(plans)
    procs: dict[tuple[str, str], tuple[Plan, PackProcess]] = {}
    try:
        for plan in jobs[:pool_size(len(jobs), workers)]:
            key = (plan.project, plan.stack)
            if key not in procs:
                procs[key] = (plan, pack_process(pack_dir, plan, root))
                procs[key][1].start()
        return {key: new_analyzer(pack_dir, plan, in_flight, process=proc, root=root)
                for key, (plan, proc) in procs.items()}
    except PackStartError as e:
        for _, proc in procs.values():
            proc.stop()
        raise BadInput(str(e)) from None
    except BaseException:
        for _, proc in procs.values():
            proc.stop()
        raise


def default_plans(zone_ids: list[str] | None = None, use_cache: bool = True, root: Path | None = None,
                  progress: Progress = NULL) -> list[Plan]:
    """The offline preview of every zone (`byside preview`) of the project at `root` (default this
    repository), read like a plan file."""
    import zones

    from ..preview.cache import preview_documents

    ids = zone_ids or list(zones.load_platform().zones)
    docs = preview_documents(ids, use_cache, root, progress)
    plans = [p for z in ids for p in plan_io.parse_document(docs[z], f"preview:{z}")]
    for p in plans:
        p.format = "byside preview"
    return plans


def pool_size(n_stacks: int, workers: int | None = None) -> int:
    """Analyzer processes alive at once: one per stack, up to two per core (a pack spends most of
    its short life booting, ~0.6 s of CPU, then waiting on the client: two per core keep the cores
    busy without queueing a stack behind another's boot; each holds ~100 MiB)."""
    return max(1, min(n_stacks, workers or 2 * (os.cpu_count() or 1)))


def run_crossguard(plans: list[Plan], pack_dir: Path = PACK_DIR, config_file: Path | None = None,
                   config_dir: Path = CONFIG_DIR, started: dict[tuple[str, str], Analyzer] | None = None,
                   workers: int | None = None, in_flight: int | None = None,
                   progress: Progress = NULL, root: Path = ROOT) -> tuple[dict[str, Rule], list[Violation]]:
    """Judge every plan with the pack as `pulumi preview` does: one analyzer process per stack
    (started with that stack's environment), ConfigureStack, GetAnalyzerInfo, Configure with the
    stack's config, Analyze and AnalyzeStack. At most `pool_size` processes run at once, largest
    stacks first; `started` are processes already booting for some (project, stack)."""
    from .analyzer import close_all, policy_defaults

    started = dict(started or {})
    jobs = judging_order(plans)
    rules: dict[str, Rule] = {}
    alive: list[Analyzer] = []
    try:
        if not jobs:  # nothing to judge; still list the pack's rules
            probe = Plan("", "none", [], project=PROJECT)
            a = started.pop((PROJECT, "none"), None) or new_analyzer(pack_dir, probe, root=root)
            alive.append(a)
            rules.update(_rules_from_info(a.info()))
            return rules, []

        def judge(plan: Plan) -> tuple[dict[str, Rule], list[Violation]]:
            a = started.pop((plan.project, plan.stack), None) or new_analyzer(pack_dir, plan, in_flight, root=root)
            alive.append(a)
            try:
                a.configure_stack()
                info = a.info()
                found_rules = _rules_from_info(info)
                a.configure(policy_config.stack_config(plan.stack, policy_defaults(info), config_file, config_dir))
                judged = found_rules, to_violations(a.analyze(plan.resources), plan, found_rules)
                progress.step("pack", plan.stack)
                return judged
            finally:
                a.interrupt()  # the next stack's process boots while this one winds down

        progress.phase("pack", len(jobs), "stacks")
        with ThreadPoolExecutor(max_workers=pool_size(len(jobs), workers)) as ex:
            results = list(ex.map(judge, jobs))
        progress.end("pack")
    finally:
        close_all(alive + list(started.values()))
    found: list[Violation] = []
    for r, vs in results:
        for rid, rule in r.items():
            rules.setdefault(rid, rule)
        found.extend(vs)
    return rules, found


def run_checkov_bridge(plans: list[Plan], progress: Progress = NULL
                       ) -> tuple[str, dict[str, Rule], list[Violation], list[str], list[NotJudged]]:
    """Checkov's checks through the bridge (byside/checkov_bridge), when it is installed."""
    try:
        from .. import checkov_bridge
    except ImportError:
        return "not run: the checkov bridge (byside.checkov_bridge) is not available", {}, [], [], []
    progress.phase("checkov", None, "run")
    out = checkov_adapter.run(checkov_bridge, plans)
    progress.step("checkov")
    progress.end("checkov", out[0].split(": ", 1)[-1])
    return out


def _known_checks() -> frozenset[str]:
    from ..checkov_bridge import known_checks

    return known_checks()


def known_ids_notes(sups: list[supp.Suppression], rules: dict[str, Rule], checkov_ran: bool,
                    urns: set[str] | None = None) -> list[str]:
    """Every suppression names a policy of the pack or a checkov check (the bridge's gated ones and
    those that ran), else exit 2 with the closest ID; notes for those checkov could not vouch for."""
    from ..checkov_bridge import GATED, SKIPPED, known_checks

    registry = known_checks()  # every check of the installed checkov, whether it ran or not
    why = "" if checkov_ran or registry else "checkov did not run (--no-checkov) and its checks could not be listed"
    skipped = supp.check_ids(sups, set(rules) | set(GATED) | set(SKIPPED) | registry, why)
    # Only those about the resources judged are worth a note.
    skipped = sorted({s.policy for s in sups if s.policy in skipped and supp.applies_to(s, urns)})
    return [f"suppression for {', '.join(skipped)} not verified: {why}"] if skipped else []


def read_plans(plan_files: list[Path], state_files: list[Path] | None = None) -> list[Plan]:
    """Every plan file, fragments rebuilt into whole stacks from `state_files` (matched by stack)."""
    plans = [p for f in plan_files for p in plan_io.read_plan_file(f)]
    states: dict[tuple[str, str], Plan] = {}
    for f in state_files or []:
        for s in plan_io.read_plan_file(f):
            if not s.complete:
                raise BadInput(f"{s.source}: --state must be a stack's state (`pulumi stack export`), not a partial "
                               "preview")
            if (s.project, s.stack) in states:
                raise BadInput(f"{s.source}: --state: a second state for stack {s.project}/{s.stack} (first: "
                               f"{states[(s.project, s.stack)].source})")
            states[(s.project, s.stack)] = s
    out = []
    for p in plans:
        if p.complete:
            out.append(p)
            continue
        state = states.get((p.project, p.stack))
        if state is None:
            raise plan_io.fragment_error(p)
        out.append(plan_io.with_state(p, state))
    return out


def foreign_notice(plans: list[Plan]) -> str:
    foreign = sorted({(p.project, p.stack) for p in plans if p.project != PROJECT and p.resources})
    if not foreign:
        return ""
    names = ", ".join(f"{project}/{stack}" for project, stack in foreign)
    return (f"note: {len(foreign)} stack(s) of another project than {PROJECT} ({names}): judged by the "
            f"zone-independent policies only (no zone of zones/ applies; network-no-world-ingress advisory)")


def check(plan_files: list[Path] | None = None, *, plans: list[Plan] | None = None, pack_dir: Path = PACK_DIR,
          config_file: Path | None = None, config_dir: Path = CONFIG_DIR, suppressions_file: Path | None = None,
          use_checkov: bool = True, today: date | None = None,
          preview: Callable[[], list[Plan]] | None = None, workers: int | None = None,
          preview_cache: bool = True, zone_ids: list[str] | None = None,
          state_files: list[Path] | None = None, in_flight: int | None = None, root: Path | None = None,
          progress: Progress = NULL) -> CheckResult:
    """`root`: the project whose offline preview is the default input, whose zone data the zones are
    and whose files the report names relative to (default this repository; `byside diff` judges
    another commit's checkout). `progress`: an observer of the preview, pack and checkov phases."""
    today = today or date.today()
    base = Path(root).resolve() if root else ROOT
    sups = supp.load(suppressions_file, today) if suppressions_file else []
    started: dict[tuple[str, str], Analyzer] = {}
    platform = None  # the zone data of `root`, once loaded (the default input's zones, provenance)
    try:
        if plans is None and plan_files:
            plans = read_plans(plan_files, state_files)
            started = start_packs(pack_dir, plans, workers, in_flight, base)
        elif plans is None:
            if state_files:
                raise BadInput("--state completes a partial `pulumi preview --json` given with --plan; the offline "
                               "preview is always whole")
            import zones

            try:
                platform = zones.load_platform(zones_dir(root))
                known = list(platform.zones)
            except zones.ZoneDataError as e:
                raise BadInput(str(e)) from None
            unknown = [z for z in zone_ids or [] if z not in known]
            if unknown:
                raise BadInput(f"--zone: unknown zone(s) {', '.join(unknown)}; known: {', '.join(known)}")
            ids = [z for z in known if z in zone_ids] if zone_ids else known
            # Boot the first analyzers while the program runs under the mock engine.
            for z in ids[:pool_size(len(ids), workers)]:
                started[(PROJECT, z)] = new_analyzer(pack_dir, Plan(f"preview:{z}", z, [], project=PROJECT),
                                                     in_flight, root=base).start()
            plans = (preview or (lambda: default_plans(ids, preview_cache, root, progress)))()
        else:
            incomplete = [p for p in plans if not p.complete]
            if incomplete:
                raise plan_io.fragment_error(incomplete[0])
        # checkov (a separate program, seconds to start) runs while the pack judges. Tracing resources
        # to their program line and zone facts (a zone load: 0.3 s for a zone here, seconds for a large
        # one) serves only the locations of violations: done when there are some, beside checkov.
        with ThreadPoolExecutor(max_workers=2) as ex:
            ck = ex.submit(run_checkov_bridge, plans, progress) if use_checkov else None
            if sups and not use_checkov:  # read checkov's check files (to vouch for suppressions) meanwhile
                ex.submit(_known_checks)
            rules, found = run_crossguard(plans, pack_dir, config_file, config_dir, started, workers, in_flight,
                                          progress, base)
            started = {}
            traced = ex.submit(trace_plans, plans, base, platform) if found or use_checkov else None
            status, ck_rules, ck_found, ck_notes, ck_not_judged = (
                ck.result() if ck else ("skipped (--no-checkov)", {}, [], [], []))
            provenance = traced.result() if traced else {}
    finally:
        if started:
            from .analyzer import close_all

            close_all(list(started.values()))
    for rid, rule in ck_rules.items():
        rules.setdefault(rid, rule)
    found.extend(ck_found)
    urns = {r.urn for p in plans for r in p.resources}
    ck_notes += known_ids_notes(sups, rules, use_checkov, urns)
    levels = {rid: r.enforcement for rid, r in rules.items() if r.source == "crossguard"}
    disabled = [d for stack in sorted({p.stack for p in plans if p.resources})
                for d in policy_config.disabled(stack, levels, config_file, config_dir)]
    applied = supp.apply(sorted(found, key=Violation.sort_key), sups, today, urns)
    if not use_checkov:  # checkov's entries cannot match when it did not run: not "unused", said once
        idle = [s for s in sups if s.policy not in levels and s.expires >= today and supp.applies_to(s, urns)]
        applied.unused = [s for s in applied.unused if s.policy in levels]
        if idle:
            ck_notes.append(f"{len(idle)} suppression(s) of checkov checks not applied: checkov did not run "
                            "(--no-checkov)")
    zones_seen = sorted({r.zone for p in plans for r in p.resources if r.in_stack} | {v.zone for v in found})
    notice = foreign_notice(plans)
    # The project's own file is about its zones: on another plan its entries are not worth a note
    # (on the zones' preview an entry matching nothing is an "unused" warning).
    default_file = suppressions_file is not None and Path(suppressions_file).resolve() == DEFAULT_SUPPRESSIONS.resolve()
    if applied.elsewhere and not default_file:
        ck_notes.append(f"{len(applied.elsewhere)} suppression(s) name none of the resources judged (not applied): "
                        + ", ".join(f"{s.where()} {s.policy}" for s in applied.elsewhere))
    not_judged = sorted({n for p in plans for n in p.not_judged} | set(ck_not_judged),
                        key=lambda n: (n.source, n.urn, n.reason))
    return CheckResult(plans=plans, rules=rules, violations=applied.kept, suppressed=applied.suppressed,
                       expired=applied.expired, unused=applied.unused, checkov=status, zones=zones_seen,
                       notes=([notice] if notice else []) + ck_notes, not_judged=not_judged, disabled=disabled,
                       provenance=provenance, root=base, skipped_checks=skipped_checks() if use_checkov else {})


def zones_dir(root: Path | None) -> Path | None:
    """The zone data of the project at `root` (None: this repository's, BYSIDE_ZONES_DIR honoured)."""
    return None if root is None or Path(root).resolve() == ROOT else Path(root) / "zones"


def trace_plans(plans: list[Plan], root: Path, platform=None) -> dict:
    """Where every resource of the plans comes from (byside/provenance): the program line always;
    the zone facts when the zone data of `root` loads (bad zone data is the pack's finding).
    `platform`: that zone data, when the caller has loaded it already."""
    import zones

    from ..provenance import trace

    if platform is None:
        try:
            platform = zones.load_platform(zones_dir(root))
        except (zones.ZoneDataError, OSError):
            platform = None
    return trace(plans, platform, root)


def skipped_checks() -> dict[str, str]:
    try:
        from ..checkov_bridge import SKIPPED
    except ImportError:
        return {}
    return dict(SKIPPED)
