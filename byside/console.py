"""Shared rich consoles: results to stdout, diagnostics to stderr."""

from rich.console import Console

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class BadInput(Exception):
    """Bad input or usage: the CLI prints the message and exits 2."""
