"""How much do the General-Level levels depend on the scoring relaxation?

A *variant* is one way of scoring: a synergy rule with its parameters
(:mod:`glscore.core.synergy`), an aggregation (``per_modality``, published, or
``pooled``) and a Level-4 mean (``harmonic``, published, ``geometric`` or
``arithmetic``). :func:`run_ablation` scores the whole benchmark under a
grid of variants, normalising once, and compares every variant with the
published one (``strict``, ``per_modality``, ``harmonic``):

* models per level and the level migration matrix (published level in rows,
  variant level in columns);
* Kendall's tau-b and Spearman's rho of the two rankings over the models
  with multimodal support (the language-only models always tie at the
  bottom and would inflate the agreement; ``tau_models`` says how many),
  the overlap of the two top-10s, the models entering and leaving Level-4.

The ranking of a leaderboard is by level reached, then by the score at that
level: the key is the dense rank of ``(level, score_at_level)``, see
:func:`ranking_key`. Ties keep the models' order; the leaderboards
(:mod:`glscore.analysis.leaderboard`) break them by the next lower level and the name.

The bootstrap (:func:`bootstrap`) asks how much the levels depend on which
tasks happen to be in the benchmark: a sensitivity to benchmark composition,
not a confidence statement about a model. By default it resamples *skill
groups* (``skill_group_id`` of the tasks table: tasks of one group measure
one skill and move together) with replacement within each
modality-paradigm stratum (NLP included), each drawn group bringing all its
tasks; ``unit="task"`` resamples single tasks instead (the sensitivity). A
resample is a count per task (integer draws counted by one ``bincount``,
:func:`glscore.analysis.resample.unit_counts`); a group mean is
``sum_t count_t x_t / sum_t count_t`` over the group's tasks (the resampled
benchmark's own number of tasks in the group), summed in task order
(:func:`glscore.analysis.resample.weighted_sums`: no BLAS product, so the
bits do not depend on the CPU), in chunks of resamples. From the resamples: percentile intervals of
every model's Level-2/3/4, the probability of each level, and the
probability that each adjacent pair of the published ranking keeps its order.

Sentences stating findings are built by the ``finding_*`` functions, charts
by the ``plot_*`` functions (each returns a Figure).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from glscore.analysis.resample import unit_counts, weighted_sums
from glscore.analysis.scopes import multimodal
from glscore.core import levels
from glscore.core.profiles import Profile
from glscore.core.scoring import Scores, Scoring, score_detailed
from glscore.core.synergy import resolve
from glscore.core.vocabulary import AGGREGATIONS, LEVEL4_MEANS, check_choice
from glscore.errors import InputError
from glscore.io.loaders import load_paper

#: Rules of the default grid (``margin`` comes from :data:`DEFAULT_MARGINS`).
DEFAULT_RULES: tuple[tuple[str, dict[str, float]], ...] = (
    ("strict", {}),
    ("soft", {"k": 10.0}),
    ("ratio", {}),
    ("excess", {}),
    ("noisy_sota", {"s": 2.0}),
    ("none", {}),
    ("beats_base", {"z": 1.96, "tier": 2.0}),
    ("noise_margin", {"z": 1.0}),
)
DEFAULT_MARGINS: tuple[float, ...] = (-0.1, -0.05, 0.05, 0.1)
LEVEL_RANGE: tuple[int, ...] = (1, 2, 3, 4, 5)
TOP_K = 10
UNITS: tuple[str, ...] = ("skill_group", "task")
"""Resampling units of the bootstrap, the default first."""
UNIT_WORDS: dict[str, str] = {"skill_group": "skill groups", "task": "tasks"}


# --------------------------------------------------------------------------- variants

@dataclass(frozen=True)
class Variant:
    """One way of scoring: rule (+ parameters), aggregation, Level-4 mean."""

    rule: str = "strict"
    params: tuple[tuple[str, float], ...] = ()
    aggregation: str = "per_modality"
    level4_mean: str = "harmonic"

    @classmethod
    def of(cls, rule: str, params: Mapping[str, float] | None = None,
           aggregation: str = "per_modality", level4_mean: str = "harmonic") -> Variant:
        check_choice("aggregation", aggregation)
        check_choice("level4_mean", level4_mean)
        items = tuple(sorted((str(k), float(v)) for k, v in dict(params or {}).items()))
        return cls(str(rule), items, aggregation, level4_mean)

    @property
    def label(self) -> str:
        """``rule(params)`` plus ``| pooled`` / ``| geometric`` when not published."""
        text = resolve(self.rule, dict(self.params)).label
        if self.aggregation != "per_modality":
            text += f" | {self.aggregation}"
        if self.level4_mean != "harmonic":
            text += f" | {self.level4_mean}"
        return text

    @property
    def published(self) -> bool:
        return self == PUBLISHED


PUBLISHED = Variant()


#: A rule in a grid: its name, or ``(name, params)``.
RuleSpec = str | Sequence[object]


def _rule_spec(item: RuleSpec) -> tuple[str, dict[str, float]]:
    """``name`` or ``(name, params)`` as ``(name, params)``."""
    if isinstance(item, str):
        return item, {}
    name, params = item
    return str(name), dict(params or {})  # type: ignore[call-overload]


def _rule_specs(rules: Mapping[str, Mapping[str, float] | None] | Iterable[RuleSpec] | None
                ) -> list[tuple[str, dict[str, float]]]:
    """``{name: params}``, ``[[name, params], ...]`` or ``[name, ...]`` as pairs."""
    if rules is None:
        return [(n, dict(p)) for n, p in DEFAULT_RULES]
    if isinstance(rules, Mapping):
        return [(str(n), dict(p or {})) for n, p in rules.items()]
    return [_rule_spec(item) for item in rules]


def make_grid(
    rules: Mapping[str, Mapping[str, float] | None] | Iterable[RuleSpec] | None = None,
    margins: Iterable[float] = DEFAULT_MARGINS,
    aggregations: Iterable[str] = AGGREGATIONS,
    level4_means: Iterable[str] = LEVEL4_MEANS,
    extra_rule: RuleSpec | None = None,
    design: str = "one_at_a_time",
) -> list[Variant]:
    """The variants to evaluate, the published one first, without duplicates.

    ``one_at_a_time`` (default) varies one factor from the published
    variant: every rule (``rules``, ``margin`` at each of ``margins``,
    ``extra_rule``, a name or ``(name, params)`` like the items of ``rules``)
    with the published aggregation and mean, then ``strict``
    with each other aggregation and each other mean. ``full`` takes the
    product of all rules, aggregations and means.

    >>> [v.label for v in make_grid(["ratio"], [0.1], ["pooled"], ["harmonic"])]
    ['strict', 'ratio', 'margin(tau=0.1)', 'strict | pooled']
    """
    specs = _rule_specs(rules) + [("margin", {"tau": float(t)}) for t in margins]
    if extra_rule:
        specs.append(_rule_spec(extra_rule))
    aggregations, level4_means = list(aggregations), list(level4_means)
    if design == "full":
        grid = [Variant.of(r, p, a, m) for (r, p), a, m in
                itertools.product(specs, aggregations, level4_means)]
    elif design == "one_at_a_time":
        grid = [Variant.of(r, p) for r, p in specs]
        grid += [Variant.of("strict", {}, a) for a in aggregations]
        grid += [Variant.of("strict", {}, "per_modality", m) for m in level4_means]
    else:
        check_choice("grid_design", design)
    for v in grid:  # fail early on an unknown rule
        resolve(v.rule, dict(v.params))
    out = [PUBLISHED]
    for v in grid:
        if v not in out:
            out.append(v)
    return out


# --------------------------------------------------------------------------- evaluation

def variant_pass(prep: Scoring, variant: Variant) -> Scoring:
    """The pass under ``variant``: ``prep``'s normalisation re-credited and
    re-aggregated (:meth:`~glscore.core.scoring.Scoring.with_rule`)."""
    return prep.with_rule(variant.rule, dict(variant.params), aggregation=variant.aggregation,
                          level4_mean=variant.level4_mean)


def credit_of(prep: Scoring, variant: Variant) -> np.ndarray:
    """Per-cell credit of the variant's rule (models x tasks), through the one
    credit path (:meth:`~glscore.core.scoring.Scoring.credit_for`): the pass's
    own credit when the rule is the pass's."""
    return prep.credit_for(resolve(variant.rule, dict(variant.params)))


