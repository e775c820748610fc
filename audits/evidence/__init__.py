"""`byside evidence`: one evidence pack for the auditor.

Modules: :mod:`.frameworks` (the ISO/IEC 27001 and SOC 2 controls and what evidences each, as data),
:mod:`.sources` (finding, checking and reading the evidence: the gate's report, the controls matrix,
signed DC reviews, cloud access reviews), :mod:`.index` (pure: which control is evidenced by which
file, and what is missing), :mod:`.pack` (rendering index.html and evidence.json, writing the pack).
"""

from .pack import PackRequest, build_pack

__all__ = ["PackRequest", "build_pack"]
