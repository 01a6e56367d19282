"""Score a benchmark: normalise, apply a synergy rule, aggregate into levels.

One scoring pass (:func:`score_detailed`, a :class:`Scoring`) holds
everything the analyses need: the profile applied, the rule, the
normalised matrices, the per-cell credit, the task groups and the
:class:`Scores`. Build it once and pass it along; :func:`score` keeps only
the scores. Models are scored in blocks of rows (:data:`BLOCK_CELLS` cells),
so the cost is linear in the number of models and the memory beyond the
input bounded; a model's scores are bit-identical whatever its block.
:func:`score_blocks` scores many matrices against one tasks table (e.g.
Monte-Carlo perturbations) without building a :class:`Benchmark` each time.

>>> from glscore import load_paper, score            # doctest: +SKIP
>>> scores = score(load_paper(), profile="paper")   # doctest: +SKIP
>>> scores.to_frame().head()                        # doctest: +SKIP
>>> scores["vitron-v1"]["level"]                    # doctest: +SKIP
>>> "vitron-v1" in scores, list(scores)[:2]         # doctest: +SKIP
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from glscore.core import levels
from glscore.core.benchmark import Benchmark
from glscore.core.normalise import Normalised, Plan, check_values, normalise, plan
from glscore.core.profiles import Profile, get_profile
from glscore.core.synergy import Context, Rule, resolve
from glscore.core.table import Table
from glscore.core.vocabulary import MODALITIES, PARADIGMS, unreachable
from glscore.errors import InputError, UnknownModelError, did_you_mean

if TYPE_CHECKING:  # tables of results are built on demand; scoring needs no pandas
    import pandas as pd

#: Cells per block of models (about 4 MB of float64 per block matrix).
BLOCK_CELLS = 1 << 19

LEVEL_COLUMNS = ("level2", "level3", "level4", "level5")


@dataclass(frozen=True)
class Scores:
    """Every number General-Level computes for a set of models.

    Per modality (models x modalities): the comprehension/generation means
    of scores (``comp2``, ``gen2``) and of credit (``comp3``, ``gen3``),
    ``level2_m``, ``level3_m``, ``level4_m`` and the counts ``supported_m``,
    ``wins_m`` (a win is a supported cell that beats the SoTA, so ``wins_m <=
    supported_m``), ``filled_m`` (cells the profile scores 0.0 without a value:
    :func:`zero_filled`) and ``tasks_m`` per modality. Overall (models):
    ``level2`` .. ``level5``, ``s_l`` (NLP credit mean), NLP counts and ``level``
    reached.
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
    #: cells scored 0.0 without a value (``official``: missing or 0 of a mapped metric)
    filled_m: np.ndarray
    nlp_filled: np.ndarray

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    def __repr__(self) -> str:
        counts = np.bincount(np.asarray(self.level, dtype=int), minlength=6)[1:6]
        reached = ", ".join(f"L{k}: {int(c)}" for k, c in enumerate(counts, start=1))
        return (f"Scores(profile={self.profile!r}, rule={self.rule!r}, {len(self)} models, "
                f"modalities {'/'.join(self.modalities)}; level reached {reached})")

    def _repr_html_(self) -> str:
        """The summary line and :meth:`to_frame` as an HTML table (JupyterLab);
        every model id and name is escaped."""
        table = self.to_frame().to_html(escape=True, max_rows=20, float_format="{:.2f}".format)
        return f"<p>{html.escape(repr(self))}</p>\n{table}"

    def __len__(self) -> int:
        return len(self.models)

    def __iter__(self) -> Iterator[str]:
        """The model ids, in row order (as iterating a DataFrame's index)."""
        return iter(self.models)

    def __contains__(self, model: object) -> bool:
        """Whether ``model`` is one of the models, by id or by display name."""
        return model in self.models or model in self.model_names

    def __getitem__(self, model: str | int) -> dict[str, Any]:
        """The record (:meth:`record`) of a model, by id (or display name) or
        position; an unknown model raises :class:`~glscore.errors.UnknownModelError`
        (a ``KeyError`` and an ``InputError``)."""
        if isinstance(model, int | np.integer):
            return self.record(int(model))
        return self.record(self.index_of(model))

    def index_of(self, model: str) -> int:
        """The row of ``model`` (its id, else its display name); an
        :class:`~glscore.errors.UnknownModelError` if unknown."""
        for names in (self.models, self.model_names):
            if model in names:
                return names.index(model)
        raise UnknownModelError(f"unknown model '{model}'{did_you_mean(model, self.models)}")

    def select(self, models: Sequence[str]) -> Scores:
        """The same scores restricted to ``models`` (ids or display names), in that order."""
        rows = [self.index_of(m) for m in models]
        per_model = {f.name: getattr(self, f.name)[rows] for f in fields(self)
                     if isinstance(getattr(self, f.name), np.ndarray) and f.name != "tasks_m"}
        return replace(self, models=tuple(self.models[i] for i in rows),
                       model_names=tuple(self.model_names[i] for i in rows), **per_model)

    def to_frame(self) -> pd.DataFrame:
        """One row per model, indexed by model id (``model``), in row order:
        the display ``name``, the ``level`` reached, ``level2`` .. ``level5`` and
        ``s_l``. (``to_frame().reset_index()`` has the id as a column.)"""
        import pandas as pd

        return pd.DataFrame({
            "name": self.model_names,
            "level": self.level,
            "level2": self.level2,
            "level3": self.level3,
            "level4": self.level4,
            "level5": self.level5,
            "s_l": self.s_l,
        }, index=pd.Index(self.models, name="model"))

    def per_modality(self) -> pd.DataFrame:
        """Long table: one row per (model, modality) with levels and counts."""
        import pandas as pd

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

    def coverage(self) -> np.ndarray:
        """Per model: supported tasks / tasks, over the modalities and NLP
        (``(sum_m supported_m + nlp_supported) / (sum_m tasks_m + nlp_tasks)``, 0 if no task)."""
        total = int(self.tasks_m.sum()) + int(self.nlp_tasks)
        out: np.ndarray = (self.supported_m.sum(axis=1) + self.nlp_supported) / max(total, 1)
        return out

    def record(self, i: int, coverage: np.ndarray | None = None) -> dict[str, Any]:
        """The JSON object of model ``i`` (full-precision floats); ``coverage`` =
        supported tasks / tasks (overall, per modality, NLP); the overall
        coverage is :meth:`coverage`'s (pass it when recording many models)."""
        overall = self.coverage() if coverage is None else coverage
        return {
            "model": self.models[i],
            "name": self.model_names[i],
            "coverage": float(overall[i]),
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
                    "coverage": float(self.supported_m[i, k] / max(int(self.tasks_m[k]), 1)),
                    "zero_filled": int(self.filled_m[i, k]),
                }
                for k, m in enumerate(self.modalities)
            },
            "nlp": {
                "supported": int(self.nlp_supported[i]),
                "tasks": int(self.nlp_tasks),
                "wins": int(self.nlp_wins[i]),
                "coverage": float(self.nlp_supported[i] / max(int(self.nlp_tasks), 1)),
                "s_l": float(self.s_l[i]),
                "zero_filled": int(self.nlp_filled[i]),
            },
        }

    def records(self) -> list[dict[str, Any]]:
        """:meth:`record` of every model (the coverage computed once)."""
        coverage = self.coverage()
        return [self.record(i, coverage) for i in range(len(self.models))]


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
    profile's. Keeps no model x task matrix: memory beyond the input is a
    few blocks of :data:`BLOCK_CELLS` cells.
    """
    prof, syn = _configure(bench, profile, rule, rule_params, aggregation, level4_mean)
    return _run(bench, prof, syn, keep=False)[0]


@dataclass(frozen=True, repr=False)
class TaskGroups:
    """The task groups of a tasks table under a profile (tasks x groups masks).

    ``comp``/``gen``: comprehension/generation tasks per modality
    (``modalities``, in canonical order); ``nlp``: the NLP tasks.
    """

    modalities: tuple[str, ...]
    comp: np.ndarray
    gen: np.ndarray
    nlp: np.ndarray

    @classmethod
    def of(cls, bench: Benchmark, prof: Profile) -> TaskGroups:
        """The groups of ``bench``'s tasks under ``prof`` (cached per tasks
        table and modalities: :func:`task_groups`)."""
        match prof.overall_over:
            case "present":  # the reference: the modalities whose sheets the source has
                modalities = bench.modalities_present
            case "all":
                modalities = MODALITIES
            case _:
                unreachable("overall_over", prof.overall_over)
        return task_groups(bench.task_table, tuple(modalities))

    @cached_property
    def either(self) -> np.ndarray:
        """Tasks x modalities: the comprehension or generation tasks of each."""
        out: np.ndarray = self.comp | self.gen
        out.flags.writeable = False
        return out

    def mean_columns(self, pooled: bool) -> levels.GroupColumns:
        """The columns of the groups whose means a block needs (comprehension
        and generation per modality, NLP, and with ``pooled`` one comprehension
        and one generation group over every modality), decided once."""
        return self._pooled_columns if pooled else self._columns

    @cached_property
    def _columns(self) -> levels.GroupColumns:
        return levels.group_columns(self._table)

    @cached_property
    def _pooled_columns(self) -> levels.GroupColumns:
        return levels.group_columns(self._pooled_table)

    @cached_property
    def counting_columns(self) -> levels.GroupColumns:
        """The columns of :attr:`counting`'s groups, decided once."""
        return levels.group_columns(self.counting)

    @cached_property
    def _table(self) -> np.ndarray:
        out = np.concatenate([self.comp, self.gen, self.nlp[:, None]], axis=1)
        out.flags.writeable = False
        return out

    @cached_property
    def _pooled_table(self) -> np.ndarray:
        comp_any = np.asarray(self.comp.any(axis=1), dtype=bool)
        gen_any = np.asarray(self.gen.any(axis=1), dtype=bool)
        out = np.concatenate([self._table, comp_any[:, None], gen_any[:, None]], axis=1)
        out.flags.writeable = False
        return out

    @cached_property
    def counting(self) -> np.ndarray:
        """Tasks x (modalities + 1): :attr:`either`, then the NLP tasks (the
        groups whose supported tasks and wins are counted)."""
        out = np.concatenate([self.either, self.nlp[:, None]], axis=1)
        out.flags.writeable = False
        return out


