"""Hostile output targets (issue 10, class "Output paths"), for every command that writes: nothing
that is not a regular file of ours is replaced, nothing is left behind, "wrote" only when written."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from tests.cli import invoke
from tests.motoserver import client

from .conftest import FAST_GATE, dc_access_args, no_traceback

FILE_WRITERS = {
    "check": lambda out: ["check", *FAST_GATE, "--format", "json", "--out", str(out)],
    "controls": lambda out: ["controls", "--plan", FAST_GATE[1], "--no-checkov", "--format", "json", "--out", str(out)],
    "drift": lambda out: ["drift", "--zone", "we1", "--cloud", "aws", "--format", "json", "--out", str(out)],
    "preview --out": lambda out: ["preview", "--zone", "we1", "--out", str(out)],
    "preview --out-dir": lambda out: ["preview", "--zone", "we1", "--out-dir", str(out.parent if out.name == "we1.json"
                                                                                   else out)],
}
FOLDER_WRITERS = {
    "audit dc-access": lambda out: dc_access_args(out),
    "audit access": lambda out: ["audit", "access", "--out", str(out)],
}


@pytest.fixture
def place(tmp_path, aws):  # aws: drift and `audit access` read a fresh moto account (AWS_ENDPOINT_URL)
    """A folder with a regular file, a symlink to it, a dangling symlink, a folder and a file."""
    d = tmp_path / "place"
    d.mkdir()
    (d / "real.txt").write_text("keep me")
    (d / "link").symlink_to(d / "real.txt")
    (d / "dangling").symlink_to(d / "missing.txt")
    (d / "folder").mkdir()
    (d / "afile").write_text("a file")
    return d


def says_wrote(output: str) -> bool:
    """The commands' success line: "wrote FILE ...", "...; wrote FILE", "wrote N files to DIR"."""
    return re.search(r"(^|; )wrote ", output, re.M) is not None


def snapshot(folder: Path) -> dict[str, tuple]:
    out = {}
    for p in sorted(folder.rglob("*")):
        st = os.lstat(p)
        out[str(p.relative_to(folder))] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns,
                                           os.readlink(p) if p.is_symlink() else None)
    return out


def refused(args, message_part: str, place: Path) -> None:
    before = snapshot(place)
    r = invoke(*args)
    no_traceback(r)
    assert r.exit_code == 2, r.output
    assert message_part in r.stderr, r.stderr
    assert not says_wrote(r.output)
    assert snapshot(place) == before  # nothing touched, no temporary file left


def target_for(name: str, place: Path, leaf: str) -> Path:
    # `preview --out-dir` names a folder: its file is <folder>/we1.json, so the hostile leaf is that file.
    return place / leaf / "we1.json" if name == "preview --out-dir" and leaf == "folder" else place / leaf


@pytest.mark.parametrize("name", sorted(FILE_WRITERS))
def test_an_existing_folder_is_refused(place, name):
    if name == "preview --out-dir":  # a folder is what it takes; a folder where its file goes is refused
        (place / "folder" / "we1.json").mkdir()
        refused(FILE_WRITERS[name](place / "folder"), "we1.json: is a folder; give a file name", place)
    else:
        refused(FILE_WRITERS[name](place / "folder"), f"{place / 'folder'}: is a folder; give a file name", place)


@pytest.mark.parametrize("name", sorted(FILE_WRITERS))
def test_a_file_used_as_a_folder_is_refused(place, name):
    target = place / "afile" / ("sub" if name != "preview --out-dir" else "sub/we1.json")
    args = FILE_WRITERS[name](target if name != "preview --out-dir" else place / "afile" / "sub")
    refused(args, "exists and is not a folder", place)


@pytest.mark.parametrize("name", sorted(FILE_WRITERS))
def test_a_dangling_symlink_is_refused(place, name):
    if name == "preview --out-dir":
        (place / "folder" / "we1.json").symlink_to(place / "nowhere.json")
        refused(FILE_WRITERS[name](place / "folder"), "is a symlink to a missing file", place)
    else:
        refused(FILE_WRITERS[name](place / "dangling"), "is a symlink to a missing file", place)


