"""The one I/O boundary every command uses: untrusted files read within limits, outputs written so
that nothing is half-written and nothing the command did not write is ever replaced or deleted.

Reading (`read_bytes`, `read_text`, `load_json`):
- a missing file, a folder or an unreadable file is `InputError` (exit 2) naming the file;
- size is capped (`BYSIDE_MAX_INPUT_BYTES`, default 1 GiB) before anything is parsed; pipes and
  process substitutions (`--plan <(pulumi preview --json)`) are read too, up to the same cap;
- text must be UTF-8 (a BOM is dropped); a bad byte is reported with its line and column;
- JSON nesting is capped (`BYSIDE_MAX_JSON_DEPTH`, default 128 — Pulumi state nests a few dozen
  levels) so no reader downstream can overflow the stack; syntax errors carry line:column.

Writing (`write_file`, `write_folder`):
- a file goes to a temporary file in the target's own folder, then `os.replace`s the target, so a
  reader sees the old file or the new one, never a part; the temporary file is removed on every
  way out (errors, Ctrl-C, SIGTERM once byside.cli has turned it into an exception);
- the target must be absent or a regular file; a symlink to a regular file is written *through*
  (the link stays, its target is replaced); a dangling symlink, a folder, a device, a fifo or a
  socket is refused with `OutputError` (exit 2) and left as it is;
- a folder (an audit bundle) is built in a temporary folder beside the target and renamed into
  place. An existing target must be empty or a folder this tool wrote before, recognised by its
  manifest (`manifest.sha256`, `sha256sum` format) listing exactly the regular files in it with
  their current hashes; anything else — an extra file, an edited file, a subfolder, a symlink —
  is refused. (A manifest may name files in sub-folders, `sub/file`: then those sub-folders are
  part of the folder and hold nothing unlisted either; the evidence pack is written so.) The
  previous folder's listed files are removed only after the new one is in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .console import BadInput

MANIFEST = "manifest.sha256"
DEFAULT_MAX_INPUT_BYTES = 1 << 30
DEFAULT_MAX_JSON_DEPTH = 128


class InputError(BadInput):
    """An input file cannot be read or parsed: exit 2, the message names file, line and field."""


class OutputError(BadInput):
    """An output target cannot or must not be written: exit 2, nothing was changed."""


def _limit(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadInput(f"{name}: {raw!r} is not a whole number") from None
    if value < 1:
        raise BadInput(f"{name}: must be at least 1")
    return value


def max_input_bytes() -> int:
    return _limit("BYSIDE_MAX_INPUT_BYTES", DEFAULT_MAX_INPUT_BYTES)


def max_json_depth() -> int:
    return _limit("BYSIDE_MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH)


# ---------------------------------------------------------------- reading


def read_bytes(path: Path | str, max_bytes: int | None = None, what: str = "file") -> bytes:
    """The file's bytes, at most `max_bytes` (default `max_input_bytes()`)."""
    path = Path(path)
    cap = max_bytes or max_input_bytes()
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise InputError(f"{path}: is a folder, not a {what}")
            if stat.S_ISREG(st.st_mode) and st.st_size > cap:
                raise InputError(f"{path}: {st.st_size:,} bytes is more than the limit of {cap:,} "
                                 "(BYSIDE_MAX_INPUT_BYTES)")
            data = fh.read(cap + 1)
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"{path}: is a symlink to a missing file ({os.readlink(path)})") from None
        raise InputError(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a {what}") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    if len(data) > cap:
        raise InputError(f"{path}: more than the limit of {cap:,} bytes (BYSIDE_MAX_INPUT_BYTES)")
    return data


def decode_utf8(data: bytes, source: str) -> str:
    """UTF-8 text (BOM dropped); a bad byte is reported as `source:line:column`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        start = e.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise InputError(f"{source}:{line}:{column}: not UTF-8 text (byte 0x{data[start]:02x})") from None


def read_text(path: Path | str, max_bytes: int | None = None, what: str = "file") -> str:
    return decode_utf8(read_bytes(path, max_bytes, what), str(path))


def check_depth(doc: Any, source: str, limit: int | None = None) -> None:
    """Refuse a document nested deeper than `limit` (iterative: the check itself cannot overflow)."""
    limit = limit or max_json_depth()
    stack = [(doc, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth > limit:
            raise InputError(f"{source}: nested deeper than {limit} levels (BYSIDE_MAX_JSON_DEPTH)")
        children = node.values() if type(node) is dict else node
        for child in children:
            if type(child) is dict or type(child) is list:
                push((child, depth + 1))


def parse_json(text: str, source: str, max_depth: int | None = None) -> Any:
    """Parse JSON text; errors name `source:line:column`; nesting capped."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{source}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    except RecursionError:
        raise InputError(f"{source}: nested deeper than {max_depth or max_json_depth()} levels "
                         "(BYSIDE_MAX_JSON_DEPTH)") from None
    if isinstance(doc, (dict, list)):
        check_depth(doc, source, max_depth)
    return doc


def load_json(path: Path | str, max_bytes: int | None = None, max_depth: int | None = None,
              what: str = "JSON file") -> Any:
    text = read_text(path, max_bytes, what)
    if not text.strip():
        raise InputError(f"{path}: empty file; expected JSON")
    return parse_json(text, str(path), max_depth)


# ---------------------------------------------------------------- writing one file


def check_target(path: Path | str) -> Path:
    """The file `write_file(path, …)` would replace — `path`, or the regular file its symlink
    points at — or OutputError if it may not be written (check several targets before writing any)."""
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return path
    except NotADirectoryError:
        raise OutputError(f"{path}: a part of {path.parent} exists and is not a folder") from None
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from None
    if stat.S_ISLNK(st.st_mode):
        real = Path(os.path.realpath(path))
        try:
            st = os.stat(real)
        except FileNotFoundError:
            raise OutputError(f"{path}: is a symlink to a missing file ({os.readlink(path)}); "
                              "refusing to create its target") from None
        except OSError as e:
            raise OutputError(f"{path}: cannot write: {e.strerror or e}") from None
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"{path}: is a symlink to {real}, which is not a regular file; refusing to replace it")
        return real
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: is a folder; give a file name")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                "a fifo" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a file")
        raise OutputError(f"{path}: is {kind}, not a regular file; refusing to replace it")
    return path


