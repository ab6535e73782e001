"""Colours and type sizes for the two themes, as one Qt style sheet scaled by the text size."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Palette:
    background: str
    surface: str
    text: str
    muted: str
    accent: str
    accent_text: str
    border: str
    warning_bg: str
    warning_text: str
    alert_bg: str
    alert_text: str
    good: str
    medium: str
    high: str
    bar_electricity: str
    bar_gas: str


STANDARD = Palette(
    background="#10202e",
    surface="#1c3246",
    text="#ffffff",
    muted="#c9d6e2",
    accent="#ffd24a",
    accent_text="#10202e",
    border="#5d7a94",
    warning_bg="#ffd24a",
    warning_text="#10202e",
    alert_bg="#c0161b",
    alert_text="#ffffff",
    good="#3ec46d",
    medium="#ffb000",
    high="#ff4a4a",
    bar_electricity="#ffd24a",
    bar_gas="#6fc3ff",
)

# Black and white with yellow: the largest luminance contrast, and every state also has words.
HIGH_CONTRAST = Palette(
    background="#000000",
    surface="#000000",
    text="#ffffff",
    muted="#ffffff",
    accent="#ffff00",
    accent_text="#000000",
    border="#ffffff",
    warning_bg="#ffff00",
    warning_text="#000000",
    alert_bg="#ffffff",
    alert_text="#000000",
    good="#00ff00",
    medium="#ffff00",
    high="#ff5050",
    bar_electricity="#ffff00",
    bar_gas="#00ffff",
)

TEXT_SCALES = {"normal": 1.0, "large": 1.2, "largest": 1.4}


def palette(high_contrast: bool) -> Palette:
    return HIGH_CONTRAST if high_contrast else STANDARD


def style_sheet(high_contrast: bool, text_size: str) -> str:
    p = palette(high_contrast)
    s = TEXT_SCALES.get(text_size, 1.0)

    def px(size: int, most: float = 2.0) -> str:
        # Figures are already large and the tab row has a fixed width, so they grow less.
        return f"{round(size * min(s, most))}px"

    border = "3px" if high_contrast else "2px"
    return f"""
QWidget {{ background: {p.background}; color: {p.text}; font-size: {px(18)}; }}
QScrollArea, QScrollArea > QWidget > QWidget {{ border: none; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: {px(24)}; font-weight: bold; }}
QLabel[role="figure"] {{ font-size: {px(46, 1.2)}; font-weight: bold; }}
QLabel[role="subfigure"] {{ font-size: {px(26)}; font-weight: bold; }}
QLabel[role="caption"] {{ font-size: {px(16)}; color: {p.muted}; }}
QLabel[role="placeholder"] {{ font-size: {px(22)}; color: {p.muted}; }}
QLabel[role="utrn"] {{ font-size: {px(30)}; font-weight: bold; font-family: monospace;
    background: {p.surface}; border: {border} solid {p.border}; border-radius: 8px; padding: 4px; }}
QFrame[role="card"] {{ background: {p.surface}; border: {border} solid {p.border};
    border-radius: 10px; }}
QFrame[role="card"] QLabel {{ background: transparent; }}
QLabel[role="warning"], QFrame[role="warning"] {{ background: {p.warning_bg}; color: {p.warning_text};
    font-weight: bold; border-radius: 8px; padding: 6px; }}
QLabel[role="alert"], QFrame[role="alert"] {{ background: {p.alert_bg}; color: {p.alert_text};
    font-weight: bold; border: {border} solid {p.alert_text}; border-radius: 8px; padding: 6px; }}
QLabel[role="success"] {{ background: {p.good}; color: #000000; font-weight: bold;
    border-radius: 8px; padding: 6px; }}
QLabel[role="banner"] {{ background: {p.accent}; color: {p.accent_text}; font-weight: bold;
    font-size: {px(20)}; padding: 6px 12px; }}
QLabel[role="status"] {{ font-size: {px(16)}; color: {p.muted}; padding: 2px 8px; }}
QPushButton {{ background: {p.surface}; color: {p.text}; border: {border} solid {p.border};
    border-radius: 10px; padding: 6px 12px; min-height: 48px; min-width: 48px;
    font-size: {px(20)}; font-weight: bold; }}
QPushButton:checked {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent}; }}
QPushButton:pressed {{ background: {p.accent}; color: {p.accent_text}; }}
QPushButton:disabled {{ color: {p.border}; border-style: dashed; }}
QPushButton[role="primary"] {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent}; }}
QPushButton[role="primary"]:disabled {{ background: {p.surface}; color: {p.border}; }}
QPushButton[role="tab"] {{ border-radius: 0px; border-width: 0px; border-top: {border} solid {p.border};
    font-size: {px(17, 1.1)}; padding: 2px; min-width: 40px; }}
QPushButton[role="tab"]:checked {{ border-top: 6px solid {p.text}; }}
QPushButton[role="key"] {{ font-size: {px(30)}; min-height: 56px; }}
QScrollBar:vertical {{ width: 18px; background: {p.background}; }}
QScrollBar::handle:vertical {{ background: {p.border}; min-height: 40px; border-radius: 8px; }}
"""
