"""The stack's policy config, in the format of `pulumi preview --policy-pack-config FILE`:
{"<policy>": "advisory"} or {"<policy>": {"enforcementLevel": "...", "<property>": ...}}, plus
"all": "<level>" for every policy. Validated as the engine validates it: against the config
schemas the pack itself announces in GetAnalyzerInfo. The result holds every policy, so the
pack's default levels are sent explicitly (as the engine does), never the protocol's zero value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from ..console import BadInput

LEVELS = ("advisory", "mandatory", "remediate", "disabled")


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"{path}: no such policy config file") from None
    except json.JSONDecodeError as e:
        raise BadInput(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    if not isinstance(data, dict):
        raise BadInput(f"{path}: expected a JSON object of policy IDs")
    return data


def resolve(raw: dict[str, Any], defaults: dict[str, dict[str, Any]], source: str) -> dict[str, dict[str, Any]]:
    """Config for every policy of the pack: its default level, overridden by `all`, then by its entry."""
    out = {name: {"enforcementLevel": d["enforcementLevel"]} for name, d in defaults.items()}
    if "all" in raw:
        if raw["all"] not in LEVELS:
            raise BadInput(f"{source}: all: {raw['all']!r} is not one of {', '.join(LEVELS)}")
        for c in out.values():
            c["enforcementLevel"] = raw["all"]
    for name in sorted(k for k in raw if k != "all"):
        if name not in defaults:
            raise BadInput(f"{source}: {name!r} is not a policy of the pack (known: {', '.join(sorted(defaults))})")
        value = raw[name]
        if isinstance(value, str):
            value = {"enforcementLevel": value}
        if not isinstance(value, dict):
            raise BadInput(f"{source}: {name}: expected a level or an object")
        schema = {"type": "object", "additionalProperties": False,
                  "properties": dict(defaults[name]["schema"], enforcementLevel={"type": "string", "enum": list(LEVELS)})}
        try:
            jsonschema.validate(value, schema)
        except jsonschema.ValidationError as e:
            where = ".".join(str(p) for p in e.absolute_path)
            raise BadInput(f"{source}: {name}{'.' + where if where else ''}: {e.message}") from None
        out[name].update(value)
    return out


def stack_config(stack: str, defaults: dict[str, dict[str, Any]], config_file: Path | None,
                 config_dir: Path) -> dict[str, dict[str, Any]]:
    """`--policy-config FILE` for every stack when given, else `<config_dir>/<stack>.json` if present."""
    path = config_file or (config_dir / f"{stack}.json")
    if config_file is None and not path.is_file():
        return resolve({}, defaults, str(path))
    return resolve(read_config_file(path), defaults, str(path))
