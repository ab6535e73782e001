"""Display variants for trials: which figure comes first, the use sign, and how alerts appear."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from ihd_app.settings import ALERT_STYLES, AMBIENT_STYLES, Settings
from ihd_app.trial.store import TrialError

HOME_FIRST = ("kwh", "pounds")


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    home: str = "kwh"  # the big figure on Now, Usage and History: kWh or pounds
    ambient: str = "shape"  # shape: colour, shape and bars; gauge: three-step bar; words: text
    alerts: str = "banner"  # a badge on the status line, or a popup that must be answered
    sound: bool = False  # sound a chime with each alert

    def settings(self, base: Settings) -> Settings:
        """The participant's starting settings: `base`, with this variant's choices."""
        return replace(
            base,
            pounds_first=self.home == "pounds",
            ambient_style=self.ambient,
            alert_style=self.alerts,
            alert_sound=self.sound,
        )

    def detail(self) -> dict[str, Any]:
        return asdict(self)


PRESETS: dict[str, Variant] = {
    "standard": Variant("standard"),
    "kwh-first": Variant("kwh-first", home="kwh"),
    "pounds-first": Variant("pounds-first", home="pounds"),
    "gauge": Variant("gauge", ambient="gauge"),
    "words": Variant("words", ambient="words"),
    "popup-alerts": Variant("popup-alerts", alerts="popup"),
    "audible-alerts": Variant("audible-alerts", sound=True),
}


def parse_variant(text: str) -> Variant:
    """A preset ("pounds-first") or choices ("home=pounds,ambient=gauge,alerts=popup,sound=on").

    Choices may start from a preset: "popup-alerts,sound=on".
    """
    parts = [p.strip() for p in (text or "standard").split(",") if p.strip()]
    variant = PRESETS["standard"]
    choices: dict[str, Any] = {}
    for part in parts:
        if "=" not in part:
            if part not in PRESETS:
                raise TrialError(
                    f"unknown display variant '{part}': use one of {', '.join(PRESETS)} or "
                    "choices like home=pounds,ambient=gauge,alerts=popup,sound=on"
                )
            variant = PRESETS[part]
            continue
        key, _, value = (x.strip() for x in part.partition("="))
        allowed: dict[str, tuple[str, ...]] = {
            "home": HOME_FIRST,
            "ambient": AMBIENT_STYLES,
            "alerts": ALERT_STYLES,
            "sound": ("on", "off"),
        }
        if key not in allowed:
            raise TrialError(f"unknown variant choice '{key}': use {', '.join(allowed)}")
        if value not in allowed[key]:
            raise TrialError(f"{key} must be one of {', '.join(allowed[key])}, not '{value}'")
        choices[key] = value == "on" if key == "sound" else value
    name = text.strip() if text and text.strip() else "standard"
    return replace(variant, name=name, **choices)
