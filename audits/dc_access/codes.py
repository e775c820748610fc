"""The DC access review's finding codes, what each means and the decision it proposes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    proposes: str  # "revoke" or "review": what the finding asks of the person's authorisation
    scope: str     # "person", "event" or "dc"


CODES: dict[str, Code] = {c.code: c for c in (
    Code("DCA-01", "authorised, but terminated or absent from the HR roster", "revoke", "person"),
    Code("DCA-02", "dormant: no granted entry for longer than the DC's threshold", "revoke", "person"),
    Code("DCA-03", "job role does not justify DC access", "revoke", "person"),
    Code("DCA-04", "authorisation expired but still on the list", "revoke", "person"),
    Code("DCA-05", "granted entry by a badge not on the authorised list", "review", "event"),
    Code("DCA-06", "granted entry after termination date or after valid_until", "review", "event"),
    Code("DCA-07", "entry without exit, or exit without entry, on the same day", "review", "event"),
    Code("DCA-08", "three or more denied attempts by one badge within ten minutes", "review", "event"),
    Code("DCA-09", "badge held by several people, or person holding several badges", "review", "person"),
    Code("DCA-10", "previous review older than 365 days, or none", "review", "dc"),
    Code("DCA-11", "granted entry by a person revoked at the previous signed review", "revoke", "event"),
)}

DECISIONS = ("retain", "revoke", "review")


def decide(codes: set[str] | list[str]) -> str:
    """revoke if any finding says the access is not (or no longer) justified, else review if any
    finding needs a human look, else retain."""
    proposals = {CODES[c].proposes for c in codes if CODES[c].scope != "dc"}
    if "revoke" in proposals:
        return "revoke"
    return "review" if proposals else "retain"
