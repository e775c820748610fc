"""Every policy's metadata: ID, severity, description, remediation and the Service Description
clause it enforces (quoted verbatim). Data first: the pack, the gate, SARIF and the controls
matrix all read this table; nothing here runs a check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["critical", "high", "medium", "low"]
Enforcement = Literal["mandatory", "advisory"]


@dataclass(frozen=True)
class PolicyMeta:
    id: str
    title: str
    severity: Severity
    description: str
    remediation: str
    section: str  # Service Description heading the clause sits under
    clause: str  # verbatim sentence of the Service Description
    enforcement: Enforcement = "mandatory"
    kind: Literal["resource", "stack"] = "resource"
    zone_aware: bool = False  # needs the zone model; skipped for zones zones/ does not know
    resource_types: tuple[str, ...] = ()
    # Default level in stacks of other projects (PULUMI_PROJECT), where it differs from `enforcement`.
    foreign_enforcement: Enforcement | None = None


# ---------------------------------------------------------------- Service Description clauses

RESTRICTED_ACCESS = (
    "Restricted Access – In alignment with the least privilege principle, BySide’s security protocols mandate "
    "that access to our systems is strictly limited to BySide team members and only to those team members who "
    "need to access the systems to perform maintenance activities.")
ESSENTIAL_ACCESS = (
    "We adhere to a clear policy of granting only the essential level of access necessary for everyone's job "
    "responsibilities.")
AUTHORISED_ONLY = (
    "BySide’s security protocols are rigorously enforced to safeguard our data and systems, limiting access to "
    "resources only to authorized BySide personnel.")
SEGMENTED = (
    "BySide’s network infrastructure leverages advanced security measures like VLAN and VPN for secure, "
    "segmented environments, reducing unauthorized access risks.")
ALLOWLISTS = (
    "Additionally, access to our services may be restricted to pre-approved IP addresses (upon Subscriber "
    "request), enhancing security.")
SIEM = (
    "A key component is our SIEM system, providing real-time security alert analysis and aiding in the early "
    "detection of incidents.")
HIGH_AVAILABILITY = (
    "BySide platform has been architected with high-availability in mind and most of the Maintenance Services "
    "such as deployment of new releases, hot-fixes, patches can be done without any disruption to the Service "
    "or downtime.")
RETENTION_DB = "Relational databases – 5 daily backups, 4 weekly backups, 3 monthly backups."
FREQUENCY_DB = "Relational databases – daily snapshots."
RPO = ("In a situation where data needs to be restored from backup, Subscriber has a RPO of 24 hours and an RTO "
       "of up to 12 hours.")
MAINTENANCE = (
    "In the event a Service impact or downtime is expected for a Maintenance Service, Byside has defined "
    "maintenance time windows depending on the Production Zone.")
LOG_RETENTION = (
    "Applicational logs – We have different retention periods depending on the source of logs (service, "
    "application) that range from a minimum of 7 days to a maximum of 6 months.")
MONITORING = (
    "BySide monitors its systems 24/7, using a wide range of monitoring solutions and tools internally, using a "
    "proactive approach and ensuring the swift identification and resolution of potential issues.")
ZONES = (
    "Byside runs 3 production zones and Subscriber will be assigned into 1 of the production zones according to "
    "the geographic location and time zone of the Subscriber – in order to align with the maintenance time "
    "windows.")

SG = ("aws:ec2/securityGroup:SecurityGroup", "aws:ec2/securityGroupRule:SecurityGroupRule",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
      "gcp:compute/firewall:Firewall")
IAM_DOCS = ("aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy",
            "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy")

_ALL = [
    PolicyMeta(
        "network-no-public-admin-ingress", "No admin or database port open to the internet", "critical",
        "No SSH, RDP or database port is reachable from 0.0.0.0/0 or ::/0, in AWS security groups (inline or "
        "separate rule resources) or GCP firewall rules.",
        "Remove the 0.0.0.0/0 / ::/0 source from the rule; reach hosts through the VPN from the mgmt segment "
        "(SSM Session Manager / IAP for ad-hoc access).",
        "Security", RESTRICTED_ACCESS, resource_types=SG),
    PolicyMeta(
        "network-ingress-allowlisted", "Internet ingress only from subscriber allowlists", "high",
        "Ingress from internet (non-private) addresses comes only from the zone's declared subscriber allowlists, "
        "on the ports of the services those subscribers are allowlisted to; managed prefix lists hold only "
        "allowlisted ranges.",
        "Add the subscriber range to zones/<zone>.yaml `allowlists` (reviewed) and let the allowlist compiler "
        "generate the prefix lists / firewall rules, instead of writing ranges into rules by hand.",
        "Network Infrastructure Security", ALLOWLISTS, zone_aware=True,
        resource_types=SG + ("aws:ec2/managedPrefixList:ManagedPrefixList",)),
    PolicyMeta(
        "network-default-deny", "Default deny", "high",
        "Every AWS VPC's default security group is managed with no rules; every GCP network has an enabled "
        "deny-all ingress rule for 0.0.0.0/0 applying to all instances.",
        "Add aws.ec2.DefaultSecurityGroup(vpc_id=vpc.id) with no ingress/egress for each VPC; add a "
        "`<zone>-deny-all-ingress` firewall (denies all, sourceRanges 0.0.0.0/0, lowest priority) per network.",
        "Network Infrastructure Security", SEGMENTED, kind="stack",
        resource_types=("aws:ec2/vpc:Vpc", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                        "gcp:compute/network:Network", "gcp:compute/firewall:Firewall")),
    PolicyMeta(
        "network-segment-isolation", "Segments talk only as the segment policy allows", "high",
        "Ingress between two segments of a zone (by CIDR of any site, or by segment/service tag) is allowed only on "
        "the ports the zone's segment_policy grants from the source to the destination segment.",
        "Narrow the rule's source to the permitted segment and ports, or add the flow to the zone's "
        "segment_policy (reviewed) if it is really needed.",
        "Network Infrastructure Security", SEGMENTED, kind="stack", zone_aware=True, resource_types=SG),
    PolicyMeta(
        "network-flow-logs", "Flow logs on every network", "medium",
        "Every AWS VPC has a flow log capturing ALL traffic; every GCP subnetwork has flow logging (logConfig).",
        "Add aws.ec2.FlowLog(vpc_id=vpc.id, traffic_type='ALL', ...) per VPC; set log_config on each GCP "
        "subnetwork.",
        "Network Infrastructure Security", SIEM, kind="stack",
        resource_types=("aws:ec2/vpc:Vpc", "aws:ec2/flowLog:FlowLog", "gcp:compute/subnetwork:Subnetwork")),
    PolicyMeta(
        "vpn-strong-crypto", "VPN tunnels use strong crypto only", "critical",
        "IKEv2 only; AES-256 (GCM preferred); SHA2-384 or stronger; DH group 20 or 21; never SHA1, DH 2/14 or "
        "IKEv1 — on both tunnels of every AWS VPN connection and on every GCP VPN tunnel.",
        "Set tunnel{1,2}IkeVersions ['ikev2'], Phase{1,2}EncryptionAlgorithms ['AES256-GCM-16'], "
        "IntegrityAlgorithms ['SHA2-384'], DhGroupNumbers [20]; GCP: ikeVersion 2 and a cipherSuite Google "
        "documents (Supported IKE ciphers): phase 1 AES-GCM-16-256 with no integrities, PRF-HMAC-SHA2-384, "
        "Group-20; phase 2 AES-GCM-16-256, pfs Group-20.",
        "Network Infrastructure Security", SEGMENTED,
        resource_types=("aws:ec2/vpnConnection:VpnConnection", "gcp:compute/vPNTunnel:VPNTunnel")),
    PolicyMeta(
        "vpn-redundant", "Redundant VPN with BGP", "high",
        "AWS VPN connections route with BGP (two tunnels each); GCP tunnels are HA VPN (not Classic), routed by "
        "a Cloud Router, and cover every interface of their HA VPN gateway.",
        "Do not set staticRoutesOnly; use gcp.compute.HaVpnGateway with one tunnel per interface "
        "(vpnGatewayInterface 0 and 1), each with router= a Cloud Router and a BGP peer.",
        "Maintenance Services", HIGH_AVAILABILITY, kind="stack",
        resource_types=("aws:ec2/vpnConnection:VpnConnection", "gcp:compute/vPNTunnel:VPNTunnel",
                        "gcp:compute/haVpnGateway:HaVpnGateway")),
    PolicyMeta(
        "iam-no-wildcard-actions", "No wildcard IAM actions", "high",
        "No IAM policy allows `*` or `service:*` actions or uses Allow+NotAction, except a break-glass role whose "
        "trust policy requires MFA.",
        "List the actions the role needs (see zones/access.yaml levels); keep service-wide grants to the "
        "MFA-gated break-glass role.",
        "Security", ESSENTIAL_ACCESS, kind="stack", resource_types=IAM_DOCS),
    PolicyMeta(
        "iam-no-wildcard-resources-on-write", "No write access on Resource \"*\"", "high",
        "No IAM policy allows Write or Permissions-management actions (policy_sentry access levels) on "
        "`Resource: \"*\"` (or NotResource) where the action can be scoped to a resource ARN.",
        "Scope the statement's Resource to the zone's ARNs, e.g. arn:aws:ec2:<region>:<account>:security-group/*.",
        "Security", ESSENTIAL_ACCESS, resource_types=IAM_DOCS),
    PolicyMeta(
        "iam-no-admin-attachments", "No admin managed policies", "critical",
        "AdministratorAccess, PowerUserAccess and IAMFullAccess are attached to nothing but an MFA-gated "
        "break-glass role.",
        "Attach a policy built from the access level's actions instead; keep broad access on the break-glass role.",
        "Security", RESTRICTED_ACCESS, kind="stack",
        resource_types=("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment",
                        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
                        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "aws:iam/role:Role",
                        "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment")),
    PolicyMeta(
        "iam-mfa-required-to-assume", "MFA to assume human roles", "critical",
        "Every role that a person can assume (account, user or SAML principal) requires MFA in its trust policy "
        "(aws:MultiFactorAuthPresent true, or aws:MultiFactorAuthAge).",
        "Add Condition {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}} to each human sts:AssumeRole statement.",
        "Security", RESTRICTED_ACCESS, resource_types=("aws:iam/role:Role",)),
    PolicyMeta(
        "iam-no-users", "No IAM users", "high",
        "No IAM users, access keys, login profiles or inline/attached user policies: people come through the "
        "identity provider's groups (zones/access.yaml), workloads through roles.",
        "Delete the user; give the person a team in zones/access.yaml, or the workload a role.",
        "Security", AUTHORISED_ONLY,
        resource_types=("aws:iam/user:User", "aws:iam/accessKey:AccessKey", "aws:iam/userPolicy:UserPolicy",
                        "aws:iam/userLoginProfile:UserLoginProfile", "aws:iam/userPolicyAttachment:UserPolicyAttachment")),
    PolicyMeta(
        "iam-privilege-escalation", "No privilege-escalation paths", "critical",
        "No IAM policy grants a known privilege-escalation combination (Rhino Security Labs methods, as "
        "cloudsplaining detects them).",
        "Remove or resource-scope the actions named in the message (e.g. iam:PassRole to named roles only).",
        "Security", ESSENTIAL_ACCESS, resource_types=IAM_DOCS),
    PolicyMeta(
        "gcp-no-primitive-roles", "No GCP primitive roles", "high",
        "No roles/owner, roles/editor or roles/viewer in any GCP IAM member, binding or policy.",
        "Grant the predefined roles of the access level in zones/access.yaml (e.g. roles/compute.viewer).",
        "Security", ESSENTIAL_ACCESS,
        resource_types=("gcp:projects/iAMMember:IAMMember", "gcp:projects/iAMBinding:IAMBinding",
                        "gcp:projects/iAMPolicy:IAMPolicy")),
    PolicyMeta(
        "backup-retention", "Backups kept 5 daily / 4 weekly / 3 monthly", "high",
        "Backup plans and snapshot schedules keep 5 daily, 4 weekly and 3 monthly restore points, expressed as "
        "retention in days (5, 28 and the longest 3 consecutive months); backup vaults use a customer KMS key.",
        "Give the daily rule deleteAfter >= 5, a weekly rule >= 28 and a monthly rule >= 92 days (or one daily "
        "rule >= 92); set kmsKeyArn on the vault.",
        "Data Retention", RETENTION_DB,
        resource_types=("aws:backup/plan:Plan", "aws:backup/vault:Vault", "gcp:compute/resourcePolicy:ResourcePolicy")),
    PolicyMeta(
        "backup-rpo", "A backup every 24 h for every selected resource", "high",
        "Every AWS backup selection belongs to a plan with a rule running at least every 24 h; every database "
        "or file store in scope is selected (zone selection tag) by such a plan; GCP snapshot schedules run at "
        "least every 24 h and Cloud SQL instances have automated backups.",
        "Tag the resource with the zone's backup selection tag and select it from the daily plan; use a daily or "
        "hourly snapshot schedule.",
        "Restore Point Objective (“RPO”) and Restore Time Objective (“RTO”)", RPO, kind="stack",
        resource_types=("aws:backup/selection:Selection", "aws:backup/plan:Plan", "aws:rds/instance:Instance",
                        "aws:rds/cluster:Cluster", "aws:efs/fileSystem:FileSystem",
                        "gcp:compute/resourcePolicy:ResourcePolicy", "gcp:sql/databaseInstance:DatabaseInstance")),
    PolicyMeta(
        "maintenance-window", "Schedules inside the zone's maintenance window", "medium",
        "Every maintenance window, backup schedule (with its start window) and snapshot schedule lies inside "
        "the zone's 00:00-06:00 local window on every day of the year, daylight saving included.",
        "Schedule in the zone's timezone (scheduleTimezone / scheduleExpressionTimezone) within the window, and "
        "keep duration / startWindow short enough to end by the window's end.",
        "Maintenance Services", MAINTENANCE, zone_aware=True,
        resource_types=("aws:ssm/maintenanceWindow:MaintenanceWindow", "aws:backup/plan:Plan",
                        "gcp:compute/resourcePolicy:ResourcePolicy", "aws:rds/instance:Instance",
                        "aws:rds/cluster:Cluster")),
    PolicyMeta(
        "log-retention", "Logs kept 7 to 180 days", "medium",
        "Every CloudWatch log group and GCP log bucket keeps logs at least 7 and at most 180 days (never "
        "forever).",
        "Set retentionInDays (CloudWatch) / retentionDays (GCP) to the zone's log_retention value for the source.",
        "Data Retention", LOG_RETENTION,
        resource_types=("aws:cloudwatch/logGroup:LogGroup", "gcp:logging/projectBucketConfig:ProjectBucketConfig")),
    PolicyMeta(
        "secrets-not-plaintext", "No plain-text secrets in inputs", "critical",
        "No pre-shared key, password, token or private key input is a plain-text value: each is a Pulumi secret.",
        "Read it with pulumi.Config().require_secret(...) or wrap it in pulumi.Output.secret(...); never put it "
        "in code or zone data.",
        "Security", AUTHORISED_ONLY),
    PolicyMeta(
        "tags-required", "Zone, owner and data-classification tags", "low",
        "Every taggable AWS resource has `zone`, `owner` and `data-classification` tags (GCP: labels); for a "
        "known zone, owner is the zone's owner team and data-classification the platform's.",
        "Pass explicit tags (zone, owner, data-classification) to every resource; the zone component does it "
        "from the zone model.",
        "BySide Infrastructure", ZONES),
    # ------------------------------------------------------------ issue 13: restores, monitoring, SIEM
    PolicyMeta(
        "backup-restore-tested", "Restores tested monthly, validated within the RTO", "high",
        "Every AWS backup plan's vault is restored by an AWS Backup restore testing plan at least monthly, starting "
        "inside the zone's window (DST-aware), with a selection for every resource type of the backup scope "
        "(relational databases: RDS, Aurora; subscriber files: EFS) picking the zone's backed-up resources and a "
        "validation window shorter than the RTO.",
        "Add aws.backup.RestoreTestingPlan (schedule in the zone's timezone at the window's start, startWindowHours "
        "1, includeVaults the zone's vault) and one RestoreTestingSelection per type with validationWindowHours "
        "below the RTO (infra/aws/restore_testing.py).",
        "Restore Point Objective (“RPO”) and Restore Time Objective (“RTO”)", RPO, kind="stack", zone_aware=True,
        resource_types=("aws:backup/plan:Plan", "aws:backup/vault:Vault", "aws:backup/restoreTestingPlan:RestoreTestingPlan",
                        "aws:backup/restoreTestingSelection:RestoreTestingSelection")),
    PolicyMeta(
        "backup-evidence", "Backup Audit Manager evidence for RPO, retention and RTO", "high",
        "Every zone that backs up on AWS has an AWS Backup Audit Manager framework with the controls that express "
        "the promises (minimum frequency <= RPO and retention, recovery points encrypted, resources protected by a "
        "plan, restore time <= RTO less the validation window) and RESTORE_JOB_REPORT and CONTROL_COMPLIANCE_REPORT "
        "report plans delivering to a KMS-encrypted, versioned, private bucket that expires evidence after the "
        "zone's audit retention.",
        "Add aws.backup.Framework with those controls and aws.backup.ReportPlan per template to the zone's evidence "
        "bucket (infra/aws/backup_evidence.py); keep log_retention.audit in zones/<zone>.yaml.",
        "Restore Point Objective (“RPO”) and Restore Time Objective (“RTO”)", RPO, kind="stack", zone_aware=True,
        resource_types=("aws:backup/framework:Framework", "aws:backup/reportPlan:ReportPlan", "aws:s3/bucket:Bucket")),
    PolicyMeta(
        "monitoring-coverage", "Tunnels, backups and certificates alert the operations channel", "high",
        "Every VPN tunnel (AWS TunnelState alarms on both tunnels; GCP alert policies on tunnel_established and on "
        "each BGP session), every AWS backup plan and restore test (EventBridge rules on failed jobs) and every "
        "certificate a zone declares as served by ACM (DaysToExpiry alarm) has an alert that reaches the operations "
        "channel of zones/platform.yaml (SNS email subscription / Cloud Monitoring email channel).",
        "Wire the alarm, alert policy or EventBridge target to the ops topic / notification channel "
        "(infra/aws/monitoring.py, infra/gcp/monitoring.py); declare served certificates in the zone file.",
        "Monitoring", MONITORING, kind="stack", zone_aware=True,
        resource_types=("aws:ec2/vpnConnection:VpnConnection", "gcp:compute/vPNTunnel:VPNTunnel",
                        "gcp:compute/routerPeer:RouterPeer", "aws:backup/plan:Plan",
                        "aws:cloudwatch/metricAlarm:MetricAlarm", "gcp:monitoring/alertPolicy:AlertPolicy",
                        "aws:cloudwatch/eventRule:EventRule")),
    PolicyMeta(
        "logging-audit-trail", "An audit trail for the SIEM in every zone", "high",
        "AWS: a multi-region CloudTrail with log file validation, KMS encryption and CloudWatch Logs delivery, "
        "writing to a KMS-encrypted, versioned, private bucket that expires logs after the zone's audit retention. "
        "GCP: Data Access audit logs for the platform's listed services and an enabled log sink of audit logs to "
        "the SIEM destination of zones/platform.yaml, its writer identity granted there.",
        "Add the zone's audit trail (infra/aws/audit_trail.py, infra/gcp/audit_logs.py); set log_retention.audit "
        "in zones/<zone>.yaml and audit_trail in zones/platform.yaml.",
        "Network Infrastructure Security", SIEM, kind="stack", zone_aware=True,
        resource_types=("aws:cloudtrail/trail:Trail", "gcp:projects/iAMAuditConfig:IAMAuditConfig",
                        "gcp:logging/projectSink:ProjectSink")),
]

# Issue 9: fail closed on zones, and no ingress from the whole internet anywhere.
_ALL += [
    PolicyMeta(
        "zone-declared", "Every resource in a zone of zones/", "high",
        "In a stack of this project, every resource belongs to a zone of zones/ (its stack is a zone id) and its "
        "`zone` tag or label, where present, equals its stack's zone.",
        "Deploy to a stack named after a zone of zones/ (we1, we2, sa1, ...) and let the zone component set the "
        "`zone` tag from the zone model; add the zone to zones/ (reviewed) before its first stack.",
        "BySide Infrastructure", ZONES),
    PolicyMeta(
        "network-no-world-ingress", "No ingress from the whole internet", "critical",
        "No security group, security group rule or firewall rule admits ingress from 0.0.0.0/0 or ::/0, on any "
        "port, unless it is part of a declared allowlist of a known zone. Zone-independent: advisory by default "
        "in other projects' stacks, mandatory in this project's.",
        "Replace the 0.0.0.0/0 / ::/0 source with the subscriber ranges of zones/<zone>.yaml `allowlists` (the "
        "allowlist compiler generates the prefix lists and firewall rules), or reach the service through the VPN.",
        "Network Infrastructure Security", ALLOWLISTS, resource_types=SG, foreign_enforcement="advisory"),
]

# Issue 11: egress as declared.
_ALL += [
    PolicyMeta(
        "network-egress-declared", "Egress only as the zone declares it", "high",
        "No egress to 0.0.0.0/0 or ::/0 unless the zone declares it (with its reason); in a known zone, a segment's "
        "egress goes only where a flow of its segment policy or a declared egress (a gateway endpoint's prefix "
        "list, a named network, Google's private API range) leads; every GCP network denies all other egress "
        "(GCP's implied rule allows it).",
        "Derive egress from zones/egress.py (infra/aws/egress.py, infra/gcp/firewall.py); declare what else a "
        "segment must reach in the zone file's `egress` (from, to, ports, reason); add `<zone>-deny-all-egress` "
        "(denies all to 0.0.0.0/0, lowest priority) per GCP network.",
        "Network Infrastructure Security", SEGMENTED, kind="stack", zone_aware=True,
        resource_types=("aws:ec2/securityGroup:SecurityGroup", "aws:ec2/securityGroupRule:SecurityGroupRule",
                        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "gcp:compute/firewall:Firewall",
                        "gcp:compute/network:Network")),
]

METADATA: dict[str, PolicyMeta] = {m.id: m for m in _ALL}
POLICY_IDS: tuple[str, ...] = tuple(METADATA)
