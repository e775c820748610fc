"""The facts behind monitoring, the audit trail and maintenance notices: each bad value is an error
(or a warning) naming file, YAML path and line."""

from .conftest import edit, errors, warnings

import zones


def test_repository_data_declares_the_new_facts():
    p = zones.load_platform()
    assert p.platform.audit_trail.siem.sink_destination() == "pubsub.googleapis.com/projects/byside-siem-prod/topics/audit-logs"
    assert p.platform.monitoring.certificate_warning_days == 30
    assert {s.id: s.country for s in p.subscribers.values()} == {
        "sub-lusomarket": "PT", "sub-tagus-bank": "PT", "sub-douro-telecom": "PT", "sub-meseta-seguros": "ES",
        "sub-thames-energy": "GB", "sub-paulista-varejo": "BR", "sub-cerrado-auto": "BR"}
    we1 = p.zone("we1")
    assert [(c.name, c.served_by) for c in we1.certificates] == [("api", "acm"), ("sip", "external")]
    assert (we1.restore_test.day_of_month, we1.restore_test.validation_hours) == (15, 2)


def test_unknown_country_code(zdir):
    edit(zdir, "subscribers.yaml", "zone: we2, country: ES", "zone: we2, country: XX")
    edit(zdir, "subscribers.yaml", "zone: sa1, country: BR}", "zone: sa1, country: ZZ}")
    assert errors(zdir) == [
        "zones/subscribers.yaml:9 subscribers[3].country: unknown country code 'XX': not an ISO 3166-1 alpha-2 code "
        "the holidays library has a calendar for",
        "zones/subscribers.yaml:11 subscribers[5].country: unknown country code 'ZZ': not an ISO 3166-1 alpha-2 code "
        "the holidays library has a calendar for",
    ]


def test_country_must_be_two_capitals(zdir):
    edit(zdir, "subscribers.yaml", "country: GB", "country: gbr")
    assert errors(zdir) == ["zones/subscribers.yaml:10 subscribers[4].country: String should match pattern "
                            "'^[A-Z]{2}$' (got 'gbr')"]


def test_missing_country_is_a_warning(zdir):
    edit(zdir, "subscribers.yaml", ", country: GB", "")
    assert errors(zdir) == []
    assert "zones/subscribers.yaml:10 subscribers[4]: warning: subscriber 'sub-thames-energy' has no `country`: " \
           "maintenance notices cannot count its public holidays" in warnings(zdir)


def test_operations_channel_must_be_an_email(zdir):
    edit(zdir, "platform.yaml", "operations_email: ops-alerts@byside.example", "operations_email: ops-alerts")
    assert errors(zdir) == ["zones/platform.yaml:8 operations_email: 'ops-alerts' is not an email address: alerts "
                            "from AWS (SNS) and GCP (Cloud Monitoring) are sent to it"]


def test_siem_destination_shapes(zdir):
    edit(zdir, "platform.yaml", "siem: {type: pubsub, project: byside-siem-prod, topic: audit-logs}",
         "siem: {type: pubsub, project: byside-siem-prod, topic: goog-audit, bucket: siem-bucket}")
    edit(zdir, "platform.yaml", "logging.googleapis.com, monitoring", "logging.googleapis.com, compute.googleapis.com, Monitoring")
    lines = errors(zdir)
    assert lines == [
        "zones/platform.yaml:46 audit_trail.siem.bucket: a pubsub destination takes no `bucket`",
        "zones/platform.yaml:46 audit_trail.siem.topic: 'goog-audit' is not a Pub/Sub topic id (3-255 characters: a "
        "letter, then letters, digits, - _ . ~ + %; not starting with goog)",
        "zones/platform.yaml:47 audit_trail.gcp_data_access_services[3]: duplicate service 'compute.googleapis.com' "
        "(first at line 47)",
        "zones/platform.yaml:47 audit_trail.gcp_data_access_services[4]: 'Monitoring.googleapis.com' is not a Google "
        "API service name (e.g. compute.googleapis.com)",
    ]


def test_siem_bucket_destination(zdir):
    edit(zdir, "platform.yaml", "siem: {type: pubsub, project: byside-siem-prod, topic: audit-logs}",
         "siem: {type: bucket, bucket: byside-siem-audit}")
    p = zones.load_platform(zdir)
    assert p.platform.audit_trail.siem.sink_destination() == "storage.googleapis.com/byside-siem-audit"
    edit(zdir, "platform.yaml", "bucket: byside-siem-audit}", "bucket: Bad_Bucket}")
    assert errors(zdir) == ["zones/platform.yaml:46 audit_trail.siem.bucket: 'Bad_Bucket' is not a Cloud Storage "
                            "bucket name"]


