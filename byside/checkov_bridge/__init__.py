"""The checkov bridge: checkov's own `terraform_plan` checks on Pulumi programs.

For the gate (`byside check`)::

    run_checkov(resources, zone_of=None, *, checkov_bin=None, checks=None) -> CheckovResult

- `resources`: Pulumi resources in `pulumi stack export` shape (dicts with `urn`, `type`,
  `custom`, `inputs`, `dependencies`, `propertyDependencies`; docs/contracts.md). Components,
  providers and the stack resource are counted, not judged.
- `zone_of(resource) -> zone`: default the `zone` tag/label, else the stack in the URN.
- `checkov_bin`: default `$BYSIDE_CHECKOV_BIN`, else `.venv-checkov/bin/checkov`; when it is
  missing, `BadInput` (exit 2) says to run `make checkov-env` — never a silent skip.
- `checks`: limit to these check IDs (default: every checkov check plus policies/checkov/checks).

`CheckovResult`: `violations` (dicts with exactly policy, source="checkov", severity,
enforcement, zone, urn, type, message; enforcement per `GATED`: the issue's checks and CKV_BYS_*
mandatory but CKV_AWS_355, any other failing checkov check advisory), `passed`/`failed` counts,
`passed_results` (check id, URN), `unmapped` Pulumi types (and
`unmapped_resources` URNs) the bridge has no Terraform mapping for, `parse_errors` (non-empty when
checkov did not read every resource written), `resources`/`parsed` counts, `checks` (id -> name
of every check that ran, for rule metadata), `remediation` (id -> what to set, in the Pulumi
properties checkov read, for each failed check), `checkov_version`, `seconds`. `SKIPPED`: the checks
the gate switches off (id -> reason), never run.

checkov runs as a subprocess from its own venv: checkov 3.3.x pins packaging<24 and old boto3,
which would hold Pulumi back if both shared one environment (see runner.py, docs/checkov.md).
"""

from .convert import Conversion, convert
from .runner import GATED, SKIPPED, CheckovResult, default_zone_of, known_checks, run_checkov

__all__ = ["GATED", "SKIPPED", "CheckovResult", "Conversion", "convert", "default_zone_of", "known_checks", "run_checkov"]
