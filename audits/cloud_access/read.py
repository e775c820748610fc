"""Reading the account through boto3: the only module here that talks to AWS.

The standard environment applies (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL and the usual
credential chain); nothing is cached or written. The result is plain data (:class:`Inventory`)
that :mod:`.review` judges without any SDK.
"""

from __future__ import annotations

import csv
import io
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..aws import aws_errors, fail_fast_config

REPORT_TRIES = 20


class ReadError(Exception):
    """The account could not be read (no credentials, endpoint unreachable, access denied)."""


@dataclass
class Policy:
    """A policy attached to a principal: managed (ARN) or inline (name); document as a dict."""
    kind: str  # "managed" | "inline"
    name: str
    arn: str | None
    aws_managed: bool
    document: dict | None


@dataclass
class Role:
    name: str
    arn: str
    path: str
    created: datetime
    trust: dict
    max_session: int
    tags: dict[str, str]
    policies: list[Policy]
    # None: the endpoint does not return RoleLastUsed at all; {} : never used (in AWS's tracking period).
    last_used: dict | None


@dataclass
class User:
    name: str
    arn: str
    tags: dict[str, str]
    policies: list[Policy]


@dataclass
class Inventory:
    account: str
    credential_report: list[dict[str, str]]  # rows as the CSV gives them, `<root_account>` included when present
    users: list[User]
    roles: list[Role]
    endpoint: str | None = None
    notes: list[str] = field(default_factory=list)


def _tags(items: Any) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in items or []}


def _client(session, service: str):
    return session.client(service, config=fail_fast_config())


def read_inventory(session=None) -> Inventory:
    """Everything the review needs, read once. Raises ReadError with a clear message."""
    import boto3

    with aws_errors(ReadError, other_prefix="cannot read the account: ",
                    no_credentials="no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"):
        # botocore reads AWS_DEFAULT_REGION; AWS_REGION (the SDKs' other spelling) is honoured too.
        session = session or boto3.session.Session(region_name=os.environ.get("AWS_REGION") or None)
        iam = _client(session, "iam")
        sts = _client(session, "sts")
        endpoint = iam.meta.endpoint_url
        account = sts.get_caller_identity()["Account"]
        report = _credential_report(iam)
        cache: dict = {}  # policy ARN -> (name, document), group -> policies: read once per run
        users = [_user(iam, u, cache) for page in iam.get_paginator("list_users").paginate() for u in page["Users"]]
        roles = [_role(iam, r["RoleName"], cache) for page in iam.get_paginator("list_roles").paginate()
                 for r in page["Roles"]]
    users.sort(key=lambda u: u.name)
    roles.sort(key=lambda r: r.name)
    return Inventory(account=account, credential_report=report, users=users, roles=roles, endpoint=endpoint)


def _credential_report(iam) -> list[dict[str, str]]:
    # generate_credential_report is asynchronous in AWS: ask again until it says COMPLETE.
    for i in range(REPORT_TRIES):
        if iam.generate_credential_report()["State"] == "COMPLETE":
            break
        if i:
            time.sleep(1)
    else:
        raise ReadError(f"the IAM credential report was not ready after {REPORT_TRIES} tries")
    content = iam.get_credential_report()["Content"]
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return [dict(row) for row in csv.DictReader(io.StringIO(text))]


def _managed(iam, arn: str, cache: dict) -> Policy:
    if arn not in cache:
        pol = iam.get_policy(PolicyArn=arn)["Policy"]
        doc = iam.get_policy_version(PolicyArn=arn, VersionId=pol["DefaultVersionId"])["PolicyVersion"]["Document"]
        cache[arn] = (pol["PolicyName"], doc)
    name, doc = cache[arn]
    return Policy("managed", name, arn, ":iam::aws:policy/" in arn, doc)


def _user(iam, u: dict, cache: dict) -> User:
    name = u["UserName"]
    pols = [_managed(iam, p["PolicyArn"], cache) for page in iam.get_paginator("list_attached_user_policies").paginate(UserName=name)
            for p in page["AttachedPolicies"]]
    for page in iam.get_paginator("list_user_policies").paginate(UserName=name):
        for pn in page["PolicyNames"]:
            pols.append(Policy("inline", pn, None, False, iam.get_user_policy(UserName=name, PolicyName=pn)["PolicyDocument"]))
    # Policies reach a user through its groups too: judged as the user's.
    for page in iam.get_paginator("list_groups_for_user").paginate(UserName=name):
        for g in page["Groups"]:
            pols += _group_policies(iam, g["GroupName"], cache)
    tags = _tags(iam.list_user_tags(UserName=name).get("Tags"))
    return User(name=name, arn=u["Arn"], tags=tags, policies=sorted(pols, key=lambda p: (p.kind, p.name)))


def _group_policies(iam, group: str, cache: dict) -> list[Policy]:
    key = ("group", group)
    if key not in cache:
        pols = [_managed(iam, p["PolicyArn"], cache)
                for page in iam.get_paginator("list_attached_group_policies").paginate(GroupName=group)
                for p in page["AttachedPolicies"]]
        for page in iam.get_paginator("list_group_policies").paginate(GroupName=group):
            for pn in page["PolicyNames"]:
                doc = iam.get_group_policy(GroupName=group, PolicyName=pn)["PolicyDocument"]
                pols.append(Policy("inline", f"group/{group}/{pn}", None, False, doc))
        cache[key] = pols
    return cache[key]


def _role(iam, name: str, cache: dict) -> Role:
    r = iam.get_role(RoleName=name)["Role"]
    pols = [_managed(iam, p["PolicyArn"], cache) for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=name)
            for p in page["AttachedPolicies"]]
    for page in iam.get_paginator("list_role_policies").paginate(RoleName=name):
        for pn in page["PolicyNames"]:
            pols.append(Policy("inline", pn, None, False, iam.get_role_policy(RoleName=name, PolicyName=pn)["PolicyDocument"]))
    return Role(name=name, arn=r["Arn"], path=r.get("Path", "/"), created=r["CreateDate"],
                trust=r.get("AssumeRolePolicyDocument") or {}, max_session=int(r.get("MaxSessionDuration", 3600)),
                tags=_tags(r.get("Tags")), policies=sorted(pols, key=lambda p: (p.kind, p.name)),
                last_used=r["RoleLastUsed"] if "RoleLastUsed" in r else None)
