"""Pulumi.<stack>.yaml is part of a pull request: the gate reads it (the stack's config for the
pack) within the YAML limits, and a broken one is exit 2 with file and line, never an empty config."""

import pytest

from byside.check import gate
from byside.check.model import Plan
from byside.console import BadInput

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi")) + "config: {k: *i}\n"


@pytest.fixture
def root(tmp_path):
    return tmp_path


def config_of(root, stack: str = "we1"):
    return gate.stack_config_values(Plan("p", stack, [], project="byside"), root)


def test_no_settings_file_is_no_config(root):
    assert config_of(root) == ({}, [])


def test_values_and_secrets_as_the_engine_passes_them(root):
    (root / "Pulumi.we1.yaml").write_text(
        "config:\n  byside:zone: we1\n  app:flag: true\n  app:list: [1, 2]\n  app:token:\n    secure: AAABAxyz\n",
        encoding="utf-8")
    assert config_of(root) == ({"byside:zone": "we1", "app:flag": "true", "app:list": "[1, 2]",
                            "app:token": "[secret]"}, ["app:token"])


@pytest.mark.parametrize("text, message", [
    (BOMB, "aliases"),
    ("config:\n  a: [1\n", "Pulumi.we1.yaml:"),
    ("config:\n  - 1\n", "Pulumi.we1.yaml:1: config: expected a mapping"),
    ("- config\n", "Pulumi.we1.yaml:1: expected a mapping"),
    ("config: !!python/object/apply:os.system [id]\n", "Pulumi.we1.yaml:1"),
])
def test_a_broken_settings_file_is_bad_input_with_file_and_line(root, text, message):
    (root / "Pulumi.we1.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BadInput) as e:
        config_of(root)
    assert message in str(e.value)
    assert str(root / "Pulumi.we1.yaml") in str(e.value)


def test_a_dangling_link_is_an_error_not_an_empty_config(root):
    (root / "Pulumi.we1.yaml").symlink_to(root / "missing.yaml")
    with pytest.raises(BadInput, match="Pulumi.we1.yaml"):
        config_of(root)


def test_an_edited_settings_file_is_read_again_and_a_returned_config_is_a_copy(root):
    # Read once per version of the file (gate._stack_settings): a later edit is seen, and a caller
    # changing what it got does not change what the next caller gets.
    path = root / "Pulumi.we1.yaml"
    path.write_text("config:\n  byside:zone: we1\n", encoding="utf-8")
    first = config_of(root)
    first[0]["byside:zone"] = "changed by a caller"
    assert config_of(root) == ({"byside:zone": "we1"}, [])
    path.write_text("config:\n  byside:zone: we2\n  app:token:\n    secure: AAABAxyz\n", encoding="utf-8")
    assert config_of(root) == ({"byside:zone": "we2", "app:token": "[secret]"}, ["app:token"])
    path.write_text("config:\n  a: [1\n", encoding="utf-8")  # broken after a good read: still an error
    with pytest.raises(BadInput, match="Pulumi.we1.yaml:"):
        config_of(root)
