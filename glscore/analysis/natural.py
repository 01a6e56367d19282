"""Natural experiments in the published results: each generalist against its own base LLM.

Many multimodal generalists were evaluated on the same 115 NLP tasks as the
language model they were built on (``base_model_id`` of ``data/models.csv``,
linked from the paper's Table 4 with an evidence tier ``exact`` / ``version``
/ ``sibling``). For a pair (MLLM ``m``, base ``b``) and the NLP tasks ``T``:

* ``d_t = s_{m,t} - s_{b,t}``: the paired difference on the 0-100 normalised
  scale of the chosen profile, over the tasks both support (``drop``, the
  default), or with unsupported cells read as 0 (``zero``: General-Level's own
  reading), or without the cells the data-quality checks flag (``clean``);
* ``n``, mean, median, wins (``d > 0``) and losses (``d < 0``), the two-sided
  sign test ``P(Bin(wins + losses, 1/2))`` and the Wilcoxon signed-rank test
  (zeros dropped);
* two percentile intervals of the mean: resampling the NLP tasks (task
  bootstrap) and resampling the NLP skill groups ``L-1 .. L-22`` with all
  their tasks (cluster bootstrap, for tasks of one group that move together);
* random-effects pooling over the pairs of a tier (DerSimonian-Laird, below);
* a noise floor from the data itself: rows the paper prints twice for one
  model (``data/scores_alternates.csv``) and pairs that are effectively one
  model (:data:`NEAR_IDENTICAL`). A pair whose mean difference lies inside
  the band ``+- max |mean difference of the floor|`` is not distinguishable
  from re-running one model.

Everything here returns frames and numbers; sentences are built by the
``finding_*`` functions from the same numbers; :mod:`glscore.figures.natural`
draws them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from glscore import paths
from glscore.analysis import quality
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import Scoring, score_detailed
from glscore.errors import InputError
from glscore.io.loaders import load_paper

TIERS: tuple[str, ...] = ("exact", "version", "sibling")
"""Evidence tiers of a base-model link, strongest first (as in ``data/README.md``)."""
MODES: tuple[str, ...] = ("drop", "zero", "clean")
"""Treatments of unsupported / suspicious cells (see the module docstring)."""
ALT_SUFFIX = "@2"
"""Model-id suffix of a model's second printed row (``scores_alternates.csv``)."""

#: Pairs of model ids that are effectively one model, with the reason.
NEAR_IDENTICAL: tuple[tuple[str, str, str], ...] = (
    ("gpt-4o", "gpt-4o-4096", "GPT-4o with a 4096-token output limit"),
    ("gpt-4o", "chatgpt-4o-latest", "GPT-4o and its ChatGPT snapshot"),
)
#: Models whose second printed row is not used for the noise floor, with the reason.
FLOOR_EXCLUDED: dict[str, str] = {
    "deepseek-vl-7b-base": "its second NLP block may be DeepSeek-VL-7B-Chat (data/README.md)",
    "internvl-2-26b": "its other Video row copies InternVL-2.5-26B's (data/README.md)",
}
#: Defaults of the data-quality checks used to flag cells (``clean`` mode).
MIN_RUN = 8
MIN_MODELS = 5
Z95 = 1.959963984540054
"""The 97.5% quantile of the standard normal distribution."""


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
                     bench.source, names)


@dataclass(frozen=True)
class Natural:
    """One scoring pass over the paper data (plus second printed rows), the
    models table and the data-quality flags: what every analysis here uses.

    ``flagged`` (models x tasks) marks cells inside a copied run or holding a
    shared value (:mod:`glscore.analysis.quality`); second rows are never
    flagged.
    """

    scoring: Scoring
    meta: pd.DataFrame
    copies: pd.DataFrame
    shared: pd.DataFrame
    flagged: np.ndarray

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


