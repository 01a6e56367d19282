"""General-Level aggregation: Level-2 to Level-5 and the level reached.

Pure, vectorised functions over a models x tasks matrix. For a modality
``m`` with comprehension tasks ``C`` and generation tasks ``G``:

* a group mean sums the supported values and divides by the number of tasks
  in the group (unsupported tasks count as 0):
  ``mean_C = sum_{t in C} s_t / |C|``;
* Level-2 ``= (mean_C(score) + mean_G(score)) / 2``;
* Level-3 ``= (mean_C(credit) + mean_G(credit)) / 2`` where ``credit`` is the
  synergy rule's output (published: the score where it is >= SoTA, else 0);
* Level-4 ``= 2 C3 G3 / (C3 + G3 + eps)``, the harmonic mean of Level-3's two
  halves (0 when either is 0);
* overall Level-k ``=`` mean over the modalities;
* Level-5 ``=`` overall Level-4 ``* S_L / 100``, ``S_L = sum_{t in NLP} credit_t / |NLP|``;
* the level reached is the highest k in 2..5 whose score is non-zero (1 if none).
"""

from __future__ import annotations

import numpy as np


def group_mean(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per-model mean over the tasks in ``mask``, NaN counted as 0.

    ``sum_{t in mask} values[:, t] / |mask|``; 0 for an empty group.

    >>> group_mean(np.array([[10.0, np.nan, 50.0]]), np.array([True, True, False]))
    array([5.])
    """
    mask = np.asarray(mask, dtype=bool)
    n = int(mask.sum())
    if n == 0:
        return np.zeros(values.shape[0])
    return np.nan_to_num(values[:, mask], nan=0.0).sum(axis=1) / n


def group_means(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Means over several task groups at once (``groups``: tasks x groups, bool).

    Equivalent to ``group_mean`` column by column, as one matrix product.

    >>> group_means(np.array([[10.0, 20.0, 60.0]]), np.array([[1, 0], [1, 0], [0, 1]], bool))
    array([[15., 60.]])
    """
    weights = np.asarray(groups, dtype=float)
    counts = weights.sum(axis=0)
    safe = np.where(counts > 0, counts, 1.0)
    return np.nan_to_num(values, nan=0.0) @ (weights / safe)


def level2(comp: np.ndarray, gen: np.ndarray) -> np.ndarray:
    """Level-2 of a modality: ``(mean_C + mean_G) / 2``.

    >>> level2(np.array([40.0]), np.array([20.0]))
    array([30.])
    """
    return (comp + gen) / 2.0


def level3(comp_credit: np.ndarray, gen_credit: np.ndarray) -> np.ndarray:
    """Level-3 of a modality: ``(mean_C(credit) + mean_G(credit)) / 2``."""
    return (comp_credit + gen_credit) / 2.0


def level4(comp_credit: np.ndarray, gen_credit: np.ndarray, eps: float = 0.0,
           mean: str = "harmonic") -> np.ndarray:
    """Level-4 of a modality from Level-3's halves, 0 if either half is 0.

    harmonic (published): ``2 C G / (C + G + eps)``; geometric:
    ``sqrt(C G)``; arithmetic: ``(C + G) / 2``.

    >>> level4(np.array([60.0, 10.0]), np.array([20.0, 0.0]))
    array([30.,  0.])
    """
    c, g = np.asarray(comp_credit, float), np.asarray(gen_credit, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if mean == "harmonic":
            value = 2.0 * c * g / (c + g + eps)
        elif mean == "geometric":
            value = np.sqrt(c * g)
        elif mean == "arithmetic":
            value = (c + g) / 2.0
        else:
            raise ValueError(f"unknown Level-4 mean '{mean}'")
    return np.where((c == 0) | (g == 0), 0.0, value)


def level5(overall_level4: np.ndarray, nlp_credit_mean: np.ndarray) -> np.ndarray:
    """Level-5: ``Level-4 * S_L / 100`` with ``S_L`` the NLP credit mean.

    >>> level5(np.array([20.0]), np.array([50.0]))
    array([10.])
    """
    return overall_level4 * nlp_credit_mean / 100.0


def level_reached(l2: np.ndarray, l3: np.ndarray, l4: np.ndarray, l5: np.ndarray) -> np.ndarray:
    """The highest k in 2..5 whose score is non-zero; 1 where all are 0.

    >>> level_reached(np.array([5.0, 5.0, 0.0]), np.array([0.0, 2.0, 0.0]),
    ...               np.zeros(3), np.zeros(3))
    array([2, 3, 1])
    """
    stacked = np.stack([l2, l3, l4, l5], axis=1) != 0
    highest = np.where(stacked.any(axis=1), 3 - np.argmax(stacked[:, ::-1], axis=1), -1)
    return (highest + 2).astype(int)
