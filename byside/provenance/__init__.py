"""Where every resource comes from: the program line that registered it and the zone facts it was
built from (docs/contracts.md "Provenance").

- the program line is the resource's `sourcePosition`, as the Pulumi engine records it
  (`project:///infra/aws/allowlists.py#47`, relative to the project root) — the offline preview
  records it from the SDK's registration, and real stack exports and previews carry it where the
  CLI wrote it;
- the zone facts (`facts.py`) are found by matching the resource's inputs against the zone model
  (`match.py`), after the program ran: no hook in infra/, and the same on any plan of the project;
- `causes.py` picks, for a finding, the fact that caused it (SARIF's primary location).

Pure: plans and the zone model in, data out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from .facts import Fact, ZoneFacts, build
from .match import facts_of

FORMAT = "byside-provenance/1"


@dataclass(frozen=True, order=True)
class Position:
    """A program line: a file relative to the project root, and a line."""

    file: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def parse_position(text: str, root: Path | None = None) -> Position | None:
    """`project:///infra/x.py#41,15` (what the engine writes) -> Position("infra/x.py", 41); a
    `file://` URI inside `root` is made relative to it; anything else None."""
    if not text:
        return None
    parts = urlsplit(text)
    line = parts.fragment.split(",", 1)[0]
    if not line.isdigit() or int(line) < 1:
        return None
    path = unquote(parts.path)
    if parts.scheme == "project":
        rel = Path(path.lstrip("/"))
    elif parts.scheme == "file" and root is not None:
        try:
            rel = Path(path).resolve().relative_to(Path(root).resolve())
        except ValueError:
            return None
    else:
        return None
    if not rel.parts or ".." in rel.parts:
        return None
    return Position(rel.as_posix(), int(line))


@dataclass(frozen=True)
class Provenance:
    urn: str
    program: Position | None
    facts: tuple[Fact, ...]

    def as_dict(self) -> dict:
        return {"program": self.program.where if self.program else None,
                "facts": [f.as_dict() for f in self.facts]}


def trace(plans: Iterable, platform, root: Path) -> dict[str, Provenance]:
    """URN -> Provenance of every resource of the plans (byside.check.model.Plan) in this project's
    stacks; facts only for stacks that are zones of the model (`platform`, or None: no facts)."""
    index: dict[str, ZoneFacts] = build(platform, root) if platform is not None else {}
    by_urn = {r.urn: r for p in plans for r in p.resources}
    out: dict[str, Provenance] = {}
    done: dict[str, tuple[Fact, ...]] = {}

    def facts(urn: str, seen: frozenset = frozenset()) -> tuple[Fact, ...]:
        if urn in done:
            return done[urn]
        r = by_urn.get(urn)
        zf = index.get(r.stack) if r is not None and r.project == "byside" else None
        if r is None or zf is None or urn in seen:
            return ()
        found = tuple(facts_of(zf, r.type, r.name, r.inputs, r.property_dependencies,
                               lambda u: list(facts(u, seen | {urn}))))
        done[urn] = found
        return found

    for urn in sorted(by_urn):
        r = by_urn[urn]
        out[urn] = Provenance(urn, parse_position(r.source_position, root), facts(urn))
    return out


def side_file(doc_resources: list[dict], provenance: dict[str, Provenance]) -> dict:
    """The preview's side file (`<zone>.provenance.json`): per URN of the document, in its order."""
    entries = []
    for r in doc_resources:
        p = provenance.get(r["urn"])
        if p is not None:
            entries.append({"urn": r["urn"], **p.as_dict()})
    return {"format": FORMAT, "resources": entries}


def relative(path: str | os.PathLike, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return os.fspath(path)


__all__ = ["FORMAT", "Fact", "Position", "Provenance", "ZoneFacts", "build", "facts_of", "parse_position",
           "side_file", "trace"]
