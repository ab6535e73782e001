"""The field engineer's toolkit: commissioning, pairing, diagnostics, firmware and surveys."""

import os

# pyqtgraph, qasync and pytest-qt each choose a Qt binding on their own; importing any part
# of this package first makes sure they all agree on PySide6.
os.environ["QT_API"] = "pyside6"
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
