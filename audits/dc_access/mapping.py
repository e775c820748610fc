"""Input formats: which columns of another system's CSV export hold the fields the review reads,
and which of their values mean what.

Three kinds of format file (YAML), one per input: ``events-format`` (the badge system),
``authorized-format`` (the authorised list) and ``roster-format`` (HR). Each is read keeping the
line of every key and validated like a zone file: every problem is reported as ``file:line path:
message``, all of them at once (:class:`FormatError`). A loaded file becomes a compiled format
(:class:`EventsFormat`, :class:`AuthorizedFormat`, :class:`RosterFormat`) that the readers in
:mod:`.events` and :mod:`.inputs` use; the tool's own CSV columns are the ``NATIVE_*`` formats, and
``audits/examples/formats/native-*.yaml`` spell them out as files (a test keeps them equal).

Pure: no CSV is read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

ISO = "iso8601"
Column = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,62}$")]
Values = dict[str, list[Column]]


class FormatError(Exception):
    """A format file is unreadable or invalid; ``issues`` holds every problem (file:line path: message)."""

    def __init__(self, label: str, issues: list):
        self.issues = issues
        super().__init__(f"{label}: {len(issues)} error(s)\n" + "\n".join(f"  {i}" for i in issues))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Skip(_Strict):
    column: Column
    values: list[Column] = Field(min_length=1)


class _EventColumns(_Strict):
    timestamp: Column | list[Column]
    badge_id: Column
    door: Column
    direction: Column
    result: Column
    dc: Column | None = None


class _EventValues(_Strict):
    direction: Values
    result: Values
    dc: Values | None = None


class _EventsFile(_Strict):
    kind: Literal["events-format"]
    name: Name
    description: str = ""
    columns: _EventColumns
    timestamp_format: str = ISO
    timezone: str | None = None
    values: _EventValues
    skip: _Skip | None = None


class _AuthorizedColumns(_Strict):
    person_id: Column
    name: Column
    badge_id: Column
    dc: Column | None = None
    area: Column
    access_level: Column
    granted_on: Column
    granted_by: Column | None = None
    justification: Column | None = None
    valid_until: Column | None = None


class _AuthorizedValues(_Strict):
    dc: Values | None = None
    access_level: Values | None = None


class _AuthorizedFile(_Strict):
    kind: Literal["authorized-format"]
    name: Name
    description: str = ""
    columns: _AuthorizedColumns
    date_format: str = ISO
    values: _AuthorizedValues = _AuthorizedValues()


class _RosterColumns(_Strict):
    person_id: Column
    name: Column
    status: Column
    termination_date: Column | None = None
    job_role: Column


class _RosterValues(_Strict):
    status: Values | None = None
    job_role: Values | None = None


class _RosterFile(_Strict):
    kind: Literal["roster-format"]
    name: Name
    description: str = ""
    columns: _RosterColumns
    date_format: str = ISO
    values: _RosterValues = _RosterValues()


# ---------------------------------------------------------------- compiled formats


def parse_iso_date(text: str) -> date:
    if len(text) != 10:  # fromisoformat also takes 20250101; the exports always write YYYY-MM-DD
        raise ValueError
    return date.fromisoformat(text)


@dataclass(frozen=True)
class _Base:
    name: str
    source: str             # "built-in" or the format file's path
    columns: dict[str, str]  # native field -> the export's column (single-column fields)

    def label(self, fld: str) -> str:
        """How a message names a field: its own name in the native format, else ``Column (field)``."""
        col = self.columns.get(fld, fld)
        return fld if col == fld else f"{col} ({fld})"

    def describe(self) -> dict:
        return {"name": self.name, "file": self.source}


@dataclass(frozen=True)
class _DatedFormat(_Base):
    date_format: str = ISO

    @property
    def date_hint(self) -> str:
        return "YYYY-MM-DD" if self.date_format == ISO else self.date_format

    def parse_date(self, text: str) -> date:
        if self.date_format == ISO:
            return parse_iso_date(text)
        return datetime.strptime(text, self.date_format).date()


# strptime is pure Python and re-checks the locale on every call: a million-row export spends most
# of its time there. Formats made only of numeric fields are read with one compiled regex instead
# (same fields, same ranges — datetime() refuses what strptime refuses); others use strptime.
_FIELDS = {"Y": r"(?P<Y>\d{4})", "m": r"(?P<m>\d{1,2})", "d": r"(?P<d>\d{1,2})", "H": r"(?P<H>\d{1,2})",
           "M": r"(?P<M>\d{1,2})", "S": r"(?P<S>\d{1,2})", "z": r"(?P<z>Z|[+-]\d{2}:?\d{2})", "%": "%"}
_PARSERS: dict[str, object] = {}


def _fast_parser(fmt: str):
    if fmt in _PARSERS:
        return _PARSERS[fmt]
    import re

    parts, i, seen = [], 0, set()
    ok = True
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            d = fmt[i + 1]
            if d not in _FIELDS or (d in seen and d != "%"):
                ok = False
                break
            seen.add(d)
            parts.append(_FIELDS[d])
            i += 2
        else:
            parts.append(r"\s+" if c.isspace() else re.escape(c))
            i += 1
    parser = None
    if ok and {"Y", "m", "d"} <= seen:
        pattern = re.compile("".join(parts))

        def parser(text: str, _match=pattern.fullmatch) -> datetime:
            m = _match(text)
            if m is None:
                raise ValueError(f"{text!r} does not match {fmt!r}")
            g = m.groupdict()
            tz = None
            if g.get("z"):
                z = g["z"]
                if z == "Z":
                    tz = timezone.utc
                else:
                    sign = -1 if z[0] == "-" else 1
                    hh, mm = int(z[1:3]), int(z[-2:])
                    if hh > 23 or mm > 59:
                        raise ValueError(f"bad UTC offset {z!r}")
                    tz = timezone(sign * timedelta(hours=hh, minutes=mm))
            return datetime(int(g["Y"]), int(g["m"]), int(g["d"]), int(g.get("H") or 0), int(g.get("M") or 0),
                            int(g.get("S") or 0), tzinfo=tz)
    _PARSERS[fmt] = parser
    return parser


def _lookup(values: Values | None, identity: tuple[str, ...] = ()) -> dict[str, str] | None:
    """Export value -> native value; None when the format maps nothing (values pass through)."""
    if values is None:
        return {v: v for v in identity} if identity else None
    return {src: native for native, srcs in values.items() for src in srcs}


@dataclass(frozen=True)
class EventsFormat(_Base):
    timestamp_columns: tuple[str, ...] = ("timestamp",)
    timestamp_format: str = ISO
    timezone: str | None = None
    direction: dict[str, str] = field(default_factory=dict)  # export value -> "in"/"out"
    result: dict[str, str] = field(default_factory=dict)     # export value -> "granted"/"denied"
    dc: dict[str, str] | None = None                          # export value -> dc id
    skip_column: str | None = None
    skip_values: frozenset[str] = frozenset()

    @property
    def source_columns(self) -> tuple[str, ...]:
        """The export's columns this format reads, each once, in a fixed order."""
        cols = list(self.timestamp_columns)
        for f in ("badge_id", "door", "direction", "result", "dc"):
            if f in self.columns:
                cols.append(self.columns[f])
        if self.skip_column:
            cols.append(self.skip_column)
        return tuple(dict.fromkeys(cols))

    @property
    def timestamp_label(self) -> str:
        cols = " + ".join(self.timestamp_columns)
        return "timestamp" if cols == "timestamp" else f"{cols} (timestamp)"

    def parse_timestamp(self, text: str) -> datetime:
        """The instant (aware) or a naive local time; ValueError if the text does not match."""
        if self.timestamp_format == ISO:
            return datetime.fromisoformat(text)
        fast = _fast_parser(self.timestamp_format)
        return fast(text) if fast is not None else datetime.strptime(text, self.timestamp_format)

    def choices(self, fld: str) -> str:
        table = self.direction if fld == "direction" else self.result
        if all(k == v for k, v in table.items()):
            return " or ".join(table) if len(table) <= 2 else "one of " + ", ".join(table)
        return "; ".join(f"{native}: {', '.join(sorted(s for s, n in table.items() if n == native))}"
                         for native in sorted(set(table.values())))


