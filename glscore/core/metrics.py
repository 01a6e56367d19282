"""Special metrics and their mapping onto a 0-100, higher-is-better scale.

General-Level averages scores of very different metrics, so the paper
(Appendix A.1) maps every metric that is not already a higher-is-better
percentage onto ``[0, 100]`` as ``y * 100`` with

========================  =========================================  ==========
family                    mapping ``y(x)``                           metrics
========================  =========================================  ==========
lower is better           ``2 / (1 + exp(-T / x)) - 1``              MAE, RMS, MSE, RMSE, AbsRel, EPE,
                                                                     FID, FVD, FAD, SAD, RTE, CD, MCD
PSNR                      ``tanh(x / 20)``                           PSNR
WER                       ``1 - x`` (x a fraction)                   WER
MS-SSIM                   ``(x + 1) / 2``                            MS-SSIM
MOS                       ``(x - 1) / 4``                            MOS
========================  =========================================  ==========

with the temperatures ``T``: MAE 50, RMS 50, MSE 5, RMSE 5, AbsRel 0.1,
EPE 1, FID 25, FVD 100, FAD 10, SAD 10, RTE 0.5, CD 1, MCD 5.

Two ways of recognising a metric exist, because the reference scorer and the
paper disagree (see :mod:`glscore.core.profiles`):

* :func:`match_exact` -- the reference scorer's rule: the upper-cased printed
  name must equal a registry name (``"CD (Chamfer Distance)"`` escapes).
* :func:`match_alias` -- the paper's semantics: the name before any
  parenthesis, upper-cased, looked up among names and aliases.

Value domains
-------------
Every metric has a :class:`Domain`: the values its definition allows, in the
unit the benchmark prints it (:func:`domain_of`). A value or SoTA outside it
is a unit mistake (an MS-SSIM of 95 is 0.95 written in percent; a MOS of 75
is a 0-100 rating), and is rejected with a hint before anything is scored:

============================  ==========  =============================================
metrics                       domain      why
============================  ==========  =============================================
errors and distances (MAE,    >= 0        a norm or a count; the paper's map needs x > 0
RMSE, FID, FVD, CD, EPE, ...)
PSNR                          >= 0 dB     ``10 log10(MAX^2 / MSE)``, MSE <= MAX^2 for
                                          signals within range
WER                           0-100 %     percent, as the paper prints it (``1 - x/100``
                                          maps 100% to 0; more errors than words cannot
                                          be placed on the 0-100 scale)
MS-SSIM                       -1 to 1     a product of SSIM terms; ``(x + 1) / 2`` maps
                                          -1..1 onto 0..1
MOS                           1 to 5      the opinion scale; ``(x - 1) / 4``
CIDEr                         0-1000      CIDEr-D x 100, each sentence's score capped at 10
correlations (PCC, SRCC,      -100 to 100 a correlation x 100
Pearson, Spearman, Kendall)
every other metric            0-100       accuracies, F1, BLEU, ROUGE, CLIP-like
                                          similarities x 100, ...: General-Level averages
                                          them as 0-100 scores
============================  ==========  =============================================

The paper's own data keep within these domains (``tests/test_value_domains.py``
checks every SoTA and every value of ``data/``).

Example
-------
>>> import numpy as np
>>> float(REGISTRY["FID"].map(np.array([25.0]))[0])  # 2/(1+e^-1)-1 = 0.4621...
46.21171572600098
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from glscore.errors import plain

Direction = Literal["higher", "lower"]
Family = Literal["sigmoid", "tanh", "wer", "ms-ssim", "mos"]


@dataclass(frozen=True)
class Domain:
    """The values a metric can take, in the unit the benchmark prints it.

    ``low``/``high`` are inclusive bounds (``inf`` for none); ``unit`` names it
    in messages; ``hint_high``/``hint_low`` say what a value beyond the bound
    usually is; ``percent_like``: a plain score on 0-100 (or a multiple of
    one), which ``--scale fraction`` multiplies by 100.

    >>> MS_SSIM_DOMAIN.describe()
    '-1 to 1'
    >>> [bool(b) for b in MS_SSIM_DOMAIN.outside(np.array([0.5, 95.0, np.nan]))]
    [False, True, False]
    """

    low: float
    high: float
    unit: str
    hint_high: str = ""
    hint_low: str = ""
    percent_like: bool = False

    def describe(self) -> str:
        """``"0 to 100"``, ``">= 0"``, ``"-1 to 1"``."""
        if self.high == math.inf:
            return f">= {_number(self.low)}"
        return f"{_number(self.low)} to {_number(self.high)}"

    def outside(self, values: np.ndarray) -> np.ndarray:
        """Cells outside the domain (NaN, "not supported", never is)."""
        x = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            out: np.ndarray = (x < self.low) | (x > self.high)
        return out

    def reason(self, value: float, metric: str) -> str:
        """Why ``value`` of ``metric`` is refused: the domain and the hint."""
        hint = self.hint_high if value > self.high else self.hint_low
        return (f"{metric} value {plain(value)} is outside its domain {self.describe()} "
                f"({self.unit}){': ' + hint if hint else ''}")


def _number(value: float) -> str:
    """``100.0`` -> ``"100"``, ``0.5`` -> ``"0.5"``."""
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


#: Errors and distances: a norm, a count or a divergence, never negative.
DISTANCE_DOMAIN = Domain(0.0, math.inf, "an error or distance",
                         hint_low="an error or a distance cannot be negative")
PSNR_DOMAIN = Domain(0.0, math.inf, "decibels",
                     hint_low="PSNR in dB is >= 0 for signals within their range")
WER_DOMAIN = Domain(0.0, 100.0, "percent",
                    hint_high="WER is read in percent (0-100) and 1 - x/100 cannot place more "
                              "errors than words on the 0-100 scale",
                    hint_low="an error rate cannot be negative", percent_like=True)
MS_SSIM_DOMAIN = Domain(-1.0, 1.0, "a similarity of at most 1",
                        hint_high="MS-SSIM is at most 1: did you write percent? (write 0.95 "
                                  "for 95%)")
MOS_DOMAIN = Domain(1.0, 5.0, "a mean opinion score on 1-5",
                    hint_high="MOS is on 1-5: did you write a 0-100 or 0-10 rating? (rescale "
                              "it to 1-5)",
                    hint_low="MOS is on 1-5: did you write a 0-4 or 0-1 rating?")
#: Every metric that is not special: a 0-100 score General-Level averages as it is.
PLAIN_DOMAIN = Domain(0.0, 100.0, "a 0-100 score",
                      hint_high="a plain metric is averaged as a 0-100 score: is the value "
                                "per mille, a count, or a metric on another scale?",
                      hint_low="a 0-100 score cannot be negative", percent_like=True)
CIDER_DOMAIN = Domain(0.0, 1000.0, "CIDEr x 100",
                      hint_low="CIDEr cannot be negative", percent_like=True)
CORRELATION_DOMAIN = Domain(-100.0, 100.0, "a correlation x 100",
                            hint_high="a correlation x 100 lies within -100..100",
                            hint_low="a correlation x 100 lies within -100..100",
                            percent_like=True)
#: Plain metrics whose definition allows another range (name before any parenthesis,
#: upper-cased; see the module docstring).
PLAIN_DOMAINS: dict[str, Domain] = {
    "CIDER": CIDER_DOMAIN, "CIDER-D": CIDER_DOMAIN,
    **{name: CORRELATION_DOMAIN for name in (
        "PCC", "SRCC", "PLCC", "KRCC", "PEARSON", "SPEARMAN", "KENDALL", "PEARSON CORRELATION",
        "SPEARMAN CORRELATION")},
}


@dataclass(frozen=True)
class SpecialMetric:
    """One special metric: its name, aliases, direction and mapping family.

    ``temperature`` is ``T`` of the sigmoid family (and 20 for PSNR's
    ``tanh(x / 20)``); ``None`` for the affine families.
    """

    name: str
    family: Family
    direction: Direction
    temperature: float | None = None
    aliases: tuple[str, ...] = ()
    domain: Domain = DISTANCE_DOMAIN

    def map(self, values: np.ndarray, *, wer_percent: bool = False) -> np.ndarray:
        """Map raw values onto 0-100 (``y * 100``); NaN stays NaN.

        ``wer_percent`` reads WER as a percentage: ``y = 1 - x / 100``.
        Domain checks are the caller's job (see :mod:`glscore.core.normalise`).
        """
        x = np.asarray(values, dtype=float)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            match self.family:
                case "sigmoid":
                    y = 2.0 / (1.0 + np.exp(-self._temperature / x)) - 1.0
                case "tanh":
                    y = np.tanh(x / self._temperature)
                case "wer":
                    y = 1.0 - (x / 100.0 if wer_percent else x)
                case "ms-ssim":
                    y = (x + 1.0) / 2.0
                case "mos":
                    y = (x - 1.0) / 4.0
                case _:
                    raise ValueError(f"special metric {self.name}: unknown family "
                                     f"{self.family!r}")
        out: np.ndarray = y * 100.0
        return out

    @property
    def _temperature(self) -> float:
        if self.temperature is None:
            raise ValueError(f"special metric {self.name}: family {self.family} needs a "
                             "temperature")
        return self.temperature


def _lower(name: str, t: float, *aliases: str) -> SpecialMetric:
    return SpecialMetric(name, "sigmoid", "lower", t, tuple(aliases))


#: Every special metric of the paper's Appendix A.1, keyed by canonical name.
REGISTRY: dict[str, SpecialMetric] = {
    m.name: m
    for m in (
        _lower("MAE", 50.0, "MEAN ABSOLUTE ERROR"),
        _lower("RMS", 50.0),
        _lower("MSE", 5.0, "MEAN SQUARED ERROR"),
        _lower("RMSE", 5.0, "ROOT MEAN SQUARED ERROR"),
        _lower("ABSREL", 0.1, "ABS REL", "ABS_REL"),
        _lower("EPE", 1.0, "END-POINT ERROR"),
        _lower("FID", 25.0),
        _lower("FVD", 100.0),
        _lower("FAD", 10.0),
        _lower("SAD", 10.0),
        _lower("RTE", 0.5, "RELATIVE TRANSLATION ERROR"),
        _lower("CD", 1.0, "CHAMFER DISTANCE"),
        _lower("MCD", 5.0),
        SpecialMetric("PSNR", "tanh", "higher", 20.0, domain=PSNR_DOMAIN),
        SpecialMetric("WER", "wer", "lower", None, ("WORD ERROR RATE",), WER_DOMAIN),
        SpecialMetric("MS-SSIM", "ms-ssim", "higher", None, ("MSSSIM", "MS_SSIM"),
                      MS_SSIM_DOMAIN),
        SpecialMetric("MOS", "mos", "higher", None, ("MEAN OPINION SCORE",), MOS_DOMAIN),
    )
}

_ALIASES: dict[str, str] = {
    alias: m.name for m in REGISTRY.values() for alias in (m.name, *m.aliases)
}
_PAREN = re.compile(r"\s*\(.*$")


def match_exact(printed: object) -> SpecialMetric | None:
    """The reference scorer's rule: ``printed.upper()`` equals a registry name.

    >>> match_exact("absRel").name
    'ABSREL'
    >>> match_exact("CD (Chamfer Distance)") is None
    True
    """
    if not isinstance(printed, str):
        return None
    return REGISTRY.get(printed.upper())


def match_alias(printed: object) -> SpecialMetric | None:
    """The paper's semantics: the name before any parenthesis, or an alias.

    >>> match_alias("CD (Chamfer Distance)").name
    'CD'
    >>> match_alias("RTE ( Relative Translation Error)").name
    'RTE'
    >>> match_alias("Acc") is None
    True
    """
    if not isinstance(printed, str):
        return None
    key = " ".join(_PAREN.sub("", printed).split()).upper()
    name = _ALIASES.get(key)
    return REGISTRY[name] if name else None


def domain_of(printed: object) -> Domain:
    """The :class:`Domain` of a printed metric name: a special metric's (by
    :func:`match_alias`), a plain metric's from :data:`PLAIN_DOMAINS`, else
    :data:`PLAIN_DOMAIN` (0-100).

    >>> domain_of("MS-SSIM").describe(), domain_of("Acc").describe(), domain_of("FID").describe()
    ('-1 to 1', '0 to 100', '>= 0')
    """
    special = match_alias(printed)
    if special is not None:
        return special.domain
    key = " ".join(_PAREN.sub("", str(printed)).split()).upper()
    return PLAIN_DOMAINS.get(key, PLAIN_DOMAIN)


def domain_bounds(printed: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """Per metric of ``printed``, the low and high bound of its domain (one
    lookup per distinct name)."""
    found = {m: domain_of(m) for m in dict.fromkeys(printed)}
    low = np.array([found[m].low for m in printed], dtype=float)
    high = np.array([found[m].high for m in printed], dtype=float)
    return low, high


def first_outside(values: np.ndarray, printed: Sequence[object]) -> tuple[int, int] | None:
    """``(row, column)`` of the first cell (row-major) of ``values`` (rows x metrics)
    outside its metric's domain, or ``None``; one vectorised scan."""
    x = np.asarray(values, dtype=float).reshape(-1, len(printed))
    return first_outside_bounds(x, *domain_bounds(printed))


def first_outside_bounds(x: np.ndarray, low: np.ndarray, high: np.ndarray
                         ) -> tuple[int, int] | None:
    """``(row, column)`` of the first cell (row-major) of ``x`` (rows x columns)
    outside ``[low, high]`` of its column (NaN is never outside), or ``None``
    (the bounds of :func:`domain_bounds`, decided once by a caller that keeps them)."""
    with np.errstate(invalid="ignore"):
        bad = (x < low) | (x > high)
    if not bad.any():
        return None
    i, j = (int(k[0]) for k in np.nonzero(bad))
    return i, j
