"""The base commit of a change, checked out beside the working tree: a temporary `git worktree`
(detached, in a fresh temporary folder), removed afterwards whatever happens. The working tree
and its index are never touched; only git's own worktree list gains an entry for the run."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..console import BadInput

TIMEOUT_S = 120


def git(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=TIMEOUT_S)
    except FileNotFoundError:
        raise BadInput("byside diff needs git on PATH") from None
    except subprocess.TimeoutExpired:
        raise BadInput(f"git {' '.join(args)}: no answer in {TIMEOUT_S} s") from None
    if proc.returncode != 0:
        raise BadInput(f"git {' '.join(args)} in {root}: {proc.stderr.strip() or f'exit {proc.returncode}'}")
    return proc.stdout.strip()


def toplevel(project: Path) -> Path:
    return Path(git(project, "rev-parse", "--show-toplevel")).resolve()


def _exists(root: Path, ref: str) -> bool:
    return subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                          capture_output=True, text=True).returncode == 0


def default_branch(root: Path) -> str:
    """The default branch: origin's HEAD (what a clone or `actions/checkout` records), else the
    first of main, master, origin/main, origin/master that exists."""
    head = subprocess.run(["git", "-C", str(root), "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"],
                          capture_output=True, text=True)
    if head.returncode == 0 and head.stdout.strip() and _exists(root, head.stdout.strip()):
        return head.stdout.strip()
    for ref in ("main", "master", "origin/main", "origin/master"):
        if _exists(root, ref):
            return ref
    raise BadInput(f"{root}: no default branch found (main, master, origin/HEAD): give the base with --base REF")


def resolve_base(root: Path, base: str | None) -> tuple[str, str]:
    """(what to call it, commit): `base` itself, or the merge base of HEAD with the default branch."""
    if base:
        if not _exists(root, base):
            raise BadInput(f"--base: {base!r} is not a commit of {root}")
        return base, git(root, "rev-parse", f"{base}^{{commit}}")
    branch = default_branch(root)
    return f"merge-base(HEAD, {branch})", git(root, "merge-base", "HEAD", branch)


@contextmanager
def checkout(root: Path, commit: str) -> Iterator[Path]:
    """The commit's tree in a temporary worktree (its path); removed on exit."""
    tmp = Path(tempfile.mkdtemp(prefix="byside-diff-"))
    path = tmp / "base"
    try:
        git(root, "worktree", "add", "--detach", "--quiet", str(path), commit)
        yield path
    finally:
        if path.exists():
            subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(path)],
                           capture_output=True, text=True)
        subprocess.run(["git", "-C", str(root), "worktree", "prune"], capture_output=True, text=True)
        shutil.rmtree(tmp, ignore_errors=True)