@lru_cache(maxsize=64)
def task_groups(tasks: Table, modalities: tuple[str, ...]) -> TaskGroups:
    """The :class:`TaskGroups` of a tasks table over ``modalities``, cached
    under the table's content key (read-only masks, shared by every call)."""
    comp, gen = modality_masks(tasks, modalities)
    nlp = np.asarray(tasks["paradigm"] == "nlp", dtype=bool)
    for array in (comp, gen, nlp):
        array.flags.writeable = False
    return TaskGroups(modalities, comp, gen, nlp)


@dataclass(frozen=True, repr=False)
class Scoring:
    """One scoring pass in full, built once and passed to every analysis.

    ``bench`` and the ``profile`` applied (options included), the resolved
    synergy ``rule``, ``norm`` (normalised scores and SoTA), ``credit`` (models
    x tasks), the task ``masks`` and the resulting :class:`Scores`. Arrays
    are read-only.
    """

    bench: Benchmark
    profile: Profile
    norm: Normalised
    credit: np.ndarray
    scores: Scores
    rule: Rule
    masks: TaskGroups

    def __repr__(self) -> str:
        return (f"Scoring(profile={self.profile.name!r}, rule={self.scores.rule!r}, "
                f"{len(self.bench.models)} models x {len(self.bench.task_table)} tasks)")

    def __len__(self) -> int:
        return len(self.bench.models)

    @property
    def modalities(self) -> tuple[str, ...]:
        return self.masks.modalities

    @property
    def comp_mask(self) -> np.ndarray:
        return self.masks.comp

    @property
    def gen_mask(self) -> np.ndarray:
        return self.masks.gen

    @property
    def nlp_mask(self) -> np.ndarray:
        return self.masks.nlp

    @property
    def groups(self) -> list[tuple[str, np.ndarray]]:
        """The bootstrap strata: (name, task indices), comprehension and
        generation per modality, then NLP (every task in exactly one)."""
        tasks = self.bench.task_table
        out = []
        for modality in MODALITIES:
            for paradigm in PARADIGMS:
                sel = (tasks["modality"] == modality) & (tasks["paradigm"] == paradigm)
                out.append((f"{modality}-{paradigm}", np.flatnonzero(sel)))
        out.append(("NLP", np.flatnonzero(self.nlp_mask)))
        return out

    def supported(self) -> np.ndarray:
        """Which cells count as supported under the profile (:func:`supported_cells`)."""
        return supported_cells(self.norm, self.profile)

    def wins(self) -> np.ndarray:
        """Which supported cells beat the SoTA (normalised,
        :func:`glscore.core.levels.beats_sota`): under ``official`` a missing value
        scored 0.0 against a negative normalised SoTA (a WER read as a fraction) is
        no win."""
        out: np.ndarray = levels.beats_sota(self.norm.scores, self.norm.sota) & self.supported()
        return out

    @cached_property
    def context(self) -> Context:
        """What a synergy rule sees of this pass (:func:`rule_context`)."""
        return rule_context(self.bench, self.norm)

    def credit_for(self, rule: Rule) -> np.ndarray:
        """Per-cell credit of ``rule`` on this pass's normalised matrix
        (:meth:`Rule.credit` on :attr:`context`); the pass's own credit when
        ``rule`` is the pass's rule with the same parameters."""
        if rule.same_as(self.rule):
            return self.credit
        credit = rule.credit(self.context)
        credit.flags.writeable = False
        return credit

    def with_rule(self, rule: str | Rule | None, rule_params: Mapping[str, float] | None = None,
                  **options: str) -> Scoring:
        """The same normalisation under another rule and/or aggregation options
        (``aggregation``, ``level4_mean``; no re-normalisation)."""
        prof = _with_options(self.profile, options)
        syn = resolve(rule if rule is not None else prof.rule, rule_params)
        credit = self.credit_for(syn)
        scores = _aggregate(self.bench, self.norm, credit, prof, syn.label)
        return Scoring(self.bench, prof, self.norm, credit, scores, syn,
                       TaskGroups.of(self.bench, prof))

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>\n{self.scores._repr_html_()}"


