"""Where evidence and audit logs are kept: an S3 bucket judged with the resources that configure it
(server-side encryption, versioning, public access block, lifecycle), as the backup-evidence and
logging-audit-trail policies require. Links go through propertyDependencies first (IDs and names
can be unknown at preview), then through known names."""

from __future__ import annotations

from typing import Any

from .common import UNKNOWN, as_list, get, known_str, number

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
PUBLIC_ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
PAB_KEYS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def by_dependency_or_value(resource, prop: str, value: Any, candidates: dict[str, Any], keys: tuple[str, ...]) -> list:
    """Candidates `resource.props[prop]` (or a value nested in it) refers to: through
    propertyDependencies[prop], else by `value` matching one of the candidate's `keys` inputs."""
    deps = [d for d in (resource.property_dependencies or {}).get(prop, []) if d.urn in candidates]
    if deps:
        return [candidates[d.urn] for d in deps]
    text = known_str(value)
    if not text:
        return []
    return [c for c in candidates.values() if any(known_str(get(c.props, k)) in (text, text.rsplit("/", 1)[-1])
                                                  or known_str(get(c.props, k)) == text.rsplit(":", 1)[-1]
                                                  for k in keys)]


def buckets(resources) -> dict[str, Any]:
    return {r.urn: r for r in resources if r.resource_type == BUCKET}


def _parts(bucket, resources, typ: str) -> list:
    name = known_str(get(bucket.props, "bucket"))
    out = []
    for r in resources:
        if r.resource_type != typ:
            continue
        if any(d.urn == bucket.urn for d in (r.property_dependencies or {}).get("bucket", [])):
            out.append(r)
        elif name and known_str(get(r.props, "bucket")) == name:
            out.append(r)
    return out


def _encrypted(bucket, resources) -> bool:
    rules = [rule for sse in _parts(bucket, resources, SSE) for rule in as_list(get(sse.props, "rules"))]
    inline = get(bucket.props, "serverSideEncryptionConfiguration", "rule")
    rules += [inline] if inline not in (None, UNKNOWN) else []
    for rule in rules:
        default = get(rule, "applyServerSideEncryptionByDefault")
        if known_str(get(default, "sseAlgorithm")) in KMS_ALGORITHMS and get(default, "kmsMasterKeyId") is not None:
            return True
    return False


def _versioned(bucket, resources) -> bool:
    if any(known_str(get(v.props, "versioningConfiguration", "status")) == "Enabled"
           for v in _parts(bucket, resources, VERSIONING)):
        return True
    return get(bucket.props, "versioning", "enabled") is True


def _private(bucket, resources) -> bool:
    return any(all(get(p.props, k) is True for k in PAB_KEYS) for p in _parts(bucket, resources, PUBLIC_ACCESS))


def _expiry_days(bucket, resources) -> list[float]:
    """Days after which an enabled, bucket-wide rule expires current objects."""
    out = []
    for lc in _parts(bucket, resources, LIFECYCLE):
        for rule in as_list(get(lc.props, "rules")):
            if known_str(get(rule, "status")) != "Enabled":
                continue
            prefix = known_str(get(rule, "filter", "prefix")) or known_str(get(rule, "prefix")) or ""
            days = number(get(rule, "expiration", "days"))
            if not prefix and days is not None:
                out.append(days)
    return out


def problems(bucket, resources, retention_days: int | None) -> list[str]:
    """What keeps the bucket from holding evidence: KMS encryption, versioning, public access
    blocked, and (when the zone is known) expiry after exactly its retention."""
    out = []
    if not _encrypted(bucket, resources):
        out.append("is not encrypted with a KMS key (BucketServerSideEncryptionConfiguration aws:kms with kmsMasterKeyId)")
    if not _versioned(bucket, resources):
        out.append("is not versioned (BucketVersioning status Enabled)")
    if not _private(bucket, resources):
        out.append(f"does not block public access ({', '.join(PAB_KEYS)} all true)")
    if retention_days is not None:
        days = _expiry_days(bucket, resources)
        if not days:
            out.append(f"never expires objects (lifecycle): the zone's audit retention is {retention_days} days")
        elif days != [retention_days]:
            found = ", ".join(f"{d:g}" for d in days)
            out.append(f"expires objects after {found} days, not the zone's audit retention of {retention_days} days")
    return out
