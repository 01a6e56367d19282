"""Per-cell synergy rules: ``rule(scores, sota, tasks, **params) -> credit``.

``scores`` are the normalised model scores (models x tasks, NaN = not
supported), ``sota`` the normalised SoTA (tasks), ``tasks`` the tasks table
(a :class:`~glscore.core.table.Table`: ``tasks["modality"]`` is a numpy
array, ``tasks.to_frame()`` a pandas DataFrame);
the credit is per cell on 0-100 (0 = no synergy shown). ``strict`` is the
published rule; the others are relaxations. Every rule takes normalised
(0-100, higher-is-better) inputs; a cell whose score or SoTA is NaN earns 0
credit (``none`` only needs the score). Credit never exceeds the score, so
Level-3 <= Level-2 keeps holding.
"""

from __future__ import annotations

import numpy as np

from glscore.core import levels
from glscore.core.synergy.registry import register
from glscore.core.table import Table
from glscore.errors import InputError


@register("strict")
def strict(scores: np.ndarray, sota: np.ndarray, tasks: Table, *,
           wins: np.ndarray | None = None) -> np.ndarray:
    """The published rule: ``credit = score if score >= SoTA else 0`` (``wins``:
    the pass's winners mask, ``score >= SoTA`` where both are known, when it has
    one).

    >>> strict(np.array([[50.0, 40.0, np.nan]]), np.array([45.0, 45.0, 10.0]), None)
    array([[50.,  0.,  0.]])
    """
    return levels.strict_credit(scores, sota, wins)


@register("none")
def none(scores: np.ndarray, sota: np.ndarray, tasks: Table) -> np.ndarray:
    """No relaxation: every supported score counts (Level-3 equals Level-2).

    >>> none(np.array([[50.0, np.nan]]), np.array([60.0, 1.0]), None)
    array([[50.,  0.]])
    """
    out: np.ndarray = np.nan_to_num(scores, nan=0.0)
    return out


# --------------------------------------------------------------------------- relaxations


MAX_SCORE = 100.0
"""The top of the normalised 0-100 scale."""


def known(scores: np.ndarray, sota: np.ndarray) -> np.ndarray:
    """Cells where both the score and the task's SoTA are finite."""
    out: np.ndarray = np.isfinite(scores) & np.isfinite(sota)
    return out


def _relative_gap(scores: np.ndarray, sota: np.ndarray) -> np.ndarray:
    """``(score - SoTA) / SoTA``; for a SoTA of 0: ``+inf`` above it, 0 at it.

    >>> _relative_gap(np.array([[55.0, 5.0, 0.0]]), np.array([50.0, 0.0, 0.0]))
    array([[0.1, inf, 0. ]])
    """
    diff = scores - sota
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = diff / np.abs(sota)
    zero = sota == 0
    return np.where(zero, np.where(diff > 0, np.inf, np.where(diff < 0, -np.inf, 0.0)), gap)


