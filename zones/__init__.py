"""The zone model: zones/*.yaml loaded, typed and validated as one platform.

Pure Python — no Pulumi, no cloud SDK — so every room can import it cheaply.
"""

from .issues import Issue, ZoneDataError
from .platform import DEFAULT_DIR, Platform, load, load_platform

__all__ = ["DEFAULT_DIR", "Issue", "Platform", "ZoneDataError", "load", "load_platform"]
