"""Natural experiments in the published results: each generalist against a language model
of its own family on the NLP tasks.

Many multimodal generalists were evaluated on the same 115 NLP tasks as a
language model of the data that Table 4 of the paper links to their
backbone (``base_model_id`` of ``data/models.csv``, with an evidence tier
``exact`` = their own base LLM, ``version`` = an earlier or later version of
it, ``sibling`` = another size or a related model of the family; and, apart
from Table 4, ``external`` = a base named only by the model's own paper).
For a pair (MLLM ``m``, base ``b``) and the NLP tasks ``T``:

* ``d_t = s_{m,t} - s_{b,t}``: the paired difference on the 0-100 normalised
  scale of the chosen profile, over the tasks both support (``drop``, the
  default), or with unsupported cells read as 0 (``zero``: General-Level's own
  reading; a model with no printed row in a sheet is *not evaluated* there
  and is never read as 0), or without the cells the data-quality checks flag
  (``clean``);
* ``n``, mean ``D``, median, wins (``d > 0``) and losses (``d < 0``), the
  two-sided sign test ``P(Bin(wins + losses, 1/2))`` and the Wilcoxon
  signed-rank test (zeros dropped);
* two percentile bootstrap intervals of ``D``: resampling the NLP tasks
  (task bootstrap), and resampling the NLP skill groups ``L-1 .. L-22``
  with all their tasks (cluster bootstrap: tasks of one group move together);
* the calls *better / worse / indistinguishable* (:func:`pair_calls`) from a
  t-test of ``D`` whose variance adds, to the sampling variance of the
  tasks (task level: ``sd^2 / n``; skill-group level: the cluster-robust
  variance of :func:`cluster_se`), the variance ``f^2`` of re-running one
  model (the noise floor, :mod:`glscore.analysis.floor`), with the
  Holm or Benjamini-Hochberg adjustment over the pairs;
* random-effects pooling per tier (:func:`pooling_table`, with
  :mod:`glscore.analysis.meta`): HKSJ by default, the alternatives beside.

Everything here returns frames and numbers; sentences are built by the
``finding_*`` functions from the same numbers; :mod:`glscore.figures.natural`
draws them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from glscore import paths
from glscore.analysis import meta
from glscore.analysis.resample import unit_counts, weighted_sums
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import Scoring, score_detailed
from glscore.errors import InputError
from glscore.io import quality
from glscore.io.loaders import load_paper

TIERS: tuple[str, ...] = ("exact", "version", "sibling")
"""Evidence tiers of a Table 4 base-model link, strongest first (``data/README.md``)."""
EXTERNAL = "external"
"""Tier of a base named by the model's own paper, not by Table 4: a sensitivity only."""
LINK_TIERS: tuple[str, ...] = (*TIERS, EXTERNAL)
MODES: tuple[str, ...] = ("drop", "zero", "clean")
"""Treatments of unsupported / suspicious cells (see the module docstring)."""
ALT_SUFFIX = "@2"
"""Model-id suffix of a model's second printed row (``scores_alternates.csv``)."""
#: Defaults of the data-quality checks used to flag cells (``clean`` mode).
MIN_RUN = 8
MIN_MODELS = 5
Z95 = 1.959963984540054
"""The 97.5% quantile of the standard normal distribution."""
ALPHA = 0.05
"""Level of the pair calls (two-sided, after the adjustment)."""
INTERVALS: tuple[str, ...] = ("cluster", "task")
"""Units of the pair calls: skill groups (the default) and tasks."""
DEFAULT_CALL = "call_cluster_holm"
"""The call the sentences and figures use: skill-group interval, Holm's adjustment."""


# --------------------------------------------------------------------------
# Inputs: the models table, the alternates, one scoring pass.
# --------------------------------------------------------------------------


