"""Usability trials: participant sessions, scripts, display variants and the interaction log."""
