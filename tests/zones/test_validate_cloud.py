"""Zone facts the clouds would reject (issue 11): caught by `zones validate` with file and line,
by the rules the provider-conformance check applies to the preview (zones/cloud_limits.py)."""

from __future__ import annotations

import pytest

from zones import cloud_limits

from .conftest import edit, errors, warnings


def test_log_retention_not_in_cloudwatchs_list(zdir):
    edit(zdir, "we1.yaml", "  vpn: 90", "  vpn: 100")  # inside the promised 7-180 days
    assert errors(zdir) == [
        "zones/we1.yaml:71 log_retention.vpn: 'vpn': 100 days is not a retention CloudWatch Logs accepts (1, 3, 5, 7, "
        "14, 30, 60, 90, 120, 150, 180, 365, 400, ... days): use 90 or 120",
    ]


def test_every_retention_of_an_aws_zone_is_judged(zdir):
    edit(zdir, "we2.yaml", "  audit: 180", "  audit: 45")
    assert errors(zdir) == [
        "zones/we2.yaml:70 log_retention.audit: 'audit': 45 days is not a retention CloudWatch Logs accepts (1, 3, 5, 7, "
        "14, 30, 60, 90, 120, 150, 180, 365, 400, ... days): use 30 or 60",
    ]


def test_two_hour_window_is_one_hour_on_the_spring_forward_night(zdir):
    edit(zdir, "we1.yaml", 'maintenance_window: {start: "00:00", end: "06:00"}',
         'maintenance_window: {start: "00:00", end: "02:00"}')
    assert "zones/we1.yaml:9 maintenance_window: warning: window 00:00-02:00 is stricter than the promised " \
           "00:00-06:00 local" in warnings(zdir)
    assert errors(zdir) == [
        "zones/we1.yaml:9 maintenance_window: window 00:00-02:00 Europe/Lisbon lasts 1 h on its shortest night "
        "(2026-03-29): the SSM maintenance window (duration 1 h, cutoff 1 h) would be rejected: cutoff 1 h must be "
        "smaller than the duration less one hour (1 - 1 = 0 h): no task could start",
        "zones/we1.yaml:65 backup.start: backup start 01:00 leaves 60 min to the window's end 02:00: the AWS Backup "
        "rules (start window 60 min, completion window 60 min) would be rejected: completion window 60 min is not "
        "longer than the start window 60 min: a job that starts late has no time to complete",
    ]


def test_three_hour_window_fits_where_there_is_no_dst_only(zdir):
    for name in ("we1.yaml", "sa1.yaml"):
        edit(zdir, name, 'maintenance_window: {start: "00:00", end: "06:00"}',
             'maintenance_window: {start: "00:00", end: "03:00"}')
    # São Paulo keeps UTC-03 all year: 3 h every night. Lisbon loses an hour on 29 March.
    assert errors(zdir) == [
        "zones/we1.yaml:9 maintenance_window: window 00:00-03:00 Europe/Lisbon lasts 2 h on its shortest night "
        "(2026-03-29): the SSM maintenance window (duration 2 h, cutoff 1 h) would be rejected: cutoff 1 h must be "
        "smaller than the duration less one hour (2 - 1 = 1 h): no task could start",
    ]


def test_backup_start_too_late_for_the_completion_window(zdir):
    edit(zdir, "we1.yaml", 'start: "01:00"', 'start: "05:30"')
    assert errors(zdir) == [
        "zones/we1.yaml:65 backup.start: backup start 05:30 leaves 30 min to the window's end 06:00: the AWS Backup "
        "rules (start window 60 min, completion window 30 min) would be rejected: completion window 30 min is not "
        "longer than the start window 60 min: a job that starts late has no time to complete",
    ]


def test_the_same_zone_error_stops_the_offline_preview(zdir):
    from byside.preview import run_preview
    from byside.preview.run import PreviewError

    edit(zdir, "we1.yaml", "  vpn: 90", "  vpn: 100")
    with pytest.raises(PreviewError, match=r"zones/we1.yaml:71 log_retention.vpn: 'vpn': 100 days is not a retention"):
        run_preview("we1", zdir)


@pytest.mark.parametrize("days,problems", [
    (90, []), (365, []), (3653, []),
    (0, ["0 days is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, "
         "... days): use 1"]),
    (4000, ["4000 days is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, "
            "400, ... days): use 3653"]),
])
def test_cloudwatch_retention(days, problems):
    assert cloud_limits.cloudwatch_retention(days) == problems


@pytest.mark.parametrize("duration,cutoff,problems", [
    (5, 1, []), (3, 1, []), (24, 0, []),
    (2, 1, ["cutoff 1 h must be smaller than the duration less one hour (2 - 1 = 1 h): no task could start"]),
    (0, 0, ["duration 0 h is outside the 1-24 hours SSM accepts",
            "cutoff 0 h must be smaller than the duration less one hour (0 - 1 = -1 h): no task could start"]),
    (25, 24, ["duration 25 h is outside the 1-24 hours SSM accepts", "cutoff 24 h is outside the 0-23 hours SSM accepts",
              "cutoff 24 h must be smaller than the duration less one hour (25 - 1 = 24 h): no task could start"]),
])
def test_ssm_window(duration, cutoff, problems):
    assert cloud_limits.ssm_window(duration, cutoff) == problems


@pytest.mark.parametrize("start,completion,problems", [
    (60, 300, []), (60, 180, []),
    (30, 300, ["start window 30 min is below the 60 minutes AWS Backup accepts"]),
    (120, 120, ["completion window 120 min is not longer than the start window 120 min: a job that starts late has "
                "no time to complete"]),
])
def test_backup_windows(start, completion, problems):
    assert cloud_limits.backup_windows(start, completion) == problems


def test_backup_lifecycle():
    assert cloud_limits.backup_lifecycle(93, None) == []
    assert cloud_limits.backup_lifecycle(0, None) == ["deleteAfter 0 days is outside the 1-36500 days AWS Backup accepts"]
    assert cloud_limits.backup_lifecycle(100, 30) == ["deleteAfter 100 days must be at least 90 days after "
                                                      "coldStorageAfter 30"]
    assert cloud_limits.backup_lifecycle(120, 30) == []
