"""Read zones/*.yaml keeping every node's line, and type-check each file by its `kind`.

Files are read through byside/safeyaml.py: bounded size, depth and alias expansion, core tags
only, merge keys supported, UTF-8 with the bad byte's line and column (limits in its docstring and
the README). A file that cannot be read or parsed is one issue at its line, never a traceback."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from pydantic import BaseModel, ValidationError

from byside import safeyaml
from byside.safeio import InputError

from .issues import Issue, Path, format_path
from .model import AccessFile, DataCentersFile, PlatformFile, SubscribersFile, ZoneFile

KINDS: dict[str, type[BaseModel]] = {
    "platform": PlatformFile,
    "datacenters": DataCentersFile,
    "subscribers": SubscribersFile,
    "access": AccessFile,
    "zone": ZoneFile,
}


@dataclass
class SourceFile:
    """One YAML file: its display name, plain data and the line of every path in it."""

    name: str
    data: object = None
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int:
        # The longest known prefix: a missing key points at its parent mapping.
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return 1

    def issue(self, path: Path, message: str, severity: str = "error") -> Issue:
        return Issue(self.name, self.line(path), format_path(path), message, severity)  # type: ignore[arg-type]


def display_name(path: FsPath) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def read_yaml(path: FsPath) -> tuple[SourceFile, list[Issue]]:
    src = SourceFile(display_name(path))
    try:
        doc = safeyaml.load(path, source=src.name, what="zone file")
    except safeyaml.YamlError as exc:
        where = f"column {exc.column}: " if exc.column else ""
        return src, [Issue(src.name, exc.line, "<root>", where + exc.detail)]
    except InputError as exc:
        message = str(exc)
        for prefix in (f"{path}: ", f"{src.name}: "):
            message = message.removeprefix(prefix)
        return src, [Issue(src.name, 1, "<root>", message)]
    src.data, src.lines = doc.data, doc.lines
    return src, []


def _pydantic_message(err: dict) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key (typo?)"
    if kind == "missing":
        return "required key is missing"
    return f"{err['msg']} (got {err['input']!r})" if "input" in err and not isinstance(err["input"], (dict, list)) else err["msg"]


def parse(src: SourceFile) -> tuple[BaseModel | None, list[Issue]]:
    """Type-check one file against the model of its `kind`."""
    if not isinstance(src.data, dict):
        return None, [src.issue((), "expected a mapping with a `kind` key")]
    kind = src.data.get("kind")
    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        return None, [src.issue(("kind",), f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")]
    try:
        return model.model_validate(src.data), []
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            path = tuple(p for p in err["loc"])
            # pydantic reports dict keys of failed lookups as str; alias 'from' arrives as 'from'
            issues.append(src.issue(path, _pydantic_message(err)))
        return None, issues
