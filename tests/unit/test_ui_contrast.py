"""Badge colours meet WCAG AA: text 4.5:1 on its background, the border 3:1 on the page."""

from __future__ import annotations

import pytest

from assistant.ui_assets import BADGE_COLOURS, CSS


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("effect", ["not_billable", "billable", "needs_modifier", "unknown", "working"])
def test_badge_contrast_is_wcag_aa(effect: str) -> None:
    background, text, border = BADGE_COLOURS[effect]
    assert contrast(text, background) >= 4.5
    assert contrast(border, "#ffffff") >= 3.0
    assert f".cc-effect-{effect}{{background:{background};color:{text}" in CSS


def test_each_claim_effect_has_its_own_colour() -> None:
    colours = {BADGE_COLOURS[e][0] for e in ("not_billable", "billable", "needs_modifier", "unknown")}
    assert len(colours) == 4
