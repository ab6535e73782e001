"""A page that folds onto further views instead of scrolling, when large text outgrows the panel.

At 150% and 200% text an 800x480 panel has about nine and six lines under the status line
(issue 19 item 2): a page's figures, cards and buttons no longer all fit, and only lists may
scroll. The page names its parts in the order a household needs them (the key figures first);
whatever fits goes on the first view, the rest onto further views behind "More details", with
"Back" and "2 of 3" to say where one is. A page that fits (normal text, any larger panel) shows
every part and no buttons: nothing moves.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ihd_app.widgets.common import PageScroll, button, label, least_height, scrolling

SAFETY = 4  # pixels kept spare on a view: a part's edges measured one way, drawn another


class Section(QWidget):
    """One or more parts of a page that go onto a view together.

    It is on view when it is not folded away and anything in it is: when the page hides
    every part in it (a home without gas, no budget set), it hides itself too, so that it
    adds no spacing. A section holding other sections (a card with a key line and details)
    is folded away when every section in it is.
    """

    def __init__(self, *parts: QWidget, spacing: int = 0, name: str = "") -> None:
        super().__init__()
        if name:
            self.setObjectName(name)
        self._parts = parts
        self._folded = False
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(spacing)
        for part in parts:
            box.addWidget(part)
            part.installEventFilter(self)
        self._sync()

    def present(self) -> bool:
        """Whether the page shows anything in it (folded away or not)."""
        return any(not part.isHidden() for part in self._parts)

    def fold(self, folded: bool) -> None:
        if folded != self._folded:
            self._folded = folded
            self._sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self._sync()
        return super().eventFilter(watched, event)

    def _sync(self) -> None:
        self.setVisible(self.present() and not self._folded)


class FoldingPage(QWidget):
    """A page's content and, when it does not fit, the buttons that step through its views."""

    def __init__(
        self,
        content: QWidget,
        sections: Sequence[Section],
        *,
        containers: Sequence[Section] = (),
        name: str = "page",
    ) -> None:
        super().__init__()
        self.setObjectName(f"{name}-folding")
        self.content = content
        # In the order a household needs them: the first view is filled from the front.
        self.sections = list(sections)
        # Sections holding some of those (a card): folded away when all of theirs are.
        self.containers = list(containers)
        self.area = scrolling(content)
        self.views: list[list[Section]] = [self.sections]
        self.index = 0
        self._signature: tuple[object, ...] = ()
        self._stretches: list[int] | None = None
        self._fitting = False

        self.nav = QWidget()
        self.nav.setObjectName(f"{name}-fold-nav")
        row = QHBoxLayout(self.nav)
        row.setContentsMargins(10, 0, 10, 2)
        row.setSpacing(10)
        self.back = button(
            self.tr("◂ Back"),
            name=f"{name}-fold-back",
            spoken=self.tr("Back"),
            description=self.tr("Show the part of this screen before this one"),
        )
        self.more = button(
            self.tr("More details ▸"),
            name=f"{name}-fold-more",
            spoken=self.tr("More details"),
            description=self.tr("Show more of this screen"),
        )
        self.position = label("", "caption", wrap=False, name=f"{name}-fold-position")
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for key in (self.back, self.more):
            key.setProperty("compact", True)
        self.back.clicked.connect(lambda: self.show_view(self.index - 1))
        self.more.clicked.connect(lambda: self.show_view(self.index + 1))
        row.addWidget(self.back)
        row.addWidget(self.position, 1)
        row.addWidget(self.more)
        self.nav.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.nav)
        content.installEventFilter(self)

    @property
    def page_scroll(self) -> PageScroll:
        return self.area  # type: ignore[return-value]

    def set_order(self, sections: Sequence[Section]) -> None:
        """The same parts in another order of need (the first view is filled from the front)."""
        if list(sections) != self.sections:
            self.sections = list(sections)
            self._signature = ()
            self._fit()

    def show_view(self, index: int) -> None:
        on_row = self.more.hasFocus() or self.back.hasFocus()
        self.index = max(0, min(index, len(self.views) - 1))
        self._apply()
        self._settle()
        if on_row:
            # A switch or keyboard user stays on the row: the button pressed may have gone
            # (no "More details" on the last view).
            (self.more if self.more.isVisible() else self.back).setFocus()

    # -- fitting ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.content and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        # Measured again on view: laid out while hidden, a page's columns may not have had
        # their widths yet, and wrapped words measured at the wrong width.
        super().showEvent(event)
        self._signature = ()
        self._fit()

    def hideEvent(self, event: QHideEvent) -> None:
        # Back to the key figures when the household comes back to this screen.
        super().hideEvent(event)
        if self.index:
            self.index = 0
            self._apply()

    def _leaves(self) -> list[Section]:
        return [s for s in self.sections if s.present()]

    def _fit(self) -> None:
        # A page not on view is fitted when it is shown (showEvent): fitting the hidden pages
        # too would lay each out several times before the first screen paints.
        if self._fitting or self.height() <= 0 or not self.isVisible():
            return
        self._fitting = True
        try:
            saved = self.content.size()  # measuring lays the page out at trial widths
            self._split()
            self.content.resize(saved)
            self._apply()
            self._settle()
        finally:
            self._fitting = False

    def _settle(self) -> None:
        # The scroll area sizes its page now, not when the parts' own layout requests come
        # round: a view that fits shows no scroll bar in between.
        _lay_out(self)
        own = self.layout()
        if own is not None:
            own.activate()
        self.page_scroll.fit()

    def _split(self) -> None:
        layout = self.content.layout()
        if layout is None:
            return
        leaves = self._leaves()
        width = self.width()
        # What the split depends on: the page's size and text size, and what its parts say;
        # when none of it has changed, the views stand (trying views below hides and shows
        # parts, which asks for a new layout, which comes here). Not the parts' heights: a
        # part's height can depend on the view it was last shown on (words that wrap beside
        # a bar, or under it).
        for s in leaves:
            s.ensurePolished()
        signature = (
            width,
            self.height(),
            self.fontInfo().pixelSize(),
            tuple(id(s) for s in leaves),
            tuple(_words(s) for s in leaves),
        )
        if signature == self._signature:
            return
        self._signature = signature
        self.views = [self.sections]
        # Fits as a scroll area would see it: at the full width, nothing kept spare.
        if self._needs(self.sections, spare=False) <= self.height():
            return
        room = self.height() - self._nav_height()
        views: list[list[Section]] = [[]]
        for s in leaves:
            if views[-1] and self._needs([*views[-1], s]) > room:
                views.append([])
            views[-1].append(s)
        # A part the page hides now (nothing to say yet) goes with the view of the part
        # before it, so that it appears there, not on a view of its own.
        for s in self.sections:
            if s not in leaves:
                before = self.sections[: self.sections.index(s)]
                home = next((v for b in reversed(before) for v in views if b in v), views[0])
                home.append(s)
        self.views = views

    def _nav_height(self) -> int:
        """The row's height once shown (its buttons may be hidden while the page fits)."""
        for w in (self.nav, self.more, self.back, self.position):
            w.ensurePolished()
        row = self.nav.layout()
        assert row is not None
        margins = row.contentsMargins()
        tallest = max(w.sizeHint().height() for w in (self.more, self.back, self.position))
        return tallest + margins.top() + margins.bottom()

    def _pack(self, folding: bool) -> None:
        """Folded, a view's parts sit at the top at their own heights: a part stretched to
        fill the page (the live figures' card) would show a tall empty card around one line."""
        layout = self.content.layout()
        if not isinstance(layout, QBoxLayout) or folding == (self._stretches is not None):
            return
        if folding:
            self._stretches = [layout.stretch(i) for i in range(layout.count())]
            for i in range(layout.count()):
                layout.setStretch(i, 0)
            layout.addStretch(1)
        else:
            assert self._stretches is not None
            item = layout.takeAt(layout.count() - 1)
            del item
            for i, stretch in enumerate(self._stretches):
                layout.setStretch(i, stretch)
            self._stretches = None

    def _needs(self, view: list[Section], *, spare: bool = True) -> int:
        """The height the page's layout needs with only `view` on it, laid out for real (two
        parts side by side take the taller one's height, not the sum); `spare` for a view of
        a folded page, measured as it will be shown and with a few pixels to spare."""
        self._show_only(view)
        self._pack(spare)  # folded views are packed at the top (see _pack), as they will be
        layout = self.content.layout()
        assert layout is not None
        # Let the parts just shown lay themselves out first: a row of buttons (FlowLayout)
        # knows its wrapped height only once it has been given its width.
        _lay_out(self.content)
        # At the width left beside a scroll bar, whether one shows now or not: the same
        # parts measure the same every time (a scroll bar that came and went would change
        # where words wrap, and so the views).
        width = self.width()
        if spare:
            width -= self.area.verticalScrollBar().sizeHint().width()
        self.content.resize(width, self.content.height())
        # A part just shown settles over a pass or two (its own layout, then the page's):
        # measure until two passes agree.
        least = -1
        for _ in range(4):
            layout.invalidate()
            layout.activate()
            _lay_out(self.content)
            again = least_height(layout, width)
            if again == least:
                break
            least = again
        return least + (SAFETY if spare else 0)

    def _show_only(self, shown: list[Section]) -> None:
        for s in self.sections:
            s.fold(s not in shown)
        for c in self.containers:
            inner = [s for s in self.sections if c.isAncestorOf(s) and s.present()]
            c.fold(bool(inner) and all(s not in shown for s in inner))

    def _apply(self) -> None:
        self.index = max(0, min(self.index, len(self.views) - 1))
        self._show_only(self.views[self.index])
        folding = len(self.views) > 1
        self._pack(folding)
        self.nav.setVisible(folding)
        self.back.setVisible(folding and self.index > 0)
        self.more.setVisible(folding and self.index < len(self.views) - 1)
        self.position.setText(
            self.tr("{n} of {total}").format(n=self.index + 1, total=len(self.views))
            if folding
            else ""
        )
        self.position.setAccessibleName(self.position.text())


def _lay_out(root: QWidget) -> None:
    """Deliver the layout requests waiting for `root` and the widgets in it, now: this page
    only (other pages settle in their own time, as Qt would have them)."""
    for widget in (root, *root.findChildren(QWidget)):
        QCoreApplication.sendPostedEvents(widget, QEvent.Type.LayoutRequest)


def _words(section: Section) -> tuple[str, ...]:
    """What a part says (its words and buttons the page shows), to notice when it changes."""
    parts = section.findChildren(QLabel) + section.findChildren(QAbstractButton)
    return tuple(w.text() for w in parts if not w.isHidden())
