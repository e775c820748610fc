"""byside/safeio.py: reading within limits, writing without ever replacing what is not ours."""

from __future__ import annotations

import os
import signal
import socket
import stat
from pathlib import Path

import pytest

from byside import safeio
from byside.safeio import InputError, OutputError


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# ---------------------------------------------------------------- reading


def test_json_errors_name_file_line_and_column(tmp_path):
    f = tmp_path / "plan.json"
    f.write_text('{\n  "a": 1,\n  "b": \n}\n')
    with pytest.raises(InputError, match=r"plan\.json:4:1: not valid JSON: Expecting value$"):
        safeio.load_json(f)


@pytest.mark.parametrize("depth", [129, 500, 100_000])
def test_json_nested_deeper_than_the_limit_is_refused(tmp_path, depth):
    f = tmp_path / "deep.json"
    f.write_text("[" * depth + "]" * depth)
    with pytest.raises(InputError, match=r"deep\.json: nested deeper than 128 levels \(BYSIDE_MAX_JSON_DEPTH\)$"):
        safeio.load_json(f)


def test_json_at_the_depth_limit_is_read(tmp_path):
    f = tmp_path / "ok.json"
    f.write_text("[" * 128 + "]" * 128)
    doc = safeio.load_json(f)
    for _ in range(127):
        doc = doc[0]
    assert doc == []


def test_depth_limit_is_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("BYSIDE_MAX_JSON_DEPTH", "3")
    f = tmp_path / "x.json"
    f.write_text('{"a": {"b": [1]}}')
    assert safeio.load_json(f) == {"a": {"b": [1]}}
    f.write_text('{"a": {"b": [[1]]}}')
    with pytest.raises(InputError, match="nested deeper than 3 levels"):
        safeio.load_json(f)


def test_non_utf8_byte_is_reported_with_its_line_and_column(tmp_path):
    f = tmp_path / "we1.yaml"
    f.write_bytes(b"a: 1\n" * 73 + b"name: caf\xe9\n")
    with pytest.raises(InputError, match=r"we1\.yaml:74:10: not UTF-8 text \(byte 0xe9\)$"):
        safeio.read_text(f)


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("BYSIDE_MAX_INPUT_BYTES", "10")
    f = tmp_path / "big.json"
    f.write_text("[" + "1," * 10 + "1]")
    with pytest.raises(InputError, match=r"big\.json: 23 bytes is more than the limit of 10"):
        safeio.load_json(f)


def test_pipes_are_read_up_to_the_limit(tmp_path, monkeypatch):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # writer
        try:
            with open(fifo, "wb") as fh:
                fh.write(b'{"steps": []}')
        finally:
            os._exit(0)
    assert safeio.load_json(fifo) == {"steps": []}
    os.waitpid(pid, 0)


@pytest.mark.parametrize("make, message", [
    (lambda p: None, "no such file"),
    (lambda p: p.mkdir(), "is a folder, not a file"),
    (lambda p: p.symlink_to(p.parent / "gone"), "is a symlink to a missing file"),
])
def test_missing_folder_and_dangling_link_are_input_errors(tmp_path, make, message):
    p = tmp_path / "in.json"
    make(p)
    with pytest.raises(InputError, match=message):
        safeio.read_bytes(p)


def test_empty_json_file_is_an_error(tmp_path):
    f = tmp_path / "e.json"
    f.write_text("  \n")
    with pytest.raises(InputError, match=r"e\.json: empty file; expected JSON"):
        safeio.load_json(f)


# ---------------------------------------------------------------- writing a file


def test_write_file_replaces_a_regular_file_and_keeps_its_mode(tmp_path):
    f = tmp_path / "report.json"
    f.write_text("old")
    f.chmod(0o640)
    assert safeio.write_file(f, "new") == f
    assert f.read_text() == "new"
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert _listing(tmp_path) == ["report.json"]


def test_write_file_creates_parent_folders(tmp_path):
    f = tmp_path / "a" / "b" / "r.txt"
    safeio.write_file(f, b"x")
    assert f.read_bytes() == b"x"


def test_write_file_writes_through_a_symlink_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert safeio.write_file(link, "new") == real
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"


def test_dangling_symlink_is_refused_and_left_alone(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match="is a symlink to a missing file"):
        safeio.write_file(link, "x")
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


def test_a_folder_is_refused_and_no_temporary_file_is_left(tmp_path):
    d = tmp_path / "out"
    d.mkdir()
    with pytest.raises(OutputError, match="is a folder; give a file name"):
        safeio.write_file(d, "x")
    assert _listing(tmp_path) == ["out"] and _listing(d) == []


