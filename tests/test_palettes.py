"""The palettes: colour-vision simulation, perceptual distance, and the house colours.

The CIEDE2000 implementation is checked against the published worked
examples of Sharma, Wu and Dalal (2005), Table 1 (independent of the code);
the Machado et al. (2009) matrices against their defining property (white
and grey stay neutral: every row sums to 1) and against the effect they
model (a red and a green of equal lightness collapse for a red-green
dichromat). The level palette must keep neighbouring levels apart under
every simulated vision, and the test must fail for a palette that does not
(the plasma steps used before).
"""

from __future__ import annotations

import numpy as np
import pytest

from glscore.figures import colour, style

# Sharma, Wu & Dalal (2005), Table 1: (L1, a1, b1), (L2, a2, b2), dE00.
SHARMA = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]

#: Smallest CIEDE2000 between neighbouring levels under every simulated vision.
MIN_LEVEL_DISTANCE = 15.0
#: Smallest CIEDE2000 between a level colour and the white background.
MIN_BACKGROUND_DISTANCE = 20.0
#: The plasma steps of the previous level palette (Level-4 coral, Level-5 orange).
OLD_LEVELS = ["#AAAAAA", "#0D0887", "#9C179E", "#E16462", "#F89540"]


@pytest.mark.parametrize("lab1,lab2,expected", SHARMA)
def test_ciede2000_matches_sharma_2005(lab1, lab2, expected):
    assert colour.ciede2000(lab1, lab2) == pytest.approx(expected, abs=5e-5)
    assert colour.ciede2000(lab2, lab1) == pytest.approx(expected, abs=5e-5)  # symmetric


def test_lab_of_known_colours():
    # white is L* 100, black 0; sRGB pure red is (53.24, 80.09, 67.20) (D65, 2 deg)
    got = colour.lab(colour.simulate(colour.hex_to_srgb(["#FFFFFF", "#000000", "#FF0000"]),
                                     "normal"))
    np.testing.assert_allclose(got[0], [100, 0, 0], atol=1e-6)
    np.testing.assert_allclose(got[1], [0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(got[2], [53.24, 80.09, 67.20], atol=0.02)


@pytest.mark.parametrize("vision", sorted(colour.MACHADO_2009))
def test_machado_keeps_neutrals_neutral(vision):
    matrix = colour.MACHADO_2009[vision]
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0, atol=2e-6)
    greys = colour.hex_to_srgb(["#000000", "#777777", "#FFFFFF"])
    seen = colour.simulate(greys, vision)
    np.testing.assert_allclose(seen, colour.simulate(greys, "normal"), atol=1e-5)


def test_red_green_pair_collapses_for_red_green_dichromats():
    # a red and a green chosen with nearly the same lightness: far apart for
    # normal vision, close for the deutan and protan simulations, still apart
    # for tritanopia (a blue-yellow deficiency)
    pair = ["#C24A2F", "#6E7C2A"]
    normal = colour.neighbour_distances(pair, "normal")[0]
    assert normal > 30
    for vision in ("deuteranopia", "protanopia"):
        assert colour.neighbour_distances(pair, vision)[0] < normal / 3
    assert colour.neighbour_distances(pair, "tritanopia")[0] > normal / 2


def test_level_palette_neighbours_stay_apart_under_every_vision():
    levels = [style.LEVEL_COLORS[name] for name in style.LEVELS]
    for vision in colour.DEFICIENCIES:
        distances = colour.neighbour_distances(levels, vision)
        assert distances.min() >= MIN_LEVEL_DISTANCE, (vision, distances.round(1).tolist())
    assert colour.min_neighbour_distance(levels) >= MIN_LEVEL_DISTANCE


def test_the_check_rejects_the_old_level_palette():
    # Level-4 and Level-5 of the plasma steps merge under deuteranopia and tritanopia
    assert colour.neighbour_distances(OLD_LEVELS, "deuteranopia")[3] < MIN_LEVEL_DISTANCE
    assert colour.min_neighbour_distance(OLD_LEVELS) < MIN_LEVEL_DISTANCE


def test_level_palette_is_ordered_in_lightness_and_shows_on_white():
    levels = [style.LEVEL_COLORS[name] for name in style.LEVELS[1:]]  # Level-1 is the grey
    lightness = colour.lab(colour.simulate(colour.hex_to_srgb(levels), "normal"))[:, 0]
    assert np.all(np.diff(lightness) > 5), lightness.round(1).tolist()
    every = [style.LEVEL_COLORS[name] for name in style.LEVELS]
    for vision in colour.DEFICIENCIES:
        seen = colour.lab(colour.simulate(colour.hex_to_srgb(every + ["#FFFFFF"]), vision))
        assert colour.ciede2000(seen[:-1], seen[-1]).min() >= MIN_BACKGROUND_DISTANCE


def test_status_colours_cover_the_states_drawn():
    for state in ("not supported", "no per-task data", "printed as 0", "unexplained",
                  "never won"):
        assert state in style.STATUS_COLORS
    for state in style.STATUS_HATCHES:
        assert state in style.STATUS_COLORS
    # the two "missing" states a reader must tell apart differ by more than the hatching
    seen = colour.lab(colour.simulate(colour.hex_to_srgb(
        [style.STATUS_COLORS["not supported"], style.STATUS_COLORS["no per-task data"]]),
        "normal"))
    assert colour.ciede2000(seen[0], seen[1]) >= 15


@pytest.mark.parametrize("level", style.LEVELS)
def test_text_on_level_colours_is_readable(level):
    background = style.LEVEL_COLORS[level]
    text = style.text_color_on(background)
    linear = colour.simulate(colour.hex_to_srgb([background]), "normal")[0]
    luminance = float(linear @ [0.2126, 0.7152, 0.0722])
    ratio = ((1.05) / (luminance + 0.05) if text == "white"
             else (luminance + 0.05) / 0.05)
    assert ratio >= 4.5  # WCAG AA for normal text