def test_certificate_warning_days_in_range(zdir):
    edit(zdir, "platform.yaml", "certificate_warning_days: 30", "certificate_warning_days: 200")
    assert errors(zdir) == ["zones/platform.yaml:51 monitoring.certificate_warning_days: Input should be less than "
                            "or equal to 90 (got 200)"]


def test_audit_retention_is_required_and_bounded(zdir):
    edit(zdir, "we2.yaml", "  audit: 180\n", "")
    edit(zdir, "sa1.yaml", "audit: 180", "audit: 400")
    assert errors(zdir) == [
        "zones/sa1.yaml:66 log_retention.audit: 400 days for 'audit' is outside 7-180 days (7 days to 6 months)",
        "zones/we2.yaml:66 log_retention: `audit` is missing: the audit trail (CloudTrail bucket and logs, GCP audit "
        "logs) keeps logs this many days (7-180)",
    ]


def test_restore_validation_must_leave_time_to_restore(zdir):
    edit(zdir, "we1.yaml", "validation_hours: 2", "validation_hours: 12")
    assert errors(zdir) == ["zones/we1.yaml:76 restore_test.validation_hours: 12 h of validation leaves no time to "
                            "restore within the RTO of 12 h"]


def test_restore_day_of_month_every_month(zdir):
    edit(zdir, "we1.yaml", "day_of_month: 15", "day_of_month: 31")
    assert errors(zdir) == ["zones/we1.yaml:76 restore_test.day_of_month: Input should be less than or equal to 28 "
                            "(got 31)"]


def test_certificates(zdir):
    edit(zdir, "we1.yaml", "{name: api, domain: api.we1.byside.example, served_by: acm}",
         "{name: api, domain: api..byside.example, served_by: acm, check: zabbix}")
    edit(zdir, "we1.yaml", 'served_by: external, check: "Zabbix', 'served_by: external, acm_arn: x, check: " Zabbix')
    edit(zdir, "we2.yaml", "{name: api, domain: api.we2.byside.example, served_by: acm}",
         "{name: api, domain: api.we2.byside.example, served_by: acm, acm_arn: "
         "'arn:aws:acm:eu-west-1:321098765432:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'}\n"
         "  - {name: api, domain: sftp.we2.byside.example, served_by: external}")
    assert errors(zdir) == [
        "zones/we1.yaml:81 certificates[0].check: an ACM certificate is watched by its DaysToExpiry alarm; `check` is "
        "for external certificates",
        "zones/we1.yaml:81 certificates[0].domain: 'api..byside.example' is not a DNS name",
        "zones/we1.yaml:82 certificates[1].acm_arn: `acm_arn` is for certificates served by ACM",
        "zones/we2.yaml:78 certificates[0].acm_arn: the certificate is in eu-west-1 / 321098765432, not the zone's "
        "eu-central-1 / 321098765432",
        "zones/we2.yaml:79 certificates[1]: an external certificate needs `check`: how its expiry is watched",
        "zones/we2.yaml:79 certificates[1].name: duplicate certificate 'api' (first at line 78)",
    ]


def test_acm_certificate_needs_an_aws_site(zdir):
    edit(zdir, "we2.yaml", "aws: {region: eu-central-1", "# aws: {region: eu-central-1")
    out = errors(zdir)
    assert "zones/we2.yaml:78 certificates[0].served_by: served by ACM, but this zone has no AWS site" in out


def test_zones_show_describes_restore_test_certificates_and_subscribers():
    from datetime import date

    from zones.describe import describe_zone

    d = describe_zone(zones.load_platform(), "sa1", date(2026, 1, 1))
    assert d["restore_test"] == {"day_of_month": 15, "validation_hours": 2}
    assert [c["name"] for c in d["certificates"]] == ["api", "sip"]
    assert d["certificates"][0] == {"name": "api", "domain": "api.sa1.byside.example", "served_by": "acm"}
    assert d["subscribers"] == [{"id": "sub-cerrado-auto", "name": "Cerrado Auto", "country": "BR"},
                                {"id": "sub-paulista-varejo", "name": "Paulista Varejo", "country": "BR"}]


def test_holiday_countries_are_the_libraries_own_alpha2_codes():
    import holidays

    from zones.validate_promises import holiday_countries

    assert holiday_countries() == {c for c in holidays.list_supported_countries() if len(c) == 2}