def variant_profile(prep: Scoring, variant: Variant) -> Profile:
    """``prep``'s profile with the variant's aggregation and Level-4 mean."""
    return prep.profile.with_options(aggregation=variant.aggregation,
                                     level4_mean=variant.level4_mean)


def evaluate(prep: Scoring, variant: Variant) -> Scores:
    """:class:`Scores` of every model under ``variant`` (no re-normalisation)."""
    return variant_pass(prep, variant).scores


def ranking_key(scores: Scores) -> np.ndarray:
    """Dense rank of (level reached, score at that level): higher is better.

    See :func:`ranking_key_of`.
    """
    return ranking_key_of(scores.level, scores.level2, scores.level3, scores.level4,
                          scores.level5)


def ranking_key_of(level, l2, l3, l4, l5) -> np.ndarray:
    """Dense rank (1 = last) of ``(level, score_at_level)`` along the last axis.

    Models compare by level, then by the score at that level; exact ties
    share a rank. Works on one ranking (models) or many (resamples x models).
    A rank, unlike a weighted sum ``w * level + score``, loses no precision.

    >>> ranking_key_of(np.array([3, 4, 3]), np.array([50., 40., 50.]),
    ...                np.array([20., 30., 20.]), np.array([0., 10., 0.]), np.zeros(3))
    array([1., 2., 1.])
    """
    level = np.asarray(level)
    at = levels.score_at_level(level, l2, l3, l4, l5)
    order = np.lexsort((at, level), axis=-1)
    level_sorted = np.take_along_axis(level, order, axis=-1)
    at_sorted = np.take_along_axis(at, order, axis=-1)
    change = np.ones(level_sorted.shape, dtype=bool)
    change[..., 1:] = ((level_sorted[..., 1:] != level_sorted[..., :-1])
                       | (at_sorted[..., 1:] != at_sorted[..., :-1]))
    dense = np.cumsum(change, axis=-1).astype(float)
    ranks = np.empty_like(dense)
    np.put_along_axis(ranks, order, dense, axis=-1)
    return ranks


