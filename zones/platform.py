"""The whole platform as one validated object: what every other room reads (built by zones/load.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .loader import SourceFile
from .model import AccessFile, DataCenter, PlatformFile, Subscriber, ZoneFile


@dataclass
class Platform:
    platform: PlatformFile
    datacenters: dict[str, DataCenter]
    subscribers: dict[str, Subscriber]
    access: AccessFile
    zones: dict[str, ZoneFile]
    # Where each file's data came from, for messages: kind or zone id -> source.
    sources: dict[str, SourceFile] = field(default_factory=dict, repr=False)

    def zone(self, zone_id: str) -> ZoneFile:
        try:
            return self.zones[zone_id]
        except KeyError:
            raise KeyError(f"unknown zone {zone_id!r}; known: {', '.join(sorted(self.zones))}") from None

    def datacenter(self, dc_id: str) -> DataCenter:
        try:
            return self.datacenters[dc_id]
        except KeyError:
            raise KeyError(f"unknown data centre {dc_id!r}; known: {', '.join(sorted(self.datacenters))}") from None

    def service(self, service_id: str):
        return next(s for s in self.platform.services if s.id == service_id)

    def teams_for(self, zone_id: str):
        return [t for t in self.access.teams if zone_id in t.zones]
