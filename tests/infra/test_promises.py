"""The resources behind the Service Description's remaining promises, in each zone's offline
preview: restore tests and backup evidence, monitoring to the operations channel, the audit trail."""

from __future__ import annotations

import json

import pytest

ZONES = ["we1", "we2", "sa1"]
TZ = {"we1": "Europe/Lisbon", "we2": "Europe/Lisbon", "sa1": "America/Sao_Paulo"}
ACCOUNT = {"we1": "210987654321", "we2": "321098765432", "sa1": "432109876543"}
REGION = {"we1": "eu-west-1", "we2": "eu-central-1", "sa1": "sa-east-1"}
TAGS = {"zone", "owner", "data-classification"}


@pytest.mark.parametrize("zone", ZONES)
def test_restore_test_monthly_in_the_window_from_the_zone_vault(stacks, zone):
    s = stacks[zone]
    plan = s.one("aws:backup/restoreTestingPlan:RestoreTestingPlan")
    vault = s.one("aws:backup/vault:Vault")["outputs"]["arn"]
    i = plan["inputs"]
    assert (i["name"], i["scheduleExpression"], i["scheduleExpressionTimezone"], i["startWindowHours"]) == (
        f"{zone}_restore_test", "cron(0 0 15 * ? *)", TZ[zone], 1)
    assert i["recoveryPointSelection"] == {"algorithm": "LATEST_WITHIN_WINDOW", "includeVaults": [vault],
                                           "recoveryPointTypes": ["SNAPSHOT"], "selectionWindowDays": 1}
    role = s.named("aws:iam/role:Role")[f"{zone}-backup-role"]["outputs"]["arn"]
    sels = {r["inputs"]["protectedResourceType"]: r["inputs"]
            for r in s.of_type("aws:backup/restoreTestingSelection:RestoreTestingSelection")}
    assert sorted(sels) == ["Aurora", "EFS", "RDS"]  # relational databases and subscriber files
    for rtype, sel in sels.items():
        assert sel == {"name": f"{zone}_{rtype.lower()}", "restoreTestingPlanName": f"{zone}_restore_test",
                       "protectedResourceType": rtype, "iamRoleArn": role, "protectedResourceArns": ["*"],
                       "protectedResourceConditions": {"stringEquals": [
                           {"key": "aws:ResourceTag/backup", "value": "byside-daily"}]},
                       "validationWindowHours": 2}


@pytest.mark.parametrize("zone", ZONES)
def test_audit_manager_framework_expresses_the_promises(stacks, zone):
    fw = stacks[zone].one("aws:backup/framework:Framework")["inputs"]
    types = {"complianceResourceTypes": ["RDS", "Aurora", "EFS"]}
    assert fw["name"] == f"{zone}_backup_promises" and TAGS <= set(fw["tags"])
    assert fw["controls"] == [
        {"name": "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", "inputParameters": [
            {"name": "requiredFrequencyUnit", "value": "hours"}, {"name": "requiredFrequencyValue", "value": "24"},
            {"name": "requiredRetentionDays", "value": "5"}]},
        {"name": "BACKUP_RECOVERY_POINT_ENCRYPTED", "inputParameters": []},
        {"name": "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", "inputParameters": [], "scope": types},
        {"name": "BACKUP_LAST_RECOVERY_POINT_CREATED", "inputParameters": [
            {"name": "recoveryPointAgeUnit", "value": "hours"}, {"name": "recoveryPointAgeValue", "value": "24"}],
         "scope": types},
        # RTO 12 h less the 2 h validation window, in minutes
        {"name": "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET", "inputParameters": [
            {"name": "maxRestoreTime", "value": "600"}], "scope": types},
    ]


@pytest.mark.parametrize("zone", ZONES)
def test_report_plans_deliver_to_the_evidence_bucket(stacks, zone):
    s = stacks[zone]
    bucket = f"byside-{zone}-backup-evidence-{ACCOUNT[zone]}"
    framework = s.one("aws:backup/framework:Framework")["outputs"]["arn"]
    plans = {r["inputs"]["reportSetting"]["reportTemplate"]: r["inputs"]
             for r in s.of_type("aws:backup/reportPlan:ReportPlan")}
    assert sorted(plans) == ["BACKUP_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT", "RESTORE_JOB_REPORT"]
    for template, p in plans.items():
        key = template.removesuffix("_REPORT").lower()
        assert p["name"] == f"{zone}_{key}"
        assert p["reportDeliveryChannel"] == {"s3BucketName": bucket, "s3KeyPrefix": f"{zone}/{key}",
                                              "formats": ["CSV", "JSON"]}
    assert plans["CONTROL_COMPLIANCE_REPORT"]["reportSetting"] == {
        "reportTemplate": "CONTROL_COMPLIANCE_REPORT", "frameworkArns": [framework], "numberOfFrameworks": 1}


