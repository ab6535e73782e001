"""One module per screen: each lays out widgets and redraws from its view-model."""

SCREENS = ("now", "usage", "history", "tariff", "balance", "messages", "export", "settings")