@dataclass(frozen=True)
class AuthorizedFormat(_DatedFormat):
    dc: dict[str, str] | None = None
    access_level: dict[str, str] | None = None

    @property
    def source_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.columns.values()))


@dataclass(frozen=True)
class RosterFormat(_DatedFormat):
    status: dict[str, str] = field(default_factory=dict)
    job_role: dict[str, str] | None = None

    @property
    def source_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.columns.values()))

    def status_choices(self) -> str:
        if all(k == v for k, v in self.status.items()):
            return ", ".join(("active", "leave", "terminated"))
        return ", ".join(sorted(self.status))


def _identity(*names: str) -> dict[str, str]:
    return {n: n for n in names}


NATIVE_EVENTS = EventsFormat(
    name="native", source="built-in",
    columns=_identity("badge_id", "door", "direction", "result", "dc"),
    direction=_identity("in", "out"), result=_identity("granted", "denied"))
NATIVE_AUTHORIZED = AuthorizedFormat(
    name="native", source="built-in",
    columns=_identity("person_id", "name", "badge_id", "dc", "area", "access_level", "granted_on", "granted_by",
                      "justification", "valid_until"))
NATIVE_ROSTER = RosterFormat(
    name="native", source="built-in",
    columns=_identity("person_id", "name", "status", "termination_date", "job_role"),
    status=_identity("active", "leave", "terminated"))


