"""Provider defaults in the offline preview (byside/preview/defaults.py, docs/preview.md): what the
provider's Check fills in before the pack sees the inputs, applied where the program is silent."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from byside.conformance.sdk import resource_schema
from byside.preview import defaults
from byside.preview.run import secret_envelope
from policies.maintenance import AWS_DEFAULT_START_WINDOW_MIN

ROOT = Path(__file__).resolve().parents[2]


def _get(node, path):
    out = [node]
    for step in path:
        if step == defaults.EACH:
            out = [x for n in out for x in n]
        else:
            out = [n[step] for n in out]
    return out


@pytest.mark.parametrize("d", defaults.DEFAULTS, ids=lambda d: f"{d.type.split(':')[-1]}.{d.where}")
def test_each_default_names_a_real_input_of_the_locked_sdk(d):
    t = resource_schema(d.type).inputs[d.path[0]].type
    for step in d.path[1:]:
        if step == defaults.EACH:
            assert t.kind == "array", d
            t = t.item
        else:
            assert t.kind == "object" and step in t.props, (d, t.describe())
            t = t.props[step].type
    assert t.kind in ("integer", "number", "string", "boolean", "enum", "union"), (d, t.kind)
    assert d.source and d.read_by


def test_absent_values_are_filled_and_set_ones_kept():
    rules = [{"ruleName": "daily", "schedule": "cron(0 1 * * ? *)"},
             {"ruleName": "weekly", "startWindow": 120, "completionWindow": 600, "scheduleExpressionTimezone": "Europe/Lisbon"}]
    inputs = {"name": "p", "rules": rules}
    before = copy.deepcopy(inputs)
    out = defaults.apply("aws:backup/plan:Plan", inputs)
    assert inputs == before  # a copy: the recorded wire form is not mutated
    assert out["rules"][0] == {**rules[0], "startWindow": 60, "completionWindow": 180,
                               "scheduleExpressionTimezone": "Etc/UTC"}
    assert out["rules"][1] == rules[1]
    assert defaults.apply("aws:cloudwatch/logGroup:LogGroup", {"name": "g"}) == {"name": "g", "retentionInDays": 0}
    assert defaults.apply("gcp:compute/vPNTunnel:VPNTunnel", {"ikeVersion": 1}) == {"ikeVersion": 1}
    assert defaults.apply("aws:ec2/vpc:Vpc", {"cidrBlock": "10.0.0.0/16"}) == {"cidrBlock": "10.0.0.0/16"}


def test_secret_or_non_list_values_are_left_alone():
    env = secret_envelope()
    assert defaults.apply("aws:backup/plan:Plan", {"rules": env}) == {"rules": env}
    assert defaults.apply("aws:backup/plan:Plan", {"rules": [env]}) == {"rules": [env]}
    assert defaults.apply("aws:backup/plan:Plan", {}) == {}  # no rules: nothing to fill inside


def test_the_zones_previews_carry_every_defaulted_property(docs):
    for zone, doc in docs.items():
        for r in doc["deployment"]["resources"]:
            for d in defaults.DEFAULTS:
                if r["type"] == d.type and d.path[0] in r["inputs"]:
                    assert all(v is not None for v in _get(r["inputs"], d.path)), (zone, r["urn"], d.where)
                elif r["type"] == d.type:
                    assert len(d.path) == 1, (zone, r["urn"], d.where)
                    assert d.path[0] in r["inputs"], (zone, r["urn"], d.where)


def test_maintenance_window_without_defaults_reads_the_stricter_api_default():
    # A plan that never went through a provider Check (a hand-written fixture) has no startWindow:
    # the policy assumes AWS Backup's own 8 h, which is stricter than the provider's 60 min.
    start = next(d for d in defaults.DEFAULTS if d.where == "rules[].startWindow")
    assert AWS_DEFAULT_START_WINDOW_MIN == 480 > start.value


def test_docs_list_every_default_with_its_source():
    text = (ROOT / "docs" / "preview.md").read_text()
    for d in defaults.DEFAULTS:
        row = f"| `{d.type}` | `{d.where}` | `{d.value!r}` |".replace("'", '"')
        assert row in text, row
