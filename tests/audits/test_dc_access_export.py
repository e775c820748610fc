"""The shared export layer (audits/export.py) as the DC access review uses it."""

import subprocess
import time
from datetime import datetime, timezone

import openpyxl
import pytest

from audits import export
from audits.export import ExportError, csv_bytes, neutralise, write_bundle
from byside import safeio

CREATED = datetime(2025, 12, 31, tzinfo=timezone.utc)


def bundle(out, **kw):
    """A bundle written as the commands write it: rendered into safeio's staging folder."""
    args = dict(tables={"Summary": (["item", "value"], [["dc", "dc-lis"], ["count", 3]]),
                        "Rejected rows": (["file", "line", "reason"], [["e.csv", 7, "=bad"]])},
                json_doc={"b": 1, "a": ["x"]}, html="<p>x</p>\n",
                csv_only={"next-authorized.csv": (["name"], [["@x"]])}, created=CREATED)
    args.update(kw)
    paths = []
    safeio.write_folder(out, lambda staging: paths.extend(write_bundle(staging, **args)))
    return [out / p.name for p in paths]


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=1", "a=1"), ("", ""), ("'=x", "'=x"),
])
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def test_csv_neutralises_strings_but_not_numbers_and_quotes_line_breaks():
    data = csv_bytes(["=h", "n"], [["-x", -5], ["\r+cmd", 1.5], [None, True]])
    assert data == b"'=h,n\r\n'-x,-5\r\n\"'\r+cmd\",1.5\r\n,true\r\n"


def test_bundle_files_manifest_and_json(tmp_path):
    out = tmp_path / "out"
    paths = bundle(out)
    names = ["next-authorized.csv", "rejected-rows.csv", "review.html", "review.json", "review.xlsx", "summary.csv"]
    assert [p.name for p in paths] == names + ["manifest.sha256"]
    assert (out / "review.json").read_text() == '{\n  "a": [\n    "x"\n  ],\n  "b": 1\n}\n'
    lines = (out / "manifest.sha256").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == names
    assert all(len(line.split("  ")[0]) == 64 for line in lines)
    assert subprocess.run(["sha256sum", "--strict", "-c", "manifest.sha256"], cwd=out, capture_output=True).returncode == 0


def test_xlsx_is_byte_identical_across_runs_and_strings_are_never_formulas(tmp_path):
    bundle(tmp_path / "a")
    time.sleep(1.1)  # a clock-stamped workbook would differ now
    bundle(tmp_path / "b")
    assert (tmp_path / "a" / "review.xlsx").read_bytes() == (tmp_path / "b" / "review.xlsx").read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "a" / "review.xlsx")
    ws = wb["Rejected rows"]
    assert [(c.value, c.data_type) for c in ws[2]] == [("e.csv", "s"), (7, "n"), ("'=bad", "s")]
    assert wb.properties.created == datetime(2025, 12, 31)


def test_failure_midway_leaves_nothing(tmp_path, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "write_xlsx", boom)
    with pytest.raises(RuntimeError):
        bundle(tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_failure_midway_keeps_the_previous_bundle(tmp_path, monkeypatch):
    bundle(tmp_path / "out")
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    monkeypatch.setattr(export, "manifest_text", lambda *a: (_ for _ in ()).throw(OSError("io")))
    with pytest.raises(safeio.OutputError, match="out: cannot write: io"):
        bundle(tmp_path / "out", json_doc={"changed": True})
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_replacing_a_previous_bundle_drops_its_stale_files(tmp_path):
    bundle(tmp_path / "out", extra_files={"old.txt": "x"})
    bundle(tmp_path / "out")
    assert not (tmp_path / "out" / "old.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_refuses_a_foreign_folder_and_duplicate_names(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("precious")
    with pytest.raises(safeio.OutputError, match="not empty and not a folder this command wrote"):
        bundle(tmp_path / "mine")
    with pytest.raises(ExportError, match="duplicate, reserved or unsafe file names in the bundle: summary.csv"):
        bundle(tmp_path / "out", extra_files={"summary.csv": "x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_a_bundle_is_rendered_only_into_an_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="a bundle is written into an empty folder"):
        write_bundle(tmp_path / "x", tables={}, created=CREATED)
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["keep.txt"]


def test_large_workbooks_stream_rows_and_stay_identical(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "CONSTANT_MEMORY_CELLS", 4)
    bundle(tmp_path / "a")
    bundle(tmp_path / "b")
    assert (tmp_path / "a" / "review.xlsx").read_bytes() == (tmp_path / "b" / "review.xlsx").read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "a" / "review.xlsx")
    ws = wb["Rejected rows"]
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("A2", "A1:C2")
    assert [(c.value, c.data_type) for c in ws[2]] == [("e.csv", "s"), (7, "n"), ("'=bad", "s")]


def test_a_table_longer_than_a_sheet_continues_on_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 2)
    rows = [[f"r{i}", i] for i in range(5)]
    (tmp_path / "out").mkdir()
    write_bundle(tmp_path / "out", tables={"Findings": (["id", "n"], rows)}, created=CREATED)
    wb = openpyxl.load_workbook(tmp_path / "out" / "review.xlsx")
    assert wb.sheetnames == ["Findings", "Findings (2)", "Findings (3)"]
    got = [r for ws in wb.worksheets for r in list(ws.iter_rows(values_only=True))[1:]]
    assert got == [tuple(r) for r in rows]
    assert (tmp_path / "out" / "findings.csv").read_text().count("\n") == 6