def ranking_order(key: np.ndarray) -> np.ndarray:
    """Model indices, best first (ties: the earlier model first).

    >>> ranking_order(np.array([1.0, 3.0, 3.0, 2.0]))
    array([1, 2, 3, 0])
    """
    return np.lexsort((np.arange(len(key)), -np.asarray(key)))


def migration_matrix(published: np.ndarray, variant: np.ndarray) -> pd.DataFrame:
    """Counts of models by published level (rows) and variant level (columns).

    >>> int(migration_matrix(np.array([3, 3, 4]), np.array([3, 4, 4])).loc[3, 4])
    1
    """
    index = pd.Index(LEVEL_RANGE, name="published")
    counts = np.zeros((len(LEVEL_RANGE), len(LEVEL_RANGE)), dtype=int)
    np.add.at(counts, (np.asarray(published) - 1, np.asarray(variant) - 1), 1)
    return pd.DataFrame(counts, index=index, columns=pd.Index(LEVEL_RANGE, name="variant"))


def rank_agreement(key_a: np.ndarray, key_b: np.ndarray,
                   keep: np.ndarray | None = None) -> tuple[float, float]:
    """Kendall's tau-b and Spearman's rho of two rankings (by their keys), over
    the models of ``keep`` (default: all)."""
    if keep is not None:
        key_a, key_b = np.asarray(key_a)[keep], np.asarray(key_b)[keep]
    if np.array_equal(key_a, key_b):
        return 1.0, 1.0
    if np.ptp(key_a) == 0 or np.ptp(key_b) == 0:
        return (1.0, 1.0) if np.array_equal(key_a, key_b) else (float("nan"), float("nan"))
    from scipy import stats  # imported here: scipy is slow to import

    tau = stats.kendalltau(key_a, key_b).statistic
    rho = stats.spearmanr(key_a, key_b).statistic
    return float(tau), float(rho)


def top_overlap(key_a: np.ndarray, key_b: np.ndarray, k: int = TOP_K) -> int:
    """How many of the top-``k`` models of ``a`` are in the top-``k`` of ``b``.

    >>> top_overlap(np.array([4., 3., 2., 1.]), np.array([1., 3., 2., 4.]), k=2)
    1
    """
    top_a = set(ranking_order(key_a)[:k].tolist())
    return len(top_a & set(ranking_order(key_b)[:k].tolist()))


