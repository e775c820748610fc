"""The project skeleton: Pulumi.yaml and the stack files are what the real CLI accepts."""

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

import zones

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "reference" / "pulumi-project.schema.json"


def _yaml(path: Path):
    return YAML(typ="safe").load(path.read_text())


@pytest.mark.skipif(not SCHEMA.exists(), reason="Pulumi project schema not present beside the repository")
def test_pulumi_yaml_validates_against_pulumis_schema():
    schema = json.loads(SCHEMA.read_text())
    project = _yaml(ROOT / "Pulumi.yaml")
    jsonschema.validate(project, schema)
    assert project["runtime"] == {"name": "python", "options": {"toolchain": "uv", "virtualenv": ".venv"}}
    assert project["main"] == "infra/"


def test_pulumi_yaml_is_rejected_by_the_schema_when_broken():
    if not SCHEMA.exists():
        pytest.skip("schema absent")
    schema = json.loads(SCHEMA.read_text())
    broken = _yaml(ROOT / "Pulumi.yaml")
    broken["runtime"] = {"name": "python", "option": {}}  # typo: additionalProperties false
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_one_stack_file_per_zone_naming_its_zone():
    platform = zones.load_platform()
    stacks = sorted(p.name for p in ROOT.glob("Pulumi.*.yaml"))
    assert stacks == sorted(f"Pulumi.{z}.yaml" for z in platform.zones)
    for z in platform.zones:
        assert _yaml(ROOT / f"Pulumi.{z}.yaml")["config"]["byside:zone"] == z


def test_committed_json_schema_is_current():
    from zones.schema import json_schema

    committed = json.loads((ROOT / "zones" / "schema.json").read_text())
    assert committed == json_schema(), "run `make schema` to regenerate zones/schema.json"


def test_every_zone_file_points_editors_at_the_schema():
    for path in sorted((ROOT / "zones").glob("*.yaml")):
        assert path.read_text().splitlines()[0] == "# yaml-language-server: $schema=schema.json", path.name
