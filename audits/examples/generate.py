"""Synthetic DC access data: a clean baseline that yields no finding, and plants for each code.

Used three ways:

- the committed sample under ``audits/examples/<dc>/`` (``python -m audits.examples.generate``
  rewrites it; a test checks it is current);
- the tests, which plant one finding code at a time in a clean baseline and expect exactly it;
- benchmarks: ``python -m audits.examples.generate --out DIR --people 2000 --events 1000000``.

All names are invented. A baseline person is active, holds one badge, has a job role that
justifies access and visits on regular days (entry in the morning, exit the same afternoon), so
the baseline has no finding at all when a recent previous review is given.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

AUTH_COLUMNS = ["person_id", "name", "badge_id", "dc", "area", "access_level", "granted_on", "granted_by",
                "justification", "valid_until"]
ROSTER_COLUMNS = ["person_id", "name", "status", "termination_date", "job_role"]
EVENT_COLUMNS = ["timestamp", "badge_id", "dc", "door", "direction", "result"]

FIRST = ["Ana", "Bruno", "Carla", "Duarte", "Elena", "Fabio", "Gisela", "Hugo", "Ines", "Jaime", "Lara",
         "Mateo", "Nuria", "Octavio", "Paula", "Quirino", "Rita", "Sancho", "Telma", "Ulisses", "Vera", "Xavi"]
LAST = ["Albarran", "Belmonte", "Castanheira", "Dorado", "Esteves", "Ferraz", "Galvao", "Herrera", "Ibarra",
        "Junqueira", "Lobato", "Mourinho", "Noronha", "Oliveira", "Pardal", "Quintela", "Rebelo", "Soutelo"]
AREAS = ["data-hall-1", "data-hall-2", "meet-me-room"]
DOORS = ["main-entrance", "data-hall-door", "loading-bay"]
NOT_JUSTIFYING = "facilities-coordinator"
STRANGER = "B-UNLISTED-01"


@dataclass
class DataSet:
    dc: str
    year: int
    roles: list[str]
    authorized: list[dict] = field(default_factory=list)
    roster: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    previous: dict | None = None
    as_of: date | None = None
    tz: str = "UTC"  # the site's local time: the generated events are written in it

    def person(self, i: int) -> dict:
        return self.authorized[i]

    def write(self, folder: Path) -> dict[str, Path]:
        """Write the CSVs (and previous-review.json if any); return the paths by role."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = {"authorized": folder / "authorized.csv", "roster": folder / "roster.csv",
                 "events": folder / "events.csv"}
        paths["authorized"].write_bytes(to_csv(AUTH_COLUMNS, self.authorized))
        paths["roster"].write_bytes(to_csv(ROSTER_COLUMNS, self.roster))
        paths["events"].write_bytes(to_csv(EVENT_COLUMNS, self.events))
        if self.previous is not None and self.previous.get("format") == SIGNED_FORMAT:
            paths["previous"] = write_signed_previous(folder / "previous-signed", self.previous)
        elif self.previous is not None:
            paths["previous"] = folder / "previous-review.json"
            paths["previous"].write_text(json.dumps(self.previous, indent=2, sort_keys=True) + "\n")
        return paths

    def args(self, paths: dict[str, Path], out: Path) -> list[str]:
        """The `byside audit dc-access` arguments for this data set."""
        a = ["--dc", self.dc, "--year", str(self.year), "--authorized", str(paths["authorized"]),
             "--events", str(paths["events"]), "--roster", str(paths["roster"]), "--out", str(out)]
        if "previous" in paths:
            a += ["--previous", str(paths["previous"])]
        if self.as_of:
            a += ["--as-of", self.as_of.isoformat()]
        return a


def to_csv(columns: list[str], rows: list[dict]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _stamp(day: date, hour: int, minute: int, tz: ZoneInfo, second: int = 0) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz).isoformat()


