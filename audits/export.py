"""Shared export layer for audit reports: JSON, CSV, XLSX, HTML and a SHA-256 manifest.

One call writes a whole evidence bundle into an empty folder::

    from audits.export import write_bundle, html_page

    paths = write_bundle(
        out_dir,
        tables={                       # sheet name -> (columns, rows); one CSV + one sheet each
            "Summary": (["key", "value"], [["dc", "dc-lis"], ...]),
            "Findings": (["code", "badge_id", ...], [[...], ...]),
        },
        json_doc={"dc": "dc-lis", ...},  # -> review.json (sorted keys, indent 2, final newline)
        html=html_page("Title", [...]),  # -> review.html (see html_page / html_table)
        csv_only={"next-authorized.csv": (columns, rows)},   # CSV files not in the workbook
        extra_files={"notes.txt": "..."},                     # any other file, str or bytes
        created=datetime(2025, 12, 31, tzinfo=timezone.utc),  # fixed workbook date
        basename="review",               # review.json / review.xlsx / review.html
    )

Guarantees:

- **Into an empty folder**: the bundle is rendered into ``out_dir``, which must exist and be empty.
  The commands give it the staging folder of ``byside.safeio.write_folder``, which renames the
  finished folder into place and refuses to replace anything it did not write (audits/ itself
  never decides what may be replaced).
- **Deterministic**: same arguments, byte-identical files. JSON has sorted keys; CSV rows are written
  in the order given (sort them first); the XLSX has fixed document properties (``created``) and
  XlsxWriter's fixed zip timestamps.
- **Formula injection**: every string cell beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return is prefixed with an apostrophe in CSV and XLSX (:func:`neutralise`); XLSX strings are always
  written as strings, never as formulas, URLs or numbers. JSON and HTML keep the raw value (HTML is
  escaped instead).
- **Complete**: a table longer than Excel's row limit continues on sheets "<name> (2)", ... .
- **Manifest**: ``manifest.sha256`` lists the SHA-256 of every other file, sorted by name, in the
  format ``sha256sum -c manifest.sha256`` verifies (``<hex>  <name>``).

Table names become CSV file names by lower-casing and joining words with ``-``
("Rejected rows" -> ``rejected-rows.csv``). Cell values: ``str``, ``int``, ``float``, ``bool``
(``true``/``false``), ``None`` (empty); lists/tuples are joined with ``" "``; anything else is ``str()``.
CSV is UTF-8 without BOM, RFC 4180 quoting, ``\\r\\n`` line ends.
"""

from __future__ import annotations

import csv
import hashlib
import html as _html
import io
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import xlsxwriter

MANIFEST = "manifest.sha256"
# Above this many cells the workbook is written in XlsxWriter's constant-memory mode.
CONSTANT_MEMORY_CELLS = 1_000_000
XLSX_MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows per sheet, less the header
XLSX_MAX_CELL = 32_767  # Excel's characters per cell; XlsxWriter would cut a longer string in silence
SUMMARY_ITEMS = 20  # a list in a report's text field shows this many items, then the count
# A spreadsheet treats a cell starting with one of these as a formula (or DDE payload).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Table = tuple[Sequence[str], Iterable[Sequence[Any]]]


class ExportError(Exception):
    """The bundle could not be written (bad target folder, duplicate names); nothing was left behind."""


def neutralise(value: str) -> str:
    """Prefix a string that a spreadsheet would run as a formula with an apostrophe."""
    if value and value[0] in FORMULA_PREFIXES:
        return "'" + value
    return value


