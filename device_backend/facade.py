"""The one object both applications use: connect, events, commands; simulator or dongle alike.

The GUIs see this class and the domain types in `model`, never zigpy. A supervisor keeps the
radio connected: it notices a lost or hung dongle, reports offline with the reason, retries
with capped backoff and comes back without re-pairing.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from device_backend import model
from device_backend.clock import Clock, HanClock, from_zigbee_time, to_zigbee_time
from device_backend.events import EventHub
from device_backend.money import MoneyBase
from device_backend.translate import GAS_FACTOR_ATTRS, NO_TIER_BLOCK_ATTRS, MeterAdapter
from device_backend.utrn import UtrnError, mask_utrn, validate_utrn
from device_backend.zcl.ids import CALENDAR, MESSAGING, METERING, PREPAYMENT, PRICE, TIME

LOGGER = logging.getLogger(__name__)
# GB history on Metering (se_clusters.md §6): current day 0x0401, previous day 0x0403, days 2-8
# at 0x0420 + 2(n-2); current week 0x0430, weeks 1-5 at 0x0432 + 2(n-1); current month 0x0440,
# months 1-13 at 0x0442 + 2(n-1). Newest first.
HISTORY_DAYS = (0x0401, 0x0403, *(0x0420 + 2 * (n - 2) for n in range(2, 9)))
HISTORY_WEEKS = (0x0430, *(0x0432 + 2 * (n - 1) for n in range(1, 6)))
HISTORY_MONTHS = (0x0440, *(0x0442 + 2 * (n - 1) for n in range(1, 14)))
# The same logs in AlternativeUnitOfMeasure (0x0312) lie 0x0800 above (0x0C01 ...). A GB gas
# proxy counts m3 (UnitOfMeasure 0x01), so its kWh per day, week and month can only be there;
# when 0x0312 reads kWh they are the meter's own figures, at the CV and CF in force as the gas
# was measured, and the display uses them rather than converting the volume itself.
ALTERNATIVE_OFFSET = 0x0800
KWH_UNIT = 0x00
# Their cost, as the meter totalled it (Prepayment 0x051C current day, 0x051E + 2(n-1) previous
# day n; 0x0530 / 0x0532 weeks; 0x0540 / 0x0542 months; se_clusters.md §3 and SE 1.4 Table
# D-143). Read with the meter's money scale (Currency and PriceTrailingDigit, GB 826 / 0x50),
# as every Prepayment amount: CurrencyScalingFactor (0x0502) has enumeration values the
# reference could not verify, so it is not applied [U].
# Gas logs move with each GSME push (GPF, about every 30 minutes; gb_domain.md §3).
HISTORY_REREAD = timedelta(minutes=25)
TOP_UP_LOG_FIELDS = ("top_up_date_time", "top_up_amount")
COST_DAYS = (0x051C, *(0x051E + 2 * (n - 1) for n in range(1, 9)))
COST_WEEKS = (0x0530, *(0x0532 + 2 * (n - 1) for n in range(1, 6)))
COST_MONTHS = (0x0540, *(0x0542 + 2 * (n - 1) for n in range(1, 14)))

DEFAULT_TARGET = "sim:credit-dual-fuel"
RADIO_LIBRARIES = {  # target prefix -> (module, ControllerApplication path)
    "ezsp": ("bellows.zigbee.application", "ControllerApplication"),
    "znp": ("zigpy_znp.zigbee.application", "ControllerApplication"),
    "deconz": ("zigpy_deconz.zigbee.application", "ControllerApplication"),
    "zigate": ("zigpy_zigate.zigbee.application", "ControllerApplication"),
    "xbee": ("zigpy_xbee.zigbee.application", "ControllerApplication"),
}
TOP_UP_RESULTS = {
    0x00: model.TopUpOutcome.ACCEPTED,
    0x01: model.TopUpOutcome.INVALID,
    0x02: model.TopUpOutcome.DUPLICATE,
    0x03: model.TopUpOutcome.ERROR,
    0x04: model.TopUpOutcome.MAX_CREDIT,
    0x05: model.TopUpOutcome.KEYPAD_LOCK,
    0x06: model.TopUpOutcome.TOO_LARGE,
    0x10: model.TopUpOutcome.ACCEPTED,
    0x11: model.TopUpOutcome.ACCEPTED,
    0x12: model.TopUpOutcome.ACCEPTED,
}
TOP_UP_SUPPLY = {
    0x10: model.SupplyState.ON,
    0x11: model.SupplyState.OFF,
    0x12: model.SupplyState.ARMED,
}
ORIGINATING_DEVICE_IHD = 0x02
# A replugged dongle is found within one backoff step, so the cap keeps it under 20 s.
MAX_BACKOFF_S = 15.0
# A meter's LQI is re-published when it moves by this much (about 4 dB on an EmberZNet-like
# scale): enough to change the display's signal bars, not every frame's fading.
LINK_STEP = 32
# bellows and friends time out their own commands, but a stalled serial link can still leave
# start-up waiting forever; past this it is a failed attempt with a reason, and retried.
STARTUP_TIMEOUT_S = 60.0
# Two failed probes in a row mean a hung dongle: flagged within 2 x (interval + timeout).
PROBE_INTERVAL_S = 5.0
PROBE_TIMEOUT_S = 5.0
ADOPT_RETRY_S = 5.0  # a meter that could not be adopted is tried again when heard, this often
# GetScheduledPrices at adoption: the next day of a TOU tariff without a calendar, and more.
SCHEDULED_PRICES_ASKED = 16
BLOCK_READ_S = 15 * 60  # how often a block tariff's use is read (clock seconds)


CHANGE_ONLY = (model.Ambient, model.Supply, model.Prepayment, model.Price, model.Schedule)


def _same_state(old: model.Event, new: model.Event) -> bool:
    # `starts` of a price in force "now" is the moment it was heard, not a change of price.
    fields = [f for f in old.__dataclass_fields__ if f not in ("time", "starts")]
    return all(getattr(old, f) == getattr(new, f) for f in fields)


class TargetError(ValueError):
    """A connection target the user typed that we cannot use; the message says why."""


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # "sim" or a radio library key such as "ezsp"
    where: str  # the scenario name, or the serial port
    baudrate: int = 115200
    flow_control: str | None = None

    @property
    def simulated(self) -> bool:
        return self.kind == "sim"


def parse_target(text: str, *, baudrate: int = 115200, flow_control: str | None = None) -> Target:
    """`sim:SCENARIO` or `ezsp:/dev/ttyUSB0` (or znp:, deconz:, ...)."""
    kind, sep, where = text.partition(":")
    if not sep or not where:
        raise TargetError(
            f"'{text}' is not a connection target: use sim:SCENARIO (e.g. {DEFAULT_TARGET}) "
            "or RADIO:PORT (e.g. ezsp:/dev/ttyUSB0)"
        )
    if kind != "sim" and kind not in RADIO_LIBRARIES:
        raise TargetError(
            f"unknown radio type '{kind}': use sim or one of {', '.join(RADIO_LIBRARIES)}"
        )
    if flow_control not in (None, "hardware", "software"):
        raise TargetError("flow control must be 'hardware', 'software' or left out")
    return Target(kind=kind, where=where, baudrate=baudrate, flow_control=flow_control)


# The scenario files, for programs that name or check one before they connect (a trial script
# is checked before any window opens). The simulator loads only when a scenario is asked for.


def list_scenarios() -> list[tuple[str, str]]:
    """(name, one-line description) of each shipped scenario."""
    from device_backend.simulator import scenario

    return scenario.list_scenarios()


def scenario_file(name_or_path: str | Path) -> Path:
    """The file `sim:NAME` would load: a shipped scenario by name, or a TOML file's path."""
    from device_backend.simulator import scenario

    return scenario.scenario_path(name_or_path)


