"""The householder's display choices and the installer PIN, kept in a small JSON file."""

# The PIN is stored only as a salted PBKDF2 hash. There is no factory PIN: until an installer
# sets one, the installer screen asks for a new PIN rather than opening.

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import asdict, dataclass, replace
from pathlib import Path

LOGGER = logging.getLogger(__name__)
PIN_MIN, PIN_MAX = 4, 8
_ITERATIONS = 120_000
TEXT_SIZES = ("normal", "large", "largest")
LANGUAGE_CODES = ("", "en", "cy")  # "" follows the system's language
AMBIENT_STYLES = ("shape", "gauge", "words")
ALERT_STYLES = ("banner", "popup")
SCAN_SECONDS = (1.0, 1.5, 2.0, 3.0)
BUDGET_PERIODS = ("", "day", "week", "month")  # "" is no budget
# Whole pounds in pence: the step each tap of - or + makes, the amount a period starts at, and
# the most a household may set (a slip of the finger, not a real budget, past it).
BUDGET_STEP = {"day": 50, "week": 200, "month": 500}
BUDGET_START = {"day": 500, "week": 3000, "month": 12000}
BUDGET_MAX = 100_000


@dataclass(frozen=True, slots=True)
class Settings:
    # Pounds and pence first: households find cost easier than kWh (Ofgem, "Energy Demand
    # Research Project" and its 2010 smart metering IHD proposals), and GB supplier displays
    # lead with cost.
    pounds_first: bool = True
    brightness: int = 100  # percent
    dim_when_idle: bool = True
    text_size: str = "normal"
    high_contrast: bool = False
    language: str = ""
    alert_sound: bool = False
    switch_scanning: bool = False
    scan_seconds: float = 2.0
    # Set by a trial's display variant rather than on the Settings screen.
    # The three-step gauge reads without colour (filled steps against outlined ones).
    ambient_style: str = "gauge"
    alert_style: str = "banner"
    pin_salt: str = ""
    pin_hash: str = ""
    # The top-up keypad's pause after refused codes (viewmodels.keypad.GuardState), kept here
    # so that restarting the display does not lift it. Times only: never a code's digits.
    topup_refused_at: tuple[str, ...] = ()
    topup_paused_until: str = ""
    topup_pauses: int = 0
    # The installer PIN's lockout, kept for the same reason: a restart must not reset guessing.
    pin_failures: int = 0
    pin_locked_until: str = ""
    # A budget in pounds for a day, a week or a month (integer pence: money is exact); each
    # period keeps its own amount, so trying another period loses nothing.
    budget_period: str = ""
    budget_day_pence: int = BUDGET_START["day"]
    budget_week_pence: int = BUDGET_START["week"]
    budget_month_pence: int = BUDGET_START["month"]

    @property
    def pin_set(self) -> bool:
        return bool(self.pin_hash)

    def budget_pence(self, period: str | None = None) -> int:
        """The amount for `period` (by default the chosen one); 0 with no budget."""
        chosen = self.budget_period if period is None else period
        return int(getattr(self, f"budget_{chosen}_pence")) if chosen in BUDGET_STEP else 0


class PinError(ValueError):
    """A PIN that cannot be used; the message is fit to show on screen."""


def _hash(pin: str, salt: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, _ITERATIONS).hex()


def with_pin(settings: Settings, pin: str) -> Settings:
    if not (PIN_MIN <= len(pin) <= PIN_MAX and pin.isascii() and pin.isdigit()):
        raise PinError(f"A PIN is {PIN_MIN} to {PIN_MAX} digits.")
    salt = secrets.token_bytes(16)
    return replace(settings, pin_salt=salt.hex(), pin_hash=_hash(pin, salt))


def pin_matches(settings: Settings, pin: str) -> bool:
    if not settings.pin_set or not pin.isascii() or not pin.isdigit():
        return False
    candidate = _hash(pin, bytes.fromhex(settings.pin_salt))
    return hmac.compare_digest(candidate, settings.pin_hash)


def checked(settings: Settings) -> Settings:
    """Settings with any unknown choice put back to its default (a hand-edited or older file)."""
    defaults = Settings()
    fixes: dict[str, object] = {}
    for name, allowed in (
        ("text_size", TEXT_SIZES),
        ("language", LANGUAGE_CODES),
        ("ambient_style", AMBIENT_STYLES),
        ("alert_style", ALERT_STYLES),
        ("scan_seconds", SCAN_SECONDS),
        ("budget_period", BUDGET_PERIODS),
    ):
        if getattr(settings, name) not in allowed:
            fixes[name] = getattr(defaults, name)
    try:
        brightness = int(settings.brightness)
    except (TypeError, ValueError, OverflowError):  # "high" or null in a hand-edited file
        brightness = defaults.brightness
    fixes["brightness"] = min(100, max(20, brightness))
    for name in (
        "pounds_first",
        "dim_when_idle",
        "high_contrast",
        "alert_sound",
        "switch_scanning",
    ):
        if not isinstance(getattr(settings, name), bool):  # "no" is not False: use the default
            fixes[name] = getattr(defaults, name)
    # A JSON list comes back as a list: keep the frozen settings' tuple (and its equality).
    refused = settings.topup_refused_at
    fixes["topup_refused_at"] = (
        tuple(str(t) for t in refused) if isinstance(refused, list | tuple) else ()
    )
    fixes["topup_paused_until"] = str(settings.topup_paused_until or "")
    pauses = settings.topup_pauses
    fixes["topup_pauses"] = pauses if isinstance(pauses, int) and pauses >= 0 else 0
    failures = settings.pin_failures
    fixes["pin_failures"] = failures if isinstance(failures, int) and failures >= 0 else 0
    fixes["pin_locked_until"] = str(settings.pin_locked_until or "")
    for period, start in BUDGET_START.items():
        name = f"budget_{period}_pence"
        amount = getattr(settings, name)
        usable = isinstance(amount, int) and not isinstance(amount, bool)
        fixes[name] = amount if usable and 0 < amount <= BUDGET_MAX else start
    return replace(settings, **fixes)  # type: ignore[arg-type]


class SettingsFile:
    """Loads and saves Settings; a missing or damaged file gives the defaults, never a crash."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def load(self) -> Settings:
        if self.path is None or not self.path.exists():
            return Settings()
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise TypeError("not a JSON object of settings")
            known = {k: v for k, v in raw.items() if k in Settings.__dataclass_fields__}
            settings = Settings(**known)
        except (OSError, ValueError, TypeError) as exc:
            LOGGER.warning("Ignoring unreadable display settings %s: %s", self.path, exc)
            return Settings()
        return checked(settings)

    def save(self, settings: Settings) -> None:
        if self.path is None:
            return
        from device_backend.api import private_dir

        private_dir(self.path.parent)  # 0700 if made here; an existing folder is left as it is
        temporary = self.path.with_suffix(".tmp")
        # Owner-only: the file holds the installer PIN's hash.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(settings), handle, indent=2)
        os.replace(temporary, self.path)
