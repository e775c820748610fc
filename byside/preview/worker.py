"""The offline preview's worker: `python -m byside.preview.worker --out-dir DIR ZONE...`.

Pulumi's mock settings are global to an interpreter, and loading the provider SDKs is most of
the cost (~2 s). So the worker loads the SDKs and the zone model once, then forks one child per
zone (a fresh Pulumi runtime each, running in parallel); each child writes DIR/<zone>.json, or
DIR/<zone>.log with one line naming the error (exit 2). Without fork, zones run one per process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def preload() -> None:
    """Touch every SDK module the program uses: the SDKs load lazily, on first attribute."""
    import pulumi_aws as aws
    import pulumi_gcp as gcp
    import pulumi_random as random
    import pulumi_vsphere as vsphere

    import infra.zone  # noqa: F401

    for cls in (aws.ec2.Vpc, aws.vpc.SecurityGroupIngressRule, aws.iam.Role, aws.cloudwatch.LogGroup,
                aws.kms.Key, aws.sns.Topic, aws.backup.Plan, aws.ssm.MaintenanceWindow,
                aws.get_availability_zones_output, gcp.compute.Network, gcp.projects.IAMMember,
                random.RandomPassword, vsphere.DistributedPortGroup, vsphere.get_datacenter_output):
        assert cls is not None


def project_root() -> str | None:
    """Another checkout whose program runs (BYSIDE_PROJECT_ROOT, set by `byside diff` for the base
    commit): its infra/ and zones/ come first on sys.path; this preview machinery stays."""
    root = os.environ.get("BYSIDE_PROJECT_ROOT") or None
    if root and root not in sys.path[:1]:
        sys.path.insert(0, root)
    return root


def run_one(zone: str, out_dir: Path, zones_dir: str | None, platform) -> int:
    from .run import dumps, run_in_this_process

    log = open(out_dir / f"{zone}.log", "w", encoding="utf-8")
    os.dup2(log.fileno(), 2)  # the zone's log: anything the SDK or the program prints
    try:
        doc = run_in_this_process(zone, zones_dir, platform, os.environ.get("BYSIDE_PROJECT_ROOT") or None)
    except Exception as exc:  # noqa: BLE001 - reported as one line, exit 2
        import zones

        known = (zones.ZoneDataError, KeyError, ValueError)
        msg = str(exc) if isinstance(exc, known) else f"{type(exc).__name__}: {exc}"
        print(msg.replace("\n", "; "), file=sys.stderr, flush=True)
        return 2
    tmp = out_dir / f".{zone}.json.tmp"
    tmp.write_text(dumps(doc), encoding="utf-8")
    os.replace(tmp, out_dir / f"{zone}.json")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "--out-dir":
        print("usage: python -m byside.preview.worker --out-dir DIR ZONE...", file=sys.stderr)
        return 2
    out_dir, zone_ids = Path(argv[1]), argv[2:]
    zones_dir = os.environ.get("BYSIDE_ZONES_DIR") or None
    project_root()
    import zones

    try:
        platform = zones.load_platform(zones_dir)
    except zones.ZoneDataError as exc:
        for z in zone_ids:
            (out_dir / f"{z}.log").write_text(str(exc).replace("\n", "; ") + "\n", encoding="utf-8")
        return 2
    if not hasattr(os, "fork"):
        import subprocess

        codes = [subprocess.run([sys.executable, "-m", "byside.preview.worker", "--out-dir", str(out_dir), z]).returncode
                 for z in zone_ids] if len(zone_ids) > 1 else [run_one(zone_ids[0], out_dir, zones_dir, platform)]
        return max(codes)
    preload()
    children = []
    for z in zone_ids:
        pid = os.fork()
        if pid == 0:  # child: its own Pulumi runtime, then leave without running parent cleanup
            code = 1
            try:
                code = run_one(z, out_dir, zones_dir, platform)
            finally:
                sys.stdout.flush()
                os._exit(code)
        children.append(pid)
    worst = 0
    for pid in children:
        _, status = os.waitpid(pid, 0)
        worst = max(worst, os.waitstatus_to_exitcode(status) if status else 0)
    return 2 if worst else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
