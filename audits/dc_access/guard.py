"""Nothing signable by mistake: what stops a review from being exported (and signed) as is, and
what its summary must say anyway.

A review is *not ready to sign* when more than ``max_percent`` % of the events read were rejected,
or when no event of the year was reviewed at all (an offset-less export, an empty file, the wrong
site's file). Export and ``sign`` then stop with exit 2 unless the problems are explicitly accepted
(``--accept-rejected`` / ``--confirm-warnings``); an accepted problem is carried as a warning on every
page of the review. Notices (an ``--as-of`` after today, other sites in the events file, rows the
format skips, a previous review whose signature was not checked) never stop anything but are listed
in the summary.
"""

from __future__ import annotations

from datetime import date

DEFAULT_MAX_REJECTED_PERCENT = 1.0


def problems(counts: dict, year: int, max_percent: float) -> list[str]:
    """Why a review with these counts is not ready to sign (empty: it is)."""
    out = []
    read, rejected = counts["events_read"], counts["events_rejected"]
    if read and rejected * 100 > max_percent * read:
        out.append(f"{rejected} of {read} events rejected ({percent(counts):.2f} %), more than the "
                   f"{max_percent:g} % allowed (--max-rejected-percent); see the Rejected rows")
    if counts["events_reviewed"] == 0:
        out.append(f"no event of {year} was reviewed (events read {read}: outside the year "
                   f"{counts['events_outside_year']}, other data centres {counts.get('events_other_dc', 0)}, "
                   f"rejected {rejected})")
    return out


def percent(counts: dict) -> float:
    read = counts["events_read"]
    return round(100 * counts["events_rejected"] / read, 2) if read else 0.0


def notices(review, today: date) -> list[str]:
    """What the summary reports about a review that does not stop it."""
    out = []
    p = review.params
    if review.as_of > today:
        out.append(f"the as-of date {review.as_of} is after today ({today}): the review covers days that have not happened yet")
    if review.other_dc:
        sites = ", ".join(f"{dc or '(empty)'} {n}" for dc, n in review.other_dc.items())
        out.append(f"the events file also holds events of other data centres, not reviewed here: {sites}")
    if review.skipped:
        kinds = ", ".join(f"{v!r} {n}" for v, n in review.skipped.items())
        out.append(f"rows the events format {p.events_format.name!r} skips as not access events: {kinds}")
    tz = p.events_timezone
    if tz and review.counts["events_local_time"]:
        out.append(f"{review.counts['events_local_time']} event(s) without a UTC offset were read in {tz[0]} ({tz[1]})")
    prev = review.previous
    if prev is not None and prev.kind == "signed" and not prev.signature.startswith("verified"):
        out.append(f"previous review: {prev.signature}")
    missed = review.counts.get("previous_decisions_not_carried_out", 0)
    if missed:
        out.append(f"{missed} decision(s) of the previous review were not carried out (see Previous decisions)")
    return out


def assess(review, *, max_percent: float, accept: bool, today: date) -> list[str]:
    """Record the guard's verdict on ``review`` (review.guard, review.notices); return the problems."""
    found = problems(review.counts, review.params.year, max_percent)
    review.guard = {"max_rejected_percent": max_percent, "rejected_percent": percent(review.counts),
                    "problems": found, "accepted": bool(found and accept)}
    review.notices = notices(review, today)
    return found
