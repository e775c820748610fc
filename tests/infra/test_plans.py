"""Pure planning rules (infra/plans.py), on the real zones."""

from __future__ import annotations

import json

import pytest

from infra import plans


def test_backup_rules_turn_counts_into_ages_inside_the_window(platform):
    for zone in platform.zones.values():
        rules = plans.backup_rules(zone)
        assert [(r.name, r.schedule, r.delete_after_days, r.start_window, r.completion_window) for r in rules] == [
            ("daily", "cron(0 1 * * ? *)", 5, 60, 300),
            ("weekly", "cron(0 1 ? * SUN *)", 28, 60, 300),
            ("monthly", "cron(0 1 1 * ? *)", 93, 60, 300),
        ]


def test_backup_start_outside_the_window_is_rejected(platform):
    zone = platform.zone("we1")
    bad = zone.model_copy(update={"backup": zone.backup.model_copy(update={"start": "05:30"})})
    with pytest.raises(ValueError, match="backup start 05:30 leaves no hour inside the window 00:00-06:00"):
        plans.backup_rules(bad)


def test_gcp_snapshot_hour_is_utc_and_inside_the_window_summer_and_winter(platform):
    # Lisbon: UTC+0 / UTC+1 -> 01:00Z is 01:00 or 02:00 local; Sao Paulo: UTC-3 -> 04:00Z is 01:00.
    assert {z: plans.gcp_snapshot_start_utc(platform.zone(z)) for z in platform.zones} == {
        "sa1": "04:00", "we1": "01:00", "we2": "01:00"}
    assert plans.utc_offsets("Europe/Lisbon") == [0, 60]
    assert plans.utc_offsets("America/Sao_Paulo") == [-180]


def test_maintenance_window_duration_is_the_shortest_night(platform):
    # 2026-03-29 in Lisbon: 00:00-06:00 local lasts 5 h, so a 6 h SSM window would overrun it.
    assert plans.maintenance_cron(platform.zone("we1")) == ("cron(0 0 * * ? *)", 5, 1)
    assert plans.maintenance_cron(platform.zone("sa1")) == ("cron(0 0 * * ? *)", 6, 1)


def test_vpc_cidr_is_the_smallest_block_holding_every_segment():
    assert plans.vpc_cidr(["10.11.0.0/22", "10.11.16.0/20", "10.11.32.0/22", "10.11.48.0/24"]) == "10.11.0.0/18"
    with pytest.raises(ValueError, match="AWS allows /16 at most"):
        plans.vpc_cidr(["10.0.0.0/24", "10.200.0.0/24"])


def test_link_local_ranges_are_unique_across_zones_dcs_and_tunnels():
    seen = {plans.link_local_30(z, d, t, 2)[0] for z in range(3) for d in range(2) for t in range(2)}
    assert len(seen) == 12
    assert plans.link_local_30(1, 0, 1, 2) == ("169.254.64.20/30", "169.254.64.21", "169.254.64.22")
    assert plans.link_local_30(1023, 1, 1, 2)[0] == "169.254.127.252/30"  # the last of 4,096
    with pytest.raises(ValueError, match="outside 169.254.64.0/18"):
        plans.link_local_30(1024, 0, 0, 2)


def test_segment_rules_of_one_pair_are_merged():
    from zones.model import SegmentRule

    tcp = lambda p: {"protocol": "tcp", "from_port": p, "to_port": p}  # noqa: E731
    rules = [SegmentRule.model_validate({"from": "app", "to": "db", "ports": [tcp(5432)], "description": "pg"}),
             SegmentRule.model_validate({"from": "mgmt", "to": "db", "ports": [tcp(22)]}),
             SegmentRule.model_validate({"from": "app", "to": "db", "ports": [tcp(5432), tcp(2049)],
                                         "description": "nfs"})]
    flows = plans.segment_flows(rules)
    assert [(f.source, f.target, [p.label for p in f.ports], f.description) for f in flows] == [
        ("app", "db", ["tcp/5432", "tcp/2049"], "pg; nfs"), ("mgmt", "db", ["tcp/22"], "")]


def test_level_policy_scopes_writes_and_scopable_reads_to_the_zone():
    doc = json.loads(plans.level_policy("we1", "eu-west-1", "210987654321",
                                        ["ec2:DescribeVpcs", "logs:GetLogEvents", "logs:FilterLogEvents",
                                         "ec2:AuthorizeSecurityGroupIngress"], False))
    read, read_in_zone, write = doc["Statement"]
    # DescribeVpcs supports no resource-level permission: AWS needs "*".
    assert read == {"Sid": "Read", "Effect": "Allow", "Action": ["ec2:DescribeVpcs"], "Resource": "*"}
    assert read_in_zone == {"Sid": "ReadInZone", "Effect": "Allow", "Action": ["logs:FilterLogEvents", "logs:GetLogEvents"],
                            "Resource": ["arn:aws:logs:eu-west-1:210987654321:log-group:*"]}
    assert write == {"Sid": "WriteInZone", "Effect": "Allow", "Action": ["ec2:AuthorizeSecurityGroupIngress"],
                     "Resource": ["arn:aws:ec2:eu-west-1:210987654321:*"],
                     "Condition": {"StringEquals": {"aws:ResourceTag/zone": "we1"}}}


def test_availability_zone_check_names_the_missing_zone():
    from infra.aws.network import _check_azs

    assert _check_azs("we1", ["eu-west-1a"], ["eu-west-1a", "eu-west-1b"]) == ["eu-west-1a"]
    with pytest.raises(ValueError, match=r"zone we1: aws.availability_zones eu-west-1d not available in the region "
                                         r"\(available: eu-west-1a, eu-west-1b\)"):
        _check_azs("we1", ["eu-west-1a", "eu-west-1d"], ["eu-west-1a", "eu-west-1b"])
