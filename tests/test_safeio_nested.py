"""byside.safeio folders whose manifest names files in sub-folders (the evidence pack): replaced only
when exactly what was written, nothing foreign deleted, no path out of the folder accepted."""

from pathlib import Path

import pytest

from byside import safeio
from byside.safeio import OutputError


def _bundle(files: dict[str, str]):
    def build(tmp: Path) -> None:
        for name, text in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text)
        (tmp / safeio.MANIFEST).write_text(safeio.manifest_text(tmp, files))
    return build


def _tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_a_nested_folder_is_written_and_replaced_by_the_next_one(tmp_path):
    out = tmp_path / "pack"
    safeio.write_folder(out, _bundle({"index.html": "1", "dc/a/x.json": "2", "dc/b.json": "3"}))
    assert _tree(out) == ["dc", "dc/a", "dc/a/x.json", "dc/b.json", "index.html", "manifest.sha256"]
    safeio.write_folder(out, _bundle({"index.html": "4", "gate/c.json": "5"}))
    assert _tree(out) == ["gate", "gate/c.json", "index.html", "manifest.sha256"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]  # nothing left beside it


@pytest.mark.parametrize("foreign", ["dc/notes.txt", "dc/a/notes.txt", "other/notes.txt"])
def test_a_foreign_file_anywhere_in_it_is_never_replaced(tmp_path, foreign):
    out = tmp_path / "pack"
    safeio.write_folder(out, _bundle({"index.html": "1", "dc/a/x.json": "2"}))
    (out / foreign).parent.mkdir(parents=True, exist_ok=True)
    (out / foreign).write_text("mine")
    with pytest.raises(OutputError, match="not exactly the folder this command wrote before"):
        safeio.write_folder(out, _bundle({"index.html": "3"}))
    assert (out / foreign).read_text() == "mine" and (out / "dc/a/x.json").read_text() == "2"


def test_a_manifest_naming_a_path_out_of_the_folder_is_not_ours(tmp_path):
    out = tmp_path / "pack"
    out.mkdir()
    (out / "manifest.sha256").write_text(f"{'0' * 64}  ../victim.txt\n")
    with pytest.raises(OutputError, match=r"manifest.sha256:1: not a `sha256sum` line"):
        safeio.write_folder(out, _bundle({"a.txt": "1"}))
    assert _tree(out) == ["manifest.sha256"]
