"""Random-effects meta-analysis of a handful of estimates.

The natural experiments (:mod:`glscore.analysis.natural`) pool a few paired
differences per evidence tier: 4 pairs in the ``exact`` tier, on 2 bases.
With so few estimates the classical pooling is far too sure of itself, so
this module carries the estimators and intervals a methods reviewer expects,
as pure functions on arrays. Given estimates ``y_i`` with within-estimate
variances ``v_i`` (``i = 1..k``):

* **between-estimate variance** ``tau^2``: DerSimonian-Laird (:func:`tau2_dl`,
  the method of moments), restricted maximum likelihood (:func:`tau2_reml`,
  the default) and Paule-Mandel (:func:`tau2_pm`);
* **pooled mean** ``mu = sum w_i y_i / sum w_i`` with ``w_i = 1 / (v_i + tau^2)``;
* **intervals** (:func:`random_effects`, ``interval=``):

  - ``"hksj"`` (default; Hartung & Knapp 2001, Sidik & Jonkman 2002):
    ``q = sum w_i (y_i - mu)^2 / (k - 1)``, ``se = sqrt(q / sum w_i)``,
    ``mu +- t_{k-1} se``;
  - ``"hksj_floor"``: the ad-hoc modification (Knapp & Hartung 2003; Roever,
    Knapp & Friede 2015) that replaces ``q`` by ``max(1, q)``, so the
    interval is never narrower than the ``z`` one;
  - ``"z"``: ``mu +- z_{1-alpha/2} / sqrt(sum w_i)``, the classical interval,
    kept only as a comparison (it ignores that ``tau^2`` is estimated);

* **prediction interval** for the effect in a new pair (Higgins, Thompson
  & Spiegelhalter 2009): ``mu +- t_{k-2} sqrt(tau^2 + se^2)`` with the
  interval's own ``se``; undefined below ``k = 3``;
* **I^2** = ``tau^2 / (tau^2 + s^2)``, ``s^2 = (k - 1) sum w_i / ((sum w_i)^2 -
  sum w_i^2)`` with ``w_i = 1 / v_i`` (Higgins & Thompson 2002; equals
  ``(Q - (k - 1)) / Q`` under DerSimonian-Laird);
* **dependence** (:func:`cluster_robust`): estimates that share a cluster
  (pairs built on one base LLM share that base's scores) are not independent.
  See the function for the choice made and why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from glscore.errors import InputError

TAU2_METHODS: tuple[str, ...] = ("REML", "DL", "PM")
"""Estimators of ``tau^2`` (:data:`TAU2`), the default first."""
INTERVALS: tuple[str, ...] = ("hksj", "hksj_floor", "z")
"""Confidence intervals of the pooled mean (:func:`random_effects`), the default first."""


@dataclass(frozen=True)
class Pooled:
    """One pooled estimate: ``k`` estimates (``clusters`` independent units),
    the mean ``mu``, its standard error ``se`` and ``level`` interval
    ``[ci_low, ci_high]`` (reference distribution with ``df`` degrees of
    freedom; ``inf`` = normal), the two-sided ``p`` of ``mu = 0``, the
    prediction interval ``[pi_low, pi_high]``, ``tau2``, ``i2`` (percent),
    Cochran's ``q`` and the methods used."""

    k: int
    clusters: int
    mu: float
    se: float
    ci_low: float
    ci_high: float
    df: float
    p: float
    pi_low: float
    pi_high: float
    tau2: float
    i2: float
    q: float
    tau2_method: str
    interval: str
    level: float

    @property
    def tau(self) -> float:
        return math.sqrt(self.tau2) if np.isfinite(self.tau2) else math.nan

    def as_dict(self) -> dict[str, float | int | str]:
        return {**asdict(self), "tau": self.tau}


def _nan_pooled(k: int, clusters: int, tau2_method: str, interval: str,
                level: float) -> Pooled:
    nan = math.nan
    return Pooled(k, clusters, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan,
                  tau2_method, interval, level)


def clean(y: Sequence[float] | np.ndarray, v: Sequence[float] | np.ndarray,
          *others: np.ndarray) -> tuple[np.ndarray, ...]:
    """The estimates that can be pooled: finite ``y`` with finite ``v > 0``
    (and the matching entries of ``others``)."""
    y, v = np.asarray(y, dtype=float), np.asarray(v, dtype=float)
    if y.shape != v.shape:
        raise InputError(f"meta-analysis: {y.size} estimates but {v.size} variances")
    ok = np.isfinite(y) & np.isfinite(v) & (v > 0)
    return (y[ok], v[ok], *(np.asarray(o)[ok] for o in others))