def read_models(path: Path | str = paths.MODELS_CSV) -> pd.DataFrame:
    """``data/models.csv`` with text columns as text (empty = ``""``)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    needed = ("model_id", "display_name", "base_model_id", "base_tier", "modalities",
              "paradigms", "citation", "backbone_lineage", "backbone_version",
              "backbone_params_b", "table4_doubtful", "group")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: lacks column(s) {missing} (rebuild data/ with "
                         "python -m glscore.io.curate)")
    return frame


def with_alternates(bench: Benchmark, path: Path | str | None = None) -> Benchmark:
    """``bench`` plus one row per model printed twice (id ``model@2``, values
    of ``scores_alternates.csv``, NaN where that row has no cell)."""
    path = Path(path) if path is not None else paths.DATA_DIR / "scores_alternates.csv"
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    alt = pd.read_csv(path)
    if not len(alt):
        return bench
    col = {t: j for j, t in enumerate(bench.tasks["task_id"])}
    unknown = sorted(set(alt["task_id"]) - set(col))
    if unknown:
        raise InputError(f"{path}: unknown task_id {unknown[0]!r}")
    ids = sorted(set(alt["model_id"]))
    row = {m: i for i, m in enumerate(ids)}
    extra = np.full((len(ids), len(bench.tasks)), np.nan)
    extra[alt["model_id"].map(row).to_numpy(), alt["task_id"].map(col).to_numpy()] = (
        alt["value"].to_numpy(dtype=float))
    models = bench.models + tuple(m + ALT_SUFFIX for m in ids)
    names = bench.model_names + tuple(m + " (2nd row)" for m in ids)
    return Benchmark(bench.tasks, models, np.vstack([bench.values, extra]), bench.sheets,
                     bench.source, names, metadata=bench.metadata)


@dataclass(frozen=True)
class Natural:
    """One scoring pass over the paper data (plus second printed rows), the
    models table and the data-quality flags: what every analysis here uses.

    ``flagged`` (models x tasks) marks cells inside a copied run or holding a
    shared value (:mod:`glscore.io.quality`); second rows are never
    flagged. ``evaluated`` (models x tasks) says the model has a printed row
    (supported or not) in the task's sheet: a model without one was not
    evaluated there, which is not the same as scoring 0.
    """

    scoring: Scoring
    meta: pd.DataFrame
    copies: pd.DataFrame
    shared: pd.DataFrame
    flagged: np.ndarray
    evaluated: np.ndarray

    @property
    def bench(self) -> Benchmark:
        return self.scoring.bench

    @property
    def nlp(self) -> np.ndarray:
        """Boolean mask of the NLP tasks."""
        return (self.bench.tasks["paradigm"] == "nlp").to_numpy()

    @property
    def nlp_tasks(self) -> pd.DataFrame:
        return self.bench.tasks.loc[self.nlp].reset_index(drop=True)

    def rows(self, ids: Sequence[str]) -> np.ndarray:
        """Row indices of model ids (an :class:`InputError` names an unknown one)."""
        index = {m: i for i, m in enumerate(self.bench.models)}
        unknown = [m for m in ids if m not in index]
        if unknown:
            raise InputError(f"unknown model id(s) {unknown}")
        return np.array([index[m] for m in ids], dtype=int)

    def name(self, model_id: str) -> str:
        return self.bench.model_names[int(self.rows([model_id])[0])]


def flagged_cells(bench: Benchmark, copies: pd.DataFrame, shared: pd.DataFrame) -> np.ndarray:
    """Boolean (models x tasks): the cells of both models from the first to the
    last task of every copied run, and every cell holding a shared value
    (frames of :func:`quality.copied_runs` and :func:`quality.shared_values`)."""
    out = np.zeros(bench.values.shape, dtype=bool)
    row = {m: i for i, m in enumerate(bench.models)}
    col = {t: j for j, t in enumerate(bench.tasks["task_id"])}
    for a, b, first, last in copies[["model_a", "model_b", "first_task",
                                     "last_task"]].itertuples(index=False):
        out[[row[a], row[b]], col[first]:col[last] + 1] = True
    for task, models in shared[["task_id", "models"]].itertuples(index=False):
        out[[row[m] for m in str(models).split(", ")], col[task]] = True
    return out & np.isfinite(bench.values)


def evaluated_cells(bench: Benchmark, printed: pd.DataFrame | None = None) -> np.ndarray:
    """Boolean (models x tasks): the model has a printed row in the task's sheet.

    ``printed`` lists the printed rows (``model_id``, ``task_id``; a supported
    value or not, ``data/scores.csv`` and the second rows of
    ``scores_alternates.csv`` as ``model@2``). Without it a model counts as
    evaluated on a sheet where it has at least one known value (a matrix
    cannot tell an unprinted row from an unsupported one).
    """
    sheets = bench.tasks["sheet"].astype(str).to_numpy()
    labels, sheet_of = np.unique(sheets, return_inverse=True)
    per_sheet = np.zeros((len(bench.models), len(labels)), dtype=bool)
    if printed is None:
        known = np.isfinite(bench.values)
        for k in range(len(labels)):
            per_sheet[:, k] = known[:, sheet_of == k].any(axis=1)
    else:
        row = pd.Index(bench.models).get_indexer(printed["model_id"])
        col = pd.Index(bench.tasks["task_id"]).get_indexer(printed["task_id"])
        ok = (row >= 0) & (col >= 0)
        per_sheet[row[ok], sheet_of[col[ok]]] = True
    return per_sheet[:, sheet_of]


def _printed_rows(alternates: Path | str | None = None) -> pd.DataFrame:
    """``(model_id, task_id)`` of every printed cell of the committed data."""
    path = Path(alternates) if alternates is not None else paths.DATA_DIR / "scores_alternates.csv"
    first = pd.read_csv(paths.SCORES_CSV, usecols=["model_id", "task_id"])
    second = pd.read_csv(path, usecols=["model_id", "task_id"])
    second["model_id"] = second["model_id"] + ALT_SUFFIX
    return pd.concat([first, second], ignore_index=True)


def prepare(bench: Benchmark | None = None, profile: str | Profile = "paper",
            meta: pd.DataFrame | None = None, alternates: Path | str | None = None,
            min_run: int = MIN_RUN, min_models: int = MIN_MODELS) -> Natural:
    """Score the paper data with its second printed rows once, and flag cells.

    The checks run on the published rows only (``bench``, before the second
    rows are added). Which sheets a model was evaluated on comes from the
    printed rows of ``data/`` for the paper data (``bench`` None), else from
    the known values (:func:`evaluated_cells`).
    """
    printed = _printed_rows(alternates) if bench is None else None
    bench = load_paper() if bench is None else bench
    meta = read_models() if meta is None else meta
    copies = quality.copied_runs(bench, min_run=min_run)
    shared = quality.shared_values(bench, min_models=min_models)
    flags = flagged_cells(bench, copies, shared)
    full = with_alternates(bench, alternates)
    flagged = np.zeros(full.values.shape, dtype=bool)
    flagged[: len(bench.models)] = flags
    return Natural(score_detailed(full, profile), meta, copies, shared, flagged,
                   evaluated_cells(full, printed))


def published(nat: Natural) -> Benchmark:
    """The benchmark without the second printed rows."""
    keep = [m for m in nat.bench.models if not m.endswith(ALT_SUFFIX)]
    return nat.bench.select_models(keep)


def mapped_tasks(nat: Natural) -> list[str]:
    """Task ids whose metric the profile maps (not used as printed)."""
    return nat.bench.tasks["task_id"][nat.scoring.norm.mapped].tolist()


# --------------------------------------------------------------------------
# Pairs and paired differences.
# --------------------------------------------------------------------------


def links(meta: pd.DataFrame, models: Sequence[str] | None = None) -> pd.DataFrame:
    """Every generalist with a ``base_model_id``: ``mllm, base, tier, added,
    paradigms, evidence``, in tier order (:data:`LINK_TIERS`) then ``mllm``.
    ``added`` = its modalities other than language. ``models`` keeps only
    pairs whose two models are in it."""
    linked = meta[meta["base_model_id"] != ""]
    frame = pd.DataFrame({
        "mllm": linked["model_id"].to_numpy(),
        "base": linked["base_model_id"].to_numpy(),
        "tier": linked["base_tier"].to_numpy(),
        "added": [";".join(m for m in mods.split(";") if m != "NLP")
                  for mods in linked["modalities"]],
        "paradigms": linked["paradigms"].to_numpy(),
        "evidence": linked["base_evidence"].to_numpy(),
    })
    bad = sorted(set(frame["tier"]) - set(LINK_TIERS))
    if bad:
        raise InputError(f"models.csv: unknown base_tier {bad[0]!r}; expected one of "
                         f"{LINK_TIERS}")
    if models is not None:
        keep = set(models)
        frame = frame[frame["mllm"].isin(keep) & frame["base"].isin(keep)]
    order = frame["tier"].map({t: i for i, t in enumerate(LINK_TIERS)})
    frame = frame.assign(_o=order).sort_values(["_o", "mllm"], kind="stable")
    return frame.drop(columns="_o").reset_index(drop=True)


def differences(nat: Natural, a: Sequence[str], b: Sequence[str], mode: str = "drop",
                tasks: np.ndarray | None = None) -> np.ndarray:
    """Paired differences ``s_a - s_b`` (pairs x tasks) on the normalised scale.

    ``tasks`` is a boolean task mask (default: the NLP tasks). ``drop``: NaN
    where either cell is unsupported; ``zero``: an unsupported cell counts 0,
    NaN where both are unsupported or where either model was not evaluated
    on the task's sheet (no printed row: not a 0); ``clean``: ``drop`` and NaN
    where either cell is flagged by the data-quality checks.
    """
    if mode not in MODES:
        raise InputError(f"unknown mode '{mode}'; choose one of {list(MODES)}")
    mask = nat.nlp if tasks is None else np.asarray(tasks, dtype=bool)
    scores = nat.scoring.norm.scores[:, mask]
    ia, ib = nat.rows(a), nat.rows(b)
    sa, sb = scores[ia], scores[ib]
    if mode == "zero":
        evaluated = nat.evaluated[:, mask]
        absent = (np.isnan(sa) & np.isnan(sb)) | ~evaluated[ia] | ~evaluated[ib]
        out = np.nan_to_num(sa) - np.nan_to_num(sb)
        out[absent] = np.nan
        return out
    out = sa - sb
    if mode == "clean":
        flagged = nat.flagged[:, mask]
        out[flagged[ia] | flagged[ib]] = np.nan
    return out


def bootstrap_weights(groups: np.ndarray, n_boot: int, seed: int) -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """Resampling weights (n_boot x tasks): tasks, and clusters of tasks.

    Task bootstrap: ``T`` draws with replacement from the ``T`` tasks (the
    weight of a task is how often it is drawn). Cluster bootstrap: ``G``
    draws from the ``G`` groups; each task weighs as often as its group is
    drawn. Integer draws counted by one ``bincount``
    (:func:`glscore.analysis.resample.unit_counts`); one generator, seeded,
    draws the task weights first.
    """
    rng = np.random.default_rng(seed)
    n_tasks = len(groups)
    task_w = unit_counts(np.zeros(n_tasks, dtype=np.int64), n_boot, rng)
    labels, codes = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    group_w = unit_counts(np.zeros(len(labels), dtype=np.int64), n_boot, rng)
    return task_w.astype(float), group_w[:, codes].astype(float)


def resampled_means(diffs: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted means of each row of ``diffs`` (NaN = absent) per resample.

    ``mean_{b,p} = sum_t w_{b,t} d_{p,t} / sum_t w_{b,t} [d_{p,t} known]``
    (NaN where a resample holds none of the pair's tasks); ``n_boot x pairs``.
    The numerator is summed task after task (:func:`glscore.analysis.resample.weighted_sums`:
    no BLAS, the same bits on every CPU); the denominator adds whole numbers.
    """
    known = np.isfinite(diffs)
    num = weighted_sums(np.where(known, diffs, 0.0), weights)
    den = weights @ known.T.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def percentile_interval(samples: np.ndarray, level: float = 0.95) -> tuple[np.ndarray,
                                                                          np.ndarray]:
    """Percentile interval per column of ``samples`` (NaN rows ignored)."""
    tail = 100.0 * (1.0 - level) / 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns give NaN
        low = np.nanpercentile(samples, tail, axis=0)
        high = np.nanpercentile(samples, 100.0 - tail, axis=0)
    return low, high


