"""The three zones' offline previews, once per session (the gate's cache: rerun only when changed)."""

from __future__ import annotations

import pytest

import zones
from byside.preview.cache import preview_documents


@pytest.fixture(scope="session")
def zone_docs() -> dict[str, dict]:
    return preview_documents(sorted(zones.load_platform().zones))
