"""Shared rich consoles: results to stdout, diagnostics to stderr.

Data is printed verbatim, everywhere: the consoles interpret no Rich markup and substitute no
emoji, so a URN like `urn:…::pkgA:m:typA::x`, a message holding `[secret]` or a file name with
brackets prints exactly as it is (Rich would otherwise read `:m:` as an emoji code and `[i]` as
a style). Styling is explicit: `styled("plain text", ("bold text", "bold"), ...)` builds a Text in
which plain strings are data and (text, style) pairs carry a style.
"""

from __future__ import annotations

from typing import IO, Union

from rich.console import Console
from rich.text import Text

Part = Union[str, tuple[str, str]]


def make_console(file: IO[str] | None = None, stderr: bool = False, **kwargs) -> Console:
    """A console that prints data verbatim (no markup, no emoji, no highlighting)."""
    return Console(file=file, stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=True, **kwargs)


def styled(*parts: Part) -> Text:
    """Text from parts: a str is printed as it is; a (text, style) pair is printed in that style."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(str(part[0]), style=part[1])
        else:
            text.append(str(part))
    return text


out = make_console()
err = make_console(stderr=True)


class BadInput(Exception):
    """Bad input or usage: the CLI prints the message and exits 2."""
