"""The controls matrix: every verifiable promise of the Service Description, the policies and
checks that enforce it, and its status per zone from the current `byside check` — the page an
auditor reads first. What configuration cannot show is listed as covered elsewhere or out of
scope, never left out. The mapping is data (CONTROLS); status is computed from a CheckResult."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from typing import Literal

Coverage = Literal["enforced", "elsewhere", "out-of-scope"]


@dataclass(frozen=True)
class Control:
    id: str
    promise: str  # what is promised, in a line
    section: str  # Service Description heading
    clause: str  # the Service Description's own words (verbatim)
    coverage: Coverage
    policies: tuple[str, ...] = ()  # CrossGuard policy IDs (policies/metadata.py)
    checks: tuple[str, ...] = ()  # checkov check IDs run through the bridge
    elsewhere: str = ""  # where a control not shown by configuration is evidenced
    note: str = ""
    commands: tuple[str, ...] = ()  # byside commands that help keep or evidence the promise


CONTROLS: tuple[Control, ...] = (
    Control("SD-BACKUP-SCOPE", "Relational databases and subscriber files are backed up, organised by zone",
            "Data Backup and Restore / Backup Scope",
            "Currently, the following systems are backed up: Relational databases. Subscriber files (public and "
            "private files, service configurations, etc.). Applicational logs (using external log collection "
            "system).",
            "enforced", policies=("backup-rpo",),
            note="every database and file store carries the zone's backup selection tag and is selected by a plan"),
    Control("SD-BACKUP-RETENTION", "5 daily, 4 weekly and 3 monthly backups; vaults encrypted",
            "Data Retention",
            "Relational databases – 5 daily backups, 4 weekly backups, 3 monthly backups. Subscriber files – 5 daily "
            "backups, 4 weekly backups, 3 monthly backups.",
            "enforced", policies=("backup-retention",), checks=("CKV_BYS_3",)),
    Control("SD-BACKUP-FREQUENCY", "Daily snapshots of databases and subscriber files",
            "Backup Frequency", "Relational databases – daily snapshots. Subscriber files – daily snapshots.",
            "enforced", policies=("backup-rpo",)),
    Control("SD-RPO", "Restore point objective of 24 hours", "Restore Point Objective (“RPO”) and Restore Time "
            "Objective (“RTO”)",
            "In a situation where data needs to be restored from backup, Subscriber has a RPO of 24 hours and an RTO "
            "of up to 12 hours.",
            "enforced", policies=("backup-rpo",), note="RTO (12 h) is an operational measure: see SD-RTO"),
    Control("SD-RTO", "Restore time objective of up to 12 hours: restores tested monthly and measured, with evidence",
            "Restore Point Objective (“RPO”) and Restore Time Objective (“RTO”)",
            "In a situation where data needs to be restored from backup, Subscriber has a RPO of 24 hours and an RTO "
            "of up to 12 hours.",
            "enforced", policies=("backup-restore-tested", "backup-evidence"),
            elsewhere="GCP offers no managed restore testing for snapshot schedules (and no restore-time control): "
                      "restoring a GCP disk snapshot stays a manual drill, evidenced outside the configuration",
            note="AWS: a monthly restore test in the window per backed-up type, validated within the RTO; Audit "
                 "Manager's RESTORE_TIME_FOR_RESOURCES_MEET_TARGET judges every measured restore against the RTO less "
                 "the validation window; restore-job and compliance reports go daily to the evidence bucket"),
    Control("SD-LOG-RETENTION", "Application logs kept between 7 days and 6 months", "Data Retention",
            "Applicational logs – We have different retention periods depending on the source of logs (service, "
            "application) that range from a minimum of 7 days to a maximum of 6 months.",
            "enforced", policies=("log-retention",)),
    Control("SD-MAINTENANCE-WINDOW", "Impacting maintenance only in the zone's 00:00–06:00 local window (WET / BRT)",
            "Maintenance Services",
            "In the event a Service impact or downtime is expected for a Maintenance Service, Byside has defined "
            "maintenance time windows depending on the Production Zone.",
            "enforced", policies=("maintenance-window",), note="windows read from zones/<zone>.yaml, DST-aware"),
    Control("SD-ZONES", "Three production zones; every resource belongs to one (zone, owner, classification tags)",
            "Data Centers",
            "Byside runs 3 production zones and Subscriber will be assigned into 1 of the production zones according "
            "to the geographic location and time zone of the Subscriber – in order to align with the maintenance "
            "time windows.",
            "enforced", policies=("tags-required", "zone-declared")),
    Control("SD-RESTRICTED-ACCESS", "Access only for BySide staff who need it: MFA, no IAM users, no admin "
            "attachments, no admin ports open to the internet",
            "Security / Restricted Access",
            "Restricted Access – In alignment with the least privilege principle, BySide’s security protocols mandate "
            "that access to our systems is strictly limited to BySide team members and only to those team members "
            "who need to access the systems to perform maintenance activities.",
            "enforced",
            policies=("iam-mfa-required-to-assume", "iam-no-users", "iam-no-admin-attachments",
                      "network-no-public-admin-ingress", "secrets-not-plaintext"),
            checks=("CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277", "CKV_GCP_2", "CKV_GCP_3", "CKV2_GCP_12"),
            elsewhere="byside audit access (who actually holds access, reviewed against zones/access.yaml)"),
    Control("SD-LEAST-PRIVILEGE", "Only the essential level of access: no wildcard actions, no write on `*`, no "
            "escalation paths, no primitive GCP roles",
            "Security / Restricted Access",
            "We adhere to a clear policy of granting only the essential level of access necessary for everyone's job "
            "responsibilities.",
            "enforced",
            policies=("iam-no-wildcard-actions", "iam-no-wildcard-resources-on-write", "iam-privilege-escalation",
                      "gcp-no-primitive-roles"),
            checks=("CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289",
                    "CKV_AWS_290", "CKV_AWS_355"),
            elsewhere="byside audit access"),
    Control("SD-SEGMENTATION", "VLAN/VPN-segmented environments: default deny, segments talk only as the zone's "
            "segment policy allows, and egress leaves only as the zone declares it",
            "Network Infrastructure Security",
            "BySide’s network infrastructure leverages advanced security measures like VLAN and VPN for secure, "
            "segmented environments, reducing unauthorized access risks.",
            "enforced", policies=("network-default-deny", "network-segment-isolation", "network-egress-declared"),
            checks=("CKV_AWS_23", "CKV_GCP_74")),
    Control("SD-VPN", "Site VPNs with strong crypto (IKEv2, AES-256, SHA2-384, DH ≥ 20), redundant tunnels, BGP",
            "Network Infrastructure Security",
            "BySide’s network infrastructure leverages advanced security measures like VLAN and VPN for secure, "
            "segmented environments, reducing unauthorized access risks.",
            "enforced", policies=("vpn-strong-crypto", "vpn-redundant"), checks=("CKV_BYS_1",)),
    Control("SD-VPN-MONITORING", "VPN tunnels are monitored (redundant, BGP-routed tunnels whose state is observable)",
            "Monitoring",
            "BySide monitors its systems 24/7, using a wide range of monitoring solutions and tools internally, "
            "using a proactive approach and ensuring the swift identification and resolution of potential issues.",
            "enforced", policies=("vpn-redundant", "monitoring-coverage"),
            note="redundant, BGP-routed tunnels; every AWS tunnel has a TunnelState alarm and every GCP tunnel and BGP "
                 "session an alert policy, all to the operations channel of zones/platform.yaml"),
    Control("SD-BACKUP-MONITORING", "Failed backup jobs and failed restores (restore tests included) alert the "
            "operations channel", "Monitoring",
            "BySide monitors its systems 24/7, using a wide range of monitoring solutions and tools internally, "
            "using a proactive approach and ensuring the swift identification and resolution of potential issues.",
            "enforced", policies=("monitoring-coverage",),
            note="AWS: EventBridge rules on failed/aborted/expired backup jobs and failed restore jobs to the ops "
                 "SNS topic; GCP snapshot-schedule failures are not alerted by this program"),
    Control("SD-CERTIFICATE-EXPIRY", "The TLS certificates each zone serves are watched for expiry",
            "Monitoring / Basic",
            "Basic: includes any hardware/virtual machine/application checks (such as availability, CPU usage, disk "
            "health, memory utilization and network performance), as well as external system checks, licenses and "
            "certificate expiration, etc.",
            "enforced", policies=("monitoring-coverage",),
            elsewhere="certificates served outside ACM: the check each zone file names (certificates[].check)",
            note="certificates declared in zones/<zone>.yaml; ACM-held ones have a DaysToExpiry alarm (below "
                 "monitoring.certificate_warning_days) to the operations channel"),
    Control("SD-SIEM-AUDIT-TRAIL", "An audit trail for the SIEM in every zone: CloudTrail (multi-region, validated, "
            "KMS) and GCP Data Access audit logs routed to the SIEM destination",
            "Network Infrastructure Security",
            "A key component is our SIEM system, providing real-time security alert analysis and aiding in the early "
            "detection of incidents.",
            "enforced", policies=("logging-audit-trail",), checks=("CKV_AWS_35", "CKV_AWS_36", "CKV_AWS_67"),
            note="logs kept for the zone's log_retention.audit in an encrypted, versioned, private bucket; CloudTrail "
                 "also to CloudWatch Logs for real-time alerting; GCP sink to zones/platform.yaml audit_trail.siem"),
    Control("SD-IP-ALLOWLISTS", "Internet ingress only from the subscribers' pre-approved IP addresses",
            "Network Infrastructure Security",
            "Additionally, access to our services may be restricted to pre-approved IP addresses (upon Subscriber "
            "request), enhancing security.",
            "enforced", policies=("network-ingress-allowlisted", "network-no-world-ingress"),
            checks=("CKV_AWS_260", "CKV_BYS_2"),
            elsewhere="byside drift (live prefix lists and firewall rules against zones/)"),
    Control("SD-SIEM-FLOW-LOGS", "Network traffic is logged for the SIEM (flow logs on every network)",
            "Network Infrastructure Security",
            "A key component is our SIEM system, providing real-time security alert analysis and aiding in the early "
            "detection of incidents.",
            "enforced", policies=("network-flow-logs",), checks=("CKV2_AWS_11", "CKV_GCP_26")),
    Control("SD-MAINTENANCE-NOTICE", "At least 3 business days' notice of impacting planned maintenance, inside the "
            "zone's window", "Impacting Maintenance",
            "Whenever Service impact is expected during a planned maintenance activity scheduled by BySide, BySide "
            "will use commercially reasonable efforts to provide at least 3 business days notice to the Subscriber.",
            "elsewhere", elsewhere="byside maintenance plan: the slot against the window (DST-aware), the notice "
                                   "deadline in the business days of the zone's subscribers' countries, .ics + notice",
            commands=("byside maintenance plan",)),
    Control("SD-EMERGENCY-MAINTENANCE", "At least 24 hours' notice of emergency maintenance (critical security patches)",
            "Emerging Maintenance",
            "In the event of a critical security patch which endangers BySide platform, BySide will execute the patch "
            "work, informing the Subscriber at least 24 hours before the emergency maintenance is carried on.",
            "elsewhere", elsewhere="byside maintenance plan --emergency: the notice deadline 24 hours before the slot",
            commands=("byside maintenance plan --emergency",)),
    Control("SD-DC-ACCESS", "DC entry and exit recorded, access only for those whose job needs it, list reviewed "
            "yearly",
            "Security / Data Center Access Control",
            "Every access event is meticulously recorded, and the list of authorized personnel undergoes a rigorous "
            "annual review and update.",
            "elsewhere", elsewhere="byside audit dc-access (annual DC access review: DCA-01..11), signed with "
            "byside audit dc-access sign"),
    Control("SD-PEN-TESTING", "Regular penetration tests of internet-facing systems by a certified third party",
            "Penetration Testing",
            "These tests are conducted by a specialized certified third-party organization in a BySide reference "
            "environment.",
            "out-of-scope", note="evidenced by the third party's reports, not by configuration"),
    Control("SD-VULNERABILITY-MONITORING", "Vulnerability disclosure channels monitored; mitigations by severity",
            "Application Security",
            "Multiple vulnerability disclosure channels, including general purpose, operating system, cloud "
            "provider, specific software/libraries, etc., are actively monitored for applicable reports.",
            "out-of-scope", note="an operational process; not shown by configuration"),
    Control("SD-REQUEST-MANAGEMENT", "Subscriber requests by phone, email or web, managed in a Trouble Ticketing System",
            "Request Management",
            "Requests can be reported by the Subscriber through phone, email or web interface.",
            "out-of-scope", note="a support process in the Trouble Ticketing System; not shown by configuration"),
    Control("SD-DC-TIER", "Data centres operated to Tier III+ guidelines by ISO-27001-certified vendors",
            "Data Centers",
            "These data centers are operated in alignment with the Tier III+ guidelines (as per the Uptime Institute "
            "classification) and all vendors are ISO-27001 certified.",
            "out-of-scope", note="evidenced by the vendors' certificates"),
)


# ---------------------------------------------------------------- status from a check


def matrix(result, controls: tuple[Control, ...] = CONTROLS) -> list[dict]:
    """One row per control: its mapping and, per zone checked, pass/fail with counts.

    A check counts as run when the gate knows its rule (the pack's policies always; checkov's only
    when checkov ran). Zone status: `pass` (no violation of its checks), `fail` (mandatory ones),
    `warn` (advisory only), `n/a` (nothing that enforces it ran)."""
    zones = list(result.zones)
    rows = []
    for c in controls:
        ids = c.policies + c.checks
        ran = [i for i in ids if i in result.rules]
        status = {}
        for z in zones:
            hits = [v for v in result.violations if v.zone == z and v.policy in ids]
            failing = sorted({v.policy for v in hits})
            if c.coverage != "enforced" or not ran:
                state = "n/a"
            elif any(v.enforcement == "mandatory" for v in hits):
                state = "fail"
            elif hits:
                state = "warn"
            else:
                state = "pass"
            status[z] = {"status": state, "checks_run": len(ran), "checks_passed": len([i for i in ran if i not in failing]),
                         "violations": len(hits), "failing": failing}
        row = asdict(c)
        row["policies"], row["checks"], row["commands"] = list(c.policies), list(c.checks), list(c.commands)
        row["not_run"] = [i for i in ids if i not in result.rules]
        row["zones"] = status
        rows.append(row)
    return rows


def _cell(s: dict) -> str:
    if s["status"] in ("n/a",):
        return "n/a"
    text = f"{s['status']} ({s['checks_passed']}/{s['checks_run']})"
    return text + (f": {s['violations']} violation(s) — {', '.join(s['failing'])}" if s["violations"] else "")


def render_md(rows: list[dict], zones: list[str]) -> str:
    out = ["# Controls matrix: Service Description promises and what enforces them", "",
           "Status per zone from `byside check` (pass/fail, checks passed / run). `n/a`: not shown by "
           "configuration (covered elsewhere or out of scope) or nothing enforcing it ran.", "",
           "| Control | Promise | Enforced by | " + " | ".join(zones) + " | Covered elsewhere / note |",
           "|---|---|---|" + "---|" * len(zones) + "---|"]
    for r in rows:
        by = ", ".join(f"`{i}`" for i in r["policies"] + r["checks"]) or f"_{r['coverage']}_"
        if r["not_run"] and r["coverage"] == "enforced":
            by += f" (not run: {', '.join(r['not_run'])})"
        extra = "; ".join(x for x in (r["elsewhere"], r["note"]) if x)
        if r.get("commands"):
            extra += ("; " if extra else "") + "commands: " + ", ".join(f"`{c}`" for c in r["commands"])
        cells = " | ".join(_cell(r["zones"][z]) for z in zones)
        out.append(f"| {r['id']} | {r['promise']} | {by} | {cells}{' | ' if zones else ''}{extra} |".replace("||", "| |"))
    out += ["", "## Clauses", ""]
    out += [f"- **{r['id']}** ({r['section']}): “{r['clause']}”" for r in rows]
    return "\n".join(out) + "\n"


def render_csv(rows: list[dict], zones: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "promise", "section", "coverage", "policies", "checks", "not_run", "elsewhere", "note"]
               + [f"{z}_status" for z in zones] + [f"{z}_checks_passed" for z in zones]
               + [f"{z}_checks_run" for z in zones] + [f"{z}_violations" for z in zones] + ["clause", "commands"])
    for r in rows:
        zs = [r["zones"][z] for z in zones]
        w.writerow([r["id"], r["promise"], r["section"], r["coverage"], " ".join(r["policies"]), " ".join(r["checks"]),
                    " ".join(r["not_run"]), r["elsewhere"], r["note"]] + [s["status"] for s in zs]
                   + [s["checks_passed"] for s in zs] + [s["checks_run"] for s in zs] + [s["violations"] for s in zs]
                   + [r["clause"], " ".join(r["commands"])])
    return buf.getvalue()


def render_json(rows: list[dict], zones: list[str]) -> str:
    return json.dumps({"zones": zones, "controls": rows}, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"md": render_md, "csv": render_csv, "json": render_json}
