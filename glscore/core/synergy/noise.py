"""The noise model of a measurement, as context rules use it.

A task's noise (SD in normalised points) is binomial-shaped:
``sigma = c * sqrt(x (100 - x))``, small near 0 and 100, largest at 50
(:mod:`glscore.analysis.noise` shows and fits it on the paper's repeated
cells). The scale ``c`` is a parameter of the rule that uses it
(``noise_margin(c=...)``); its default is :data:`PAPER_NOISE_SCALE`.
"""

from __future__ import annotations

import numpy as np

#: The noise scale ``c`` measured on the paper's own results: the robust
#: (median-based) estimate from the repeat measurements of one model that
#: :mod:`glscore.analysis.floor` accepts, fitted by
#: :func:`glscore.analysis.noise.measured_noise_scale` (``c = median |r| /
#: Phi^-1(0.75)`` of the standardised differences ``r = (a - b) / sqrt(2 m
#: (100 - m))``). A constant here, so that the core reads no data;
#: ``tests/test_paper_noise_scale.py`` checks that it is still what the
#: analysis estimates. Written at full precision, so that ``noise_margin``
#: scores the paper data exactly as with the estimate itself.
PAPER_NOISE_SCALE = 0.050323704208479786


def binomial_noise(values: np.ndarray, c: float) -> np.ndarray:
    """The noise (SD, normalised points) of one measurement at ``values``:
    ``sigma = c * sqrt(x (100 - x))`` (0 outside [0, 100], NaN stays NaN).

    >>> binomial_noise(np.array([50.0, 90.0, np.nan]), 0.1)
    array([ 5.,  3., nan])
    """
    x = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        out: np.ndarray = float(c) * np.sqrt(np.clip(x * (100.0 - x), 0.0, None))
    return out
