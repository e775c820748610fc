"""The typed zone model: what zones/*.yaml may say, shape only.

Cross-file rules (overlaps, references, the Service Description's promises) live in
``zones.validate``; this module only fixes field names and types, so that a typo or a wrong
type is an error naming the YAML path (pydantic ``extra="forbid"``, strict types).
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,62}$")]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
# A window's end may run past midnight ("30:00" = 06:00 next day) so a too-long window is
# expressible, and rejected by validation rather than silently wrapped.
HHMMEnd = Annotated[str, StringConstraints(pattern=r"^([0-3]\d|4[0-7]):[0-5]\d$")]
Port = Annotated[int, Field(ge=0, le=65535)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PortRange(Strict):
    protocol: Literal["tcp", "udp", "icmp"]
    from_port: Port
    to_port: Port

    @property
    def label(self) -> str:
        span = str(self.from_port) if self.from_port == self.to_port else f"{self.from_port}-{self.to_port}"
        return f"{self.protocol}/{span}"


class Window(Strict):
    """A daily window in the zone's local time; end may be 24:00."""

    start: HHMM
    end: HHMMEnd

    def minutes(self) -> tuple[int, int]:
        from .windows import window_minutes  # one implementation, shared with the pack's copy

        return window_minutes(self)


# ---------------------------------------------------------------- platform


class BackupPromise(Strict):
    daily: int
    weekly: int
    monthly: int
    rpo_hours: int
    rto_hours: int


class RetentionBounds(Strict):
    min: int
    max: int


class ServiceDescription(Strict):
    maintenance_window: Window
    backup: BackupPromise
    log_retention_days: RetentionBounds


class Quotas(Strict):
    aws_prefix_list_max_entries: Annotated[int, Field(ge=1)] = 1000
    aws_sg_inbound_rules: Annotated[int, Field(ge=1)] = 60
    aws_sgs_per_eni: Annotated[int, Field(ge=1)] = 5
    gcp_source_ranges_per_rule: Annotated[int, Field(ge=1)] = 256
    allowlist_min_prefix_ipv4: Annotated[int, Field(ge=0, le=32)] = 16
    allowlist_min_prefix_ipv6: Annotated[int, Field(ge=0, le=128)] = 32


class Service(Strict):
    id: Id
    description: str
    segment: Id
    ports: list[PortRange] = Field(min_length=1)


# Where the audit trail goes and how monitoring alerts (issue 13). The operations channel is
# `operations_email` (SNS email subscription on AWS, Cloud Monitoring email channel on GCP).


class SiemDestination(Strict):
    """Where every zone's GCP audit logs are routed (a log sink): a Pub/Sub topic or a bucket."""

    type: Literal["pubsub", "bucket"]
    project: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")] | None = None
    topic: str | None = None
    bucket: str | None = None

    def sink_destination(self) -> str:
        """Cloud Logging's destination URI for a log sink."""
        if self.type == "pubsub":
            return f"pubsub.googleapis.com/projects/{self.project}/topics/{self.topic}"
        return f"storage.googleapis.com/{self.bucket}"


class AuditTrail(Strict):
    siem: SiemDestination
    # GCP services whose Data Access audit logs (DATA_READ, DATA_WRITE, ADMIN_READ) are enabled.
    gcp_data_access_services: list[str] = Field(min_length=1)


class Monitoring(Strict):
    certificate_warning_days: Annotated[int, Field(ge=7, le=90)]  # alert when fewer days remain


class PlatformFile(Strict):
    kind: Literal["platform"]
    name: Id
    data_classification: Literal["public", "internal", "confidential", "restricted"]
    operations_email: str
    service_description: ServiceDescription
    quotas: Quotas = Quotas()
    services: list[Service]
    audit_trail: AuditTrail
    monitoring: Monitoring


# ---------------------------------------------------------------- data centres


class VlanRange(Strict):
    first: int
    last: int


class VsphereSite(Strict):
    datacenter: str
    distributed_switch: str


class DataCenter(Strict):
    id: Id
    vendor: str
    city: str
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    tier: Literal["III", "III+", "IV"]
    iso27001: bool
    vpn_edge_ips: list[str] = Field(min_length=1, max_length=2)
    bgp_asn: Annotated[int, Field(ge=1, le=4294967295)]
    vlan_range: VlanRange
    provisioning: Literal["vsphere", "manual"]
    vsphere: VsphereSite | None = None
    access_roles: list[Id] = Field(min_length=1)
    dormant_days: Annotated[int, Field(ge=1)] = 180
    # IANA timezone of the site: badge events exported without a UTC offset are read in it.
    timezone: str | None = None


class DataCentersFile(Strict):
    kind: Literal["datacenters"]
    datacenters: list[DataCenter]


# ---------------------------------------------------------------- subscribers


class Subscriber(Strict):
    id: Id
    name: str
    zone: Id
    # ISO 3166-1 alpha-2: its public holidays are not business days for maintenance notices.
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None


class SubscribersFile(Strict):
    kind: Literal["subscribers"]
    subscribers: list[Subscriber]


# ---------------------------------------------------------------- access model

LevelName = Literal["read-only", "maintainer", "break-glass"]


class AccessLevel(Strict):
    description: str
    aws_actions: list[str] = Field(min_length=1)
    gcp_roles: list[str] = Field(min_length=1)
    max_session_seconds: Annotated[int, Field(ge=900, le=43200)] = 3600