def prepare(bench: Benchmark | None = None, profile: str | Profile = "paper",
            meta: pd.DataFrame | None = None, alternates: Path | str | None = None,
            min_run: int = MIN_RUN, min_models: int = MIN_MODELS) -> Natural:
    """Score the paper data with its second printed rows once, and flag cells.

    The checks run on the published rows only (``bench``, before the second
    rows are added).
    """
    bench = load_paper() if bench is None else bench
    meta = read_models() if meta is None else meta
    copies = quality.copied_runs(bench, min_run=min_run)
    shared = quality.shared_values(bench, min_models=min_models)
    flags = flagged_cells(bench, copies, shared)
    full = with_alternates(bench, alternates)
    flagged = np.zeros(full.values.shape, dtype=bool)
    flagged[: len(bench.models)] = flags
    return Natural(score_detailed(full, profile), meta, copies, shared, flagged)


# --------------------------------------------------------------------------
# Pairs and paired differences.
# --------------------------------------------------------------------------


def links(meta: pd.DataFrame, models: Sequence[str] | None = None) -> pd.DataFrame:
    """Every generalist with a ``base_model_id``: ``mllm, base, tier, added,
    paradigms, evidence``, in tier order then ``mllm``. ``added`` = its
    modalities other than language. ``models`` keeps only pairs whose two
    models are in it."""
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
    bad = sorted(set(frame["tier"]) - set(TIERS))
    if bad:
        raise InputError(f"models.csv: unknown base_tier {bad[0]!r}; expected one of {TIERS}")
    if models is not None:
        keep = set(models)
        frame = frame[frame["mllm"].isin(keep) & frame["base"].isin(keep)]
    order = frame["tier"].map({t: i for i, t in enumerate(TIERS)})
    frame = frame.assign(_o=order).sort_values(["_o", "mllm"], kind="stable")
    return frame.drop(columns="_o").reset_index(drop=True)


def differences(nat: Natural, a: Sequence[str], b: Sequence[str], mode: str = "drop",
                tasks: np.ndarray | None = None) -> np.ndarray:
    """Paired differences ``s_a - s_b`` (pairs x tasks) on the normalised scale.

    ``tasks`` is a boolean task mask (default: the NLP tasks). ``drop``: NaN
    where either cell is unsupported; ``zero``: an unsupported cell counts 0,
    NaN only where both are unsupported; ``clean``: ``drop`` and NaN where
    either cell is flagged by the data-quality checks.
    """
    if mode not in MODES:
        raise InputError(f"unknown mode '{mode}'; choose one of {list(MODES)}")
    mask = nat.nlp if tasks is None else np.asarray(tasks, dtype=bool)
    scores = nat.scoring.norm.scores[:, mask]
    ia, ib = nat.rows(a), nat.rows(b)
    sa, sb = scores[ia], scores[ib]
    if mode == "zero":
        both_missing = np.isnan(sa) & np.isnan(sb)
        out = np.nan_to_num(sa) - np.nan_to_num(sb)
        out[both_missing] = np.nan
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
    drawn. One generator, seeded, draws the task weights first.
    """
    rng = np.random.default_rng(seed)
    n_tasks = len(groups)
    task_w = rng.multinomial(n_tasks, np.full(n_tasks, 1.0 / n_tasks), size=n_boot)
    labels, codes = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    group_w = rng.multinomial(len(labels), np.full(len(labels), 1.0 / len(labels)),
                              size=n_boot)
    return task_w.astype(float), group_w[:, codes].astype(float)


def resampled_means(diffs: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted means of each row of ``diffs`` (NaN = absent) per resample.

    ``mean_{b,p} = sum_t w_{b,t} d_{p,t} / sum_t w_{b,t} [d_{p,t} known]``
    (NaN where a resample holds none of the pair's tasks); ``n_boot x pairs``.
    """
    known = np.isfinite(diffs)
    num = weights @ np.where(known, diffs, 0.0).T
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


STAT_COLUMNS = ("n", "mean_diff", "median_diff", "sd", "se", "wins", "losses", "ties",
                "sign_p", "wilcoxon_p", "ci_low", "ci_high", "cluster_low", "cluster_high")


