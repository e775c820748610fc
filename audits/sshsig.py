"""SSH signatures without a service: ``ssh-keygen -Y sign`` / ``-Y verify`` (the mechanism git uses
for signed commits), over bytes held in memory. The private key is only ever a path handed to
ssh-keygen; nothing here reads it, and ssh-keygen's messages never contain it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

NAMESPACE = "byside-review"
TIMEOUT = 60


class SignatureError(Exception):
    """Signing was impossible (no ssh-keygen, unusable key) — bad input, exit 2."""


@dataclass(frozen=True)
class Verified:
    principal: str
    key: str  # "ED25519 key SHA256:..." as ssh-keygen reports it


def _keygen() -> str:
    exe = shutil.which("ssh-keygen")
    if exe is None:
        raise SignatureError("ssh-keygen not found on PATH (OpenSSH 8.1 or later is needed for -Y sign/verify)")
    return exe


def _run(args: list[str], data: bytes | None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([_keygen(), *args], input=data, capture_output=True, timeout=TIMEOUT,
                              stdin=None if data is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise SignatureError(f"ssh-keygen {args[0]} {args[1]} did not finish within {TIMEOUT} s "
                             "(waiting for a passphrase? load the key into ssh-agent)") from None


def _said(proc: subprocess.CompletedProcess) -> str:
    lines = [x for x in proc.stderr.decode("utf-8", "replace").splitlines() + proc.stdout.decode("utf-8", "replace").splitlines()
             if x.strip() and not x.startswith("Signing data on standard input")]
    return "; ".join(lines) or f"exit status {proc.returncode}"


def sign(data: bytes, key: Path, namespace: str = NAMESPACE) -> bytes:
    """The armoured SSH signature of ``data`` (``-----BEGIN SSH SIGNATURE-----``)."""
    key = Path(key)
    if not key.is_file():
        raise SignatureError(f"--key {key}: no such file")
    proc = _run(["-Y", "sign", "-f", str(key), "-n", namespace], data)
    if proc.returncode != 0 or not proc.stdout.startswith(b"-----BEGIN SSH SIGNATURE-----"):
        raise SignatureError(f"--key {key}: ssh-keygen could not sign ({_said(proc)})")
    return proc.stdout


def verify(data: bytes, signature: bytes, allowed_signers: Path, namespace: str = NAMESPACE,
           principal: str | None = None) -> Verified | str:
    """A :class:`Verified` when ``signature`` is a good signature over ``data`` by a key that
    ``allowed_signers`` trusts for ``namespace`` (as ``principal`` when given); else the reason, as text."""
    with tempfile.TemporaryDirectory(prefix="byside-sig-") as tmp:
        sig = Path(tmp) / "data.sig"
        sig.write_bytes(signature)
        os.chmod(sig, 0o600)
        if principal is None:
            found = _run(["-Y", "find-principals", "-s", str(sig), "-f", str(allowed_signers)], None)
            names = [x for x in found.stdout.decode("utf-8", "replace").splitlines() if x.strip()]
            if found.returncode != 0 or not names:
                return f"the signing key is not in {allowed_signers} ({_said(found)})"
            candidates = names
        else:
            candidates = [principal]
        last = ""
        for who in candidates:
            proc = _run(["-Y", "verify", "-f", str(allowed_signers), "-I", who, "-n", namespace, "-s", str(sig)], data)
            if proc.returncode == 0:
                m = re.search(r"with (.+? key \S+)", proc.stdout.decode("utf-8", "replace"))
                return Verified(who, m.group(1) if m else "")
            last = _said(proc)
        return f"signature does not verify ({last})"


def check_allowed_signers(path: Path) -> None:
    """An allowed-signers file that exists and is readable (its syntax is ssh-keygen's to judge)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SignatureError(f"--allowed-signers {path}: cannot read ({exc})") from None
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise SignatureError(f"--allowed-signers {path}: no signer in it")
