"""Rules for the facts behind the Service Description's monitoring, audit-trail and notice
promises (issue 13): the operations channel, the SIEM destination, audit-log retention, restore
tests, served certificates and subscribers' countries. Each returns Issues with file, path, line.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .issues import Issue
from .platform import Platform

EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# Cloud Pub/Sub topic ids and Cloud Storage bucket names, as the services accept them.
TOPIC = re.compile(r"^(?!goog)[A-Za-z][A-Za-z0-9._~%+-]{2,254}$")
BUCKET = re.compile(r"^(?!goog)[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$")
GCP_SERVICE = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.googleapis\.com$")
DOMAIN = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
ACM_ARN = re.compile(r"^arn:aws:acm:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):certificate/[0-9a-f-]{36}$")
AUDIT = "audit"  # the zone's log_retention key for audit logs (CloudTrail, GCP audit log buckets)


@lru_cache(maxsize=1)
def holiday_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes the `holidays` library has a public-holiday calendar for — read from
    its registry, which names every country without importing its 250 calendar modules (that import
    cost every command loading zones/ ~0.1 s; a test checks it is the same set)."""
    from holidays import registry

    # entry: (class name, alpha-2, alpha-3, other codes such as UK, ...)
    return frozenset(code for entry in registry.COUNTRIES.values() for code in entry[1:]
                     if len(code) == 2 and code.isupper())


def validate(p: Platform) -> list[Issue]:
    out: list[Issue] = []
    for rule in (_operations, _siem, _subscribers, _zones):
        out += rule(p)
    return out


def _operations(p: Platform) -> list[Issue]:
    src = p.sources["platform"]
    email = p.platform.operations_email
    if not EMAIL.fullmatch(email):
        return [src.issue(("operations_email",), f"{email!r} is not an email address: alerts from AWS (SNS) and "
                                                   "GCP (Cloud Monitoring) are sent to it")]
    return []


def _siem(p: Platform) -> list[Issue]:
    src = p.sources["platform"]
    at = p.platform.audit_trail
    s = at.siem
    out = []
    base = ("audit_trail", "siem")
    if s.type == "pubsub":
        if s.project is None:
            out.append(src.issue(base, "a pubsub destination needs `project` (the SIEM project holding the topic)"))
        if s.topic is None:
            out.append(src.issue(base, "a pubsub destination needs `topic`"))
        elif not TOPIC.fullmatch(s.topic):
            out.append(src.issue(base + ("topic",), f"{s.topic!r} is not a Pub/Sub topic id (3-255 characters: a letter, "
                                                      "then letters, digits, - _ . ~ + %; not starting with goog)"))
        if s.bucket is not None:
            out.append(src.issue(base + ("bucket",), "a pubsub destination takes no `bucket`"))
    else:
        if s.bucket is None:
            out.append(src.issue(base, "a bucket destination needs `bucket`"))
        elif not BUCKET.fullmatch(s.bucket) or ".." in s.bucket:
            out.append(src.issue(base + ("bucket",), f"{s.bucket!r} is not a Cloud Storage bucket name"))
        for key in ("project", "topic"):
            if getattr(s, key) is not None:
                out.append(src.issue(base + (key,), f"a bucket destination takes no `{key}`"))
    seen: dict[str, int] = {}
    for i, svc in enumerate(at.gcp_data_access_services):
        path = ("audit_trail", "gcp_data_access_services", i)
        if not GCP_SERVICE.fullmatch(svc):
            out.append(src.issue(path, f"{svc!r} is not a Google API service name (e.g. compute.googleapis.com)"))
        if svc in seen:
            out.append(src.issue(path, f"duplicate service {svc!r} (first at line {src.line(path[:2] + (seen[svc],))})"))
        seen.setdefault(svc, i)
    return out


def _subscribers(p: Platform) -> list[Issue]:
    src = p.sources["subscribers"]
    known = holiday_countries()
    out = []
    for i, sub in enumerate(p.subscribers.values()):
        path = ("subscribers", _index(src, sub.id, i), "country")
        if sub.country is None:
            out.append(src.issue(path[:2], f"subscriber {sub.id!r} has no `country`: maintenance notices cannot count "
                                           "its public holidays", "warning"))
        elif sub.country not in known:
            out.append(src.issue(path, f"unknown country code {sub.country!r}: not an ISO 3166-1 alpha-2 code the "
                                       "holidays library has a calendar for"))
    return out


def _index(src, sub_id: str, default: int) -> int:
    """The subscriber's position in the file (p.subscribers is keyed by id, duplicates collapsed)."""
    items = src.data.get("subscribers", []) if isinstance(src.data, dict) else []
    return next((i for i, s in enumerate(items) if isinstance(s, dict) and s.get("id") == sub_id), default)


def _zones(p: Platform) -> list[Issue]:
    out = []
    bounds = p.platform.service_description.log_retention_days
    for zid, z in p.zones.items():
        src = p.sources[zid]
        if (z.aws or z.gcp) and AUDIT not in z.log_retention:
            out.append(src.issue(("log_retention",), f"`{AUDIT}` is missing: the audit trail (CloudTrail bucket and "
                                                     f"logs, GCP audit logs) keeps logs this many days "
                                                     f"({bounds.min}-{bounds.max})"))
        rt = z.restore_test
        if rt.validation_hours >= z.backup.rto_hours:
            out.append(src.issue(("restore_test", "validation_hours"),
                                 f"{rt.validation_hours} h of validation leaves no time to restore within the RTO of "
                                 f"{z.backup.rto_hours} h"))
        seen: dict[str, int] = {}
        for i, cert in enumerate(z.certificates):
            path = ("certificates", i)
            if cert.name in seen:
                out.append(src.issue(path + ("name",), f"duplicate certificate {cert.name!r} (first at line "
                                                       f"{src.line(('certificates', seen[cert.name]))})"))
            seen.setdefault(cert.name, i)
            if not DOMAIN.fullmatch(cert.domain):
                out.append(src.issue(path + ("domain",), f"{cert.domain!r} is not a DNS name"))
            if cert.served_by == "acm":
                if z.aws is None:
                    out.append(src.issue(path + ("served_by",), "served by ACM, but this zone has no AWS site"))
                if cert.check is not None:
                    out.append(src.issue(path + ("check",), "an ACM certificate is watched by its DaysToExpiry alarm; "
                                                            "`check` is for external certificates"))
                if cert.acm_arn is not None:
                    m = ACM_ARN.fullmatch(cert.acm_arn)
                    if not m:
                        out.append(src.issue(path + ("acm_arn",), f"{cert.acm_arn!r} is not an ACM certificate ARN"))
                    elif z.aws and (m["region"], m["account"]) != (z.aws.region, z.aws.account_id):
                        out.append(src.issue(path + ("acm_arn",), f"the certificate is in {m['region']} / {m['account']}, "
                                                                  f"not the zone's {z.aws.region} / {z.aws.account_id}"))
            else:
                if not (cert.check or "").strip():
                    out.append(src.issue(path, "an external certificate needs `check`: how its expiry is watched"))
                if cert.acm_arn is not None:
                    out.append(src.issue(path + ("acm_arn",), "`acm_arn` is for certificates served by ACM"))
    return out