# ---------------------------------------------------------------- loading and validation

_MODELS = {"events-format": _EventsFile, "authorized-format": _AuthorizedFile, "roster-format": _RosterFile}
_SAMPLE = datetime(2025, 11, 23, 14, 35, 47)


def _message(err: dict) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key (typo?)"
    if kind == "missing":
        return "required key is missing"
    shown = "input" in err and not isinstance(err["input"], (dict, list))
    return f"{err['msg']} (got {err['input']!r})" if shown else err["msg"]


def _strptime_problem(fmt: str, need_time: bool) -> str | None:
    """None if ``fmt`` writes and reads back a date (and a time) unchanged, else what is wrong."""
    sample = _SAMPLE.replace(tzinfo=timezone.utc) if "%z" in fmt else _SAMPLE
    try:
        back = datetime.strptime(sample.strftime(fmt), fmt)
    except (ValueError, TypeError) as exc:
        return f"{fmt!r} is not a strptime format that reads back what it writes ({exc})"
    fields = ("year", "month", "day") + (("hour", "minute") if need_time else ())
    lost = [f for f in fields if getattr(back, f) != getattr(sample, f)]
    if lost:
        return f"{fmt!r} does not carry the {', '.join(lost)} (a strptime format such as %Y-%m-%d{' %H:%M:%S' if need_time else ''})"
    return None


def _values_issues(src, path: tuple, values: Values | None, natives: tuple[str, ...] | None) -> list:
    """Every native value mapped (when ``natives`` is fixed), no export value mapped twice."""
    out = []
    if values is None:
        return out
    if natives is not None:
        for n in natives:
            if not values.get(n):
                out.append(src.issue(path + (n,), f"required key is missing: the values that mean {n!r}"))
        for k in values:
            if k not in natives:
                out.append(src.issue(path + (k,), f"unknown key (typo?): expected {', '.join(natives)}"))
    seen: dict[str, str] = {}
    for native, srcs in values.items():
        for j, s in enumerate(srcs):
            if s in seen:
                out.append(src.issue(path + (native, j), f"{s!r} is already mapped to {seen[s]!r}"))
            seen.setdefault(s, native)
    return out


def _timezone_issue(src, path: tuple, tz: str | None) -> list:
    if tz is not None and tz not in available_timezones():
        return [src.issue(path, f"unknown IANA timezone {tz!r}")]
    return []