def sign_test(wins: int, losses: int) -> float:
    """Two-sided sign test: ``P`` of a split at least as uneven under ``Bin(n, 1/2)``.

    >>> round(sign_test(9, 1), 4)   # 2 * (1 + 10) / 2**10
    0.0215
    """
    from scipy import stats

    n = int(wins) + int(losses)
    if n == 0:
        return float("nan")
    return float(stats.binomtest(int(wins), n, 0.5).pvalue)


def wilcoxon_p(d: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p of the known, non-zero differences."""
    from scipy import stats

    d = d[np.isfinite(d)]
    d = d[d != 0]
    if len(d) == 0:
        return float("nan")
    return float(stats.wilcoxon(d).pvalue)


def cluster_se(diffs: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cluster-robust standard error of each row's mean, and its number of clusters.

    For a row with known differences ``d_t`` (``n`` of them, mean ``D``) in
    ``G`` groups: ``se^2 = G / (G - 1) * sum_g (sum_{t in g} (d_t - D))^2 / n^2``
    (the CR1 sandwich of a mean; NaN for ``G < 2``). With one task per group
    it is ``sd / sqrt(n)`` (``sd`` with ``n - 1`` degrees of freedom).

    >>> se, g = cluster_se(np.array([[1.0, 3.0, 5.0, 7.0]]), np.array(["a", "a", "b", "b"]))
    >>> float(se[0]), int(g[0])   # D = 4, sums -4 and 4: 2 * 32 / 16 = 4
    (2.0, 2)
    """
    known = np.isfinite(diffs)
    n = known.sum(axis=1)
    labels, codes = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(known, diffs, 0.0).sum(axis=1) / np.maximum(n, 1)
    resid = np.where(known, diffs - mean[:, None], 0.0)
    rows, n_groups = resid.shape[0], len(labels)
    cell_group = (np.arange(rows)[:, None] * n_groups + codes[None, :]).ravel()
    # rows x groups: added in task order by bincount (no BLAS: the same bits on every CPU)
    sums = np.bincount(cell_group, weights=resid.ravel(),
                       minlength=rows * n_groups).reshape(rows, n_groups)
    present = np.bincount(cell_group, weights=known.ravel(),
                          minlength=rows * n_groups).reshape(rows, n_groups) > 0
    g = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = g / (g - 1.0) * (sums ** 2).sum(axis=1) / n.astype(float) ** 2
    return np.where(g >= 2, np.sqrt(var), np.nan), g


STAT_COLUMNS = ("n", "mean_diff", "median_diff", "sd", "se", "groups", "se_cluster", "wins",
                "losses", "ties", "sign_p", "wilcoxon_p", "ci_low", "ci_high", "cluster_low",
                "cluster_high", "floor_sd", "p_task", "p_cluster", "call_task_low",
                "call_task_high", "call_cluster_low", "call_cluster_high")


def _t_test(mean: np.ndarray, se: np.ndarray, df: np.ndarray, level: float = 0.95
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two-sided p of ``mean = 0`` and the ``level`` interval, ``t`` with ``df``."""
    from scipy import stats

    ok = np.isfinite(mean) & np.isfinite(se) & (se > 0) & (df >= 1)
    safe_df = np.where(ok, df, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(ok, 2.0 * stats.t.sf(np.abs(mean) / np.where(ok, se, 1.0), safe_df), np.nan)
        half = stats.t.ppf(1.0 - (1.0 - level) / 2.0, safe_df) * se
    return p, np.where(ok, mean - half, np.nan), np.where(ok, mean + half, np.nan)


def pair_statistics(diffs: np.ndarray, groups: np.ndarray, n_boot: int = 2000,
                    seed: int = 0, floor_sd: float = 0.0) -> pd.DataFrame:
    """The statistics of :data:`STAT_COLUMNS` for each row of ``diffs``.

    ``sd`` has ``n - 1`` degrees of freedom, ``se = sd / sqrt(n)``,
    ``se_cluster`` the cluster-robust one over ``groups`` skill groups
    (:func:`cluster_se`). ``ci_*`` is the task-bootstrap and ``cluster_*``
    the group-bootstrap 95% percentile interval of the mean (``groups``: one
    label per task; NaN with ``n_boot = 0``). The calls' tests add the
    variance of re-running one model, ``floor_sd^2``: task level
    ``t = D / sqrt(se^2 + f^2)`` with ``n - 1`` degrees of freedom,
    skill-group level ``t = D / sqrt(se_cluster^2 + f^2)`` with ``G - 1``;
    ``p_*`` are their two-sided p-values, ``call_*_low/high`` their 95%
    intervals.
    """
    known = np.isfinite(diffs)
    n = known.sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows without a known cell give NaN
        mean = np.nanmean(diffs, axis=1)
        median = np.nanmedian(diffs, axis=1)
        sd = np.nanstd(diffs, axis=1, ddof=1)
    se = np.where(n > 0, sd / np.sqrt(np.maximum(n, 1)), np.nan)
    se_cl, g = cluster_se(diffs, groups)
    filled = np.where(known, diffs, 0.0)
    wins = ((filled > 0) & known).sum(axis=1)
    losses = ((filled < 0) & known).sum(axis=1)
    f2 = float(floor_sd) ** 2
    p_task, task_low, task_high = _t_test(mean, np.sqrt(se ** 2 + f2), n - 1.0)
    p_cl, cl_low, cl_high = _t_test(mean, np.sqrt(se_cl ** 2 + f2), g - 1.0)
    frame = pd.DataFrame({
        "n": n, "mean_diff": mean, "median_diff": median, "sd": sd, "se": se, "groups": g,
        "se_cluster": se_cl, "wins": wins, "losses": losses, "ties": n - wins - losses,
        "sign_p": [sign_test(w, k) for w, k in zip(wins, losses, strict=True)],
        "wilcoxon_p": [wilcoxon_p(row) for row in diffs],
    })
    if n_boot > 0 and len(diffs):
        task_w, cluster_w = bootstrap_weights(groups, n_boot, seed)
        frame["ci_low"], frame["ci_high"] = percentile_interval(resampled_means(diffs, task_w))
        frame["cluster_low"], frame["cluster_high"] = percentile_interval(
            resampled_means(diffs, cluster_w))
    else:
        for c in ("ci_low", "ci_high", "cluster_low", "cluster_high"):
            frame[c] = np.nan
    frame["floor_sd"] = float(floor_sd)
    frame["p_task"], frame["p_cluster"] = p_task, p_cl
    frame["call_task_low"], frame["call_task_high"] = task_low, task_high
    frame["call_cluster_low"], frame["call_cluster_high"] = cl_low, cl_high
    return frame[list(STAT_COLUMNS)]


def pairs_table(nat: Natural, mode: str = "drop", n_boot: int = 2000, seed: int = 0,
                pairs: pd.DataFrame | None = None, floor_sd: float = 0.0) -> pd.DataFrame:
    """One row per pair (``mllm``, ``base``, ``tier``, ...) with its statistics
    (:func:`pair_statistics`) and calls (:func:`pair_calls`).

    ``pairs`` defaults to :func:`links` of the models table (pairs of models
    present in the data, the ``external`` tier included); ``mode`` is one of
    :data:`MODES`; ``floor_sd`` is the noise floor (the SD of a mean
    difference between two runs of one model, :func:`glscore.analysis.floor.floor_sd`).
    """
    pairs = links(nat.meta, nat.bench.models) if pairs is None else pairs
    diffs = differences(nat, pairs["mllm"].tolist(), pairs["base"].tolist(), mode)
    groups = nat.nlp_tasks["skill_group_id"].to_numpy(dtype=str)
    stats = pair_statistics(diffs, groups, n_boot, seed, floor_sd)
    out = pd.concat([pairs.reset_index(drop=True), stats], axis=1)
    out.insert(1, "mllm_name", [nat.name(m) for m in out["mllm"]])
    out.insert(3, "base_name", [nat.name(m) for m in out["base"]])
    ia, ib = nat.rows(out["mllm"].tolist()), nat.rows(out["base"].tolist())
    out["evaluated"] = nat.evaluated[ia][:, nat.nlp].any(axis=1) & nat.evaluated[ib][
        :, nat.nlp].any(axis=1)
    out["mode"] = mode
    return pair_calls(out)


# --------------------------------------------------------------------------
# Calls: better / worse / indistinguishable, under each interval and adjustment.
# --------------------------------------------------------------------------


def call_columns() -> list[str]:
    """``call_<interval>_<adjustment>`` for every interval and adjustment."""
    return [f"call_{i}_{a}" for i in INTERVALS for a in meta.ADJUSTMENTS]


def pair_calls(table: pd.DataFrame, alpha: float = ALPHA,
               family: Sequence[str] = TIERS) -> pd.DataFrame:
    """``table`` with a call per pair under every interval and adjustment.

    The family of tests is the pairs with ``n > 0`` whose tier is in
    ``family`` (the Table 4 tiers: the ``external`` row and pairs without a
    shared task get no call, ``""``). A pair is ``better`` (``worse``) when its
    adjusted p-value (:func:`glscore.analysis.meta.adjust`: Holm, Benjamini-
    Hochberg, or none) is below ``alpha`` and ``D > 0`` (``< 0``), else
    ``indistinguishable`` from re-running one model.
    """
    out = table.copy()
    in_family = (out["n"] > 0) & out["tier"].isin(list(family))
    sign = np.sign(out["mean_diff"].to_numpy())
    for interval in INTERVALS:
        p = np.where(in_family, out[f"p_{interval}"].to_numpy(dtype=float), np.nan)
        for adjustment in meta.ADJUSTMENTS:
            adjusted = meta.adjust(p, adjustment)
            with np.errstate(invalid="ignore"):
                clear = adjusted < alpha
            call = np.where(clear & (sign > 0), "better",
                            np.where(clear & (sign < 0), "worse", "indistinguishable"))
            out[f"call_{interval}_{adjustment}"] = np.where(in_family, call, "")
    return out


def call_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Counts of each call under each interval and adjustment (the pairs that
    have a call), with the number of distinct bases among the better and the
    worse pairs."""
    rows = []
    part = table[table[DEFAULT_CALL] != ""]
    for interval in INTERVALS:
        for adjustment in meta.ADJUSTMENTS:
            calls = part[f"call_{interval}_{adjustment}"]
            rows.append({
                "interval": interval, "adjustment": adjustment, "pairs": len(part),
                **{c: int((calls == c).sum()) for c in ("better", "worse", "indistinguishable")},
                "better_bases": int(part.loc[calls == "better", "base"].nunique()),
                "worse_bases": int(part.loc[calls == "worse", "base"].nunique()),
            })
    return pd.DataFrame(rows)


def apart(table: pd.DataFrame) -> pd.DataFrame:
    """Linked pairs without a comparison (``n = 0``), with the reason: a model
    not evaluated on NLP (no printed row), or no NLP task both support."""
    part = table[table["n"] == 0]
    why = np.where(part["evaluated"], "no NLP task supported by both",
                   "not evaluated on NLP (no printed row)")
    return part.assign(reason=why)[["mllm", "mllm_name", "base", "base_name", "tier", "mode",
                                    "reason"]].reset_index(drop=True)


# --------------------------------------------------------------------------
# Pooling per tier.
# --------------------------------------------------------------------------

#: Pooling methods of :func:`pooling_table`, the default first: name -> label.
POOL_METHODS: dict[str, str] = {
    "hksj": "HKSJ, REML tau^2",
    "hksj_dl": "HKSJ, DL tau^2",
    "hksj_floor": "HKSJ with q >= 1, REML tau^2",
    "cluster": "cluster-robust by base, REML tau^2",
    "per_base": "one estimate per base, HKSJ, REML tau^2",
    "z_dl": "z interval, DL tau^2 (naive)",
}
#: Groups of pairs pooled: name -> tiers.
POOL_TIERS: dict[str, tuple[str, ...]] = {
    "exact": ("exact",), "version": ("version",), "sibling": ("sibling",), "all": TIERS,
    "exact+external": ("exact", EXTERNAL),
}


def pair_variance(table: pd.DataFrame) -> np.ndarray:
    """Within-pair variance of ``D`` used in the pooling: ``se_cluster^2 + floor_sd^2``."""
    return (table["se_cluster"] ** 2 + table["floor_sd"] ** 2).to_numpy(dtype=float)


def base_estimates(nat: Natural, table: pd.DataFrame, mode: str = "drop") -> pd.DataFrame:
    """One estimate per base (rows of ``table`` grouped by ``base``): the
    per-task differences averaged over the base's pairs (``dbar_t = mean`` of
    the known ``d_{p,t}``), then ``D_b = mean_t dbar_t`` with the
    cluster-robust variance of :func:`cluster_se` plus ``floor_sd^2``."""
    usable = table[table["n"] > 0].reset_index(drop=True)
    if not len(usable):
        return pd.DataFrame(columns=["base", "pairs", "n", "mean_diff", "var"])
    diffs = differences(nat, usable["mllm"].tolist(), usable["base"].tolist(), mode)
    groups = nat.nlp_tasks["skill_group_id"].to_numpy(dtype=str)
    bases = list(dict.fromkeys(usable["base"]))
    averaged = np.full((len(bases), diffs.shape[1]), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # tasks no pair of a base has
        for k, base in enumerate(bases):
            averaged[k] = np.nanmean(diffs[(usable["base"] == base).to_numpy()], axis=0)
    se, _ = cluster_se(averaged, groups)
    f2 = float(usable["floor_sd"].iloc[0]) ** 2
    return pd.DataFrame({
        "base": bases, "pairs": [int((usable["base"] == b).sum()) for b in bases],
        "n": np.isfinite(averaged).sum(axis=1), "mean_diff": np.nanmean(averaged, axis=1),
        "var": se ** 2 + f2,
    })


def pooling_table(nat: Natural, table: pd.DataFrame, mode: str = "drop") -> pd.DataFrame:
    """Pooled ``D`` per group of tiers (:data:`POOL_TIERS`) under every method
    of :data:`POOL_METHODS`: ``group, method, label, k`` (pairs), ``units``
    (independent units: pairs, or bases for the two base-aware methods),
    ``bases``, ``mu``, ``se``, ``ci_low``, ``ci_high``, ``df``, ``p``,
    ``pi_low``, ``pi_high``, ``tau``, ``i2``. Pairs without a shared task are
    left out.
    """
    rows = []
    for group, tiers in POOL_TIERS.items():
        part = table[table["tier"].isin(list(tiers)) & (table["n"] > 0)].reset_index(drop=True)
        y, v = part["mean_diff"].to_numpy(dtype=float), pair_variance(part)
        per_base = base_estimates(nat, part, mode)
        results = {
            "hksj": meta.random_effects(y, v, "REML", "hksj"),
            "hksj_dl": meta.random_effects(y, v, "DL", "hksj"),
            "hksj_floor": meta.random_effects(y, v, "REML", "hksj_floor"),
            "cluster": meta.cluster_robust(y, v, part["base"].to_numpy(), "REML"),
            "per_base": meta.random_effects(per_base["mean_diff"], per_base["var"], "REML",
                                            "hksj"),
            "z_dl": meta.random_effects(y, v, "DL", "z"),
        }
        for method, r in results.items():
            rows.append({"group": group, "method": method, "label": POOL_METHODS[method],
                         "k": len(part), "units": r.clusters, "bases": part["base"].nunique(),
                         "mu": r.mu, "se": r.se, "ci_low": r.ci_low, "ci_high": r.ci_high,
                         "df": r.df, "p": r.p, "pi_low": r.pi_low, "pi_high": r.pi_high,
                         "tau": r.tau, "i2": r.i2})
    return pd.DataFrame(rows)


def pooled(pool: pd.DataFrame, method: str = "hksj") -> pd.DataFrame:
    """The rows of one method of :func:`pooling_table`, indexed by group."""
    return pool[pool["method"] == method].set_index("group")


def pooled_by_mode(nat: Natural, floor_sd: float = 0.0) -> pd.DataFrame:
    """The default pooling (HKSJ, REML) of every group under every mode of
    :data:`MODES`: how much reading unsupported cells as 0, or leaving out
    flagged cells, moves the pooled tiers (not only single pairs)."""
    parts = []
    for mode in MODES:
        table = pairs_table(nat, mode, 0, 0, floor_sd=floor_sd)
        part = pooled(pooling_table(nat, table, mode)).reset_index()
        parts.append(part.assign(mode=mode))
    out = pd.concat(parts, ignore_index=True)
    return out[["mode", "group", "k", "bases", "mu", "ci_low", "ci_high", "pi_low", "pi_high",
                "tau"]]


def external_table(nat: Natural, table: pd.DataFrame) -> pd.DataFrame:
    """The ``external`` pairs with their data-quality flags: copied runs of
    identical values the two models share (:func:`glscore.io.quality.copied_runs`)
    and the number of identical NLP values."""
    part = table[table["tier"] == EXTERNAL].reset_index(drop=True)
    flags, identical = [], []
    raw = nat.bench.values[:, nat.nlp]
    for a, b in part[["mllm", "base"]].itertuples(index=False):
        runs = nat.copies[((nat.copies["model_a"] == a) & (nat.copies["model_b"] == b))
                          | ((nat.copies["model_a"] == b) & (nat.copies["model_b"] == a))]
        flags.append("; ".join(f"run of {r.length} identical values ({r.first_task} to "
                               f"{r.last_task})" for r in runs.itertuples(index=False)))
        ia, ib = nat.rows([a, b])
        both = np.isfinite(raw[ia]) & np.isfinite(raw[ib])
        identical.append(int((raw[ia][both] == raw[ib][both]).sum()))
    return part.assign(identical=identical, flags=flags)


# --------------------------------------------------------------------------
# Families, ladders, skill groups, sensitivity.
# --------------------------------------------------------------------------


def family_table(table: pd.DataFrame) -> pd.DataFrame:
    """Bases carrying two or more generalists: one row per generalist, with the
    modalities it adds, ordered by base then mean difference (Table 4 tiers only)."""
    usable = table[(table["n"] > 0) & table["tier"].isin(list(TIERS))]
    counts = usable.groupby("base")["mllm"].transform("size")
    part = usable[counts >= 2]
    cols = ["base_name", "mllm_name", "tier", "added", "paradigms", "n", "mean_diff", "ci_low",
            "ci_high"]
    return part.sort_values(["base_name", "mean_diff"], kind="stable")[cols].reset_index(
        drop=True)


def ladders(meta: pd.DataFrame) -> pd.DataFrame:
    """Size ladders of one recipe: generalists with the same Table 4 citation,
    modalities, paradigms, backbone lineage and version but different
    backbone sizes (doubtful rows and undisclosed sizes left out). One row per
    consecutive step: ``recipe, small, large, small_b, large_b``."""
    m = meta[(meta["group"] != "language") & (meta["group"] != "")
             & (meta["table4_doubtful"] != "true") & (meta["backbone_params_b"] != "")]
    m = m.assign(size=m["backbone_params_b"].astype(float))
    rows = []
    keys = ["citation", "modalities", "paradigms", "backbone_lineage", "backbone_version"]
    for key, group in m.groupby(keys, sort=True):
        sizes = group.sort_values(["size", "model_id"]).drop_duplicates("size")
        if len(sizes) < 2:
            continue
        ids, vals = sizes["model_id"].tolist(), sizes["size"].tolist()
        for k in range(len(ids) - 1):
            rows.append({"recipe": key[0], "small": ids[k], "large": ids[k + 1],
                         "small_b": vals[k], "large_b": vals[k + 1]})
    return pd.DataFrame(rows, columns=["recipe", "small", "large", "small_b", "large_b"])


def ladder_table(nat: Natural, mode: str = "drop", n_boot: int = 2000,
                 seed: int = 0, floor_sd: float = 0.0) -> pd.DataFrame:
    """Statistics of ``larger - smaller`` on the NLP tasks for every ladder step,
    with calls over the family of the steps."""
    lad = ladders(nat.meta)
    lad = lad[lad["small"].isin(nat.bench.models) & lad["large"].isin(nat.bench.models)]
    pairs = pd.DataFrame({"mllm": lad["large"], "base": lad["small"], "tier": "ladder"})
    out = pairs_table(nat, mode, n_boot, seed, pairs.reset_index(drop=True), floor_sd)
    out = pair_calls(out, family=("ladder",))
    out.insert(0, "recipe", lad["recipe"].to_numpy())
    out["small_b"], out["large_b"] = lad["small_b"].to_numpy(), lad["large_b"].to_numpy()
    return out


def by_skill_group(nat: Natural, table: pd.DataFrame, mode: str = "drop") -> pd.DataFrame:
    """Mean paired difference per NLP skill group and tier (over all cells of
    the tier's pairs), with the number of pairs and of cells."""
    diffs = differences(nat, table["mllm"].tolist(), table["base"].tolist(), mode)
    tasks = nat.nlp_tasks
    out = []
    for tier in TIERS:
        sel = (table["tier"] == tier).to_numpy()
        if not sel.any():
            continue
        for gid, short in tasks[["skill_group_id", "skill_short_name"]].drop_duplicates(
                "skill_group_id").itertuples(index=False):
            cols = (tasks["skill_group_id"] == gid).to_numpy()
            block = diffs[np.ix_(sel, cols)]
            known = np.isfinite(block)
            out.append({"skill_group_id": gid, "skill_short_name": short, "tier": tier,
                        "pairs": int(known.any(axis=1).sum()), "cells": int(known.sum()),
                        "mean_diff": float(block[known].mean()) if known.any() else np.nan})
    frame = pd.DataFrame(out)
    frame["_g"] = frame["skill_group_id"].str.split("-").str[1].astype(int)
    frame["_t"] = frame["tier"].map({t: i for i, t in enumerate(TIERS)})
    return frame.sort_values(["_g", "_t"], kind="stable").drop(columns=["_g", "_t"]).reset_index(
        drop=True)


def sensitivity(nat: Natural, n_boot: int = 2000, seed: int = 0,
                floor_sd: float = 0.0) -> pd.DataFrame:
    """Each pair's mean difference and interval under every mode of :data:`MODES`
    (long: one row per pair and mode)."""
    return pd.concat([pairs_table(nat, mode, n_boot, seed, floor_sd=floor_sd) for mode in MODES],
                     ignore_index=True)


def mode_shift(sens: pd.DataFrame) -> pd.DataFrame:
    """Per pair (Table 4 tiers): mean difference under each mode, side by side."""
    sens = sens[sens["tier"].isin(list(TIERS))]
    wide = sens.pivot_table(index=["mllm", "mllm_name", "base_name", "tier"], columns="mode",
                            values="mean_diff", sort=False).reset_index()
    return wide[["mllm", "mllm_name", "base_name", "tier", *MODES]]


# --------------------------------------------------------------------------
# Sentences.
# --------------------------------------------------------------------------


def _p(value: float) -> str:
    return "n/a" if not np.isfinite(value) else (f"{value:.2g}" if value < 0.001 else
                                                  f"{value:.3f}")


def verdict(low: float, high: float) -> str:
    """``a gain`` / ``a loss`` / ``no clear difference`` from an interval (NaN: ``no estimate``)."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return "no estimate"
    if low > 0:
        return "a gain"
    if high < 0:
        return "a loss"
    return "no clear difference"


def _interval(mu: float, low: float, high: float) -> str:
    if not np.isfinite(mu):
        return "n/a"
    if not (np.isfinite(low) and np.isfinite(high)):
        return f"{mu:+.2f} (no interval)"
    return f"{mu:+.2f} [{low:+.2f}, {high:+.2f}]"


def _names(frame: pd.DataFrame, column: str = "mllm_name") -> str:
    return ", ".join(frame[column].tolist())


ADJUSTMENT_WORDS = {"holm": "Holm", "bh": "Benjamini-Hochberg", "none": "unadjusted"}


def finding_pairs(table: pd.DataFrame, floor_sd: float, floor_n: int) -> str:
    """How many pairs there are, and the calls under the default test with the
    counts under every other interval and adjustment."""
    usable = table[(table["n"] > 0) & table["tier"].isin(list(TIERS))]
    linked = table[table["tier"].isin(list(TIERS))]
    by_tier = ", ".join(f"{int((usable['tier'] == t).sum())} {t}" for t in TIERS)
    counts = call_counts(table).set_index(["interval", "adjustment"])
    main = counts.loc[("cluster", "holm")]
    others = "; ".join(
        f"{'skill groups' if i == 'cluster' else 'tasks'}, {ADJUSTMENT_WORDS[a]}: "
        f"{int(counts.loc[(i, a), 'better'])} above, {int(counts.loc[(i, a), 'worse'])} below"
        for i in INTERVALS for a in meta.ADJUSTMENTS if (i, a) != ("cluster", "holm"))
    lost = len(linked) - len(usable)
    return (
        f"{len(usable)} linked pairs (a generalist and a language model of its family) share "
        f"NLP tasks ({by_tier}; {lost} more linked "
        f"pair(s) have no comparison and are listed apart). Testing each mean difference "
        f"against its skill-group interval plus the variance of re-running one model (noise "
        f"floor SD {floor_sd:.2f} points, from {floor_n} comparisons) with Holm's adjustment "
        f"over the {len(usable)} pairs, {int(main['better'])} generalists score clearly above "
        f"the language model they are compared with (their own base in the exact tier, an "
        f"earlier or related model of its family otherwise), {int(main['worse'])} clearly "
        f"below, and {int(main['indistinguishable'])} are indistinguishable from re-running one "
        f"model; the {int(main['better'])} above are compared with "
        f"{int(main['better_bases'])} distinct language model(s). Under the other choices: "
        f"{others}."
    )


def finding_apart(table: pd.DataFrame) -> str:
    """The linked pairs without a comparison, and why."""
    part = apart(table[table["tier"].isin(list(TIERS))])
    if not len(part):
        return "Every linked pair shares at least one supported NLP task."
    absent = part[part["reason"].str.startswith("not evaluated")]
    empty = part[~part["reason"].str.startswith("not evaluated")]
    text = "Listed apart (n = 0): "
    bits = []
    if len(absent):
        bits.append(f"{_names(absent)} were not evaluated on NLP (no printed row: n = 0 in "
                    "every mode, never a score of 0)")
    if len(empty):
        bits.append(f"{_names(empty)} share no supported NLP task with their base "
                    + ("(unsupported cells dropped)" if empty["mode"].iloc[0] == "drop"
                       else f"(mode '{empty['mode'].iloc[0]}')"))
    return text + "; ".join(bits) + "."


def _row(pool: pd.DataFrame, group: str, method: str) -> pd.Series | None:
    part = pool[(pool["group"] == group) & (pool["method"] == method)]
    return part.iloc[0] if len(part) and part["k"].iloc[0] > 0 else None


def _alternatives(pool: pd.DataFrame, by_mode: pd.DataFrame | None, group: str
                  ) -> list[tuple[str, float, float, float]]:
    """(label, mu, low, high) of every sensitivity of one group's pooled result."""
    out = []
    for method, label in POOL_METHODS.items():
        r = _row(pool, group, method)
        if method != "hksj" and r is not None:
            what = label if method not in ("cluster", "per_base") else (
                f"{label} ({int(r['units'])} bases)")
            out.append((what, r["mu"], r["ci_low"], r["ci_high"]))
    if by_mode is not None:
        for mode, words in (("zero", "unsupported cells read as 0"),
                            ("clean", "flagged cells left out")):
            part = by_mode[(by_mode["mode"] == mode) & (by_mode["group"] == group)]
            if len(part) and part["k"].iloc[0] > 0:
                r = part.iloc[0]
                out.append((words, r["mu"], r["ci_low"], r["ci_high"]))
    return out


def _sensitivity_clause(base_verdict: str, alternatives: list[tuple[str, float, float, float]]
                        ) -> str:
    changed = [a for a in alternatives if verdict(a[2], a[3]) != base_verdict]
    same = [a for a in alternatives if verdict(a[2], a[3]) == base_verdict]
    parts = []
    if changed:
        parts.append("the verdict changes under " + "; ".join(
            f"{label}: {_interval(mu, lo, hi)}, {verdict(lo, hi)}"
            for label, mu, lo, hi in changed))
    if same:
        parts.append(f"it stays {base_verdict} under " + "; ".join(
            f"{label}: {_interval(mu, lo, hi)}" for label, mu, lo, hi in same))
    return ", and ".join(parts)


def finding_paper_comparison(pool: pd.DataFrame, by_mode: pd.DataFrame | None = None) -> str:
    """The headline: the exact tier's pooled difference with every sensitivity in
    the same sentence; then the version and sibling tiers, worded as
    comparisons with an earlier or related model of the family."""
    exact = _row(pool, "exact", "hksj")
    if exact is None:
        text = ("No exact-tier pair shares an NLP task, so the data hold no like-for-like "
                "comparison.")
    else:
        v = verdict(exact["ci_low"], exact["ci_high"])
        alternatives = _alternatives(pool, by_mode, "exact")
        ext = _row(pool, "exact+external", "hksj")
        if ext is not None and ext["k"] > exact["k"]:
            alternatives.append((f"the external-tier pair added ({int(ext['k'])} pairs)",
                                 ext["mu"], ext["ci_low"], ext["ci_high"]))
        text = (f"Against its own base LLM (exact tier: {int(exact['k'])} pairs on "
                f"{int(exact['bases'])} bases), a generalist's NLP score differs by "
                f"{_interval(exact['mu'], exact['ci_low'], exact['ci_high'])} points (HKSJ, REML "
                f"tau^2; prediction interval for a new pair "
                f"[{exact['pi_low']:+.2f}, {exact['pi_high']:+.2f}]): {v}; "
                f"{_sensitivity_clause(v, alternatives)}.")
    parts = []
    for tier in ("version", "sibling"):
        r = _row(pool, tier, "hksj")
        if r is None:
            continue
        v = verdict(r["ci_low"], r["ci_high"])
        pb = _row(pool, tier, "per_base")
        clause = ""
        if pb is not None:
            vb = verdict(pb["ci_low"], pb["ci_high"])
            clause = (f"; one estimate per base ({int(pb['units'])} bases): "
                      f"{_interval(pb['mu'], pb['ci_low'], pb['ci_high'])}"
                      + (f", {vb}: the verdict rests on the bases with most pairs"
                         if vb != v else ""))
        parts.append(f"the {tier} tier shows {v} ({_interval(r['mu'], r['ci_low'], r['ci_high'])},"
                     f" {int(r['k'])} pairs on {int(r['bases'])} bases{clause})")
    if parts:
        text += (" Against an earlier or related model of the same family (not the model's own "
                 "base), " + "; ".join(parts) + ".")
    text += (" Only the exact tier compares like with like, and even there a difference can be "
             "the tuning recipe as much as the added modalities; the other tiers mix in version "
             "and size differences.")
    return text


def forest_headline(table: pd.DataFrame, pool: pd.DataFrame | None = None) -> str:
    """The forest plot's title: the like-for-like comparison first (the exact
    tier, each generalist against its own base LLM: pooled HKSJ estimate and
    verdict), then the pair calls, which mostly compare with an earlier or
    related model of the family (the version and sibling tiers)."""
    usable = table[table["n"] > 0]
    calls = usable.loc[usable[DEFAULT_CALL] != "", [DEFAULT_CALL, "tier"]]
    down = int((calls[DEFAULT_CALL] == "worse").sum())
    up = int((calls[DEFAULT_CALL] == "better").sum())
    own = int((calls["tier"] == "exact").sum())
    exact = None if pool is None else _row(pool, "exact", "hksj")
    head = ("" if exact is None else
            f"Against their own base LLM (exact tier, {int(exact['k'])} pairs) the pooled NLP "
            f"difference is {_interval(exact['mu'], exact['ci_low'], exact['ci_high'])} points, "
            f"{verdict(exact['ci_low'], exact['ci_high'])}; ")
    return (f"{head}of all {len(calls)} pairs ({len(calls) - own} against an earlier or related "
            f"model, not the own base), {down} score clearly below and {up} clearly above "
            "(skill-group test with the re-run variance, Holm)")


def finding_mode_pooled(by_mode: pd.DataFrame) -> str:
    """How reading unsupported cells as 0 (or leaving flagged cells out) moves
    the pooled tiers."""
    wide = by_mode.pivot(index="group", columns="mode", values="mu")
    k = by_mode.pivot(index="group", columns="mode", values="k")
    parts = []
    for group in (*TIERS, "all"):
        if group in wide.index and np.isfinite(wide.loc[group, "drop"]):
            more = (f", {int(k.loc[group, 'zero'])} pairs instead of {int(k.loc[group, 'drop'])}"
                    if k.loc[group, "zero"] != k.loc[group, "drop"] else "")
            parts.append(f"{group} {wide.loc[group, 'drop']:+.2f} -> {wide.loc[group, 'zero']:+.2f}"
                         f"{more} (flagged cells out: {wide.loc[group, 'clean']:+.2f})")
    return ("Reading unsupported cells as 0 instead of dropping them moves the pooled tiers "
            "(HKSJ, REML): " + "; ".join(parts) + ".")


def finding_external(ext: pd.DataFrame) -> str:
    """The external-tier pairs with their data-quality flags."""
    if not len(ext):
        return "No pair of the external tier."
    parts = []
    for r in ext.itertuples(index=False):
        flags = f"; the two rows share a {r.flags}" if r.flags else ""
        parts.append(f"{r.mllm_name}, whose own paper (not Table 4) builds it on {r.base_name}, "
                     f"scores {_interval(r.mean_diff, r.call_cluster_low, r.call_cluster_high)} "
                     f"points against it on {int(r.n)} NLP tasks ({r.wins} wins, {r.losses} "
                     f"losses) and prints {r.identical} values identical to it{flags}, so part "
                     "of its row may be its base's")
    return "Sensitivity only: " + "; ".join(parts) + "."


def finding_sensitivity(shift: pd.DataFrame) -> str:
    """How far zero-filling and cleaning move the pairs' mean differences."""
    zero = (shift["zero"] - shift["drop"]).abs()
    clean = (shift["clean"] - shift["drop"]).abs()
    worst = shift.loc[zero.idxmax()] if len(shift) and zero.notna().any() else None
    text = (f"Zero-filling unsupported cells moves a pair's mean difference by "
            f"{zero.median():.2f} points (median), up to {zero.max():.2f}")
    if worst is not None:
        text += (f" ({worst['mllm_name']} against {worst['base_name']}: "
                 f"{worst['drop']:+.1f} -> {worst['zero']:+.1f})")
    return text + (f"; leaving out cells flagged as possible copies or shared values moves it "
                   f"by {clean.median():.2f} (median), up to {clean.max():.2f}.")


def finding_family(families: pd.DataFrame) -> str:
    """Per base with several generalists: the spread of their differences."""
    parts = []
    for base, group in families.groupby("base_name", sort=True):
        lo, hi = group.iloc[0], group.iloc[-1]
        parts.append(f"{base} ({len(group)} generalists: {lo['mllm_name']} "
                     f"{lo['mean_diff']:+.1f} to {hi['mllm_name']} {hi['mean_diff']:+.1f})")
    return "Within one base, the differences spread widely: " + "; ".join(parts) + "."


def finding_ladders(lad: pd.DataFrame) -> str:
    """How often the larger model of a ladder step is better on NLP (default call)."""
    usable = lad[lad["n"] > 0]
    up = int((usable[DEFAULT_CALL] == "better").sum())
    down = int((usable[DEFAULT_CALL] == "worse").sum())
    return (f"Of {len(usable)} size steps within one recipe, the larger model is clearly "
            f"better on NLP in {up}, clearly worse in {down}, and not distinguishable in "
            f"{len(usable) - up - down} (skill-group interval with the noise floor, Holm over "
            "the steps).")


def finding_copies(copies: pd.DataFrame, shared: pd.DataFrame) -> str:
    """The data-quality checks in one sentence."""
    nlp = shared[shared["sheet"] == "NLP"]
    longest = copies.iloc[0] if len(copies) else None
    text = f"{len(copies)} runs of identical values shared by two models"
    if longest is not None:
        text += (f" (longest: {longest['model_a']} and {longest['model_b']}, "
                 f"{longest['length']} tasks of {longest['sheet']})")
    return text + (f", and {len(shared)} task values shared by many models ({len(nlp)} of them "
                   "on NLP tasks), are flagged as possible transcription copies or "
                   "floor values.")


def finding_level5(scores_level5: np.ndarray, n_models: int) -> str:
    """The paper's own reading, recomputed: how many models have Level-5 > 0."""
    positive = int((np.asarray(scores_level5) > 0).sum())
    return (f"Recomputed General-Level: {positive} of {n_models} models have a Level-5 score "
            "above 0 on the published values (the paper reports 0 for all): by its relaxation "
            "no generalist shows synergy with language, a verdict that measurement noise can "
            "overturn for some models (the Monte-Carlo study below gives P(Level-5) per model).")


# --------------------------------------------------------------------------
# JSON.
# --------------------------------------------------------------------------


def _num(x: object) -> float | None:
    value = float(x)  # type: ignore[arg-type]
    return value if math.isfinite(value) else None


def _pair_json(r: pd.Series) -> dict:
    return {
        "mllm": r["mllm"], "base": r["base"], "tier": r["tier"], "n": int(r["n"]),
        "mean_diff": _num(r["mean_diff"]), "se": _num(r["se"]),
        "se_cluster": _num(r["se_cluster"]), "skill_groups": int(r["groups"]),
        "ci": [_num(r["ci_low"]), _num(r["ci_high"])],
        "cluster_ci": [_num(r["cluster_low"]), _num(r["cluster_high"])],
        "wins": int(r["wins"]), "losses": int(r["losses"]), "sign_p": _num(r["sign_p"]),
        "wilcoxon_p": _num(r["wilcoxon_p"]),
        "tests": {i: {"p": _num(r[f"p_{i}"]),
                      "interval": [_num(r[f"call_{i}_low"]), _num(r[f"call_{i}_high"])],
                      "calls": {a: r[f"call_{i}_{a}"] or None for a in meta.ADJUSTMENTS}}
                  for i in INTERVALS},
    }


def _pool_json(pool: pd.DataFrame, group: str) -> dict:
    part = pool[pool["group"] == group]
    out: dict = {"k": int(part["k"].iloc[0]), "bases": int(part["bases"].iloc[0])}
    for r in part.itertuples(index=False):
        out[str(r.method)] = {
            "label": r.label, "units": int(r.units), "mu": _num(r.mu), "se": _num(r.se),
            "ci": [_num(r.ci_low), _num(r.ci_high)], "df": _num(r.df), "p": _num(r.p),
            "prediction_interval": [_num(r.pi_low), _num(r.pi_high)], "tau": _num(r.tau),
            "i2": _num(r.i2)}
    return out


def natural_json(table: pd.DataFrame, pool: pd.DataFrame, by_mode: pd.DataFrame,
                 floor: pd.DataFrame, floor_sd: float, ext: pd.DataFrame,
                 copies: pd.DataFrame) -> dict:
    """The ``glscore natural --json`` object (strict JSON: NaN becomes null).

    ``pairs`` (per pair: statistics, bootstrap intervals, and under
    ``tests.cluster`` / ``tests.task`` the p-value, interval and call under
    each adjustment), ``calls`` (counts per interval and adjustment),
    ``apart`` (pairs with n = 0, with the reason), ``pooled`` (per group of
    tiers: every method of :data:`POOL_METHODS`, each with its interval and
    prediction interval; ``cluster`` and ``per_base`` are the base-aware
    results), ``pooled_by_mode``, ``external`` (with its flags), ``floor``
    and ``copies``.
    """
    runs = [{"models": [r.model_a, r.model_b], "sheet": r.sheet,
             "run": {"first_task": r.first_task, "last_task": r.last_task,
                     "length": int(r.length)}}
            for r in copies.itertuples(index=False)]
    counts = call_counts(table)
    ext_rows = [{**_pair_json(r), "identical_values": int(r["identical"]),
                 "flags": r["flags"] or None} for _, r in ext.iterrows()]
    floor_rows = [{"models": [r.model_a, r.model_b], "kind": r.kind, "sheet": r.sheet,
                   "n": int(r.n), "mean_diff": _num(r.mean_diff), "used": bool(r.used),
                   "why": r.why} for r in floor.itertuples(index=False)]
    return {
        "pairs": [_pair_json(r) for _, r in table[table["tier"] != EXTERNAL].iterrows()],
        "calls": [{k: (v if isinstance(v, str) else int(v)) for k, v in row.items()}
                  for row in counts.to_dict("records")],
        "apart": apart(table[table["tier"].isin(list(TIERS))]).drop(
            columns=["mllm_name", "base_name"]).to_dict("records"),
        "pooled": {g: _pool_json(pool, g) for g in POOL_TIERS},
        "pooled_by_mode": [{"mode": r.mode, "group": r.group, "k": int(r.k),
                            "mu": _num(r.mu), "ci": [_num(r.ci_low), _num(r.ci_high)],
                            "prediction_interval": [_num(r.pi_low), _num(r.pi_high)]}
                           for r in by_mode.itertuples(index=False)],
        "external": ext_rows,
        "floor": {"sd": _num(floor_sd), "band": _num(Z95 * floor_sd), "comparisons": floor_rows},
        "copies": runs,
    }
