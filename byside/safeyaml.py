"""Bounded YAML reading for files a pull request can change (zones/*.yaml, suppressions): plain
data plus the line of every value, or one `InputError` naming file, line and column.

ruamel.yaml parses and composes (it keeps every node's position); this module then builds plain
Python data from the composed nodes itself, because ruamel has no limit but nesting depth
(`YAML().max_depth`) and its constructors would expand aliases, run tags and build whatever the
file asks for. Before anything is built:

- the file's size is capped (`BYSIDE_MAX_YAML_BYTES`, default 4 MiB — real zone files are a few
  KB, the 100,000-CIDR benchmark zone 1.8 MB) and it must be UTF-8 (a bad byte is reported with
  its line and column);
- nesting is capped while composing (`BYSIDE_MAX_YAML_DEPTH`, default 64 — zone files nest 6);
- the graph is measured while it is composed, without expanding anything: aliases
  (`BYSIDE_MAX_YAML_ALIASES`, default 1,000), the number of nodes the data would have once aliases
  are expanded (`BYSIDE_MAX_YAML_NODES`, default 1,000,000) and the depth an alias nests to (the
  same depth limit), so a one-kilobyte "billion laughs" file fails in milliseconds; a recursive
  alias is an error at the alias;
- only the YAML core tags are accepted (str, int, float, bool, null, map, seq, and timestamps,
  which stay strings so each reader parses its own dates); `!!python/...`, `!custom` and any
  other tag are errors at their line.

Merge keys (`<<: *base`, `<<: [*a, *b]`, YAML 1.1 and common in hand-written files) are
supported: keys written in the mapping win over merged ones, earlier merged mappings over later
ones, and a merged key keeps the line where it is written (in the anchored mapping). Duplicate
keys and non-scalar keys are errors. One document per file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from . import safeio
from .safeio import InputError

YamlPath = tuple[str | int, ...]

DEFAULT_MAX_BYTES = 4 << 20
DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_ALIASES = 1_000
DEFAULT_MAX_NODES = 1_000_000

CORE = "tag:yaml.org,2002:"
SCALAR_TAGS = {CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
MERGE = CORE + "merge"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_aliases: int = DEFAULT_MAX_ALIASES
    max_nodes: int = DEFAULT_MAX_NODES

    @classmethod
    def from_env(cls) -> "Limits":
        return cls(safeio._limit("BYSIDE_MAX_YAML_BYTES", DEFAULT_MAX_BYTES),
                   safeio._limit("BYSIDE_MAX_YAML_DEPTH", DEFAULT_MAX_DEPTH),
                   safeio._limit("BYSIDE_MAX_YAML_ALIASES", DEFAULT_MAX_ALIASES),
                   safeio._limit("BYSIDE_MAX_YAML_NODES", DEFAULT_MAX_NODES))


@dataclass
class Document:
    """Plain data (dict/list/str/int/float/bool/None) and the 1-based line of every path in it: a
    mapping entry's line is its key's, a sequence item's its own; `()` is the document."""

    data: Any
    lines: dict[YamlPath, int] = field(default_factory=dict)

    def line(self, path: YamlPath) -> int:
        """The line of `path`, or of its longest known prefix (a missing key: its mapping)."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return 1


class YamlError(InputError):
    """Not acceptable YAML: `str()` is `source:line:column: detail`; the parts are attributes."""

    def __init__(self, source: str, line: int, column: int | None, detail: str):
        self.source, self.line, self.column, self.detail = source, line, column, detail
        super().__init__(f"{source}:{line}{f':{column}' if column else ''}: {detail}")


def _at(source: str, node_or_mark: Any, detail: str) -> YamlError:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return YamlError(source, mark.line + 1, mark.column + 1, detail)


def load(path: Path | str, *, source: str | None = None, limits: Limits | None = None,
         what: str = "YAML file") -> Document:
    """Read and parse one YAML file within `limits` (default: from the environment)."""
    limits = limits or Limits.from_env()
    source = source or str(path)
    try:
        data = safeio.read_bytes(path, limits.max_bytes, what)
    except InputError as e:
        raise InputError(str(e).replace("(BYSIDE_MAX_INPUT_BYTES)", "(BYSIDE_MAX_YAML_BYTES)")) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise YamlError(source, line, column, f"not UTF-8 text (byte 0x{data[e.start]:02x})") from None
    return parse(text, source, limits)


def parse(text: str, source: str, limits: Limits | None = None) -> Document:
    limits = limits or Limits.from_env()
    if len(text.encode("utf-8")) > limits.max_bytes:
        raise InputError(f"{source}: more than the limit of {limits.max_bytes:,} bytes (BYSIDE_MAX_YAML_BYTES)")
    yaml = YAML(typ="safe", pure=True)  # the pure composer: it is the one that honours max_depth
    yaml.max_depth = limits.max_depth
    yaml.Composer = _Composer
    yaml.composer.setup(source, limits)
    try:
        root = yaml.compose(text)
        constructor = yaml.constructor
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = (e.problem or e.context or "not valid YAML").strip()
        if "maximum depth" in problem:
            problem = f"nested deeper than {limits.max_depth} levels (BYSIDE_MAX_YAML_DEPTH)"
        else:
            problem = f"not valid YAML: {problem}"
        if mark is None:
            raise YamlError(source, 1, None, problem) from None
        raise _at(source, mark, problem) from None
    except ReaderError as e:
        pos = e.position if isinstance(e.position, int) else 0
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        what = f"character U+{e.character:04X}" if isinstance(e.character, int) else "character"
        raise YamlError(source, line, column, f"not acceptable in YAML: {what} ({e.reason})") from None
    except YAMLError as e:
        raise YamlError(source, 1, None, f"not valid YAML: {e}") from None
    except RecursionError:
        raise YamlError(source, 1, None,
                        f"nested deeper than {limits.max_depth} levels (BYSIDE_MAX_YAML_DEPTH)") from None
    if root is None:
        return Document(None, {(): 1})
    builder = _Builder(source, constructor)
    doc = Document(None, {})
    doc.data = builder.build(root, (), 1, doc.lines)
    return doc


# ---------------------------------------------------------------- measuring while composing


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


class _Composer(Composer):
    """ruamel's composer, measuring as it goes, so that every limit is checked before anything is
    expanded and reported where it is broken: each alias (count, recursion, the depth it nests
    to) at the alias, each node's tag and expanded size at the node. Nothing is expanded here: a
    node's size and height come from its children's, memoised."""

    def setup(self, source: str, limits: Limits) -> None:
        self.source, self.limits = source, limits
        self.aliases = 0
        self.open_anchors: list[str | None] = []
        self.size: dict[int, int] = {}  # id(node) -> nodes once aliases are expanded
        self.height: dict[int, int] = {}  # id(node) -> levels it spans once expanded (a scalar: 1)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                raise _at(self.source, event.start_mark,
                          f"more than {self.limits.max_aliases:,} aliases (BYSIDE_MAX_YAML_ALIASES)")
            if event.anchor in self.open_anchors:
                raise _at(self.source, event.start_mark,
                          f"recursive alias *{event.anchor} (a node that contains itself)")
            node = super().compose_node(parent, index)
            if self.depth + self.height[id(node)] > self.limits.max_depth:  # counted as the composer counts
                raise _at(self.source, event.start_mark,
                          f"nested deeper than {self.limits.max_depth} levels once alias *{event.anchor} is "
                          "expanded (BYSIDE_MAX_YAML_DEPTH)")
            return node
        self.open_anchors.append(self.parser.peek_event().anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            self.open_anchors.pop()
        _check_tag(node, self.source)
        kids = _children(node)
        key = id(node)
        self.size[key] = 1 + sum(self.size[id(k)] for k in kids)
        self.height[key] = 1 + max((self.height[id(k)] for k in kids), default=0)
        if self.size[key] > self.limits.max_nodes:
            raise _at(self.source, node, f"expands to more than {self.limits.max_nodes:,} nodes through aliases "
                                         "(BYSIDE_MAX_YAML_NODES); a YAML alias bomb?")
        return node


def _short(tag: str) -> str:
    return "!!" + tag[len(CORE):] if tag.startswith(CORE) else tag


def _check_tag(node: Node, source: str) -> None:
    tag = str(node.tag)
    if isinstance(node, ScalarNode):
        ok = tag in SCALAR_TAGS or tag == MERGE
    elif isinstance(node, SequenceNode):
        ok = tag == CORE + "seq"
    else:
        ok = tag == CORE + "map"
    if not ok:
        raise _at(source, node, f"tag {_short(tag)} is not allowed (plain YAML only: no custom or "
                                "language-specific tags)")


# ---------------------------------------------------------------- building plain data


class _Builder:
    def __init__(self, source: str, constructor: Any):
        self.source = source
        self.constructor = constructor

    def scalar(self, node: ScalarNode) -> Any:
        tag = str(node.tag)
        if tag in (CORE + "str", CORE + "timestamp"):
            return node.value
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError, YAMLError) as e:
            raise _at(self.source, node, f"{node.value[:40]!r} is not a valid {_short(tag)}: {e}") from None

    def key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode) or str(node.tag) == MERGE:
            raise _at(self.source, node, "a mapping key must be a plain value (not a list or mapping)")
        return node.value

    def build(self, node: Node, path: YamlPath, line: int, lines: dict[YamlPath, int]) -> Any:
        lines[path] = line
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,), item.start_mark.line + 1, lines)
                    for i, item in enumerate(node.value)]
        return self.mapping(node, path, lines)

    def mapping(self, node: MappingNode, path: YamlPath, lines: dict[YamlPath, int]) -> dict:
        return {name: self.build(v, path + (name,), k.start_mark.line + 1, lines)
                for name, (k, v) in self.entries(node).items()}

    def entries(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        """name -> (key node, value node), merges applied: the mapping's own keys win, then the
        first merged mapping, and so on (merged mappings may merge too; depth is bounded)."""
        own: dict[str, tuple[Node, Node]] = {}
        merged: list[MappingNode] = []
        for k, v in node.value:
            if isinstance(k, ScalarNode) and str(k.tag) == MERGE:
                for s in (v.value if isinstance(v, SequenceNode) else [v]):
                    if not isinstance(s, MappingNode):
                        raise _at(self.source, s, "a merge key (<<) takes a mapping or a list of mappings")
                    merged.append(s)
                continue
            name = self.key(k)
            if name in own:
                first = own[name][0].start_mark.line + 1
                raise _at(self.source, k, f"duplicate key {name!r} (first at line {first})")
            own[name] = (k, v)
        out: dict[str, tuple[Node, Node]] = {}
        for s in reversed(merged):
            out.update(self.entries(s))
        out.update(own)
        return out
