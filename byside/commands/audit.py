"""`byside audit ...`: evidence exports for auditors.

``audit_app`` is the shared sub-app: ``dc-access`` is defined here; other audits register
themselves on it from their own modules (e.g. ``audit_app.command("access")``), imported below.
"""

from __future__ import annotations

import typer

audit_app = typer.Typer(help="Evidence exports for auditors (DC access review, cloud access review).",
                        no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