def score_detailed(
    bench: Benchmark,
    profile: str | Profile = "paper",
    rule: str | Rule | None = None,
    rule_params: Mapping[str, float] | None = None,
    aggregation: str | None = None,
    level4_mean: str | None = None,
) -> Scoring:
    """:func:`score`, keeping what it computed on the way: the one pass every
    analysis (boards, audits, ablation, distributions) takes."""
    prof, syn = _configure(bench, profile, rule, rule_params, aggregation, level4_mean)
    scores, norm, credit, groups = _run(bench, prof, syn, keep=True)
    assert norm is not None and credit is not None  # keep=True assembles them
    return Scoring(bench, prof, norm, credit, scores, syn, groups)


def rule_context(bench: Benchmark, norm: Normalised, rows: slice | None = None,
                 wins: np.ndarray | None = None) -> Context:
    """The :class:`~glscore.core.synergy.Context` of the models ``rows`` of
    ``bench`` (default all), ``norm`` holding their normalised scores: the
    tasks, the model ids and the benchmark's model metadata (and the pass's
    winners mask ``wins`` when it has one)."""
    models = bench.models if rows is None else bench.models[rows]
    return Context(bench.task_table, norm.scores, norm.sota, models, bench.metadata,
                   wins=wins)


@overload
def score_blocks(tasks: Table | pd.DataFrame, matrices: Iterable[np.ndarray],
                 profile: str | Profile = ..., rule: str | Rule | None = ...,
                 rule_params: Mapping[str, float] | None = ...,
                 sheets: tuple[str, ...] | None = ..., source: str = ...,
                 levels_only: Literal[False] = ...) -> Iterator[Scores]: ...


