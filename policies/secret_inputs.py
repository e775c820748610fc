"""secrets-not-plaintext: no input the provider marks secret is a plain-text value.

Which inputs are secret comes from the provider SDKs themselves (each generated resource class
declares them): policies/secret_properties.json, built from the locked SDKs by
`python -m policies.secret_properties` (tests check it matches). Name patterns are kept only where
no schema can say what a value is: free-form maps (tags, labels, metadata, environment variables)
and user-data scripts (`PASSWORD=...` lines). A secret input arrives as a pulumi_policy Secret
marker (policies/wire.py); a value unknown at preview is computed, not written in the program.
Messages name the input, never its value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from pulumi_policy.proxy import UnknownValueError
from pulumi_policy.secret import Secret

from .build import resource_policy
from .common import UNKNOWN, get

TABLE = Path(__file__).with_name("secret_properties.json")
SECRET_NAME = re.compile(r"(password|passphrase|passwd|secret|token|presharedkey|psk|privatekey|apikey|authkey)",
                         re.IGNORECASE)
# Keys whose names mention a secret but hold a reference, a switch or a size.
NOT_A_VALUE = re.compile(r"(arn|arns|id|ids|name|names|version|versions|length|type|enabled|policy|ttl|url|uri|"
                         r"endpoint|path|location|rotation|expiration|required|reset|wo_version|kms.*|count|units?|method|"
                         r"methods|mode|format|style|algorithm|scopes?|validity)$",
                         re.IGNORECASE)
FREE_FORM = ("tags", "tagsAll", "labels", "metadata", "environment", "variables", "environmentVariables")
USER_DATA = ("userData", "metadataStartupScript", "startupScript")
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*['\"]?([^'\"\s#]+)", re.M)
_SIG = "4dabf18193072939515e22adb298388d"


@lru_cache(maxsize=1)
def _table() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def secret_properties() -> dict[str, list[str]]:
    """{resource type: input names its provider SDK marks secret}."""
    return _table()["types"]


def free_form_maps(resource_type: str) -> tuple[str, ...]:
    """Inputs of this type that are free-form string maps: the always-free-form names, and the
    ones its provider SDK types `Mapping[str, str]`."""
    return FREE_FORM + tuple(_table()["maps"].get(resource_type, ()))


def _plain(value: Any) -> bool:
    """A value written in the program: known, not a secret, not empty."""
    if value is None or value is UNKNOWN or isinstance(value, Secret):
        return False
    if isinstance(value, str):
        return value != ""
    if isinstance(value, Mapping):
        return _SIG not in value
    return True


def _secret_name(key: str) -> bool:
    return bool(SECRET_NAME.search(key)) and not NOT_A_VALUE.search(key)


def _free_form(value: Any, path: str) -> Iterator[str]:
    """Secret-named keys of a free-form map holding plain text, at any depth."""
    if not isinstance(value, Mapping):
        return
    for key in value:
        v = get(value, key)
        here = f"{path}.{key}"
        if isinstance(v, str) and v and v.lower() not in ("true", "false") and _secret_name(str(key)):
            yield here
        elif isinstance(v, Mapping):
            yield from _free_form(v, here)


def _free_forms(props: Any, path: str = "", names: tuple[str, ...] = FREE_FORM) -> Iterator[str]:
    """Every free-form map in the inputs (tags, labels, metadata, environment variables, ...)."""
    if isinstance(props, Mapping):
        for key in props:
            try:
                v = props[key]
            except UnknownValueError:
                continue
            here = f"{path}.{key}" if path else str(key)
            if key in names and isinstance(v, Mapping):
                yield from _free_form(v, here)
            elif isinstance(v, (Mapping, Sequence)) and not isinstance(v, (str, bytes, Secret)):
                yield from _free_forms(v, here)
    elif isinstance(props, Sequence) and not isinstance(props, (str, bytes)):
        for i in range(len(props)):
            try:
                v = props[i]
            except UnknownValueError:
                continue
            if isinstance(v, (Mapping, Sequence)) and not isinstance(v, (str, bytes, Secret)):
                yield from _free_forms(v, f"{path}[{i}]")


def plaintext_secrets(resource_type: str, props: Any) -> Iterator[str]:
    """Messages for each plain-text secret input of one resource, in a stable order."""
    for name in secret_properties().get(resource_type, ()):
        if _plain(get(props, name)):
            yield f"input {name} is plain text"
    for path in _free_forms(props, names=free_form_maps(resource_type)):
        yield f"input {path} is plain text"
    for key in USER_DATA:
        script = get(props, key)
        if isinstance(script, str):
            for m in _ASSIGNMENT.finditer(script):
                if _secret_name(m.group(1)):
                    line = script.count("\n", 0, m.start(1)) + 1
                    yield f"input {key} line {line} sets {m.group(1)} in plain text"


def _secrets_not_plaintext(args, report_violation) -> None:
    for message in plaintext_secrets(args.resource_type, args.props):
        report_violation(f"{message}: make it a secret (config.require_secret / pulumi.Output.secret)", None)


secrets_not_plaintext = resource_policy("secrets-not-plaintext", _secrets_not_plaintext)

POLICIES = [secrets_not_plaintext]
