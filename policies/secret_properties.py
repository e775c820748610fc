"""Build policies/secret_properties.json: per resource type, the inputs its provider SDK marks
secret, and its free-form string-map inputs (where only key names can say what a value is).

Development-time only (`python -m policies.secret_properties`, run after a provider upgrade in
uv.lock; tests/policies/test_secret_properties.py checks the committed file matches the locked
SDKs). The pack reads the JSON file and never imports this module or the SDKs' sources.

Each generated Pulumi resource class declares its secret properties: `_internal_init` builds
`pulumi.ResourceOptions(additional_secret_outputs=[<wire names>])` and wraps secret inputs in
`pulumi.Output.secret(...)`. A property counts when it is an input of the resource (a parameter of
`_internal_init`): output-only secrets (a generated client secret) are never written in a program.
A free-form map is an input typed `Mapping[str, str]` (tags and labels are always free-form and are
not listed).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = ("pulumi_aws", "pulumi_gcp", "pulumi_random", "pulumi_vsphere")
TABLE = Path(__file__).with_name("secret_properties.json")

_CLASS = re.compile(r"^class (\w+)\(pulumi\.(?:CustomResource|ProviderResource)\):", re.M)
_INIT = re.compile(r"def _internal_init\(__self__,\s*resource_name: str,\s*opts: [^\n]*\n(.*?)\):", re.S)
_PARAM = re.compile(r"^\s+(\w+): ", re.M)
_MAP_PARAM = re.compile(r"^\s+(\w+): pulumi\.Input\[(?:Optional\[)?Mapping\[str, pulumi\.Input\[_builtins\.str\]\]", re.M)
ALWAYS_FREE_FORM = {"tags", "tagsAll", "labels", "effectiveLabels", "pulumiLabels"}
_TOKEN = re.compile(r"super\(\w+, __self__\).__init__\(\s*'([^']+)',")
_SECRET_OUTPUTS = re.compile(r"additional_secret_outputs=\[([^\]]*)\]")
_SECRET_INPUT = re.compile(r'__props__\.__dict__\["(\w+)"\] = None if \w+ is None else pulumi\.Output\.secret\(')
_GETTER = re.compile(r'@pulumi\.getter(?:\(name="(\w+)"\))?\s*\n\s*def (\w+)\(self\)')


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _resource_secrets(text: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({type: [secret input wire names]}, {type: [free-form map inputs]}) for one SDK module."""
    out: dict[str, list[str]] = {}
    maps: dict[str, list[str]] = {}
    starts = [m.start() for m in _CLASS.finditer(text)] + [len(text)]
    for begin, end in zip(starts, starts[1:]):
        body = text[begin:end]
        token, init = _TOKEN.search(body), _INIT.search(body)
        if token is None or init is None:
            continue
        params = set(_PARAM.findall(init.group(1)))
        wire = {py: (name or _camel(py)) for name, py in _GETTER.findall(body)}
        secret = {w.strip().strip('"') for m in _SECRET_OUTPUTS.finditer(body) for w in m.group(1).split(",")
                  if w.strip()}
        secret |= {wire.get(py, _camel(py)) for py in _SECRET_INPUT.findall(body)}
        inputs = {wire.get(p, _camel(p)) for p in params}
        tok = token.group(1)
        tok = "pulumi:providers:" + tok if ":" not in tok else tok
        names = sorted(secret & inputs)
        if names:
            out[tok] = names
        free = sorted({wire.get(p, _camel(p)) for p in _MAP_PARAM.findall(init.group(1))} - ALWAYS_FREE_FORM)
        if free:
            maps[tok] = free
    return out, maps


def sdk_resource_modules(packages, versions: dict[str, str]):
    """(package, source text) of every generated resource module of the installed SDKs, in a
    stable order; records each package's version in `versions`. The tag table reads the same."""
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit(f"{package} is not installed: run `make setup` first")
        root = Path(list(spec.submodule_search_locations)[0])
        versions[package] = metadata.version(package.replace("_", "-"))
        for path in sorted(root.rglob("*.py")):
            if path.name.startswith("_") or "__pycache__" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if "_internal_init" in text:
                yield package, text


def build() -> dict:
    types: dict[str, list[str]] = {}
    maps: dict[str, list[str]] = {}
    versions: dict[str, str] = {}
    for _, text in sdk_resource_modules(PACKAGES, versions):
        found, free = _resource_secrets(text)
        types.update(found)
        maps.update(free)
    return {"generated_by": "python -m policies.secret_properties", "sdks": versions,
            "types": dict(sorted(types.items())), "maps": dict(sorted(maps.items()))}


def dumps(table: dict) -> str:
    return json.dumps(table, indent=1, sort_keys=False) + "\n"


def main() -> None:
    text = dumps(build())
    if "--check" in sys.argv[1:]:
        sys.exit(0 if TABLE.read_text(encoding="utf-8") == text else 1)
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE}: {len(json.loads(text)['types'])} resource types")


if __name__ == "__main__":
    main()
