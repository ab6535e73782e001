"""Which meters this display has: a home without gas should say so, not wait for ever."""

from __future__ import annotations

from device_backend.api import model

ROLE = {model.Fuel.ELECTRICITY: "ESME", model.Fuel.GAS: "GSME"}


class MeterSet:
    def __init__(self) -> None:
        self.roles: set[str] = set()
        self.known = False  # set once the back end has been online and listed its meters

    def update(self, roles: set[str]) -> None:
        self.roles |= roles
        self.known = True

    def add(self, role: str) -> None:
        self.roles.add(role)

    def has(self, fuel: model.Fuel) -> bool | None:
        """True or False once known; None while the display is still finding out."""
        if ROLE[fuel] in self.roles:
            return True
        return False if self.known else None
