"""Build policies/tag_properties.json: per AWS/GCP resource type, the input that carries its tags
(`tags`, `labels`, or `userLabels` where `labels` is configuration, not resource labels).

Development-time only (`python -m policies.tag_properties`, after a provider upgrade in uv.lock;
tests/policies/test_pack_files.py checks the committed file matches the locked SDKs). The pack
reads the JSON file (`common.taggable`) and never imports this module or the SDKs, so it runs
where pulumi-aws and pulumi-gcp are not installed (a published pack).

Read from the generated sources: a resource module holds its `…Args` class first, whose
`__init__(__self__, *, …)` lists the inputs, and the resource class, which registers its token.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from .secret_properties import _TOKEN, sdk_resource_modules  # the same reading of the SDKs as the secret table

SDKS = {"pulumi_aws": "tags", "pulumi_gcp": "labels"}
TABLE = Path(__file__).with_name("tag_properties.json")
GENERATED_BY = "python -m policies.tag_properties"

_ARGS_INIT = re.compile(r"def __init__\(__self__, \*,(.*?)\):", re.S)


def _tag_input(text: str, key: str) -> str | None:
    sig = _ARGS_INIT.search(text)
    if not sig:
        return None
    has = lambda name: re.search(rf"\n\s+{name}: ", sig.group(1)) is not None  # noqa: E731
    if key == "labels" and "effective_labels" not in text and has("user_labels"):
        return "userLabels"  # Cloud Monitoring: a channel's `labels` are its address
    return key if has(key) else None


def build() -> dict:
    types: dict[str, str] = {}
    versions: dict[str, str] = {}
    for package, text in sdk_resource_modules(SDKS, versions):
        token = _TOKEN.search(text)
        found = _tag_input(text, SDKS[package]) if token else None
        if found:
            types[token.group(1)] = found
    return {"generated_by": GENERATED_BY, "sdks": versions, "types": dict(sorted(types.items()))}


def dumps(table: dict) -> str:
    return json.dumps(table, indent=1) + "\n"


def main() -> None:
    text = dumps(build())
    if "--check" in sys.argv[1:]:
        sys.exit(0 if TABLE.is_file() and TABLE.read_text(encoding="utf-8") == text else 1)
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE}: {len(json.loads(text)['types'])} taggable resource types")


if __name__ == "__main__":
    main()
