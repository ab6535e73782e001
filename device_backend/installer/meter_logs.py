"""A meter's event logs (Events 0x0709) and event configuration (Device Management 0x0708).

Read: GetEventLog, one page of events per answer (PublishEventLog), paged with EventOffset
until the meter's TotalNumberOfMatchingEvents have come. Clear: ClearEventLogRequest, whose
answer says which logs the meter cleared (a GB meter keeps its security log). Event
configuration: GetEventConfiguration, which SE 1.4 sends server-to-client, so its answer,
ReportEventConfiguration, arrives as a command from the meter rather than as a reply.
"""

from __future__ import annotations

import asyncio
import csv
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from zigpy.zcl import foundation

from device_backend.clock import ZIGBEE_EPOCH
from device_backend.gbcs_events import event_name
from device_backend.installer.access import RadioAccess
from device_backend.installer.types import (
    EventConfigRow,
    InstallerError,
    MeterEventRow,
    Progress,
    no_progress,
)
from device_backend.zcl.device_management import EventLogging
from device_backend.zcl.events import ClearedEventsLogs, EventControlLogID, LogID
from device_backend.zcl.ids import DEVICE_MANAGEMENT, EVENTS

# The logs an engineer chooses from, by the words on screen.
LOGS: dict[str, LogID] = {
    "All logs": LogID.All_Logs,
    "General event log": LogID.GBCS_General_Event_Log,
    "Security log": LogID.GBCS_Security_Event_Log,
    "Tamper log": LogID.Tamper_Log,
    "Fault log": LogID.Fault_Log,
}
LOG_WORDS = {
    LogID.All_Logs: "all logs",
    LogID.Tamper_Log: "tamper log",
    LogID.Fault_Log: "fault log",
    LogID.General_Event_Log: "general event log",
    LogID.Security_Event_Log: "security event log",
    LogID.Network_Event_Log: "network event log",
    LogID.GBCS_General_Event_Log: "GBCS general event log",
    LogID.GBCS_Security_Event_Log: "GBCS security log",
}
LOGGING_WORDS = {
    EventLogging.Do_Not_Log: "not logged",
    EventLogging.Log_As_Tamper: "tamper log",
    EventLogging.Log_As_Fault: "fault log",
    EventLogging.Log_As_General_Event: "general event log",
    EventLogging.Log_As_Security_Event: "security log",
    EventLogging.Log_As_Network_Event: "network event log",
}
# ClearedEventsLogs bit n stands for the log with LogID n (SE 1.4 D.11.2.4.3).
CLEARED_BITS = {LogID(int(m).bit_length() - 1): m for m in ClearedEventsLogs}
PAGE = 5  # events asked for per GetEventLog; the meter may send fewer
MAX_EVENTS = 2000  # more than any meter keeps: a meter that never says "no more" is stopped
ALL_EVENTS = 0xFFFF
REPORT_TIMEOUT_S = 10.0
EXPORT_COLUMNS = ("time", "log", "event_id", "event", "data")


def _time_text(seconds: int) -> str:
    if seconds in (0, 0xFFFFFFFF):
        return "not set"
    moment = ZIGBEE_EPOCH + timedelta(seconds=seconds)
    return moment.isoformat().replace("+00:00", "Z")


