"""The zone model: zones/*.yaml loaded, typed and validated as one platform.

Pure Python — no Pulumi, no cloud SDK — so every room can import it cheaply.
"""

from .issues import Issue, ZoneDataError
from .load import PACKAGE_DIR, default_dir, load, load_platform
from .platform import Platform

__all__ = ["PACKAGE_DIR", "Issue", "Platform", "ZoneDataError", "default_dir", "load", "load_platform"]