@pytest.mark.parametrize("name", sorted(FILE_WRITERS))
def test_proc_is_refused(name, aws):
    r = invoke(*FILE_WRITERS[name](Path("/proc/x")))
    no_traceback(r)
    assert r.exit_code == 2 and "/proc" in r.stderr and not says_wrote(r.output)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root (and so does replacing one)")
@pytest.mark.parametrize("name", sorted(FILE_WRITERS))
def test_a_device_is_refused_never_replaced(place, name):
    # A node of our own with /dev/full's numbers: the machine's /dev/full is never put at risk.
    dev = place / ("folder/we1.json" if name == "preview --out-dir" else "full")
    os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    args = FILE_WRITERS[name](place / "folder" if name == "preview --out-dir" else dev)
    refused(args, "is a device, not a regular file; refusing to replace it", place)
    assert stat.S_ISCHR(os.lstat(dev).st_mode)


@pytest.mark.parametrize("name", ["check", "controls", "drift"])
def test_a_symlink_is_written_through_and_kept(place, name):
    r = invoke(*FILE_WRITERS[name](place / "link"))
    no_traceback(r)
    assert r.exit_code in (0, 1), r.output
    assert (place / "link").is_symlink() and os.readlink(place / "link") == str(place / "real.txt")
    assert json.loads((place / "real.txt").read_text())  # the link's target holds the whole report
    assert sorted(p.name for p in place.iterdir()) == ["afile", "dangling", "folder", "link", "real.txt"]


def test_preview_writes_through_a_symlink_and_leaves_no_temporary_file(place):
    # Before: the link was replaced by a regular file (and /dev/full by a text file).
    r = invoke(*FILE_WRITERS["preview --out"](place / "link"))
    no_traceback(r)
    assert r.exit_code == 0, r.output
    assert (place / "link").is_symlink()
    assert json.loads((place / "real.txt").read_text())["version"] == 3
    assert sorted(p.name for p in place.iterdir()) == ["afile", "dangling", "folder", "link", "real.txt"]


# ---------------------------------------------------------------- folders (the audits)


@pytest.mark.parametrize("name", sorted(FOLDER_WRITERS))
def test_a_folder_with_a_foreign_file_and_a_manifest_is_never_replaced(place, name):
    # Before: dc-access replaced the folder, deleting important.txt, because it held a manifest.sha256.
    out = place / "folder"
    (out / "important.txt").write_text("not yours")
    (out / "manifest.sha256").write_text("0" * 64 + "  review.json\n")
    refused(FOLDER_WRITERS[name](out), "not exactly the folder this command wrote before, refusing to replace it",
            place)
    assert (out / "important.txt").read_text() == "not yours"


@pytest.mark.parametrize("name", sorted(FOLDER_WRITERS))
def test_a_folder_without_a_manifest_is_never_replaced(place, name):
    (place / "folder" / "important.txt").write_text("not yours")
    refused(FOLDER_WRITERS[name](place / "folder"), "not empty and not a folder this command wrote", place)


@pytest.mark.parametrize("name", sorted(FOLDER_WRITERS))
@pytest.mark.parametrize("leaf, message", [
    ("afile", "exists and is not a folder"),
    ("afile/sub", "exists and is not a folder"),
    ("link", "is a symlink; give the folder itself"),
])
def test_audit_targets_that_are_not_folders_are_refused(place, name, leaf, message):
    refused(FOLDER_WRITERS[name](place / leaf), message, place)


@pytest.mark.parametrize("name", sorted(FOLDER_WRITERS))
def test_an_audit_replaces_only_its_own_folder(place, name):
    if name == "audit access":
        client("iam").create_user(UserName="alice")
    out = place / "bundle"
    for _ in range(2):  # the second run replaces what the first wrote
        r = invoke(*FOLDER_WRITERS[name](out))
        no_traceback(r)
        assert r.exit_code == 0, r.output
        assert f"files to {out}" in r.output
    (out / "notes.txt").write_text("mine now")
    refused(FOLDER_WRITERS[name](out), "notes.txt: not listed in manifest.sha256", place)


@pytest.mark.parametrize("name", sorted(FOLDER_WRITERS))
def test_audit_out_under_proc_is_refused(name, aws):
    r = invoke(*FOLDER_WRITERS[name](Path("/proc/x")))
    no_traceback(r)
    assert r.exit_code == 2 and "/proc" in r.stderr and not says_wrote(r.output)
