"""The palette: contrast on white, and pairs apart with colour-vision deficiencies.

Contrast is WCAG 2.1's ratio (1.4.11: at least 3:1 for graphics that carry
meaning). Deficiencies are simulated by ColorAide (Machado, Oliveira and
Fernandes 2009 for protanopia and deuteranopia, Brettel, Viénot and Mollon
1997 for tritanopia, at full severity), and two colours count as apart when
their CIEDE2000 difference is at least MIN_DISTANCE.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from coloraide import Color

from tutorial import plotting

MIN_CONTRAST = 3.0
MIN_DISTANCE = 10.0
MEANINGFUL = {
    "BLUE": plotting.BLUE,
    "ORANGE": plotting.ORANGE,
    "GREEN": plotting.GREEN,
    "VERMILION": plotting.VERMILION,
    "PURPLE": plotting.PURPLE,
    "SKY": plotting.SKY,
    "GREY": plotting.GREY,
    "BLACK": plotting.BLACK,
}
VISION = {
    "typical": None,
    "protanopia": ("protan", "machado"),
    "deuteranopia": ("deutan", "machado"),
    "tritanopia": ("tritan", "brettel"),
}
PAIRS = [(a, b) for a, partners in plotting.PAIRED_WITH.items() for b in partners]


def contrast(colour: str, background: str = "#FFFFFF") -> float:
    """Return WCAG 2.1's contrast ratio, from its relative luminance formula."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def seen(colour: str, vision: str) -> Color:
    """Return the colour as a viewer with that kind of vision sees it."""
    c = Color(colour)
    if VISION[vision] is None:
        return c
    kind, method = VISION[vision]
    return c.filter(kind, method=method).clip()


def distance(a: str, b: str, vision: str) -> float:
    return seen(a, vision).delta_e(seen(b, vision), method="2000")


def test_our_contrast_formula_matches_coloraides_and_the_issue():
    for colour in [*MEANINGFUL.values(), "#E69F00", "#56B4E9"]:
        theirs = Color(colour).contrast("white", method="wcag21")
        # (ColorAide computes luminance from its own sRGB matrix: 1e-4 apart)
        assert contrast(colour) == pytest.approx(theirs, rel=1e-3)
    # The figures the issue measured for Okabe and Ito's orange and sky blue.
    assert round(contrast("#E69F00"), 2) == 2.25
    assert round(contrast("#56B4E9"), 2) == 2.31


@pytest.mark.parametrize("name", MEANINGFUL)
def test_every_meaningful_colour_has_3_to_1_on_white(name):
    assert contrast(MEANINGFUL[name]) >= MIN_CONTRAST


def test_the_light_grey_is_the_only_faint_colour_and_says_so():
    faint = [
        name
        for name, value in vars(plotting).items()
        if name.isupper()
        and isinstance(value, str)
        and re.fullmatch(r"#[0-9A-Fa-f]{6}", value)
        and contrast(value) < MIN_CONTRAST
    ]
    assert faint == ["LIGHT_GREY"]


def test_the_cycle_and_the_pairs_use_the_palette():
    assert set(plotting.CYCLE) <= set(MEANINGFUL.values())
    assert plotting.DIVERGED in MEANINGFUL.values()
    assert len(PAIRS) == len(set(PAIRS)) >= 20


@pytest.mark.parametrize("vision", VISION)
def test_colours_drawn_together_stay_apart(vision):
    close = [
        (a, b, round(d, 1))
        for a, b in PAIRS
        if (d := distance(a, b, vision)) < MIN_DISTANCE
    ]
    assert close == []


def test_the_simulation_can_tell_a_confusion():
    """Red and green, apart for most viewers, merge with deuteranopia."""
    red, green = "#CC3311", "#669900"
    assert distance(red, green, "typical") > 2 * MIN_DISTANCE
    assert distance(red, green, "deuteranopia") < MIN_DISTANCE
    # Blue against yellow is what tritanopia confuses; its simulation says so.
    assert distance("#0077BB", "#009988", "tritanopia") < distance(
        "#0077BB", "#009988", "typical"
    )


def test_okabe_ito_as_it_was_would_fail():
    """The test would have caught the old palette: it is not a formality."""
    assert contrast("#E69F00") < MIN_CONTRAST
    assert distance("#E69F00", "#CC79A7", "tritanopia") < MIN_DISTANCE


PACKAGE = Path(plotting.__file__).parent
# Section modules, and the parts of a section that is a package.
SECTIONS = sorted(
    p
    for p in PACKAGE.rglob("*.py")
    if re.match(r"s\d\d_", p.relative_to(PACKAGE).parts[0])
)


@pytest.mark.parametrize("path", SECTIONS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_section_modules_use_the_palette_constants(path):
    """A hex colour in a section module would dodge every test above."""
    code = path.read_text()
    assert re.findall(r"['\"]#[0-9A-Fa-f]{3,8}['\"]", code) == []


@pytest.mark.parametrize("colour", ["#FFFFFF", *MEANINGFUL.values()])
def test_an_outlined_line_stands_out_on_every_colour_of_the_surface(colour):
    """On each colour of the map, the line or one of its outline's rings
    (`plotting.halo`) has 3:1 against it."""
    import matplotlib as mpl

    rings = plotting.outline_colours(colour)
    cmap = mpl.colormaps[plotting.SURFACE_CMAP]
    worst = min(
        max(contrast(c, under) for c in (colour, *rings))
        for under in (mpl.colors.to_hex(cmap(x)) for x in np.linspace(0, 1, 256))
    )
    assert worst >= MIN_CONTRAST, (colour, rings, round(worst, 2))
    if colour in ("#FFFFFF", plotting.BLACK):
        assert len(rings) == 1  # the common case: one ring