@dataclass
class AblationResult:
    """Scores of every variant and their comparison with the published one."""

    prep: Scoring
    variants: list[Variant]
    scores: list[Scores]
    keys: np.ndarray    # variants x models
    levels: np.ndarray  # variants x models
    boot: list[BootResult] = field(default_factory=list)
    timing: dict[str, float] = field(default_factory=dict)

    @property
    def multimodal(self) -> np.ndarray:
        """Models with multimodal support: the ones the rank agreement is computed over."""
        return multimodal(self.scores[0].supported_m)

    @property
    def labels(self) -> list[str]:
        return [v.label for v in self.variants]

    @property
    def models(self) -> tuple[str, ...]:
        return self.prep.bench.models

    @property
    def names(self) -> tuple[str, ...]:
        return self.prep.bench.model_names

    @property
    def published_order(self) -> np.ndarray:
        return ranking_order(self.keys[0])

    def migration(self, i: int) -> pd.DataFrame:
        return migration_matrix(self.levels[0], self.levels[i])

    def level_counts(self) -> pd.DataFrame:
        """Variants x levels 1..5: number of models at each level."""
        counts = np.stack([np.bincount(lv, minlength=6)[1:6] for lv in self.levels])
        return pd.DataFrame(counts, index=pd.Index(self.labels, name="variant"),
                            columns=[f"level{k}" for k in LEVEL_RANGE])

    def summary(self) -> pd.DataFrame:
        """One row per variant: counts per level, agreement, Level-4 changes."""
        base_key, base_level = self.keys[0], self.levels[0]
        rows = []
        keep = self.multimodal
        for i, v in enumerate(self.variants):
            tau, rho = rank_agreement(base_key, self.keys[i], keep)
            lv = self.levels[i]
            enter = [self.names[j] for j in np.flatnonzero((lv >= 4) & (base_level < 4))]
            leave = [self.names[j] for j in np.flatnonzero((lv < 4) & (base_level >= 4))]
            rows.append({
                "variant": v.label, "rule": v.rule,
                "params": ";".join(f"{k}={p:g}" for k, p in v.params),
                "aggregation": v.aggregation, "level4_mean": v.level4_mean,
                **{f"level{k}": int((lv == k).sum()) for k in LEVEL_RANGE},
                "kendall_tau": tau, "spearman_rho": rho, "tau_models": int(keep.sum()),
                "top10_overlap": top_overlap(base_key, self.keys[i], TOP_K),
                "moved_up": int((lv > base_level).sum()),
                "moved_down": int((lv < base_level).sum()),
                "entering_level4": "; ".join(enter), "leaving_level4": "; ".join(leave),
            })
        return pd.DataFrame(rows)

    def tau_matrix(self) -> pd.DataFrame:
        """Kendall's tau-b between the rankings of every pair of variants (models
        with multimodal support)."""
        n = len(self.variants)
        out = np.ones((n, n))
        keep = self.multimodal
        for a, b in itertools.combinations(range(n), 2):
            out[a, b] = out[b, a] = rank_agreement(self.keys[a], self.keys[b], keep)[0]
        return pd.DataFrame(out, index=self.labels, columns=self.labels)

    def variant_levels(self) -> pd.DataFrame:
        """Long table: variant, model, level reached and Level-2..5."""
        frames = [pd.DataFrame({
            "variant": v.label, "model": s.models, "level": s.level,
            "level2": s.level2, "level3": s.level3, "level4": s.level4, "level5": s.level5,
        }) for v, s in zip(self.variants, self.scores, strict=True)]
        return pd.concat(frames, ignore_index=True)

    def level4_probability(self) -> pd.DataFrame:
        """Bootstrap P(Level >= 4), models (ever at Level-4) x variants."""
        if not self.boot:
            raise ValueError("run_ablation(..., n_boot > 0) first")
        ever = np.flatnonzero((self.levels >= 4).any(axis=0))
        order = [j for j in self.published_order if j in set(ever.tolist())]
        probs = np.stack([(b.level[order] >= 4).mean(axis=1) for b in self.boot], axis=1)
        return pd.DataFrame(probs, index=pd.Index([self.names[j] for j in order], name="model"),
                            columns=self.labels)


def run_ablation(prep: Scoring | None = None, variants: Sequence[Variant] | None = None,
                 n_boot: int = 1000, seed: int = 0, chunk: int = 250,
                 unit: str = "skill_group",
                 progress: Callable[[int], None] | None = None) -> AblationResult:
    """Score every variant, then bootstrap each (same resamples for all,
    resampling ``unit``: skill groups within strata by default, or tasks;
    ``progress(k)`` after each chunk, ``k`` resamples times variants).

    ``timing`` holds the seconds of the grid, the bootstrap and the total
    (for printing; never put it in a notebook output).
    """
    start = time.perf_counter()
    prep = score_detailed(load_paper()) if prep is None else prep
    variants = list(variants or make_grid())
    if variants[0] != PUBLISHED:
        variants = [PUBLISHED] + [v for v in variants if v != PUBLISHED]
    scores = [evaluate(prep, v) for v in variants]
    keys = np.stack([ranking_key(s) for s in scores])
    lv = np.stack([s.level for s in scores])
    result = AblationResult(prep, variants, scores, keys, lv)
    grid_done = time.perf_counter()
    if n_boot > 0:
        counts = resample_counts(prep, n_boot, seed, unit)
        result.boot = bootstrap_variants(prep, variants, counts, chunk, unit,
                                         progress=progress)
    end = time.perf_counter()
    result.timing = {"grid_s": grid_done - start, "bootstrap_s": end - grid_done,
                     "total_s": end - start}
    return result


