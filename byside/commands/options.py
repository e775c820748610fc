"""Option types and checks every command shares, so that a bad value is the same usage error
(exit 2, naming the option or variable) everywhere."""

from __future__ import annotations

import os
from enum import Enum
from typing import Iterable
from urllib.parse import urlsplit

from ..console import BadInput


def choice(name: str, values: Iterable[str]) -> type[Enum]:
    """A closed set of option values (typer/click rejects anything else with exit 2 and lists
    the choices); members compare equal to their strings."""
    return Enum(name, [(v, v) for v in values], type=str)  # type: ignore[return-value]


def value(option) -> str | None:
    """The plain string of a `choice` option (or None)."""
    return option.value if isinstance(option, Enum) else option


def check_url(url: str, name: str) -> str:
    """An http(s) endpoint with a host and a valid port, else BadInput naming `name` (the option or
    environment variable it came from)."""
    problem = None
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not a number in 0-65535
    except ValueError as e:
        parts, port, problem = None, None, str(e)
    if problem is None:
        if parts.scheme not in ("http", "https"):
            problem = "not an http(s) URL"
        elif not parts.hostname or any(c.isspace() for c in url):
            problem = "no host name"
        elif port == 0:
            problem = "port 0 is not a port"
    if problem:
        raise BadInput(f"{name}: {url!r} is not a usable endpoint ({problem}); e.g. http://127.0.0.1:5000")
    return url


def check_aws_endpoint_env(services: Iterable[str]) -> None:
    """The endpoint variables botocore reads (AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>),
    checked before any client is made: botocore would fail with a bare ValueError."""
    names = ["AWS_ENDPOINT_URL"] + [f"AWS_ENDPOINT_URL_{s.upper()}" for s in services]
    for var in names:
        url = os.environ.get(var)
        if url:
            check_url(url, var)
