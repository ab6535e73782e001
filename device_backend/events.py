"""A tiny synchronous event hub: subscribe with a callback, get back an unsubscribe function.

A listener that raises is logged at error level and counted, never allowed to stop the
others (zigpy would swallow it at DEBUG; we want to know).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

E = TypeVar("E")
LOGGER = logging.getLogger(__name__)


class EventHub(Generic[E]):
    def __init__(self) -> None:
        self._listeners: list[Callable[[E], None]] = []
        self.listener_errors = 0
        self._reported: set[tuple[int, str]] = set()

    def subscribe(self, callback: Callable[[E], None]) -> Callable[[], None]:
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def emit(self, event: E) -> None:
        for callback in tuple(self._listeners):
            try:
                callback(event)
            except Exception:  # one broken listener must not starve the rest
                self.listener_errors += 1
                kind = (id(callback), type(event).__name__)
                if kind in self._reported:  # once per listener and event type, not a flood
                    LOGGER.debug("A listener failed again on %s", kind[1], exc_info=True)
                else:
                    self._reported.add(kind)
                    LOGGER.exception("A listener failed on %s", kind[1])
