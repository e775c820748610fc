"""Input formats (--events-format, --authorized-format, --roster-format): the shipped mappings, the two
realistic examples giving the native sample's findings, and format files validated like zone files."""

import dataclasses
import json
from datetime import datetime
from pathlib import Path

import pytest

from audits.dc_access.mapping import (NATIVE_AUTHORIZED, NATIVE_EVENTS, NATIVE_ROSTER, FormatError, load_format)

from tests.cli import error_message

from .dc_gen import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "audits" / "examples"
FORMATS = EXAMPLES / "formats"


def _run(tmp_path, name, dc, **files):
    d = EXAMPLES / dc
    paths = {"authorized": d / "authorized.csv", "events": d / "events.csv", "roster": d / "roster.csv"}
    args = ["--dc", dc, "--year", "2025", "--out", str(tmp_path / name)]
    for key, value in files.items():
        if key in paths:
            paths[key] = value
        else:
            args += [f"--{key.replace('_', '-')}", str(value)]
    for key, value in paths.items():
        args += [f"--{key}", str(value)]
    if (d / "previous-review.json").exists():
        args += ["--previous", str(d / "previous-review.json")]
    r = cli(args)
    assert r.exit_code == 0, r.output
    return json.loads((tmp_path / name / "review.json").read_text())


@pytest.mark.parametrize("file, kind, native", [
    ("native-events.yaml", "events-format", NATIVE_EVENTS),
    ("native-authorized.yaml", "authorized-format", NATIVE_AUTHORIZED),
    ("native-roster.yaml", "roster-format", NATIVE_ROSTER),
])
def test_the_shipped_native_mappings_are_the_built_in_formats(file, kind, native):
    assert dataclasses.replace(load_format(FORMATS / file, kind), source="built-in") == native


def test_native_mapping_files_give_the_same_review_as_no_mapping(tmp_path):
    plain = _run(tmp_path, "plain", "dc-lis")
    mapped = _run(tmp_path, "mapped", "dc-lis", events_format=FORMATS / "native-events.yaml",
                  authorized_format=FORMATS / "native-authorized.yaml", roster_format=FORMATS / "native-roster.yaml")
    for key in ("counts", "people", "findings", "rejected", "next_authorized", "authorized"):
        assert mapped[key] == plain[key], key
    assert mapped["formats"]["events"] == {"name": "native", "file": "audits/examples/formats/native-events.yaml"}
    assert plain["formats"]["events"] == {"name": "native", "file": "built-in"}


def _same_review(native: dict, mapped: dict) -> None:
    assert mapped["findings"] == native["findings"]
    assert mapped["people"] == native["people"]
    assert mapped["next_authorized"] == native["next_authorized"]
    # the same rows are rejected (the reasons name the export's own columns)
    assert [(x["file"], x["line"]) for x in mapped["rejected"] if x["file"] == "events.csv"] == \
        [(x["file"], x["line"]) for x in native["rejected"] if x["file"] == "events.csv"]


def test_single_event_column_export_and_hr_roster_give_the_native_findings(tmp_path):
    native = _run(tmp_path, "native", "dc-lis")
    mapped = _run(tmp_path, "mapped", "dc-lis",
                  events=FORMATS / "event-column" / "events.csv", events_format=FORMATS / "event-column" / "events-format.yaml",
                  roster=FORMATS / "event-column" / "roster.csv", roster_format=FORMATS / "event-column" / "roster-format.yaml")
    _same_review(native, mapped)
    n, m = native["counts"], mapped["counts"]
    differ = ("events_read", "events_skipped", "events_local_time")  # this export writes every offset
    assert {k: v for k, v in m.items() if k not in differ} == {k: v for k, v in n.items() if k not in differ}
    assert m["events_local_time"] == 0
    # three door alarms in the export: counted and named, never reviewed
    assert (m["events_read"], m["events_skipped"]) == (n["events_read"] + 3, 3)
    assert mapped["events_skipped"] == {"Door Forced Open": 1, "Door Held Open": 2}
    assert "rows the events format 'event-column' skips as not access events: 'Door Forced Open' 1, 'Door Held Open' 2" \
        in mapped["notices"]
    reasons = {x["line"]: x["reason"] for x in mapped["rejected"] if x["file"] == "events.csv"}
    assert reasons[2107] == "Event Time (timestamp) '2025-07-01 25:00' is not in the format '%d/%m/%Y %H:%M:%S %z'"
    assert reasons[2110].startswith("Event (direction) 'Access Granted - Sideways' is not in: Access Denied - Entry, "
                                    "Access Granted - Entry; out: ")
    assert [x["reason"] for x in mapped["rejected"] if x["file"] == "roster.csv"] == [
        "Worker Status (status) 'Retired' is not one of Active, On Leave, Terminated"]