def check_scenario(name_or_path: str | Path) -> None:
    """Load and validate a scenario as `sim:` would; ScenarioError (file, field, reason) if not."""
    from device_backend.simulator import scenario

    scenario.load_scenario(name_or_path)


class Backend:
    """Connect to a HAN and speak in domain events and commands."""

    def __init__(
        self,
        target: str | Target = DEFAULT_TARGET,
        *,
        speed: float | None = 1.0,
        seed: int | None = None,
        start: datetime | None = None,
        zigpy_database: str | None = None,
        probe_interval_s: float = PROBE_INTERVAL_S,
        probe_timeout_s: float = PROBE_TIMEOUT_S,
        money_base: MoneyBase = MoneyBase.MAJOR,
    ) -> None:
        self.target = target if isinstance(target, Target) else parse_target(target)
        self.events: EventHub[model.Event] = EventHub()
        self.store: Any = None  # see attach_store
        self.home: Any = None
        # A real HAN's time comes from its Time cluster (read at adoption and each refresh).
        self.clock: Clock = HanClock()
        if self.target.simulated:
            from device_backend.simulator.home import SimulatedHome

            self.home = SimulatedHome.from_scenario(
                self.target.where, speed=speed, seed=seed, start=start
            )
            self.clock = self.home.clock
        self._zigpy_database = zigpy_database
        self.probe_interval_s = probe_interval_s
        self.probe_timeout_s = probe_timeout_s
        # MAJOR (the SE spec, every GB meter) unless this HAN's meters publish pence.
        self.money_base = money_base
        self.app: Any = None
        self.adapters: dict[str, MeterAdapter] = {}
        self.latest: dict[tuple[str, str], model.Event] = {}
        self._links: dict[str, int] = {}  # ieee -> the LQI last emitted (see _note_link)
        self.connection = model.Connection(
            time=self.clock.now(), state=model.ConnectionState.CONNECTING
        )
        self._lost: asyncio.Event | None = None
        self._lost_reason = ""
        self._tasks: list[asyncio.Task[Any]] = []
        self._online = asyncio.Event()
        self._stopping = False
        self._stale: set[str] = set()
        self._ready: set[str] = set()  # adopted meters whose first state has been read
        # Meters being adopted now, each with a future done when that adoption ends: a meter is
        # adopted by one task at a time (the radio's start, or its rejoin), never twice.
        self._adopting: dict[str, asyncio.Future[None]] = {}
        self._adopt_retry_at: dict[str, float] = {}  # loop time of the next try, by meter
        self._history_read: dict[str, datetime] = {}  # when each meter's logs were last read
        self._history_reading: set[str] = set()
        self._jobs: set[asyncio.Task[Any]] = set()
        self._failures_seen = 0
        self._quiet_checks = 0
        # Recent register readings per meter, kept across reconnects to anchor a backfill.
        self._registers: dict[str, deque[tuple[datetime, int]]] = {}
        self.rejected_frames = 0
        self.recorder: Any = None

    def attach_store(self, store: Any, *, batch: int = 1000) -> None:
        """The one way to keep every reading and state change in `store`.

        Open the store on this back end's clock (`Store.open(path, clock=backend.clock)`: a
        simulated day is not today), then attach it. Events are written `batch` at a time, in
        one transaction, and at least once a second of wall time; `batch=1` commits each as it
        arrives (the display: its totals include the reading on screen). A write that fails
        (a full disk) is kept and retried with the next.
        """
        from device_backend.recorder import StoreRecorder

        self.store = store
        self.recorder = StoreRecorder(store, batch=batch)
        self.events.subscribe(self.recorder)

    # -- events --------------------------------------------------------------------------

    def on_event(self, callback: Callable[[model.Event], None]) -> Callable[[], None]:
        return self.events.subscribe(callback)

    def _emit(self, event: model.Event) -> None:
        fuel = getattr(event, "fuel", "")
        key = (type(event).__name__, str(fuel))
        if (
            isinstance(event, CHANGE_ONLY)
            and key in self.latest
            and _same_state(self.latest[key], event)
        ):
            return  # state events are emitted when the state changes, not on every report
        previous = self.latest.get(key)
        self.latest[key] = event
        if (
            isinstance(event, model.Prepayment)
            and isinstance(previous, model.Prepayment)
            and event.credit_pence > previous.credit_pence
        ):
            self._top_up_log_due(event.fuel)  # a top-up from the PPMID or the supplier's WAN
        if isinstance(event, model.Energy) and event.device:
            self._registers.setdefault(event.device, deque(maxlen=200)).append(
                (event.time, event.import_raw)
            )
        if isinstance(event, model.Energy | model.Demand) and event.device in self._stale:
            self._stale.discard(event.device)
            if not self._stale and self.connection.state is model.ConnectionState.STALE:
                self._set_connection(model.ConnectionState.ONLINE, "meters reporting again")
        self.events.emit(event)
        self._history_due(event)

    def _note_link(self, device: Any) -> None:
        """A meter's link quality as zigpy last measured it (LQI and RSSI of its frames), for
        the display's signal bars: emitted when it moves by a step (LINK_STEP) or first heard,
        never on every frame."""
        ieee = str(getattr(device, "ieee", ""))
        lqi, rssi = getattr(device, "lqi", None), getattr(device, "rssi", None)
        if ieee not in self.adapters or lqi is None:
            return
        last = self._links.get(ieee)
        if last is not None and abs(last - int(lqi)) < LINK_STEP:
            return
        self._links[ieee] = int(lqi)
        self.events.emit(
            model.LinkQuality(
                time=self.clock.now(),
                ieee=ieee,
                lqi=int(lqi),
                rssi=int(rssi) if rssi is not None else None,
            )
        )

    def _set_connection(self, state: model.ConnectionState, reason: str = "") -> None:
        if state == self.connection.state and reason == self.connection.reason:
            return
        self.connection = model.Connection(time=self.clock.now(), state=state, reason=reason)
        self._emit(self.connection)

    def latest_of(self, kind: type[model.Event], fuel: model.Fuel | str | None = None) -> Any:
        """The newest event of a kind (for one fuel, or electricity first when not given)."""
        if fuel is not None:
            return self.latest.get((kind.__name__, str(fuel)))
        for candidate in (model.Fuel.ELECTRICITY, model.Fuel.GAS, ""):
            found = self.latest.get((kind.__name__, str(candidate)))
            if found is not None:
                return found
        return None

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Start the supervisor (and the simulated home); returns at once, events follow."""
        self._tasks.append(asyncio.create_task(self._supervise(), name="radio supervisor"))
        self._tasks.append(asyncio.create_task(self._watch_staleness(), name="staleness watch"))
        self._tasks.append(asyncio.create_task(self._watch_blocks(), name="block use"))
        if self.home is not None:
            self._tasks.append(asyncio.create_task(self.home.run(self), name="simulated home"))

    async def wait_online(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109 - callers give a deadline, as to asyncio.wait_for
        # Not asyncio.wait_for: on Python 3.11 it swallows a cancellation (Ctrl-C) that arrives
        # just as the wait completes (CPython gh-86296), and the command would run on.
        async with asyncio.timeout(timeout):
            await self._online.wait()

    async def wait_for_meters(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109 - as wait_online
        """Until every meter of the simulated home (or at least one real meter) is adopted."""
        wanted = len(self.home.meters) if self.home is not None else 1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self._ready) < wanted:
            if loop.time() > deadline:
                raise TimeoutError(f"only {len(self._ready)} of {wanted} meters answered")
            await asyncio.sleep(0.01)

    async def run_until(self, end: datetime) -> None:
        """Let simulated (or real) time reach `end`; at speed max this jumps from event to event."""
        from device_backend.clock import SimulatedClock

        clock = self.clock
        if isinstance(clock, SimulatedClock) and clock.discrete:
            await clock.run_until(end)
            return
        while clock.now() < end:
            remaining = (end - clock.now()).total_seconds()
            speed = getattr(clock, "speed", 1.0) or 1.0
            await asyncio.sleep(min(0.5, max(0.001, remaining / float(speed))))

    async def stop(self) -> None:
        self._stopping = True
        jobs = [*self._tasks, *self._jobs]
        for task in jobs:
            task.cancel()
        if jobs:
            # Bounded: a task whose wake-up was lost (e.g. to re-entrant Qt event processing)
            # must not keep the application from closing.
            await asyncio.wait(jobs, timeout=5)
        self._tasks.clear()
        await self._shutdown_app()
        if self.recorder is not None:
            self.recorder.flush()

    async def _shutdown_app(self) -> None:
        for adapter in self.adapters.values():
            adapter.close()
        self.adapters.clear()
        self._ready.clear()
        if self.app is not None:
            app, self.app = self.app, None
            with contextlib.suppress(Exception):
                await app.shutdown()

    # -- the supervisor ------------------------------------------------------------------

    async def _supervise(self) -> None:
        backoff = 1.0
        last_reason = ""
        while not self._stopping:
            try:
                await self._connect_once()
            except Exception as exc:  # noqa: BLE001 - every failure becomes a reason on screen
                reason = describe_connection_error(exc, self.target)
                if reason != last_reason:  # once per cause, not once per retry
                    LOGGER.warning("Could not start the radio: %s", reason)
                    last_reason = reason
                await self._shutdown_app()
                self._set_connection(
                    model.ConnectionState.OFFLINE, f"{reason} Retrying in {backoff:.0f} s."
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
                continue
            backoff = 1.0
            last_reason = ""
            self._set_connection(model.ConnectionState.ONLINE, "connected")
            self._online.set()
            assert self._lost is not None
            probe = asyncio.create_task(self._probe_health())
            try:
                await self._lost.wait()
            finally:
                probe.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await probe
            self._online.clear()
            self._set_connection(model.ConnectionState.OFFLINE, self._lost_reason)
            await self._shutdown_app()
            await asyncio.sleep(0.2)

    async def _connect_once(self) -> None:
        self._lost = asyncio.Event()
        app_class, config = self._radio_class_and_config()
        app = app_class(config)
        if self.home is not None:
            self.home.attach_to(app)
        app.add_listener(_AppListener(self))
        self.app = app
        if self._zigpy_database is not None:  # zigpy would create it world-readable, keys and all
            from device_backend import paths

            paths.create_private(Path(self._zigpy_database))
        async with asyncio.timeout(STARTUP_TIMEOUT_S):
            # zigpy's database holds the paired meters and network backups; without loading it
            # a real dongle would know no meters after a restart or a reconnect. This is the step
            # `ControllerApplication.new` takes, done after `self.app` is set so that a database
            # that fails to load is still closed by `_shutdown_app`.
            await app._load_db()
            await app.startup(auto_form=True)
        if self.home is not None:
            await app.join_virtual_devices()
        for device in list(app.devices.values()):
            if device.nwk != 0 and device.is_initialized:
                await self._adopt(device)
        await self._backfill()

    def _radio_class_and_config(self) -> tuple[type, dict[str, Any]]:
        from device_backend import zcl
        from device_backend.zcl import profile

        zcl.register_clusters()  # from here on zigpy parses Smart Energy frames with our classes

        if self.target.simulated:
            from device_backend.simulator.radio import SimulatedRadio, radio_config

            return SimulatedRadio, radio_config(f"sim:{self.target.where}", self._zigpy_database)
        module_name, class_name = RADIO_LIBRARIES[self.target.kind]
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise TargetError(
                f"the '{self.target.kind}' radio library is not installed ({exc.name})"
            ) from exc
        import zigpy.config as zconf

        device: dict[str, Any] = {
            zconf.CONF_DEVICE_PATH: self.target.where,
            zconf.CONF_DEVICE_BAUDRATE: self.target.baudrate,
        }
        if self.target.flow_control:
            device[zconf.CONF_DEVICE_FLOW_CONTROL] = self.target.flow_control
        if self._zigpy_database is None:  # shared by the display and the installer, kept private
            from device_backend import paths

            self._zigpy_database = str(
                paths.zigpy_database(f"{self.target.kind}:{self.target.where}")
            )
        config: dict[str, Any] = {
            zconf.CONF_DEVICE: device,
            zconf.CONF_DATABASE: self._zigpy_database,
            # zigpy's OTA providers fetch public firmware indexes (raw.githubusercontent.com,
            # Ledvance, ...) as soon as a meter asks for an image: found on the virtual dongle,
            # where a meter's QueryNextImage made the back end look the host up. A GB meter's
            # firmware comes from its supplier through the DCC, and a household's data stays
            # in the house; the installer's own OTA (a file the engineer chooses) needs none.
            zconf.CONF_OTA: {zconf.CONF_OTA_ENABLED: False},
        }
        app_class = getattr(module, class_name)
        if self.target.kind == "ezsp":  # found with the virtual dongle: see bellows_fixes
            from device_backend.bellows_fixes import SERIAL_ON_OUR_LOOP, with_bellows_fixes

            app_class = with_bellows_fixes(app_class)
            config.update(SERIAL_ON_OUR_LOOP)
        return profile.with_smart_energy_profile(app_class), config

    def connection_lost(self, reason: str) -> None:
        self._lost_reason = reason
        if self._lost is not None:
            self._lost.set()

    async def _probe_health(self) -> None:
        """A dongle that acknowledges but never answers is only noticed by asking it."""
        failures = 0
        while True:
            await asyncio.sleep(self.probe_interval_s)
            app = self.app
            if app is None:
                return
            try:
                async with asyncio.timeout(self.probe_timeout_s):  # not wait_for: see wait_online
                    await app.watchdog_feed()
                failures = 0
            except Exception:  # noqa: BLE001
                failures += 1
                if failures >= 2:
                    self.connection_lost("The ZigBee dongle stopped answering.")
                    return

    async def _watch_staleness(self) -> None:
        """A meter silent for three reporting intervals is stale: the dongle itself is fine."""
        while True:
            await self.clock.sleep(10)
            self._check_degraded()
            if self.connection.state not in (
                model.ConnectionState.ONLINE,
                model.ConnectionState.STALE,
            ):
                continue
            now = self.clock.now()
            quiet = []
            for ieee, adapter in self.adapters.items():
                interval = 10 if adapter.fuel is model.Fuel.ELECTRICITY else 1800
                if adapter.last_report and now - adapter.last_report > timedelta(
                    seconds=3 * interval
                ):
                    quiet.append(adapter)
                    self._stale.add(ieee)
            if quiet:
                names = " and ".join(f"the {a.fuel.value} meter" for a in quiet)
                # The age itself is shown by the display from the last reading's time.
                self._set_connection(
                    model.ConnectionState.STALE, f"No recent readings from {names}."
                )

    def failures(self) -> int:
        """Frames and events our own code could not handle (each also logged)."""
        rejected = getattr(self.app, "rejected_total", 0) if self.app is not None else 0
        return (
            self.events.listener_errors + rejected + sum(a.errors for a in self.adapters.values())
        )

    def _check_degraded(self) -> None:
        """Degraded while new failures keep coming; back to online after a quiet minute."""
        count = self.failures()
        state = self.connection.state
        if count > self._failures_seen and state in (
            model.ConnectionState.ONLINE,
            model.ConnectionState.DEGRADED,
        ):
            self._quiet_checks = 0
            self._set_connection(
                model.ConnectionState.DEGRADED,
                f"Some readings could not be handled ({count} so far); the rest are shown. "
                "Details are in the log.",
            )
        elif state is model.ConnectionState.DEGRADED:
            self._quiet_checks += 1
            if self._quiet_checks >= 6:
                self._set_connection(
                    model.ConnectionState.ONLINE, "readings handled normally again"
                )
        self._failures_seen = count

    def _track(self, coro: Any) -> None:
        """Run a background job that `stop()` will cancel."""
        if self._stopping:
            # stop() has already cancelled the jobs it knows of, and would never see this one:
            # zigpy still finishes interviews (and calls device_initialized) while it waits.
            coro.close()
            return
        task = asyncio.get_running_loop().create_task(coro)
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)

    # -- devices -------------------------------------------------------------------------

    async def _adopt(self, device: Any) -> None:
        """A joined, interviewed meter: listen to it and read its scaling and current state."""
        ieee = str(device.ieee)
        if ieee in self.adapters:
            return
        running = self._adopting.get(ieee)
        if running is not None:  # already under way: wait for it, as if it were ours
            await asyncio.shield(running)
            return
        running = asyncio.get_running_loop().create_future()
        self._adopting[ieee] = running
        try:
            await self._adopt_meter(device, ieee)
        finally:
            del self._adopting[ieee]
            if not running.done():
                running.set_result(None)

    def _heard_from(self, device: Any) -> None:
        """A known meter that is not adopted is adopted when it is next heard from.

        Found restoring a backup onto a second virtual dongle: the radio restarted while the
        meters were still rejoining the restored network, their scaling reads at start-up
        failed, and zigpy does not interview a known device that rejoins with the same address
        (no device_initialized), so none was ever adopted that session. Tried at most every
        ADOPT_RETRY_S per meter: one that cannot be read is not asked on every frame."""
        ieee = str(getattr(device, "ieee", ""))
        if not ieee or ieee in self.adapters or ieee in self._adopting or self._stopping:
            return
        if not getattr(device, "is_initialized", False) or getattr(device, "nwk", 0) == 0:
            return
        if not _has_metering(device):
            return
        now = asyncio.get_running_loop().time()
        if now < self._adopt_retry_at.get(ieee, 0.0):
            return
        self._adopt_retry_at[ieee] = now + ADOPT_RETRY_S
        self._track(self._adopt(device))

    async def _adopt_meter(self, device: Any, ieee: str) -> None:
        for endpoint_id, endpoint in device.endpoints.items():
            if endpoint_id == 0 or METERING not in endpoint.in_clusters:
                continue
            metering = endpoint.in_clusters[METERING]
            try:
                values, _ = await metering.read_attributes(
                    ["metering_device_type", "multiplier", "divisor", "unit_of_measure"],
                    allow_cache=False,
                )
            except Exception as exc:  # noqa: BLE001
                LOGGER.warning("Could not read %s's metering scaling: %s", ieee, exc)
                return
            device_type = int(values.get("metering_device_type", 0)) & 0x7F
            fuel = model.Fuel.GAS if device_type == 1 else model.Fuel.ELECTRICITY
            self.adapters[ieee] = MeterAdapter(
                ieee=ieee,
                fuel=fuel,
                clusters=dict(endpoint.in_clusters),
                emit=self._emit,
                now=self.clock.now,
                money_base=self.money_base,
            )
            self._emit(
                model.DeviceChange(
                    time=self.clock.now(), kind="interviewed", device=self.device_info(device)
                )
            )
            await self._read_gas_factors(self.adapters[ieee])
            await self._backfill_gap(self.adapters[ieee])
            await self._refresh(self.adapters[ieee])
            await self._read_history(self.adapters[ieee])
            await self._read_top_up_log(self.adapters[ieee])
            self._ready.add(ieee)
            return

    async def _read_gas_factors(self, adapter: MeterAdapter) -> None:
        """A gas proxy's conversion factor and calorific value, before any reading is scaled:
        after a restart the next PublishCalorificValue may be days away, and a reading held
        meanwhile as m3 must never be counted as kWh (the first half-hour lost 9.6 %)."""
        if adapter.fuel is not model.Fuel.GAS or PRICE not in adapter.clusters:
            return
        try:
            await adapter.clusters[PRICE].read_attributes(list(GAS_FACTOR_ATTRS), allow_cache=False)
        except Exception as exc:  # noqa: BLE001 - the next PublishCalorificValue still serves
            LOGGER.warning("Could not read %s's calorific value: %s", adapter.ieee, exc)

    async def _read_history(self, adapter: MeterAdapter) -> None:
        """The meter's 8 days, 5 weeks and 13 months, so a new display has history at once.

        Gas kWh: the gas proxy's own kWh log when it keeps one (AlternativeUnitOfMeasure kWh);
        only otherwise the volume log times the meter's CF x CV / 3.6 (kwh_source "converted").
        Cost: the meter's Prepayment cost log where it publishes one.
        """
        metering = adapter.clusters.get(METERING)
        if metering is None:
            return
        base = [*HISTORY_DAYS, *HISTORY_WEEKS, *HISTORY_MONTHS]
        values = await self._read_many(adapter, metering, ["alternative_unit_of_measure"])
        if values is None:
            return
        alternative_kwh = (
            adapter.fuel is model.Fuel.GAS
            and values.get("alternative_unit_of_measure") is not None
            and int(values["alternative_unit_of_measure"]) & 0x7F == KWH_UNIT
        )
        offset = ALTERNATIVE_OFFSET if alternative_kwh else 0
        got = await self._read_many(adapter, metering, [i + offset for i in base])
        if got is None:
            return
        costs: dict[Any, Any] = {}
        prepayment = adapter.clusters.get(PREPAYMENT)
        if prepayment is not None:
            costs = (
                await self._read_many(adapter, prepayment, [*COST_DAYS, *COST_WEEKS, *COST_MONTHS])
                or {}
            )
        converted = adapter.fuel is model.Fuel.GAS and not alternative_kwh
        if converted and adapter.needs_calorific_value:
            return  # gas in m3 with no CV yet: never shown as kWh
        multiplier, divisor = adapter._scaling()
        factor = adapter.kwh_per_unit if converted else Decimal(1)

        def kwh(ids: tuple[int, ...]) -> tuple[Decimal, ...]:
            found = []
            for attrid in ids:
                raw = got.get(attrid + offset)
                if raw is None:
                    break
                found.append(model.scaled(int(raw), multiplier, divisor) * factor)
            return tuple(found)

        def pence(ids: tuple[int, ...]) -> tuple[Decimal, ...]:
            found = []
            for attrid in ids:
                raw = costs.get(attrid)
                if raw is None:
                    break
                found.append(adapter.top_up_money(int(raw)))
            return tuple(found)

        days = kwh(HISTORY_DAYS)
        if days:
            self._emit(
                model.MeterHistory(
                    time=self.clock.now(),
                    fuel=adapter.fuel,
                    days=days,
                    weeks=kwh(HISTORY_WEEKS),
                    months=kwh(HISTORY_MONTHS),
                    day_costs=pence(COST_DAYS),
                    week_costs=pence(COST_WEEKS),
                    month_costs=pence(COST_MONTHS),
                    currency=adapter.money.code,
                    kwh_source="converted" if converted else "meter",
                )
            )
            self._history_read[adapter.ieee] = self.clock.now()

    async def _read_top_up_log(self, adapter: MeterAdapter) -> None:
        """The meter's last five accepted top-ups (TopUpDateTime k / TopUpAmount k), so the
        display lists them with their fuel, including any made on the PPMID or by the supplier."""
        prepayment = adapter.clusters.get(PREPAYMENT)
        if prepayment is None:
            return
        names = [f"{field}{k}" for k in range(1, 6) for field in TOP_UP_LOG_FIELDS]
        values = await self._read_many(adapter, prepayment, names)
        if values is None:
            return
        entries = []
        for k in range(1, 6):
            when, amount = values.get(f"top_up_date_time{k}"), values.get(f"top_up_amount{k}")
            if when is None or amount is None or int(when) in (0, 0xFFFFFFFF):
                break  # an empty slot: the log holds fewer than five
            entries.append((from_zigbee_time(int(when)), adapter.top_up_money(int(amount))))
        self._emit(
            model.TopUpLog(
                time=self.clock.now(),
                fuel=adapter.fuel,
                entries=tuple(entries),
                currency=adapter.money.code,
            )
        )

    def _top_up_log_due(self, fuel: model.Fuel) -> None:
        adapter = next((a for a in self.adapters.values() if a.fuel is fuel), None)
        if adapter is not None and adapter.ieee in self._ready:
            self._track(self._read_top_up_log(adapter))

    async def _read_many(
        self, adapter: MeterAdapter, cluster: Any, ids: list[Any]
    ) -> dict[Any, Any] | None:
        """Read attributes a few at a time (each answer fits one frame); None if it failed."""
        values: dict[Any, Any] = {}
        try:
            for start in range(0, len(ids), 8):
                got, _ = await cluster.read_attributes(ids[start : start + 8], allow_cache=False)
                values.update(got)
        except Exception as exc:  # noqa: BLE001 - the display's own store still serves
            LOGGER.info("Could not read %s's history: %s", adapter.ieee, exc)
            return None
        return values

    def _history_due(self, event: model.Event) -> None:
        """A gas proxy's logs move with each push from the GSME (about every 30 minutes): read
        them again after its next report, so today's kWh and cost stay the meter's own."""
        if not isinstance(event, model.Energy) or event.fuel is not model.Fuel.GAS:
            return
        adapter = self.adapters.get(event.device or "")
        last = self._history_read.get(event.device or "")
        if adapter is None or last is None or event.device in self._history_reading:
            return
        if self.clock.now() - last < HISTORY_REREAD:
            return
        self._history_reading.add(adapter.ieee)

        async def reread() -> None:
            try:
                await self._read_history(adapter)
            finally:
                self._history_reading.discard(adapter.ieee)

        self._track(reread())

    async def _read_time(self, adapter: MeterAdapter) -> None:
        """The HAN's Time cluster: the display keeps its time, and says when the host differs."""
        cluster = adapter.clusters.get(TIME)
        if cluster is None:
            return
        try:
            values, _ = await cluster.read_attributes(["time"], allow_cache=False)
        except Exception as exc:  # noqa: BLE001 - the host clock still serves
            LOGGER.info("Could not read %s's time: %s", adapter.ieee, exc)
            return
        seconds = values.get("time")
        if seconds is None or int(seconds) in (0, 0xFFFFFFFF):
            return  # the meter's clock is not set
        han = from_zigbee_time(int(seconds))
        clock = self.clock
        host = clock.host_now() if isinstance(clock, HanClock) else clock.now()
        offset = han - host
        if isinstance(clock, HanClock):
            clock.offset = offset
        self._emit(
            model.ClockCheck(
                time=self.clock.now(), han_time=han, offset_s=round(offset.total_seconds())
            )
        )

    async def _refresh(self, adapter: MeterAdapter) -> None:
        """Read what a display needs at once, rather than waiting for the next report."""
        clusters = adapter.clusters
        if adapter.fuel is model.Fuel.ELECTRICITY:
            await self._read_time(adapter)  # the ESME keeps the hub's time
        await self._read_gas_factors(adapter)
        with contextlib.suppress(Exception):
            await clusters[METERING].read_attributes(
                [
                    "current_summ_delivered",
                    "instantaneous_demand",
                    "supply_status",
                    "ambient_consumption_indicator",
                ],
                allow_cache=False,
            )
        if 0x0700 in clusters:
            # Currency and PriceTrailingDigit first: the Prepayment money below is scaled by
            # them (GB: 826 and 0x50, five decimals of a pound).
            with contextlib.suppress(Exception):
                await clusters[0x0700].read_attributes(
                    ["currency", "price_trailing_digit"], allow_cache=False
                )
        if PREPAYMENT in clusters:
            with contextlib.suppress(Exception):
                await clusters[PREPAYMENT].read_attributes(
                    [
                        "payment_control_configuration",
                        "emergency_credit_remaining",
                        "accumulated_debt",
                        "credit_status",
                        "low_credit_warning_level",
                        "debt_recovery_amount1",
                        "debt_amount1",
                        "debt_amount2",
                        "debt_recovery_amount2",
                        "debt_amount3",
                        "debt_recovery_top_up_percentage3",
                        "credit_remaining",
                    ],
                    allow_cache=False,
                )
        if PRICE in clusters:
            price = clusters[PRICE]
            # zigpy hands an answer matching our request back as the request's result (it never
            # reaches the cluster's listeners), so each one is passed on by hand.
            with contextlib.suppress(Exception):
                answer = await price.get_current_price(command_options=0)
                if hasattr(answer, "price"):
                    adapter.on_command(price, "publish_price", answer)
            with contextlib.suppress(Exception):
                # 0: every tariff the meter holds, the current one and any future-dated one.
                answer = await price.get_tariff_information(
                    earliest_start_time=0,
                    min_issuer_event_id=0xFFFFFFFF,
                    number_of_commands=0,
                    tariff_type=0,
                )
                if hasattr(answer, "standing_charge"):
                    adapter.on_command(price, "publish_tariff_information", answer)
        await self._request_schedule(adapter)

    async def _ask(self, adapter: MeterAdapter, cluster: Any, request: str, **fields: Any) -> None:
        """Send one Get request; its first answer comes back as the request's result (zigpy
        resolves the request with it), any further parts arrive at the adapter's listeners."""
        try:
            answer = await getattr(cluster, request)(**fields)
        except Exception as exc:  # noqa: BLE001 - a meter without the command still serves
            LOGGER.debug("%s's %s went unanswered: %s", adapter.ieee, request, exc)
            return
        for command in cluster.client_commands.values():
            if isinstance(answer, command.schema):
                adapter.on_command(cluster, command.name, answer)
                return

    async def _read_blocks(self, adapter: MeterAdapter) -> None:
        """How much of its blocks a block tariff's period has used: the period total, or what
        each block holds (Metering 0x000C, 0x0700-0x070F)."""
        metering = adapter.clusters.get(METERING)
        if metering is None or not adapter.schedule.has_blocks():
            return
        batches: tuple[list[Any], ...] = (
            ["current_block_period_consumption_delivered"],
            list(NO_TIER_BLOCK_ATTRS[:8]),
            list(NO_TIER_BLOCK_ATTRS[8:]),
        )
        for names in batches:
            with contextlib.suppress(Exception):
                await metering.read_attributes(names, allow_cache=False)

    async def _watch_blocks(self) -> None:
        """Block use moves with every kWh, and meters need not report it: read it now and
        then, so "412 of 1,000 kWh" keeps up (block tariffs only)."""
        while True:
            await self.clock.sleep(BLOCK_READ_S)
            for adapter in list(self.adapters.values()):
                await self._read_blocks(adapter)

    async def _request_schedule(self, adapter: MeterAdapter) -> None:
        """Ask for everything that says when prices change: scheduled prices, each tariff's
        price matrix, block thresholds and tier labels, the block period, and the calendars
        with their day and week profiles, seasons and special days (Price and Calendar
        clusters, SE 1.4 D.4 and D.9). Unsolicited publications are handled the same way."""
        clusters = adapter.clusters
        price = clusters.get(PRICE)
        if price is not None:
            # A bounded number: a GB meter's calendar (below) already says when every tier
            # applies; these serve a meter without one, and 0 ("all") could be hundreds.
            await self._ask(
                adapter,
                price,
                "get_scheduled_prices",
                start_time=0,
                number_of_events=SCHEDULED_PRICES_ASKED,
            )
            for tariff_id in adapter.schedule.tariff_ids():
                for request in ("get_price_matrix", "get_block_thresholds", "get_tier_labels"):
                    await self._ask(adapter, price, request, issuer_tariff_id=tariff_id)
            with contextlib.suppress(Exception):
                await price.read_attributes(
                    [
                        "start_of_block_period",
                        "block_period_duration",
                        "block_period_duration_type",
                    ],
                    allow_cache=False,
                )
            tiers = min(adapter.schedule.tier_count(), 48)
            names: list[Any] = [f"tier{n}_price_label" for n in range(1, tiers + 1)]
            for start in range(0, len(names), 8):  # a few at a time: each answer fits a frame
                with contextlib.suppress(Exception):
                    await price.read_attributes(names[start : start + 8], allow_cache=False)
            await self._read_blocks(adapter)
        calendar = clusters.get(CALENDAR)
        if calendar is None:
            return
        await self._ask(
            adapter,
            calendar,
            "get_calendar",
            earliest_start_time=0,
            min_issuer_event_id=0xFFFFFFFF,
            number_of_calendars=0,
            calendar_type=0xFF,
            provider_id=0xFFFFFFFF,
        )
        for calendar_id, provider_id in adapter.schedule.calendar_providers():
            ids = {"provider_id": provider_id, "issuer_calendar_id": calendar_id}
            await self._ask(
                adapter, calendar, "get_day_profiles", start_day_id=1, number_of_days=0, **ids
            )
            await self._ask(
                adapter, calendar, "get_week_profiles", start_week_id=1, number_of_weeks=0, **ids
            )
            await self._ask(adapter, calendar, "get_seasons", **ids)
            await self._ask(
                adapter,
                calendar,
                "get_special_days",
                start_time=0,
                number_of_events=0,
                calendar_type=0,
                **ids,
            )

    async def _backfill_gap(self, adapter: MeterAdapter) -> None:
        """After an outage, rebuild the register at each half-hour boundary we missed from the
        meter's own profile (GetProfile), anchored on the last register we heard at or just
        before the first missed boundary. Nothing is guessed: where there is no anchor within a
        minute of a boundary, or no profile, the gap is left to the next live reading."""
        history = self._registers.get(adapter.ieee)
        if not history:
            return
        if adapter.needs_calorific_value:
            LOGGER.info("No calorific value from %s yet: its gap is left unfilled", adapter.ieee)
            return
        last_time, _ = history[-1]
        now = self.clock.now()
        first = _half_hour_floor(last_time)
        latest_boundary = _half_hour_floor(now)
        periods = int((latest_boundary - first) / timedelta(minutes=30))
        if periods < 1:
            return
        anchor = next(((t, raw) for t, raw in reversed(history) if t <= first), None)
        if anchor is None or first - anchor[0] > timedelta(minutes=1):
            LOGGER.info("No register near %s to anchor a backfill for %s", first, adapter.ieee)
            return
        try:
            profile = await self.get_profile(adapter.fuel, latest_boundary, min(periods, 255))
        except Exception as exc:  # noqa: BLE001 - a backfill is a bonus, never a failure
            LOGGER.warning("Could not fetch the %s meter's profile: %s", adapter.fuel.value, exc)
            return
        multiplier, divisor = adapter._scaling()
        register = anchor[1]
        for starts, consumed in profile:
            if starts < first:
                continue
            register += consumed
            boundary = starts + timedelta(minutes=30)
            if last_time < boundary < now:
                self._emit(
                    model.Energy(
                        time=boundary,
                        fuel=adapter.fuel,
                        import_raw=register,
                        multiplier=multiplier,
                        divisor=divisor,
                        kwh_per_unit=adapter.kwh_per_unit,
                        device=adapter.ieee,
                        source="profile",
                    )
                )

    async def refresh(self) -> None:
        """Read every meter's current state now, rather than waiting for its next report."""
        for adapter in list(self.adapters.values()):
            await self._refresh(adapter)

    async def _backfill(self) -> None:
        for adapter in self.adapters.values():
            await self._refresh(adapter)

    def device_info(self, device: Any) -> model.DeviceInfo:
        adapter = self.adapters.get(str(device.ieee))
        role = "other"
        if adapter is not None:
            role = "ESME" if adapter.fuel is model.Fuel.ELECTRICITY else "GSME"
        return model.DeviceInfo(
            ieee=str(device.ieee),
            nwk=int(device.nwk),
            role=role,
            model=device.model or "",
            manufacturer=device.manufacturer or "",
            power_source="mains"
            if device.node_desc and device.node_desc.is_mains_powered
            else "battery",
        )

    def devices(self) -> list[model.DeviceInfo]:
        if self.app is None:
            return []
        return [self.device_info(d) for d in self.app.devices.values() if d.nwk != 0]

    def _meter(self, fuel: model.Fuel = model.Fuel.ELECTRICITY) -> MeterAdapter:
        for adapter in self.adapters.values():
            if adapter.fuel is fuel:
                return adapter
        raise RuntimeError(f"No {fuel.value} meter is connected.")

    # -- consumer commands ---------------------------------------------------------------

    async def top_up(
        self, utrn: str, fuel: model.Fuel = model.Fuel.ELECTRICITY
    ) -> model.TopUpResult:
        """Send a 20-digit UTRN to the meter; refused locally if its length or check digit is wrong."""
        try:
            digits = validate_utrn(utrn)
        except UtrnError:
            result = model.TopUpResult(
                time=self.clock.now(),
                outcome=model.TopUpOutcome.NOT_SENT,
                fuel=fuel,
                utrn_masked=mask_utrn("".join(c for c in utrn if c.isdigit())),
            )
            self._emit(result)
            raise
        adapter = self._meter(fuel)
        cluster = adapter.clusters[PREPAYMENT]
        response = await cluster.consumer_top_up(
            originating_device=ORIGINATING_DEVICE_IHD, top_up_code=digits.encode("ascii")
        )
        code = int(response.result_type)
        accepted = TOP_UP_RESULTS.get(code, model.TopUpOutcome.ERROR) is model.TopUpOutcome.ACCEPTED
        result = model.TopUpResult(
            time=self.clock.now(),
            outcome=TOP_UP_RESULTS.get(code, model.TopUpOutcome.ERROR),
            fuel=fuel,
            value_pence=adapter.top_up_money(response.top_up_value) if accepted else None,
            credit_pence=adapter.top_up_money(response.credit_remaining),
            supply=TOP_UP_SUPPLY.get(code),
            utrn_masked=mask_utrn(digits),
            currency=adapter.money.code,
        )
        self._emit(result)
        with contextlib.suppress(Exception):
            await cluster.read_attributes(
                ["credit_status", "emergency_credit_remaining", "credit_remaining"],
                allow_cache=False,
            )
        if accepted:
            await self._read_top_up_log(adapter)
        return result

    async def select_emergency_credit(self, fuel: model.Fuel = model.Fuel.ELECTRICITY) -> bool:
        cluster = self._meter(fuel).clusters[PREPAYMENT]
        response = await cluster.select_available_emergency_credit(
            command_issue_date_time=to_zigbee_time(self.clock.now()),
            originating_device=ORIGINATING_DEVICE_IHD,
        )
        await cluster.read_attributes(
            ["credit_status", "emergency_credit_remaining", "credit_remaining"], allow_cache=False
        )
        return int(getattr(response, "status", 0)) == 0

    async def confirm_message(
        self, message_id: int, fuel: model.Fuel = model.Fuel.ELECTRICITY
    ) -> None:
        cluster = self._meter(fuel).clusters[MESSAGING]
        await cluster.message_confirmation(
            message_id=message_id, confirmation_time=to_zigbee_time(self.clock.now())
        )

    async def request_supply_enable(self) -> model.SupplyState | None:
        """LocalChangeSupply(on): the meter agrees only when credit is back above the cut-off."""
        metering = self._meter(model.Fuel.ELECTRICITY).clusters[METERING]
        await metering.local_change_supply(proposed_supply_status=2)
        values, _ = await metering.read_attributes(["supply_status"], allow_cache=False)
        from device_backend.translate import SUPPLY

        state = SUPPLY.get(int(values.get("supply_status", -1)))
        if state is not None:
            self._emit(model.Supply(time=self.clock.now(), state=state))
        return state

    async def get_profile(
        self, fuel: model.Fuel, end: datetime, periods: int
    ) -> list[tuple[datetime, int]]:
        """Half-hourly consumption (raw register units) ending at `end`, oldest first."""
        metering = self._meter(fuel).clusters[METERING]
        response = await metering.get_profile(
            interval_channel=0, end_time=to_zigbee_time(end), number_of_periods=periods
        )
        from device_backend.clock import from_zigbee_time

        stop = from_zigbee_time(int(response.end_time))
        intervals = list(response.intervals)  # newest first, per the SE spec
        return [(stop - timedelta(minutes=30 * (i + 1)), int(v)) for i, v in enumerate(intervals)][
            ::-1
        ]

    async def read_attributes(
        self, ieee: str, cluster_id: int, names: list[str | int], endpoint: int = 1
    ) -> dict[Any, Any]:
        device = self.app.get_device(ieee=_eui64(ieee))
        cluster = device.endpoints[endpoint].in_clusters[cluster_id]
        values, failures = await cluster.read_attributes(names, allow_cache=False)
        return {**values, **{k: f"unsupported ({v.name})" for k, v in failures.items()}}

    async def readopt(self, ieee: str) -> None:
        """Listen to a meter's new zigpy device object (zigpy swaps it after a re-interview)."""
        adapter = self.adapters.pop(ieee, None)
        if adapter is not None:
            adapter.close()
            self._ready.discard(ieee)
        if self.app is not None:
            device = self.app.devices.get(_eui64(ieee))
            if device is not None:
                await self._adopt(device)


