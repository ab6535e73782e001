"""Settings: look and brightness choices are kept; the installer area needs a PIN nobody preset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ihd_app.settings import PinError, Settings, SettingsFile, pin_matches, with_pin
from tests.support.display import Display


def _enter_pin(d: Display, pin: str) -> None:
    for digit in pin:
        d.tap(f"pin-key-{digit}")
    d.tap("pin-ok")


def test_there_is_no_default_pin_the_installer_chooses_one(
    display: Display, tmp_path: Path
) -> None:
    display.tap("tab-settings")
    display.tap("settings-installer")
    assert display.text("pin-title").startswith("Choose an installer PIN")
    assert display.text("pin-feedback") == "No installer PIN has been set yet."
    _enter_pin(display, "2468")
    assert display.text("pin-title") == "Enter the new PIN again"
    _enter_pin(display, "2468")
    assert "Devices: 1" in display.text("installer-info")
    display.tap("installer-lock")
    display.tap("settings-installer")
    assert display.text("pin-title") == "Installer PIN"
    _enter_pin(display, "1111")
    assert display.text("pin-feedback") == "That PIN is not right."
    _enter_pin(display, "2468")
    assert display.text("installer-title") == "Installer"
    stored = json.loads((tmp_path / "display.json").read_text())
    assert "2468" not in json.dumps(stored)  # only a salted hash is kept


def test_mismatched_new_pins_are_refused(display: Display) -> None:
    display.tap("tab-settings")
    display.tap("settings-installer")
    _enter_pin(display, "1357")
    _enter_pin(display, "1358")
    assert display.text("pin-feedback") == "The two PINs were different. Please choose again."
    assert not display.state.settings.settings.pin_set


def test_too_many_wrong_pins_lock_the_installer_out(display: Display) -> None:
    display.state.settings.set_pin("9753")
    display.tap("tab-settings")
    display.tap("settings-installer")
    for _ in range(5):
        _enter_pin(display, "0000")
    _enter_pin(display, "9753")
    assert display.text("pin-feedback") == "Too many wrong PINs. Try again in a few minutes."
    assert not display.state.settings.installer_unlocked


def test_look_choices_apply_and_are_saved(display: Display, tmp_path: Path) -> None:
    display.tap("tab-settings")
    display.tap("settings-largest")
    display.tap("settings-contrast-on")
    display.tap("settings-dimmer")
    display.tap("settings-dimmer")
    assert display.text("settings-brightness") == "80%"
    assert "#000000" in display.window.styleSheet()
    assert "font-size: 36px" in display.window.styleSheet()  # 18px x 2.0: WCAG 200% text
    assert display.window.dimmer.isVisible()
    again = SettingsFile(tmp_path / "display.json").load()
    assert (again.text_size, again.high_contrast, again.brightness) == ("largest", True, 80)


def test_pin_rules() -> None:
    with pytest.raises(PinError):
        with_pin(Settings(), "12")
    with pytest.raises(PinError):
        with_pin(Settings(), "12ab")
    chosen = with_pin(Settings(), "4321")
    assert pin_matches(chosen, "4321")
    assert not pin_matches(chosen, "1234")
    assert not pin_matches(Settings(), "")


def test_a_damaged_settings_file_gives_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "display.json"
    path.write_text("{not json")
    assert SettingsFile(path).load() == Settings()


def test_an_idle_display_dims_and_the_waking_touch_presses_nothing(display: Display) -> None:
    display.tap("tab-usage")
    display.window.dimmer.dim_now()
    assert display.window.dimmer.isVisible()
    assert display.window.dimmer.level == 20
    display.tap("tab-now")  # wakes the display...
    assert display.window.current == "usage"  # ...without switching screens
    assert not display.window.dimmer.isVisible()
    display.tap("tab-now")
    assert display.window.current == "now"


def test_idle_dimming_can_be_turned_off(display: Display) -> None:
    display.tap("tab-settings")
    assert display.find(type(display.window.screens["settings"].idle), "settings-idle").isChecked()
    display.tap("settings-idle")
    assert not display.state.settings.settings.dim_when_idle
    assert not display.window.dimmer.waiting_to_dim


def test_the_pin_lockout_and_failures_survive_a_restart(qtbot: object, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from ihd_app.viewmodels.settings import LOCKOUT, MAX_PIN_TRIES, SettingsViewModel

    clock = [datetime(2026, 11, 25, 9, tzinfo=UTC)]
    path = tmp_path / "display.json"

    def restart() -> SettingsViewModel:  # the display switched off and on again
        return SettingsViewModel(lambda: clock[0], SettingsFile(path))

    vm = restart()
    vm.set_pin("9753")
    for _ in range(MAX_PIN_TRIES - 1):
        assert not vm.try_pin("0000")
    vm = restart()  # a restart does not buy more guesses
    assert not vm.try_pin("0000")
    assert vm.locked_out
    vm = restart()
    assert vm.locked_out
    assert not vm.try_pin("9753")
    clock[0] += LOCKOUT + timedelta(seconds=1)
    assert not restart().locked_out
    assert restart().try_pin("9753")
    assert "9753" not in path.read_text()


def test_a_clock_set_back_does_not_stretch_the_pin_lockout(qtbot: object, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from ihd_app.viewmodels.settings import LOCKOUT, MAX_PIN_TRIES, SettingsViewModel

    clock = [datetime(2026, 11, 25, 9, tzinfo=UTC)]
    vm = SettingsViewModel(lambda: clock[0], SettingsFile(tmp_path / "display.json"))
    vm.set_pin("9753")
    for _ in range(MAX_PIN_TRIES):
        vm.try_pin("0000")
    clock[0] -= timedelta(days=365)
    assert vm.locked_out
    clock[0] += LOCKOUT + timedelta(seconds=1)
    assert not vm.locked_out


def test_a_damaged_saved_lockout_is_dropped(qtbot: object, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from ihd_app.viewmodels.settings import SettingsViewModel

    path = tmp_path / "display.json"
    path.write_text(json.dumps({"pin_locked_until": "next tuesday", "pin_failures": "many"}))
    vm = SettingsViewModel(lambda: datetime(2026, 11, 25, tzinfo=UTC), SettingsFile(path))
    assert not vm.locked_out
    assert vm.failed_pins == 0