def _bucket_set(s, purpose: str, bucket: str) -> dict:
    """The encrypted bucket's parts, by their resource names."""
    get = lambda typ: s.named(typ)  # noqa: E731
    p = f"{s.zone}-{purpose}"
    return {"bucket": get("aws:s3/bucket:Bucket")[f"{p}-bucket"], "key": get("aws:kms/key:Key")[f"{p}-key"],
            "sse": get("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")[f"{p}-encryption"],
            "versioning": get("aws:s3/bucketVersioning:BucketVersioning")[f"{p}-versioning"],
            "pab": get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[f"{p}-public-access"],
            "lifecycle": get("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[f"{p}-lifecycle"],
            "policy": get("aws:s3/bucketPolicy:BucketPolicy")[f"{p}-policy"]}


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("purpose", ["backup-evidence", "cloudtrail"])
def test_buckets_encrypted_versioned_private_and_kept_for_the_audit_retention(stacks, zone, purpose):
    s = stacks[zone]
    s.zone = zone
    name = f"byside-{zone}-{purpose}-{ACCOUNT[zone]}"
    b = _bucket_set(s, purpose, name)
    assert b["bucket"]["inputs"]["bucket"] == name and TAGS <= set(b["bucket"]["inputs"]["tags"])
    key_arn = b["key"]["outputs"]["arn"]
    assert b["key"]["inputs"]["enableKeyRotation"] is True
    for part in ("sse", "versioning", "pab", "lifecycle", "policy"):
        assert b[part]["inputs"]["bucket"] == name, part
        assert b[part]["propertyDependencies"]["bucket"] == [b["bucket"]["urn"]], part
    assert b["sse"]["inputs"]["rules"] == [{"applyServerSideEncryptionByDefault": {
        "sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn}, "bucketKeyEnabled": True}]
    assert b["versioning"]["inputs"]["versioningConfiguration"] == {"status": "Enabled"}
    assert {k: v for k, v in b["pab"]["inputs"].items() if k != "bucket"} == {
        "blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True, "restrictPublicBuckets": True}
    assert b["lifecycle"]["inputs"]["rules"] == [{
        "id": "retention", "status": "Enabled", "filter": {"prefix": ""}, "expiration": {"days": 180},
        "noncurrentVersionExpiration": {"noncurrentDays": 180}, "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7}}]
    statements = {st["Sid"]: st for st in json.loads(b["policy"]["inputs"]["policy"])["Statement"]}
    assert statements["TlsOnly"] == {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                     "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                                     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    key_statements = {st["Sid"]: st for st in json.loads(b["key"]["inputs"]["policy"])["Statement"]}
    if purpose == "backup-evidence":
        role = (f"arn:aws:iam::{ACCOUNT[zone]}:role/aws-service-role/reports.backup.amazonaws.com/"
                "AWSServiceRoleForBackupReports")
        assert statements["BackupReports"]["Condition"] == {
            "ArnEquals": {"aws:PrincipalArn": role},
            "StringEquals": {"aws:PrincipalAccount": ACCOUNT[zone], "s3:x-amz-acl": "bucket-owner-full-control"}}
        assert key_statements["BackupReports"]["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    else:
        trail = f"arn:aws:cloudtrail:{REGION[zone]}:{ACCOUNT[zone]}:trail/{zone}-audit-trail"
        assert statements["CloudTrailWrite"]["Resource"] == f"arn:aws:s3:::{name}/AWSLogs/{ACCOUNT[zone]}/*"
        assert statements["CloudTrailWrite"]["Condition"]["StringEquals"]["aws:SourceArn"] == trail
        assert key_statements["CloudTrailEncrypt"]["Condition"]["StringEquals"] == {"aws:SourceArn": trail}


@pytest.mark.parametrize("zone", ZONES)
def test_cloudtrail_multi_region_validated_encrypted_to_bucket_and_cloudwatch(stacks, zone):
    s = stacks[zone]
    trail = s.one("aws:cloudtrail/trail:Trail")
    i = trail["inputs"]
    lg = s.named("aws:cloudwatch/logGroup:LogGroup")[f"{zone}-cloudtrail-logs"]
    key = s.named("aws:kms/key:Key")[f"{zone}-cloudtrail-key"]["outputs"]["arn"]
    role = s.named("aws:iam/role:Role")[f"{zone}-cloudtrail-role"]
    assert {k: i[k] for k in ("name", "isMultiRegionTrail", "enableLogFileValidation", "enableLogging",
                              "includeGlobalServiceEvents", "kmsKeyId", "s3BucketName")} == {
        "name": f"{zone}-audit-trail", "isMultiRegionTrail": True, "enableLogFileValidation": True,
        "enableLogging": True, "includeGlobalServiceEvents": True, "kmsKeyId": key,
        "s3BucketName": f"byside-{zone}-cloudtrail-{ACCOUNT[zone]}"}
    assert i["cloudWatchLogsGroupArn"] == lg["outputs"]["arn"] + ":*"
    assert i["cloudWatchLogsRoleArn"] == role["outputs"]["arn"]
    assert (lg["inputs"]["name"], lg["inputs"]["retentionInDays"], lg["inputs"]["kmsKeyId"]) == (
        f"/byside/{zone}/cloudtrail", 180, key)
    assert json.loads(role["inputs"]["assumeRolePolicy"])["Statement"][0]["Principal"] == {
        "Service": "cloudtrail.amazonaws.com"}
    policy = json.loads(s.named("aws:iam/rolePolicy:RolePolicy")[f"{zone}-cloudtrail-logs-policy"]["inputs"]["policy"])
    assert policy["Statement"] == [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    "Resource": [lg["outputs"]["arn"] + ":*"]}]
    # created only once CloudTrail may write to the bucket
    assert s.named("aws:s3/bucketPolicy:BucketPolicy")[f"{zone}-cloudtrail-policy"]["urn"] in trail["dependencies"]


@pytest.mark.parametrize("zone", ZONES)
def test_backup_and_restore_failures_reach_the_ops_topic(stacks, zone):
    s = stacks[zone]
    topic = s.one("aws:sns/topic:Topic")["outputs"]["arn"]
    rules = s.named("aws:cloudwatch/eventRule:EventRule")
    assert json.loads(rules[f"{zone}-backup-job-failed"]["inputs"]["eventPattern"]) == {
        "source": ["aws.backup"], "detail-type": ["Backup Job State Change"],
        "detail": {"state": ["FAILED", "ABORTED", "EXPIRED"]}}
    assert json.loads(rules[f"{zone}-restore-job-failed"]["inputs"]["eventPattern"]) == {
        "source": ["aws.backup"], "detail-type": ["Restore Job State Change"], "detail": {"status": ["FAILED", "ABORTED"]}}
    targets = s.named("aws:cloudwatch/eventTarget:EventTarget")
    for key in ("backup-job-failed", "restore-job-failed"):
        assert targets[f"{zone}-{key}-ops"]["inputs"] == {"rule": f"{zone}-{key}", "arn": topic}


@pytest.mark.parametrize("zone,acm", [("we1", ["api"]), ("we2", ["api"]), ("sa1", ["api"])])
def test_acm_certificates_have_a_days_to_expiry_alarm(stacks, zone, acm):
    s = stacks[zone]
    topic = s.one("aws:sns/topic:Topic")["outputs"]["arn"]
    alarms = {r["inputs"]["tags"]["certificate"]: r["inputs"] for r in s.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
              if r["inputs"]["namespace"] == "AWS/CertificateManager"}
    assert sorted(alarms) == acm  # external certificates (sip) are watched by the check the zone file names
    a = alarms["api"]
    arn = a["dimensions"]["CertificateArn"]
    assert arn.startswith(f"arn:aws:acm:{REGION[zone]}:{ACCOUNT[zone]}:certificate/")
    assert {k: a[k] for k in ("name", "metricName", "statistic", "period", "evaluationPeriods", "threshold",
                              "comparisonOperator", "treatMissingData", "alarmActions", "okActions")} == {
        "name": f"{zone}-cert-api-expiry", "metricName": "DaysToExpiry", "statistic": "Minimum", "period": 86400,
        "evaluationPeriods": 1, "threshold": 30, "comparisonOperator": "LessThanThreshold",
        "treatMissingData": "breaching", "alarmActions": [topic], "okActions": [topic]}


@pytest.mark.parametrize("zone", ZONES)
def test_gcp_tunnels_and_bgp_sessions_alert_the_ops_email_channel(stacks, zone):
    s = stacks[zone]
    channel = s.one("gcp:monitoring/notificationChannel:NotificationChannel")
    assert (channel["inputs"]["type"], channel["inputs"]["labels"]) == ("email", {"email_address": "ops-alerts@byside.example"})
    assert TAGS <= set(channel["inputs"]["userLabels"])
    tunnels = sorted(s.named("gcp:compute/vPNTunnel:VPNTunnel"))
    peers = sorted(s.named("gcp:compute/routerPeer:RouterPeer"))
    policies = s.named("gcp:monitoring/alertPolicy:AlertPolicy")
    assert sorted(policies) == sorted([f"{t}-down" for t in tunnels] + [f"{p}-down" for p in peers])
    for name, p in policies.items():
        i = p["inputs"]
        assert i["notificationChannels"] == [channel["outputs"]["name"]] and i["combiner"] == "OR"
        cond = i["conditions"][0]["conditionThreshold"]
        assert (cond["comparison"], cond["thresholdValue"], cond["duration"], cond["evaluationMissingData"]) == (
            "COMPARISON_LT", 1, "300s", "EVALUATION_MISSING_DATA_ACTIVE")
        target = name.removesuffix("-down")
        if target in tunnels:
            assert cond["filter"] == ('resource.type = "vpn_gateway" AND metric.type = '
                                      f'"vpn.googleapis.com/tunnel_established" AND metric.label.tunnel_name = "{target}"')
        else:
            assert cond["filter"] == ('resource.type = "gce_router" AND metric.type = '
                                      f'"router.googleapis.com/bgp/session_up" AND metric.label.bgp_peer_name = "{target}"')


@pytest.mark.parametrize("zone", ZONES)
def test_gcp_data_access_logs_and_sink_to_the_siem(stacks, zone, platform):
    s = stacks[zone]
    project = platform.zone(zone).gcp.project
    configs = {r["inputs"]["service"]: r["inputs"] for r in s.of_type("gcp:projects/iAMAuditConfig:IAMAuditConfig")}
    assert sorted(configs) == ["compute.googleapis.com", "iam.googleapis.com", "logging.googleapis.com",
                               "monitoring.googleapis.com"]
    for c in configs.values():
        assert c["project"] == project
        assert c["auditLogConfigs"] == [{"logType": "ADMIN_READ"}, {"logType": "DATA_READ"}, {"logType": "DATA_WRITE"}]
    bucket = s.one("gcp:logging/projectBucketConfig:ProjectBucketConfig")["inputs"]
    assert bucket == {"project": project, "location": "global", "bucketId": "_Default", "retentionDays": 180}
    sink = s.one("gcp:logging/projectSink:ProjectSink")
    assert {k: sink["inputs"][k] for k in ("name", "destination", "filter", "uniqueWriterIdentity")} == {
        "name": f"{zone}-siem", "destination": "pubsub.googleapis.com/projects/byside-siem-prod/topics/audit-logs",
        "filter": 'logName:"cloudaudit.googleapis.com"', "uniqueWriterIdentity": True}
    member = s.one("gcp:pubsub/topicIAMMember:TopicIAMMember")
    assert {k: member["inputs"][k] for k in ("project", "topic", "role", "member")} == {
        "project": "byside-siem-prod", "topic": "audit-logs", "role": "roles/pubsub.publisher",
        "member": sink["outputs"]["writerIdentity"]}
    assert member["propertyDependencies"]["member"] == [sink["urn"]]


def test_restore_test_plan_rules(platform):
    from infra import promises

    zone = platform.zone("we1")
    rt = promises.restore_test(zone)
    assert (rt.schedule, rt.start_window_hours, rt.selection_window_days, rt.validation_window_hours,
            rt.max_restore_minutes) == ("cron(0 0 15 * ? *)", 1, 1, 2, 600)
    tight = zone.model_copy(update={"restore_test": zone.restore_test.model_copy(update={"validation_hours": 12})})
    with pytest.raises(ValueError, match="12 h of validation leaves no time to restore within the RTO of 12 h"):
        promises.restore_test(tight)
    short = zone.model_copy(update={"maintenance_window": zone.maintenance_window.model_copy(
        update={"start": "05:30", "end": "06:00"})})
    with pytest.raises(ValueError, match="has no hour to start a restore test"):
        promises.restore_test(short)
    assert promises.resource_types(zone.model_copy(update={"backup": zone.backup.model_copy(
        update={"scope": ["subscriber-files"]})})) == ["EFS"]
