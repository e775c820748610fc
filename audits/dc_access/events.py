"""Streaming the badge system's event export: counts, rejected rows and DCA-05..08, DCA-11.

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

from zoneinfo import ZoneInfo

from .csvfile import Rejected, read_rows
from .findings import Finding
from .mapping import NATIVE_EVENTS, EventsFormat

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


@dataclass(frozen=True)
class Revoked:
    """A badge of a person the previous signed review revoked, and when that review was signed."""
    person: str
    signed_on: date


@dataclass
class EventScan:
    read: int = 0
    reviewed: int = 0
    outside_year: int = 0
    local_time: int = 0                                   # read in the site's timezone (no UTC offset)
    other_dc: dict[str, int] = field(default_factory=dict)  # events of other sites, by dc
    skipped: dict[str, int] = field(default_factory=dict)   # rows the format says are not access events
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
                progress: Callable[[int], None] | None = None, fmt: EventsFormat = NATIVE_EVENTS,
                tz: ZoneInfo | None = None, revoked: dict[str, Revoked] | None = None) -> EventScan:
    """Read every event; reject malformed ones; review those of ``year`` (in UTC).

    ``fmt`` says which columns and values of the export mean what; ``tz`` is the timezone a
    timestamp without a UTC offset is read in (without it such an event is rejected); ``revoked``
    names the badges of people revoked at the previous signed review (DCA-11)."""
    scan = EventScan()
    start = int(datetime(year, 1, 1, tzinfo=timezone.utc).timestamp())
    end = int(datetime(year + 1, 1, 1, tzinfo=timezone.utc).timestamp())
    tracks = scan.tracks
    rejected = scan.rejected
    findings = scan.findings
    other_dc = scan.other_dc
    skipped = scan.skipped
    revoked = revoked or {}
    name = path.name
    cols = fmt.source_columns
    at = cols.index
    i_ts = tuple(at(c) for c in fmt.timestamp_columns)
    i_ts0 = i_ts[0] if len(i_ts) == 1 else -1
    i_badge, i_door = at(fmt.columns["badge_id"]), at(fmt.columns["door"])
    i_dir, i_res = at(fmt.columns["direction"]), at(fmt.columns["result"])
    i_dc = at(fmt.columns["dc"]) if "dc" in fmt.columns else -1
    i_skip = at(fmt.skip_column) if fmt.skip_column else -1
    skip_values = fmt.skip_values
    direction_of, result_of, dc_of = fmt.direction, fmt.result, fmt.dc
    parse_ts = fmt.parse_timestamp
    ts_label, ts_hint = fmt.timestamp_label, ("ISO 8601" if fmt.timestamp_format == "iso8601"
                                             else f"in the format {fmt.timestamp_format!r}")
    no_tz = ("has no UTC offset and no timezone is known for it (set `timezone` for this data centre in "
             "zones/datacenters.yaml, or give --events-timezone)")
    read = reviewed = outside = local = 0
    for line, v in read_rows(path, cols, "events", progress):
        read += 1
        if i_skip >= 0:
            what = v[i_skip].strip()
            if what in skip_values:
                skipped[what] = skipped.get(what, 0) + 1
                continue
        badge = v[i_badge].strip()
        if not badge:
            rejected.append(Rejected(name, line, f"missing {fmt.label('badge_id')}"))
            continue
        ts = v[i_ts0].strip() if i_ts0 >= 0 else " ".join(v[i].strip() for i in i_ts)
        try:
            t = parse_ts(ts)
        except ValueError:
            rejected.append(Rejected(name, line, f"{ts_label} {ts!r} is not {ts_hint}"))
            continue
        off = t.utcoffset()
        if off is None:
            if tz is None:
                rejected.append(Rejected(name, line, f"{ts_label} {ts!r} {no_tz}"))
                continue
            t, problem = _localise(t, tz)
            if problem:
                rejected.append(Rejected(name, line, f"{ts_label} {ts!r} {problem}"))
                continue
            off = t.utcoffset()
            local += 1
        raw = v[i_dir]
        direction = direction_of.get(raw) or direction_of.get(raw.strip())  # exact first: the common case
        if direction is None:
            rejected.append(Rejected(name, line, f"{fmt.label('direction')} {v[i_dir]!r} is not {fmt.choices('direction')}"))
            continue
        raw = v[i_res]
        result = result_of.get(raw) or result_of.get(raw.strip())
        if result is None:
            rejected.append(Rejected(name, line, f"{fmt.label('result')} {v[i_res]!r} is not {fmt.choices('result')}"))
            continue
        if i_dc >= 0 and v[i_dc] != dc:
            raw_dc = v[i_dc].strip()
            row_dc = dc_of.get(raw_dc, raw_dc) if dc_of is not None else raw_dc
            if row_dc != dc:
                # Another site's event (a multi-site export): counted and named in the summary.
                other_dc[row_dc] = other_dc.get(row_dc, 0) + 1
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
        gone = revoked.get(badge) if revoked else None
        if gone is not None and t.date() > gone.signed_on and (holder is None or gone.person in holder.people):
            findings.append(Finding("DCA-11", badge, gone.person, stamp(secs, off_min),
                                    f"granted entry on {t.date()} at door {v[i_door].strip() or '?'}: {gone.person} was "
                                    f"revoked at the review signed on {gone.signed_on}", (gone.person,), secs))
        elif holder is None:
            findings.append(Finding("DCA-05", badge, None, stamp(secs, off_min),
                                    f"granted entry at door {v[i_door].strip() or '?'} by a badge not on the authorised list",
                                    (), secs))
        if holder is not None and holder.earliest is not None and t.date() > holder.earliest:
            day = t.date()
            for person in holder.people:
                late = [f"{why} {limit}" for p, limit, why in holder.limits if p == person and day > limit]
                if late:
                    findings.append(Finding("DCA-06", badge, person, stamp(secs, off_min),
                                            f"granted entry on {day}, after {' and '.join(late)}", (person,), secs))
    scan.read, scan.reviewed, scan.outside_year, scan.local_time = read, reviewed, outside, local
    for badge in sorted(tracks):
        people = holders[badge].people if badge in holders else ()
        person = people[0] if len(people) == 1 else None
        findings.extend(_unpaired(badge, person, people, tracks[badge].granted))
        findings.extend(_bursts(badge, person, people, tracks[badge].denied))
    return scan


def _localise(t: datetime, tz: ZoneInfo) -> tuple[datetime, str | None]:
    """A naive local time in ``tz``: the instant, or why it names none or two (a clock change)."""
    early, late = t.replace(tzinfo=tz, fold=0), t.replace(tzinfo=tz, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early, None

    def exists(x: datetime) -> bool:
        return x.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None) == t

    if exists(early) and exists(late):
        return early, f"is ambiguous in {tz.key} (clocks went back: it names two instants)"
    return early, f"does not exist in {tz.key} (clocks went forward)"


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
