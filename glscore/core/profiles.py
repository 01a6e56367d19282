"""Named, frozen scoring configurations.

``paper`` (the default) is General-Level as the paper defines it, with
consistent metric semantics. ``official`` reproduces what the reference
implementation (``ranker.py`` of path2generalist/General-Level, commit
420b8eb) computes on the same workbooks, quirks included:

========================================  ==================================  ===========================
aspect                                    ``official``                        ``paper``
========================================  ==================================  ===========================
which metrics are mapped                  ``metric.upper()`` equals a special  name before ``(`` or an
                                          metric's name exactly: ``CD (..)``   alias: ``CD (..)`` is CD,
                                          and ``RTE (..)`` stay raw            ``RTE (..)`` is RTE
missing value of a mapped metric          ``0.0`` (counts as supported)        missing
zero value of a mapped metric             ``0.0``                              error if lower-is-better
WER                                       ``1 - x`` on the value as given      ``1 - x / 100`` (percent)
Level-4                                   ``2CG / (C + G + 1e-6)``             ``2CG / (C + G)``
overall Level-2..4                        mean over modalities present in      mean over the four
                                          the workbook                         modalities
NLP in Level-5                            raw scores; the model's RMSE value   mapped like the other
                                          becomes ``(2/(1+e^(-5/x)) - 1)*100`` sheets (RMSE on both
                                          while the SoTA stays raw             sides)
supported count (reporting only)          both values valid and non-zero      model value present
a win (``win_test``)                      normalised ``score >= SoTA``: a      the raw value at least as
                                          worse raw value that the map         good as the raw SoTA in the
                                          saturates to the SoTA's 100 wins     metric's direction
                                          (``"normalised"``)                   (``"raw"``)
========================================  ==================================  ===========================

Both compare with the ``strict`` synergy rule (score >= SoTA) unless another
rule is given, and both aggregate per modality unless ``pooled`` is asked.

``win_test``: a saturating map (FID 0.6 and a SoTA of 0.23 both give
``2 / (1 + e^(-25/x)) - 1 = 1.0`` in floating point) makes a worse raw value
tie with the SoTA after normalisation. Under ``"raw"`` the normalisation
places such a cell strictly below the normalised SoTA (the largest float
below it, :func:`glscore.core.normalise.normalise`), so every synergy rule,
given the same normalised inputs as before, sees it as not beating the SoTA;
the metric's direction is the special-metric registry's (the direction the
map itself assumes). Under ``"normalised"`` the tie wins, as in the
reference scorer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from glscore.core.vocabulary import CHOICES, check_choice
from glscore.errors import InputError


@dataclass(frozen=True)
class Profile:
    """A scoring configuration; see the module docstring for the two presets.

    Attributes:
        name: the profile's name.
        metric_matching: ``"exact"`` (reference) or ``"alias"`` (paper).
        wer_percent: read WER as a percentage (``y = 1 - x/100``).
        missing_special_as_zero: a missing value of a mapped metric becomes 0.0.
        level4_epsilon: ``epsilon`` in ``2CG / (C + G + epsilon)``.
        overall_over: ``"present"`` modalities of the source or ``"all"`` four.
        nlp_mode: ``"official"`` (raw NLP, RMSE quirk) or ``"normalised"``.
        supported_count: ``"official"`` (valid and non-zero) or ``"present"``.
        rule: default synergy rule name.
        aggregation: ``"per_modality"`` (published) or ``"pooled"``.
        level4_mean: ``"harmonic"`` (published), ``"geometric"`` or ``"arithmetic"``.
        win_test: ``"normalised"`` (reference: normalised ``score >= SoTA``, a
            saturated tie wins) or ``"raw"`` (paper: the raw value decides, in the
            metric's direction).
    """

    name: str
    metric_matching: Literal["exact", "alias"]
    wer_percent: bool
    missing_special_as_zero: bool
    level4_epsilon: float
    overall_over: Literal["present", "all"]
    nlp_mode: Literal["official", "normalised"]
    supported_count: Literal["official", "present"]
    rule: str = "strict"
    aggregation: Literal["per_modality", "pooled"] = "per_modality"
    level4_mean: Literal["harmonic", "geometric", "arithmetic"] = "harmonic"
    win_test: Literal["normalised", "raw"] = "normalised"

    def __post_init__(self) -> None:
        """Every option with a vocabulary (``core.vocabulary.CHOICES``) holds one of its values."""
        for key in CHOICES:
            if hasattr(self, key):
                check_choice(key, getattr(self, key))

    def with_options(self, **changes: Any) -> Profile:
        """A copy with some attributes changed (the name says so); option values
        are checked by :meth:`__post_init__`."""
        if not changes:
            return self
        suffix = ",".join(f"{k}={v}" for k, v in sorted(changes.items()))
        return replace(self, name=f"{self.name}[{suffix}]", **changes)


OFFICIAL = Profile(
    name="official",
    metric_matching="exact",
    wer_percent=False,
    missing_special_as_zero=True,
    level4_epsilon=1e-6,
    overall_over="present",
    nlp_mode="official",
    supported_count="official",
)

PAPER = Profile(
    name="paper",
    metric_matching="alias",
    wer_percent=True,
    missing_special_as_zero=False,
    level4_epsilon=0.0,
    overall_over="all",
    nlp_mode="normalised",
    supported_count="present",
    win_test="raw",
)

PROFILES: dict[str, Profile] = {p.name: p for p in (PAPER, OFFICIAL)}
DEFAULT_PROFILE = "paper"


def get_profile(profile: str | Profile) -> Profile:
    """A profile by name (or the profile itself); unknown names are an error."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise InputError(
            f"unknown profile '{profile}'; choose one of {sorted(PROFILES)}"
        ) from None