def cell_text(value: Any) -> str:
    """The text of one cell, before neutralisation."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(cell_text(v) for v in value)
    return str(value)


def summarise(items: Sequence[str], n: int = SUMMARY_ITEMS) -> str:
    """A list for a text field, the same in every format: all items when few, else the count and
    the first `n` (the JSON keeps the whole list beside it)."""
    if len(items) <= n:
        return ", ".join(items)
    return f"{len(items):,} items: " + ", ".join(items[:n]) + f", … and {len(items) - n:,} more (all in the JSON)"


def xlsx_cell(text: str) -> str:
    """A string as an XLSX cell: longer than Excel allows, it says so in the cell (how long it was,
    where the whole is) instead of being cut in silence."""
    if len(text) <= XLSX_MAX_CELL:
        return text
    note = (f" … [cut: {len(text):,} characters, more than the {XLSX_MAX_CELL:,} an Excel cell holds; "
            "the whole text is in the CSV and JSON]")
    return text[:XLSX_MAX_CELL - len(note)] + note


def csv_name(table_name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", table_name.lower()).strip("-") + ".csv"


def write_csv(fh, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """One CSV file (header + rows) onto a text stream opened with newline="", every string cell neutralised."""
    w = csv.writer(fh, lineterminator="\r\n")
    w.writerow([neutralise(cell_text(c)) for c in columns])
    w.writerows([_csv_cell(v) for v in row] for row in rows)


def _csv_cell(v: Any) -> str:
    if type(v) is str:  # the common case first: most cells are text
        return "'" + v if v and v[0] in FORMULA_PREFIXES else v
    return cell_text(v) if _is_number(v) else neutralise(cell_text(v))


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    write_csv(buf, columns, rows)
    return buf.getvalue().encode("utf-8")


def json_bytes(doc: Any) -> bytes:
    return (json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _write_json(path: Path, doc: Any) -> None:
    # json.dump streams chunks: a large review never exists twice in memory as one string.
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(doc, fh, sort_keys=True, indent=2, ensure_ascii=False)
        fh.write("\n")


def _write_csv_file(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        write_csv(fh, columns, rows)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def write_xlsx(path: Path, tables: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]],
               created: datetime, title: str = "") -> None:
    """One workbook, a sheet per table: bold frozen header row, autofilter, fitted column widths."""
    cells = _cells(tables)
    wb = xlsxwriter.Workbook(str(path), {
        # In memory (shared strings, smaller file) unless the workbook is huge: then rows are
        # streamed to disk as written, which bounds memory at some cost in speed and file size.
        "constant_memory": cells > CONSTANT_MEMORY_CELLS,
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    # XlsxWriter stamps "now" into docProps/core.xml unless told otherwise; a fixed date keeps
    # two runs byte-identical (its zip entries already carry a fixed 1980 timestamp).
    created_naive = created.astimezone(timezone.utc).replace(tzinfo=None) if created.tzinfo else created
    wb.set_properties({"title": title, "author": "byside", "company": "", "created": created_naive})
    header = wb.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
    for sheet, columns, rows in _sheets(tables):
        ws = wb.add_worksheet(sheet)
        # Widths first: in constant-memory mode everything is set before the first row is written.
        widths = [len(str(c)) for c in columns]
        for row in rows:
            for c, v in enumerate(row[:len(widths)]):
                if v is not None:
                    n = len(v if type(v) is str else cell_text(v)) + 1
                    if n > widths[c]:
                        widths[c] = n
        for c, wdt in enumerate(widths):
            ws.set_column(c, c, min(max(wdt + 2, 8), 60))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), max(len(columns) - 1, 0))
        for c, col in enumerate(columns):
            ws.write_string(0, c, xlsx_cell(neutralise(cell_text(col))), header)
        write_string, write_number = ws.write_string, ws.write_number
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if type(v) is str:
                    v = "'" + v if v and v[0] in FORMULA_PREFIXES else v
                    write_string(r, c, v if len(v) <= XLSX_MAX_CELL else xlsx_cell(v))
                elif _is_number(v):
                    write_number(r, c, v)
                else:
                    write_string(r, c, xlsx_cell(neutralise(cell_text(v))))
    wb.close()


def html_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """An escaped HTML table."""
    head = "".join(f"<th>{_html.escape(cell_text(c))}</th>" for c in columns)
    body = "\n".join("<tr>" + "".join(f"<td>{_html.escape(cell_text(v))}</td>" for v in row) + "</tr>"
                     for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


_CSS = """body{font-family:sans-serif;font-size:11pt;margin:2em}
table{border-collapse:collapse;margin:0.5em 0 1.5em}th,td{border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#eee}h1{font-size:16pt}h2{font-size:13pt;margin-top:1.5em}.sign td{height:2.5em;min-width:12em}
@media print{body{margin:0}h2{page-break-after:avoid}tr{page-break-inside:avoid}}"""


_BANNER_CSS = """table.page,table.page>thead>tr>td,table.page>tbody>tr>td{border:0;padding:0;margin:0;width:100%}
.banner{border:3px solid #b00;background:#fee;color:#600;padding:4px 8px;margin:0 0 1em;font-weight:bold}"""


def html_page(title: str, sections: Sequence[tuple[str, str]], banner: Sequence[str] = ()) -> str:
    """A printable page: ``sections`` are (heading, already-escaped HTML body) pairs. ``banner`` lines
    (plain text) head the page and, printed, every page: the page is one table whose header row
    browsers repeat on each printed sheet."""
    parts = [f"<h2>{_html.escape(h)}</h2>\n{body}" if h else body for h, body in sections]
    body = f"<h1>{_html.escape(title)}</h1>\n" + "\n".join(parts)
    css = _CSS
    if banner:
        lines = "".join(f"<div>{_html.escape(b)}</div>" for b in banner)
        body = (f'<table class="page">\n<thead><tr><td><div class="banner">{lines}</div></td></tr></thead>\n'
                f"<tbody><tr><td>\n{body}\n</td></tr></tbody>\n</table>")
        css = _CSS + "\n" + _BANNER_CSS
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{_html.escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n"
            + body + "\n</body>\n</html>\n")


def manifest_text(folder: Path, names: Iterable[str]) -> str:
    lines = []
    for name in sorted(names):
        with open(folder / name, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        lines.append(f"{digest}  {name}\n")
    return "".join(lines)


def write_bundle(out_dir: Path | str, *, tables: Mapping[str, Table],
                 json_doc: Any = None, html: str | None = None,
                 csv_only: Mapping[str, Table] | None = None,
                 extra_files: Mapping[str, str | bytes] | None = None,
                 created: datetime, basename: str = "review", title: str = "") -> list[Path]:
    """Write the bundle into the empty folder ``out_dir``; return the paths, sorted, manifest last."""
    folder = Path(out_dir)
    if not folder.is_dir() or any(folder.iterdir()):
        raise ExportError(f"{folder}: a bundle is written into an empty folder (byside.safeio.write_folder's staging folder)")
    materialised = {name: (list(cols), [r if isinstance(r, list) else list(r) for r in rows])
                    for name, (cols, rows) in tables.items()}
    # (file name, writer) pairs; names are checked before anything is written.
    jobs: list[tuple[str, Any]] = []
    for name, (cols, rows) in materialised.items():
        jobs.append((csv_name(name), lambda p, c=cols, r=rows: _write_csv_file(p, c, r)))
    for name, (cols, rows) in (csv_only or {}).items():
        jobs.append((name, lambda p, c=cols, r=rows: _write_csv_file(p, c, r)))
    if json_doc is not None:
        jobs.append((f"{basename}.json", lambda p: _write_json(p, json_doc)))
    if html is not None:
        jobs.append((f"{basename}.html", lambda p: p.write_bytes(html.encode("utf-8"))))
    for name, data in (extra_files or {}).items():
        jobs.append((name, lambda p, d=data: p.write_bytes(d.encode("utf-8") if isinstance(d, str) else d)))
    names = [name for name, _ in jobs]
    if materialised:
        names.append(f"{basename}.xlsx")
    bad = sorted({n for n in names if names.count(n) > 1 or n == MANIFEST or not _safe_name(n)})
    if bad:
        raise ExportError(f"duplicate, reserved or unsafe file names in the bundle: {', '.join(bad)}")
    child = None
    if materialised and _cells(materialised) > CONSTANT_MEMORY_CELLS and hasattr(os, "fork"):
        # XlsxWriter is the slow part of a big bundle: write the workbook in a forked child
        # while this process writes the other files (the data is shared copy-on-write).
        child = _fork(lambda: write_xlsx(folder / f"{basename}.xlsx", materialised, created, title))
    try:
        for name, job in jobs:
            if "/" in name:  # extra_files may name files in sub-folders (the evidence pack)
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
            job(folder / name)
        if materialised and child is None:
            write_xlsx(folder / f"{basename}.xlsx", materialised, created, title)
    finally:
        if child is not None:
            _, status = os.waitpid(child, 0)
    if child is not None and os.waitstatus_to_exitcode(status) != 0:
        raise ExportError(f"writing {basename}.xlsx failed (exit status {os.waitstatus_to_exitcode(status)})")
    (folder / MANIFEST).write_text(manifest_text(folder, names), encoding="utf-8")
    return [folder / n for n in sorted(names)] + [folder / MANIFEST]


def _safe_name(name: str) -> bool:
    """A relative path without empty, hidden, ``.`` or ``..`` parts."""
    return "\\" not in name and all(p and not p.startswith(".") for p in name.split("/"))


def _sheets(tables):
    """(sheet name, columns, rows) per sheet: a table longer than Excel's row limit continues on
    sheets named "<name> (2)", "<name> (3)", ... rather than losing rows."""
    for name, (columns, rows) in tables.items():
        if len(rows) <= XLSX_MAX_ROWS:
            yield name[:31], columns, rows
            continue
        for k, start in enumerate(range(0, len(rows), XLSX_MAX_ROWS), start=1):
            suffix = f" ({k})" if k > 1 else ""
            yield name[:31 - len(suffix)] + suffix, columns, rows[start:start + XLSX_MAX_ROWS]


def _cells(tables: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]) -> int:
    return sum(len(cols) * (len(rows) + 1) for cols, rows in tables.values())


def _fork(work) -> int:
    pid = os.fork()
    if pid == 0:  # child: do the work, never return into the caller's code
        code = 1
        try:
            work()
            code = 0
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            os._exit(code)
    return pid