def pair_statistics(diffs: np.ndarray, groups: np.ndarray, n_boot: int = 2000,
                    seed: int = 0) -> pd.DataFrame:
    """The statistics of :data:`STAT_COLUMNS` for each row of ``diffs``.

    ``sd`` has ``n - 1`` degrees of freedom, ``se = sd / sqrt(n)``;
    ``ci_*`` is the task-bootstrap and ``cluster_*`` the group-bootstrap
    95% percentile interval of the mean (``groups``: one label per task).
    With ``n_boot = 0`` the intervals are NaN.
    """
    known = np.isfinite(diffs)
    n = known.sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows without a known cell give NaN
        mean = np.nanmean(diffs, axis=1)
        median = np.nanmedian(diffs, axis=1)
        sd = np.nanstd(diffs, axis=1, ddof=1)
    se = np.where(n > 0, sd / np.sqrt(np.maximum(n, 1)), np.nan)
    filled = np.where(known, diffs, 0.0)
    wins = ((filled > 0) & known).sum(axis=1)
    losses = ((filled < 0) & known).sum(axis=1)
    frame = pd.DataFrame({
        "n": n, "mean_diff": mean, "median_diff": median, "sd": sd, "se": se,
        "wins": wins, "losses": losses, "ties": n - wins - losses,
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
    return frame


def pairs_table(nat: Natural, mode: str = "drop", n_boot: int = 2000, seed: int = 0,
                pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per pair (``mllm``, ``base``, ``tier``, ...) with its statistics.

    ``pairs`` defaults to :func:`links` of the models table (pairs of models
    present in the data); ``mode`` is one of :data:`MODES`.
    """
    pairs = links(nat.meta, nat.bench.models) if pairs is None else pairs
    diffs = differences(nat, pairs["mllm"].tolist(), pairs["base"].tolist(), mode)
    groups = nat.nlp_tasks["skill_group_id"].to_numpy(dtype=str)
    stats = pair_statistics(diffs, groups, n_boot, seed)
    out = pd.concat([pairs.reset_index(drop=True), stats], axis=1)
    out.insert(1, "mllm_name", [nat.name(m) for m in out["mllm"]])
    out.insert(3, "base_name", [nat.name(m) for m in out["base"]])
    out["mode"] = mode
    return out


# --------------------------------------------------------------------------
# Pooling.
# --------------------------------------------------------------------------


def random_effects(y: np.ndarray, se: np.ndarray) -> dict[str, float]:
    """DerSimonian-Laird random-effects pooling of estimates ``y`` with standard errors ``se``.

    ``w_i = 1/se_i^2``, ``Q = sum w_i (y_i - y_FE)^2`` with ``y_FE = sum w_i
    y_i / sum w_i``, ``df = k - 1``, ``C = sum w_i - sum w_i^2 / sum w_i``,
    ``tau^2 = max(0, (Q - df) / C)``, ``w*_i = 1/(se_i^2 + tau^2)``, pooled
    ``mu = sum w*_i y_i / sum w*_i`` with ``se_mu = (sum w*_i)^(-1/2)``,
    ``I^2 = max(0, (Q - df) / Q)`` (in percent). Only finite ``y`` with
    ``se > 0`` enter; fewer than one gives NaN.

    >>> r = random_effects(np.array([1.0, 3.0]), np.array([1.0, 1.0]))
    >>> round(r["mu"], 3), round(r["tau"], 3), round(r["i2"], 1)   # Q=2, C=1, tau^2=1
    (2.0, 1.0, 50.0)
    """
    y, se = np.asarray(y, dtype=float), np.asarray(se, dtype=float)
    ok = np.isfinite(y) & np.isfinite(se) & (se > 0)
    y, v = y[ok], se[ok] ** 2
    k = len(y)
    nan = float("nan")
    if k == 0:
        return {"k": 0, "mu": nan, "se": nan, "ci_low": nan, "ci_high": nan, "tau": nan,
                "i2": nan, "q": nan}
    w = 1.0 / v
    fixed = float((w * y).sum() / w.sum())
    q = float((w * (y - fixed) ** 2).sum())
    df = k - 1
    c = float(w.sum() - (w ** 2).sum() / w.sum())
    tau2 = max(0.0, (q - df) / c) if c > 0 else 0.0
    ws = 1.0 / (v + tau2)
    mu = float((ws * y).sum() / ws.sum())
    se_mu = float(ws.sum() ** -0.5)
    i2 = max(0.0, (q - df) / q) * 100.0 if q > 0 else 0.0
    return {"k": k, "mu": mu, "se": se_mu, "ci_low": mu - Z95 * se_mu,
            "ci_high": mu + Z95 * se_mu, "tau": float(np.sqrt(tau2)), "i2": i2, "q": q}


def pooled(table: pd.DataFrame) -> pd.DataFrame:
    """Random-effects pooling of a pairs table per tier and over all tiers.

    Pairs sharing a base are not independent (the base's scores enter each),
    so the pooled interval is, if anything, too narrow.
    """
    rows = []
    for tier in (*TIERS, "all"):
        part = table if tier == "all" else table[table["tier"] == tier]
        rows.append({"tier": tier, **random_effects(part["mean_diff"].to_numpy(),
                                                    part["se"].to_numpy())})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------
# Noise floor.
# --------------------------------------------------------------------------


def floor_pairs(nat: Natural) -> pd.DataFrame:
    """The (model_a, model_b, kind, reason) pairs of the noise floor.

    ``printed twice``: a model and its second printed row (except
    :data:`FLOOR_EXCLUDED`); ``same model``: :data:`NEAR_IDENTICAL` (when both
    are in the data).
    """
    present = set(nat.bench.models)
    rows = [(m[: -len(ALT_SUFFIX)], m, "printed twice", "the paper prints this model twice")
            for m in nat.bench.models
            if m.endswith(ALT_SUFFIX) and m[: -len(ALT_SUFFIX)] not in FLOOR_EXCLUDED]
    rows += [(a, b, "same model", why) for a, b, why in NEAR_IDENTICAL
             if a in present and b in present]
    return pd.DataFrame(rows, columns=["model_a", "model_b", "kind", "reason"])


def noise_floor(nat: Natural) -> pd.DataFrame:
    """Per floor pair and sheet where both have known cells: ``n``, mean and SD of
    ``s_a - s_b`` (normalised), identical cells, and the mean of the two scores."""
    pairs = floor_pairs(nat)
    out = []
    sheets = nat.bench.tasks["sheet"].to_numpy()
    for sheet in pd.unique(sheets):
        mask = sheets == sheet
        d = differences(nat, pairs["model_a"].tolist(), pairs["model_b"].tolist(), "drop",
                        tasks=mask)
        for k, row in enumerate(d):
            known = np.isfinite(row)
            if known.sum() < 2:
                continue
            out.append({**pairs.iloc[k].to_dict(), "sheet": sheet, "n": int(known.sum()),
                        "mean_diff": float(row[known].mean()),
                        "sd_diff": float(row[known].std(ddof=1)),
                        "identical": int((row[known] == 0).sum())})
    return pd.DataFrame(out, columns=["model_a", "model_b", "kind", "reason", "sheet", "n",
                                      "mean_diff", "sd_diff", "identical"])


def noise_band(floor: pd.DataFrame, sheet: str | None = "NLP") -> float:
    """Half-width of the noise band: ``max |mean_diff|`` over the floor rows of
    ``sheet`` (the pairs are compared on NLP; ``None``: every sheet)."""
    rows = floor if sheet is None else floor[floor["sheet"] == sheet]
    if not len(rows):
        return float("nan")
    return float(rows["mean_diff"].abs().max())


def floor_cells(nat: Natural) -> pd.DataFrame:
    """Every known cell pair of the noise floor (both values known): ``model_a,
    model_b, task_id, sheet, a, b`` on the normalised scale and raw ``raw_a,
    raw_b`` (what :mod:`glscore.analysis.noise` fits its noise model on)."""
    pairs = floor_pairs(nat)
    ia, ib = nat.rows(pairs["model_a"].tolist()), nat.rows(pairs["model_b"].tolist())
    norm, raw = nat.scoring.norm.scores, nat.bench.values
    known = np.isfinite(norm[ia]) & np.isfinite(norm[ib])
    p, t = np.nonzero(known)
    return pd.DataFrame({
        "model_a": pairs["model_a"].to_numpy()[p], "model_b": pairs["model_b"].to_numpy()[p],
        "task_id": nat.bench.tasks["task_id"].to_numpy()[t],
        "sheet": nat.bench.tasks["sheet"].to_numpy()[t],
        "a": norm[ia[p], t], "b": norm[ib[p], t], "raw_a": raw[ia[p], t], "raw_b": raw[ib[p], t],
    })


def published(nat: Natural) -> Benchmark:
    """The benchmark without the second printed rows."""
    keep = [m for m in nat.bench.models if not m.endswith(ALT_SUFFIX)]
    return nat.bench.select_models(keep)


def mapped_tasks(nat: Natural) -> list[str]:
    """Task ids whose metric the profile maps (not used as printed)."""
    return nat.bench.tasks["task_id"][nat.scoring.norm.mapped].tolist()


def beyond_band(table: pd.DataFrame, band: float) -> pd.Series:
    """Whether a pair's whole task-bootstrap interval lies outside ``+- band``."""
    return (table["ci_low"] > band) | (table["ci_high"] < -band)


# --------------------------------------------------------------------------
# Families, ladders, skill groups, sensitivity.
# --------------------------------------------------------------------------


def family_table(table: pd.DataFrame) -> pd.DataFrame:
    """Bases carrying two or more generalists: one row per generalist, with the
    modalities it adds, ordered by base then mean difference."""
    usable = table[table["n"] > 0]
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
                 seed: int = 0) -> pd.DataFrame:
    """Statistics of ``larger - smaller`` on the NLP tasks for every ladder step."""
    lad = ladders(nat.meta)
    lad = lad[lad["small"].isin(nat.bench.models) & lad["large"].isin(nat.bench.models)]
    pairs = pd.DataFrame({"mllm": lad["large"], "base": lad["small"], "tier": "ladder"})
    out = pairs_table(nat, mode, n_boot, seed, pairs.reset_index(drop=True))
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


def sensitivity(nat: Natural, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Each pair's mean difference and interval under every mode of :data:`MODES`
    (long: one row per pair and mode)."""
    return pd.concat([pairs_table(nat, mode, n_boot, seed) for mode in MODES],
                     ignore_index=True)


def mode_shift(sens: pd.DataFrame) -> pd.DataFrame:
    """Per pair: mean difference under each mode, side by side."""
    wide = sens.pivot_table(index=["mllm", "mllm_name", "base_name", "tier"], columns="mode",
                            values="mean_diff", sort=False).reset_index()
    return wide[["mllm", "mllm_name", "base_name", "tier", *MODES]]


# --------------------------------------------------------------------------
# Sentences.
# --------------------------------------------------------------------------


def _p(value: float) -> str:
    return "n/a" if not np.isfinite(value) else (f"{value:.2g}" if value < 0.001 else
                                                  f"{value:.3f}")


def finding_pairs(table: pd.DataFrame, band: float) -> str:
    """How many pairs there are, by tier, and how many stand out of the noise band."""
    usable = table[table["n"] > 0]
    beyond = beyond_band(usable, band)
    up = int((beyond & (usable["mean_diff"] > 0)).sum())
    down = int((beyond & (usable["mean_diff"] < 0)).sum())
    by_tier = ", ".join(f"{int((usable['tier'] == t).sum())} {t}" for t in TIERS)
    lost = len(table) - len(usable)
    tail = f" ({lost} linked pair(s) share no supported NLP task)" if lost else ""
    return (f"{len(usable)} generalist/base pairs share NLP tasks ({by_tier}){tail}. "
            f"Against a noise band of +-{band:.2f} points, {up} generalists are clearly "
            f"better than their base on language, {down} clearly worse, and "
            f"{len(usable) - up - down} indistinguishable from re-running one model.")


def finding_pooled(pool: pd.DataFrame) -> str:
    """The pooled mean difference per tier with tau and I^2."""
    parts = []
    for row in pool.itertuples(index=False):
        if row.k == 0:
            continue
        parts.append(f"{row.tier}: {row.mu:+.2f} [{row.ci_low:+.2f}, {row.ci_high:+.2f}] over "
                     f"{row.k} pairs (tau {row.tau:.2f}, I2 {row.i2:.0f}%)")
    return "Random-effects pooled MLLM - base difference on NLP, by tier: " + "; ".join(
        parts) + "."


def finding_floor(floor: pd.DataFrame, band: float) -> str:
    """The noise floor in one sentence."""
    nlp = floor[floor["sheet"] == "NLP"]
    sd = float(np.sqrt((nlp["sd_diff"] ** 2).mean())) if len(nlp) else float("nan")
    return (f"The noise floor on NLP: {len(nlp)} same-model comparisons (rows printed twice, "
            f"near-identical models) differ by at most {band:.2f} points on average, and their "
            f"per-task differences have an RMS standard deviation of {sd:.2f} points "
            f"({len(floor) - len(nlp)} more comparisons on other sheets).")


def finding_sensitivity(shift: pd.DataFrame) -> str:
    """How far zero-filling and cleaning move the pairs' mean differences."""
    zero = (shift["zero"] - shift["drop"]).abs()
    clean = (shift["clean"] - shift["drop"]).abs()
    worst = shift.loc[zero.idxmax()] if len(shift) and zero.notna().any() else None
    text = (f"Zero-filling unsupported cells moves a pair's mean difference by "
            f"{zero.median():.2f} points (median), up to {zero.max():.2f}")
    if worst is not None:
        text += f" ({worst['mllm_name']} against {worst['base_name']})"
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
    """How often the larger model of a ladder step is better on NLP."""
    usable = lad[lad["n"] > 0]
    up = int((usable["ci_low"] > 0).sum())
    down = int((usable["ci_high"] < 0).sum())
    return (f"Of {len(usable)} size steps within one recipe, the larger model is clearly "
            f"better on NLP in {up}, clearly worse in {down}, and not distinguishable in "
            f"{len(usable) - up - down}.")


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
            "above 0 (the paper reports 0 for all): by its relaxation no generalist shows "
            "synergy with language.")


def _direction(row: pd.Series) -> str:
    if row["ci_low"] > 0:
        return "a gain"
    if row["ci_high"] < 0:
        return "a loss"
    return "no clear difference"


def finding_paper_comparison(pool: pd.DataFrame) -> str:
    """The natural experiments against the paper's reading, from the pooled tiers."""
    by = pool.set_index("tier")
    parts = []
    for tier in TIERS:
        if tier in by.index and by.loc[tier, "k"] > 0:
            row = by.loc[tier]
            parts.append(f"the {tier} tier shows {_direction(row)} ({row['mu']:+.2f} "
                         f"[{row['ci_low']:+.2f}, {row['ci_high']:+.2f}], {int(row['k'])} pairs)")
    text = "Against their own base LLM, " + "; ".join(parts) + ". Only the exact tier compares "
    text += "like with like"
    exact = _direction(by.loc["exact"]) if "exact" in by.index and by.loc["exact", "k"] else ""
    if exact in ("a gain", "a loss"):
        text += f"; {exact} there can be the tuning recipe as much as the added modality"
    version = (_direction(by.loc["version"]) if "version" in by.index
               and by.loc["version", "k"] else "")
    if version == "a loss":
        text += ", and the loss of the version tier is confounded with its older backbones"
    return text + "."


def pairs_json(table: pd.DataFrame, copies: pd.DataFrame) -> dict:
    """The ``glscore natural --json`` object (strict JSON: NaN becomes null)."""
    def num(x: float) -> float | None:
        return float(x) if np.isfinite(x) else None

    pairs = [{"mllm": r.mllm, "base": r.base, "tier": r.tier, "n": int(r.n),
              "mean_diff": num(r.mean_diff), "ci": [num(r.ci_low), num(r.ci_high)],
              "cluster_ci": [num(r.cluster_low), num(r.cluster_high)],
              "wins": int(r.wins), "losses": int(r.losses), "sign_p": num(r.sign_p),
              "wilcoxon_p": num(r.wilcoxon_p)}
             for r in table.itertuples(index=False)]
    runs = [{"models": [r.model_a, r.model_b], "sheet": r.sheet,
             "run": {"first_task": r.first_task, "last_task": r.last_task,
                     "length": int(r.length)}}
            for r in copies.itertuples(index=False)]
    return {"pairs": pairs, "copies": runs}
