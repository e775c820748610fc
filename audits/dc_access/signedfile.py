"""Reading a signed review folder (written by ``byside audit dc-access sign``) and checking it:
its manifest (nothing added, changed or missing) and, given an allowed-signers file, the SSH
signature over that manifest. Used by ``verify``, by the next year's review (``--previous``) and by
the evidence pack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from audits.sshsig import SignatureError, Verified, verify
from byside.safeio import MANIFEST, manifest_problems

SIGNED_FORMAT = "byside-dc-review-signed/1"
SIGNED_JSON = "signed-review.json"
SIGNATURE = MANIFEST + ".sig"


@dataclass
class FolderCheck:
    folder: Path
    problems: list[str] = field(default_factory=list)  # manifest problems, a bad signature
    doc: dict | None = None                             # signed-review.json when readable
    signed: bool = False                                # a signature file is present
    verified: Verified | None = None                    # set when the signature verified

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def signature_status(self) -> str:
        if self.verified is not None:
            return f"verified: signed by {self.verified.principal} ({self.verified.key})"
        if not self.signed:
            return "unsigned (no SSH signature)"
        return "signature present, not verified (no --allowed-signers)"


def signed_folder(path: Path) -> Path:
    """The folder of a signed review given as the folder or as its signed-review.json."""
    path = Path(path)
    return path.parent if path.name == SIGNED_JSON and path.is_file() else path


def is_signed_review(path: Path) -> bool:
    return (signed_folder(path) / SIGNED_JSON).is_file()


def load_json(path: Path, label: str) -> object:
    """JSON through byside.safeio (size and nesting capped); ValueError naming ``label`` when unreadable."""
    from byside.safeio import InputError, load_json as safe_load

    if not path.is_file():
        raise ValueError(f"{label}: no {path.name}")
    try:
        return safe_load(path)
    except InputError as exc:
        text = str(exc)
        if label.endswith(str(path)) and text.startswith(str(path)):  # name the file once, keep line:column
            raise ValueError(label + text[len(str(path)):]) from None
        raise ValueError(f"{label}: {text}") from None


def check_signed(path: Path, allowed_signers: Path | None = None, principal: str | None = None) -> FolderCheck:
    """Every problem with a signed folder. Raises ValueError when it is not a signed review at all."""
    folder = signed_folder(path)
    label = f"signed review {folder}"
    if not folder.is_dir():
        raise ValueError(f"{label}: no such folder")
    doc = load_json(folder / SIGNED_JSON, label)
    if not isinstance(doc, dict) or doc.get("format") != SIGNED_FORMAT:
        raise ValueError(f"{label}: {SIGNED_JSON} is not a signed DC access review (format {SIGNED_FORMAT})")
    result = FolderCheck(folder, doc=doc, signed=(folder / SIGNATURE).is_file())
    result.problems += manifest_problems(folder, companions=(SIGNATURE,))
    if not (folder / MANIFEST).is_file():
        return result
    if allowed_signers is not None:
        if not result.signed:
            result.problems.append(f"{SIGNATURE}: missing — the folder is not signed")
            return result
        manifest = (folder / MANIFEST).read_bytes()
        try:
            outcome = verify(manifest, (folder / SIGNATURE).read_bytes(), allowed_signers, principal=principal)
        except SignatureError as exc:
            raise ValueError(str(exc)) from None
        if isinstance(outcome, Verified):
            result.verified = outcome
        else:
            result.problems.append(f"{SIGNATURE}: {outcome}")
    return result
