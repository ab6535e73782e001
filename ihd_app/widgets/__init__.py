"""Reusable touch widgets: labels by role, cards, the tab bar, keypads, the ambient sign."""
