"""What is deployed, as plain data: the readers (aws.py, gcp.py) fill it, compare.py judges it."""

from __future__ import annotations

from dataclasses import dataclass, field


class ReadError(Exception):
    """A cloud could not be read (unreachable endpoint, no credentials, refused): exit 2."""


@dataclass
class LivePrefixList:
    id: str
    name: str
    tags: dict[str, str]
    entries: frozenset[str]


@dataclass
class LiveSecurityGroup:
    id: str
    name: str
    tags: dict[str, str]
    # Ingress rules (protocol, from, to, source); a source is a CIDR, "pl:<name>" (or "pl:<id>" when
    # the list is unknown) or "sg:<group id>". Protocol "-1" is "all".
    rules: frozenset[tuple[str, int, int, str]]
    # Egress rules (protocol, from, to, destination), same forms.
    egress: frozenset[tuple[str, int, int, str]] = frozenset()


@dataclass
class LiveVpn:
    id: str
    tags: dict[str, str]
    customer_gateway_ip: str | None
    # One dict per tunnel: option name -> list of values; None when the endpoint returns no tunnel options.
    tunnels: list[dict[str, list]] | None


@dataclass
class LiveFirewall:
    name: str
    direction: str
    action: str  # allow | deny
    sources: frozenset[str]  # sourceRanges (INGRESS) or destinationRanges (EGRESS)
    ports: frozenset[tuple[str, int, int]]
    target_tags: frozenset[str]
    disabled: bool = False


@dataclass
class LiveTunnel:
    name: str
    labels: dict[str, str]
    ike_version: int | None
    cipher: dict[str, dict[str, list[str]]] | None  # {"phase1": {"encryption": [...], ...}, "phase2": {...}}


@dataclass
class LiveZone:
    zone: str
    aws_read: bool = False
    gcp_read: bool = False
    prefix_lists: list[LivePrefixList] = field(default_factory=list)
    prefix_list_names: dict[str, str] = field(default_factory=dict)  # every visible list: id -> name
    security_groups: list[LiveSecurityGroup] = field(default_factory=list)
    vpns: list[LiveVpn] = field(default_factory=list)
    firewalls: list[LiveFirewall] = field(default_factory=list)
    tunnels: list[LiveTunnel] = field(default_factory=list)
