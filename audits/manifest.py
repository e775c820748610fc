"""Reading and checking the ``manifest.sha256`` of an exported folder (written by audits/export.py).

A folder verifies when every file its manifest lists is there with the listed SHA-256, and nothing
else is: no file added, none missing. Names the caller allows beside the manifest (a signature
over it, a sub-folder written later) are the only exceptions.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

MANIFEST = "manifest.sha256"
_LINE = re.compile(r"^([0-9a-f]{64})  (\S(?:.*\S)?)$")


class ManifestError(Exception):
    """The folder has no readable manifest: it cannot be checked at all."""


def read_manifest(folder: Path) -> dict[str, str]:
    """name -> hex digest, in the manifest's order; ManifestError if missing or malformed."""
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ManifestError(f"{folder}: no {MANIFEST} (not an exported folder)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read ({exc})") from None
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        m = _LINE.match(line)
        if not m or ".." in Path(m.group(2)).parts or m.group(2).startswith("/"):
            raise ManifestError(f"{path}:{n}: not a `<sha256>  <name>` line")
        if m.group(2) in out:
            raise ManifestError(f"{path}:{n}: {m.group(2)} listed twice")
        out[m.group(2)] = m.group(1)
    if not out:
        raise ManifestError(f"{path}: empty manifest")
    return out


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def check_folder(folder: Path, allowed: tuple[str, ...] = ()) -> list[str]:
    """Every problem with ``folder`` against its manifest (empty list: it verifies).

    ``allowed``: names (files or folders, relative to ``folder``) that may exist without being listed."""
    listed = read_manifest(folder)
    problems = []
    for name, digest in listed.items():
        p = folder / name
        if p.is_symlink() or not p.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(p) != digest:
            problems.append(f"{name}: changed since it was written (SHA-256 differs from {MANIFEST})")
    reported: list[str] = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if rel == MANIFEST or rel in listed or any(rel == a or rel.startswith(a + "/") for a in allowed + tuple(reported)):
            continue
        if p.is_dir() and not p.is_symlink() and any(k.startswith(rel + "/") for k in listed):
            continue
        problems.append(f"{rel}{'/' if p.is_dir() else ''}: not listed in {MANIFEST} (added after the export)")
        if p.is_dir():
            reported.append(rel)  # one line for a whole added folder
    return problems
