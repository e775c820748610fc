"""Every policy against its fixtures: the failing fixture yields exactly these violations (resource,
message), the passing fixture yields none — from any policy of the pack, so a passing fixture is a
whole compliant example. Props are built as the engine builds them (tests/policies/harness.py)."""

import json

import pytest

from policies.metadata import METADATA
from policies.registry import POLICIES

from .harness import FIXTURES, load, run

BY_ID = {p.name: p for p in POLICIES}

EXPECTED_FAIL = {
    'network-no-public-admin-ingress': [
        ('ssh-open-to-world',
         'ingress[0] allows tcp/22 from 0.0.0.0/0: exposes SSH (22)'),
        ('rdp-open-to-ipv6-world',
         'ingress rule allows tcp/3389 from ::/0: exposes RDP (3389)'),
        ('postgres-open-to-world',
         'ingress rule allows tcp/5432 from 0.0.0.0/0: exposes PostgreSQL (5432)'),
        ('all-open-no-source-ranges',
         'firewall allows all traffic from 0.0.0.0/0: exposes SSH (22), SQL Server (1433), Oracle (1521), MySQL (3306), RDP (3389), PostgreSQL (5432), Redis (6379), MongoDB (27017)'),
        ('mysql-in-port-range-open',
         'firewall allows tcp/3300-3310 from 0.0.0.0/0: exposes MySQL (3306)'),
    ],
    'network-ingress-allowlisted': [
        ('api-from-unlisted-range',
         "ingress[0]: source 203.0.113.128/25 is not in zone we1's subscriber allowlists"),
        ('sftp-from-api-only-subscriber',
         'ingress[0]: source 198.51.100.64/28 is allowlisted in zone we1 for api (tcp/443), not for tcp/22'),
        ('voice-from-non-voice-subscriber',
         'firewall: source 203.0.113.0/27 is allowlisted in zone we1 for api, sftp (tcp/443, tcp/22), not for tcp/5061'),
        ('we1-api-v4-9',
         "entries[0]: 203.0.113.128/25 is not in zone we1's subscriber allowlist for service api"),
    ],
    'network-default-deny': [
        ('open-default-group',
         'default security group open-default-group has 1 ingress and 1 egress rules; it must have none'),
        ('vpc-without-default-group',
         "VPC vpc-without-default-group has no DefaultSecurityGroup resource emptying its default group (AWS's default allows all traffic between members and all egress)"),
        ('net-without-deny-all',
         'network net-without-deny-all has no enabled deny-all ingress firewall rule (denies all protocols from 0.0.0.0/0 to every instance)'),
    ],
    'network-segment-isolation': [
        ('we1-db-sg-open-to-edge',
         "we1-db-sg-open-to-edge ingress[0]: edge -> db tcp/5432 is not allowed by zone we1's segment policy (allowed: nothing)"),
        ('app-ssh-from-edge',
         "app-ssh-from-edge ingress rule: edge -> app tcp/22 is not allowed by zone we1's segment policy (allowed: tcp/8080)"),
        ('app-to-every-gcp-segment',
         "app-to-every-gcp-segment firewall: app -> edge tcp/5432 is not allowed by zone we1's segment policy (allowed: nothing)"),
    ],
    'network-flow-logs': [
        ('subnet-without-flow-logs',
         'subnetwork subnet-without-flow-logs has no logConfig: VPC flow logs are off'),
        ('vpc-without-flow-log',
         'VPC vpc-without-flow-log has no flow log capturing ALL traffic'),
        ('vpc-reject-only',
         'VPC vpc-reject-only: flow log reject-only-flow-log captures only REJECT traffic; it must capture ALL'),
    ],
    'vpn-strong-crypto': [
        ('weak-second-tunnel',
         'tunnel2IkeVersions allows ikev1 (allowed: ikev2)'),
        ('weak-second-tunnel',
         'tunnel2Phase1EncryptionAlgorithms allows AES128 (allowed: AES256, AES256-GCM-16)'),
        ('weak-second-tunnel',
         'tunnel2Phase2EncryptionAlgorithms is not set: AWS then also accepts AES128'),
        ('weak-second-tunnel',
         'tunnel2Phase1IntegrityAlgorithms allows SHA1 (allowed: SHA2-384, SHA2-512)'),
        ('weak-second-tunnel',
         'tunnel2Phase2IntegrityAlgorithms is not set: AWS then also accepts SHA1'),
        ('weak-second-tunnel',
         'tunnel2Phase1DhGroupNumbers allows 2, 14 (allowed: 20, 21)'),
        ('weak-second-tunnel',
         'tunnel2Phase2DhGroupNumbers is not set: AWS then also accepts groups 2 and 14'),
        ('ikev1-default-ciphers',
         'ikeVersion is 1: only IKEv2 is allowed'),
        ('ikev1-default-ciphers',
         'cipherSuite is not set: GCP then proposes every supported cipher, including HMAC-SHA1-96 and DH Group-2 and Group-14'),
        ('sha1-and-group-14',
         'cipherSuite.phase1.integrities allows HMAC-SHA1-96 (allowed: HMAC-SHA2-384-192, HMAC-SHA2-512-256)'),
        ('sha1-and-group-14',
         'cipherSuite.phase1.dhs allows Group-14 (allowed: Group-20, Group-21)'),
        ('sha1-and-group-14',
         'cipherSuite.phase2 is not set: GCP then proposes every supported cipher'),
        ('gcm-with-integrity',
         'cipherSuite.phase1.integrities is set with AES-GCM only: Google documents AES-GCM as encryption and '
         'integrity in one, with no integrity algorithm; omit integrities'),
        ('gcm-with-integrity',
         'cipherSuite.phase2.integrities is set with AES-GCM only: Google documents AES-GCM as encryption and '
         'integrity in one, with no integrity algorithm; omit integrities'),
        ('undocumented-ciphers',
         'cipherSuite.phase1.encryptions has AES-GCM-12-256: not a phase1 value Google Cloud VPN documents '
         '(supported IKE ciphers)'),
        ('undocumented-ciphers',
         'cipherSuite.phase2.integrities has HMAC-SHA2-384-192: not a phase2 value Google Cloud VPN documents '
         '(supported IKE ciphers)'),
    ],
    'vpn-redundant': [
        ('static-routes-vpn',
         'VPN connection static-routes-vpn uses static routes only: BGP is required so traffic fails over between its two tunnels'),
        ('tunnel-without-router',
         'VPN tunnel tunnel-without-router has no Cloud Router: BGP routing is required'),
        ('classic-vpn-tunnel',
         'VPN tunnel classic-vpn-tunnel is Classic VPN (targetVpnGateway): no 99.99% SLA; use an HA VPN gateway'),
        ('half-ha-gateway',
         'HA VPN gateway half-ha-gateway has no tunnel on interface 1: 99.99% needs tunnels from every interface'),
    ],
    'iam-no-wildcard-actions': [
        ('ops-admin-star',
         'ops-admin-star inlinePolicies[ops] allows wildcard actions: *'),
        ('break-glass-without-mfa-policy',
         'break-glass-without-mfa-policy policy allows wildcard actions: ec2:*'),
        ('not-action-policy',
         'not-action-policy policy allows wildcard actions: NotAction:iam:*'),
        ('shared-with-maintainer',
         'shared-with-maintainer policy allows wildcard actions: ssm:*'),
    ],
    'iam-no-wildcard-resources-on-write': [
        ('write-on-any-resource',
         'policy allows 3 write/permissions-management action(s) on Resource "*": ec2:AuthorizeSecurityGroupIngress, ec2:RevokeSecurityGroupIngress, ssm:SendCommand'),
        ('passrole-on-not-resource',
         'policy allows 1 write/permissions-management action(s) on Resource "*": iam:PassRole'),
    ],
    'iam-no-admin-attachments': [
        ('ci-deployer-admin',
         'ci-deployer-admin attaches arn:aws:iam::aws:policy/AdministratorAccess to ci-deployer, not an MFA-gated break-glass role'),
        ('legacy-power-user',
         'role legacy-power-user has managed policy arn:aws:iam::aws:policy/PowerUserAccess and is not an MFA-gated break-glass role'),
        ('ops-group-iam-full',
         'ops-group-iam-full attaches arn:aws:iam::aws:policy/IAMFullAccess outside an MFA-gated break-glass role'),
    ],
    'iam-mfa-required-to-assume': [
        ('support-read-only-without-mfa',
         'assumeRolePolicy lets arn:aws:iam::210987654321:root assume the role without MFA'),
        ('mfa-false-is-not-mfa',
         'assumeRolePolicy lets arn:aws:iam::210987654321:user/legacy assume the role without MFA'),
    ],
    'iam-no-users': [
        ('legacy-operator',
         "IAM user legacy-operator: IAM users and their keys/policies are not allowed; people sign in through the identity provider's groups, workloads use roles"),
        ('legacy-operator-key',
         "access key legacy-operator-key: IAM users and their keys/policies are not allowed; people sign in through the identity provider's groups, workloads use roles"),
        ('legacy-operator-inline',
         "inline user policy legacy-operator-inline: IAM users and their keys/policies are not allowed; people sign in through the identity provider's groups, workloads use roles"),
    ],
    'iam-privilege-escalation': [
        ('passrole-and-run-instances',
         'policy grants privilege escalation: CreateEC2WithExistingIP (iam:passrole + ec2:runinstances)'),
        ('can-create-access-keys',
         'inlinePolicies[keys] grants privilege escalation: CreateAccessKey (iam:createaccesskey)'),
    ],
    'gcp-no-primitive-roles': [
        ('owner-member',
         'grants primitive role roles/owner: use the predefined roles of an access level (zones/access.yaml)'),
        ('editor-binding',
         'grants primitive role roles/editor: use the predefined roles of an access level (zones/access.yaml)'),
        ('project-policy-with-viewer',
         'grants primitive role roles/viewer: use the predefined roles of an access level (zones/access.yaml)'),
    ],
    'backup-retention': [
        ('short-retention-plan',
         '5 daily restore points need a schedule at least daily kept at least 5 days (daily: every 1 d, kept 3 d)'),
        ('short-retention-plan',
         '4 weekly restore points need a schedule at least weekly kept at least 28 days (daily: every 1 d, kept 3 d)'),
        ('short-retention-plan',
         '3 monthly restore points need a schedule at least monthly kept at least 92 days (daily: every 1 d, kept 3 d)'),
        ('kept-forever-plan',
         'daily has no retention (lifecycle.deleteAfter / maxRetentionDays): backups would be kept forever; retention must be expressed in days'),
        ('vault-without-customer-key',
         "kmsKeyArn is not set: the vault must be encrypted with the platform's customer-managed KMS key"),
        ('weekly-snapshots-30-days',
         '5 daily restore points need a schedule at least daily kept at least 5 days (snapshotSchedulePolicy: every 7 d, kept 30 d)'),
        ('weekly-snapshots-30-days',
         '3 monthly restore points need a schedule at least monthly kept at least 92 days (snapshotSchedulePolicy: every 7 d, kept 30 d)'),
    ],
    'backup-rpo': [
        ('weekly-only-selection',
         'backup selection weekly-only-selection uses plan weekly-only-plan, which runs every 7 d: the RPO needs a backup at least every 24 h'),
        ('weekly-snapshots',
         'snapshot schedule weekly-snapshots runs every 7 d: the RPO needs a snapshot at least every 24 h'),
        ('sql-without-backups',
         'Cloud SQL instance sql-without-backups has no automated backups (settings.backupConfiguration.enabled)'),
        ('untagged-database',
         'database untagged-database is not tagged backup=byside-daily: it must be backed up at least every 24 h'),
        ('files-selected-only-weekly',
         'file system files-selected-only-weekly is tagged but no selection of a daily plan selects backup=byside-daily: it must be backed up at least every 24 h'),
    ],
    'maintenance-window': [
        ('utc-sunday-23h',
         "schedule cron(0 23 ? * SUN *) (UTC, 120 min) runs outside zone we1's window 00:00-06:00 Europe/Lisbon: first at 2026-01-04 23:00 WET"),
        ('default-start-window-plan',
         "rule daily cron(0 1 * * ? *) (Europe/Lisbon, 480 min) runs outside zone we1's window 00:00-06:00 Europe/Lisbon: first at 2026-01-01 01:00 WET"),
        ('sa1-utc-midnight',
         "schedule cron(0 0 ? * SUN *) (UTC, 120 min) runs outside zone sa1's window 00:00-06:00 America/Sao_Paulo: first at 2026-01-03 21:00 -03"),
        ('rds-midday-maintenance',
         "preferredMaintenanceWindow mon:12:00-mon:13:00 (UTC, 60 min) runs outside zone we1's window 00:00-06:00 Europe/Lisbon: first at 2026-01-05 12:00 WET"),
        ('noon-snapshots',
         "snapshot schedule daily at 12:00 (UTC, 60 min) runs outside zone we1's window 00:00-06:00 Europe/Lisbon: first at 2026-01-01 12:00 WET"),
    ],
    'log-retention': [
        ('kept-forever-logs',
         'retentionInDays is not set: logs are kept forever (allowed 7-180 days)'),
        ('one-year-logs',
         'retentionInDays is 365 days, outside 7-180 days'),
        ('three-day-logs',
         'retentionInDays is 3 days, outside 7-180 days'),
        ('long-gcp-bucket',
         'retentionDays is 400 days, outside 7-180 days'),
    ],
    'secrets-not-plaintext': [
        ('plain-text-psk',
         'input tunnel1PresharedKey is plain text: make it a secret (config.require_secret / pulumi.Output.secret)'),
        ('plain-text-psk',
         'input tunnel2PresharedKey is plain text: make it a secret (config.require_secret / pulumi.Output.secret)'),
        ('plain-text-shared-secret',
         'input sharedSecret is plain text: make it a secret (config.require_secret / pulumi.Output.secret)'),
        ('plain-text-db-password',
         'input password is plain text: make it a secret (config.require_secret / pulumi.Output.secret)'),
        ('token-in-environment',
         'input environment.variables.ATLAS_API_TOKEN is plain text: make it a secret (config.require_secret / pulumi.Output.secret)'),
        ('idp-secret-in-details',
         'input providerDetails.client_secret is plain text: make it a secret (config.require_secret / pulumi.Output.secret)'),
        ('plain-text-parameter',
         'input value is plain text: make it a secret (config.require_secret / pulumi.Output.secret)'),
        ('password-in-user-data',
         'input tags.deploy-token is plain text: make it a secret (config.require_secret / pulumi.Output.secret)'),
        ('password-in-user-data',
         'input userData line 3 sets DB_PASSWORD in plain text: make it a secret (config.require_secret / pulumi.Output.secret)'),
    ],
    'zone-declared': [
        ('https-tagged-unknown-zone',
         "tags.zone is 'we9' (not a zone of zones/), but the resource is in stack we1: its zone is we1"),
        ('topic-labelled-other-zone',
         "labels.zone is 'sa1' (a zone of zones/), but the resource is in stack we1: its zone is we1"),
        ('renamed-stack-topic',
         "stack 'we1-staging' is not a zone of zones/ (zones: sa1, we1, we2): every stack of this project deploys one zone"),
        ('byside-we1-staging',
         "stack 'we1-staging' is not a zone of zones/ (zones: sa1, we1, we2): every stack of this project deploys one zone"),
    ],
    'network-no-world-ingress': [
        ('https-from-world',
         'ingress rule allows tcp/443 from 0.0.0.0/0: ingress from the whole internet'),
        ('alt-https-from-ipv6-world',
         'ingress rule allows tcp/8443 from ::/0: ingress from the whole internet'),
        ('web-no-source-ranges',
         'firewall allows tcp/80 from 0.0.0.0/0: ingress from the whole internet'),
        ('shop-public-web',
         'ingress[0] allows tcp/80 from 0.0.0.0/0: ingress from the whole internet'),
    ],
    'tags-required': [
        ('untagged-sg',
         'tags missing: zone, owner, data-classification'),
        ('wrong-owner-vpc',
         "tags owner is 'network'; zone we1 requires 'platform-sre'"),
        ('wrong-owner-vpc',
         "tags data-classification is 'public'; zone we1 requires 'confidential'"),
        ('half-labelled-gateway',
         'labels missing: owner, data-classification'),
    ],    'backup-restore-tested': [
        ('quarterly-noon-restore-test',
         'restore test quarterly-noon-restore-test runs every 93 d: restores must be tested at least monthly'),
        ('quarterly-noon-restore-test',
         "restore test quarterly-noon-restore-test (cron(0 12 15 */3 ? *) Europe/Lisbon, start window 1 h) starts outside zone we1's window 00:00-06:00 Europe/Lisbon: first at 2026-01-15 12:00 WET"),
        ('quarterly-noon-restore-test',
         'restore test quarterly-noon-restore-test has no EFS selection: the backup scope (relational-databases, subscriber-files) is restored only if every type is tested'),
        ('rds-validated-12h',
         'restore test selection rds-validated-12h validates for 12 h: restore and validation must fit the RTO of 12 h'),
        ('aurora-other-tag',
         "restore test selection aurora-other-tag selects resources tagged backup=weekly-only, not the zone's backed-up resources (backup=byside-daily)"),
        ('s3-without-validation-window',
         'restore test selection s3-without-validation-window sets no validationWindowHours: restored copies must be validated within the RTO of 12 h'),
        ('we1-plan-never-restored',
         'backup plan we1-plan-never-restored is never restore-tested: zone we1 needs an AWS Backup restore testing plan restoring from its vault at least monthly'),
        ('we2-plan-without-restore-test',
         'backup plan we2-plan-without-restore-test is never restore-tested: zone we2 needs an AWS Backup restore testing plan restoring from its vault at least monthly'),
    ],
    'backup-evidence': [
        ('weak-framework',
         'framework weak-framework: BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK requires a backup every 7 days, not at least every 24 h'),
        ('weak-framework',
         'framework weak-framework: BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK requires 3 days of retention, not at least 5'),
        ('weak-framework',
         'framework weak-framework: no BACKUP_RECOVERY_POINT_ENCRYPTED (recovery points encrypted)'),
        ('weak-framework',
         'framework weak-framework: BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN leaves Aurora, EFS out of its scope'),
        ('weak-framework',
         'framework weak-framework: RESTORE_TIME_FOR_RESOURCES_MEET_TARGET allows 720 minutes: restore plus 2 h of validation must fit the RTO of 12 h (600 minutes at most)'),
        ('restore-report-to-weak-bucket',
         'report plan restore-report-to-weak-bucket: evidence bucket unversioned-public-bucket is not encrypted with a KMS key (BucketServerSideEncryptionConfiguration aws:kms with kmsMasterKeyId)'),
        ('restore-report-to-weak-bucket',
         'report plan restore-report-to-weak-bucket: evidence bucket unversioned-public-bucket is not versioned (BucketVersioning status Enabled)'),
        ('restore-report-to-weak-bucket',
         'report plan restore-report-to-weak-bucket: evidence bucket unversioned-public-bucket does not block public access (blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true)'),
        ('restore-report-to-weak-bucket',
         "report plan restore-report-to-weak-bucket: evidence bucket unversioned-public-bucket expires objects after 365 days, not the zone's audit retention of 180 days"),
        ('compliance-report-elsewhere',
         'report plan compliance-report-elsewhere reports on no framework of zone we1'),
        ('compliance-report-elsewhere',
         'report plan compliance-report-elsewhere delivers to bucket someone-elses-bucket, which this plan does not declare: evidence must go to a bucket the zone manages'),
        ('aws-we2',
         'zone we2 backs up without an AWS Backup Audit Manager framework: nothing proves the RPO, retention, encryption, scope and RTO promises'),
        ('aws-we2',
         'zone we2 has no RESTORE_JOB_REPORT report plan: the evidence an auditor asks for is not delivered'),
        ('aws-we2',
         'zone we2 has no CONTROL_COMPLIANCE_REPORT report plan: the evidence an auditor asks for is not delivered'),
    ],
    'monitoring-coverage': [
        ('gcp-we1',
         'zone we1 has no enabled email notification channel for the operations channel ops-alerts@byside.example: no GCP alert reaches it'),
        ('vpn-one-tunnel-alarmed',
         'VPN connection vpn-one-tunnel-alarmed: 1 of its 2 tunnels have a TunnelState alarm to the operations channel'),
        ('vpn-alarms-to-nobody',
         'VPN connection vpn-alarms-to-nobody: 0 of its 2 tunnels have a TunnelState alarm to the operations channel'),
        ('tunnel-unwatched',
         'VPN tunnel we1-dc-lis-if0 has no enabled alert policy on vpn.googleapis.com/tunnel_established notifying the operations channel'),
        ('peer-policy-disabled',
         'BGP session we1-dc-lis-if0-bgp-peer has no enabled alert policy on router.googleapis.com/bgp/session_up notifying the operations channel'),
        ('plan-failures-unrouted',
         'backup plan plan-failures-unrouted: no EventBridge rule sends failed AWS Backup jobs (Backup Job State Change) to the operations channel'),
        ('aws-we1',
         'certificate api (api.we1.byside.example) of zone we1 has no DaysToExpiry alarm (tag certificate=api) to the operations channel'),
    ],
    'logging-audit-trail': [
        ('single-region-unvalidated-trail',
         'trail single-region-unvalidated-trail is not multi-region (isMultiRegionTrail)'),
        ('single-region-unvalidated-trail',
         'trail single-region-unvalidated-trail does not validate its log files (enableLogFileValidation)'),
        ('single-region-unvalidated-trail',
         'trail single-region-unvalidated-trail is not encrypted with a KMS key (kmsKeyId)'),
        ('single-region-unvalidated-trail',
         'trail single-region-unvalidated-trail is not delivered to CloudWatch Logs for real-time alerting (cloudWatchLogsGroupArn and cloudWatchLogsRoleArn)'),
        ('single-region-unvalidated-trail',
         "trail single-region-unvalidated-trail writes to bucket trail-bucket-kept-forever, which never expires objects (lifecycle): the zone's audit retention is 180 days"),
        ('sink-to-another-topic',
         'log sink sink-to-another-topic routes to pubsub.googleapis.com/projects/byside-we1-prod/topics/errors, not the SIEM destination pubsub.googleapis.com/projects/byside-siem-prod/topics/audit-logs'),
        ('sink-to-another-topic',
         "log sink sink-to-another-topic filter 'severity>=ERROR' does not select the audit logs (cloudaudit.googleapis.com)"),
        ('sink-to-another-topic',
         'log sink sink-to-another-topic has no grant for its writer identity on the destination (it cannot deliver)'),
        ('gcp-we1',
         'zone we1 has no log sink to the SIEM destination pubsub.googleapis.com/projects/byside-siem-prod/topics/audit-logs'),
        ('gcp-we1',
         'zone we1: compute.googleapis.com has no Data Access audit logs for ADMIN_READ, DATA_READ (IAMAuditConfig)'),
        ('gcp-we1',
         'zone we1: iam.googleapis.com has no Data Access audit logs for ADMIN_READ, DATA_READ, DATA_WRITE (IAMAuditConfig)'),
        ('gcp-we1',
         'zone we1: logging.googleapis.com has no Data Access audit logs for ADMIN_READ, DATA_READ, DATA_WRITE (IAMAuditConfig)'),
        ('gcp-we1',
         'zone we1: monitoring.googleapis.com has no Data Access audit logs for ADMIN_READ, DATA_READ, DATA_WRITE (IAMAuditConfig)'),
        ('aws-we2',
         'zone we2 has no CloudTrail trail: its AWS API activity reaches no SIEM'),
    ],
    'network-egress-declared': [
        ('mgmt-egress-to-world',
         "mgmt-egress-to-world egress[0]: egress to 0.0.0.0/0 (tcp/443) from mgmt: zone we1 declares no internet egress for mgmt (zones/we1.yaml `egress` with `internet: true` and the reason)"),
        ('app-to-unlisted-network',
         "app-to-unlisted-network egress rule: egress to 203.0.113.10/32 (tcp/443) from app is neither a flow of zone we1's segment policy nor a declared egress"),
        ('app-ssh-to-db',
         "app-ssh-to-db egress rule: egress to 10.11.32.0/22 (tcp/22) from app is neither a flow of zone we1's segment policy nor a declared egress"),
        ('app-to-prefix-list-8443',
         'app-to-prefix-list-8443 egress rule: egress to prefix list pl-0fixture (tcp/8443) from app: zone we1 declares no AWS service (gateway endpoint) egress for app'),
        ('untagged-group',
         "untagged-group egress[0]: egress (tcp/5432) from a group or rule with no segment: zone we1's egress is declared per segment (tag `segment` / network tag seg-<segment>)"),
        ('unknown-zone-to-world',
         'unknown-zone-to-world egress[0]: egress to ::/0 (all traffic): zone zz9 is not in zones/, so no egress to the internet is declared for it'),
        ('egress-everywhere',
         "egress-everywhere firewall: egress to 0.0.0.0/0 (tcp/443) from app, edge: zone we1 declares no internet egress for app, edge (zones/we1.yaml `egress` with `internet: true` and the reason)"),
        ('net-without-egress-deny',
         "network net-without-egress-deny has no enabled deny-all egress firewall rule (denies all to 0.0.0.0/0 for every instance): GCP's implied rule allows all egress"),
    ],
}


