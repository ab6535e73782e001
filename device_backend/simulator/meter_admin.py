"""The ESME's Device Management (0x0708) and Events (0x0709) servers.

Device Management holds who supplies the home (provider id, name, contact details, the site id
and customer number) and publishes a change of tenancy or of supplier; it answers the
Get requests for them and, for an engineer's tool, GetEventConfiguration with
ReportEventConfiguration. Events keeps the meter's logs of what happens in the home (top-ups,
supply state, tariff changes, tamper) and answers GetEventLog with PublishEventLog and
ClearEventLogRequest with ClearEventLogResponse.

Event codes are GBCS alert/event codes as Wireshark's GBCS dissector names them
(epan/dissectors/packet-gbcs-gbz.c, gbcs_gbz_alert_code_names); which log each goes to follows
the SMETS2 event table a meter maker publishes (Aclara SGM1400 SMETS2 user manual, appendix A:
the "Security Log" and "Event Log" columns). Which code marks a tariff change is our inference:
GBCS logs the HAN interface command that carried it (0x8154 immediate, 0x8F66 future-dated).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zigpy.zcl import foundation

from device_backend.clock import from_zigbee_time, to_zigbee_time
from device_backend.gbcs_events import (
    CREDIT_ADDED_LOCALLY,
    CREDIT_BELOW_DISABLEMENT_THRESHOLD,
    DUPLICATE_UTRN,
    EVENT_LOG_CLEARED,
    FUTURE_DATED_HAN_COMMAND_ACTIONED,
    IMMEDIATE_HAN_COMMAND_ACTIONED,
    SUPPLY_ARMED,
    TAMPER_DETECTED,
    UTRN_NOT_AUTHENTIC,
)
from device_backend.simulator import zcl_io
from device_backend.zcl import cluster_class
from device_backend.zcl.device_management import (
    EventConfiguration,
    EventIDConfiguration,
    EventLogging,
)
from device_backend.zcl.events import (
    ClearedEventsLogs,
    EventLogEntry,
    LogID,
    NumberOfEventsLogPayloadControl,
)
from device_backend.zcl.ids import DEVICE_MANAGEMENT, EVENTS, METERING

GENERAL = LogID.GBCS_General_Event_Log
SECURITY = LogID.GBCS_Security_Event_Log
# SMETS2 keeps at least 100 entries in each of these logs; the oldest goes first.
LOG_SIZE = 100
# Entries per PublishEventLog frame: each is 8 octets plus its data, and a frame must fit one
# unfragmented APS payload; a client pages through the rest with EventOffset.
PER_FRAME = 5
ALL_EVENTS = 0xFFFF  # GetEventConfiguration for every configured event [our reading of SE 1.4]
# The SE 1.4 ClearedEventsLogs bit for each log.
CLEARED_BIT = {
    LogID.Tamper_Log: ClearedEventsLogs.Tamper_Log,
    LogID.Fault_Log: ClearedEventsLogs.Fault_Log,
    LogID.General_Event_Log: ClearedEventsLogs.General_Event_Log,
    LogID.Security_Event_Log: ClearedEventsLogs.Security_Event_Log,
    LogID.Network_Event_Log: ClearedEventsLogs.Network_Event_Log,
    LogID.GBCS_General_Event_Log: ClearedEventsLogs.GBCS_General_Event_Log,
    LogID.GBCS_Security_Event_Log: ClearedEventsLogs.GBCS_Security_Event_Log,
}
# A meter's security log is evidence: GB meters do not let a HAN device erase it.
PROTECTED_LOGS = frozenset({LogID.GBCS_Security_Event_Log, LogID.Security_Event_Log})

# The supplier a simulated home starts with (SE provider ids are the supplier's choice).
DEFAULT_SUPPLIER = ("Simulated Energy", 0x00000826, "0300 000 0000")
SITE_ID = b"1200023456789"  # GB: the MPAN core, 13 digits (a made-up one)
CUSTOMER_ID = b"CUST-000123"
# ProposedTenancyChangeControl bit 9: the IHD should clear the consumer's data (Wireshark).
CLEAR_IHD_DATA_CONSUMER = 1 << 9


def _config(log: EventLogging, *, han: bool = False) -> EventConfiguration:
    return EventConfiguration(
        logging=log,
        push_event_to_wan=1,
        push_event_to_han=1 if han else 0,
        raise_alarm_zigbee=0,
        raise_alarm_physical=0,
    )


DEFAULT_CONFIGURATION: dict[int, EventConfiguration] = {
    CREDIT_ADDED_LOCALLY: _config(EventLogging.Log_As_General_Event),
    IMMEDIATE_HAN_COMMAND_ACTIONED: _config(EventLogging.Log_As_General_Event),
    FUTURE_DATED_HAN_COMMAND_ACTIONED: _config(EventLogging.Log_As_General_Event),
    CREDIT_BELOW_DISABLEMENT_THRESHOLD: _config(EventLogging.Log_As_General_Event, han=True),
    SUPPLY_ARMED: _config(EventLogging.Log_As_General_Event, han=True),
    DUPLICATE_UTRN: _config(EventLogging.Log_As_Security_Event),
    UTRN_NOT_AUTHENTIC: _config(EventLogging.Log_As_Security_Event),
    EVENT_LOG_CLEARED: _config(EventLogging.Log_As_Security_Event),
    TAMPER_DETECTED: _config(EventLogging.Log_As_Security_Event),
}
_LOG_FOR = {
    EventLogging.Log_As_General_Event: GENERAL,
    EventLogging.Log_As_Security_Event: SECURITY,
    EventLogging.Log_As_Tamper: LogID.Tamper_Log,
    EventLogging.Log_As_Fault: LogID.Fault_Log,
    EventLogging.Log_As_Network_Event: LogID.Network_Event_Log,
}


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    log_id: LogID
    event_id: int
    time: datetime
    data: bytes = b""
    seq: int = 0  # the order of logging: events in the same second keep it


class EventLogs:
    """The meter's logs, newest last, each bounded like a real meter's."""

    def __init__(self) -> None:
        self.logs: dict[LogID, deque[LoggedEvent]] = {}
        self.configuration = dict(DEFAULT_CONFIGURATION)
        self._seq = 0

    def record(self, event_id: int, time: datetime, data: bytes = b"") -> LoggedEvent | None:
        """Log an event where its configuration says; None when it is set not to be logged."""
        config = self.configuration.get(event_id, _config(EventLogging.Log_As_General_Event))
        log_id = _LOG_FOR.get(EventLogging(config.logging))
        if log_id is None:
            return None
        self._seq += 1
        entry = LoggedEvent(log_id, event_id, time, data, self._seq)
        self.logs.setdefault(log_id, deque(maxlen=LOG_SIZE)).append(entry)
        return entry

    def matching(
        self, log_id: LogID, event_id: int, start: datetime | None, end: datetime | None
    ) -> list[LoggedEvent]:
        """Newest first, as GetEventLog's EventOffset counts them."""
        logs = self.logs.values() if log_id == LogID.All_Logs else [self.logs.get(log_id, ())]
        found = [
            e
            for log in logs
            for e in log
            if (not event_id or e.event_id == event_id)
            and (start is None or e.time >= start)
            and (end is None or e.time <= end)
        ]
        return sorted(found, key=lambda e: (e.time, e.seq), reverse=True)

    def clear(self, log_id: LogID) -> ClearedEventsLogs:
        chosen = list(CLEARED_BIT) if log_id == LogID.All_Logs else [log_id]
        cleared = ClearedEventsLogs(0)
        for log in chosen:
            if log in PROTECTED_LOGS:
                continue
            self.logs.pop(log, None)
            cleared |= CLEARED_BIT[log]
        # The All Logs bit is never set: the security log always stays.
        return cleared


