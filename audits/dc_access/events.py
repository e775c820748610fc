"""Streaming the badge system's event export: counts, rejected rows and DCA-05..08.

One pass over the file. Per badge only compact integer arrays are kept (8 bytes per event), so a
million events fit in a few tens of MB; DCA-07 and DCA-08 are decided per badge at the end, after
sorting, so the export need not be in time order.

Encoding of one granted event in ``BadgeTrack.granted``:
``((utc_seconds << 12 | offset_minutes + 2048) << 1) | is_entry`` — sorting the integers sorts by
instant, and the offset is kept so the event's *local* day (DCA-07) and its text can be rebuilt.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from .csvfile import Rejected, read_rows
from .findings import Finding

EVENT_COLUMNS = ("timestamp", "badge_id", "dc", "door", "direction", "result")
BURST_ATTEMPTS = 3      # DCA-08: this many denied attempts ...
BURST_WINDOW = 600      # ... within this many seconds (inclusive), sliding
_OFF = 2048             # offsets are stored as minutes + _OFF (any real offset is within ±1440)


class BadgeTrack:
    __slots__ = ("granted", "denied", "entries", "last_entry")

    def __init__(self) -> None:
        self.granted = array("q")  # encoded granted in/out events (see module docstring)
        self.denied = array("q")   # UTC seconds of denied attempts
        self.entries = 0           # granted entries (direction in)
        self.last_entry = -1       # encoded value of the latest granted entry, -1 if none


def _decode(value: int) -> tuple[int, int]:
    """encoded event -> (utc_seconds, offset_minutes)."""
    v = value >> 1
    return v >> 12, (v & 0xFFF) - _OFF


def stamp(seconds: int, offset_min: int) -> str:
    """The event's instant, written in its own offset (as the badge system did)."""
    return datetime.fromtimestamp(seconds, timezone(timedelta(minutes=offset_min))).isoformat()


def local_day(seconds: int, offset_min: int) -> int:
    return (seconds + offset_min * 60) // 86400


@dataclass
class Holder:
    """What the event checks need to know about the people behind one authorised badge."""
    people: tuple[str, ...]
    limits: tuple[tuple[str, date, str], ...]  # (person_id, last allowed local date, why)
    earliest: date | None                      # min of the limits' dates: fast path per event


@dataclass
class EventScan:
    read: int = 0
    reviewed: int = 0
    outside_year: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tracks: dict[str, BadgeTrack] = field(default_factory=dict)

    def last_entry(self, badge: str) -> tuple[int, int] | None:
        t = self.tracks.get(badge)
        return _decode(t.last_entry) if t is not None and t.last_entry >= 0 else None

    def entries(self, badge: str) -> int:
        t = self.tracks.get(badge)
        return t.entries if t is not None else 0


