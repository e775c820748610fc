"""JSON Schema of any zones/*.yaml file, for editors (yaml-language-server)."""

from __future__ import annotations

from pydantic import TypeAdapter

from .model import AnyFile


def json_schema() -> dict:
    schema = TypeAdapter(AnyFile).json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "BySide zone data file"
    return schema