def cochran_q(y: np.ndarray, v: np.ndarray) -> float:
    """``Q = sum w_i (y_i - y_FE)^2``, ``w_i = 1 / v_i``, ``y_FE = sum w_i y_i / sum w_i``.

    >>> cochran_q(np.array([0.0, 2.0]), np.array([1.0, 1.0]))   # 1 + 1
    2.0
    """
    w = 1.0 / v
    fixed = float((w * y).sum() / w.sum())
    return float((w * (y - fixed) ** 2).sum())


def tau2_dl(y: np.ndarray, v: np.ndarray) -> float:
    """DerSimonian-Laird: ``tau^2 = max(0, (Q - (k - 1)) / C)``,
    ``C = sum w_i - sum w_i^2 / sum w_i`` (``w_i = 1 / v_i``).

    >>> tau2_dl(np.array([1.0, 3.0]), np.array([1.0, 1.0]))   # Q = 2, C = 1
    1.0
    """
    k = len(y)
    if k < 2:
        return 0.0
    w = 1.0 / v
    c = float(w.sum() - (w ** 2).sum() / w.sum())
    return max(0.0, (cochran_q(y, v) - (k - 1)) / c) if c > 0 else 0.0


def _weighted(y: np.ndarray, v: np.ndarray, tau2: float) -> tuple[np.ndarray, float]:
    w = 1.0 / (v + tau2)
    return w, float((w * y).sum() / w.sum())


def tau2_reml(y: np.ndarray, v: np.ndarray, tol: float = 1e-12, max_iter: int = 500) -> float:
    """Restricted maximum likelihood ``tau^2`` by Fisher scoring from the DL value.

    The REML log-likelihood ``l(t) = -1/2 [sum log(v_i + t) + log sum w_i +
    sum w_i (y_i - mu)^2]`` (``w_i = 1 / (v_i + t)``, ``mu`` its weighted mean)
    has score ``u = 1/2 [sum w_i^2 (y_i - mu)^2 - sum w_i + sum w_i^2 / sum w_i]``
    and expected information ``I = 1/2 tr(P^2)``, ``P = W - w w' / sum w``;
    each step is ``t + u / I``, halved while it would leave ``[0, inf)``;
    ``tau^2`` stays at 0 where the likelihood is largest there.
    """
    k = len(y)
    if k < 2:
        return 0.0
    t = tau2_dl(y, v)
    for _ in range(max_iter):
        w, mu = _weighted(y, v, t)
        sw, sw2 = w.sum(), (w ** 2).sum()
        score = 0.5 * ((w ** 2 * (y - mu) ** 2).sum() - sw + sw2 / sw)
        info = 0.5 * (sw2 - 2.0 * (w ** 3).sum() / sw + sw2 ** 2 / sw ** 2)
        step = score / info if info > 0 else 0.0
        new = t + step
        while new < 0 and step != 0:
            if t == 0:
                return 0.0  # the score points below the boundary: maximum at 0
            step /= 2.0
            new = t + step
        if abs(new - t) <= tol * max(1.0, t):
            return float(max(new, 0.0))
        t = new
    raise InputError(f"meta-analysis: REML tau^2 did not converge in {max_iter} steps")


def generalised_q(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    """``Q(tau^2) = sum w_i (y_i - mu)^2`` with ``w_i = 1 / (v_i + tau^2)``
    (decreasing in ``tau^2``; ``Q(0)`` is Cochran's Q)."""
    w, mu = _weighted(y, v, tau2)
    return float((w * (y - mu) ** 2).sum())


def tau2_pm(y: np.ndarray, v: np.ndarray) -> float:
    """Paule-Mandel: the ``tau^2 >= 0`` that solves ``Q(tau^2) = k - 1``
    (:func:`generalised_q`; 0 if ``Q(0) <= k - 1``), by Brent's method."""
    from scipy.optimize import brentq

    k = len(y)
    if k < 2 or generalised_q(y, v, 0.0) <= k - 1:
        return 0.0
    high = max(float(np.var(y)), 1e-12)
    while generalised_q(y, v, high) > k - 1:
        high *= 2.0
    return float(brentq(lambda t: generalised_q(y, v, t) - (k - 1), 0.0, high,
                        xtol=1e-14, rtol=1e-14))


TAU2: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "REML": tau2_reml, "DL": tau2_dl, "PM": tau2_pm,
}
"""Estimators of ``tau^2`` by name."""


