"""One offline preview per zone for the whole session (each in its own interpreter, in parallel)."""

from __future__ import annotations

import json

import pytest

import zones
from byside.preview import preview_zones


@pytest.fixture(scope="session")
def platform():
    return zones.load_platform()


@pytest.fixture(scope="session")
def previews(platform) -> dict[str, tuple[str, str]]:
    """zone -> (document text, worker log)."""
    return preview_zones(list(platform.zones))


@pytest.fixture(scope="session")
def docs(previews) -> dict[str, dict]:
    return {z: json.loads(text) for z, (text, _) in previews.items()}


class Stack:
    """Lookup helpers over one zone's preview document."""

    def __init__(self, doc: dict):
        self.resources = doc["deployment"]["resources"]
        self.by_urn = {r["urn"]: r for r in self.resources}

    def of_type(self, typ: str) -> list[dict]:
        return [r for r in self.resources if r["type"] == typ]

    def named(self, typ: str) -> dict[str, dict]:
        return {r["urn"].rsplit("::", 1)[1]: r for r in self.of_type(typ)}

    def one(self, typ: str) -> dict:
        found = self.of_type(typ)
        assert len(found) == 1, f"{typ}: {len(found)} resources"
        return found[0]

    def stack_outputs(self) -> dict:
        return self.one("pulumi:pulumi:Stack")["outputs"]


@pytest.fixture(scope="session")
def stacks(docs) -> dict[str, Stack]:
    return {z: Stack(d) for z, d in docs.items()}
