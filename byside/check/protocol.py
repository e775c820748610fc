"""The engine's Analyzer protocol: the generated modules pulumi ships in pulumi/runtime/proto/,
loaded without importing the `pulumi` package around them.

`from pulumi.runtime.proto import analyzer_pb2` runs pulumi/__init__ first — the whole SDK
(runtime, automation, OpenTelemetry): 0.1 s of CPU in every `byside check`, for two generated
files that need only protobuf, grpc and each other (they import their siblings relatively). So
the folder is loaded as a package of its own; the descriptors are the same files, registered once
in protobuf's default pool, so the message classes are the very classes `pulumi.runtime.proto`
gives (tests/check/test_protocol.py). Should pulumi's layout change, the normal import is used.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

_PACKAGE = __name__ + "_stubs"  # byside.check.protocol_stubs: pulumi's proto folder, as a package


def _load(name: str) -> ModuleType:
    pkg = sys.modules.get(_PACKAGE)
    if pkg is None:
        spec = importlib.util.find_spec("pulumi")  # finds the folder; does not import the package
        folder = Path(spec.submodule_search_locations[0]) / "runtime" / "proto"
        if not (folder / f"{name}.py").is_file():
            raise ImportError(f"no {name}.py in {folder}")
        pkg = importlib.util.module_from_spec(importlib.machinery.ModuleSpec(_PACKAGE, None, is_package=True))
        pkg.__path__ = [str(folder)]
        sys.modules[_PACKAGE] = pkg
    return importlib.import_module(f"{_PACKAGE}.{name}")


try:
    analyzer_pb2 = _load("analyzer_pb2")
    analyzer_pb2_grpc = _load("analyzer_pb2_grpc")
except (ImportError, TypeError, AttributeError):  # another pulumi layout: the package's own import
    sys.modules.pop(_PACKAGE, None)
    from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc  # noqa: F401
