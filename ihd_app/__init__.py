"""The consumer in-home display: a touch-first PySide6 window over the back-end facade."""