def baseline(dc: str, year: int, roles: list[str], people: int = 8, visits: int = 40, seed: int = 1,
             tz: str = "UTC", prefix: str = "P") -> DataSet:
    """A clean data set: no finding when reviewed with its own previous review."""
    rng = random.Random(seed)
    zone = ZoneInfo(tz)
    ds = DataSet(dc, year, list(roles), tz=tz)
    first_day = date(year, 1, 1)
    for i in range(people):
        pid = f"{prefix}{i + 1:04d}"
        name = f"{FIRST[(i * 7 + seed) % len(FIRST)]} {LAST[(i * 5 + seed * 3) % len(LAST)]}"
        badge = f"B-{dc[-3:].upper()}-{i + 1:04d}"
        ds.authorized.append({
            "person_id": pid, "name": name, "badge_id": badge, "dc": dc, "area": AREAS[i % len(AREAS)],
            "access_level": "escorted" if i % 5 == 4 else "unescorted",
            "granted_on": date(year - 1 - i % 3, 1 + i % 12, 1 + i % 28).isoformat(),
            "granted_by": "Security Office", "justification": f"on-site work as {roles[i % len(roles)]}",
            "valid_until": "" if i % 2 else date(year + 2, 6, 30).isoformat()})
        ds.roster.append({"person_id": pid, "name": name, "status": "active", "termination_date": "",
                          "job_role": roles[i % len(roles)]})
        # Visits spread over the whole year, the last one within the last weeks of December.
        days = sorted(rng.sample(range(0, 358), visits - 1)) + [358 + rng.randrange(4)]
        for d in days:
            day = first_day + timedelta(days=d)
            door = DOORS[rng.randrange(len(DOORS))]
            ds.events.append({"timestamp": _stamp(day, 8 + rng.randrange(3), rng.randrange(60), zone, rng.randrange(60)),
                              "badge_id": badge, "dc": dc, "door": door, "direction": "in", "result": "granted"})
            ds.events.append({"timestamp": _stamp(day, 15 + rng.randrange(4), rng.randrange(60), zone, rng.randrange(60)),
                              "badge_id": badge, "dc": dc, "door": door, "direction": "out", "result": "granted"})
    ds.events.sort(key=lambda e: (datetime.fromisoformat(e["timestamp"]), e["badge_id"], e["direction"]))
    ds.previous = previous_review(ds, as_of=date(year - 1, 12, 31), signed_on=date(year, 1, 20))
    return ds


def previous_review(ds: DataSet, as_of: date, signed_on: date | None) -> dict:
    """A previous year's review.json as the command writes it (the fields the next review reads)."""
    return {"report": "byside audit dc-access", "dc": ds.dc, "year": as_of.year, "as_of": as_of.isoformat(),
            "sign_off": {"reviewer": "Head of Security" if signed_on else None,
                         "signed_on": signed_on.isoformat() if signed_on else None},
            "next_authorized": [dict(a) for a in ds.authorized]}


SIGNED_FORMAT = "byside-dc-review-signed/1"


def signed_previous(ds: DataSet, signed_on: date, revoked: tuple[int, ...] = ()) -> dict:
    """Last year's *signed* review, as `byside audit dc-access sign` writes the fields the next review
    reads: the people ``revoked`` (indexes into ds.authorized) were revoked on ``signed_on``."""
    gone = {ds.authorized[i]["person_id"] for i in revoked}
    decisions = []
    for pid in sorted({a["person_id"] for a in ds.authorized}):
        badges = sorted({a["badge_id"] for a in ds.authorized if a["person_id"] == pid})
        decisions.append({"person_id": pid, "decision": "revoke" if pid in gone else "retain", "badges": badges})
    return {"format": SIGNED_FORMAT, "report": "byside audit dc-access sign", "dc": ds.dc, "year": signed_on.year - 1,
            "as_of": date(signed_on.year - 1, 12, 31).isoformat(), "reviewer": "Head of Security",
            "signed_on": signed_on.isoformat(), "decisions": decisions,
            "authorized": [dict(a) for a in ds.authorized if a["person_id"] not in gone]}


def write_signed_previous(folder: Path, doc: dict) -> Path:
    """A signed folder holding signed-review.json and its manifest (no SSH signature): what the next
    review reads. The real folder, from the real command, is built in the round-trip test."""
    from audits.export import manifest_text

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "signed-review.json").write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    (folder / "manifest.sha256").write_text(manifest_text(folder, ["signed-review.json"]))
    return folder


def _events_of(ds: DataSet, badge: str) -> list[dict]:
    return [e for e in ds.events if e["badge_id"] == badge]


def _drop_events(ds: DataSet, badge: str, keep) -> None:
    ds.events = [e for e in ds.events if e["badge_id"] != badge or keep(datetime.fromisoformat(e["timestamp"]))]


