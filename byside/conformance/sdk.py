"""Input schemas of resource types, read from the locked provider SDKs (the one place that does).

A type token `pkg:module/name:Class` is the generated class `Class` of `pulumi_<pkg>.<module>`
(`pulumi:providers:<pkg>` is `pulumi_<pkg>.Provider`); the token is checked against the one the
class registers with. Its inputs are the properties of `<Class>Args`, read as the Pulumi SDK reads
them (`pulumi._types`): the wire (camelCase) name of each getter, its type annotation — scalars,
lists, maps, nested `…Args` input types, enums —, required when the generated `__init__` gives the
parameter no default. Secret inputs are those `_internal_init` wraps in `pulumi.Output.secret(...)`
or lists in `additional_secret_outputs`, as policies/secret_properties.py extracts them for the
pack's secrets-not-plaintext (its committed table, read here: one extraction).
"""

from __future__ import annotations

import collections.abc
import enum
import importlib
import inspect
import sys
import typing
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from pulumi import Output
from pulumi import _types as pulumi_types

from policies.secret_inputs import secret_properties

PACKAGES = ("aws", "gcp", "random", "vsphere")


@dataclass(eq=False)
class Type:
    """string | integer | number | boolean | any | array | map | object | enum | union."""

    kind: str
    item: "Type | None" = None  # array / map element
    name: str = ""  # object: the input type's class; enum: the enum's class
    props: dict[str, "Prop"] = field(default_factory=dict)  # object
    values: frozenset[str] = frozenset()  # enum
    open: bool = False  # enum that also takes any string (Union[str, Enum])
    options: tuple["Type", ...] = ()  # union

    def describe(self) -> str:
        if self.kind == "array":
            return f"list of {self.item.describe()}"
        if self.kind == "map":
            return f"map of {self.item.describe()}"
        if self.kind in ("object", "enum"):
            return self.name
        if self.kind == "union":
            return " or ".join(o.describe() for o in self.options)
        return self.kind


@dataclass(frozen=True)
class Prop:
    name: str  # the wire (camelCase) name
    type: Type
    required: bool
    secret: bool = False


@dataclass(frozen=True)
class ResourceSchema:
    token: str
    sdk: str  # e.g. "pulumi_aws 7.51.1 pulumi_aws.ec2.Vpc"
    inputs: dict[str, Prop]
    provider: bool  # a provider resource: its non-string inputs travel as JSON text


class SchemaError(LookupError):
    """No generated class for a type token in the locked SDKs."""


def _package(token: str) -> tuple[str, str, str]:
    """(package, module path, class name) of a type token."""
    if token.startswith("pulumi:providers:"):
        return token.rsplit(":", 1)[1], "", "Provider"
    pkg, mod, cls = token.split(":")
    module = mod.split("/")[0]
    return pkg, "" if module == "index" else module, cls


def _use_preview_bytecode() -> None:
    """pulumi-gcp's compute module is ~1.3 M lines: compiling it costs ~7 s. The offline preview
    keeps the SDKs' bytecode in build/.pycache (byside/preview/run.py); read it from there too."""
    if sys.pycache_prefix is None:
        sys.pycache_prefix = str(Path(__file__).resolve().parents[2] / "build" / ".pycache")