@dataclass(frozen=True, slots=True)
class Supplier:
    name: str
    provider_id: int
    contact: str = ""


class MeterAdmin:
    """Device Management and Events on one virtual ESME (endpoint 1)."""

    def __init__(self, meter: Any, supply_status: Callable[[], int]) -> None:
        self.meter = meter
        self.logs = EventLogs()
        self._supply_status = supply_status
        self._last_supply: int | None = None
        self.supplier = Supplier(*DEFAULT_SUPPLIER)
        self.tenancy: dict[str, Any] | None = None
        self.supplier_change: dict[str, Any] | None = None
        self._pending: list[tuple[datetime, Callable[[], None]]] = []
        meter.set_attributes(1, METERING, {"site_id": SITE_ID, "customer_id_number": CUSTOMER_ID})
        self._set_supplier_attributes("", self.supplier)
        handlers = {
            (EVENTS, "get_event_log"): self._on_get_event_log,
            (EVENTS, "clear_event_log_request"): self._on_clear_event_log,
            (DEVICE_MANAGEMENT, "get_change_of_tenancy"): self._on_get_tenancy,
            (DEVICE_MANAGEMENT, "get_change_of_supplier"): self._on_get_supplier,
            (DEVICE_MANAGEMENT, "get_site_id"): self._on_get_site_id,
            (DEVICE_MANAGEMENT, "get_cin"): self._on_get_cin,
            (DEVICE_MANAGEMENT, "get_event_configuration"): self._on_get_event_configuration,
            (DEVICE_MANAGEMENT, "set_event_configuration"): self._on_set_event_configuration,
        }
        meter.handlers.update(handlers)

    # -- what happens in the home ----------------------------------------------------------

    def tick(self, now: datetime) -> None:
        """Supply state changes, and changes that were published ahead of taking effect."""
        status = self._supply_status()
        if self._last_supply is not None and status != self._last_supply:
            if status == 0:
                self.logs.record(CREDIT_BELOW_DISABLEMENT_THRESHOLD, now)
            elif status == 1:
                self.logs.record(SUPPLY_ARMED, now)
        self._last_supply = status
        due = [action for at, action in self._pending if at <= now]
        self._pending = [(at, action) for at, action in self._pending if at > now]
        for action in due:
            action()

    def top_up(self, now: datetime, result: int, value_wire: int) -> None:
        """A top-up entered at the meter or a HAN device (ConsumerTopUp): GBCS logs it locally."""
        if result == 0x00:
            self.logs.record(
                CREDIT_ADDED_LOCALLY, now, value_wire.to_bytes(4, "little", signed=True)
            )
        elif result == 0x02:
            self.logs.record(DUPLICATE_UTRN, now)
        elif result == 0x01:
            self.logs.record(UTRN_NOT_AUTHENTIC, now)

    def tariff_changed(self, now: datetime, *, future_dated: bool) -> None:
        self.logs.record(
            FUTURE_DATED_HAN_COMMAND_ACTIONED if future_dated else IMMEDIATE_HAN_COMMAND_ACTIONED,
            now,
        )

    def tamper(self, now: datetime) -> None:
        self.logs.record(TAMPER_DETECTED, now)
        # SupplyTamperState 0x0607: armed, as a GB meter locks the supply on tamper (0x81BE).
        self.meter.set_attributes(1, METERING, {"supply_tamper_state": 1})

    def change_of_tenancy(self, now: datetime, takes_effect: datetime, *, clear: bool) -> None:
        control = CLEAR_IHD_DATA_CONSUMER if clear else 0
        self.tenancy = {
            "provider_id": self.supplier.provider_id,
            "issuer_event_id": to_zigbee_time(now),
            "tariff_type": 0,  # delivered
            "implementation_date_time": to_zigbee_time(takes_effect),
            "proposed_tenancy_change_control": control,
        }
        self.meter.set_attributes(
            1,
            DEVICE_MANAGEMENT,
            {
                "change_of_tenancy_update_date_time": to_zigbee_time(takes_effect),
                "proposed_tenancy_change_control": control,
            },
        )
        self.meter.send_command(1, DEVICE_MANAGEMENT, "publish_change_of_tenancy", **self.tenancy)

    def change_of_supplier(self, now: datetime, takes_effect: datetime, new: Supplier) -> None:
        self.supplier_change = {
            "current_provider_id": self.supplier.provider_id,
            "issuer_event_id": to_zigbee_time(now),
            "tariff_type": 0,
            "proposed_provider_id": new.provider_id,
            "provider_change_implementation_time": to_zigbee_time(takes_effect),
            "provider_change_control": 0,
            "proposed_provider_name": new.name.encode()[:16],
            "proposed_provider_contact_details": new.contact.encode()[:19],
        }
        self._set_supplier_attributes("proposed_", new, takes_effect)
        self.meter.send_command(
            1, DEVICE_MANAGEMENT, "publish_change_of_supplier", **self.supplier_change
        )
        self._at(takes_effect, now, lambda: self._become(new))

    def _become(self, new: Supplier) -> None:
        self.supplier = new
        self._set_supplier_attributes("", new)

    def _at(self, when: datetime, now: datetime, action: Callable[[], None]) -> None:
        if when <= now:
            action()
        else:
            self._pending.append((when, action))

    def _set_supplier_attributes(
        self, prefix: str, supplier: Supplier, when: datetime | None = None
    ) -> None:
        values: dict[str, Any] = {
            f"{prefix}provider_id": supplier.provider_id,
            f"{prefix}provider_name": supplier.name.encode()[:16],
            f"{prefix}provider_contact_details": supplier.contact.encode()[:19],
        }
        if when is not None:
            values[f"{prefix}provider_change_date_time"] = to_zigbee_time(when)
            values[f"{prefix}provider_change_control"] = 0
        self.meter.set_attributes(1, DEVICE_MANAGEMENT, values)

    # -- requests ----------------------------------------------------------------------------

    def _reply(self, packet: Any, parsed: Any, cluster_id: int, name: str, **fields: Any) -> None:
        self.meter._reply(packet, parsed, cluster_id, name, **fields)

    def _not_found(self, packet: Any, parsed: Any) -> None:
        self.meter.default_response(packet, parsed, foundation.Status.NOT_FOUND)

    def _on_get_event_log(self, parsed: Any, packet: Any) -> None:
        args = parsed.args
        control = args.event_control_log_id
        start, end = int(args.start_time), int(args.end_time)
        found = self.logs.matching(
            LogID(int(control.log_id)),
            int(args.event_id),
            from_zigbee_time(start) if start else None,
            None if end in (0, 0xFFFFFFFF) else from_zigbee_time(end),
        )
        offset = int(args.event_offset)
        wanted = int(args.number_of_events) or PER_FRAME
        page = found[offset : offset + min(wanted, PER_FRAME)]
        full = int(control.event_control) & 0x1  # 1: with each event's data (SE 1.4 D.11.2.3.1)
        self._reply(
            packet,
            parsed,
            EVENTS,
            "publish_event_log",
            total_number_of_matching_events=len(found),
            command_index=0,
            total_commands=1,
            number_of_events_log_payload_control=NumberOfEventsLogPayloadControl(
                more_events=int(offset + len(page) < len(found)), number_of_events=len(page)
            ),
            log_payload=[
                EventLogEntry(
                    log_id=e.log_id,
                    event_id=e.event_id,
                    event_time=to_zigbee_time(e.time),
                    event_data=e.data if full else b"",
                )
                for e in page
            ],
        )

    def _on_clear_event_log(self, parsed: Any, packet: Any) -> None:
        cleared = self.logs.clear(LogID(int(parsed.args.log_id)))
        self.logs.record(EVENT_LOG_CLEARED, self.meter._now(), bytes([int(parsed.args.log_id)]))
        self._reply(packet, parsed, EVENTS, "clear_event_log_response", cleared_events_logs=cleared)

    def _on_get_tenancy(self, parsed: Any, packet: Any) -> None:
        if self.tenancy is None:
            self._not_found(packet, parsed)
        else:
            self._reply(
                packet, parsed, DEVICE_MANAGEMENT, "publish_change_of_tenancy", **self.tenancy
            )

    def _on_get_supplier(self, parsed: Any, packet: Any) -> None:
        if self.supplier_change is None:
            self._not_found(packet, parsed)
        else:
            self._reply(
                packet,
                parsed,
                DEVICE_MANAGEMENT,
                "publish_change_of_supplier",
                **self.supplier_change,
            )

    def _on_get_site_id(self, parsed: Any, packet: Any) -> None:
        self._reply(
            packet,
            parsed,
            DEVICE_MANAGEMENT,
            "update_site_id",
            issuer_event_id=0,
            site_id_time=0,
            provider_id=self.supplier.provider_id,
            site_id=SITE_ID,
        )

    def _on_get_cin(self, parsed: Any, packet: Any) -> None:
        self._reply(
            packet,
            parsed,
            DEVICE_MANAGEMENT,
            "update_cin",
            issuer_event_id=0,
            implementation_time=0,
            provider_id=self.supplier.provider_id,
            customer_id_number=CUSTOMER_ID,
        )

    def _on_get_event_configuration(self, parsed: Any, packet: Any) -> None:
        """GetEventConfiguration travels server-to-client, so its answer goes the other way."""
        event_id = int(parsed.args.event_id)
        config = self.logs.configuration
        ids = sorted(config) if event_id == ALL_EVENTS else [event_id]
        entries = [
            EventIDConfiguration(event_id=i, event_configuration=config[i])
            for i in ids
            if i in config
        ]
        if not entries:
            self._not_found(packet, parsed)
            return
        frame = zcl_io.cluster_command(
            cluster_class(DEVICE_MANAGEMENT),
            "report_event_configuration",
            tsn=parsed.header.tsn,
            direction=zcl_io.CLIENT_TO_SERVER,
            command_index=0,
            total_commands=1,
            event_configuration_payload=entries,
        )
        self.meter.send(1, DEVICE_MANAGEMENT, frame, dst_ep=packet.src_ep)

    def _on_set_event_configuration(self, parsed: Any, packet: Any) -> None:
        args = parsed.args
        config = EventConfiguration(int(args.event_configuration))
        control = int(args.configuration_control)
        if control == 0x00:  # by list
            for event_id in args.event_ids:
                self.logs.configuration[int(event_id)] = config
        elif control == 0x02:  # by log type: every event now logged to that log
            wanted = _LOG_FOR.get(EventLogging(int(config.logging)))
            for event_id, old in list(self.logs.configuration.items()):
                if _LOG_FOR.get(EventLogging(int(old.logging))) == wanted:
                    self.logs.configuration[event_id] = config
        elif control == 0x03:  # every event whose configuration matches
            match = int(args.configuration_value_match)
            for event_id, old in list(self.logs.configuration.items()):
                if int(old) == match:
                    self.logs.configuration[event_id] = config
        self.meter._ok(packet, parsed)