def test_local_times_in_date_and_time_columns_and_a_vendor_list_give_the_native_findings(tmp_path):
    native = _run(tmp_path, "native", "dc-mad")
    mapped = _run(tmp_path, "mapped", "dc-mad",
                  events=FORMATS / "local-time" / "events.csv", events_format=FORMATS / "local-time" / "events-format.yaml",
                  authorized=FORMATS / "local-time" / "authorized.csv",
                  authorized_format=FORMATS / "local-time" / "authorized-format.yaml")
    _same_review(native, mapped)
    n, m = native["counts"], mapped["counts"]
    assert {k: v for k, v in m.items() if k != "events_local_time"} == {k: v for k, v in n.items() if k != "events_local_time"}
    # every event is a local time, read in the site's timezone from zones/datacenters.yaml
    good = n["events_read"] - 1 - 1  # less the malformed timestamp and the empty badge
    assert (n["events_local_time"], m["events_local_time"]) == (2, good)
    assert mapped["events_timezone"] == {"timezone": "Europe/Madrid", "source": "zones/datacenters.yaml", "events": good}
    assert [x["reason"] for x in mapped["rejected"] if x["file"] == "authorized.csv"] == [
        "Granted (granted_on) '01/02/2024' is not a date (%d.%m.%Y)"]


def test_a_timezone_option_overrides_the_sites(tmp_path):
    mapped = _run(tmp_path, "mapped", "dc-mad", events=FORMATS / "local-time" / "events.csv",
                  events_format=FORMATS / "local-time" / "events-format.yaml")
    shifted = _run(tmp_path, "shifted", "dc-mad", events=FORMATS / "local-time" / "events.csv",
                   events_format=FORMATS / "local-time" / "events-format.yaml",
                   events_timezone="America/Sao_Paulo")
    assert shifted["events_timezone"]["source"] == "--events-timezone"
    first = next(f for f in mapped["findings"] if f["code"] == "DCA-05")
    moved = next(f for f in shifted["findings"] if f["code"] == "DCA-05")
    assert first["timestamp"].endswith("+01:00") and moved["timestamp"].endswith("-03:00")
    assert first["timestamp"][:19] == moved["timestamp"][:19]  # the same wall-clock time, another instant


# ------------------------------------------------------------------------------------------ validation


def _format(tmp_path, text: str) -> Path:
    p = tmp_path / "fmt.yaml"
    p.write_text(text)
    return p


GOOD = """kind: events-format
name: vendor
columns:
  timestamp: When
  badge_id: Card
  door: Reader
  direction: Event
  result: Event
timestamp_format: "%Y-%m-%d %H:%M"
values:
  direction:
    in: [Entry]
    out: [Exit]
  result:
    granted: [Entry, Exit]
    denied: [Refused]
"""


def test_a_valid_format_file_loads(tmp_path):
    fmt = load_format(_format(tmp_path, GOOD), "events-format")
    assert (fmt.name, fmt.timestamp_columns, fmt.direction, fmt.result) == (
        "vendor", ("When",), {"Entry": "in", "Exit": "out"}, {"Entry": "granted", "Exit": "granted", "Refused": "denied"})
    assert fmt.source_columns == ("When", "Card", "Reader", "Event")