# --------------------------------------------------------------------------- bootstrap

@dataclass
class BootResult:
    """Bootstrap replicates (models x resamples) of one variant, and the
    resampling unit (``skill_group`` or ``task``)."""

    variant: Variant
    models: tuple[str, ...]
    names: tuple[str, ...]
    level2: np.ndarray
    level3: np.ndarray
    level4: np.ndarray
    level5: np.ndarray
    level: np.ndarray
    unit: str = "skill_group"

    @property
    def n_boot(self) -> int:
        return self.level.shape[1]

    @property
    def keys(self) -> np.ndarray:
        """Ranking keys, models x resamples (each resample ranked on its own)."""
        arrays = (self.level, self.level2, self.level3, self.level4, self.level5)
        return ranking_key_of(*(a.T for a in arrays)).T

    def intervals(self, point: Scores | None = None, alpha: float = 0.05) -> pd.DataFrame:
        """Percentile intervals of Level-2/3/4 per model (and the point values)."""
        q = [alpha / 2, 1 - alpha / 2]
        data: dict[str, object] = {"model": self.models, "name": self.names}
        for name in ("level2", "level3", "level4"):
            reps = getattr(self, name)
            if point is not None:
                data[name] = getattr(point, name)
            lo, hi = np.quantile(reps, q, axis=1)
            data[f"{name}_lo"], data[f"{name}_hi"] = lo, hi
        return pd.DataFrame(data)

    def level_probabilities(self) -> pd.DataFrame:
        """P(level reached = k) per model, k = 1..5."""
        probs = np.stack([(self.level == k).mean(axis=1) for k in LEVEL_RANGE], axis=1)
        return pd.DataFrame(probs, index=pd.Index(self.models, name="model"),
                            columns=[f"p_level{k}" for k in LEVEL_RANGE])

    def pair_stability(self, order: np.ndarray) -> pd.DataFrame:
        """For each adjacent pair of ``order`` (best first): the share of
        resamples in which the upper model still ranks at least as high."""
        keys = self.keys
        upper, lower = np.asarray(order[:-1]), np.asarray(order[1:])
        kept = (keys[upper] >= keys[lower]).mean(axis=1)
        return pd.DataFrame({
            "rank": np.arange(1, len(upper) + 1),
            "upper": [self.names[j] for j in upper],
            "lower": [self.names[j] for j in lower],
            "p_kept": kept,
        })


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise InputError(f"unknown resampling unit '{unit}'; choose one of {list(UNITS)}")
    return unit


def skill_groups(prep: Scoring) -> np.ndarray:
    """The skill group of every task (``skill_group_id``); a tasks table without
    that column gives every task its own group (skill-group resampling is
    then task resampling)."""
    tasks = prep.bench.tasks
    if "skill_group_id" in tasks.columns:
        return tasks["skill_group_id"].astype(str).to_numpy()
    return tasks["task_id"].astype(str).to_numpy()


def resample_counts(prep: Scoring, n_boot: int, seed: int,
                    unit: str = "skill_group") -> list[np.ndarray]:
    """Per stratum (:attr:`~glscore.core.scoring.Scoring.groups`): resample counts, ``n_boot x n_stratum``.

    Row ``b`` says how often each task of the stratum is in resample ``b``.
    ``task``: ``n_stratum`` integer draws over the stratum's tasks (it keeps
    its size). ``skill_group``: ``G`` draws over the stratum's ``G`` skill
    groups; a task counts as often as its group is drawn (the stratum's size
    varies with the groups drawn). Every stratum is drawn at once, by
    :func:`glscore.analysis.resample.unit_counts` (integer draws and one
    ``bincount``), the resampling the rank uncertainty uses too.
    """
    check_unit(unit)
    if n_boot < 1:
        raise InputError(f"n_boot must be >= 1, got {n_boot}")
    labels = skill_groups(prep) if unit == "skill_group" else None
    unit_of = np.zeros(len(prep.bench.task_table), dtype=np.int64)
    unit_stratum: list[int] = []
    for k, (_, idx) in enumerate(prep.groups):
        if labels is None:
            local = np.arange(len(idx))
        else:
            _, local = np.unique(labels[idx], return_inverse=True)
        unit_of[idx] = len(unit_stratum) + local
        unit_stratum += [k] * (int(local.max()) + 1 if len(idx) else 0)
    counts = unit_counts(np.array(unit_stratum, dtype=np.int64), n_boot,
                         np.random.default_rng(seed)).astype(float)
    return [counts[:, unit_of[idx]] for _, idx in prep.groups]


