"""Pure IP-address helpers: parsing with reasons, classification, overlap sweeps."""

from __future__ import annotations

import ipaddress
from typing import Iterable, TypeVar

Net = ipaddress.IPv4Network | ipaddress.IPv6Network

# RFC 5737 and RFC 3849: fine in examples, never in production allowlists.
DOCUMENTATION = tuple(ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"))


def parse_cidr(text: object) -> tuple[Net | None, str | None]:
    """Parse a CIDR strictly; return (network, None) or (None, reason)."""
    if not isinstance(text, str) or "/" not in text:
        return None, f"{text!r} is not a CIDR (expected address/prefix)"
    try:
        return ipaddress.ip_network(text, strict=True), None
    except ValueError as exc:
        try:
            loose = ipaddress.ip_network(text, strict=False)
        except ValueError:
            return None, f"malformed CIDR {text!r}: {exc}"
        return None, f"{text} has host bits set (network is {loose})"


def is_documentation(net: Net) -> bool:
    return any(net.version == d.version and net.subnet_of(d) for d in DOCUMENTATION)


def public_problem(net: Net) -> str | None:
    """Why a range cannot be a subscriber's public source range, or None.

    Order matters: Python counts documentation ranges as private, so they are judged
    (as a warning) by the caller before the generic private test here.
    """
    for attr, label in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_reserved", "reserved"),
    ):
        if getattr(net, attr) or getattr(net.network_address, attr):
            return label
    if net.is_private or not net.is_global:
        return "private or non-global"
    return None


T = TypeVar("T")


def overlaps(items: Iterable[tuple[Net, T]]) -> list[tuple[T, T]]:
    """Pairs (later, earlier) whose networks overlap; O(n log n) sweep over sorted ranges.

    Each overlapping item is reported against the widest range still open before it.
    """
    out: list[tuple[T, T]] = []
    for version in (4, 6):
        ranges = sorted(
            ((int(n.network_address), int(n.broadcast_address), tag) for n, tag in items if n.version == version),
            key=lambda r: (r[0], -r[1]),
        )
        open_end, open_tag = -1, None
        for start, end, tag in ranges:
            if start <= open_end:
                out.append((tag, open_tag))
            if end > open_end:
                open_end, open_tag = end, tag
    return out
