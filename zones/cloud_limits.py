"""What the clouds' APIs and providers accept, as pure functions over plain values.

The mock engine accepts anything; the real providers do not. Each rule here is written once and
used twice: by `zones validate` on the zone facts the program turns into those values
(zones/validate_cloud.py) and by the provider-conformance check on every resource of a preview
(byside/conformance/). Each returns the problems it finds as sentences (empty: accepted), and
names its upstream source in a comment.
"""

from __future__ import annotations

# CloudWatch Logs `retentionInDays`: terraform-provider-aws internal/service/logs/group.go validates
# retention_in_days with validation.IntInSlice (0 there means "never expire", which the Service
# Description's bounds exclude anyway); the API (PutRetentionPolicy) takes the same list.
CLOUDWATCH_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
                             2557, 2922, 3288, 3653)

# GCP Cloud Logging bucket `retentionDays`: 1-3650 (Logging API LogBucket.retentionDays; the
# _Required bucket is fixed at 400 days).
GCP_LOG_BUCKET_RETENTION_DAYS = (1, 3650)

# SSM CreateMaintenanceWindow (Systems Manager API reference): Duration 1-24 hours, Cutoff 0-23 hours.
SSM_DURATION_HOURS = (1, 24)
SSM_CUTOFF_RANGE = (0, 23)
# The program's cutoff (infra/aws/maintenance.py reads it here): no new task in the window's last
# hour, so running tasks end inside the window.
SSM_CUTOFF_HOURS = 1

# AWS Backup BackupRuleInput (AWS Backup API reference): StartWindowMinutes "must be at least 60
# minutes" (terraform-provider-aws issue #8794: the API rejects less at apply time); the provider
# defaults a rule's start_window to 60 and completion_window to 180 (internal/service/backup/plan.go).
BACKUP_MIN_START_WINDOW = 60
# Lifecycle.DeleteAfterDays: "cannot be less than 1 or more than 36500 days" (the API's message, as
# quoted in terraform-provider-aws issue #24960); cold storage needs 90 days more than the move.
BACKUP_DELETE_AFTER_DAYS = (1, 36500)
BACKUP_COLD_STORAGE_MIN_DAYS = 90


def cloudwatch_retention(days: int) -> list[str]:
    if days in CLOUDWATCH_RETENTION_DAYS:
        return []
    lower = [d for d in CLOUDWATCH_RETENTION_DAYS if d < days]
    higher = [d for d in CLOUDWATCH_RETENTION_DAYS if d > days]
    near = " or ".join(str(d) for d in (lower[-1:] + higher[:1]))
    return [f"{days} days is not a retention CloudWatch Logs accepts ({', '.join(map(str, CLOUDWATCH_RETENTION_DAYS[:13]))}"
            f", ... days){f': use {near}' if near else ''}"]


def gcp_log_bucket_retention(days: int) -> list[str]:
    lo, hi = GCP_LOG_BUCKET_RETENTION_DAYS
    return [] if lo <= days <= hi else [f"{days} days is outside the {lo}-{hi} days a GCP log bucket keeps logs"]


def ssm_window(duration: int, cutoff: int) -> list[str]:
    """SSM rejects a cutoff not below the duration less an hour: the ValidationException reads
    "Cutoff was 12 but must be smaller than 5 (Duration - 1)" (quoted in awsdocs/aws-cloudformation-
    user-guide issue #891). So duration - cutoff >= 2: at least an hour in which tasks may start."""
    out = []
    lo, hi = SSM_DURATION_HOURS
    if not lo <= duration <= hi:
        out.append(f"duration {duration} h is outside the {lo}-{hi} hours SSM accepts")
    clo, chi = SSM_CUTOFF_RANGE
    if not clo <= cutoff <= chi:
        out.append(f"cutoff {cutoff} h is outside the {clo}-{chi} hours SSM accepts")
    if cutoff >= duration - 1:
        out.append(f"cutoff {cutoff} h must be smaller than the duration less one hour ({duration} - 1 = "
                   f"{duration - 1} h): no task could start")
    return out


def backup_windows(start_window: int, completion_window: int) -> list[str]:
    """A rule's start and completion windows (minutes). The completion window counts from the
    scheduled start and does not add the start window (StartBackupJob, CompleteWindowMinutes), so
    one no longer than the start window leaves a job that starts late no time to finish."""
    out = []
    if start_window < BACKUP_MIN_START_WINDOW:
        out.append(f"start window {start_window} min is below the {BACKUP_MIN_START_WINDOW} minutes AWS Backup accepts")
    if completion_window <= start_window:
        out.append(f"completion window {completion_window} min is not longer than the start window "
                   f"{start_window} min: a job that starts late has no time to complete")
    return out


def backup_lifecycle(delete_after: int | None, cold_storage_after: int | None) -> list[str]:
    out = []
    lo, hi = BACKUP_DELETE_AFTER_DAYS
    if delete_after is not None and not lo <= delete_after <= hi:
        out.append(f"deleteAfter {delete_after} days is outside the {lo}-{hi} days AWS Backup accepts")
    if cold_storage_after is not None and delete_after is not None \
            and delete_after < cold_storage_after + BACKUP_COLD_STORAGE_MIN_DAYS:
        out.append(f"deleteAfter {delete_after} days must be at least {BACKUP_COLD_STORAGE_MIN_DAYS} days after "
                   f"coldStorageAfter {cold_storage_after}")
    return out