def test_fifo_and_socket_are_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="is a fifo, not a regular file; refusing to replace it"):
        safeio.write_file(fifo, "x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    sock_path = tmp_path / "s"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(sock_path))
    try:
        with pytest.raises(OutputError, match="is a socket"):
            safeio.write_file(sock_path, "x")
    finally:
        s.close()


def test_a_device_is_refused(tmp_path):
    with pytest.raises(OutputError, match="/dev/null: is a device, not a regular file; refusing to replace it"):
        safeio.write_file(Path("/dev/null"), "x")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_symlink_to_a_device_is_refused(tmp_path):
    link = tmp_path / "full"
    link.symlink_to("/dev/null")
    with pytest.raises(OutputError, match="which is not a regular file"):
        safeio.write_file(link, "x")


def test_a_file_used_as_a_folder_is_refused(tmp_path):
    f = tmp_path / "file"
    f.write_text("keep")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        safeio.write_file(f / "sub", "x")
    assert f.read_text() == "keep"


def test_an_unwritable_place_is_an_output_error():
    with pytest.raises(OutputError, match="^/proc/byside-x: cannot write"):
        safeio.write_file(Path("/proc/byside-x"), "x")


def test_interrupt_while_writing_leaves_no_temporary_file(tmp_path, monkeypatch):
    f = tmp_path / "r.txt"
    f.write_text("old")

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        safeio.write_file(f, "new")
    assert _listing(tmp_path) == ["r.txt"] and f.read_text() == "old"


# ---------------------------------------------------------------- writing a folder


def _bundle(files: dict[str, str]):
    def build(tmp: Path) -> None:
        for name, text in files.items():
            (tmp / name).write_text(text)
        (tmp / safeio.MANIFEST).write_text(safeio.manifest_text(tmp, files))
    return build


def test_write_folder_creates_and_then_replaces_its_own_folder(tmp_path):
    out = tmp_path / "review"
    safeio.write_folder(out, _bundle({"a.txt": "1", "b.txt": "2"}))
    assert _listing(out) == ["a.txt", "b.txt", "manifest.sha256"]
    safeio.write_folder(out, _bundle({"c.txt": "3"}))
    assert _listing(out) == ["c.txt", "manifest.sha256"]
    assert _listing(tmp_path) == ["review"]  # nothing left beside it


def test_an_empty_existing_folder_is_used(tmp_path):
    out = tmp_path / "review"
    out.mkdir()
    safeio.write_folder(out, _bundle({"a.txt": "1"}))
    assert _listing(out) == ["a.txt", "manifest.sha256"]


def test_a_folder_with_a_foreign_file_is_never_replaced(tmp_path):
    out = tmp_path / "review"
    safeio.write_folder(out, _bundle({"a.txt": "1"}))
    (out / "important.txt").write_text("mine")
    with pytest.raises(OutputError, match="important.txt: not listed in manifest.sha256"):
        safeio.write_folder(out, _bundle({"a.txt": "2"}))
    assert (out / "important.txt").read_text() == "mine" and (out / "a.txt").read_text() == "1"
    assert _listing(tmp_path) == ["review"]


def test_a_folder_whose_manifest_lists_other_files_is_not_ours(tmp_path):
    out = tmp_path / "x"
    out.mkdir()
    (out / "manifest.sha256").write_text(f"{'0' * 64}  other.txt\n")
    (out / "important.txt").write_text("mine")
    with pytest.raises(OutputError, match="not exactly the folder this command wrote before"):
        safeio.write_folder(out, _bundle({"a.txt": "1"}))
    assert _listing(out) == ["important.txt", "manifest.sha256"]


def test_an_edited_file_makes_the_folder_not_ours(tmp_path):
    out = tmp_path / "review"
    safeio.write_folder(out, _bundle({"a.txt": "1"}))
    (out / "a.txt").write_text("edited by the reviewer")
    with pytest.raises(OutputError, match="a.txt: changed since it was written"):
        safeio.write_folder(out, _bundle({"a.txt": "2"}))
    assert (out / "a.txt").read_text() == "edited by the reviewer"


def test_a_folder_without_manifest_is_refused(tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not empty and not a folder this command wrote"):
        safeio.write_folder(out, _bundle({"a.txt": "1"}))
    assert _listing(out) == ["notes.txt"]


def test_a_subfolder_makes_the_folder_not_ours(tmp_path):
    out = tmp_path / "review"
    safeio.write_folder(out, _bundle({"a.txt": "1"}))
    (out / "signed").mkdir()
    with pytest.raises(OutputError, match="signed: not a regular file"):
        safeio.write_folder(out, _bundle({"a.txt": "2"}))
    assert (out / "signed").is_dir()


def test_companion_files_are_allowed_beside_the_manifest(tmp_path):
    out = tmp_path / "signed"

    def build(tmp):
        _bundle({"a.txt": "1"})(tmp)
        (tmp / "manifest.sha256.sig").write_text("sig")

    safeio.write_folder(out, build, companions=["manifest.sha256.sig"])
    safeio.write_folder(out, build, companions=["manifest.sha256.sig"])
    assert _listing(out) == ["a.txt", "manifest.sha256", "manifest.sha256.sig"]


def test_symlinked_or_file_targets_are_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(OutputError, match="is a symlink; give the folder itself"):
        safeio.write_folder(link, _bundle({"a.txt": "1"}))
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        safeio.write_folder(f, _bundle({"a.txt": "1"}))
    assert _listing(real) == [] and f.read_text() == "x"


def test_a_failing_build_leaves_nothing_and_keeps_the_previous_folder(tmp_path):
    out = tmp_path / "review"
    safeio.write_folder(out, _bundle({"a.txt": "1"}))

    def broken(tmp):
        (tmp / "half.txt").write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        safeio.write_folder(out, broken)
    assert _listing(tmp_path) == ["review"] and _listing(out) == ["a.txt", "manifest.sha256"]


def test_a_build_that_forgets_its_manifest_is_a_bug_not_a_folder(tmp_path):
    def no_manifest(tmp):
        (tmp / "a.txt").write_text("1")

    with pytest.raises(RuntimeError, match="does not match its manifest"):
        safeio.write_folder(tmp_path / "out", no_manifest)
    assert _listing(tmp_path) == []


def test_sigterm_during_a_write_cleans_up(tmp_path):
    """The CLI turns SIGTERM into an exception (byside.cli.Terminated), so the temp folder goes."""
    from byside.cli import Terminated, _on_sigterm

    old = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        def build(tmp):
            (tmp / "a.txt").write_text("1")
            os.kill(os.getpid(), signal.SIGTERM)

        with pytest.raises(Terminated):
            safeio.write_folder(tmp_path / "out", build)
    finally:
        signal.signal(signal.SIGTERM, old)
    assert _listing(tmp_path) == []
