"""Snapshot schedule for the zone's disks.

What GCP cannot express: a snapshot schedule has one cycle (hourly, daily or weekly; no monthly)
and keeps snapshots by age (max retention days), not by count, and a disk takes one schedule.
The promise "5 daily / 4 weekly / 3 monthly" is therefore covered by a daily snapshot kept for
the longest age of the AWS rules (monthly x 31 = 93 days): every daily, weekly and monthly
restore point the promise names exists, at the cost of keeping more dailies. The start is a UTC
hour chosen so the snapshot stays inside the window in summer and winter time.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from ..tags import labels


@dataclass
class GcpBackupArgs:
    zone_id: str
    region: str
    start_utc: str
    retention_days: int
    tags: dict[str, str]


class GcpBackup(pulumi.ComponentResource):
    def __init__(self, name: str, args: GcpBackupArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:gcp:Backup", name, None, opts)
        z = args.zone_id
        self.policy = gcp.compute.ResourcePolicy(
            f"{z}-snapshots", name=f"{z}-snapshots", region=args.region,
            description=f"{z}: daily snapshots kept {args.retention_days} days (covers daily/weekly/monthly)",
            snapshot_schedule_policy=gcp.compute.ResourcePolicySnapshotSchedulePolicyArgs(
                schedule=gcp.compute.ResourcePolicySnapshotSchedulePolicyScheduleArgs(
                    daily_schedule=gcp.compute.ResourcePolicySnapshotSchedulePolicyScheduleDailyScheduleArgs(
                        days_in_cycle=1, start_time=args.start_utc)),
                retention_policy=gcp.compute.ResourcePolicySnapshotSchedulePolicyRetentionPolicyArgs(
                    max_retention_days=args.retention_days, on_source_disk_delete="KEEP_AUTO_SNAPSHOTS"),
                snapshot_properties=gcp.compute.ResourcePolicySnapshotSchedulePolicySnapshotPropertiesArgs(
                    labels=labels(args.tags), storage_locations=args.region, guest_flush=False)),
            opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"policyId": self.policy.id})