@pytest.mark.parametrize("old, new, expected", [
    ("  badge_id: Card\n", "  badge: Card\n", ["fmt.yaml:3 columns.badge_id: required key is missing",
                                               "fmt.yaml:5 columns.badge: unknown key (typo?)"]),
    ("    out: [Exit]\n", "", ["fmt.yaml:11 values.direction.out: required key is missing: the values that mean 'out'"]),
    ("    denied: [Refused]\n", "    denied: [Refused, Entry]\n",
     ["fmt.yaml:16 values.result.denied[1]: 'Entry' is already mapped to 'granted'"]),
    ('timestamp_format: "%Y-%m-%d %H:%M"\n', 'timestamp_format: "%Y-%m-%d"\n',
     ["fmt.yaml:9 timestamp_format: '%Y-%m-%d' does not carry the hour, minute (a strptime format such as %Y-%m-%d %H:%M:%S)"]),
    ('timestamp_format: "%Y-%m-%d %H:%M"\n', 'timestamp_format: "%Y-%m-%d %H:%M"\ntimezone: Europe/Lisboa\n',
     ["fmt.yaml:10 timezone: unknown IANA timezone 'Europe/Lisboa'"]),
    ("kind: events-format\n", "kind: roster-format\n",
     ["fmt.yaml:1 kind: expected `kind: events-format`, got 'roster-format' (that is a roster-format file)"]),
    ("    in: [Entry]\n", "    in: Entry\n", ["fmt.yaml:12 values.direction.in: Input should be a valid list (got 'Entry')"]),
])
def test_format_errors_name_file_line_and_path(tmp_path, old, new, expected):
    assert old in GOOD
    with pytest.raises(FormatError) as exc:
        load_format(_format(tmp_path, GOOD.replace(old, new)), "events-format")
    assert [str(i).replace(str(tmp_path) + "/", "") for i in exc.value.issues] == expected


def test_a_bad_format_file_is_exit_2_with_every_problem_and_nothing_written(tmp_path):
    bad = _format(tmp_path, GOOD.replace("  badge_id: Card\n", "").replace("  door: Reader\n", "  door: Reader\n  doors: x\n"))
    d = EXAMPLES / "dc-lis"
    r = cli(["--dc", "dc-lis", "--year", "2025", "--authorized", str(d / "authorized.csv"), "--events",
             str(d / "events.csv"), "--roster", str(d / "roster.csv"), "--events-format", str(bad),
             "--out", str(tmp_path / "out")])
    assert r.exit_code == 2
    msg = error_message(r)
    assert msg.startswith(f"events-format {bad}: 2 error(s)")
    assert f"  {bad}:3 columns.badge_id: required key is missing\n  {bad}:6 columns.doors: unknown key (typo?)" in msg
    assert not (tmp_path / "out").exists()


def test_a_csv_without_the_formats_columns_names_them(tmp_path):
    fmt = _format(tmp_path, GOOD)
    d = EXAMPLES / "dc-lis"
    r = cli(["--dc", "dc-lis", "--year", "2025", "--authorized", str(d / "authorized.csv"), "--events",
             str(d / "events.csv"), "--roster", str(d / "roster.csv"), "--events-format", str(fmt),
             "--out", str(tmp_path / "out")])
    assert error_message(r).startswith(f"events {d / 'events.csv'}: missing column(s) When, Card, Reader, Event")


@pytest.mark.parametrize("fmt", ["%d/%m/%Y %H:%M:%S %z", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y"])
@pytest.mark.parametrize("text", [
    "10/03/2025 09:05:00 +01:00", "10/03/2025 09:05:00 +0100", "10/03/2025 09:05:00 Z", "10.03.2025 09:05:07",
    "2025-03-10 09:05", "03/10/2025", "1/3/2025 9:05:00 +0000", "31.02.2025 10:00:00", "10.13.2025 10:00:00",
    "10.03.2025 25:00:00", "2025-03-10  09:05", "2025-03-10 09:05 ", "10/03/2025 09:05:00 +2500", "", "x",
])
def test_the_compiled_timestamp_reader_agrees_with_strptime(fmt, text):
    from audits.dc_access.mapping import _fast_parser

    fast = _fast_parser(fmt)
    assert fast is not None
    try:
        want = datetime.strptime(text, fmt)
    except ValueError:
        with pytest.raises(ValueError):
            fast(text)
    else:
        assert fast(text) == want and fast(text).utcoffset() == want.utcoffset()