def plant(ds: DataSet, code: str, i: int = 0) -> DataSet:
    """Change ``ds`` (a copy is returned) so that person ``i`` (or the site) shows exactly ``code``."""
    ds = replace(ds, authorized=[dict(a) for a in ds.authorized], roster=[dict(r) for r in ds.roster],
                 events=[dict(e) for e in ds.events])
    a = ds.authorized[i]
    r = next(r for r in ds.roster if r["person_id"] == a["person_id"])
    badge, y = a["badge_id"], ds.year
    evs = _events_of(ds, badge)
    tz = ZoneInfo(ds.tz)
    if code == "DCA-01":
        r["status"] = "terminated"  # ... HR says gone; nothing entered since (that would be DCA-06)
        last = datetime.fromisoformat(evs[-1]["timestamp"]).date()
        r["termination_date"] = (last + timedelta(days=1)).isoformat()
    elif code == "DCA-02":
        _drop_events(ds, badge, lambda t: t.date() < date(y, 5, 1))
    elif code == "DCA-03":
        r["job_role"] = NOT_JUSTIFYING
    elif code == "DCA-04":
        last = datetime.fromisoformat(evs[-1]["timestamp"]).date()
        a["valid_until"] = last.isoformat()  # expired after the last entry, before as-of
        ds.as_of = max(ds.as_of or date(y, 12, 31), last + timedelta(days=1))
    elif code == "DCA-05":
        day = date(y, 3, 10)
        ds.events += [
            {"timestamp": _stamp(day, 11, 5, tz), "badge_id": STRANGER, "dc": ds.dc, "door": DOORS[0],
             "direction": "in", "result": "granted"},
            {"timestamp": _stamp(day, 11, 50, tz), "badge_id": STRANGER, "dc": ds.dc, "door": DOORS[0],
             "direction": "out", "result": "granted"}]
    elif code == "DCA-06":
        # Authorised until 30 Sept, reviewed as of 15 Sept (a mid-year review), entered on after
        # 30 Sept: the grant is not yet expired at as-of (no DCA-04), the entries after it are.
        a["valid_until"] = date(y, 9, 30).isoformat()
        ds.as_of = date(y, 9, 15)
        if not any(datetime.fromisoformat(e["timestamp"]).date() > date(y, 9, 30) for e in evs):
            raise ValueError("baseline person has no visit after 30 Sept")
    elif code == "DCA-07":
        day = _free_day(ds, badge)
        ds.events.append({"timestamp": _stamp(day, 7, 45, tz), "badge_id": badge, "dc": ds.dc,
                          "door": DOORS[0], "direction": "in", "result": "granted"})
    elif code == "DCA-08":
        day = _free_day(ds, badge)
        for minute in (10, 13, 17):
            ds.events.append({"timestamp": _stamp(day, 22, minute, tz), "badge_id": badge, "dc": ds.dc,
                              "door": DOORS[1], "direction": "in", "result": "denied"})
    elif code == "DCA-09":
        second = dict(a, badge_id=badge + "-SPARE", area=AREAS[(AREAS.index(a["area"]) + 1) % len(AREAS)])
        ds.authorized.insert(i + 1, second)
    elif code == "DCA-10":
        ds.previous = None
    elif code == "DCA-11":
        # Revoked at last year's signed review (20 January), still on this year's list, and still
        # badging in after that date.
        ds.previous = signed_previous(ds, date(y, 1, 20), revoked=(i,))
    else:
        raise ValueError(f"unknown code {code!r}")
    if ds.previous is not None and ds.previous.get("format") == SIGNED_FORMAT:
        keep = {d["person_id"] for d in ds.previous["decisions"] if d["decision"] != "revoke"}
        ds.previous = dict(ds.previous, authorized=[dict(x) for x in ds.authorized if x["person_id"] in keep])
    elif ds.previous is not None:  # last year's list is this year's starting point
        ds.previous = dict(ds.previous, next_authorized=[dict(x) for x in ds.authorized])
    ds.events.sort(key=lambda e: (datetime.fromisoformat(e["timestamp"]), e["badge_id"], e["direction"]))
    return ds


def _free_day(ds: DataSet, badge: str) -> date:
    busy = {datetime.fromisoformat(e["timestamp"]).date() for e in _events_of(ds, badge)}
    day = date(ds.year, 6, 2)
    while day in busy:
        day += timedelta(days=1)
    return day


# ------------------------------------------------------------------------------------------ sample