def _check(tau2_method: str, interval: str | None, level: float) -> None:
    if tau2_method not in TAU2:
        raise InputError(f"unknown tau^2 estimator '{tau2_method}'; choose one of "
                         f"{list(TAU2_METHODS)}")
    if interval is not None and interval not in INTERVALS:
        raise InputError(f"unknown interval '{interval}'; choose one of {list(INTERVALS)}")
    if not 0 < level < 1:
        raise InputError(f"level must lie in (0, 1), got {level}")


def i_squared(v: np.ndarray, tau2: float) -> float:
    """``I^2 = 100 tau^2 / (tau^2 + s^2)`` with the typical within-estimate
    variance ``s^2 = (k - 1) sum w_i / ((sum w_i)^2 - sum w_i^2)``, ``w_i = 1 / v_i``.

    >>> i_squared(np.array([1.0, 1.0]), 1.0)   # s^2 = 1 * 2 / (4 - 2) = 1
    50.0
    """
    w = 1.0 / v
    den = w.sum() ** 2 - (w ** 2).sum()
    if len(v) < 2 or den <= 0:
        return math.nan
    s2 = (len(v) - 1) * w.sum() / den
    return float(100.0 * tau2 / (tau2 + s2))


def _quantile(df: float, level: float) -> float:
    from scipy import stats

    tail = 1.0 - (1.0 - level) / 2.0
    return float(stats.norm.ppf(tail) if math.isinf(df) else stats.t.ppf(tail, df))


def _p_value(mu: float, se: float, df: float) -> float:
    from scipy import stats

    if not (np.isfinite(se) and se > 0):
        return math.nan
    z = abs(mu) / se
    return float(2.0 * (stats.norm.sf(z) if math.isinf(df) else stats.t.sf(z, df)))


def _prediction(mu: float, se: float, tau2: float, units: int, level: float
                ) -> tuple[float, float]:
    if units < 3:
        return math.nan, math.nan
    half = _quantile(units - 2, level) * math.sqrt(tau2 + se ** 2)
    return mu - half, mu + half


def random_effects(y: Sequence[float] | np.ndarray, v: Sequence[float] | np.ndarray,
                   tau2_method: str = "REML", interval: str = "hksj",
                   level: float = 0.95) -> Pooled:
    """Pool estimates ``y`` with variances ``v`` (module docstring for the formulas).

    Entries with a non-finite ``y`` or ``v`` or with ``v <= 0`` are left out.
    One estimate gives its own value with ``se = sqrt(v)`` under ``z`` and
    NaN intervals otherwise; none gives NaN.

    >>> r = random_effects([1.0, 3.0], [1.0, 1.0], "DL", "hksj")
    >>> r.mu, r.tau2, r.se, r.df    # q = (1 + 1) / 2 / 1 = 1 -> se = sqrt(1 / 1)
    (2.0, 1.0, 1.0, 1.0)
    """
    _check(tau2_method, interval, level)
    y, v = clean(y, v)
    k = len(y)
    if k == 0:
        return _nan_pooled(0, 0, tau2_method, interval, level)
    tau2 = TAU2[tau2_method](y, v)
    w, mu = _weighted(y, v, tau2)
    q = cochran_q(y, v) if k > 1 else math.nan
    if interval == "z":
        se, df = float(w.sum() ** -0.5), math.inf
    elif k < 2:
        return Pooled(k, k, mu, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan,
                      math.nan, tau2, math.nan, q, tau2_method, interval, level)
    else:
        scale = float((w * (y - mu) ** 2).sum() / (k - 1))
        if interval == "hksj_floor":
            scale = max(1.0, scale)
        se, df = math.sqrt(scale / w.sum()), float(k - 1)
    half = _quantile(df, level) * se
    pi_low, pi_high = _prediction(mu, se, tau2, k, level)
    return Pooled(k, k, mu, se, mu - half, mu + half, df, _p_value(mu, se, df), pi_low, pi_high,
                  tau2, i_squared(v, tau2), q, tau2_method, interval, level)