def bootstrap(prep: Scoring, variant: Variant = PUBLISHED, n_boot: int = 1000, seed: int = 0,
              counts: list[np.ndarray] | None = None, chunk: int = 250,
              unit: str = "skill_group",
              progress: Callable[[int], None] | None = None) -> BootResult:
    """Bootstrap replicates of every model's levels under ``variant``.

    With ``counts`` (from :func:`resample_counts`, made with ``unit``) the
    same resamples are reused; all-ones counts reproduce :func:`evaluate`
    exactly. ``progress(k)`` is called after each chunk of ``k`` resamples (a
    progress bar).
    """
    counts = resample_counts(prep, n_boot, seed, unit) if counts is None else counts
    return bootstrap_variants(prep, [variant], counts, chunk, unit, progress=progress)[0]


def bootstrap_variants(prep: Scoring, variants: Sequence[Variant], counts: list[np.ndarray],
                       chunk: int = 250, unit: str = "skill_group",
                       progress: Callable[[int], None] | None = None) -> list[BootResult]:
    """:func:`bootstrap` of several variants on the same resamples: per chunk of
    resamples the group means of the scores are computed once, and those of
    each distinct credit (variants that differ only in aggregation or Level-4
    mean share their rule's) once. ``progress(k)`` is called after each chunk
    with ``k`` = the chunk's resamples times the number of variants."""
    n_boot = counts[0].shape[0]
    scores = np.nan_to_num(prep.norm.scores, nan=0.0)
    groups = prep.groups
    gid = {name: k for k, (name, _) in enumerate(groups)}
    comp = [gid[f"{m}-comprehension"] for m in prep.modalities]
    gen = [gid[f"{m}-generation"] for m in prep.modalities]
    credits: dict[tuple[object, ...], np.ndarray] = {}
    for v in variants:
        credits.setdefault(_credit_key(v), credit_of(prep, v))
    profiles = [variant_profile(prep, v) for v in variants]
    parts: list[dict[str, list[np.ndarray]]] = [
        {k: [] for k in ("l2", "l3", "l4", "l5", "level")} for _ in variants]
    for b0 in range(0, n_boot, chunk):
        b1 = min(b0 + chunk, n_boot)
        drawn = [c[b0:b1] for c in counts]
        sizes = np.stack([d.sum(axis=1) for d in drawn])   # tasks of each group per resample
        mean_s = _resampled_means(scores, groups, drawn, sizes)
        mean_c = {key: _resampled_means(credit, groups, drawn, sizes)
                  for key, credit in credits.items()}
        for j, (v, prof) in enumerate(zip(variants, profiles, strict=True)):
            m3 = mean_c[_credit_key(v)]
            if prof.aggregation == "pooled":
                wc, wg = sizes[comp], sizes[gen]          # groups x resamples
                wc = wc / np.maximum(wc.sum(axis=0), 1.0)
                wg = wg / np.maximum(wg.sum(axis=0), 1.0)
                # weighted over the modalities, added modality after modality (no einsum/BLAS)
                c2 = np.add.reduce(wc[:, None, :] * mean_s[comp], axis=0)[None]
                g2 = np.add.reduce(wg[:, None, :] * mean_s[gen], axis=0)[None]
                c3 = np.add.reduce(wc[:, None, :] * m3[comp], axis=0)[None]
                g3 = np.add.reduce(wg[:, None, :] * m3[gen], axis=0)[None]
            else:
                c2, g2, c3, g3 = mean_s[comp], mean_s[gen], m3[comp], m3[gen]
            out = levels.aggregate(c2, g2, c3, g3, m3[gid["NLP"]], prof.level4_epsilon,
                                   prof.level4_mean, axis=0)
            for name, arr in (("l2", out.level2), ("l3", out.level3), ("l4", out.level4),
                              ("l5", out.level5), ("level", out.level)):
                parts[j][name].append(arr)
        if progress is not None:
            progress((b1 - b0) * len(variants))
    results = []
    for v, part in zip(variants, parts, strict=True):
        cat = {k: np.concatenate(arrays, axis=1) for k, arrays in part.items()}
        results.append(BootResult(v, prep.bench.models, prep.bench.model_names, cat["l2"],
                                  cat["l3"], cat["l4"], cat["l5"], cat["level"],
                                  check_unit(unit)))
    return results


