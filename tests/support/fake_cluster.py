"""A stand-in for a zigpy cluster, with just what the back end's MeterAdapter uses of one."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from device_backend.simulator import zcl_io
from device_backend.zcl import cluster_class


class FakeCluster:
    """Just what MeterAdapter uses of a zigpy cluster: cached attributes and listeners."""

    def __init__(self, cluster_id: int, values: dict[str, Any]) -> None:
        self.cluster_id = cluster_id
        self.cls = cluster_class(cluster_id)
        self.client_commands = self.cls.client_commands
        self.values = dict(values)
        self.handlers: dict[str, list[Any]] = {}

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def on_event(self, name: str, handler: Any) -> Any:
        self.handlers.setdefault(name, []).append(handler)
        return lambda: None

    def add_listener(self, listener: Any) -> None:
        return None

    def read(self, **values: Any) -> None:
        """As if a Read Attributes answer brought these values."""
        self.values.update(values)
        for name in values:
            for handler in self.handlers.get("attribute_read", []):
                handler(SimpleNamespace(attribute_name=name, value=values[name]))

    def command(self, name: str, data: bytes) -> Any:
        """Parse a server-to-client command frame with our real cluster definitions."""
        return zcl_io.parse_zcl(self.cls, data).args
