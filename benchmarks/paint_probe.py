"""A child process that prints when its first window has painted: the real `ihd`, or a bare window."""

# Usage: python -m benchmarks.paint_probe ihd SETTINGS_PATH | installer DATA_DIR | bare
#
# It prints the system-wide monotonic time (the parent notes the same clock just before it
# starts this process) at the end of the first QApplication.processEvents() call during which
# the watched widget received a paint event, then leaves at once without tearing anything down.
# `ihd` runs ihd_app.main.main unchanged: the application object it finds already made is ours,
# whose processEvents notices the paint. Both modes install the same application-wide event
# filter, so both pay the same for watching. Imports are kept to the standard library here so
# that neither mode loads anything the other does not.

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

MARK = "PAINTED "


def _probe_application(watched: str) -> QApplication:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class PaintWatch(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and obj.objectName() == watched:
                self.seen = True
            return False

    class ProbeApplication(QApplication):
        def processEvents(self, *args: Any) -> None:  # type: ignore[override]
            super().processEvents(*args)
            if watch.seen:
                print(f"{MARK}{time.monotonic():.6f}", flush=True)
                os._exit(0)

    app = ProbeApplication([sys.argv[0]])
    watch = PaintWatch()
    app.installEventFilter(watch)
    return app


def ihd(settings_path: str) -> None:
    import ihd_app  # noqa: F401 - pins the Qt binding first, as the ihd command does

    app = _probe_application("screen-now")
    from ihd_app.main import main

    main(["--settings", settings_path])
    app.quit()
    raise SystemExit("ihd returned without painting its home screen")


def installer(data_dir: str) -> None:
    import installer_tool  # noqa: F401 - pins the Qt binding first, as ihd-installer does

    app = _probe_application("signin-title")  # the sign-in page: what an engineer sees first
    from installer_tool.main import main

    main(["--data-dir", data_dir])
    app.quit()
    raise SystemExit("ihd-installer returned without painting its sign-in page")


def bare() -> None:
    os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
    app = _probe_application("bare-plot")
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    window = QWidget()
    window.resize(800, 480)
    plot = pg.PlotWidget()
    plot.viewport().setObjectName("bare-plot")
    plot.plot(np.arange(10.0), np.arange(10.0) % 3)
    QVBoxLayout(window).addWidget(plot)
    window.show()
    app.processEvents()
    raise SystemExit("the bare window did not paint")


if __name__ == "__main__":
    if sys.argv[1:2] == ["ihd"]:
        ihd(sys.argv[2])
    elif sys.argv[1:2] == ["installer"]:
        installer(sys.argv[2])
    else:
        bare()
