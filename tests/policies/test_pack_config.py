"""Per-stack pack config files: accepted and normalised, or rejected naming file and field."""

import json

import pytest

from byside.check.policy_config import load_stack_config
from policies.pack_config import PackConfigError, normalize


def test_missing_file_means_defaults(tmp_path):
    assert load_stack_config("we1", tmp_path) == {}


def test_short_and_long_forms_are_normalised(tmp_path):
    (tmp_path / "we1.json").write_text(json.dumps({
        "tags-required": "advisory",
        "network-no-public-admin-ingress": {"enforcementLevel": "mandatory", "adminPorts": [22, 9200]}}))
    assert load_stack_config("we1", tmp_path) == {
        "network-no-public-admin-ingress": {"enforcementLevel": "mandatory", "adminPorts": [22, 9200]},
        "tags-required": {"enforcementLevel": "advisory"}}


@pytest.mark.parametrize("config, message", [
    ({"no-such-policy": "advisory"}, "'no-such-policy' is not a policy of the pack"),
    ({"tags-required": "sometimes"}, "tags-required.enforcementLevel: 'sometimes' is not one of"),
    ({"network-no-public-admin-ingress": {"adminPorts": ["ssh"]}}, "network-no-public-admin-ingress.adminPorts.0: 'ssh' is not of type 'integer'"),
    ({"log-retention": {"days": 3}}, "log-retention: Additional properties are not allowed ('days' was unexpected)"),
    (["tags-required"], "expected a JSON object of policy IDs"),
])
def test_bad_config_names_the_field(config, message):
    with pytest.raises(PackConfigError) as e:
        normalize(config, "we1.json")
    assert str(e.value).startswith("we1.json: ") and message in str(e.value)


def test_bad_json_names_line_and_column(tmp_path):
    (tmp_path / "sa1.json").write_text('{\n  "tags-required": advisory\n}')
    with pytest.raises(PackConfigError) as e:
        load_stack_config("sa1", tmp_path)
    assert str(e.value) == f"{tmp_path / 'sa1.json'}:2:20: not valid JSON: Expecting value"
