"""Conformance over plans: the gate's readers give the resources, zones as the gate sees them."""

from __future__ import annotations

from dataclasses import dataclass

from ..check.model import zone_of
from ..check.plans import parse_document
from .check import Coverage, Finding, check_resources


@dataclass
class Result:
    findings: list[Finding]
    coverage: Coverage
    zones: list[str]

    @property
    def exit_code(self) -> int:
        return 1 if self.findings else 0


def check_plans(plans) -> Result:
    """Every provider resource of `byside.check` Plans (any format the gate reads)."""
    out: list[Finding] = []
    coverage = Coverage()
    for plan in plans:
        out += check_resources(plan.resources, lambda r: zone_of(r.urn, r.inputs), coverage)
    return Result(sorted(out), coverage, sorted({p.stack for p in plans}))


def check_documents(docs: dict[str, dict]) -> Result:
    """Plan documents (e.g. `byside preview` output) keyed by a name for messages."""
    return check_plans([plan for name, doc in sorted(docs.items()) for plan in parse_document(doc, name)])