class _AppListener:
    """zigpy application listener protocol (legacy method names)."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def connection_lost(self, exc: BaseException | None) -> None:
        self._backend.connection_lost(f"Lost the ZigBee dongle: {exc or 'disconnected'}.")

    def device_initialized(self, device: Any) -> None:
        self._backend._track(self._backend._adopt(device))

    def device_joined(self, device: Any) -> None:
        self._backend._emit(
            model.DeviceChange(
                time=self._backend.clock.now(),
                kind="joined",
                device=self._backend.device_info(device),
            )
        )

    def device_left(self, device: Any) -> None:
        self._backend._emit(
            model.DeviceChange(
                time=self._backend.clock.now(),
                kind="left",
                device=self._backend.device_info(device),
            )
        )

    def raw_device_initialized(self, device: Any) -> None:
        return None

    def device_removed(self, device: Any) -> None:
        return None

    def handle_message(self, device: Any = None, *args: Any) -> None:
        if device is not None:
            self._backend._note_link(device)
            self._backend._heard_from(device)

    def group_member_added(self, *args: Any) -> None:
        return None


def _half_hour_floor(moment: datetime) -> datetime:
    return moment.replace(minute=(moment.minute // 30) * 30, second=0, microsecond=0)


def _has_metering(device: Any) -> bool:
    return any(
        endpoint_id != 0 and METERING in endpoint.in_clusters
        for endpoint_id, endpoint in device.endpoints.items()
    )


def _eui64(text: str) -> Any:
    import zigpy.types as t

    return t.EUI64.convert(text)


def describe_connection_error(exc: BaseException, target: Target) -> str:
    """Words for why the radio would not start, naming the cause and what to try."""
    if isinstance(exc, FileNotFoundError):
        return f"No ZigBee dongle found at {target.where}. Check it is plugged in."
    if isinstance(exc, PermissionError):
        return f"Not allowed to open {target.where}. Add your user to the 'dialout' group."
    if isinstance(exc, TargetError):
        return str(exc)
    cause = exc.__cause__ or exc
    if isinstance(cause, FileNotFoundError):
        return f"No ZigBee dongle found at {target.where}. Check it is plugged in."
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return f"The dongle at {target.where} did not answer. Unplug it and plug it back in."
    return f"Could not start the radio at {target.where}: {str(exc) or type(exc).__name__}."
