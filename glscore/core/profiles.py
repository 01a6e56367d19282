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

import math
from dataclasses import dataclass, fields, replace
from functools import cache
from numbers import Real
from typing import Literal, get_args, get_origin, get_type_hints

from glscore.errors import InputError, did_you_mean


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
        for f in fields(self):
            check_field(self.name, f.name, getattr(self, f.name))

    def with_options(self, **changes: object) -> Profile:
        """A copy with some attributes changed (the name says so).

        Every value is checked (:func:`check_field`); an unknown option or a
        bad value is an :class:`InputError`. Options given their current
        value change nothing.

        >>> PAPER.with_options(aggregation="pooled").name
        'paper[aggregation=pooled]'
        >>> PAPER.with_options(metric_matching="Alias")
        Traceback (most recent call last):
        ...
        glscore.errors.InputError: profile 'paper': metric_matching 'Alias' is not one of ['exact', 'alias'] (did you mean 'alias'?)
        """
        options = [f.name for f in fields(self) if f.name != "name"]
        for key, value in changes.items():
            if key not in options:
                raise InputError(f"profile '{self.name}': unknown option '{key}'"
                                 f"{did_you_mean(key, options, 1)}; options: {options}")
            check_field(self.name, key, value)
        changes = {k: v for k, v in changes.items() if v != getattr(self, k)}
        if not changes:
            return self
        suffix = ",".join(f"{k}={v}" for k, v in sorted(changes.items()))
        return replace(self, name=f"{self.name}[{suffix}]", **changes)  # type: ignore[arg-type]


@cache
def _field_types() -> dict[str, object]:
    """The (resolved) type annotation of every :class:`Profile` field."""
    return dict(get_type_hints(Profile))


def field_choices(name: str) -> tuple[str, ...] | None:
    """The choices of a ``Literal`` field of :class:`Profile` (``None`` otherwise).

    >>> field_choices("nlp_mode")
    ('official', 'normalised')
    """
    kind = _field_types()[name]
    return tuple(get_args(kind)) if get_origin(kind) is Literal else None


def check_field(profile: str, name: str, value: object) -> None:
    """An :class:`InputError` unless ``value`` fits the type of the field ``name``:
    one of the choices of a ``Literal``, a ``bool`` for a flag, a finite number
    >= 0 for a number, a non-empty string for a string."""
    kind = _field_types()[name]
    where = f"profile '{profile}': {name}"
    choices = field_choices(name)
    if choices is not None:
        if not isinstance(value, str) or value not in choices:
            raise InputError(f"{where} {value!r} is not one of {list(choices)}"
                             f"{did_you_mean(value, choices, 1)}")
    elif kind is bool:
        if not isinstance(value, bool):
            raise InputError(f"{where} {value!r} is not a bool (True or False)")
    elif kind is float:
        if (isinstance(value, bool) or not isinstance(value, Real)
                or not math.isfinite(float(value)) or float(value) < 0):
            raise InputError(f"{where} {value!r} is not a finite number >= 0")
    elif kind is str:
        if not isinstance(value, str) or not value:
            raise InputError(f"{where} {value!r} is not a non-empty string")
    else:
        raise InputError(f"{where}: no check for the type {kind!r}")


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
