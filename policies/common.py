"""What every policy module needs: safe reads of engine props, a resource's zone, the zone model.

The engine hands a policy its props wrapped in pulumi_policy's unknown-checking proxies: reading a
value that is unknown at preview raises UnknownValueError. `get` turns that into the UNKNOWN
marker where a policy can still judge the rest, and secrets arrive as pulumi_policy `Secret`
markers (see policies/wire.py), never as text a policy could print.
"""

from __future__ import annotations

import gc
import ipaddress
import json
import re
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from pulumi_policy.proxy import UnknownValueError, _is_unknown
from pulumi_policy.secret import Secret

from . import facts


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown>"

    def __bool__(self) -> bool:  # an unknown never satisfies "is set and truthy" by accident
        return False


UNKNOWN = _Unknown()
Net = ipaddress.IPv4Network | ipaddress.IPv6Network


# ---------------------------------------------------------------- reading props


def get(obj: Any, *path: Any, default: Any = None) -> Any:
    """obj[path[0]][path[1]]...; `default` when absent or null, UNKNOWN when unknown at preview."""
    for key in path:
        if obj is UNKNOWN:
            return UNKNOWN
        if isinstance(obj, Secret) or obj is None or isinstance(obj, (str, bytes, int, float, bool)):
            return default
        try:
            obj = obj[key]
        except UnknownValueError:
            return UNKNOWN
        except (KeyError, IndexError, TypeError):
            return default
        if isinstance(obj, str) and _is_unknown(obj):
            return UNKNOWN
    return default if obj is None else obj


def plain(obj: Any) -> Any:
    """Proxies -> dict/list, unknown values -> UNKNOWN, secrets stay Secret markers."""
    if isinstance(obj, Mapping):
        out = {}
        for k in obj:
            try:
                out[k] = plain(obj[k])
            except UnknownValueError:
                out[k] = UNKNOWN
        return out
    if isinstance(obj, (str, bytes)):
        return UNKNOWN if isinstance(obj, str) and _is_unknown(obj) else obj
    if isinstance(obj, Sequence):
        out_list = []
        for i in range(len(obj)):
            try:
                out_list.append(plain(obj[i]))
            except UnknownValueError:
                out_list.append(UNKNOWN)
        return out_list
    return obj


def as_list(value: Any) -> list:
    """A list input (maybe a proxy, maybe absent); an unknown list is [UNKNOWN]."""
    if value is None:
        return []
    if value is UNKNOWN:
        return [UNKNOWN]
    if isinstance(value, (str, bytes, Mapping, Secret)):
        return [value]
    if isinstance(value, Sequence):
        return [get(value, i) for i in range(len(value))]
    return [value]


def known_str(value: Any) -> str | None:
    return value if isinstance(value, str) and not _is_unknown(value) else None


def number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------- names, zones


PROJECT = "byside"  # this project (Pulumi.yaml `name`; tests/policies/test_zone_declared.py checks it)


def stack_of(urn: str) -> str:
    """`urn:pulumi:<stack>::<project>::<type>::<name>` -> stack."""
    head = urn.split("::", 1)[0]
    return head.rsplit(":", 1)[-1] if head.startswith("urn:pulumi:") else ""


def project_of(urn: str) -> str:
    parts = urn.split("::")
    return parts[1] if len(parts) > 2 else ""


def is_own(urn: str) -> bool:
    """A resource of a stack of this project (where every stack is a zone of zones/)."""
    return project_of(urn) == PROJECT


def labels_of(props: Any) -> Mapping | None:
    """AWS `tags` or GCP `labels` (whichever the resource has); UNKNOWN when unknown."""
    for key in ("tags", "labels"):
        v = get(props, key)
        if v is UNKNOWN:
            return UNKNOWN  # type: ignore[return-value]
        if isinstance(v, Mapping):
            return v
    return None


def zone_of(urn: str, props: Any = None) -> str:
    """The zone a resource belongs to (docs/contracts.md): in this project's stacks, the stack,
    which must be a zone of zones/ with any `zone` tag/label equal to it (zone-declared checks
    both). Other projects' resources belong to no zone of zones/: "" (zone-aware policies skip
    them, whatever their tags say)."""
    return stack_of(urn) if is_own(urn) else ""


_PLATFORM_LOCK = threading.Lock()
_PLATFORM: list = []  # the loaded facts, or the error reading them raised


