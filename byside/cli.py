"""The `byside` command. Each command group lives in byside/commands/<group>.py.

The error boundary is here, once for every command: bad input (`BadInput`) is exit 2 with its
message; Ctrl-C is 130 and SIGTERM 143 (after the commands' own clean-up, since both arrive as
exceptions); anything else is a bug — a short "internal error" with the version and how to report
it, exit 3, the traceback only with `--debug` (or BYSIDE_DEBUG=1). Exit 1 stays what commands
mean by it: something was found.
"""

from __future__ import annotations

import gc

_GC = gc.isenabled()
gc.disable()  # while the CLI's modules load: the collector's passes over them are ≈10 % of their import time

import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit

from .commands import audit as audit_cmd
from .commands import audit_access as _audit_access  # noqa: F401  (adds `audit access` to audit_app)
from .commands import audit_dc_sign as _audit_dc_sign  # noqa: F401  (adds `audit dc-access sign|verify`)
from .commands import check as check_cmd
from .commands import conformance as conformance_cmd
from .commands import controls as controls_cmd
from .commands import diff as diff_cmd
from .commands import drift as drift_cmd
from .commands import maintenance as maintenance_cmd
from .commands import evidence as evidence_cmd
from .commands import preview as preview_cmd
from .commands import zones as zones_cmd
from .console import BadInput

if _GC:
    gc.enable()

EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_TERMINATED = 2, 3, 130, 143
REPORT_TO = "the platform team (the repository's issue tracker)"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so `finally` blocks (temporary files) still run."""


def version() -> str:
    from importlib import metadata  # here, not at start: every command would pay ~20 ms for it

    try:
        return metadata.version("byside-infra")
    except metadata.PackageNotFoundError:
        return "unknown"


def _debug(ctx) -> bool:
    return bool(ctx.params.get("debug")) or os.environ.get("BYSIDE_DEBUG", "") not in ("", "0")


class Boundary(TyperGroup):
    """The root group: every command runs inside `invoke`, so CliRunner tests see the same exit
    codes and messages as users do."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Terminated:
            raise Exit(EXIT_TERMINATED) from None
        except (Exit, Abort, ClickException, KeyboardInterrupt, EOFError):
            raise
        except BadInput as exc:
            typer.echo(f"error: {exc}", err=True)
            raise Exit(EXIT_BAD_INPUT) from None
        except BrokenPipeError:
            raise  # the reader went away: typer's own handling (quiet, exit 1)
        except Exception as exc:  # noqa: BLE001 - the one place a bug is turned into a report
            import platform

            if _debug(ctx):
                traceback.print_exc(file=sys.stderr)
            first = (str(exc).strip().splitlines() or [""])[0][:300]
            typer.echo(f"byside: internal error (byside {version()}, Python {platform.python_version()}): "
                       f"{type(exc).__name__}: {first}\n"
                       f"This is a bug in byside, not a problem with your input. Please report it to {REPORT_TO} "
                       "with the command you ran and its output with --debug (which adds the traceback).",
                       err=True)
            raise Exit(EXIT_INTERNAL) from None


app = typer.Typer(
    name="byside",
    cls=Boundary,
    help="BySide platform toolkit: zones, offline preview, policy gate, audits.\n\n"
         "Exit codes: 0 fine, 1 something found (violation, drift; the audits with --fail-on), "
         "2 bad input or usage, 3 internal error (a bug: please report it).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="On an internal error, print the traceback")) -> None:
    # Read by Boundary.invoke from the root context's params.
    pass


for module in (zones_cmd, check_cmd, controls_cmd, audit_cmd, preview_cmd, drift_cmd, maintenance_cmd, evidence_cmd,
               conformance_cmd, diff_cmd):
    module.register(app)


def _on_sigterm(signum, frame):
    raise Terminated()


def main() -> None:
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        app(prog_name="byside")
        code = 0
    except SystemExit as e:
        code = e.code
    finish(code)


def finish(code: int | str | None) -> None:
    """Exit with `code` once everything a normal exit does for us has been done — other threads
    joined, atexit hooks run (temporary folders), stdout and stderr flushed — but without the
    interpreter's teardown: freeing every module and gRPC's channels costs ~0.1 s of a 1 s gate run.
    A flush that fails (a closed pipe) gives 120, as Python's own exit does."""
    import atexit
    import threading

    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for t in threading.enumerate():
        if t is not threading.main_thread() and not t.daemon:
            t.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 120
    os._exit(code)


if __name__ == "__main__":
    main()
