"""The zone project's audit trail for the SIEM: Data Access audit logs (admin read, data read, data
write) for the services the platform declares, the _Default log bucket kept for the zone's audit
retention, and a log sink routing every audit log to the SIEM destination of zones/platform.yaml,
whose writer identity may publish there (and nothing else)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from zones.model import SiemDestination

from .. import promises


@dataclass
class GcpAuditLogsArgs:
    zone_id: str
    project: str
    services: list[str]
    siem: SiemDestination
    retention_days: int


class GcpAuditLogs(pulumi.ComponentResource):
    def __init__(self, name: str, args: GcpAuditLogsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:gcp:AuditLogs", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        self.audit_configs = [
            gcp.projects.IAMAuditConfig(
                f"{z}-audit-{svc.split('.', 1)[0]}", project=args.project, service=svc,
                audit_log_configs=[gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type=t)
                                   for t in promises.AUDIT_LOG_TYPES], opts=child)
            for svc in args.services]
        # Data Access logs land in _Default (GCP keeps _Required's admin activity 400 days, fixed).
        self.default_bucket = gcp.logging.ProjectBucketConfig(
            f"{z}-default-log-bucket", project=args.project, location="global", bucket_id="_Default",
            retention_days=args.retention_days, opts=child)
        self.sink = gcp.logging.ProjectSink(
            f"{z}-siem", name=f"{z}-siem", project=args.project, destination=args.siem.sink_destination(),
            filter=promises.AUDIT_LOG_FILTER, unique_writer_identity=True,
            description=f"{z}: every audit log to the SIEM", opts=child)
        if args.siem.type == "pubsub":
            self.writer = gcp.pubsub.TopicIAMMember(
                f"{z}-siem-publisher", project=args.siem.project, topic=args.siem.topic, role="roles/pubsub.publisher",
                member=self.sink.writer_identity, opts=child)
        else:
            self.writer = gcp.storage.BucketIAMMember(
                f"{z}-siem-writer", bucket=args.siem.bucket, role="roles/storage.objectCreator",
                member=self.sink.writer_identity, opts=child)
        self.register_outputs({"sinkWriterIdentity": self.sink.writer_identity})
