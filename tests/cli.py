"""Running the CLI in-process in tests: what a user sees, through byside.cli's error boundary."""

from __future__ import annotations

from typer.testing import CliRunner

from byside.cli import app


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def error_message(result) -> str | None:
    """The message of a bad-input error (exit 2), as the boundary prints it on stderr, else None."""
    if result.exit_code != 2:
        return None
    text = result.stderr
    return text[len("error: "):].rstrip("\n") if text.startswith("error: ") else text.rstrip("\n")


def run(*args: str) -> tuple[int, str]:
    """(exit code, output) — the error message instead of the output on exit 2; a bug (exit 3) fails the test."""
    result = invoke(*args)
    if result.exit_code == 3:
        raise AssertionError(result.output)
    message = error_message(result)
    return result.exit_code, message if message is not None else result.output