@overload
def score_blocks(tasks: Table | pd.DataFrame, matrices: Iterable[np.ndarray],
                 profile: str | Profile = ..., rule: str | Rule | None = ...,
                 rule_params: Mapping[str, float] | None = ...,
                 sheets: tuple[str, ...] | None = ..., source: str = ...,
                 *, levels_only: Literal[True]) -> Iterator[levels.Levels]: ...


def score_blocks(
    tasks: Table | pd.DataFrame,
    matrices: Iterable[np.ndarray],
    profile: str | Profile = "paper",
    rule: str | Rule | None = None,
    rule_params: Mapping[str, float] | None = None,
    sheets: tuple[str, ...] | None = None,
    source: str = "blocks",
    levels_only: bool = False,
) -> Iterator[Scores] | Iterator[levels.Levels]:
    """Score many model x task matrices against one tasks table, one
    :class:`Scores` per matrix (lazily): the entry point for Monte-Carlo
    studies (e.g. perturbed copies of a result table), where building one
    huge matrix would not fit in memory. The profile, rule and task groups
    are resolved once; each matrix is scored in blocks of rows like
    :func:`score`, so ``score_blocks(tasks, [m])`` equals ``score`` of the
    same benchmark bit for bit. Models are named ``0..n-1`` within a matrix.
    With ``levels_only`` each matrix gives a :class:`glscore.core.levels.Levels`
    (Level-2..4 per modality, Level-2..5 and the level reached, the same bits
    as :class:`Scores`' fields of those names) and the counts of supported
    tasks, wins and zero-filled cells are not computed (a study that ranks
    by level needs none of them).

    >>> import numpy as np                                          # doctest: +SKIP
    >>> rng = np.random.default_rng(0)                              # doctest: +SKIP
    >>> noisy = (bench.values + rng.normal(0, 1, bench.values.shape)  # doctest: +SKIP
    ...          for _ in range(1000))
    >>> levels = [s.level for s in score_blocks(bench.tasks, noisy)]  # doctest: +SKIP
    """
    tasks = Table.of(tasks)
    sheets = tuple(dict.fromkeys(tasks["sheet"].tolist())) if sheets is None else sheets
    setup: tuple[Profile, Rule, Plan, TaskGroups] | None = None
    # one validated benchmark per matrix height: the ids 0..n-1 are checked once
    template: dict[int, Benchmark] = {}
    for matrix in matrices:
        values = np.asarray(matrix, dtype=float)
        n = values.shape[0] if values.ndim == 2 else -1
        if n in template:
            bench = template[n].with_values(values)
        else:
            bench = Benchmark(tasks, tuple(str(i) for i in range(max(n, 0))), values, sheets,
                              source)
            template[n] = bench
        if setup is None:
            prof, syn = _configure(bench, profile, rule, rule_params, None, None)
            setup = (prof, syn, plan(bench, prof), TaskGroups.of(bench, prof))
        prof, syn, the_plan, groups = setup
        if levels_only:
            yield _run_levels(bench, prof, syn, the_plan, groups)
        else:
            yield _run(bench, prof, syn, False, the_plan, groups)[0]


