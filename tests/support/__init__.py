"""The test support package: one place for the loops, the leak check, the openers and the fakes.

- loops: the qasync loop every GUI test runs on (`loop`), the plain loop for back-end tests that
  keep one (`backend_loop`), and `run` for those that do not;
- leaks: the autouse check that fails a test leaving a task, timer, thread or window behind;
- display, installer, survey: the three programs' openers (`display`, `kit`, `page`/`live_page`);
- live: the live-home factory (`live_home`), the display on a real simulated home;
- sim: a simulated home on the facade (`started`, `with_backend`, `Recorder`);
- fake_radio: a fake radio at zigpy's seam, with a serial link that can fail;
- wired, probes: the display wired as `ihd` wires it, and memory and report probes (pytest-free,
  shared with the benchmarks, which may not be imported by tests).

tests/conftest.py exposes every fixture here; test modules import helpers from these modules,
never from another test module.
"""
