"""Screen buttons along the bottom: one row, two rows, or one Menu button for the largest text."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QPushButton, QSizePolicy, QWidget

from ihd_app.widgets.common import button

MODES = ("row", "grid", "menu")


class TabBar(QWidget):
    """Eight screens share 800 pixels in one row at normal text. At 150% the words need two
    rows; at 200% even two rows cut Welsh words, so one Menu button opens a page of big
    screen buttons instead (see MenuPage)."""

    selected = Signal(str)
    menu_requested = Signal()

    def __init__(self, tabs: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tab-bar")
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        self._hidden: set[str] = set()
        self.mode = "row"
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(0)
        for name, text in tabs:
            tab = button(
                text,
                role="tab",
                name=f"tab-{name}",
                checkable=True,
                description=self.tr("Go to the {screen} screen").format(screen=text),
            )
            tab.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            tab.setMinimumHeight(64)
            tab.clicked.connect(lambda _=False, n=name: self.selected.emit(n))
            self._group.addButton(tab)
            self.buttons[name] = tab
        self.menu = button("", role="tab", name="tab-menu")
        # Owned by the bar from the start: in row and grid mode no layout holds it, and a
        # widget with no parent is a window of its own that outlives the bar.
        self.menu.setParent(self)
        self.menu.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.menu.setMinimumHeight(64)
        self.menu.clicked.connect(self.menu_requested)
        self.retranslate()
        self._place()

    def retranslate(self) -> None:
        self.menu.setText(self.tr("☰ Menu: all screens"))
        self.menu.setAccessibleName(self.tr("Menu"))
        self.menu.setAccessibleDescription(self.tr("Show a list of all the screens"))

    def set_mode(self, mode: str) -> None:
        if mode in MODES and mode != self.mode:
            self.mode = mode
            self._place()

    def _place(self) -> None:
        while self._grid.count():
            self._grid.takeAt(0)
        for column in range(self._grid.columnCount()):
            self._grid.setColumnStretch(column, 0)
        shown = [n for n in self.buttons if n not in self._hidden]
        if self.mode == "menu":
            for name in self.buttons:
                self.buttons[name].setVisible(False)
            self._grid.addWidget(self.menu, 0, 0)
            self.menu.setVisible(True)
            return
        self.menu.setVisible(False)
        columns = len(shown) if self.mode == "row" else (len(shown) + 1) // 2
        for name in self.buttons:
            self.buttons[name].setVisible(name in shown)
        for index, name in enumerate(shown):
            self._grid.addWidget(self.buttons[name], index // columns, index % columns)
            if self.mode == "row":
                # Longer words get wider tabs ("Gosodiadau" beside "Nawr"), so no two words
                # run together in Welsh at 800 pixels.
                self._grid.setColumnStretch(index, self.buttons[name].sizeHint().width())

    def set_current(self, name: str) -> None:
        self.buttons[name].setChecked(True)

    def set_text(self, name: str, text: str) -> None:
        self.buttons[name].setText(text)

    def set_visible_tab(self, name: str, visible: bool) -> None:
        if visible == (name not in self._hidden):
            return
        if visible:
            self._hidden.discard(name)
        else:
            self._hidden.add(name)
        self._place()
