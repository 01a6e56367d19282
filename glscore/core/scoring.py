"""Score a benchmark: normalise, apply a synergy rule, aggregate into levels.

>>> from glscore import load_paper, score            # doctest: +SKIP
>>> scores = score(load_paper(), profile="paper")   # doctest: +SKIP
>>> scores.overall().head()                         # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from glscore.core import levels
from glscore.core.benchmark import MODALITIES, Benchmark
from glscore.core.normalise import Normalised, normalise
from glscore.core.profiles import Profile, get_profile
from glscore.core.synergy import Context, Rule, resolve
from glscore.errors import InputError

LEVEL_COLUMNS = ("level2", "level3", "level4", "level5")


@dataclass(frozen=True)
class Scores:
    """Every number General-Level computes for a set of models.

    Per modality (models x modalities): the comprehension/generation means
    of scores (``comp2``, ``gen2``) and of credit (``comp3``, ``gen3``),
    ``level2_m``, ``level3_m``, ``level4_m`` and the counts ``supported_m``,
    ``wins_m`` (``tasks_m`` per modality). Overall (models): ``level2`` ..
    ``level5``, ``s_l`` (NLP credit mean), NLP counts and ``level`` reached.
    """

    models: tuple[str, ...]
    model_names: tuple[str, ...]
    profile: str
    rule: str
    modalities: tuple[str, ...]
    comp2: np.ndarray
    gen2: np.ndarray
    comp3: np.ndarray
    gen3: np.ndarray
    level2_m: np.ndarray
    level3_m: np.ndarray
    level4_m: np.ndarray
    supported_m: np.ndarray
    wins_m: np.ndarray
    tasks_m: np.ndarray
    level2: np.ndarray
    level3: np.ndarray
    level4: np.ndarray
    level5: np.ndarray
    s_l: np.ndarray
    nlp_supported: np.ndarray
    nlp_wins: np.ndarray
    nlp_tasks: int
    level: np.ndarray

    def overall(self) -> pd.DataFrame:
        """One row per model: level reached, Level-2..5, S_L, sorted as given."""
        return pd.DataFrame({
            "model": self.models,
            "name": self.model_names,
            "level": self.level,
            "level2": self.level2,
            "level3": self.level3,
            "level4": self.level4,
            "level5": self.level5,
            "s_l": self.s_l,
        })

    def per_modality(self) -> pd.DataFrame:
        """Long table: one row per (model, modality) with levels and counts."""
        n_models, n_mod = self.level2_m.shape
        return pd.DataFrame({
            "model": np.repeat(np.array(self.models, dtype=object), n_mod),
            "modality": np.tile(np.array(self.modalities, dtype=object), n_models),
            "comp2": self.comp2.ravel(), "gen2": self.gen2.ravel(),
            "comp3": self.comp3.ravel(), "gen3": self.gen3.ravel(),
            "level2": self.level2_m.ravel(), "level3": self.level3_m.ravel(),
            "level4": self.level4_m.ravel(),
            "supported": self.supported_m.ravel(), "wins": self.wins_m.ravel(),
            "tasks": np.tile(self.tasks_m, n_models),
        })

    def record(self, i: int) -> dict:
        """The JSON object of model ``i`` (full-precision floats)."""
        return {
            "model": self.models[i],
            "profile": self.profile,
            "rule": self.rule,
            "level": int(self.level[i]),
            "scores": {c: float(getattr(self, c)[i]) for c in LEVEL_COLUMNS},
            "modalities": {
                m: {
                    "level2": float(self.level2_m[i, k]),
                    "level3": float(self.level3_m[i, k]),
                    "level4": float(self.level4_m[i, k]),
                    "supported": int(self.supported_m[i, k]),
                    "tasks": int(self.tasks_m[k]),
                    "wins": int(self.wins_m[i, k]),
                }
                for k, m in enumerate(self.modalities)
            },
            "nlp": {
                "supported": int(self.nlp_supported[i]),
                "tasks": int(self.nlp_tasks),
                "wins": int(self.nlp_wins[i]),
                "s_l": float(self.s_l[i]),
            },
        }

    def records(self) -> list[dict]:
        return [self.record(i) for i in range(len(self.models))]


def score(
    bench: Benchmark,
    profile: str | Profile = "paper",
    rule: str | Rule | None = None,
    rule_params: Mapping[str, float] | None = None,
    aggregation: str | None = None,
    level4_mean: str | None = None,
) -> Scores:
    """Score every model of ``bench``.

    ``profile`` names a preset (:mod:`glscore.core.profiles`); ``rule`` a synergy
    rule (:mod:`glscore.core.synergy`, default the profile's); ``aggregation``
    (``per_modality`` or ``pooled``) and ``level4_mean`` override the
    profile's.
    """
    return score_detailed(bench, profile, rule, rule_params, aggregation, level4_mean).scores


@dataclass(frozen=True)
class Scoring:
    """One scoring pass in full: the profile applied, the normalised matrices,
    the per-cell credit and the resulting :class:`Scores`."""

    bench: Benchmark
    profile: Profile
    norm: Normalised
    credit: np.ndarray
    scores: Scores


def score_detailed(
    bench: Benchmark,
    profile: str | Profile = "paper",
    rule: str | Rule | None = None,
    rule_params: Mapping[str, float] | None = None,
    aggregation: str | None = None,
    level4_mean: str | None = None,
) -> Scoring:
    """:func:`score`, keeping what it computed on the way (for boards and audits)."""
    prof = get_profile(profile)
    options = {k: v for k, v in (("aggregation", aggregation), ("level4_mean", level4_mean))
               if v is not None and v != getattr(prof, k)}
    prof = prof.with_options(**options)
    syn = resolve(rule if rule is not None else prof.rule, rule_params)
    if prof.overall_over == "present":
        if not bench.modalities_present:
            raise InputError(f"{bench.source}: no modality sheet (Image/Video/Audio/3D) found")
        if not bench.has_nlp:
            raise InputError(f"{bench.source}: no NLP sheet: the reference scorer needs it "
                             "for Level-5")
    norm = normalise(bench, prof)
    credit = syn.credit(norm.scores, norm.sota, bench.tasks,
                        Context(bench.tasks, norm.scores, norm.sota, bench.models))
    return Scoring(bench, prof, norm, credit, aggregate(bench, norm, credit, prof, syn.label))


def modality_masks(tasks: pd.DataFrame, modalities: tuple[str, ...]) -> tuple[np.ndarray,
                                                                              np.ndarray]:
    """Boolean (tasks x modalities) masks of comprehension and generation tasks."""
    modality = tasks["modality"].to_numpy()
    paradigm = tasks["paradigm"].to_numpy()
    comp = np.stack([(modality == m) & (paradigm == "comprehension") for m in modalities], 1)
    gen = np.stack([(modality == m) & (paradigm == "generation") for m in modalities], 1)
    return comp.reshape(len(tasks), len(modalities)), gen.reshape(len(tasks), len(modalities))


def supported_cells(norm: Normalised, prof: Profile) -> np.ndarray:
    """Which (model, task) cells count as supported, as the profile says.

    ``present``: the model's value is known. ``official``: both values are
    valid and non-zero after normalisation, as the reference counts them.
    """
    scores, sota = norm.scores, norm.sota
    if prof.supported_count == "official":
        return np.isfinite(scores) & np.isfinite(sota) & (scores != 0) & (sota != 0)
    return np.isfinite(scores)


def aggregate(bench: Benchmark, norm: Normalised, credit: np.ndarray, prof: Profile,
              rule_label: str) -> Scores:
    """Aggregate normalised scores and credit into :class:`Scores`."""
    tasks = bench.tasks
    modalities = bench.modalities_present if prof.overall_over == "present" else MODALITIES
    comp_mask, gen_mask = modality_masks(tasks, modalities)
    scores = norm.scores
    comp2, gen2 = levels.group_means(scores, comp_mask), levels.group_means(scores, gen_mask)
    comp3, gen3 = levels.group_means(credit, comp_mask), levels.group_means(credit, gen_mask)
    eps, mean = prof.level4_epsilon, prof.level4_mean
    l2_m, l3_m = levels.level2(comp2, gen2), levels.level3(comp3, gen3)
    l4_m = levels.level4(comp3, gen3, eps, mean)

    if prof.aggregation == "pooled":
        comp_all, gen_all = comp_mask.any(axis=1), gen_mask.any(axis=1)
        c3, g3 = levels.group_mean(credit, comp_all), levels.group_mean(credit, gen_all)
        l2 = levels.level2(levels.group_mean(scores, comp_all), levels.group_mean(scores, gen_all))
        l3 = levels.level3(c3, g3)
        l4 = levels.level4(c3, g3, eps, mean)
    else:
        l2, l3, l4 = l2_m.mean(axis=1), l3_m.mean(axis=1), l4_m.mean(axis=1)

    nlp = (tasks["paradigm"] == "nlp").to_numpy()
    s_l = levels.group_mean(credit, nlp)
    l5 = levels.level5(l4, s_l)

    wins = levels.beats_sota(scores, norm.sota)
    supported = supported_cells(norm, prof)
    if prof.supported_count == "official":
        # The reference's NLP line counts on the raw values.
        nlp_supported = np.isfinite(bench.values) & np.isfinite(bench.sota)
        nlp_wins = levels.beats_sota(bench.values, bench.sota)
    else:
        nlp_supported, nlp_wins = supported, wins
    either = comp_mask | gen_mask
    return Scores(
        models=bench.models, model_names=bench.model_names, profile=prof.name,
        rule=rule_label, modalities=tuple(modalities),
        comp2=comp2, gen2=gen2, comp3=comp3, gen3=gen3,
        level2_m=l2_m, level3_m=l3_m, level4_m=l4_m,
        supported_m=supported.astype(int) @ either.astype(int),
        wins_m=wins.astype(int) @ either.astype(int),
        tasks_m=either.sum(axis=0),
        level2=l2, level3=l3, level4=l4, level5=l5, s_l=s_l,
        nlp_supported=nlp_supported[:, nlp].sum(axis=1),
        nlp_wins=nlp_wins[:, nlp].sum(axis=1),
        nlp_tasks=int(nlp.sum()),
        level=levels.level_reached(l2, l3, l4, l5),
    )
