"""Validation findings on the zone files: each names the file, the YAML path and the line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "<root>"


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    line: int
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line} {self.path}: {tag}{self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "path": self.path,
                "message": self.message, "severity": self.severity}


class ZoneDataError(Exception):
    """Raised by ``load_platform`` when zones/ has errors; carries all of them."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        errors = [i for i in issues if i.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in zone data:\n" + "\n".join(map(str, errors)))