def _logistic(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))`` without overflow warnings (``x = +-inf`` gives 1, 0)."""
    with np.errstate(over="ignore"):
        out: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return out


@register("margin")
def margin(scores: np.ndarray, sota: np.ndarray, tasks: Table,
           tau: float = 0.05) -> np.ndarray:
    """Win by a relative margin: ``credit = score if score >= min(SoTA (1 + tau), 100)
    else 0`` (threshold ``SoTA + tau |SoTA|``, capped at the top of the 0-100 scale).

    Why: a generalist that merely ties the specialist may be within
    measurement noise; ``tau > 0`` demands a clear win, ``tau < 0`` is a
    tolerance (a score within ``|tau|`` of the SoTA already counts). ``tau = 0``
    is ``strict``. No normalised score exceeds 100, so without the cap a task
    whose SoTA is above ``100 / (1 + tau)`` (every task with SoTA = 100) could
    never be won; capped, such a task is won by a perfect score only, as
    under ``strict`` when SoTA = 100.

    >>> margin(np.array([[52.0, 56.0, 48.0]]), np.array([50.0, 50.0, 50.0]), None, tau=0.1)
    array([[ 0., 56.,  0.]])
    >>> margin(np.array([[48.0]]), np.array([50.0]), None, tau=-0.05)
    array([[48.]])
    >>> margin(np.array([[100.0, 99.0]]), np.array([100.0, 95.0]), None, tau=0.1)
    array([[100.,   0.]])
    """
    threshold = sota + float(tau) * np.abs(sota)
    if tau > 0:
        threshold = np.minimum(threshold, MAX_SCORE)
    with np.errstate(invalid="ignore"):
        win = known(scores, sota) & (scores >= threshold)
    return np.where(win, scores, 0.0)


@register("soft")
def soft(scores: np.ndarray, sota: np.ndarray, tasks: Table,
         k: float = 10.0) -> np.ndarray:
    """No cliff at the SoTA: ``credit = score * logistic(k (score - SoTA) / SoTA)``.

    Why: under ``strict`` a score 0.01 below the SoTA earns nothing and one
    0.01 above earns everything, so tiny reporting differences move models
    between levels. Here credit grows smoothly: half the score at the SoTA,
    about 73% of it 10% above the SoTA with ``k = 10``; ``k -> inf`` tends to
    ``strict`` (except at equality). A SoTA of 0 gives the full score to any
    positive score.

    >>> soft(np.array([[50.0, 55.0]]), np.array([50.0, 50.0]), None, k=10).round(2)
    array([[25.  , 40.21]])
    """
    ok = known(scores, sota)
    with np.errstate(invalid="ignore", over="ignore"):  # a huge gap: weight 0 or 1
        weight = _logistic(float(k) * _relative_gap(scores, sota))
    return np.where(ok, scores * weight, 0.0)


@register("ratio")
def ratio(scores: np.ndarray, sota: np.ndarray, tasks: Table) -> np.ndarray:
    """Performance relative to the specialist: ``credit = score * min(1, score / SoTA)``.

    Why: drop the threshold altogether and credit how close a generalist
    comes to the specialist. At or above the SoTA the credit is the score
    (as in ``strict``); below it the score is scaled by the fraction of the
    SoTA reached, so 40 against a SoTA of 50 earns ``40 * 0.8 = 32``. A SoTA of
    0 counts as reached.

    >>> ratio(np.array([[40.0, 60.0, np.nan]]), np.array([50.0, 50.0, 50.0]), None)
    array([[32., 60.,  0.]])
    """
    ok = known(scores, sota)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        frac = np.where(scores >= sota, 1.0, scores / np.abs(sota))
    return np.where(ok, scores * np.clip(frac, 0.0, 1.0), 0.0)


@register("excess")
def excess(scores: np.ndarray, sota: np.ndarray, tasks: Table) -> np.ndarray:
    """Only the surplus counts: ``credit = min(max(score - SoTA, 0), max(score, 0))``.

    Why: the relaxation credits the whole score of a winning cell, although
    the specialist already reaches most of it; only the part beyond the
    specialist can be attributed to synergy. Level-3/4 become "how far
    beyond the specialists" rather than "how good where it wins". The surplus
    is capped at the score: it can exceed it only where the normalised SoTA is
    negative (``official`` reads a percent WER as a fraction, ``1 - x``), and
    credit above the score would break Level-3 <= Level-2.

    >>> excess(np.array([[60.0, 40.0, np.nan]]), np.array([50.0, 50.0, 10.0]), None)
    array([[10.,  0.,  0.]])
    >>> excess(np.array([[-300.0, 5.0]]), np.array([-400.0, -400.0]), None)
    array([[0., 5.]])
    """
    with np.errstate(invalid="ignore"):
        surplus = np.minimum(np.maximum(scores - sota, 0.0), np.maximum(scores, 0.0))
    return np.where(known(scores, sota), surplus, 0.0)


@register("noisy_sota")
def noisy_sota(scores: np.ndarray, sota: np.ndarray, tasks: Table,
               s: float = 2.0) -> np.ndarray:
    """The SoTA is a measurement: ``credit = score * Phi((score - SoTA) / s)``.

    Why: a published SoTA carries noise of a few points (seeds, test-set
    size). With ``SoTA + e``, ``e ~ N(0, s^2)`` (``s`` in normalised points),
    ``Phi((score - SoTA) / s)`` is the probability that the model truly beats
    it, and the credit is the score times that probability: half the score
    at equality, nearly all of it ``2 s`` above. ``s = 0`` is ``strict``.

    >>> noisy_sota(np.array([[50.0, 52.0]]), np.array([50.0, 50.0]), None, s=2).round(2)
    array([[25.  , 43.75]])
    """
    s = float(s)
    if s < 0:
        raise InputError(f"noisy_sota: s must be >= 0, got {s:g}")
    if s == 0:
        return strict(scores, sota, tasks)
    from scipy.special import ndtr

    ok = known(scores, sota)
    with np.errstate(invalid="ignore"):
        prob = ndtr((scores - sota) / s)
    return np.where(ok, scores * prob, 0.0)


