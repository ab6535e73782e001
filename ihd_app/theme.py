"""The display's themes: colours and type sizes, as one Qt style sheet scaled by text size."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Palette:
    background: str
    surface: str
    text: str
    muted: str
    accent: str
    accent_text: str
    border: str
    disabled_text: str
    warning_bg: str
    warning_text: str
    alert_bg: str
    alert_text: str
    success_bg: str
    success_text: str
    focus_bg: str
    focus_text: str
    good: str
    medium: str
    high: str
    bar_electricity: str
    bar_gas: str

    def text_pairs(self) -> dict[str, tuple[str, str]]:
        """Every (text colour, background colour) the style sheet and the painted widgets use.

        The contrast test reads this list, so a new pairing belongs here as well as in the
        style sheet below.
        """
        return {
            "text on background": (self.text, self.background),
            "text on surface": (self.text, self.surface),
            "muted on background": (self.muted, self.background),
            "muted on surface": (self.muted, self.surface),
            "accent text on accent": (self.accent_text, self.accent),
            "disabled text on surface": (self.disabled_text, self.surface),
            "disabled text on background": (self.disabled_text, self.background),
            "warning": (self.warning_text, self.warning_bg),
            "alert": (self.alert_text, self.alert_bg),
            "success": (self.success_text, self.success_bg),
            "focus": (self.focus_text, self.focus_bg),
            "ambient marks on low": ("#000000", self.good),
            "ambient marks on medium": ("#000000", self.medium),
            "ambient marks on high": ("#000000", self.high),
        }

    def colours(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


STANDARD = Palette(
    background="#10202e",
    surface="#1c3246",
    text="#ffffff",
    muted="#c9d6e2",
    accent="#ffd24a",
    accent_text="#10202e",
    border="#5d7a94",
    disabled_text="#9fb3c6",
    warning_bg="#ffd24a",
    warning_text="#10202e",
    alert_bg="#c0161b",
    alert_text="#ffffff",
    success_bg="#3ec46d",
    success_text="#000000",
    focus_bg="#ffffff",
    focus_text="#10202e",
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
    disabled_text="#c8c8c8",
    warning_bg="#ffff00",
    warning_text="#000000",
    alert_bg="#ffffff",
    alert_text="#000000",
    success_bg="#00ff00",
    success_text="#000000",
    focus_bg="#00ffff",
    focus_text="#000000",
    good="#00ff00",
    medium="#ffff00",
    high="#ff6a6a",
    bar_electricity="#ffff00",
    bar_gas="#00ffff",
)

THEMES = {"standard": STANDARD, "high-contrast": HIGH_CONTRAST}

# Text sizes: the largest doubles every size, for WCAG's "resize text to 200%".
TEXT_SCALES = {"normal": 1.0, "large": 1.5, "largest": 2.0}
FIGURE_MOST = 1.4  # figures are already 46 px: beyond this they would not fit a card at all


def palette(high_contrast: bool) -> Palette:
    return HIGH_CONTRAST if high_contrast else STANDARD


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of "#rrggbb"."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) != 6:
        raise ValueError(f"{colour!r} is not a #rrggbb colour")
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio between two colours, from 1 (none) to 21 (black on white)."""
    darker, lighter = sorted((relative_luminance(first), relative_luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


def style_sheet(high_contrast: bool, text_size: str, *, show_focus: bool = False) -> str:
    """The whole display's style; `show_focus` once a keyboard or switch is in use.

    Like CSS's :focus-visible: a finger needs no focus mark, and one left on the last button
    touched would read as "selected".
    """
    p = palette(high_contrast)
    s = TEXT_SCALES.get(text_size, 1.0)

    def px(size: int, most: float = 2.0) -> str:
        return f"{round(size * min(s, most))}px"

    def tall(size: int, least: int) -> str:
        # A style sheet's min-height becomes the button's fixed minimum, which a crowded
        # layout (a scroll area's page, first of all) may squeeze it down to; so it must
        # cover a line of its text at large sizes too.
        return f"{max(least, round(size * s * 1.25))}px"

    border = "3px" if high_contrast else "2px"
    # Focus is shown by filling the control and drawing a dashed edge: a change of shade and
    # a pattern together, visible to someone scanning with a switch from across the room.
    focus = f"background: {p.focus_bg}; color: {p.focus_text}; border: 4px dashed {p.focus_text};"
    focus_rules = (
        f"""
QPushButton:focus, QPushButton:checked:focus, QPushButton[role="primary"]:focus {{ {focus} }}
QPushButton[role="tab"]:focus {{ {focus} }}
QWidget[role="focusable"]:focus {{ border: 4px dashed {p.focus_bg}; }}
"""
        if show_focus
        else ""
    )
    return (
        f"""
QWidget {{ background: {p.background}; color: {p.text}; font-size: {px(18)}; }}
QScrollArea, QScrollArea > QWidget > QWidget {{ border: none; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: {px(24)}; font-weight: bold; }}
QLabel[role="clock"] {{ font-size: {px(20)}; font-weight: bold; }}
QLabel[role="figure"] {{ font-size: {px(46, FIGURE_MOST)}; font-weight: bold; }}
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
QFrame[role="alert"] QLabel, QFrame[role="warning"] QLabel {{ background: transparent;
    border: none; padding: 0px; }}
QFrame[role="alert"] QLabel {{ color: {p.alert_text}; }}
QFrame[role="warning"] QLabel {{ color: {p.warning_text}; }}
QLabel[role="success"] {{ background: {p.success_bg}; color: {p.success_text}; font-weight: bold;
    border-radius: 8px; padding: 6px; }}
QLabel[role="banner"] {{ background: {p.accent}; color: {p.accent_text}; font-weight: bold;
    font-size: {px(20)}; padding: 6px 12px; }}
QLabel[role="badge"] {{ background: {p.warning_bg}; color: {p.warning_text}; font-weight: bold;
    font-size: {px(17)}; border-radius: 8px; padding: 4px 8px; }}
QLabel[role="badge-alert"] {{ background: {p.alert_bg}; color: {p.alert_text}; font-weight: bold;
    font-size: {px(17)}; border: {border} solid {p.alert_text}; border-radius: 8px; padding: 4px 8px; }}
QLabel[role="status"] {{ font-size: {px(16)}; color: {p.muted}; padding: 2px 8px; }}
QPushButton {{ background: {p.surface}; color: {p.text}; border: {border} solid {p.border};
    border-radius: 10px; padding: 6px 12px; min-height: {tall(20, 48)}; min-width: 48px;
    font-size: {px(20)}; font-weight: bold; }}
QPushButton:checked {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent}; }}
QPushButton:pressed {{ background: {p.accent}; color: {p.accent_text}; }}
QPushButton:disabled {{ color: {p.disabled_text}; border-color: {p.border}; }}
QPushButton[role="primary"] {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent}; }}
QPushButton[role="primary"]:disabled {{ background: {p.surface}; color: {p.disabled_text};
    border-color: {p.border}; }}
QPushButton[compact="true"] {{ font-size: {px(20, 1.5)}; padding: 6px 6px; }}
QLabel[role="title"][compact="true"] {{ font-size: {px(24, 1.5)}; }}
QPushButton[role="badge"] {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent};
    font-size: {px(17)}; padding: 2px 10px; min-height: {tall(17, 48)}; }}
QPushButton[role="badge"][compact="true"] {{ font-size: {px(17, 1.5)}; padding: 2px 8px; }}
QLabel[role="clock"][compact="true"] {{ font-size: {px(20, 1.5)}; }}
QPushButton[role="segment-left"] {{ border-top-right-radius: 0px; border-bottom-right-radius: 0px;
    min-width: 64px; }}
QPushButton[role="segment-right"] {{ border-top-left-radius: 0px; border-bottom-left-radius: 0px;
    border-left-width: 0px; min-width: 64px; }}
QPushButton[role="tab"] {{ border-radius: 0px; border-width: 0px; border-top: {border} solid {p.border};
    font-size: {px(17)}; padding: 2px 6px; min-width: 40px; min-height: {tall(17, 56)}; }}
QPushButton[role="tab"]:checked {{ border-top: 6px solid {p.text}; }}
/* Digits at most 160% on keys 76 px tall at 200%: four rows fit the 356 px of a 480 px panel. */
QPushButton[role="key"] {{ font-size: {px(30, 1.6)}; min-height: {tall(24, 56)}; }}
/* Clear and Delete are words on a digit key's height; past 125% they would make the keypad
   wider than half an 800-pixel panel (the digits and the code stay at full size). */
QPushButton[role="key-word"] {{ font-size: {px(20, 1.25)}; min-height: {tall(24, 56)}; padding: 6px 4px; }}
/* The code being typed beside the keypad: at most 125%, so twenty digits take two lines
   there; the read-back page shows it at full size. */
QLabel[role="utrn-entry"] {{ font-size: {px(30, 1.25)}; font-weight: bold; font-family: monospace;
    background: {p.surface}; border: {border} solid {p.border}; border-radius: 8px; padding: 4px; }}
QScrollBar:vertical {{ width: 18px; background: {p.background}; }}
QScrollBar::handle:vertical {{ background: {p.border}; min-height: 40px; border-radius: 8px; }}
"""
        + focus_rules
    )
