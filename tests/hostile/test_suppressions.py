"""Strict suppressions and pack config (issue 10, class "Suppressions and config"): bad dates, unknown
IDs with the closest known one, a bounded lifetime, `scope: all` for match-all globs, and every
policy disabled by config listed in the report (text, JSON, SARIF)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from byside.check import suppressions as supp
from byside.console import BadInput
from policies.pack_config import PackConfigError, normalize
from tests.cli import invoke, run

from .conftest import FAST_GATE, no_traceback

TODAY = "2026-12-01"
URN = "urn:pulumi:we2::byside::*::public-*"


def entry(policy="test-no-public-bucket", urn=URN, reason="reviewed in SEC-123", expires="2027-01-31", **more) -> str:
    fields = dict(policy=policy, urn=json.dumps(urn), reason=json.dumps(reason), expires=expires, **more)
    return "  - " + "\n    ".join(f"{k}: {v}" for k, v in fields.items()) + "\n"


def gate(tmp_path, text: str, *extra: str):
    f = tmp_path / "suppressions.yaml"
    f.write_text(text)
    return f, invoke("check", *FAST_GATE, "--suppressions", str(f), "--today", TODAY, *extra)


def error(r) -> str:
    no_traceback(r)
    assert r.exit_code == 2, r.output
    # progress lines (`byside: <phase> …`, byside/progress.py) may come first; the error is the rest
    lines = [x for x in r.stderr.strip().splitlines() if not x.startswith("byside: ")]
    return "\n".join(lines).removeprefix("error: ")


@pytest.mark.parametrize("expires, message", [
    ("2027-02-30", "'2027-02-30' is not a date (day is out of range for month)"),
    ("2027-13-01", "'2027-13-01' is not a date (month must be in 1..12)"),
    ("2027-01-31 10:00:00", "'2027-01-31 10:00:00' is a date and time; give the last day the suppression holds, "
                            "as a date (YYYY-MM-DD)"),
    ("2027-01-31T10:00:00Z", "'2027-01-31T10:00:00Z' is a date and time; give the last day the suppression holds, "
                             "as a date (YYYY-MM-DD)"),
    ("20270131", "20270131 is not a date (YYYY-MM-DD)"),
    ("2027-W05-1", "'2027-W05-1' is not a date (YYYY-MM-DD)"),
    ("[2027, 1, 31]", "[2027, 1, 31] is not a date (YYYY-MM-DD)"),
])
def test_invalid_dates_and_datetimes_are_exit_2_with_file_and_line(tmp_path, expires, message):
    # Before: 2027-02-30 and "2027-01-31 10:00:00" gave tracebacks.
    f, r = gate(tmp_path, "suppressions:\n" + entry(expires=expires))
    assert error(r) == f"{f}:5: suppressions[0].expires: {message}"


def test_a_misspelled_policy_is_exit_2_naming_the_closest_one(tmp_path):
    # Before: accepted, with only an "unused" warning.
    f, r = gate(tmp_path, "suppressions:\n" + entry(policy="test-no-public-buckets"))
    assert error(r) == (f"{f}:2: policy: 'test-no-public-buckets' is not a policy of the pack nor a checkov check; "
                        "did you mean 'test-no-public-bucket'?")


def test_an_unknown_id_far_from_every_known_one_says_where_to_look(tmp_path):
    from byside.checkov_bridge import GATED, SKIPPED, known_checks

    f, r = gate(tmp_path, "suppressions:\n" + entry(policy="zzz"))
    # the test pack's 2, and every check of the installed checkov (and the gated and switched-off ones)
    assert error(r).endswith("'zzz' is not a policy of the pack nor a checkov check; known: "
                             f"{2 + len(set(GATED) | set(SKIPPED) | known_checks())} IDs, see `byside controls`")


def test_checkov_ids_the_bridge_gates_are_known_without_running_checkov(tmp_path):
    f, r = gate(tmp_path, "suppressions:\n" + entry() + entry(policy="CKV_AWS_24", urn="urn:pulumi:we2::*"))
    no_traceback(r)
    assert r.exit_code == 0, r.output
    # accepted (a known ID), and not "unused": checkov did not run, so it could not match
    assert "unused suppression" not in r.stderr
    assert "1 suppression(s) of checkov checks not applied: checkov did not run (--no-checkov)" in r.stderr


def test_a_suppression_about_none_of_the_judged_resources_is_a_note_not_a_warning(tmp_path):
    # the plan holds only we2: an entry for we1 is not "unused" (it is about other stacks), but said
    f, r = gate(tmp_path, "suppressions:\n" + entry() + entry(policy="CKV_AWS_24", urn="urn:pulumi:we1::*"))
    assert r.exit_code == 0, r.output
    assert "unused suppression" not in r.stderr
    assert f"1 suppression(s) name none of the resources judged (not applied): {f}:6 CKV_AWS_24" in r.stderr


def test_other_checkov_ids_are_known_from_the_installed_checkov_without_running_it(tmp_path):
    f, r = gate(tmp_path, "suppressions:\n" + entry() + entry(policy="CKV_AWS_79", urn="urn:pulumi:we2::*"))
    assert r.exit_code == 0, r.output
    # accepted (a known ID), and not "unused": checkov did not run, so it could not match
    assert "unused suppression" not in r.stderr
    assert "1 suppression(s) of checkov checks not applied: checkov did not run (--no-checkov)" in r.stderr
    f, r = gate(tmp_path, "suppressions:\n" + entry() + entry(policy="CKV_AWS_9797", urn="urn:pulumi:we2::*"))
    assert error(r).startswith(f"{f}:6: policy: 'CKV_AWS_9797' is not a policy of the pack nor a checkov check;")


def test_without_checkov_installed_other_checkov_ids_cannot_be_verified_and_say_so(tmp_path, monkeypatch):
    monkeypatch.setenv("BYSIDE_CHECKOV_BIN", str(tmp_path / "no-checkov"))
    f, r = gate(tmp_path, "suppressions:\n" + entry() + entry(policy="CKV_AWS_79", urn="urn:pulumi:we2::*"))
    assert r.exit_code == 0, r.output
    assert ("suppression for CKV_AWS_79 not verified: checkov did not run (--no-checkov) and its checks could not "
            "be listed") in r.stderr


def test_check_ids_with_checkov_run_rejects_a_check_that_did_not_run():
    s = supp.Suppression("CKV_AWS_79", "urn:pulumi:we1::*", "r", date(2027, 1, 1), "s.yaml", 2, policy_line=2)
    with pytest.raises(BadInput, match=r"s\.yaml:2: policy: 'CKV_AWS_79' is not .*did you mean 'CKV_AWS_7'\?"):
        supp.check_ids([s], {"CKV_AWS_7", "network-flow-logs"})


@pytest.mark.parametrize("urn", ["*", "**", "urn:*", "urn:pulumi:*", "urn:pulumi:*::*", "*::*::*", "?*"])
def test_a_glob_that_matches_every_urn_needs_scope_all(tmp_path, urn):
    # Before: urn "*" with expires 9999-12-31 was accepted.
    f, r = gate(tmp_path, "suppressions:\n" + entry(urn=urn))
    assert error(r) == (f"{f}:3: suppressions[0].urn: {urn!r} matches every URN: narrow the glob to the resources "
                        "meant, or say so with `scope: all`")


def test_scope_all_makes_a_match_all_glob_explicit(tmp_path):
    f, r = gate(tmp_path, "suppressions:\n" + entry(urn="*", scope="all"))
    no_traceback(r)
    assert r.exit_code == 0, r.output  # the mandatory violation is suppressed, on purpose
    f, r = gate(tmp_path, "suppressions:\n" + entry(scope="all"))
    assert error(r) == f"{f}:6: suppressions[0].scope: `scope: all` but {URN!r} does not match every URN; remove `scope`"
    f, r = gate(tmp_path, "suppressions:\n" + entry(scope="some"))
    assert error(r).endswith("suppressions[0].scope: 'some': the only scope is `all` (for a glob that matches every URN)")


def test_a_suppression_may_not_outlive_the_maximum_lifetime(tmp_path):
    f, r = gate(tmp_path, "suppressions:\n" + entry(expires="9999-12-31"))
    assert error(r) == (f"{f}:5: suppressions[0].expires: 9999-12-31 is more than 365 days after today ({TODAY}; the "
                        "latest allowed is 2027-12-01) — review it sooner, or set `max_lifetime_days` in the file's "
                        "header")
    f, r = gate(tmp_path, "suppressions:\n" + entry(expires="2027-12-01"))  # exactly 365 days: allowed
    assert r.exit_code == 0, r.output


def test_the_lifetime_is_set_in_the_files_header(tmp_path):
    f, r = gate(tmp_path, "max_lifetime_days: 30\nsuppressions:\n" + entry(expires="2027-01-31"))
    assert error(r).startswith(f"{f}:6: suppressions[0].expires: 2027-01-31 is more than 30 days after today")
    f, r = gate(tmp_path, "max_lifetime_days: 730\nsuppressions:\n" + entry(expires="2028-11-30"))
    assert r.exit_code == 0, r.output
    f, r = gate(tmp_path, "max_lifetime_days: forever\nsuppressions: []\n")
    assert error(r) == f"{f}:1: max_lifetime_days: 'forever' is not a number of days from 1 to 3650"


def test_an_unknown_header_field_is_exit_2(tmp_path):
    f, r = gate(tmp_path, "owner: me\nsuppressions: []\n")
    assert error(r) == (f"{f}:1: owner: unknown field: expected a mapping with `suppressions` (a list of entries) "
                        "and, optionally, `max_lifetime_days`")


def test_merge_keys_in_a_suppressions_file_keep_their_lines(tmp_path):
    text = ("suppressions:\n  - &base\n    policy: test-no-public-bucket\n    urn: 'urn:pulumi:we2::byside::*::public-*'\n"
            "    reason: SEC-123\n    expires: 2027-01-31\n  - <<: *base\n    expires: 2027-02-30\n")
    f, r = gate(tmp_path, text)
    assert error(r) == f"{f}:8: suppressions[1].expires: '2027-02-30' is not a date (day is out of range for month)"


def test_a_suppressions_file_that_is_not_utf8_names_line_and_column(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_bytes(b"suppressions:\n  - policy: x\n    reason: caf\xe9\n")
    r = invoke("check", *FAST_GATE, "--suppressions", str(f))
    assert error(r) == f"{f}:3:16: not UTF-8 text (byte 0xe9)"


# ---------------------------------------------------------------- pack config


def test_an_unknown_policy_in_policy_config_names_the_closest(tmp_path):
    cfg = tmp_path / "cfg.json"
    cfg.write_text('{"test-bucket-budgets": "advisory"}')
    r = invoke("check", *FAST_GATE, "--policy-config", str(cfg))
    assert error(r) == f"{cfg}: 'test-bucket-budgets' is not a policy of the pack (did you mean 'test-bucket-budget'?)"


def test_an_unknown_policy_in_the_pack_config_names_the_closest():
    with pytest.raises(PackConfigError) as e:
        normalize({"log-retension": "advisory"}, "policies/config/we1.json")
    assert str(e.value) == "policies/config/we1.json: 'log-retension' is not a policy of the pack (did you mean 'log-retention'?)"


# ---------------------------------------------------------------- disabled policies are reported


@pytest.fixture
def disabling(tmp_path):
    cfg = tmp_path / "cfg.json"
    cfg.write_text('{"test-no-public-bucket": "disabled"}')
    return cfg


# The fixture plan holds one stack (we2); reports name the config file relative to the repository
# (its name, for a file outside it): reports carry no absolute paths.
def test_disabled_policies_are_listed_in_text(disabling):
    code, out = run("check", *FAST_GATE, "--policy-config", str(disabling))
    assert code == 0
    lines = out.splitlines()
    assert [ln for ln in lines if ln.startswith("policy disabled")] == [
        "policy disabled by config: test-no-public-bucket (stack we2, cfg.json)"]


def test_disabled_policies_are_listed_for_json(disabling):
    r = invoke("check", *FAST_GATE, "--policy-config", str(disabling), "--format", "json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["disabled"] == [{"policy": "test-no-public-bucket", "stack": "we2",
                                                 "source": "cfg.json"}]


def test_disabled_policies_are_sarif_tool_configuration_notifications(disabling):
    import jsonschema

    from tests.check.conftest import HERE

    r = invoke("check", *FAST_GATE, "--policy-config", str(disabling), "--format", "sarif")
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, json.loads((HERE / "sarif-schema-2.1.0.json").read_text()))
    run_ = doc["runs"][0]
    index = [rule["id"] for rule in run_["tool"]["driver"]["rules"]].index("test-no-public-bucket")
    assert run_["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": [],
                                    "toolConfigurationNotifications": [
        {"descriptor": {"id": "policy-disabled"}, "associatedRule": {"id": "test-no-public-bucket", "index": index},
         "level": "note",
         "message": {"text": "policy disabled by config: test-no-public-bucket (stack we2, cfg.json)"}}]}]


def test_all_disabled_lists_every_policy(tmp_path):
    cfg = tmp_path / "cfg.json"
    cfg.write_text('{"all": "disabled", "test-bucket-budget": "advisory"}')
    code, out = run("check", *FAST_GATE, "--policy-config", str(cfg))
    assert [ln for ln in out.splitlines() if ln.startswith("policy disabled")] == [
        "policy disabled by config: test-no-public-bucket (stack we2, cfg.json)"]
