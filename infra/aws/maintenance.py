"""The SSM maintenance window: the zone's window, in its own timezone."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from ..tags import tagged


@dataclass
class MaintenanceArgs:
    zone_id: str
    schedule: str
    duration_hours: int
    cutoff_hours: int  # no new task in the window's last hours, so running ones finish inside it
    timezone: str
    tags: dict[str, str]


class Maintenance(pulumi.ComponentResource):
    def __init__(self, name: str, args: MaintenanceArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:Maintenance", name, None, opts)
        self.window = aws.ssm.MaintenanceWindow(
            f"{args.zone_id}-maintenance", name=f"{args.zone_id}-maintenance", schedule=args.schedule,
            schedule_timezone=args.timezone, duration=args.duration_hours,
            cutoff=args.cutoff_hours,
            allow_unassociated_targets=False, tags=tagged(args.tags), opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"windowId": self.window.id})
