"""Pulumi ↔ Terraform mapping for the resource types the program (and the bridge's fixtures) use.

Derived from Pulumi's bridge metadata (pulumi-gcp auto-aliasing: TF type, token, single-item
blocks; pulumi-aws renames) and, for AWS single-item blocks, from the pulumi-aws SDK's input types
(a property typed as one `...Args` object, not a list, is a flattened single-item block).
tests/checkov/test_tables.py checks this table against those sources. Only what differs from the
default is written down: a Pulumi property maps to the snake_case of its name unless `tf` says
otherwise; `one` marks a block (or a single-item list) Pulumi flattens, re-wrapped as a one-element
list; `map` marks free-form keys (tags, labels, dimensions) that are kept verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True)
class Field:
    tf: str | None = None  # Terraform name when it is not the snake_case of the Pulumi name
    one: bool = False  # Pulumi flattens this single-item block/list: wrap it back into [value]
    map: bool = False  # free-form keys, kept as they are
    fields: Mapping[str, "Field"] = field(default_factory=dict)  # nested block


@dataclass(frozen=True)
class TypeSpec:
    tf_type: str
    fields: Mapping[str, Field]


def F(tf: str | None = None, *, one: bool = False, map: bool = False, **fields: Field) -> Field:
    return Field(tf=tf, one=one, map=map, fields=MappingProxyType(fields))


ONE = F(one=True)
MAP = F(map=True)
# Property names that are maps of tags/labels wherever they appear.
MAP_NAMES = frozenset({"tags", "tagsAll", "labels", "effectiveLabels", "terraformLabels", "pulumiLabels",
                       "recoveryPointTags", "resourceManagerTags"})

_SG_RULE = F()  # aws_security_group ingress/egress blocks: plain camelCase fields
_TUNNEL_LOG = F(one=True, cloudwatchLogOptions=ONE)
_PARAMS = F(one=True, resourceManagerTags=MAP)

_TABLE: dict[str, tuple[str, dict[str, Field]]] = {
    # --- AWS network
    "aws:ec2/vpc:Vpc": ("aws_vpc", {}),
    "aws:ec2/subnet:Subnet": ("aws_subnet", {}),
    "aws:ec2/routeTable:RouteTable": ("aws_route_table", {"routes": F("route")}),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ("aws_route_table_association", {}),
    "aws:ec2/route:Route": ("aws_route", {}),
    "aws:ec2/internetGateway:InternetGateway": ("aws_internet_gateway", {}),
    "aws:ec2/natGateway:NatGateway": ("aws_nat_gateway", {}),
    "aws:ec2/eip:Eip": ("aws_eip", {}),
    "aws:ec2/securityGroup:SecurityGroup": ("aws_security_group", {"ingress": _SG_RULE, "egress": _SG_RULE}),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ("aws_default_security_group",
                                                           {"ingress": _SG_RULE, "egress": _SG_RULE}),
    "aws:ec2/securityGroupRule:SecurityGroupRule": ("aws_security_group_rule", {}),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ("aws_vpc_security_group_ingress_rule", {}),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ("aws_vpc_security_group_egress_rule", {}),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("aws_vpc_endpoint", {"dnsOptions": ONE}),
    "aws:ec2/managedPrefixList:ManagedPrefixList": ("aws_ec2_managed_prefix_list", {"entries": F("entry")}),
    "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry": ("aws_ec2_managed_prefix_list_entry", {}),
    "aws:ec2/flowLog:FlowLog": ("aws_flow_log", {"destinationOptions": ONE}),
    # --- AWS VPN
    "aws:ec2/customerGateway:CustomerGateway": ("aws_customer_gateway", {}),
    "aws:ec2/vpnGateway:VpnGateway": ("aws_vpn_gateway", {}),
    "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment": ("aws_vpn_gateway_attachment", {}),
    "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": ("aws_vpn_gateway_route_propagation", {}),
    "aws:ec2/vpnConnection:VpnConnection": ("aws_vpn_connection", {
        "tunnel1LogOptions": _TUNNEL_LOG, "tunnel2LogOptions": _TUNNEL_LOG,
        "vgwTelemetries": F("vgw_telemetry")}),
    "aws:ec2/vpnConnectionRoute:VpnConnectionRoute": ("aws_vpn_connection_route", {}),
    # --- AWS logging, alerting, keys
    "aws:cloudwatch/logGroup:LogGroup": ("aws_cloudwatch_log_group", {}),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("aws_cloudwatch_metric_alarm", {
        "name": F("alarm_name"), "dimensions": MAP,
        "metricQueries": F("metric_query", metric=F(one=True, dimensions=MAP)),
        "evaluationCriteria": F(one=True, promqlCriteria=ONE),
        "evaluationWindow": F(one=True, wallClockWindow=ONE), "warmUpConfiguration": ONE}),
    "aws:cloudwatch/eventRule:EventRule": ("aws_cloudwatch_event_rule", {}),
    "aws:cloudwatch/eventTarget:EventTarget": ("aws_cloudwatch_event_target", {
        "inputTransformer": F(one=True, inputPaths=MAP), "retryPolicy": ONE, "deadLetterConfig": ONE,
        "runCommandTargets": F("run_command_targets"), "batchTarget": ONE,
        "ecsTarget": F(one=True, networkConfiguration=ONE, tags=MAP), "kinesisTarget": ONE, "sqsTarget": ONE,
        "httpTarget": F(one=True, headerParameters=MAP, queryStringParameters=MAP),
        "redshiftTarget": ONE, "sagemakerPipelineTarget": ONE, "appsyncTarget": ONE}),
    "aws:sns/topic:Topic": ("aws_sns_topic", {}),
    "aws:sns/topicPolicy:TopicPolicy": ("aws_sns_topic_policy", {}),
    "aws:sns/topicSubscription:TopicSubscription": ("aws_sns_topic_subscription", {}),
    "aws:kms/key:Key": ("aws_kms_key", {}),
    "aws:kms/alias:Alias": ("aws_kms_alias", {}),
    # --- AWS IAM
    "aws:iam/role:Role": ("aws_iam_role", {"inlinePolicies": F("inline_policy")}),
    "aws:iam/policy:Policy": ("aws_iam_policy", {}),
    "aws:iam/rolePolicy:RolePolicy": ("aws_iam_role_policy", {}),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ("aws_iam_role_policy_attachment", {}),
    "aws:iam/user:User": ("aws_iam_user", {}),
    "aws:iam/userPolicy:UserPolicy": ("aws_iam_user_policy", {}),
    # --- AWS backup and maintenance
    "aws:backup/vault:Vault": ("aws_backup_vault", {}),
    "aws:backup/plan:Plan": ("aws_backup_plan", {
        "rules": F("rule", lifecycle=ONE, recoveryPointTags=MAP,
                   copyActions=F("copy_action", lifecycle=ONE)),
        "advancedBackupSettings": F("advanced_backup_setting", backupOptions=MAP)}),
    "aws:backup/selection:Selection": ("aws_backup_selection", {
        "selectionTags": F("selection_tag"),
        "conditions": F("condition", stringEquals=F("string_equals"), stringLikes=F("string_like"),
                        stringNotEquals=F("string_not_equals"), stringNotLikes=F("string_not_like"))}),
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": ("aws_backup_vault_lock_configuration", {}),
    "aws:ssm/maintenanceWindow:MaintenanceWindow": ("aws_ssm_maintenance_window", {}),
    "aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget": ("aws_ssm_maintenance_window_target", {}),
    "aws:ssm/maintenanceWindowTask:MaintenanceWindowTask": ("aws_ssm_maintenance_window_task", {
        "taskInvocationParameters": F(one=True, automationParameters=F(one=True, parameters=F("parameter")),
                                      lambdaParameters=ONE,
                                      runCommandParameters=F(one=True, cloudwatchConfig=ONE,
                                                             notificationConfig=ONE, parameters=F("parameter")),
                                      stepFunctionsParameters=ONE)}),
    # --- AWS restore tests, backup evidence, audit trail (issue 13)
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": ("aws_backup_restore_testing_plan",
                                                         {"recoveryPointSelection": ONE}),
    "aws:backup/restoreTestingSelection:RestoreTestingSelection": ("aws_backup_restore_testing_selection", {
        "protectedResourceConditions": F(one=True, stringEquals=F("string_equals"),
                                         stringNotEquals=F("string_not_equals")),
        "restoreMetadataOverrides": MAP}),
    "aws:backup/framework:Framework": ("aws_backup_framework", {
        "controls": F("control", inputParameters=F("input_parameter"), scope=F(one=True, tags=MAP))}),
    "aws:backup/reportPlan:ReportPlan": ("aws_backup_report_plan", {"reportDeliveryChannel": ONE, "reportSetting": ONE}),
    "aws:s3/bucket:Bucket": ("aws_s3_bucket", {  # the inline blocks (the program uses the separate resources)
        "corsRules": F("cors_rule"), "grants": F("grant"),
        "lifecycleRules": F("lifecycle_rule", expiration=ONE, noncurrentVersionExpiration=ONE, tags=MAP,
                            transitions=F("transition"), noncurrentVersionTransitions=F("noncurrent_version_transition")),
        "logging": ONE,
        "objectLockConfiguration": F(one=True, rule=F(one=True, defaultRetention=ONE)),
        "replicationConfiguration": F(one=True, rules=F(destination=F(one=True, accessControlTranslation=ONE,
                                                                      metrics=ONE, replicationTime=ONE),
                                                        filter=F(one=True, tags=MAP),
                                                        sourceSelectionCriteria=F(one=True, sseKmsEncryptedObjects=ONE))),
        "serverSideEncryptionConfiguration": F(one=True, rule=F(one=True, applyServerSideEncryptionByDefault=ONE)),
        "versioning": ONE, "website": ONE}),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        "aws_s3_bucket_server_side_encryption_configuration",
        {"rules": F("rule", applyServerSideEncryptionByDefault=ONE)}),
    "aws:s3/bucketVersioning:BucketVersioning": ("aws_s3_bucket_versioning", {"versioningConfiguration": ONE}),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ("aws_s3_bucket_public_access_block", {}),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ("aws_s3_bucket_lifecycle_configuration", {
        "rules": F("rule", abortIncompleteMultipartUpload=ONE, expiration=ONE, noncurrentVersionExpiration=ONE,
                   filter=F(one=True, tag=ONE, **{"and": F(one=True, tags=MAP)}),
                   transitions=F("transition"), noncurrentVersionTransitions=F("noncurrent_version_transition")),
        "timeouts": ONE}),
    "aws:s3/bucketPolicy:BucketPolicy": ("aws_s3_bucket_policy", {}),
    "aws:cloudtrail/trail:Trail": ("aws_cloudtrail", {
        "eventSelectors": F("event_selector", dataResources=F("data_resource")),
        "advancedEventSelectors": F("advanced_event_selector", fieldSelectors=F("field_selector")),
        "insightSelectors": F("insight_selector")}),
    # --- GCP
    "gcp:compute/network:Network": ("google_compute_network", {"params": _PARAMS}),
    "gcp:compute/subnetwork:Subnetwork": ("google_compute_subnetwork", {
        "logConfig": ONE, "params": _PARAMS, "secondaryIpRanges": F("secondary_ip_range")}),
    "gcp:compute/firewall:Firewall": ("google_compute_firewall", {
        "allows": F("allow"), "denies": F("deny"), "logConfig": ONE, "params": _PARAMS}),
    "gcp:compute/route:Route": ("google_compute_route", {"params": _PARAMS}),
    "gcp:compute/router:Router": ("google_compute_router", {
        "bgp": F(one=True, advertisedIpRanges=F()), "md5AuthenticationKeys": ONE, "params": _PARAMS}),
    "gcp:compute/routerInterface:RouterInterface": ("google_compute_router_interface", {}),
    "gcp:compute/routerPeer:RouterPeer": ("google_compute_router_peer", {
        "bfd": ONE, "md5AuthenticationKey": ONE, "advertisedIpRanges": F(), "customLearnedIpRanges": F()}),
    "gcp:compute/haVpnGateway:HaVpnGateway": ("google_compute_ha_vpn_gateway", {
        "params": _PARAMS, "vpnInterfaces": F()}),
    "gcp:compute/externalVpnGateway:ExternalVpnGateway": ("google_compute_external_vpn_gateway", {
        "interfaces": F("interface"), "params": _PARAMS}),
    "gcp:compute/vPNTunnel:VPNTunnel": ("google_compute_vpn_tunnel", {
        "cipherSuite": F(one=True,
                         phase1=F(one=True, dhs=F("dh"), encryptions=F("encryption"),
                                  integrities=F("integrity"), prves=F("prf")),
                         phase2=F(one=True, encryptions=F("encryption"), integrities=F("integrity"))),
        "localTrafficSelectors": F("local_traffic_selector"), "remoteTrafficSelectors": F("remote_traffic_selector"),
        "params": _PARAMS}),
    "gcp:compute/resourcePolicy:ResourcePolicy": ("google_compute_resource_policy", {
        "snapshotSchedulePolicy": F(
            one=True, retentionPolicy=ONE,
            schedule=F(one=True, dailySchedule=ONE, hourlySchedule=ONE, weeklySchedule=F(one=True, dayOfWeeks=F())),
            snapshotProperties=F(one=True, storageLocations=ONE)),
        "diskConsistencyGroupPolicy": ONE, "groupPlacementPolicy": ONE,
        "instanceSchedulePolicy": F(one=True, vmStartSchedule=ONE, vmStopSchedule=ONE),
        "workloadPolicy": ONE}),
    "gcp:projects/iAMMember:IAMMember": ("google_project_iam_member", {"condition": ONE}),
    # --- GCP monitoring and audit logs (issue 13)
    "gcp:monitoring/notificationChannel:NotificationChannel": ("google_monitoring_notification_channel", {
        "labels": MAP, "userLabels": MAP, "sensitiveLabels": ONE}),
    "gcp:monitoring/alertPolicy:AlertPolicy": ("google_monitoring_alert_policy", {
        "alertStrategy": F(one=True, notificationChannelStrategies=F("notification_channel_strategy"),
                           notificationRateLimit=ONE),
        "conditions": F(conditionAbsent=F(one=True, trigger=ONE), conditionMatchedLog=F(one=True, labelExtractors=MAP),
                        conditionMonitoringQueryLanguage=F(one=True, trigger=ONE),
                        conditionPrometheusQueryLanguage=F(one=True, labels=MAP),
                        conditionSql=F(one=True, booleanTest=ONE, daily=F(one=True, executionTime=ONE), hourly=ONE,
                                       minutes=ONE, rowCountTest=ONE),
                        conditionThreshold=F(one=True, forecastOptions=ONE, trigger=ONE)),
        "documentation": ONE, "userLabels": MAP, "creationRecords": F("creation_record")}),
    "gcp:projects/iAMAuditConfig:IAMAuditConfig": ("google_project_iam_audit_config",
                                                   {"auditLogConfigs": F("audit_log_config")}),
    "gcp:logging/projectSink:ProjectSink": ("google_logging_project_sink", {"bigqueryOptions": ONE}),
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": ("google_logging_project_bucket_config",
                                                            {"cmekSettings": ONE}),
    "gcp:pubsub/topicIAMMember:TopicIAMMember": ("google_pubsub_topic_iam_member", {"condition": ONE}),
    "gcp:storage/bucketIAMMember:BucketIAMMember": ("google_storage_bucket_iam_member", {"condition": ONE}),
    # --- others the program registers
    "random:index/randomPassword:RandomPassword": ("random_password", {"keepers": MAP}),
    "vsphere:index/distributedPortGroup:DistributedPortGroup": ("vsphere_distributed_port_group",
                                                                {"customAttributes": MAP}),
}

TYPES: Mapping[str, TypeSpec] = MappingProxyType(
    {token: TypeSpec(tf, MappingProxyType(fields)) for token, (tf, fields) in _TABLE.items()})
TF_TO_TOKEN: Mapping[str, str] = MappingProxyType({s.tf_type: t for t, s in TYPES.items()})


def _camel(tf_name: str) -> str:
    head, *rest = tf_name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def pulumi_path(token: str, tf_key: str) -> str:
    """A Terraform attribute path as checkov names it (`rule/[0]/lifecycle/[0]/delete_after`) ->
    the Pulumi property path of the resource (`rules.lifecycle.deleteAfter`), through this table's
    renames; list indices dropped. "" for an empty key."""
    spec = TYPES.get(token)
    fields: Mapping[str, Field] = spec.fields if spec else {}
    out = []
    for part in tf_key.split("/"):
        if not part or part.startswith("["):
            continue
        found = next(((name, f) for name, f in fields.items() if (f.tf or "") == part), None)
        if found is None:
            found = next(((name, f) for name, f in fields.items() if not f.tf and _camel(part) == name), None)
        name, f = found if found else (_camel(part), None)
        out.append(name)
        fields = f.fields if f is not None else {}
    return ".".join(out)