@lru_cache(maxsize=None)
def resource_schema(token: str) -> ResourceSchema:
    _use_preview_bytecode()
    try:
        pkg, module, cls_name = _package(token)
    except ValueError:
        raise SchemaError(f"{token!r} is not a type token") from None
    if pkg not in PACKAGES:
        raise SchemaError(f"{token}: package {pkg!r} is not one of the locked SDKs ({', '.join(PACKAGES)})")
    try:
        with warnings.catch_warnings():  # loading a module defines its deprecated classes too
            warnings.simplefilter("ignore", DeprecationWarning)
            mod = importlib.import_module(f"pulumi_{pkg}" + (f".{module}" if module else ""))
            cls = getattr(mod, cls_name)
        # Defined in the class's own file: where an input type already has the name `<Class>Args`
        # (pulumi_aws.s3.BucketVersioningArgs is the legacy Bucket's `versioning` block), the
        # generator names the resource's `<Class>InitArgs`.
        own = importlib.import_module(cls.__module__)
        args = next(a for a in (getattr(own, f"{cls_name}{suffix}", None) for suffix in ("Args", "InitArgs"))
                    if a is not None and a.__module__ == cls.__module__)
    except StopIteration:
        raise SchemaError(f"{token}: no input class for {cls_name} in {cls.__module__}") from None
    except (ImportError, AttributeError):
        raise SchemaError(f"{token}: no resource class {cls_name} in pulumi_{pkg}"
                          f"{'.' + module if module else ''} {metadata.version(f'pulumi_{pkg}')}") from None
    source = Path(inspect.getsourcefile(cls)).read_text(encoding="utf-8")
    provider = token.startswith("pulumi:providers:")
    if not provider and f"'{token}'" not in source:
        raise SchemaError(f"{token}: pulumi_{pkg}.{module}.{cls_name} registers another type token")
    # One extraction of secret flags: the table the pack's secrets-not-plaintext reads, built from
    # these same SDK sources by policies/secret_properties.py (and checked against them by tests).
    secret = set(secret_properties().get(token, ()))
    inputs = {wire: Prop(wire, prop.type, prop.required, wire in secret) for wire, prop in _object(args).props.items()}
    where = f"pulumi_{pkg}{'.' + module if module else ''}.{cls_name}"
    return ResourceSchema(token, f"pulumi_{pkg} {metadata.version(f'pulumi_{pkg}')} {where}", inputs, provider)


_OBJECTS: dict[type, Type] = {}


def _object(cls: type) -> Type:
    """An `…Args` input type (or a resource's Args class) as an object type; recursive types
    resolve to the same Type."""
    if cls in _OBJECTS:
        return _OBJECTS[cls]
    t = _OBJECTS[cls] = Type("object", name=cls.__name__)
    hints = pulumi_types._raw_return_hints(cls)  # the SDK's own reading: wire name -> annotation
    params = inspect.signature(cls.__init__).parameters
    py_to_wire = pulumi_types.input_type_py_to_pulumi_names(cls)
    for py, wire in py_to_wire.items():
        param = params.get(py)
        required = param is not None and param.default is inspect.Parameter.empty
        t.props[wire] = Prop(wire, _type(hints.get(wire, typing.Any)), required)
    return t


_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _members(hint) -> list:
    """A Pulumi Input annotation without its plumbing: Union members other than None,
    Awaitable[...] and Output[...]."""
    origin = typing.get_origin(hint)
    if origin is typing.Union:
        out = []
        for arg in typing.get_args(hint):
            out += _members(arg)
        return out
    if hint is type(None) or origin in (collections.abc.Awaitable, typing.Awaitable) or origin is Output \
            or hint is Output:
        return []
    return [hint]


def _type(hint) -> Type:
    members = _members(hint)
    if not members:
        return Type("any")
    enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
    if enums:
        values = frozenset(str(v.value) for e in enums for v in e)
        return Type("enum", name=enums[0].__name__, values=values, open=str in members)
    types = [_one(m) for m in members]
    return types[0] if len(types) == 1 else Type("union", options=tuple(types))


def _one(hint) -> Type:
    if hint in _SCALARS:
        return Type(_SCALARS[hint])
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (collections.abc.Mapping, dict, typing.Mapping) or hint in (dict, collections.abc.Mapping):
        return Type("map", item=_type(args[1]) if len(args) == 2 else Type("any"))
    if origin in (collections.abc.Sequence, list, typing.Sequence) or hint in (list, collections.abc.Sequence):
        return Type("array", item=_type(args[0]) if args else Type("any"))
    if isinstance(hint, type) and pulumi_types.is_input_type(hint):
        return _object(hint)
    return Type("any")
