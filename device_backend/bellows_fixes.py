"""Work-arounds for bellows behaviour found by running it against the virtual EZSP dongle.

Each is written down, with a minimal reproduction, in the README ("bellows and zigpy
findings"). They are applied only to bellows's ControllerApplication (targets `ezsp:`).
"""

from __future__ import annotations

from typing import Any

# bellows 1.2.1 runs the serial port on an event loop of its own in a second thread
# (`use_thread`, on by default) and hands every frame and every command across with
# run_coroutine_threadsafe. Under qasync a second bellows session in one process (the
# installer's backup then restore onto another stick) resumed tasks outside the running loop
# ("no running event loop"), and every frame paid a hop between threads and the GIL's switch
# interval on its way to the display. Home Assistant's ZHA turns the thread off for the
# temporary sessions its radio manager opens for backups and restores, and for socket://
# sticks, for the first reason. With it off the port is read on our loop (qasync's socket
# notifier for the file descriptor), which is all a 115,200 baud stick needs.
SERIAL_ON_OUR_LOOP = {"use_thread": False}


class EndpointsAfterReset:
    """bellows 1.2.1 registers endpoints once, in `connect()`, but resets the NCP again while
    forming a network (`write_network_info` -> `_reset`) and after a repair. An NCP forgets
    its endpoints on every reset (EZSP reference, addEndpoint: "The NCP does not remember
    these settings after a reset"), so on the session that formed the network the stick runs
    with no endpoints at all. We register them again after each of bellows's resets, before
    the network is brought up (the only time the NCP accepts them)."""

    async def _reset(self) -> None:
        await super()._reset()  # type: ignore[misc]
        created: list[Any] = getattr(self, "_created_device_endpoints", [])
        created.clear()
        await self.register_endpoints()  # type: ignore[attr-defined]


class OneCallbackHandler:
    """bellows 1.2.1 adds its EZSP callback handler every time `start_network` runs, and zigpy
    runs it twice on the session that forms a network (once to energy-scan for a channel,
    once after forming). From then on every callback is handled twice: each incoming frame
    reaches zigpy twice (its 10-second duplicate filter hides most of them), each
    messageSentHandler resolves a request twice. We take the earlier registration out first."""

    async def start_network(self) -> None:
        ezsp = getattr(self, "_ezsp", None)
        handler = getattr(self, "ezsp_callback_handler", None)
        callbacks: dict[int, Any] = getattr(ezsp, "_callbacks", {})
        for callback_id, callback in list(callbacks.items()):
            if callback == handler:
                ezsp.remove_callback(callback_id)  # type: ignore[union-attr]
        await super().start_network()  # type: ignore[misc]


_wrapped: dict[type, type] = {}


def with_bellows_fixes(app_class: type) -> type:
    if not hasattr(app_class, "_reset"):
        return app_class
    if app_class not in _wrapped:
        _wrapped[app_class] = type(
            f"Fixed{app_class.__name__}", (EndpointsAfterReset, OneCallbackHandler, app_class), {}
        )
    return _wrapped[app_class]
