"""When each device last reported each attribute: the evidence for 'reporting intervals met'."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from zigpy.zcl import foundation

KEEP = 64


class ReportLog:
    """A zigpy application listener: every Report Attributes frame, by device and attribute."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self.times: dict[tuple[str, int, int], deque[datetime]] = {}
        self.started = now()

    def handle_message(
        self, device: Any, profile: int, cluster: int, src_ep: int, dst_ep: int, message: bytes
    ) -> None:
        if src_ep == 0:
            return
        try:
            header, rest = foundation.ZCLHeader.deserialize(message)
            if header.frame_control.frame_type != foundation.FrameType.GLOBAL_COMMAND:
                return
            if header.command_id != foundation.GeneralCommand.Report_Attributes:
                return
            schema = foundation.GENERAL_COMMANDS[foundation.GeneralCommand.Report_Attributes].schema
            report, _ = schema.deserialize(rest)
        except (ValueError, KeyError, TypeError):
            return  # the radio's boundary already counts malformed frames
        now = self._now()
        for record in getattr(report, "attribute_reports", ()):
            key = (str(device.ieee), int(cluster), int(record.attrid))
            self.times.setdefault(key, deque(maxlen=KEEP)).append(now)

    def of(self, ieee: str, cluster: int, attrid: int) -> list[datetime]:
        return list(self.times.get((ieee, cluster, attrid), ()))
