"""Reading the reviewer's decisions: the People sheet of review.xlsx as the reviewer returns it, or a
CSV with ``person_id, decision, comment`` (and, for a change, ``new_area``, ``new_access_level``,
``new_valid_until``). The format is detected from the file's first bytes (an XLSX is a ZIP).

Only reading happens here; what the decisions must satisfy is :mod:`.sign`'s business.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from audits.export import FORMULA_PREFIXES

from .csvfile import InputError

MAX_BYTES = 64 * 1024 * 1024
NEW_FIELDS = ("new_area", "new_access_level", "new_valid_until")


@dataclass(frozen=True)
class DecisionRow:
    where: str          # "decisions.csv:4" or "review.xlsx People row 4"
    person_id: str
    decision: str
    comment: str
    new: dict[str, str] = field(default_factory=dict)  # new_area / new_access_level / new_valid_until, as text


@dataclass
class DecisionsFile:
    rows: list[DecisionRow]
    kind: str                      # "xlsx" or "csv"
    review: dict[str, str] = field(default_factory=dict)  # dc / year from the workbook's Summary sheet


def _text(value) -> str:
    """A cell as text: dates as YYYY-MM-DD, the export's formula-neutralising apostrophe taken off."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def read_decisions(path: Path) -> DecisionsFile:
    path = Path(path)
    label = f"decisions {path}"
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise InputError(f"{label}: cannot read ({exc.strerror or exc})") from None
    if size > MAX_BYTES:
        raise InputError(f"{label}: {size} bytes, more than the {MAX_BYTES} a decisions file may have")
    if magic == b"PK\x03\x04":
        return _read_xlsx(path, label)
    return _read_csv(path, label)


def _columns(names: list[str], label: str, where: str) -> tuple[dict[str, int], str]:
    """Column positions; the decision is ``reviewer_decision`` when present (the People sheet also
    carries the proposed ``decision``), else ``decision``."""
    names = [n.strip().lstrip("\ufeff").strip() for n in names]
    pick = "reviewer_decision" if "reviewer_decision" in names else "decision"
    need = ["person_id", pick, "comment"]
    missing = [c for c in need if c not in names]
    if missing:
        raise InputError(f"{label}: {where}: missing column(s) {', '.join(missing)} "
                         f"(has: {', '.join(n for n in names if n) or 'nothing'})")
    wanted = need + [c for c in NEW_FIELDS if c in names]
    dupes = sorted({c for c in wanted if names.count(c) > 1})
    if dupes:
        raise InputError(f"{label}: {where}: column(s) {', '.join(dupes)} appear more than once")
    return {c: names.index(c) for c in wanted}, pick


def _row(cols: dict[str, int], pick: str, values: list, where: str) -> DecisionRow:
    def get(c: str) -> str:
        i = cols.get(c)
        return _text(values[i]) if i is not None and i < len(values) else ""
    return DecisionRow(where, get("person_id"), get(pick).lower(), get("comment"),
                       {f: get(f) for f in NEW_FIELDS if get(f)})


def _read_csv(path: Path, label: str) -> DecisionsFile:
    from byside.safeio import InputError as ReadError, read_text

    rows = []
    try:
        text = read_text(path, MAX_BYTES)
    except ReadError as exc:
        raise InputError(f"decisions {exc}") from None
    try:
        with io.StringIO(text, newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise InputError(f"{label}: empty file, expected a header row with person_id, decision, comment")
            cols, pick = _columns(header, label, "line 1")
            last = reader.line_num
            for values in reader:
                start, last = last + 1, reader.line_num
                if not any(v.strip() for v in values):
                    continue
                rows.append(_row(cols, pick, values, f"{path.name}:{start}"))
    except csv.Error as exc:
        raise InputError(f"{label}: unreadable CSV ({exc})") from None
    return DecisionsFile(rows, "csv")


def _read_xlsx(path: Path, label: str) -> DecisionsFile:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(f"{label}: not a readable XLSX workbook ({exc})") from None
    try:
        if "People" not in wb.sheetnames:
            raise InputError(f"{label}: no sheet named People (sheets: {', '.join(wb.sheetnames)}) — "
                             "return the review.xlsx of the review with the reviewer's columns filled")
        review: dict[str, str] = {}
        if "Summary" in wb.sheetnames:
            for item, value, *_ in wb["Summary"].iter_rows(min_row=2, values_only=True):
                if item in ("dc", "year"):
                    review[item] = _text(value)
        it = wb["People"].iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            raise InputError(f"{label}: sheet People is empty")
        cols, pick = _columns([_text(h) for h in header], label, "sheet People, row 1")
        rows = []
        for n, values in enumerate(it, start=2):
            if not any(_text(v) for v in values):
                continue
            rows.append(_row(cols, pick, list(values), f"{path.name} People row {n}"))
    finally:
        wb.close()
    return DecisionsFile(rows, "xlsx", review)