SAMPLE_YEAR = 2025
SAMPLE_SITES = ("dc-lis", "dc-mad")


def sample(dc: str, roles: list[str], tz: str) -> DataSet:
    """The committed sample: a clean year for 24 people, then every code planted (DCA-10 only where
    no previous review exists), rejected rows and events outside the year."""
    seed = 11 if dc == "dc-lis" else 23
    ds = baseline(dc, SAMPLE_YEAR, roles, people=24, visits=45, seed=seed, tz=tz,
                  prefix="L" if dc == "dc-lis" else "M")
    y = ds.year
    zone = ZoneInfo(tz)
    for code, who in (("DCA-01", 0), ("DCA-02", 1), ("DCA-03", 2), ("DCA-05", 0), ("DCA-07", 4),
                      ("DCA-08", 5), ("DCA-09", 6)):
        ds = plant(ds, code, who)
    # DCA-01 by absence: person 8 left the roster altogether.
    gone = ds.authorized[8]["person_id"]
    ds.roster = [r for r in ds.roster if r["person_id"] != gone]
    # DCA-04 and DCA-06 at year end: expired on 31 Oct, yet entered in November.
    a = ds.authorized[10]
    a["valid_until"] = date(y, 10, 31).isoformat()
    ds.events.append({"timestamp": _stamp(date(y, 11, 12), 9, 30, zone), "badge_id": a["badge_id"], "dc": dc,
                      "door": DOORS[0], "direction": "in", "result": "granted"})
    ds.events.append({"timestamp": _stamp(date(y, 11, 12), 12, 0, zone), "badge_id": a["badge_id"], "dc": dc,
                      "door": DOORS[0], "direction": "out", "result": "granted"})
    # DCA-09 the other way round: one badge on two people.
    shared = dict(ds.authorized[12], person_id=ds.authorized[13]["person_id"], name=ds.authorized[13]["name"])
    ds.authorized.append(shared)
    # A new-starter added this year (shows as "added" against the previous review).
    ds.roster.append({"person_id": f"{'L' if dc == 'dc-lis' else 'M'}0900", "name": "Zelia Varandas",
                      "status": "active", "termination_date": "", "job_role": roles[0]})
    if dc == "dc-mad":
        ds.previous = None  # DCA-10: the first review of this site
    else:
        prev = [dict(x) for x in ds.authorized if x is not shared]
        ds.previous = dict(ds.previous, next_authorized=prev)
    ds.authorized.append({"person_id": ds.roster[-1]["person_id"], "name": "Zelia Varandas",
                          "badge_id": f"B-{dc[-3:].upper()}-0900", "dc": dc, "area": AREAS[0],
                          "access_level": "unescorted", "granted_on": date(y, 11, 3).isoformat(),
                          "granted_by": "Security Office", "justification": "=HYPERLINK(\"http://example.invalid\")",
                          "valid_until": ""})
    # Another site's row (counted, not reviewed) and malformed rows (rejected with line numbers).
    other = "dc-mad" if dc == "dc-lis" else "dc-lis"
    ds.authorized.append(dict(ds.authorized[3], dc=other, person_id="X0001", badge_id="B-XX-0001"))
    ds.authorized.append(dict(ds.authorized[3], person_id="X0002", granted_on="01/02/2024"))
    ds.roster.append({"person_id": "X0003", "name": "Rui Tavira", "status": "retired", "termination_date": "",
                      "job_role": roles[0]})
    b = ds.authorized[3]["badge_id"]
    ds.events.append({"timestamp": f"{y - 1}-12-31T22:15:00+00:00", "badge_id": b, "dc": dc, "door": DOORS[0],
                      "direction": "in", "result": "granted"})   # previous year in UTC: outside the year
    ds.events.append({"timestamp": f"{y}-07-01 25:00", "badge_id": b, "dc": dc, "door": DOORS[0],
                      "direction": "in", "result": "granted"})   # bad timestamp
    for hour, way in ((9, "in"), (12, "out")):  # no offset: read in the site's timezone (zones/)
        ds.events.append({"timestamp": f"{y}-07-02T{hour:02d}:00:00", "badge_id": b, "dc": dc, "door": DOORS[0],
                          "direction": way, "result": "granted"})
    ds.events.append({"timestamp": f"{y}-07-03T09:00:00+02:00", "badge_id": b, "dc": dc, "door": DOORS[0],
                      "direction": "sideways", "result": "granted"})
    ds.events.append({"timestamp": f"{y}-07-04T09:00:00+02:00", "badge_id": "", "dc": dc, "door": DOORS[0],
                      "direction": "in", "result": "granted"})
    return ds