def test_every_policy_has_both_fixtures_and_expectations():
    assert set(EXPECTED_FAIL) == set(METADATA)
    for policy_id in METADATA:
        assert (FIXTURES / policy_id / "pass.json").is_file(), policy_id
        assert (FIXTURES / policy_id / "fail.json").is_file(), policy_id


@pytest.mark.parametrize("policy_id", sorted(METADATA))
def test_failing_fixture_reports_exactly(policy_id):
    resources = load(policy_id, "fail")
    urns = {r["name"]: r["urn"] for r in resources}
    found = run(BY_ID[policy_id], resources)
    assert [(urn.rsplit("::", 1)[-1], msg) for urn, msg in found] == EXPECTED_FAIL[policy_id]
    assert all(urn == urns[urn.rsplit("::", 1)[-1]] for urn, _ in found)  # attached to the right resource


@pytest.mark.parametrize("policy_id", sorted(METADATA))
def test_passing_fixture_passes_every_policy(policy_id):
    resources = load(policy_id, "pass")
    assert {p.name: run(p, resources) for p in POLICIES} == {p.name: [] for p in POLICIES}


def _secret_values(resource):
    """(key, value) of every place a fixture could hold a secret: envelopes anywhere, the inputs the
    provider schema marks secret, secret-named keys of free-form maps."""
    from policies.secret_inputs import _secret_name, free_form_maps, secret_properties

    def envelopes(node, key=""):
        if isinstance(node, dict):
            if "4dabf18193072939515e22adb298388d" in node:
                yield key, node
                return
            for k, v in node.items():
                yield from envelopes(v, k)
        elif isinstance(node, list):
            for v in node:
                yield from envelopes(v, key)

    inputs = resource.get("inputs", {})
    yield from envelopes(inputs)
    for name in secret_properties().get(resource["type"], []):
        if isinstance(inputs.get(name), str):
            yield name, inputs[name]

    def free(node):
        for k, v in node.items():
            if isinstance(v, dict):
                yield from free(v)
            elif isinstance(v, str) and _secret_name(k):
                yield k, v

    for name in free_form_maps(resource["type"]):
        if isinstance(inputs.get(name), dict):
            yield from free(inputs[name])


def test_fixtures_hold_no_real_looking_secrets():
    for path in sorted(FIXTURES.glob("*/*.json")):
        for key, value in (kv for r in json.loads(path.read_text()) for kv in _secret_values(r)):
            if isinstance(value, dict):  # a secret envelope: placeholder ciphertext, never a value
                assert set(value) == {"4dabf18193072939515e22adb298388d", "ciphertext"}, path
                assert value["ciphertext"] == "FAKE-CIPHERTEXT-PLACEHOLDER", path
            else:
                assert value.startswith("FAKE-") and value.endswith("PLACEHOLDER") or "PLACEHOLDER-" in value, (path, key)
