"""The `byside` command. Each command group lives in byside/commands/<group>.py."""

from __future__ import annotations

import sys

import typer

from .commands import audit as audit_cmd
from .commands import audit_access as _audit_access  # noqa: F401  (adds `audit access` to audit_app)
from .commands import check as check_cmd
from .commands import controls as controls_cmd
from .commands import drift as drift_cmd
from .commands import preview as preview_cmd
from .commands import zones as zones_cmd
from .console import BadInput, err, styled

app = typer.Typer(
    name="byside",
    help="BySide platform toolkit: zones, offline preview, policy gate, audits.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (zones_cmd, check_cmd, controls_cmd, audit_cmd, preview_cmd, drift_cmd,):
    module.register(app)


def main() -> None:
    try:
        app()
    except BadInput as exc:
        err.print(styled(("error:", "bold red"), f" {exc}"))
        sys.exit(2)


if __name__ == "__main__":
    main()