def _with_options(prof: Profile, options: Mapping[str, str | None]) -> Profile:
    """``prof`` with the options that are given (not None)."""
    return prof.with_options(**{k: v for k, v in options.items() if v is not None})


def _configure(bench: Benchmark, profile: str | Profile, rule: str | Rule | None,
               rule_params: Mapping[str, float] | None, aggregation: str | None,
               level4_mean: str | None) -> tuple[Profile, Rule]:
    prof = _with_options(get_profile(profile),
                         {"aggregation": aggregation, "level4_mean": level4_mean})
    syn = resolve(rule if rule is not None else prof.rule, rule_params)
    match prof.overall_over:
        case "present":  # the reference averages over the sheets the source has
            if not bench.modalities_present:
                raise InputError(f"{bench.source}: no modality sheet (Image/Video/Audio/3D) "
                                 "found")
            if not bench.has_nlp:
                raise InputError(f"{bench.source}: no NLP sheet: the reference scorer needs "
                                 "it for Level-5")
        case "all":  # the four modalities always; a missing sheet scores 0
            pass
        case _:
            unreachable("overall_over", prof.overall_over)
    return prof, syn


def _run_levels(bench: Benchmark, prof: Profile, syn: Rule, the_plan: Plan,
                groups: TaskGroups) -> levels.Levels:
    """The levels of :func:`_run` without the counts (:func:`score_blocks`'
    ``levels_only``)."""
    arrays = _blocks(bench, prof, syn, False, the_plan, groups, counts=False)[0]
    return levels.Levels(*(arrays[name] for name in levels.Levels._fields))