def _credit_key(variant: Variant) -> tuple[object, ...]:
    """Variants with the same rule and parameters have the same credit."""
    return (variant.rule, tuple(sorted(dict(variant.params).items())))


def _resampled_means(matrix: np.ndarray, groups: list[tuple[str, np.ndarray]],
                     drawn: list[np.ndarray], sizes: np.ndarray) -> np.ndarray:
    """Groups x models x resamples: each group's mean of ``matrix`` in each
    resample, ``sum_t count_t x_t / sum_t count_t`` (exact-sum products,
    :func:`glscore.analysis.resample.weighted_sums`)."""
    out = np.zeros((len(groups), matrix.shape[0], sizes.shape[1]))
    for k, (_, idx) in enumerate(groups):
        if len(idx):
            out[k] = weighted_sums(matrix[:, idx], drawn[k]).T / np.maximum(sizes[k], 1.0)
    return out


# --------------------------------------------------------------------------- findings

def _fmt_list(items: Sequence[str], limit: int = 4) -> str:
    items = list(items)
    if not items:
        return "none"
    head = ", ".join(items[:limit])
    return head + (f" and {len(items) - limit} more" if len(items) > limit else "")


def finding_levels(result: AblationResult) -> str:
    """How the number of models at Level-3 and Level-4+ varies over variants."""
    counts = result.level_counts()
    top = counts["level4"] + counts["level5"]
    l3 = counts["level3"]
    base = result.labels[0]
    return (
        f"Recomputed under the paper's rule ({base}), {int(l3.iloc[0])} models reach Level-3 and "
        f"{int(top.iloc[0])} reach Level-4 or above; across {len(counts)} variants Level-4+ "
        f"ranges from {int(top.min())} ({top.idxmin()}) to {int(top.max())} ({top.idxmax()}) "
        f"and Level-3 from {int(l3.min())} to {int(l3.max())}."
    )


def finding_migration(result: AblationResult) -> str:
    """Which variant moves the most models between levels, and how."""
    summary = result.summary().iloc[1:]
    if summary.empty:
        return "Only the strict rule was evaluated: no model moves."
    moved = summary["moved_up"] + summary["moved_down"]
    row = summary.loc[moved.idxmax()]
    still = int((moved == 0).sum())
    return (
        f"{row['variant']} moves the most models: {int(row['moved_up'])} up and "
        f"{int(row['moved_down'])} down out of {len(result.models)}; "
        f"{still} of {len(summary)} variants leave every model at its strict-rule level."
    )


def finding_agreement(result: AblationResult) -> str:
    """Range of Kendall's tau with the published ranking and top-10 overlap."""
    s = result.summary().iloc[1:]
    if s.empty:
        return "Only the strict rule was evaluated."
    lo = s.loc[s["kendall_tau"].idxmin()]
    return (
        f"Kendall's tau with the strict-rule ranking (recomputed), over the "
        f"{int(s['tau_models'].iloc[0])} models with multimodal support (the "
        f"{len(result.models) - int(s['tau_models'].iloc[0])} language-only models always tie "
        f"and are left out), ranges from {lo['kendall_tau']:.2f} "
        f"({lo['variant']}) to {s['kendall_tau'].max():.2f} (median "
        f"{s['kendall_tau'].median():.2f}); the strict-rule top-{TOP_K} keeps between "
        f"{int(s['top10_overlap'].min())} and {int(s['top10_overlap'].max())} of its members."
    )


def _keep_level4(boot: BootResult, club: np.ndarray) -> np.ndarray:
    return (boot.level[club] >= 4).mean(axis=1)


def finding_level4(result: AblationResult, other: BootResult | None = None) -> str:
    """How many published Level-4 models stay there under every variant, and
    how often under resampling of the benchmark's composition (per model;
    ``other``: the same under the other resampling unit)."""
    club = np.flatnonzero(result.levels[0] >= 4)
    always = [result.names[j] for j in club if (result.levels[:, j] >= 4).all()]
    text = (f"{len(always)} of the {len(club)} strict-rule Level-4 models (recomputed) "
            f"({_fmt_list([result.names[j] for j in club])}) stay at Level-4 under all "
            f"{len(result.variants)} variants")
    drops = []
    for j in club:
        lost = np.flatnonzero(result.levels[:, j] < 4)
        if len(lost):
            drops.append(f"{result.names[j]} drops under {result.labels[lost[0]]}"
                         + (f" and {len(lost) - 1} more" if len(lost) > 1 else ""))
    if drops:
        text += " (" + "; ".join(drops) + ")"
    if result.boot:
        boot = result.boot[0]
        p = _keep_level4(boot, club)
        q = _keep_level4(other, club) if other is not None else None
        other_unit = UNIT_WORDS[other.unit] if other is not None else ""
        per_model = ", ".join(
            f"{result.names[j]} {100 * p[k]:.0f}%"
            + (f" (resampling {other_unit}: {100 * q[k]:.0f}%)" if q is not None else "")
            for k, j in enumerate(club))
        text += (f"; as a sensitivity to benchmark composition, resampling "
                 f"{UNIT_WORDS[boot.unit]} within modality x paradigm strata "
                 f"({boot.n_boot} resamples) they keep Level-4 in: {per_model}")
    entering = set()
    for i in range(1, len(result.variants)):
        entering |= set(np.flatnonzero((result.levels[i] >= 4) & (result.levels[0] < 4)))
    return text + f"; {len(entering)} other models reach Level-4 under some variant."