def write_sample(root: Path) -> None:
    """The committed sample: both sites' inputs and the reviewer's decisions, and the same data in
    the two example formats under formats/ (the format files themselves are written by hand)."""
    import zones

    platform = zones.load_platform()
    sets = {}
    for dc in SAMPLE_SITES:
        site = platform.datacenter(dc)  # the site's timezone is a zone fact: read from zones/
        sets[dc] = sample(dc, list(site.access_roles), site.timezone)
        paths = sets[dc].write(root / dc)
        (root / dc / "decisions.csv").write_bytes(sample_decisions(sets[dc], paths, site))
    lis, mad = sets["dc-lis"], sets["dc-mad"]
    lis_tz, mad_tz = ZoneInfo(platform.datacenter("dc-lis").timezone), ZoneInfo(platform.datacenter("dc-mad").timezone)
    out = root / "formats"
    for sub in ("event-column", "local-time"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    (out / "event-column" / "events.csv").write_bytes(event_column_events(lis, lis_tz))
    (out / "event-column" / "roster.csv").write_bytes(hr_workers_roster(lis))
    (out / "local-time" / "events.csv").write_bytes(local_time_events(mad, mad_tz))
    (out / "local-time" / "authorized.csv").write_bytes(vendor_access_list(mad))


def sample_decisions(ds: DataSet, paths: dict[str, Path], site) -> bytes:
    """What a reviewer decided on the sample review: the proposals, a comment wherever the decision
    differs from one (every `review` proposal), one change and one disagreement with a revoke."""
    from audits.dc_access.review import Params, run_review

    r = run_review(Params(dc=ds.dc, year=ds.year, authorized=paths["authorized"], events=paths["events"],
                          roster=paths["roster"], roles=tuple(site.access_roles), dormant_days=site.dormant_days,
                          previous=paths.get("previous"), events_timezone=(site.timezone, "zones/datacenters.yaml")))
    rows = []
    for p in r.people:
        decision, comment, until = p.decision, "", ""
        if p.codes == ("DCA-07",):
            decision, comment, until = "change", "unpaired entries: access until the end of June, then review", \
                f"{ds.year + 1}-06-30"
        elif p.codes == ("DCA-02",):
            decision, comment = "retain", "on long-term leave; returns in February, keeps the grant"
        elif p.decision == "review":
            decision, comment = "retain", f"checked {' '.join(p.codes)} with the site: explained, access justified"
        rows.append({"person_id": p.person_id, "decision": decision, "comment": comment, "new_valid_until": until})
    return to_csv(["person_id", "decision", "comment", "new_valid_until"], rows)


# ------------------------------------------------------------------ the sample in the example formats

EVENT_WORDS = {("in", "granted"): "Access Granted - Entry", ("out", "granted"): "Access Granted - Exit",
               ("in", "denied"): "Access Denied - Entry", ("out", "denied"): "Access Denied - Exit"}
SITE_CODES = {"dc-lis": "LIS-DC1", "dc-mad": "MAD-DC1"}
SITE_NAMES = {"dc-lis": "Lisbon", "dc-mad": "Madrid"}


def _aware(text: str, tz: ZoneInfo) -> datetime | None:
    """The instant of a native timestamp (offset-less ones in the site's zone), None if malformed."""
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        return None
    return t if t.tzinfo is not None else t.replace(tzinfo=tz)


def _us_date(text: str) -> str:
    return date.fromisoformat(text).strftime("%m/%d/%Y") if len(text) == 10 and text[4] == "-" else text


def _eu_date(text: str) -> str:
    return date.fromisoformat(text).strftime("%d.%m.%Y") if len(text) == 10 and text[4] == "-" else text


def event_column_events(ds: DataSet, tz: ZoneInfo) -> bytes:
    """One "Event" column, day-first timestamps with an offset, site codes; plus door alarms."""
    rows = []
    for e in ds.events:
        t = _aware(e["timestamp"], tz)
        rows.append({"Event Time": t.strftime("%d/%m/%Y %H:%M:%S %z") if t else e["timestamp"],
                     "Card Number": e["badge_id"], "Reader": e["door"],
                     "Event": EVENT_WORDS.get((e["direction"], e["result"]), f"Access Granted - {e['direction'].title()}"),
                     "Site": SITE_CODES.get(e["dc"], e["dc"])})
    for day, what in ((date(ds.year, 4, 2), "Door Held Open"), (date(ds.year, 9, 14), "Door Forced Open"),
                      (date(ds.year, 10, 1), "Door Held Open")):
        rows.append({"Event Time": datetime(day.year, day.month, day.day, 3, 12, tzinfo=tz).strftime("%d/%m/%Y %H:%M:%S %z"),
                     "Card Number": "", "Reader": DOORS[2], "Event": what, "Site": SITE_CODES[ds.dc]})
    return to_csv(["Event Time", "Card Number", "Reader", "Event", "Site"], rows)


def local_time_events(ds: DataSet, tz: ZoneInfo) -> bytes:
    """Local wall-clock Date and Time columns without an offset; one file per site (no site column)."""
    rows = []
    for e in ds.events:
        t = _aware(e["timestamp"], tz)
        local = t.astimezone(tz) if t else None
        rows.append({"Date": local.strftime("%d.%m.%Y") if local else e["timestamp"],
                     "Time": local.strftime("%H:%M:%S") if local else "",
                     "Badge No.": e["badge_id"], "Door": e["door"],
                     "Direction": {"in": "Entry", "out": "Exit"}.get(e["direction"], e["direction"].title()),
                     "Outcome": {"granted": "OK", "denied": "DENIED"}.get(e["result"], e["result"].upper())})
    return to_csv(["Date", "Time", "Badge No.", "Door", "Direction", "Outcome"], rows)


def hr_workers_roster(ds: DataSet) -> bytes:
    status = {"active": "Active", "leave": "On Leave", "terminated": "Terminated"}
    rows = [{"Worker ID": r["person_id"], "Worker": r["name"], "Worker Status": status.get(r["status"], r["status"].title()),
             "Termination Date": _us_date(r["termination_date"]),
             "Job Profile": r["job_role"].replace("-", " ").title()} for r in ds.roster]
    return to_csv(["Worker ID", "Worker", "Worker Status", "Termination Date", "Job Profile"], rows)


def vendor_access_list(ds: DataSet) -> bytes:
    rows = [{"Employee No": a["person_id"], "Full Name": a["name"], "Card": a["badge_id"],
             "Site": SITE_NAMES.get(a["dc"], a["dc"]), "Zone": a["area"], "Clearance": a["access_level"].title(),
             "Granted": _eu_date(a["granted_on"]), "Approver": a["granted_by"], "Reason": a["justification"],
             "Expires": _eu_date(a["valid_until"])} for a in ds.authorized]
    return to_csv(["Employee No", "Full Name", "Card", "Site", "Zone", "Clearance", "Granted", "Approver", "Reason",
                   "Expires"], rows)


def synthetic_events(path: Path, dc: str, year: int, people: int, events: int, seed: int = 7) -> None:
    """A large events file for benchmarks: ``events`` rows over ``people`` badges, in time order."""
    rng = random.Random(seed)
    start = datetime(year, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    step = (365 * 86400) / (events / 2)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(EVENT_COLUMNS) + "\n")
        t = 0.0
        for n in range(events // 2):
            badge = f"B-{dc[-3:].upper()}-{rng.randrange(people) + 1:04d}"
            t += step
            a = start + timedelta(seconds=int(t))
            b = a + timedelta(seconds=60 + rng.randrange(3600))
            fh.write(f"{a.isoformat()},{badge},{dc},{DOORS[n % 3]},in,granted\n")
            fh.write(f"{b.isoformat()},{badge},{dc},{DOORS[n % 3]},out,granted\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="write a benchmark data set here instead of the sample")
    ap.add_argument("--dc", default="dc-lis")
    ap.add_argument("--year", type=int, default=SAMPLE_YEAR)
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ns = ap.parse_args()
    if ns.out is None:
        write_sample(Path(__file__).resolve().parent)
        return
    import zones

    roles = list(zones.load_platform().datacenter(ns.dc).access_roles)
    ds = baseline(ns.dc, ns.year, roles, people=ns.people, visits=2, seed=3)
    paths = ds.write(ns.out)
    synthetic_events(paths["events"], ns.dc, ns.year, ns.people, ns.events)


if __name__ == "__main__":
    main()