def _check_events(src, m: _EventsFile) -> list:
    out = _values_issues(src, ("values", "direction"), m.values.direction, ("in", "out"))
    out += _values_issues(src, ("values", "result"), m.values.result, ("granted", "denied"))
    out += _values_issues(src, ("values", "dc"), m.values.dc, None)
    if m.values.dc is not None and m.columns.dc is None:
        out.append(src.issue(("values", "dc"), "values.dc maps a column the format does not name (columns.dc)"))
    if m.timestamp_format != ISO and (p := _strptime_problem(m.timestamp_format, need_time=True)):
        out.append(src.issue(("timestamp_format",), p))
    out += _timezone_issue(src, ("timezone",), m.timezone)
    ts = m.columns.timestamp if isinstance(m.columns.timestamp, list) else [m.columns.timestamp]
    if not ts:
        out.append(src.issue(("columns", "timestamp"), "name at least one column"))
    if m.skip is not None:
        for fld in ("direction", "result"):
            if getattr(m.columns, fld) == m.skip.column:
                table = getattr(m.values, fld)
                for j, v in enumerate(m.skip.values):
                    if any(v in srcs for srcs in table.values()):
                        out.append(src.issue(("skip", "values", j), f"{v!r} is also a {fld} value: a row cannot be both skipped and read"))
    return out


def _check_authorized(src, m: _AuthorizedFile) -> list:
    out = _values_issues(src, ("values", "dc"), m.values.dc, None)
    out += _values_issues(src, ("values", "access_level"), m.values.access_level, None)
    if m.values.dc is not None and m.columns.dc is None:
        out.append(src.issue(("values", "dc"), "values.dc maps a column the format does not name (columns.dc)"))
    if m.date_format != ISO and (p := _strptime_problem(m.date_format, need_time=False)):
        out.append(src.issue(("date_format",), p))
    return out


def _check_roster(src, m: _RosterFile) -> list:
    out = _values_issues(src, ("values", "status"), m.values.status, ("active", "leave", "terminated"))
    out += _values_issues(src, ("values", "job_role"), m.values.job_role, None)
    if m.date_format != ISO and (p := _strptime_problem(m.date_format, need_time=False)):
        out.append(src.issue(("date_format",), p))
    return out


def _compile(m, source: str):
    cols = {k: v for k, v in m.columns.model_dump().items() if v is not None}
    if isinstance(m, _EventsFile):
        ts = cols.pop("timestamp")
        skip = m.skip
        return EventsFormat(
            name=m.name, source=source, columns=cols,
            timestamp_columns=tuple(ts) if isinstance(ts, list) else (ts,),
            timestamp_format=m.timestamp_format, timezone=m.timezone,
            direction=_lookup(m.values.direction), result=_lookup(m.values.result), dc=_lookup(m.values.dc),
            skip_column=skip.column if skip else None, skip_values=frozenset(skip.values) if skip else frozenset())
    if isinstance(m, _AuthorizedFile):
        return AuthorizedFormat(name=m.name, source=source, columns=cols, date_format=m.date_format,
                                dc=_lookup(m.values.dc), access_level=_lookup(m.values.access_level))
    return RosterFormat(name=m.name, source=source, columns=cols, date_format=m.date_format,
                        status=_lookup(m.values.status, ("active", "leave", "terminated")),
                        job_role=_lookup(m.values.job_role))


_CHECKS = {"events-format": _check_events, "authorized-format": _check_authorized, "roster-format": _check_roster}


def load_format(path: Path, kind: str):
    """Read and validate one format file of ``kind``; raise :class:`FormatError` with every problem."""
    from zones.issues import Issue
    from zones.loader import read_yaml

    label = f"{kind} {path}"
    src, issues = read_yaml(Path(path))
    if issues:
        raise FormatError(label, issues)
    if not isinstance(src.data, dict):
        raise FormatError(label, [src.issue((), f"expected a mapping with `kind: {kind}`")])
    if src.data.get("kind") != kind:
        got = src.data.get("kind")
        hint = f" (that is a {got} file)" if got in _MODELS else ""
        raise FormatError(label, [src.issue(("kind",), f"expected `kind: {kind}`, got {got!r}{hint}")])
    try:
        model = _MODELS[kind].model_validate(src.data)
    except ValidationError as exc:
        raise FormatError(label, sorted({src.issue(tuple(e["loc"]), _message(e)) for e in exc.errors()},
                                        key=lambda i: (i.line, i.path))) from None
    problems = _CHECKS[kind](src, model)
    if problems:
        raise FormatError(label, sorted(set(problems), key=lambda i: (i.line, i.path)))
    assert all(isinstance(i, Issue) for i in problems)
    return _compile(model, src.name)