def scan_events(path: Path, dc: str, year: int, holders: dict[str, Holder],
                progress: Callable[[int], None] | None = None) -> EventScan:
    """Read every event; reject malformed ones; review those of ``year`` (in UTC)."""
    scan = EventScan()
    start = int(datetime(year, 1, 1, tzinfo=timezone.utc).timestamp())
    end = int(datetime(year + 1, 1, 1, tzinfo=timezone.utc).timestamp())
    tracks = scan.tracks
    rejected = scan.rejected
    findings = scan.findings
    name = path.name
    fromiso = datetime.fromisoformat
    read = reviewed = outside = 0
    for line, (ts, badge, row_dc, _door, direction, result) in read_rows(path, EVENT_COLUMNS, "events",
                                                                         progress):
        read += 1
        badge = badge.strip()
        if not badge:
            rejected.append(Rejected(name, line, "missing badge_id"))
            continue
        try:
            t = fromiso(ts.strip())
        except ValueError:
            rejected.append(Rejected(name, line, f"timestamp {ts!r} is not ISO 8601"))
            continue
        off = t.utcoffset()
        if off is None:
            rejected.append(Rejected(name, line, f"timestamp {ts!r} has no UTC offset"))
            continue
        if direction != "in" and direction != "out":
            rejected.append(Rejected(name, line, f"direction {direction!r} is not in or out"))
            continue
        if result != "granted" and result != "denied":
            rejected.append(Rejected(name, line, f"result {result!r} is not granted or denied"))
            continue
        if row_dc != dc:
            rejected.append(Rejected(name, line, f"dc {row_dc!r} is not the reviewed dc {dc!r}"))
            continue
        secs = int(t.timestamp() // 1)
        if secs < start or secs >= end:
            outside += 1
            continue
        reviewed += 1
        track = tracks.get(badge)
        if track is None:
            track = tracks[badge] = BadgeTrack()
        if result == "denied":
            track.denied.append(secs)
            continue
        off_min = int(off.total_seconds()) // 60
        entry = direction == "in"
        value = ((secs << 12 | (off_min + _OFF)) << 1) | entry
        track.granted.append(value)
        if not entry:
            continue
        track.entries += 1
        if value > track.last_entry:
            track.last_entry = value
        holder = holders.get(badge)
        if holder is None:
            findings.append(Finding("DCA-05", badge, None, stamp(secs, off_min),
                                    f"granted entry at door {_door.strip() or '?'} by a badge not on the authorised list",
                                    (), secs))
        elif holder.earliest is not None and t.date() > holder.earliest:
            day = t.date()
            for person in holder.people:
                late = [f"{why} {limit}" for p, limit, why in holder.limits if p == person and day > limit]
                if late:
                    findings.append(Finding("DCA-06", badge, person, stamp(secs, off_min),
                                            f"granted entry on {day}, after {' and '.join(late)}", (person,), secs))
    scan.read, scan.reviewed, scan.outside_year = read, reviewed, outside
    for badge in sorted(tracks):
        people = holders[badge].people if badge in holders else ()
        person = people[0] if len(people) == 1 else None
        findings.extend(_unpaired(badge, person, people, tracks[badge].granted))
        findings.extend(_bursts(badge, person, people, tracks[badge].denied))
    return scan


def _unpaired(badge: str, person: str | None, people: tuple[str, ...], granted: array) -> list[Finding]:
    """DCA-07: walk each local day's granted events in time order; an entry while already inside,
    an exit while outside, or being inside at the end of the day is unpaired."""
    found = []
    if not granted:
        return found

    def add(value: int, detail: str) -> None:
        secs, off = _decode(value)
        found.append(Finding("DCA-07", badge, person, stamp(secs, off), detail, people, secs))

    inside: int | None = None
    day = None
    for value in sorted(granted):
        secs, off = _decode(value)
        d = local_day(secs, off)
        if d != day:
            if inside is not None:
                add(inside, "entry with no exit the same day")
            inside, day = None, d
        if value & 1:
            if inside is not None:
                add(inside, "entry with no exit before the next entry")
            inside = value
        else:
            if inside is None:
                add(value, "exit with no entry the same day")
            inside = None
    if inside is not None:
        add(inside, "entry with no exit the same day")
    return found


def _bursts(badge: str, person: str | None, people: tuple[str, ...], denied: array) -> list[Finding]:
    """DCA-08: a burst is a maximal run of denied attempts during which some 10-minute window
    holds three or more; it is reported once, at its first attempt."""
    found = []
    if len(denied) < BURST_ATTEMPTS:
        return found
    times = sorted(denied)
    i = 0
    first = None  # index of the current burst's first attempt
    last = 0

    def close() -> None:
        n = last - first + 1
        found.append(Finding("DCA-08", badge, person, stamp(times[first], 0),
                             f"{n} denied attempts between {stamp(times[first], 0)} and {stamp(times[last], 0)}",
                             people, times[first]))

    for j, t in enumerate(times):
        while t - times[i] > BURST_WINDOW:
            i += 1
        if j - i + 1 >= BURST_ATTEMPTS:
            if first is None:
                first = i
            elif i > last:  # the window no longer reaches the running burst: a new one starts
                close()
                first = i
            last = j
        elif first is not None and i > last:
            close()
            first = None
    if first is not None:
        close()
    return found
