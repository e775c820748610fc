"""The framework controls the pack answers for, and the kinds of evidence behind each (data).

Evidence kinds: ``controls-matrix`` (``byside controls``: every Service Description promise, the
policies and checks that enforce it, status per zone), ``gate-report`` (``byside check`` on every
zone: JSON and SARIF), ``dc-review`` (one signed annual DC access review per data centre of
zones/datacenters.yaml for the year), ``access-review`` (the latest cloud access review of the year).
``matrix_rows`` name the controls-matrix rows (SD-*) that bear on the control; rows the matrix does
not have are simply not shown, so new rows (and renamed ones) never break the pack.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = {
    "controls-matrix": "Controls matrix (byside controls)",
    "gate-report": "Policy gate report on every zone (byside check)",
    "dc-review": "Signed annual DC access review (byside audit dc-access sign)",
    "access-review": "Cloud access review (byside audit access)",
}


@dataclass(frozen=True)
class FrameworkControl:
    framework: str
    id: str
    title: str              # a short name of the control, in our words
    kinds: tuple[str, ...]  # evidence kinds, most direct first
    matrix_rows: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.framework} {self.id}"


ISO = "ISO/IEC 27001:2022"
SOC2 = "SOC 2"

CONTROLS: tuple[FrameworkControl, ...] = (
    FrameworkControl(ISO, "A.5.15", "Access control: rules for physical and logical access",
                     ("controls-matrix", "gate-report", "access-review", "dc-review"),
                     ("SD-RESTRICTED-ACCESS", "SD-LEAST-PRIVILEGE", "SD-DC-ACCESS")),
    FrameworkControl(ISO, "A.5.18", "Access rights: granted, reviewed at intervals, changed and removed",
                     ("dc-review", "access-review"), ("SD-RESTRICTED-ACCESS", "SD-DC-ACCESS")),
    FrameworkControl(ISO, "A.7.2", "Physical entry: secure areas protected by entry controls",
                     ("dc-review",), ("SD-DC-ACCESS",)),
    FrameworkControl(ISO, "A.8.15", "Logging: activities and events recorded and kept",
                     ("gate-report", "controls-matrix", "dc-review"),
                     ("SD-SIEM-FLOW-LOGS", "SD-LOG-RETENTION", "SD-DC-ACCESS")),
    FrameworkControl(SOC2, "CC6.1", "Logical access security over infrastructure and architectures",
                     ("controls-matrix", "gate-report", "access-review"),
                     ("SD-RESTRICTED-ACCESS", "SD-LEAST-PRIVILEGE", "SD-SEGMENTATION", "SD-IP-ALLOWLISTS", "SD-VPN")),
    FrameworkControl(SOC2, "CC6.2", "Access authorised before it is granted, and removed when no longer needed",
                     ("access-review", "dc-review"), ("SD-RESTRICTED-ACCESS", "SD-DC-ACCESS")),
    FrameworkControl(SOC2, "CC6.3", "Access by role and least privilege; changes and removals reviewed",
                     ("access-review", "dc-review", "gate-report"), ("SD-LEAST-PRIVILEGE", "SD-DC-ACCESS")),
    FrameworkControl(SOC2, "CC6.4", "Physical access to facilities restricted to authorised people",
                     ("dc-review",), ("SD-DC-ACCESS", "SD-DC-TIER")),
    FrameworkControl(SOC2, "CC7.2", "System components monitored for anomalies",
                     ("gate-report", "controls-matrix", "dc-review"), ("SD-SIEM-FLOW-LOGS", "SD-VPN-MONITORING")),
)
