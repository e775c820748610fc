"""secrets-not-plaintext: no pre-shared key, password, token or private key input is plain text.

Judged on every resource (and provider) by input name, at any depth. A secret input arrives as
a pulumi_policy Secret marker (policies/wire.py); a value unknown at preview is computed, not
written in the program. Messages name the input, never its value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Iterator

from pulumi_policy.proxy import UnknownValueError
from pulumi_policy.secret import Secret

from .build import resource_policy

SECRET_NAME = re.compile(r"(password|passphrase|passwd|secret|token|presharedkey|psk|privatekey|apikey|authkey)",
                         re.IGNORECASE)
# Inputs whose names mention a secret but hold a reference, a switch or a size.
NOT_A_VALUE = re.compile(r"(arn|arns|id|ids|name|names|version|versions|length|type|enabled|policy|ttl|url|uri|"
                         r"endpoint|path|location|rotation|expiration|required|reset|wo_version|kms.*|count)$",
                         re.IGNORECASE)


def plaintext_secrets(props: Any, path: str = "") -> Iterator[str]:
    """Paths of secret-named inputs holding a plain, non-empty string."""
    if isinstance(props, Mapping):
        for key in props:
            try:
                value = props[key]
            except UnknownValueError:
                continue
            here = f"{path}.{key}" if path else str(key)
            if isinstance(value, str):
                if (value and value.lower() not in ("true", "false") and SECRET_NAME.search(str(key))
                        and not NOT_A_VALUE.search(str(key))):
                    yield here
            elif not isinstance(value, Secret):
                yield from plaintext_secrets(value, here)
    elif isinstance(props, Sequence) and not isinstance(props, (str, bytes)):
        for i in range(len(props)):
            try:
                value = props[i]
            except UnknownValueError:
                continue
            if not isinstance(value, (str, Secret)):
                yield from plaintext_secrets(value, f"{path}[{i}]")


def _secrets_not_plaintext(args, report_violation) -> None:
    for path in plaintext_secrets(args.props):
        report_violation(f"input {path} is plain text: make it a secret (config.require_secret / "
                         f"pulumi.Output.secret)", None)


secrets_not_plaintext = resource_policy("secrets-not-plaintext", _secrets_not_plaintext)

POLICIES = [secrets_not_plaintext]
