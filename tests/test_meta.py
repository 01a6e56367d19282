"""Random-effects pooling (glscore.analysis.meta) against published worked examples,
an independent likelihood maximisation, plain loops and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from glscore.analysis import meta
from glscore.errors import InputError


def bcg() -> tuple[np.ndarray, np.ndarray]:
    """The BCG vaccine trials (Colditz et al. 1994; ``dat.bcg`` of R's metafor):
    log risk ratios and their variances, computed here from the 2x2 counts
    (tpos, tneg, cpos, cneg) as ``escalc(measure="RR")`` does."""
    counts = np.array([
        [4, 119, 11, 128], [6, 300, 29, 274], [3, 228, 11, 209], [62, 13536, 248, 12619],
        [33, 5036, 47, 5761], [180, 1361, 372, 1079], [8, 2537, 10, 619],
        [505, 87886, 499, 87892], [29, 7470, 45, 7232], [17, 1699, 65, 1600],
        [186, 50448, 141, 27197], [5, 2493, 3, 2338], [27, 16886, 29, 17825]], dtype=float)
    a, b, c, d = counts.T
    y = np.log((a / (a + b)) / (c / (c + d)))
    v = 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)
    return y, v


# Kacker (2004, Metrologia 41:132) interlaboratory example, as analysed with R metafor
# (the numbers are metafor's printed output, stored in statsmodels'
# stats/tests/results/results_meta.py: rma(y, v, method="DL" | "PM", test="z" | "knha")).
KACKER_Y = np.array([61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9])
KACKER_V = np.array([0.2025, 1.21, 0.09, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225])


def test_hksj_against_metafor_kacker_dl():
    z = meta.random_effects(KACKER_Y, KACKER_V, "DL", "z")
    assert z.mu == pytest.approx(62.3901386044504, abs=1e-9)
    assert z.se == pytest.approx(0.245749668040304, abs=1e-9)
    assert (z.ci_low, z.ci_high) == pytest.approx((61.9084781058787, 62.8717991030221), abs=1e-9)
    assert z.tau2 == pytest.approx(0.288049246973751, abs=1e-9)
    assert z.i2 == pytest.approx(67.744403741711, abs=1e-8)
    assert z.q == pytest.approx(24.801897741835, abs=1e-8)
    hk = meta.random_effects(KACKER_Y, KACKER_V, "DL", "hksj")
    assert hk.mu == pytest.approx(z.mu)
    assert hk.se == pytest.approx(0.29477605699879, abs=1e-9)        # metafor test="knha"
    assert (hk.ci_low, hk.ci_high) == pytest.approx((61.710383798052, 63.0698934108488),
                                                    abs=1e-9)
    assert hk.df == 8


def test_paule_mandel_against_metafor_kacker():
    pm = meta.random_effects(KACKER_Y, KACKER_V, "PM", "z")
    assert pm.tau2 == pytest.approx(0.705395309224248, abs=1e-9)
    assert pm.mu == pytest.approx(62.4076199113286, abs=1e-9)
    assert pm.se == pytest.approx(0.338030602684471, abs=1e-9)
    assert pm.i2 == pytest.approx(83.7218626490482, abs=1e-8)
    # at the Paule-Mandel tau^2 the generalised Q equals its expectation k - 1
    assert meta.generalised_q(KACKER_Y, KACKER_V, pm.tau2) == pytest.approx(8.0)


def test_reml_and_hksj_against_metafor_bcg():
    """metafor's README example: ``rma(yi, vi, data=dat, test="knha")`` on dat.bcg
    prints tau^2 0.3132, I^2 92.22%, Q 152.2330, estimate -0.7145, se 0.1808,
    CI [-1.1084, -0.3206], df 12; without knha se 0.1798, CI [-1.0669, -0.3622];
    and with method="DL" estimate -0.7141, CI [-1.0644, -0.3638], tau^2 0.3088,
    I^2 92.1173% (metafor's comparison with Stata's metan)."""
    y, v = bcg()
    hk = meta.random_effects(y, v, "REML", "hksj")
    assert round(hk.tau2, 4) == 0.3132 and round(hk.i2, 2) == 92.22
    assert round(hk.q, 4) == 152.2330
    assert (round(hk.mu, 4), round(hk.se, 4)) == (-0.7145, 0.1808)
    assert (round(hk.ci_low, 4), round(hk.ci_high, 4)) == (-1.1084, -0.3206)
    assert hk.df == 12
    z = meta.random_effects(y, v, "REML", "z")
    assert (round(z.se, 4), round(z.ci_low, 4), round(z.ci_high, 4)) == (0.1798, -1.0669, -0.3622)
    dl = meta.random_effects(y, v, "DL", "z")
    assert (round(dl.mu, 4), round(dl.ci_low, 4), round(dl.ci_high, 4)) == (-0.7141, -1.0644,
                                                                          -0.3638)
    assert round(dl.tau2, 4) == 0.3088 and round(dl.i2, 4) == 92.1173


def test_prediction_interval_is_higgins_thompson_spiegelhalter():
    """``mu +- t_{k-2} sqrt(tau^2 + se^2)``; metafor's README reports the BCG prediction
    interval on the risk-ratio scale as 0.14 to 1.76, which it computes with t_{k-1}
    (12 df); with the HTS k - 2 = 11 df the same tau^2 and se give a wider one."""
    y, v = bcg()
    hk = meta.random_effects(y, v, "REML", "hksj")
    half_k1 = stats.t.ppf(0.975, 12) * math.sqrt(hk.tau2 + hk.se ** 2)
    assert (round(math.exp(hk.mu - half_k1), 2), round(math.exp(hk.mu + half_k1), 2)) == (
        0.14, 1.76)
    half = stats.t.ppf(0.975, 11) * math.sqrt(hk.tau2 + hk.se ** 2)
    assert (hk.pi_low, hk.pi_high) == pytest.approx((hk.mu - half, hk.mu + half))
    assert hk.pi_low < hk.mu - half_k1
    # two estimates: no prediction interval (t with 0 degrees of freedom)
    assert math.isnan(meta.random_effects([1.0, 3.0], [1.0, 1.0]).pi_low)


def test_reml_maximises_the_restricted_likelihood():
    """An independent implementation: the REML log-likelihood maximised numerically."""
    y, v = bcg()

    def neg_restricted_loglik(t: float) -> float:
        w = 1 / (v + t)
        mu = (w * y).sum() / w.sum()
        return 0.5 * (np.log(v + t).sum() + np.log(w.sum()) + (w * (y - mu) ** 2).sum())

    best = optimize.minimize_scalar(neg_restricted_loglik, bounds=(0, 5), method="bounded",
                                    options={"xatol": 1e-10})
    assert meta.tau2_reml(y, v) == pytest.approx(best.x, abs=1e-6)


def test_reml_stays_at_zero_for_homogeneous_estimates():
    y = np.array([1.0, 1.1, 0.9, 1.0])
    v = np.array([1.0, 2.0, 1.5, 1.0])   # spread far below the sampling noise
    assert meta.tau2_reml(y, v) == 0.0 and meta.tau2_dl(y, v) == 0.0 and meta.tau2_pm(y, v) == 0


def test_hksj_with_four_estimates_by_hand():
    # y = 0, 2, 4, 10 with v = 1: DL: Q = sum (y - 4)^2 = 16 + 4 + 0 + 36 = 56,
    # C = 4 - 4/4 = 3, tau^2 = (56 - 3) / 3 = 53/3; equal weights w = 3/56, mu = 4;
    # q = sum w (y - mu)^2 / 3 = (3/56) 56 / 3 = 1; se = sqrt(1 / (4 * 3/56)) = sqrt(14/3)
    r = meta.random_effects([0.0, 2.0, 4.0, 10.0], [1.0] * 4, "DL", "hksj")
    assert r.tau2 == pytest.approx(53 / 3) and r.mu == pytest.approx(4.0)
    assert r.se == pytest.approx(math.sqrt(14 / 3))
    t = stats.t.ppf(0.975, 3)
    assert (r.ci_low, r.ci_high) == pytest.approx((4 - t * math.sqrt(14 / 3),
                                                   4 + t * math.sqrt(14 / 3)))
    assert r.p == pytest.approx(2 * stats.t.sf(4 / math.sqrt(14 / 3), 3))
    # the floored variant keeps q = 1 here: the same interval
    assert meta.random_effects([0.0, 2.0, 4.0, 10.0], [1.0] * 4, "DL", "hksj_floor").se == (
        pytest.approx(r.se))
    # z: se = (sum w)^(-1/2) = sqrt(14/3) as well (q = 1), but normal quantiles
    z = meta.random_effects([0.0, 2.0, 4.0, 10.0], [1.0] * 4, "DL", "z")
    assert z.ci_high - z.mu == pytest.approx(stats.norm.ppf(0.975) * math.sqrt(14 / 3))


def test_floored_hksj_is_never_narrower_than_z():
    # homogeneous estimates: q < 1 shrinks HKSJ below z; the floor prevents it
    y, v = [1.0, 1.1, 0.9], [1.0, 1.0, 1.0]
    hk, fl, z = (meta.random_effects(y, v, "REML", i) for i in ("hksj", "hksj_floor", "z"))
    assert hk.se < z.se and fl.se == pytest.approx(z.se)


def test_cluster_robust_by_hand_and_equal_to_hksj_with_singletons():
    y, v = np.array([0.0, 2.0, 4.0, 10.0]), np.ones(4)
    # one estimate per cluster, equal weights: the robust se is the HKSJ se
    singles = meta.cluster_robust(y, v, ["a", "b", "c", "d"], "DL")
    hk = meta.random_effects(y, v, "DL", "hksj")
    assert singles.se == pytest.approx(hk.se) and singles.df == 3
    # two clusters {0, 2} and {4, 10}: w = 3/56 each, mu = 4, residuals -4, -2, 0, 6:
    # se^2 = 2/1 * ((w * -6)^2 + (w * 6)^2) / (4 w)^2 = 2 * 72 / 16 = 9
    two = meta.cluster_robust(y, v, ["a", "a", "b", "b"], "DL")
    assert two.mu == pytest.approx(4.0) and two.se == pytest.approx(3.0)
    assert two.df == 1 and two.clusters == 2 and two.k == 4
    assert two.ci_high == pytest.approx(4 + stats.t.ppf(0.975, 1) * 3.0)
    assert math.isnan(two.pi_low)   # G - 2 = 0 degrees of freedom
    assert math.isnan(meta.cluster_robust(y, v, ["a"] * 4).se)


def test_cluster_robust_matches_a_plain_loop():
    rng = np.random.default_rng(7)
    y, v = rng.normal(size=9), rng.uniform(0.5, 2.0, size=9)
    clusters = np.array(list("aaabbcddd"))
    r = meta.cluster_robust(y, v, clusters, "REML")
    tau2 = meta.tau2_reml(y, v)
    w = [1 / (vi + tau2) for vi in v]
    mu = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sum(w)
    total = 0.0
    for g in sorted(set(clusters)):
        s = sum(w[i] * (y[i] - mu) for i in range(9) if clusters[i] == g)
        total += s * s
    se = math.sqrt(4 / 3 * total / sum(w) ** 2)
    assert (r.mu, r.se) == pytest.approx((mu, se))


def test_bad_and_degenerate_input():
    with pytest.raises(InputError, match="unknown tau"):
        meta.random_effects([1.0], [1.0], "ML")
    with pytest.raises(InputError, match="unknown interval"):
        meta.random_effects([1.0], [1.0], "DL", "wald")
    with pytest.raises(InputError, match="2 estimates but 1 variances"):
        meta.random_effects([1.0, 2.0], [1.0])
    empty = meta.random_effects([np.nan], [1.0])
    assert empty.k == 0 and math.isnan(empty.mu)
    one = meta.random_effects([3.0, 1.0], [4.0, 0.0], "DL", "z")   # v = 0 is left out
    assert one.k == 1 and one.mu == 3.0 and one.se == 2.0
    assert math.isnan(meta.random_effects([3.0], [4.0]).ci_low)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-50, 50), st.floats(0.1, 20)), min_size=3, max_size=12))
def test_hksj_and_estimators_are_coherent(rows):
    y = np.array([r[0] for r in rows])
    v = np.array([r[1] for r in rows])
    for method in meta.TAU2_METHODS:
        r = meta.random_effects(y, v, method, "hksj")
        assert r.tau2 >= 0 and r.ci_low <= r.mu <= r.ci_high
        assert r.pi_low <= r.ci_low + 1e-9 and r.pi_high >= r.ci_high - 1e-9
        assert y.min() - 1e-9 <= r.mu <= y.max() + 1e-9


def test_holm_and_bh_against_scipy_and_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.2, np.nan, 0.001])
    bh = meta.adjust(p, "bh")
    expected = stats.false_discovery_control(p[np.isfinite(p)], method="bh")
    np.testing.assert_allclose(bh[np.isfinite(p)], expected)
    assert np.isnan(bh[4])
    # Holm, m = 5: sorted .001 .01 .03 .04 .2 -> 5*.001, 4*.01, 3*.03, 2*.04, 1*.2,
    # then running maxima: .005 .04 .09 .09 .2
    holm = meta.adjust(p, "holm")
    np.testing.assert_allclose(holm[[5, 0, 2, 1, 3]], [0.005, 0.04, 0.09, 0.09, 0.2])
    np.testing.assert_array_equal(meta.adjust(p, "none")[:4], p[:4])
    with pytest.raises(InputError, match="unknown adjustment"):
        meta.adjust(p, "bonf")
