"""infra/__main__.py as the engine runs it (`main: infra/`): infra/ first on sys.path, the
repository root absent, no editable install to fall back on."""

from __future__ import annotations

import subprocess
import sys
import sysconfig

from byside.preview import REPO

PROBE = r"""
import sys
sys.path[:0] = [{infra!r}, {site!r}]
src = open({main!r}).read()
head = src[:src.index("zone_id =")]  # the imports, before the program needs an engine
exec(compile(head, {main!r}, "exec"), {{"__file__": {main!r}, "__name__": "__main__"}})
import zones, infra.zone
print(zones.__file__, infra.zone.__file__)
"""


def test_main_finds_the_repository_when_only_infra_is_on_the_path(tmp_path):
    site = sysconfig.get_paths()["purelib"]
    code = PROBE.format(infra=str(REPO / "infra"), site=site, main=str(REPO / "infra" / "__main__.py"))
    # -S: no site module, so the editable install's .pth is not read; cwd outside the repository.
    proc = subprocess.run([sys.executable, "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(REPO / "zones" / "__init__.py"), str(REPO / "infra" / "zone.py")]
