import shutil
from pathlib import Path

import pytest

import zones

SRC = zones.PACKAGE_DIR


@pytest.fixture
def zdir(tmp_path, monkeypatch):
    """A private copy of zones/*.yaml; messages name files relative to tmp_path."""
    d = tmp_path / "zones"
    d.mkdir()
    for p in SRC.glob("*.yaml"):
        shutil.copy(p, d / p.name)
    monkeypatch.chdir(tmp_path)
    return d


def edit(d: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = d / name
    text = path.read_text()
    assert text.count(old) >= count, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, count))


def errors(d: Path) -> list[str]:
    platform, issues = zones.load(d)
    out = [str(i) for i in issues if i.severity == "error"]
    return out


def warnings(d: Path) -> list[str]:
    _, issues = zones.load(d)
    return [str(i) for i in issues if i.severity == "warning"]