def cluster_robust(y: Sequence[float] | np.ndarray, v: Sequence[float] | np.ndarray,
                   clusters: Sequence[object] | np.ndarray, tau2_method: str = "REML",
                   level: float = 0.95) -> Pooled:
    """Random-effects pooling with a cluster-robust standard error (estimates
    in one cluster may be correlated in any way).

    ``mu = sum w_i y_i / sum w_i`` with the random-effects weights ``w_i = 1 /
    (v_i + tau^2)`` (``tau^2`` from ``tau2_method``, ignoring the clusters),
    and the robust variance (Hedges, Tipton & Johnson 2010) with the CR1
    small-sample factor ``G / (G - 1)``:
    ``se^2 = G / (G - 1) * sum_g (sum_{i in g} w_i (y_i - mu))^2 / (sum_i w_i)^2``,
    interval ``mu +- t_{G-1} se`` over ``G`` clusters; the prediction
    interval takes ``t_{G-2}``. Undefined (NaN) with one cluster.

    Why this and not a random effect per base: pairs on one base share the
    base's scores, so their differences are positively correlated by an
    amount the data cannot pin down; a three-level model would have to
    estimate a between-base variance from the 2 bases of the exact tier (4
    of the version tier), which REML puts on its boundary. The robust
    variance needs no model of that correlation, and ``t_{G-1}`` makes the
    interval as wide as ``G`` independent units allow. With one estimate per
    cluster and equal weights it equals the HKSJ interval (both are then
    ``sqrt(sum (y_i - mu)^2 / (k (k - 1)))`` with ``t_{k-1}``).

    >>> r = cluster_robust([0.0, 2.0, 4.0], [1.0, 1.0, 1.0], ["a", "a", "b"], "DL")
    >>> r.clusters, r.df
    (2, 1.0)
    """
    _check(tau2_method, None, level)
    y, v, groups = clean(y, v, np.asarray(clusters, dtype=object))
    k = len(y)
    labels, codes = np.unique(groups.astype(str), return_inverse=True)
    g = len(labels)
    if k == 0:
        return _nan_pooled(0, 0, tau2_method, "cluster_robust", level)
    tau2 = TAU2[tau2_method](y, v)
    w, mu = _weighted(y, v, tau2)
    q = cochran_q(y, v) if k > 1 else math.nan
    if g < 2:
        return Pooled(k, g, mu, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan,
                      math.nan, tau2, i_squared(v, tau2) if k > 1 else math.nan, q,
                      tau2_method, "cluster_robust", level)
    per_cluster = np.bincount(codes, weights=w * (y - mu), minlength=g)
    se = math.sqrt(g / (g - 1) * float((per_cluster ** 2).sum()) / float(w.sum()) ** 2)
    df = float(g - 1)
    half = _quantile(df, level) * se
    pi_low, pi_high = _prediction(mu, se, tau2, g, level)
    return Pooled(k, g, mu, se, mu - half, mu + half, df, _p_value(mu, se, df), pi_low, pi_high,
                  tau2, i_squared(v, tau2) if k > 1 else math.nan, q, tau2_method,
                  "cluster_robust", level)


# --------------------------------------------------------------------------
# Multiple comparisons.
# --------------------------------------------------------------------------

ADJUSTMENTS: tuple[str, ...] = ("holm", "bh", "none")
"""Multiplicity adjustments of :func:`adjust`, the default first."""


def adjust(p: Sequence[float] | np.ndarray, method: str = "holm") -> np.ndarray:
    """Adjusted p-values over the finite entries of ``p`` (NaN stays NaN).

    ``holm`` (Holm 1979; controls the family-wise error rate): with the ``m``
    p-values sorted, ``p~_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))``.
    ``bh`` (Benjamini & Hochberg 1995; controls the false discovery rate):
    ``p~_(i) = min_{j >= i} min(1, m p_(j) / j)``. ``none``: ``p`` itself.

    >>> adjust([0.01, 0.04, 0.03], "holm").round(3).tolist()   # 3*.01, max(.06, 2*.03), 1*.04
    [0.03, 0.06, 0.06]
    >>> adjust([0.01, 0.04, 0.03], "bh").round(3).tolist()     # 3*.01/1, 3*.03/2, 3*.04/3
    [0.03, 0.04, 0.04]
    """
    p = np.asarray(p, dtype=float)
    if method not in ADJUSTMENTS:
        raise InputError(f"unknown adjustment '{method}'; choose one of {list(ADJUSTMENTS)}")
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    m = int(ok.sum())
    if method == "none" or m == 0:
        out[ok] = p[ok]
        return out
    order = np.argsort(p[ok], kind="stable")
    ranked = p[ok][order]
    i = np.arange(1, m + 1)
    if method == "holm":
        adj = np.maximum.accumulate(np.minimum(1.0, (m - i + 1) * ranked))
    else:
        adj = np.minimum.accumulate(np.minimum(1.0, m * ranked / i)[::-1])[::-1]
    values = np.empty(m)
    values[order] = adj
    out[ok] = values
    return out