def _run(bench: Benchmark, prof: Profile, syn: Rule, keep: bool, the_plan: Plan | None = None,
         groups: TaskGroups | None = None
         ) -> tuple[Scores, Normalised | None, np.ndarray | None, TaskGroups]:
    """:func:`_blocks` with every count, its arrays made one :class:`Scores`."""
    arrays, norm, credit, groups = _blocks(bench, prof, syn, keep, the_plan, groups)
    return _scores(bench, prof, syn.label, groups, arrays), norm, credit, groups


def _blocks(bench: Benchmark, prof: Profile, syn: Rule, keep: bool,
            the_plan: Plan | None = None, groups: TaskGroups | None = None,
            counts: bool = True
            ) -> tuple[dict[str, np.ndarray], Normalised | None, np.ndarray | None, TaskGroups]:
    """Normalise, credit and aggregate ``bench`` in blocks of rows.

    With ``keep`` the normalised matrix and the credit are assembled (and
    made read-only); without, only the per-model results are kept. The
    plan and task groups depend on the tasks table only: pass them to reuse.
    Returns the per-model arrays (without ``counts`` no count of supported
    tasks, wins or zero-filled cells: :func:`_run_levels`).
    """
    the_plan = plan(bench, prof) if the_plan is None else the_plan
    bench.checked_once(("domain", the_plan.check_key), lambda: check_values(bench, the_plan))
    groups = TaskGroups.of(bench, prof) if groups is None else groups
    n_models, n_tasks = bench.values.shape
    # A context rule sees the whole matrix (a model's base may be any other row),
    # so it is credited in one block; a cell rule in blocks of rows.
    step = n_models if syn.takes_context else max(1, BLOCK_CELLS // max(n_tasks, 1))
    starts = range(0, max(n_models, 1), step)
    full_scores: np.ndarray | None = None
    full_credit: np.ndarray | None = None
    if keep and len(starts) > 1:
        full_scores = np.empty((n_models, n_tasks))
        full_credit = np.empty((n_models, n_tasks))
    parts = []
    filled_at = filled_columns(the_plan, prof)
    for start in starts:
        rows = slice(start, min(start + step, n_models))
        norm = normalise(bench, prof, rows, the_plan, checked=True)
        # the one finiteness mask and the one winners mask of the block (the
        # Benchmark holds no infinity, so a normalised score is finite or NaN)
        known = np.isfinite(norm.scores)
        wins = levels.beats_sota(norm.scores, norm.sota, no_infinity=True)
        credit = syn.credit(rule_context(bench, norm, rows, wins))
        if full_scores is not None and full_credit is not None:
            full_scores[rows], full_credit[rows] = norm.scores, credit
        elif keep:
            full_scores, full_credit = norm.scores, credit
        # the block's normalised scores are its own unless the pass keeps them
        parts.append(_block(bench.values[rows], bench.sota, norm, credit, prof, groups,
                            known, wins, scratch=not keep or full_scores is not norm.scores,
                            filled_at=filled_at, counts=counts))
    arrays = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    if not keep or full_scores is None or full_credit is None:
        return arrays, None, None, groups
    full_scores.flags.writeable = False
    full_credit.flags.writeable = False
    the_plan.sota.flags.writeable = False
    return arrays, Normalised(full_scores, the_plan.sota, the_plan.mapped), full_credit, groups


def modality_masks(tasks: Table | pd.DataFrame,
                   modalities: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Boolean (tasks x modalities) masks of comprehension and generation tasks."""
    table = Table.of(tasks)
    modality, paradigm = table["modality"], table["paradigm"]
    comp = np.stack([(modality == m) & (paradigm == "comprehension") for m in modalities], 1)
    gen = np.stack([(modality == m) & (paradigm == "generation") for m in modalities], 1)
    return comp.reshape(len(tasks), len(modalities)), gen.reshape(len(tasks), len(modalities))


def supported_cells(norm: Normalised, prof: Profile, known: np.ndarray | None = None,
                    zeroed: np.ndarray | None = None) -> np.ndarray:
    """Which (model, task) cells count as supported, as the profile says.

    ``present``: the model's value is known. ``official``: both values are
    valid and non-zero after normalisation, as the reference counts them.
    ``known`` is ``isfinite(norm.scores)`` and ``zeroed`` the scores with
    their NaN made 0, when the caller has them (then ``zeroed != 0`` is
    "known and non-zero" in one comparison).
    """
    scores, sota = norm.scores, norm.sota
    match prof.supported_count:
        case "official":
            valid_sota = np.isfinite(sota) & (sota != 0)  # per task
            if zeroed is not None:
                out: np.ndarray = zeroed != 0              # an unknown score is 0 there
            else:
                out = (np.isfinite(scores) if known is None else known) & (scores != 0)
            if not valid_sota.all():
                out &= valid_sota
        case "present":
            out = np.isfinite(scores) if known is None else known
        case _:
            unreachable("supported_count", prof.supported_count)
    return out


def zero_filled(raw: np.ndarray, norm: Normalised, prof: Profile,
                known: np.ndarray | None = None,
                columns: np.ndarray | None = None) -> np.ndarray:
    """Cells the profile scores as 0.0 although the input has no value there: a
    missing value that normalises to a number (``official``: a missing value of
    a mapped metric, the NLP RMSE cell), or a 0 of a mapped metric read as
    missing (``official``). Such a cell is neither supported nor a win; the
    counts (``filled_m``, ``nlp_filled``) say how many there are. None under
    ``paper``. ``known`` is ``isfinite(norm.scores)`` when the caller has it;
    ``columns`` (task indices, :func:`filled_columns`) restricts the answer to
    those columns (models x len(columns)), the only ones where such a cell can be."""
    cols = slice(None) if columns is None else columns
    if not prof.missing_special_as_zero:
        return np.zeros(raw[:, cols].shape, dtype=bool)
    known = np.isfinite(norm.scores[:, cols]) if known is None else known[:, cols]
    part = raw[:, cols]
    with np.errstate(invalid="ignore"):
        out: np.ndarray = ((np.isnan(part) & known)
                           | (norm.mapped[cols][None, :] & (part == 0)))
    return out


def filled_columns(the_plan: Plan, prof: Profile) -> np.ndarray:
    """The tasks where :func:`zero_filled` can mark a cell: the mapped metrics
    and the reference's NLP RMSE column under a profile that reads missing
    special values as 0 (``official``); none otherwise."""
    if not prof.missing_special_as_zero:
        return np.zeros(0, dtype=np.intp)
    cols = np.array(the_plan.mapped, dtype=bool, copy=True)
    if the_plan.rmse_column >= 0:
        cols[the_plan.rmse_column] = True
    return np.flatnonzero(cols)


def _block(raw: np.ndarray, raw_sota: np.ndarray, norm: Normalised, credit: np.ndarray,
           prof: Profile, groups: TaskGroups, known: np.ndarray | None = None,
           wins: np.ndarray | None = None, scratch: bool = False,
           filled_at: np.ndarray | None = None,
           counts: bool = True) -> dict[str, np.ndarray]:
    """The per-model numbers of one block of rows (see :func:`_aggregate`);
    ``known`` (``isfinite`` of the normalised scores) and ``wins`` (the
    winners mask) are computed here unless the pass has them; ``scratch``
    says the normalised scores are the block's own, to be overwritten (their
    NaN made 0 in place, after the counts that need them); ``filled_at``
    (:func:`filled_columns`) the only tasks where a cell can be zero-filled
    (default: every task is looked at); without ``counts`` only the means and
    levels (no counts, no zero-filled cells)."""
    scores = norm.scores
    n_mod = len(groups.modalities)
    match prof.aggregation:
        case "pooled":
            pooled = True
        case "per_modality":
            pooled = False
        case _:
            unreachable("aggregation", prof.aggregation)
    table = groups.mean_columns(pooled)
    known = np.isfinite(scores) if known is None else known
    if counts:
        # before the scores' NaN become 0; counted on the columns where a cell can be filled
        filled = zero_filled(raw, norm, prof, known, filled_at)
        filled_g = levels.group_counts(filled, groups.counting_columns if filled_at is None
                                       else levels.group_columns(groups.counting[filled_at]))
    # credit is finite (Rule.credit); the scores with NaN as 0 (they hold no infinity)
    zeroed = levels.keep_where(known, scores, out=scores if scratch else None)
    means2 = levels.group_means(zeroed, table, clean=True)
    means3 = levels.group_means(credit, table, clean=True)
    comp2, gen2 = means2[:, :n_mod], means2[:, n_mod:2 * n_mod]
    comp3, gen3 = means3[:, :n_mod], means3[:, n_mod:2 * n_mod]
    s_l = means3[:, 2 * n_mod]
    eps, mean = prof.level4_epsilon, prof.level4_mean
    per = levels.aggregate(comp2, gen2, comp3, gen3, s_l, eps, mean)
    if pooled:
        k = 2 * n_mod + 1
        total = levels.aggregate(means2[:, k:k + 1], means2[:, k + 1:], means3[:, k:k + 1],
                                 means3[:, k + 1:], s_l, eps, mean)
    else:
        total = per
    level_arrays = {
        "comp2": comp2, "gen2": gen2, "comp3": comp3, "gen3": gen3,
        "level2_m": per.level2_m, "level3_m": per.level3_m, "level4_m": per.level4_m,
        "level2": total.level2, "level3": total.level3, "level4": total.level4,
        "level5": total.level5, "s_l": s_l, "level": total.level,
    }
    if not counts:
        return level_arrays

    wins = levels.beats_sota(scores, norm.sota, known) if wins is None else wins
    supported = supported_cells(norm, prof, known, zeroed)
    if prof.supported_count != "present":  # "present": a win is already a known cell
        wins = np.logical_and(wins, supported, out=wins)  # a win is a supported cell
    either = groups.counting_columns
    wins_g, supported_g = levels.group_counts(wins, either), levels.group_counts(supported, either)
    match prof.supported_count:
        case "official":  # the reference's NLP line counts on the raw values
            nlp_columns = table[2 * n_mod]  # a view where the NLP tasks are adjacent
            if nlp_columns is None:
                nlp_supported = nlp_wins = np.zeros(len(raw), dtype=np.intp)
            else:
                raw_nlp, sota_nlp = raw[:, nlp_columns], raw_sota[nlp_columns]
                nlp_supported = np.count_nonzero(np.isfinite(raw_nlp) & np.isfinite(sota_nlp),
                                                 axis=1)
                nlp_wins = np.count_nonzero(levels.beats_sota(raw_nlp, sota_nlp), axis=1)
        case "present":
            nlp_supported, nlp_wins = supported_g[:, n_mod], wins_g[:, n_mod]
        case _:
            unreachable("supported_count", prof.supported_count)
    return {
        **level_arrays,
        "supported_m": supported_g[:, :n_mod], "wins_m": wins_g[:, :n_mod],
        "filled_m": filled_g[:, :n_mod], "nlp_filled": filled_g[:, n_mod],
        "nlp_supported": nlp_supported, "nlp_wins": nlp_wins,
    }


def _scores(bench: Benchmark, prof: Profile, rule_label: str, groups: TaskGroups,
            arrays: Mapping[str, np.ndarray]) -> Scores:
    return Scores(models=bench.models, model_names=bench.model_names, profile=prof.name,
                  rule=rule_label, modalities=groups.modalities,
                  tasks_m=groups.either.sum(axis=0), nlp_tasks=int(groups.nlp.sum()),
                  **arrays)


def _aggregate(bench: Benchmark, norm: Normalised, credit: np.ndarray, prof: Profile,
               rule_label: str) -> Scores:
    """Aggregate normalised scores and credit into :class:`Scores`.

    Per modality ``m``: the group means ``C2, G2`` (scores) and ``C3, G3``
    (credit), ``sum_{t in group} x_t / |group|`` with NaN as 0, then
    :func:`glscore.core.levels.aggregate` (``per_modality``: overall = mean
    over the modalities; ``pooled``: one comprehension and one generation
    group over all modalities).
    """
    groups = TaskGroups.of(bench, prof)
    arrays = _block(bench.values, bench.sota, norm, credit, prof, groups)
    return _scores(bench, prof, rule_label, groups, arrays)
