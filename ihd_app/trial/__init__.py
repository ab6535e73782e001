"""Usability trials: participant sessions, scripted scenarios, display variants and the interaction log."""
