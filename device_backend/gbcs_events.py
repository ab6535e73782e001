"""GBCS event and alert codes a meter logs, with the names an engineer reads them by.

Codes and names: GBCS as Wireshark's GBCS dissector lists them (epan/dissectors/
packet-gbcs-gbz.c, gbcs_gbz_alert_code_names). Only the codes the simulated meter logs and a
few an engineer meets often are named here; any other code is shown by its number.
"""

from __future__ import annotations

from typing import Final

CREDIT_ADDED_LOCALLY: Final = 0x810E
IMMEDIATE_HAN_COMMAND_ACTIONED: Final = 0x8154
FUTURE_DATED_HAN_COMMAND_ACTIONED: Final = 0x8F66
CREDIT_BELOW_DISABLEMENT_THRESHOLD: Final = 0x8F0F
SUPPLY_ARMED: Final = 0x8F32
DUPLICATE_UTRN: Final = 0x8F51
UTRN_NOT_AUTHENTIC: Final = 0x8F63
EVENT_LOG_CLEARED: Final = 0x8F52
TAMPER_DETECTED: Final = 0x8F3F
ALCS_STATE_CHANGED: Final = 0x8131  # Success in changing or maintaining HCALCS or ALCS state
ALCS_STATE_FAILED: Final = 0x811A

NAMES: Final[dict[int, str]] = {
    CREDIT_ADDED_LOCALLY: "Credit Added Locally",
    IMMEDIATE_HAN_COMMAND_ACTIONED: (
        "Immediate HAN Interface Command Received and Successfully Actioned"
    ),
    FUTURE_DATED_HAN_COMMAND_ACTIONED: "Future date HAN Interface Command Successfully Actioned",
    CREDIT_BELOW_DISABLEMENT_THRESHOLD: "Credit Below Disablement Threshold (prepayment mode)",
    SUPPLY_ARMED: "Supply Armed",
    DUPLICATE_UTRN: "Duplicate UTRN entered",
    UTRN_NOT_AUTHENTIC: "UTRN not Authentic",
    EVENT_LOG_CLEARED: "Event Log Cleared",
    TAMPER_DETECTED: "Unauthorised Physical Access - Tamper Detect",
    ALCS_STATE_CHANGED: "Success in changing or maintaining HCALCS or ALCS state",
    ALCS_STATE_FAILED: "Failure in changing or maintaining HCALCS or ALCS state",
    0x810D: "Combined Credit Below Low Credit Threshold (prepayment mode)",
    0x8119: "Emergency Credit Has Become Available (prepayment mode)",
    0x81AA: "Emergency Credit Exhausted",
    0x81AB: "Emergency Credit Activated",
    0x8F35: "Supply Outage Restored",
    0x8F57: "Supply interrupted",
}


def event_name(code: int) -> str:
    return NAMES.get(code, f"Event 0x{code:04X}")
