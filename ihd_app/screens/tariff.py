"""Tariff: the unit price and its band now, the standing charge, exactly when the price next
changes, today's and tomorrow's bands, block position, special days and a tariff to come."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QVBoxLayout, QWidget

from device_backend.api import model
from ihd_app.viewmodels.tariff import TariffViewModel
from ihd_app.widgets.common import card, label, set_role
from ihd_app.widgets.folding import FoldingPage, Section


class TariffScreen(QWidget):
    def __init__(self, vm: TariffViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("screen-tariff")
        content = QWidget()
        self.row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight, content)
        row.setContentsMargins(10, 8, 10, 8)
        row.setSpacing(10)
        self.parts: dict[model.Fuel, dict[str, QLabel]] = {}
        self.cards: dict[model.Fuel, QFrame] = {}
        key_parts: list[Section] = []
        detail_parts: list[Section] = []
        holders: list[Section] = []
        for fuel, title in (
            (model.Fuel.ELECTRICITY, self.tr("Electricity")),
            (model.Fuel.GAS, self.tr("Gas")),
        ):
            frame, box = card(f"tariff-{fuel.value}")
            box.setSpacing(2)  # a tariff with a schedule has many short lines to fit 800x480
            parts = {
                "title": label(title, "title"),
                "price": label("", "subfigure", name=f"tariff-{fuel.value}-price"),
                "band": label("", "", name=f"tariff-{fuel.value}-band"),
                "standing": label("", "", name=f"tariff-{fuel.value}-standing"),
                "next": label("", "", name=f"tariff-{fuel.value}-next"),
                "today": label("", "caption", name=f"tariff-{fuel.value}-today"),
                "tomorrow": label("", "caption", name=f"tariff-{fuel.value}-tomorrow"),
                "block": label("", "", name=f"tariff-{fuel.value}-block"),
                "special": label("", "caption", name=f"tariff-{fuel.value}-special"),
                "future": label("", "caption", name=f"tariff-{fuel.value}-future"),
                "rates": label("", "", name=f"tariff-{fuel.value}-rates"),
                "vat": label("", "caption"),
            }
            # At large text the card folds (widgets/folding.py): the price, its band, the
            # standing charge and when it changes first, then the rest, a few lines a view.
            groups = (
                ("title", "price", "band"),
                ("standing", "next"),
                ("today", "tomorrow"),
                ("block",),
                ("special", "future"),
                ("rates",),
                ("vat",),
            )
            sections = [Section(*(parts[k] for k in keys), spacing=2) for keys in groups]
            for section in sections:
                box.addWidget(section)
            box.addStretch(1)
            holder = Section(frame)
            row.addWidget(holder)
            key_parts.extend(sections[:2])
            detail_parts.extend(sections[2:])
            holders.append(holder)
            self.parts[fuel] = parts
            self.cards[fuel] = frame
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Both fuels' prices first, then each fuel's details.
        self.page = FoldingPage(
            content, [*key_parts, *detail_parts], containers=holders, name="tariff"
        )
        layout.addWidget(self.page)
        vm.changed.connect(self.refresh)
        self.refresh()

    def set_text_scale(self, scale: float) -> None:
        self.row.setDirection(
            QBoxLayout.Direction.TopToBottom if scale >= 1.5 else QBoxLayout.Direction.LeftToRight
        )

    def refresh(self) -> None:
        for fuel, parts in self.parts.items():
            tariff = self.vm.fuel(fuel)
            title = self.tr("Electricity") if fuel is model.Fuel.ELECTRICITY else self.tr("Gas")
            parts["title"].setText(f"{title}: {tariff.tariff}" if tariff.tariff else title)
            parts["price"].setText(tariff.price)
            set_role(parts["price"], "subfigure" if tariff.known else "placeholder")
            parts["band"].setText(tariff.band)
            parts["standing"].setText(tariff.standing)
            parts["next"].setText(tariff.next_change)
            parts["today"].setText(tariff.today)
            parts["tomorrow"].setText(tariff.tomorrow)
            parts["block"].setText(tariff.block)
            parts["special"].setText(tariff.special)
            parts["future"].setText(tariff.future)
            rates = (self.tr("All rates:") + "\n" + "\n".join(tariff.rates)) if tariff.rates else ""
            parts["rates"].setText(rates)
            parts["vat"].setText(tariff.vat)
            # A home without gas gives the electricity tariff the whole width (a schedule has
            # many lines); the other fuel's card stays while either is still unknown.
            self.cards[fuel].setVisible(not tariff.absent)
            for key in (
                "band",
                "standing",
                "next",
                "today",
                "tomorrow",
                "block",
                "special",
                "future",
                "rates",
                "vat",
            ):
                parts[key].setVisible(bool(parts[key].text()))
