"""Read zones/*.yaml keeping every node's line, and type-check each file by its `kind`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

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


def _plain(node: object, path: Path, lines: dict[Path, int], line: int) -> object:
    """Convert ruamel's round-trip nodes to plain Python, recording 1-based lines."""
    lines[path] = line
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            kline = node.lc.key(key)[0] + 1
            out[str(key)] = _plain(value, path + (str(key),), lines, kline)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            items.append(_plain(value, path + (i,), lines, node.lc.item(i)[0] + 1))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def read_yaml(path: FsPath) -> tuple[SourceFile, list[Issue]]:
    src = SourceFile(display_name(path))
    yaml = YAML(typ="rt")
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return src, [Issue(src.name, line, "<root>", f"YAML error: {exc.problem or exc}")]
    except (OSError, UnicodeDecodeError) as exc:
        return src, [Issue(src.name, 1, "<root>", f"cannot read file: {exc}")]
    src.data = _plain(node, (), src.lines, 1)
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