class Team(Strict):
    id: Id
    description: str
    aws_identity_group: str
    gcp_group: str
    aws: list[LevelName] = []
    gcp: list[LevelName] = []
    zones: list[Id]


class AccessFile(Strict):
    kind: Literal["access"]
    levels: dict[LevelName, AccessLevel]
    teams: list[Team]


# ---------------------------------------------------------------- zones


class SitePlacement(Strict):
    """Where a segment lives at one site: a DC (with its VLAN) or a cloud."""

    cidr: str
    vlan: int | None = None


class Segment(Strict):
    name: Id
    purpose: str
    multi_az: bool = False
    sites: dict[str, SitePlacement] = Field(min_length=1)


class SegmentRule(Strict):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    from_: Id = Field(alias="from")
    to: Id
    ports: list[PortRange] = Field(min_length=1)
    description: str = ""


class Allowlist(Strict):
    subscriber: Id
    services: list[Id] = Field(min_length=1)
    cidrs: list[str] = Field(min_length=1)


class BackupTag(Strict):
    key: str
    value: str


class BackupPolicy(Strict):
    daily: int
    weekly: int
    monthly: int
    rpo_hours: int
    rto_hours: int
    start: HHMM
    scope: list[Literal["relational-databases", "subscriber-files"]] = Field(min_length=1)
    selection_tag: BackupTag


# The backup scope as AWS Backup resource types (restore testing selections and Audit Manager
# control scopes use these names): what "relational databases" and "subscriber files" are on AWS.
BACKUP_SCOPE_AWS_TYPES: dict[str, tuple[str, ...]] = {"relational-databases": ("RDS", "Aurora"),
                                                      "subscriber-files": ("EFS",)}


class AwsSite(Strict):
    region: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")]
    account_id: Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
    availability_zones: list[str] = Field(min_length=1)
    asn: Annotated[int, Field(ge=64512, le=65534)]


class GcpSite(Strict):
    project: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")]
    region: Annotated[str, StringConstraints(pattern=r"^[a-z]+-[a-z]+\d$")]
    asn: Annotated[int, Field(ge=64512, le=65534)]


class RestoreTest(Strict):
    """Monthly AWS Backup restore test: starts at the window's start on `day_of_month`; the restored
    copy is validated within `validation_hours`, so restore + validation fit the RTO."""

    day_of_month: Annotated[int, Field(ge=1, le=28)] = 15
    validation_hours: Annotated[int, Field(ge=1, le=168)] = 2


class Certificate(Strict):
    """A TLS certificate the zone's services present, and where its expiry is watched."""

    name: Id
    domain: str
    served_by: Literal["acm", "external"]
    acm_arn: str | None = None  # acm: default is the ISSUED certificate for `domain` in the zone's region
    check: str | None = None  # external: how its expiry is checked (required)


class EgressTarget(Strict):
    """Where a segment's instances may open connections beyond the segment policy (exactly one)."""

    cidrs: list[str] | None = None  # networks outside the zone's segments
    internet: bool = False  # 0.0.0.0/0 and ::/0: only with a reason, and the policy names it
    aws_service: Literal["s3", "dynamodb"] | None = None  # through a gateway VPC endpoint (AWS)
    google_apis: Literal["private", "restricted"] | None = None  # Private Google Access VIPs (GCP)


class Egress(Strict):
    """An egress the segment policy does not imply (issue 11): what a segment must reach, and why."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    from_: list[Id] = Field(alias="from", min_length=1)
    to: EgressTarget
    ports: list[PortRange] = Field(min_length=1)
    reason: str


class ZoneFile(Strict):
    kind: Literal["zone"]
    id: Id
    name: str
    owner: Id  # a team of access.yaml: the `owner` tag
    timezone: str
    maintenance_window: Window
    datacenters: list[Id] = []
    aws: AwsSite | None = None
    gcp: GcpSite | None = None
    segments: list[Segment] = Field(min_length=1)
    segment_policy: list[SegmentRule] = []
    allowlists: list[Allowlist] = []
    backup: BackupPolicy
    log_retention: dict[Id, int] = Field(min_length=1)
    restore_test: RestoreTest = RestoreTest()
    certificates: list[Certificate] = []
    egress: list[Egress] = []  # beyond the segment policy's flows (zones/egress.py derives the rest)

    def segment(self, name: str) -> Segment | None:
        return next((s for s in self.segments if s.name == name), None)

    def dc_segments(self, dc: str) -> list[tuple[Segment, SitePlacement]]:
        return [(s, s.sites[dc]) for s in self.segments if dc in s.sites]

    def cloud_segments(self, cloud: Literal["aws", "gcp"]) -> list[tuple[Segment, SitePlacement]]:
        return [(s, s.sites[cloud]) for s in self.segments if cloud in s.sites]


AnyFile = Annotated[
    Union[PlatformFile, DataCentersFile, SubscribersFile, AccessFile, ZoneFile],
    Field(discriminator="kind"),
]


class ZoneDocument(BaseModel):
    """Root of the JSON Schema: any one zones/*.yaml file."""

    model_config = ConfigDict(extra="forbid")
    root: AnyFile


def network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """Strict parse: host bits set is an error (validated before use)."""
    return ipaddress.ip_network(cidr, strict=True)