def _mkdirs(folder: Path, shown: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{shown}: {folder} exists and is not a folder") from None
    except NotADirectoryError:
        raise OutputError(f"{shown}: a part of {folder} is a file, not a folder") from None
    except OSError as e:
        raise OutputError(f"{shown}: cannot create folder {folder}: {e.strerror or e}") from None
    if not folder.is_dir():
        raise OutputError(f"{shown}: {folder} is not a folder")


def write_file(path: Path | str, data: str | bytes) -> Path:
    """Write `data` (str as UTF-8) to `path` atomically; returns the file actually written (the
    symlink's target when `path` is a symlink). Parent folders are created."""
    path = Path(path)
    target = check_target(path)
    _mkdirs(target.parent, path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise OutputError(f"{path}: cannot write in {target.parent}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


# ---------------------------------------------------------------- writing a folder


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def manifest_text(folder: Path, names: Iterable[str]) -> str:
    """`sha256sum` format, sorted by name: `<hex>  <name>` per line."""
    return "".join(f"{sha256_file(folder / n)}  {n}\n" for n in sorted(names))


def read_manifest(folder: Path, manifest: str = MANIFEST) -> dict[str, str]:
    """name -> hex digest from `folder/manifest`; OutputError when it is not one."""
    text = read_text(folder / manifest, what="manifest")
    out: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        digest, sep, name = line.partition("  ")
        # a name may be a relative path into a sub-folder (the evidence pack), never out of the folder
        if not sep or len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest) or not name \
                or any(part in ("", ".", "..") for part in name.split("/")) or name in out:
            raise InputError(f"{folder / manifest}:{lineno}: not a `sha256sum` line (<sha256>  <name>)")
        out[name] = digest
    return out


def manifest_problems(folder: Path, manifest: str = MANIFEST, companions: Iterable[str] = ()) -> list[str]:
    """Why `folder` is not exactly what its manifest says (empty list: it is). `companions` are files
    allowed beside the manifest without being listed in it (e.g. its signature)."""
    try:
        listed = read_manifest(folder, manifest)
    except InputError as e:
        return [str(e)]
    allowed = {manifest, *companions}
    problems = []
    present = {}
    # Sub-folders only as the manifest names files in them (the evidence pack); otherwise flat.
    holders = {"/".join(n.split("/")[:i]) for n in listed if "/" in n for i in range(1, n.count("/") + 1)}
    pending = [""]
    while pending:
        sub = pending.pop(0)
        for name in sorted(os.listdir(folder / sub) if sub else os.listdir(folder)):
            entry = f"{sub}/{name}" if sub else name
            p = folder / entry
            st = os.lstat(p)
            if stat.S_ISDIR(st.st_mode) and entry in holders:
                pending.append(entry)
            elif not stat.S_ISREG(st.st_mode):
                problems.append(f"{entry}: not a regular file")
            elif entry not in listed and (sub or entry not in allowed):
                problems.append(f"{entry}: not listed in {manifest}")
            else:
                present[entry] = p
    for name, digest in sorted(listed.items()):
        if name not in present:
            problems.append(f"{name}: listed in {manifest} but missing")
        elif sha256_file(present[name]) != digest:
            problems.append(f"{name}: changed since it was written (hash differs from {manifest})")
    return problems


def _replaceable(out_dir: Path, manifest: str, companions: tuple[str, ...]) -> list[str]:
    """The names to remove from an existing `out_dir` once the new folder is in place."""
    try:
        st = os.lstat(out_dir)
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise OutputError(f"{out_dir}: a part of {out_dir.parent} exists and is not a folder") from None
    except OSError as e:
        raise OutputError(f"{out_dir}: cannot write: {e.strerror or e}") from None
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(f"{out_dir}: is a symlink; give the folder itself")
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{out_dir}: exists and is not a folder")
    entries = os.listdir(out_dir)
    if not entries:
        return []
    if manifest not in entries:
        raise OutputError(f"{out_dir}: not empty and not a folder this command wrote (no {manifest}); "
                          "refusing to replace it — choose an empty or new folder")
    problems = manifest_problems(out_dir, manifest, companions)
    if problems:
        raise OutputError(f"{out_dir}: not exactly the folder this command wrote before, refusing to replace it: "
                          + "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else ""))
    return sorted(set(read_manifest(out_dir, manifest)) | {e for e in entries if e == manifest or e in companions})


def write_folder(out_dir: Path | str, build: Callable[[Path], None], manifest: str = MANIFEST,
                 companions: Iterable[str] = ()) -> Path:
    """Build a folder with `build(tmp)` — which must write `manifest` listing every file it wrote
    (plus, optionally, the `companions`) — and put it at `out_dir` atomically."""
    out_dir = Path(out_dir)
    companions = tuple(companions)
    old_entries = _replaceable(out_dir, manifest, companions)
    parent = Path(os.path.abspath(out_dir)).parent
    _mkdirs(parent, out_dir)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=parent))
    except OSError as e:
        raise OutputError(f"{out_dir}: cannot write in {parent}: {e.strerror or e}") from None
    try:
        build(tmp)
        problems = manifest_problems(tmp, manifest, companions)
        if problems:  # a bug in the writer, not bad input: the next run could not recognise the folder
            raise RuntimeError(f"the folder built for {out_dir} does not match its manifest: {'; '.join(problems)}")
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
        _swap(tmp, out_dir, old_entries)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"{out_dir}: cannot write: {e.strerror or e}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _swap(tmp: Path, out_dir: Path, old_entries: list[str]) -> None:
    if not out_dir.exists():
        os.rename(tmp, out_dir)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=tmp.parent))
    os.rmdir(aside)
    os.rename(out_dir, aside)
    try:
        os.rename(tmp, out_dir)
    except BaseException:
        os.rename(aside, out_dir)
        raise
    # Only what was checked to be ours goes; if anything else appeared meanwhile, it stays.
    for name in old_entries:
        (aside / name).unlink(missing_ok=True)
    folders = {"/".join(n.split("/")[:i]) for n in old_entries if "/" in n for i in range(1, n.count("/") + 1)}
    for sub in sorted(folders, key=lambda f: -f.count("/")) + [""]:  # deepest first, then the folder itself
        try:
            os.rmdir(aside / sub if sub else aside)
        except OSError:
            pass