def platform() -> facts.Node:
    """The zone facts (policies/zone_facts.json, generated from zones/; BYSIDE_ZONE_FACTS selects
    another file), loaded once per process: `.platform` (zones/platform.yaml) and `.zones`. The
    served pack calls policies from 4 threads at once: the lock keeps them from each loading it
    (a large zone's facts take a while to read). A bad facts file is read once too: every later
    call raises the same error at once (each policy reports it), rather than reading it again."""
    if not _PLATFORM:
        with _PLATFORM_LOCK:
            if not _PLATFORM:
                try:
                    _PLATFORM.append(facts.load())
                except facts.FactsError as e:
                    _PLATFORM.append(e)
                gc.freeze()  # it lives as long as the process: out of the cyclic collector's way
    if isinstance(_PLATFORM[0], facts.FactsError):
        raise _PLATFORM[0]
    return _PLATFORM[0]


def zone_model(zone_id: str):
    """The zone's facts, or None for a zone zones/ does not know (zone-aware policies skip it)."""
    return platform().zones.get(zone_id)


def display(urn: str, name: str | None = None) -> str:
    return name or urn.rsplit("::", 1)[-1]


# ---------------------------------------------------------------- networks

INTERNET_V4 = ipaddress.ip_network("0.0.0.0/0")
INTERNET_V6 = ipaddress.ip_network("::/0")

# Address space that never arrives from the internet: RFC 1918, CGNAT, link-local, ULA.
_INTERNAL = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
    "127.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128",
))


@lru_cache(maxsize=65536)
def parse_net(text: str) -> Net | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except (ValueError, AttributeError):
        return None


def is_internal(net: Net) -> bool:
    return any(net.version == i.version and net.subnet_of(i) for i in _INTERNAL)


# ---------------------------------------------------------------- ports

PortSpan = tuple[str, int, int]  # (protocol, from, to); protocol "all" covers everything

_PROTO = {"-1": "all", "all": "all", "6": "tcp", "tcp": "tcp", "17": "udp", "udp": "udp",
          "1": "icmp", "icmp": "icmp", "58": "icmpv6", "icmpv6": "icmpv6"}


def proto_name(value: Any) -> str:
    return _PROTO.get(str(value).strip().lower(), str(value).strip().lower())


def span_label(span: PortSpan) -> str:
    proto, lo, hi = span
    if proto == "all":
        return "all traffic"
    if proto in ("icmp", "icmpv6") or (lo, hi) == (0, 65535):
        return f"{proto}/all"
    return f"{proto}/{lo}" if lo == hi else f"{proto}/{lo}-{hi}"


def span_covers(outer: PortSpan, inner: PortSpan) -> bool:
    if outer[0] == "all":
        return True
    return outer[0] == inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2]


def span_hits(span: PortSpan, proto: str, port: int) -> bool:
    return (span[0] == "all" or span[0] == proto) and span[1] <= port <= span[2]


# ---------------------------------------------------------------- taggable types

_TAG_TABLE = Path(__file__).with_name("tag_properties.json")


@lru_cache(maxsize=1)
def _tag_properties() -> dict[str, str]:
    return json.loads(_TAG_TABLE.read_text(encoding="utf-8"))["types"]


def taggable(resource_type: str) -> str | None:
    """`tags`/`labels` (`userLabels` where `labels` is configuration, not resource labels) if the
    provider SDK gives this resource type that input, else None.

    From policies/tag_properties.json, generated from the locked pulumi-aws / pulumi-gcp sources
    (`python -m policies.tag_properties`), so the list of taggable types is the provider's, not
    one kept here, and the pack needs neither SDK installed.
    """
    return _tag_properties().get(resource_type)
    package, key = _SDK[m.group(1)]
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / _snake(m.group(2))
    candidates = [folder / f"{_snake(m.group(4))}.py"]
    token = f"'{resource_type}'"
    for path in candidates + sorted(folder.glob("*.py")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if token not in text:
            continue
        sig = re.search(r"def __init__\(__self__, \*,(.*?)\):", text, re.S)
        if not sig:
            return None
        has = lambda name: re.search(rf"\n\s+{name}: ", sig.group(1)) is not None  # noqa: E731
        if key == "labels" and "effective_labels" not in text and has("user_labels"):
            # Cloud Monitoring: resource labels are user_labels (a channel's `labels` are its address).
            return "userLabels"
        return key if has(key) else None
    return None
