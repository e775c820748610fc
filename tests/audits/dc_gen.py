"""Helpers for the DC access review tests: build a generated data set, run the review."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import zones
from audits.dc_access import Params, run_review
from audits.examples.generate import DataSet, baseline, plant

YEAR = 2025
runner = CliRunner()


def roles(dc: str = "dc-lis") -> list[str]:
    return list(zones.load_platform().datacenter(dc).access_roles)


def clean(dc: str = "dc-lis", **kw) -> DataSet:
    return baseline(dc, YEAR, roles(dc), **kw)


def planted(code: str, **kw) -> DataSet:
    return plant(clean(**kw), code)


def params(ds: DataSet, folder: Path, **over) -> Params:
    paths = ds.write(folder)
    site = zones.load_platform().datacenter(ds.dc) if ds.dc in zones.load_platform().datacenters else None
    kw = dict(dc=ds.dc, year=ds.year, authorized=paths["authorized"], events=paths["events"],
              roster=paths["roster"], roles=tuple(site.access_roles) if site else tuple(ds.roles),
              dormant_days=site.dormant_days if site else 180, previous=paths.get("previous"), as_of=ds.as_of)
    kw.update(over)
    return Params(**kw)


def review(ds: DataSet, folder: Path, **over):
    return run_review(params(ds, folder, **over))


def cli(args: list[str]):
    from byside.cli import app

    return runner.invoke(app, ["audit", "dc-access", *args])


def write_events(path: Path, rows: list[tuple[str, str, str]], dc: str = "dc-lis") -> None:
    """Events as (timestamp, direction, result) for badge B-LIS-0001 — small hand-made cases."""
    lines = ["timestamp,badge_id,dc,door,direction,result"]
    lines += [f"{ts},B-LIS-0001,{dc},main-entrance,{d},{r}" for ts, d, r in rows]
    path.write_text("\n".join(lines) + "\n")
