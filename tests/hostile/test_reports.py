"""Bounded, consistent reports (issue 10, class "Reports that disagree with themselves"): a long list
is summarised alike in JSON, CSV, XLSX and HTML (the whole list kept in JSON), and no spreadsheet
cell is cut in silence."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import datetime, timezone

import openpyxl

from audits.export import SUMMARY_ITEMS, XLSX_MAX_CELL, summarise, write_bundle, xlsx_cell
from policies import iam_rules
from tests.cli import run
from tests.motoserver import client, doc

ACCOUNT = "123456789012"
STAR = doc([{"Effect": "Allow", "Action": "*", "Resource": "*"}])


def test_caa_06_for_action_star_is_the_same_summary_everywhere(aws, tmp_path):
    iam = client("iam")
    iam.create_role(RoleName="legacy-admin", AssumeRolePolicyDocument=doc([
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]))
    iam.put_role_policy(RoleName="legacy-admin", PolicyName="all", PolicyDocument=STAR)
    out = tmp_path / "out"
    code, output = run("audit", "access", "--out", str(out))
    assert code == 0, output

    every = iam_rules.wildcard_resources_on_write(json.loads(STAR))
    # every write action AWS has that can be scoped: the 269,893 characters in one cell
    assert len("write on Resource '*': " + ", ".join(every)) == 269_893
    expected = (f"write on Resource '*': {len(every):,} items: " + ", ".join(every[:SUMMARY_ITEMS])
                + f", … and {len(every) - SUMMARY_ITEMS:,} more (all in the JSON)")

    rep = json.loads((out / "access-review.json").read_text())
    (f,) = [f for f in rep["findings"] if f["code"] == "CAA-06"]
    assert f["detail"] == expected and f["items"] == every  # the whole list, in JSON only
    assert len(expected) < 1_000

    rows = list(csv.DictReader(io.StringIO((out / "findings.csv").read_text(encoding="utf-8"))))
    assert [r["detail"] for r in rows if r["code"] == "CAA-06"] == [expected]

    ws = openpyxl.load_workbook(out / "access-review.xlsx", read_only=True)["Findings"]
    header, *cells = [list(r) for r in ws.iter_rows(values_only=True)]
    assert [r[header.index("detail")] for r in cells if r[0] == "CAA-06"] == [expected]

    assert f"<td>{html.escape(expected)}</td>" in (out / "access-review.html").read_text()


def test_a_short_list_is_written_whole():
    assert summarise(["a", "b"]) == "a, b"
    assert summarise([str(i) for i in range(SUMMARY_ITEMS)]) == ", ".join(str(i) for i in range(SUMMARY_ITEMS))


def test_a_cell_longer_than_excel_allows_says_so(tmp_path):
    long = "x" * 269_893
    cell = xlsx_cell(long)
    assert len(cell) == XLSX_MAX_CELL
    assert cell.endswith(" … [cut: 269,893 characters, more than the 32,767 an Excel cell holds; the whole text is in "
                         "the CSV and JSON]")
    assert xlsx_cell("y" * XLSX_MAX_CELL) == "y" * XLSX_MAX_CELL

    staging = tmp_path / "b"
    staging.mkdir()
    write_bundle(staging, tables={"T": (["k", "v"], [["long", long], ["list", ["z"] * 20_000]])},
                 json_doc={"v": long}, created=datetime(2026, 1, 1, tzinfo=timezone.utc))
    ws = openpyxl.load_workbook(staging / "review.xlsx", read_only=True)["T"]
    values = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert values["long"] == cell
    assert values["list"].endswith("an Excel cell holds; the whole text is in the CSV and JSON]")
    assert "x" * 269_893 in (staging / "t.csv").read_text()  # CSV and JSON keep everything
    assert json.loads((staging / "review.json").read_text())["v"] == long
