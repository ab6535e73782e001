"""One module per screen: each lays out widgets and redraws from its view-model."""
