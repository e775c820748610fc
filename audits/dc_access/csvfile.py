"""Reading the review's CSV inputs: header checks up front, rows with their line numbers.

A file that cannot be read, is not UTF-8, is empty or lacks a required column fails the whole
review (:class:`InputError`, exit 2). A bad *row* is the caller's business: it is rejected with
its line number, never dropped.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path


class InputError(Exception):
    """An input file is unreadable or wrongly shaped: the review cannot be produced."""


@dataclass(frozen=True, order=True)
class Rejected:
    file: str
    line: int
    reason: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "reason": self.reason}


def read_rows(path: Path, required: Sequence[str], label: str,
              progress: Callable[[int], None] | None = None) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, values)`` with values in the order of ``required``; extra columns ignored.

    ``line`` is the physical line where the record starts (header = line 1). ``progress`` is
    called now and then with the number of bytes read so far.
    """
    try:
        fh = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{label} {path}: cannot read ({exc.strerror or exc})") from None
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{label} {path}: empty file, expected a header row with {', '.join(required)}")
            names = [h.strip().lstrip("\ufeff").strip() for h in header]  # tolerate Excel's UTF-8 BOM
            missing = [c for c in required if c not in names]
            if missing:
                raise InputError(f"{label} {path}: missing column(s) {', '.join(missing)} "
                                 f"(header on line 1 has: {', '.join(names) or 'nothing'})")
            dupes = sorted({n for n in names if names.count(n) > 1 and n in required})
            if dupes:
                raise InputError(f"{label} {path}: column(s) {', '.join(dupes)} appear more than once in the header")
            idx = [names.index(c) for c in required]
            width = max(idx) + 1
            last = reader.line_num
            n = 0
            for row in reader:
                start, last = last + 1, reader.line_num
                if not row:  # a blank line is not a record
                    continue
                if len(row) < width:
                    row = row + [""] * (width - len(row))
                yield start, [row[i] for i in idx]
                n += 1
                if progress is not None and not n & 0x3FFF:
                    progress(fh.buffer.tell())
            if progress is not None:
                progress(fh.buffer.tell())
        except UnicodeDecodeError as exc:
            raise InputError(f"{label} {path}: line {_first_bad_line(path)}: not UTF-8 text ({exc.reason})") from None
        except csv.Error as exc:
            raise InputError(f"{label} {path}: line {reader.line_num}: unreadable CSV ({exc})") from None
        except OSError as exc:
            raise InputError(f"{label} {path}: read error ({exc})") from None


def _first_bad_line(path: Path) -> int:
    """The text is decoded in chunks, so the reader cannot tell where the bad byte was; find it."""
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return n
    return 0
