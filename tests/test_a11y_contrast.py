"""Every theme's text is at least 4.5:1 against its background (WCAG 2 relative luminance)."""

from __future__ import annotations

import re

import pytest

from ihd_app import theme
from ihd_app.theme import THEMES, contrast_ratio, relative_luminance

TEXT = 4.5  # WCAG 1.4.3, normal-size text
GRAPHICS = 3.0  # WCAG 1.4.11, the parts of controls and pictures that carry meaning


def test_the_formula_matches_wcag_reference_values() -> None:
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(
        4.48, abs=0.01
    )  # the classic near-miss
    assert contrast_ratio("#ffffff", "#777777") == contrast_ratio("#777777", "#ffffff")


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_text_colour_on_its_background(name: str) -> None:
    palette = THEMES[name]
    low = {
        pair: round(contrast_ratio(fg, bg), 2)
        for pair, (fg, bg) in palette.text_pairs().items()
        if contrast_ratio(fg, bg) < TEXT
    }
    assert low == {}


@pytest.mark.parametrize("name", sorted(THEMES))
def test_focus_and_use_level_colours_stand_out_from_the_background(name: str) -> None:
    p = THEMES[name]
    for colour in (p.focus_bg, p.good, p.medium, p.high, p.border, p.accent):
        assert contrast_ratio(colour, p.background) >= GRAPHICS, colour


def _rules(sheet: str) -> list[tuple[str, dict[str, str]]]:
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", sheet):
        declarations = {}
        for part in body.split(";"):
            key, _, value = part.partition(":")
            if key.strip():
                declarations[key.strip()] = value.strip()
        rules.append((" ".join(selector.split()), declarations))
    return rules


@pytest.mark.parametrize("high_contrast", [False, True])
@pytest.mark.parametrize("size", sorted(theme.TEXT_SCALES))
def test_the_style_sheet_uses_only_checked_pairs(high_contrast: bool, size: str) -> None:
    """Each rule giving text and background colour together is one of the checked pairs, and
    every text colour in the sheet is one the contrast list covers."""
    palette = theme.palette(high_contrast)
    checked = set(palette.text_pairs().values())
    text_colours = {fg for fg, _ in checked}
    sheet = theme.style_sheet(high_contrast, size, show_focus=True)
    for selector, declarations in _rules(sheet):
        colour = declarations.get("color")
        background = declarations.get("background")
        if colour is None:
            continue
        assert colour in text_colours, f"{selector}: text colour {colour} is never checked"
        if background and background.startswith("#"):
            assert (colour, background) in checked, f"{selector}: {colour} on {background}"
            assert contrast_ratio(colour, background) >= TEXT, selector


def test_high_contrast_reaches_the_top_of_the_scale() -> None:
    p = theme.HIGH_CONTRAST
    assert contrast_ratio(p.text, p.background) == pytest.approx(21)
    assert min(contrast_ratio(fg, bg) for fg, bg in p.text_pairs().values()) >= 7  # WCAG AAA