def finding_bootstrap(result: AblationResult, top: int = TOP_K, threshold: float = 0.95,
                      other: BootResult | None = None) -> str:
    """How many adjacent pairs of the published top-``top`` keep their order
    when the benchmark's composition is resampled (``other``: the count under
    the other resampling unit, in the same sentence)."""
    if not result.boot:
        return "No bootstrap was run."
    boot = result.boot[0]
    order = result.published_order[:top]
    pairs = boot.pair_stability(order)
    stable = int((pairs["p_kept"] >= threshold).sum())
    ci = boot.intervals(result.scores[0])
    width = ci["level3_hi"] - ci["level3_lo"]
    j = int(width.idxmax())
    weakest = pairs.loc[pairs["p_kept"].idxmin()]
    alt = ""
    if other is not None:
        alt_stable = int((other.pair_stability(order)["p_kept"] >= threshold).sum())
        alt = f" ({alt_stable} resampling {UNIT_WORDS[other.unit]})"
    return (
        f"Sensitivity to benchmark composition ({boot.n_boot} resamples of "
        f"{UNIT_WORDS[boot.unit]} within modality x paradigm strata): {stable}{alt} of the "
        f"{len(pairs)} adjacent pairs in the strict-rule top-{top} (recomputed) keep their "
        f"order in at least {100 * threshold:.0f}% of resamples; the least stable is "
        f"{weakest['upper']} over {weakest['lower']} ({100 * weakest['p_kept']:.0f}%), and the "
        f"widest 95% Level-3 interval is {ci['name'][j]}'s ({ci['level3_lo'][j]:.1f} to "
        f"{ci['level3_hi'][j]:.1f})."
    )


# --------------------------------------------------------------------------- tables

def forest_table(result: AblationResult, top: int = TOP_K) -> pd.DataFrame:
    """Published top-``top`` models: point values and 95% intervals of Level-2/3/4."""
    ci = result.boot[0].intervals(result.scores[0])
    probs = result.boot[0].level_probabilities().reset_index(drop=True)
    table = pd.concat([ci, probs], axis=1)
    table.insert(2, "rank", 0)
    order = result.published_order
    table.loc[order, "rank"] = np.arange(1, len(order) + 1)
    table.insert(3, "level", result.levels[0])
    return table.sort_values("rank", kind="stable").head(top).reset_index(drop=True)


def bootstrap_table(result: AblationResult) -> pd.DataFrame:
    """Every model (published order): intervals and level probabilities."""
    return forest_table(result, top=len(result.models))


def summary_json(result: AblationResult, timings: bool = False) -> dict:
    """The variant summary as a JSON-ready dict; with ``timings`` also the
    seconds each stage took (``timing_s``: not reproducible, so off by default)."""
    variants = []
    for row in result.summary().to_dict("records"):
        variants.append({
            "label": row["variant"], "rule": row["rule"],
            "params": dict(next(v for v in result.variants if v.label == row["variant"]).params),
            "aggregation": row["aggregation"], "level4_mean": row["level4_mean"],
            "models_per_level": {str(k): row[f"level{k}"] for k in LEVEL_RANGE},
            "kendall_tau": row["kendall_tau"], "spearman_rho": row["spearman_rho"],
            "top10_overlap": row["top10_overlap"],
            "entering_level4": [x for x in row["entering_level4"].split("; ") if x],
            "leaving_level4": [x for x in row["leaving_level4"].split("; ") if x],
        })
    out: dict = {
        "models": len(result.models),
        "n_boot": result.boot[0].n_boot if result.boot else 0,
        "variants": variants,
    }
    if timings:
        out["timing_s"] = {k: round(v, 3) for k, v in result.timing.items()}
    return out


# --------------------------------------------------------------------------- charts
