"""logging-audit-trail: every zone keeps an audit trail for the SIEM.

- AWS (a stack deploying to AWS): a CloudTrail trail that is multi-region, validates its log files,
  is encrypted with a KMS key, logs, delivers to CloudWatch Logs (group and role) for real-time
  alerting, and writes to a bucket that is KMS-encrypted, versioned, private and expires objects
  after exactly the zone's audit retention (zones/<zone>.yaml log_retention.audit);
- GCP (a stack deploying to GCP): Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) for
  every service zones/platform.yaml lists (or allServices), and an enabled log sink routing audit
  logs to the platform's SIEM destination, whose writer identity is granted on that destination.

Trails and sinks present are judged always; their absence on a zone's stack.
"""

from __future__ import annotations

from . import buckets
from .build import stack_policy
from .common import as_list, display, get, known_str, platform, zone_model
from .restore import AWS_PROVIDER, by_zone, deploys_to, provider_urn

TRAIL = "aws:cloudtrail/trail:Trail"
AUDIT_CONFIG = "gcp:projects/iAMAuditConfig:IAMAuditConfig"
SINK = "gcp:logging/projectSink:ProjectSink"
TOPIC_MEMBER = "gcp:pubsub/topicIAMMember:TopicIAMMember"
BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
GCP_PROVIDER = "pulumi:providers:gcp"
LOG_TYPES = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")
WRITER_ROLES = {TOPIC_MEMBER: ("roles/pubsub.publisher", "roles/pubsub.admin", "roles/pubsub.editor"),
                BUCKET_MEMBER: ("roles/storage.objectCreator", "roles/storage.objectAdmin", "roles/storage.admin")}


def _trail_gaps(trail, resources, retention: int | None) -> list[str]:
    p = trail.props
    gaps = []
    if get(p, "isMultiRegionTrail") is not True:
        gaps.append("is not multi-region (isMultiRegionTrail)")
    if get(p, "enableLogFileValidation") is not True:
        gaps.append("does not validate its log files (enableLogFileValidation)")
    if get(p, "kmsKeyId") is None:
        gaps.append("is not encrypted with a KMS key (kmsKeyId)")
    if get(p, "enableLogging") is False:
        gaps.append("does not log (enableLogging is false)")
    if get(p, "cloudWatchLogsGroupArn") is None or get(p, "cloudWatchLogsRoleArn") is None:
        gaps.append("is not delivered to CloudWatch Logs for real-time alerting (cloudWatchLogsGroupArn and "
                    "cloudWatchLogsRoleArn)")
    target = get(p, "s3BucketName")
    found = buckets.by_dependency_or_value(trail, "s3BucketName", target, buckets.buckets(resources), ("bucket",))
    if not found:
        gaps.append(f"writes to bucket {known_str(target) or '<unknown>'}, which this plan does not declare")
    for b in found:
        gaps += [f"writes to bucket {display(b.urn, b.name)}, which {g}" for g in buckets.problems(b, resources, retention)]
    return gaps


def _sink_gaps(sink, resources, destination: str) -> list[str]:
    p = sink.props
    gaps = []
    dest = known_str(get(p, "destination"))
    if dest is not None and dest != destination:
        gaps.append(f"routes to {dest}, not the SIEM destination {destination}")
    if get(p, "disabled") is True:
        gaps.append("is disabled")
    f = known_str(get(p, "filter"))
    if f and "cloudaudit.googleapis.com" not in f:
        gaps.append(f"filter {f!r} does not select the audit logs (cloudaudit.googleapis.com)")
    members = [m for m in resources if m.resource_type in WRITER_ROLES
               and known_str(get(m.props, "role")) in WRITER_ROLES[m.resource_type]
               and (any(d.urn == sink.urn for d in (m.property_dependencies or {}).get("member", []))
                    or (known_str(get(m.props, "member")) is not None
                        and known_str(get(m.props, "member")) == known_str(get(p, "writerIdentity"))))]
    if not members:
        gaps.append("has no grant for its writer identity on the destination (it cannot deliver)")
    return gaps


def _audit_trail(args, report_violation) -> None:
    at = platform().platform.audit_trail
    destination = at.siem.sink_destination  # zones.model SiemDestination.sink_destination()
    for zid, rs in sorted(by_zone(args.resources).items()):
        zone = zone_model(zid)
        retention = zone.log_retention.get("audit") if zone else None
        trails = [r for r in rs if r.resource_type == TRAIL]
        for t in trails:
            for gap in _trail_gaps(t, args.resources, retention):
                report_violation(f"trail {display(t.urn, t.name)} {gap}", t.urn)
        sinks = [r for r in rs if r.resource_type == SINK]
        for s in sinks:
            for gap in _sink_gaps(s, args.resources, destination):
                report_violation(f"log sink {display(s.urn, s.name)} {gap}", s.urn)
        if zone is None:
            continue
        if deploys_to(rs, AWS_PROVIDER) and not trails:
            report_violation(f"zone {zid} has no CloudTrail trail: its AWS API activity reaches no SIEM",
                             provider_urn(rs, AWS_PROVIDER))
        if not deploys_to(rs, GCP_PROVIDER):
            continue
        if not any(known_str(get(s.props, "destination")) == destination for s in sinks):
            report_violation(f"zone {zid} has no log sink to the SIEM destination {destination}",
                             provider_urn(rs, GCP_PROVIDER))
        logged: dict[str, set[str]] = {}
        for c in (r for r in rs if r.resource_type == AUDIT_CONFIG):
            svc = known_str(get(c.props, "service")) or "?"
            types = {known_str(get(x, "logType")) for x in as_list(get(c.props, "auditLogConfigs"))
                     if not as_list(get(x, "exemptedMembers"))}
            logged.setdefault(svc, set()).update(types - {None})
        everything = logged.get("allServices", set())
        for svc in at.gcp_data_access_services:
            missing = [t for t in LOG_TYPES if t not in logged.get(svc, set()) | everything]
            if missing:
                report_violation(f"zone {zid}: {svc} has no Data Access audit logs for {', '.join(missing)} "
                                 f"(IAMAuditConfig)", provider_urn(rs, GCP_PROVIDER))


audit_trail = stack_policy("logging-audit-trail", _audit_trail)

POLICIES = [audit_trail]
