"""The special-metric registry and its mappings, by hand-computed values."""

import math

import numpy as np
import pytest

from glscore.core import metrics


@pytest.mark.parametrize(
    ("name", "x", "expected"),
    [
        # lower is better: y = 2 / (1 + exp(-T / x)) - 1, T(FID) = 25
        ("FID", 25.0, (2 / (1 + math.exp(-1.0)) - 1) * 100),  # 46.2117...
        ("MAE", 50.0, (2 / (1 + math.exp(-1.0)) - 1) * 100),
        ("ABSREL", 0.2, (2 / (1 + math.exp(-0.5)) - 1) * 100),  # T = 0.1
        ("RTE", 0.5, (2 / (1 + math.exp(-1.0)) - 1) * 100),
        ("PSNR", 20.0, math.tanh(1.0) * 100),  # 76.159...
        ("MS-SSIM", 0.5, 75.0),  # (0.5 + 1) / 2
        ("MOS", 3.0, 50.0),  # (3 - 1) / 4
        ("WER", 0.2, 80.0),  # 1 - 0.2, read as a fraction
    ],
)
def test_mapping_values(name, x, expected):
    got = metrics.REGISTRY[name].map(np.array([x]))[0]
    assert got == pytest.approx(expected, rel=1e-12)


def test_wer_percent():
    # 1 - 20 / 100 = 0.8
    assert metrics.REGISTRY["WER"].map(np.array([20.0]), wer_percent=True)[0] == pytest.approx(80)


def test_lower_is_better_decreases_and_stays_in_range():
    x = np.array([1e-6, 0.1, 1.0, 10.0, 1e6])
    y = metrics.REGISTRY["CD"].map(x)
    assert np.all(np.diff(y) < 0)
    assert np.all((y >= 0) & (y <= 100))


def test_temperatures_are_the_papers():
    temps = {m.name: m.temperature for m in metrics.REGISTRY.values() if m.family == "sigmoid"}
    assert temps == {"MAE": 50, "RMS": 50, "MSE": 5, "RMSE": 5, "ABSREL": 0.1, "EPE": 1,
                     "FID": 25, "FVD": 100, "FAD": 10, "SAD": 10, "RTE": 0.5, "CD": 1, "MCD": 5}


@pytest.mark.parametrize(
    ("printed", "exact", "alias"),
    [
        ("FID", "FID", "FID"),
        ("absRel", "ABSREL", "ABSREL"),
        ("CD (Chamfer Distance)", None, "CD"),
        ("RTE ( Relative Translation Error)", None, "RTE"),
        ("Acc", None, None),
        ("MS-SSIM", "MS-SSIM", "MS-SSIM"),
        (float("nan"), None, None),
    ],
)
def test_matching_rules(printed, exact, alias):
    hit_exact, hit_alias = metrics.match_exact(printed), metrics.match_alias(printed)
    assert (hit_exact.name if hit_exact else None) == exact
    assert (hit_alias.name if hit_alias else None) == alias
