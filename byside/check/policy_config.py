"""The stack's policy config, in the format of `pulumi preview --policy-pack-config FILE`:
{"<policy>": "advisory"} or {"<policy>": {"enforcementLevel": "...", "<property>": ...}}, plus
"all": "<level>" for every policy. Validated as the engine validates it: against the config
schemas the pack itself announces in GetAnalyzerInfo. The result holds every policy, so the
pack's default levels are sent explicitly (as the engine does), never the protocol's zero value.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from ..console import BadInput

LEVELS = ("advisory", "mandatory", "remediate", "disabled")


def read_config_file(path: Path) -> dict[str, Any]:
    from .. import safeio

    data = safeio.load_json(path, what="policy config file")  # bounded, UTF-8, depth-capped
    if not isinstance(data, dict):
        raise BadInput(f"{path}: expected a JSON object of policy IDs")
    return data


def load_stack_config(stack: str, directory: Path | str) -> dict[str, dict[str, Any]]:
    """`<directory>/<stack>.json` normalised against the pack's own policy objects in this process
    (policies/pack_config.py), {} when the stack has no file; errors are PackConfigError naming the
    file. The pack itself reads no files: the engine (or the gate) sends it the config."""
    from policies.pack_config import PackConfigError, normalize

    from .. import safeio

    path = Path(directory) / f"{stack}.json"
    if not path.is_file():
        return {}
    try:
        data = safeio.load_json(path, what="pack config file")
    except safeio.InputError as e:
        raise PackConfigError(str(e)) from None
    return normalize(data, str(path))


def resolve(raw: dict[str, Any], defaults: dict[str, dict[str, Any]], source: str,
            validate: bool = True) -> dict[str, dict[str, Any]]:
    """Config for every policy of the pack: its default level, overridden by `all`, then by its entry
    (each entry checked against the policy's config schema unless `validate` is False)."""
    out = {name: {"enforcementLevel": d["enforcementLevel"]} for name, d in defaults.items()}
    if "all" in raw:
        if raw["all"] not in LEVELS:
            raise BadInput(f"{source}: all: {raw['all']!r} is not one of {', '.join(LEVELS)}")
        for c in out.values():
            c["enforcementLevel"] = raw["all"]
    for name in sorted(k for k in raw if k != "all"):
        if name not in defaults:
            raise BadInput(f"{source}: {name!r} is not a policy of the pack {closest(name, defaults)}")
        value = raw[name]
        if isinstance(value, str):
            value = {"enforcementLevel": value}
        if not isinstance(value, dict):
            raise BadInput(f"{source}: {name}: expected a level or an object")
        if not validate:
            out[name].update(value)
            continue
        schema = {"type": "object", "additionalProperties": False,
                  "properties": dict(defaults[name]["schema"], enforcementLevel={"type": "string", "enum": list(LEVELS)})}
        import jsonschema  # only when a config file is given: not on every gate run

        try:
            jsonschema.validate(value, schema)
        except jsonschema.ValidationError as e:
            where = ".".join(str(p) for p in e.absolute_path)
            raise BadInput(f"{source}: {name}{'.' + where if where else ''}: {e.message}") from None
        out[name].update(value)
    return out


def closest(name: str, known) -> str:
    """"(did you mean 'x'?)" for the nearest known ID, else "(known: ...)"."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"(did you mean {close[0]!r}?)" if close else f"(known: {', '.join(sorted(known))})"


def disabled(stack: str, levels: dict[str, str], config_file: Path | None,
             config_dir: Path) -> list[dict[str, str]]:
    """The policies (`levels`: id -> the pack's default level) this stack's config turns off, as
    {policy, stack, source}, sorted — for the report, so that nothing is off without saying so."""
    path = config_file or (config_dir / f"{stack}.json")
    if config_file is None and not path.is_file():
        return []
    defaults = {name: {"enforcementLevel": level} for name, level in levels.items()}
    resolved = resolve(read_config_file(path), defaults, str(path), validate=False)
    return [{"policy": name, "stack": stack, "source": str(path)}
            for name, c in sorted(resolved.items()) if c["enforcementLevel"] == "disabled"]


def stack_config(stack: str, defaults: dict[str, dict[str, Any]], config_file: Path | None,
                 config_dir: Path) -> dict[str, dict[str, Any]]:
    """`--policy-config FILE` for every stack when given, else `<config_dir>/<stack>.json` if present."""
    path = config_file or (config_dir / f"{stack}.json")
    if config_file is None and not path.is_file():
        return resolve({}, defaults, str(path))
    return resolve(read_config_file(path), defaults, str(path))
