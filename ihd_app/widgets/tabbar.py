"""The row of large screen buttons along the bottom: one touch to any screen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from ihd_app.widgets.common import button


class TabBar(QWidget):
    selected = Signal(str)

    def __init__(self, tabs: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tab-bar")
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for name, text in tabs:
            tab = button(text, role="tab", name=f"tab-{name}", checkable=True)
            tab.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            tab.setMinimumHeight(64)
            tab.clicked.connect(lambda _=False, n=name: self.selected.emit(n))
            self._group.addButton(tab)
            layout.addWidget(tab)
            self.buttons[name] = tab

    def set_current(self, name: str) -> None:
        self.buttons[name].setChecked(True)

    def set_text(self, name: str, text: str) -> None:
        self.buttons[name].setText(text)
        self.buttons[name].setAccessibleName(text)

    def set_visible_tab(self, name: str, visible: bool) -> None:
        self.buttons[name].setVisible(visible)