class MeterLogs:
    def __init__(self, access: RadioAccess) -> None:
        self.access = access

    def _cluster(self, ieee: str, cluster_id: int, what: str) -> Any:
        device = self.access.device(ieee)
        for epid, endpoint in sorted(device.endpoints.items()):
            if epid and cluster_id in endpoint.in_clusters:
                return endpoint.in_clusters[cluster_id]
        raise InstallerError(f"This device has no {what} cluster: choose the electricity meter.")

    async def read(
        self, ieee: str, log: str = "All logs", progress: Progress = no_progress
    ) -> list[MeterEventRow]:
        """Every event the meter holds in `log`, newest first."""
        events = self._cluster(ieee, EVENTS, "Events (0x0709)")
        log_id = LOGS[log]
        rows: list[MeterEventRow] = []
        total: int | None = None
        while total is None or len(rows) < min(total, MAX_EVENTS):
            answer = await self.access.guarded(
                "reading the event log",
                events.get_event_log(
                    # EventControl 1 in the high nibble: each event with its data.
                    event_control_log_id=EventControlLogID(log_id=int(log_id), event_control=1),
                    event_id=0,
                    start_time=0,
                    end_time=0xFFFFFFFF,
                    number_of_events=PAGE,
                    event_offset=len(rows),
                ),
            )
            entries = getattr(answer, "log_payload", None)
            if entries is None:
                status = getattr(answer, "status", None)
                raise InstallerError(
                    "The meter did not send its event log"
                    + (f" ({getattr(status, 'name', status)})." if status is not None else ".")
                )
            total = int(answer.total_number_of_matching_events)
            rows += [
                MeterEventRow(
                    time=_time_text(int(e.event_time)),
                    log=LOG_WORDS.get(LogID(int(e.log_id)), f"log {int(e.log_id)}"),
                    event_id=int(e.event_id),
                    event=event_name(int(e.event_id)),
                    data=bytes(e.event_data).hex(" ").upper(),
                )
                for e in entries
            ]
            progress(len(rows) / total if total else 1.0, f"{len(rows)} of {total} events")
            if not entries:
                break  # the meter says there are more but sends none: stop, keep what came
        return rows

    async def clear(self, ieee: str, log: str = "All logs") -> str:
        events = self._cluster(ieee, EVENTS, "Events (0x0709)")
        log_id = LOGS[log]
        answer = await self.access.guarded(
            "clearing the event log", events.clear_event_log_request(log_id=log_id)
        )
        cleared = getattr(answer, "cleared_events_logs", None)
        if cleared is None:
            status = getattr(answer, "status", None)
            raise InstallerError(
                f"The meter did not clear its {LOG_WORDS[log_id]}"
                + (f" ({getattr(status, 'name', status)})." if status is not None else ".")
            )
        bits = ClearedEventsLogs(int(cleared))
        names = [LOG_WORDS[log] for log, bit in CLEARED_BITS.items() if bit in bits]
        kept = (
            " The meter kept its security log, as GB meters do."
            if log_id in (LogID.All_Logs, LogID.GBCS_Security_Event_Log)
            and ClearedEventsLogs.GBCS_Security_Event_Log not in bits
            else ""
        )
        if not names:
            return "The meter cleared nothing." + kept
        return "The meter cleared: " + ", ".join(names) + "." + kept

    async def configuration(self, ieee: str) -> list[EventConfigRow]:
        """How the meter treats each event it is configured for (which log, whom it tells)."""
        cluster = self._cluster(ieee, DEVICE_MANAGEMENT, "Device Management (0x0708)")
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Any] = loop.create_future()
        catcher = _ReportCatcher(cluster, answer)
        cluster.add_listener(catcher)  # before asking: the answer may come at once
        try:
            await self.access.guarded(
                "asking for the event configuration", _ask_server_to_client(cluster, ALL_EVENTS)
            )
            try:
                async with asyncio.timeout(REPORT_TIMEOUT_S):
                    report = await answer
            except TimeoutError:
                raise InstallerError(
                    "The meter did not report its event configuration: it may not support it."
                ) from None
        finally:
            cluster.remove_listener(catcher)
        rows = []
        for entry in report.event_configuration_payload:
            config = entry.event_configuration
            told = [
                words
                for flag, words in (
                    (config.push_event_to_wan, "WAN"),
                    (config.push_event_to_han, "HAN"),
                    (config.raise_alarm_zigbee, "ZigBee alarm"),
                    (config.raise_alarm_physical, "physical alarm"),
                )
                if int(flag)
            ]
            rows.append(
                EventConfigRow(
                    event_id=int(entry.event_id),
                    event=event_name(int(entry.event_id)),
                    logged_to=LOGGING_WORDS.get(
                        EventLogging(int(config.logging)), f"log {int(config.logging)}"
                    ),
                    tells=", ".join(told) or "nobody",
                )
            )
        return rows


async def _ask_server_to_client(cluster: Any, event_id: int) -> None:
    """GetEventConfiguration, framed server-to-client as SE 1.4 defines it. zigpy frames a
    command from its copy of a device's server cluster client-to-server, where command 0x05
    would be GetCIN, so the header is built here and sent on the endpoint."""
    command = cluster.ClientCommandDefs.get_event_configuration
    tsn = cluster.endpoint.device.get_sequence()
    header = foundation.ZCLHeader.cluster(
        tsn, command.id, direction=foundation.Direction.Server_to_Client
    )
    # zigpy's Struct.replace is typed for dict arguments; it takes fields (frozen structs).
    header.frame_control = header.frame_control.replace(  # type: ignore[assignment]
        disable_default_response=True  # type: ignore[arg-type]
    )
    body = command.schema(event_id=event_id).serialize()
    await cluster.endpoint.reply(
        cluster=cluster.cluster_id,
        sequence=tsn,
        data=header.serialize() + body,
        command_id=command.id,
    )


class _ReportCatcher:
    """zigpy's listener protocol: the first ReportEventConfiguration after our request."""

    def __init__(self, cluster: Any, answer: asyncio.Future[Any]) -> None:
        self._cluster = cluster
        self._answer = answer

    def cluster_command(self, tsn: int, command_id: int, args: Any) -> None:
        command = self._cluster.server_commands.get(command_id)
        if (
            command is not None
            and command.name == "report_event_configuration"
            and not self._answer.done()
        ):
            self._answer.set_result(args)

    def general_command(self, *args: Any) -> None:
        return None


def export_events(rows: list[MeterEventRow], path: Path) -> Path:
    """CSV or JSON by the file's suffix (.json, else CSV); one row or object per event."""
    records = [
        {
            "time": r.time,
            "log": r.log,
            "event_id": f"0x{r.event_id:04X}",
            "event": r.event,
            "data": r.data,
        }
        for r in rows
    ]
    try:
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
        else:
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS)
                writer.writeheader()
                writer.writerows(records)
    except OSError as exc:
        raise InstallerError(
            f"Could not write {path}: {exc.strerror or exc}. Choose another folder."
        ) from None
    return path
