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

Example
-------
>>> import numpy as np
>>> float(REGISTRY["FID"].map(np.array([25.0]))[0])  # 2/(1+e^-1)-1 = 0.4621...
46.21171572600098
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

Direction = Literal["higher", "lower"]
Family = Literal["sigmoid", "tanh", "wer", "ms-ssim", "mos"]


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
        SpecialMetric("PSNR", "tanh", "higher", 20.0),
        SpecialMetric("WER", "wer", "lower", None, ("WORD ERROR RATE",)),
        SpecialMetric("MS-SSIM", "ms-ssim", "higher", None, ("MSSSIM", "MS_SSIM")),
        SpecialMetric("MOS", "mos", "higher", None, ("MEAN OPINION SCORE",)),
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
