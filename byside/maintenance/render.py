"""A planned notice as an iCalendar file (one VEVENT, RFC 5545, through `icalendar`) and as a
plain-text notice for the subscribers. Deterministic: the UID comes from the zone and the start,
DTSTAMP from --today, so the same inputs give byte-identical files."""

from __future__ import annotations

import hashlib
from datetime import timedelta, timezone

from .plan import Notice

PRODID = "-//BySide//byside maintenance plan//EN"
SLA = ("Downtime during planned maintenance inside the maintenance window does not count towards the SLA for "
       "System Availability.")


def _hm(d: timedelta) -> str:
    h, m = divmod(int(d.total_seconds() // 60), 60)
    return f"{h}h{m:02d}m" if h and m else f"{h}h" if h else f"{m}m"


def _local(dt) -> str:
    return f"{dt:%Y-%m-%d %H:%M} {dt:%Z}"


def _utc(dt) -> str:
    return f"{dt.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"


def kind(n: Notice) -> str:
    return "emergency" if n.emergency else "planned"


def uid(n: Notice) -> str:
    return hashlib.sha256(f"{n.zone_id}|{n.start.isoformat()}".encode()).hexdigest()[:32] + "@maintenance.byside"


def filenames(n: Notice) -> tuple[str, str]:
    stem = f"{n.zone_id}-{n.start:%Y%m%dT%H%M}-{kind(n)}-maintenance"
    return f"{stem}.ics", f"{stem}.txt"


def window_line(n: Notice) -> str:
    w = n.window
    return (f"{w.local_start:%H:%M}-{w.local_end:%H:%M} {n.timezone} on {w.day:%Y-%m-%d} "
            f"({_local(w.local_start)} to {_local(w.local_end)}; {_utc(w.local_start)} to {_utc(w.local_end)}, "
            f"{w.hours:g} h)")


def notice_rule(n: Notice) -> str:
    if n.emergency:
        return (f"emergency maintenance: at least 24 hours before the start, i.e. before {_local(n.deadline)} "
                f"({_utc(n.deadline)})")
    cal = ", ".join(n.countries) or "no subscriber country (Monday to Friday only)"
    return (f"planned impacting maintenance: at least 3 business days before, i.e. on or before "
            f"{n.latest_notice_date:%A %Y-%m-%d} (business days: Monday to Friday, not a public holiday in {cal})")


def description(n: Notice) -> str:
    lines = [f"BySide {kind(n)} maintenance in production zone {n.zone_id.upper()} ({n.zone_name}).",
             f"Start: {_local(n.start)} ({_utc(n.start)})",
             f"End: {_local(n.end)} ({_utc(n.end)})",
             f"Duration: {_hm(n.duration)}",
             f"Maintenance window: {window_line(n)}",
             f"Notice: {notice_rule(n)}"]
    if not n.emergency:
        lines.append(SLA)
    return "\n".join(lines)


def to_ics(n: Notice) -> bytes:
    from icalendar import Calendar, Event, vCalAddress

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    ev = Event()
    ev.add("uid", uid(n))
    ev.add("dtstamp", n.today.astimezone(timezone.utc))
    ev.add("dtstart", n.start_utc)
    ev.add("dtend", n.end_utc)
    ev.add("summary", f"BySide {n.zone_id.upper()} {kind(n)} maintenance")
    ev.add("description", description(n))
    ev.add("categories", ["MAINTENANCE"])
    ev.add("status", "CONFIRMED")
    ev.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{n.operations_email}")
    organizer.params["cn"] = "BySide Operations"
    ev.add("organizer", organizer)
    cal.add_component(ev)
    return cal.to_ical()


def to_text(n: Notice) -> str:
    what = ("apply a critical security patch (emergency maintenance)" if n.emergency
            else "carry out planned maintenance")
    to = [f"  - {r.name} ({r.id}{', ' + r.country if r.country else ''})" for r in n.recipients] or ["  (no subscribers)"]
    lines = [
        f"Subject: [BySide] {kind(n).capitalize()} maintenance in zone {n.zone_id.upper()} ({n.zone_name}) "
        f"on {_local(n.start)}",
        "",
        "To:", *to,
        "",
        "Dear Subscriber,",
        "",
        f"BySide will {what} on the BySide platform in production zone {n.zone_id.upper()} ({n.zone_name}). "
        "Service impact is expected during the work.",
        "",
        f"  Start:    {_local(n.start)}  ({_utc(n.start)})",
        f"  End:      {_local(n.end)}  ({_utc(n.end)})",
        f"  Duration: {_hm(n.duration)}",
        "",
        f"The work lies inside the zone's maintenance window: {window_line(n)}.",
    ]
    if not n.emergency:
        lines += ["", SLA]
    lines += ["", "A calendar entry (.ics) is attached.", "", "BySide Operations", n.operations_email, ""]
    return "\n".join(lines)


def summary(n: Notice, written: list[str]) -> list[str]:
    """What the command prints: the verdicts first, then the details."""
    slot = "inside" if n.inside_window else "OUTSIDE"
    notice = "LATE" if n.late else "on time"
    out = [f"zone {n.zone_id} ({n.zone_name}), {kind(n)} maintenance",
           f"slot: {_local(n.start)} to {_local(n.end)} ({_utc(n.start)} to {_utc(n.end)}), {_hm(n.duration)}",
           f"window: {window_line(n)}",
           f"slot {slot} the window",
           f"notice: {notice_rule(n)}",
           f"today: {_local(n.today)}: the notice is {notice}"]
    out += [f"not a business day: {d:%Y-%m-%d} {name}" for d, name in n.holidays_skipped]
    out += [f"note: {x}" for x in n.notes]
    out += ["notify: " + (", ".join(f"{r.name} ({r.id}{', ' + r.country if r.country else ''})"
                                    for r in n.recipients) or "nobody (the zone has no subscribers)")]
    out += [f"wrote {w}" for w in written]
    return out
