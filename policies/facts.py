"""The zone facts the pack judges with: zone_facts.json beside this file, read-only.

Generated from zones/ by `python -m byside.pack_build` (the validated zone model as data plus what
zones/ derives from it: each service's compiled allowlist, each segment's egress rules), so the
pack runs on its own — published, or copied anywhere — without importing zones/.
BYSIDE_ZONE_FACTS names another facts file (`byside check` writes one for other zone data).

A node reads like the zone model: `zone.backup.selection_tag.key`, `zone.segments[0].sites`,
`platform.zones.get("we1")`; objects are read-only mappings with attribute access, lists are
tuples.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterator

FACTS_FILE = Path(__file__).with_name("zone_facts.json")
FORMAT = 1


class FactsError(RuntimeError):
    """The facts file is missing, unreadable or of another format."""


class Node(Mapping):
    """A JSON object of the facts: `node.key` and `node["key"]`, never writable."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]):
        object.__setattr__(self, "_data", {k: wrap(v) for k, v in data.items()})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("zone facts are read-only")

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"Node({self._data!r})"


def wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return Node(value)
    if isinstance(value, list):
        return tuple(wrap(v) for v in value)
    return value


def load(path: str | Path | None = None) -> Node:
    path = Path(path or os.environ.get("BYSIDE_ZONE_FACTS") or FACTS_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise FactsError(f"zone facts {path}: {e} (regenerate with `python -m byside.pack_build`)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FactsError(f"zone facts {path}: not format {FORMAT} (regenerate with `python -m byside.pack_build`)")
    return Node(data)
