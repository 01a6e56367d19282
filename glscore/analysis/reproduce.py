"""The paper's level tables (12, 14, 16) recomputed from its Appendix B.

The unit of comparison is a published *per-modality* cell: (table, model,
modality) with the printed Level-k score of Image, Video, Audio or 3D. The
printed ``overall`` column is not compared as a cell: it is the mean of the
four printed modality cells (checked by the reproduction), so it adds nothing
a modality cell does not already test.

Every published non-zero cell gets one status (:data:`STATUSES`):

* ``reproduced``       -- ``|published - recomputed| <= tolerance`` (the plain formula);
* ``rule``             -- a *strong* alternative reproduces it within the tolerance: a
  formula that, applied uniformly to every model, breaks no cell that already
  matches and has no free number, or a transcription copy (the model's other
  printed row, another model's row);
* ``weak rule``        -- a rule reproduces it only when switched on for this model
  (applied to every model it breaks cells that already match) or with a fitted
  constant (an integer searched over a range, a sum fitted per model);
* ``no per-task data`` -- Appendix B has no row for that model and modality;
* ``printed as 0``     -- not a published non-zero cell: the paper prints 0, the
  recomputation is non-zero (kept beside the others: such a cell can move a model's
  level and rank);
* ``unexplained``      -- none of the above (a descriptive category and the
  values every tested rule gives, i.e. what was ruled out, are kept).

Every rule is applied uniformly to every model as well as tried on the open cells
(:attr:`Reproduction.rules`): ``fixed`` (open cells it reproduces), ``broken``
(already-matched non-zero cells it no longer reproduces), ``broken_zero``
(cells the paper prints as 0, recomputed 0, that it makes non-zero), ``models``
(the models whose cells it is credited with), ``free_numbers`` (an integer
searched over a range counts one; a yes/no switch chosen per model counts one per
model; a sum fitted per model one per model) and the accounting ``class``
(:data:`ACCOUNTING`): ``plain formula`` (uniform, breaks nothing, no free number),
``transcription copy`` (another row, no free number), ``formula switched per
model`` (breaks matched cells when applied to all), ``fitted constant``. A rule
whose uniform application is undefined (a copied row, a sum fitted per model)
has ``broken`` = ``None``.

The rules, tried in this order on the cells that do not reproduce; the first that
reproduces a cell is credited with it (all computed from ``data/``, none typed in):

=================================  =========  ==============================================
category                           kind       test
=================================  =========  ==============================================
duplicated rows                    copy       the model's other printed row (``scores_alternates.csv``)
WER in percent                     formula    WER read the other way (percent <-> fraction)
metric alias                       formula    the other metric-name matching (alias <-> exact)
unsupported MS-SSIM read as 0      formula    a missing MS-SSIM cell scored as the value 0,
                                              ``(0 + 1) / 2 * 100 = 50`` points
one mean per modality              formula    Level-2/3 ``= sum_{t in m} s_t / |m|`` (all the
                                              modality's tasks at once, no halves)
pooled denominator                 constant   Level-2/3 ``= sum_{t in m} s_t / D`` with one integer
                                              ``D`` (searched over ``1..10 |m|``) shared by >= 3
                                              cells of >= 2 models, each model's cells predicted
                                              by its peers' integers
pooled denominator, not predicted  constant   the same, where some model's peers do not predict it
another model's row                copy       the published Level-2 *and* Level-3 of the model's
                                              modality equal another model's recomputed pair
pooled denominator, unseen wins    constant   ``(sum + X) / D`` fits Level-2 and Level-3 with
                                              one unseen sum ``X`` of winning scores per model
Level-3 not halved                 formula    Level-3 ``= mean_C(credit) + mean_G(credit)``
Level-3 without synergy filter     formula    Level-3 ``=`` the model's recomputed Level-2
=================================  =========  ==============================================

Descriptive categories of unexplained cells: ``no win in the data``
(published Level-3/4 > 0, no task of the modality beats SoTA), ``constant
offset`` / ``constant ratio`` (shared by three or more cells), ``name
ambiguity`` (the value equals another model's recomputed value on that level
alone: rejected as an explanation, because as many as
:meth:`Reproduction.chance` of the reproduced cells match another model's
value that way too).

Published against recomputed as rankings (levels, Kendall's tau-b, top-10) is
:mod:`glscore.analysis.rankings`, reported under :attr:`Reproduction.rankings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from glscore import paths
from glscore.analysis import rankings
from glscore.analysis.datastates import published_cells, rows_present
from glscore.core import levels
from glscore.core.benchmark import MODALITIES, Benchmark
from glscore.core.profiles import PROFILES, Profile, get_profile
from glscore.core.scoring import Scores, Scoring, score, score_detailed
from glscore.io.loaders import load_paper, read_data_csv

TOLERANCE = 0.01
#: Every rule, in the order it is tried, with its kind: ``copy`` (a row printed
#: elsewhere), ``formula`` (a computation) or ``constant`` (fits a number).
RULE_KINDS: dict[str, str] = {
    "duplicated rows": "copy", "WER in percent": "formula", "metric alias": "formula",
    "unsupported MS-SSIM read as 0": "formula", "one mean per modality": "formula",
    "pooled denominator": "constant", "pooled denominator, not predicted": "constant",
    "another model's row": "copy", "pooled denominator, unseen wins": "constant",
    "Level-3 not halved": "formula", "Level-3 without synergy filter": "formula",
}
RULE_CATEGORIES: tuple[str, ...] = tuple(RULE_KINDS)
#: Descriptions of cells no rule reproduces: status ``unexplained``.
DESCRIPTIVE_CATEGORIES: tuple[str, ...] = (
    "no win in the data", "constant offset", "constant ratio", "name ambiguity", "unexplained",
)
PRINTED_AS_ZERO = "printed as 0"
CATEGORIES: tuple[str, ...] = RULE_CATEGORIES + DESCRIPTIVE_CATEGORIES + (PRINTED_AS_ZERO,)
STATUSES: tuple[str, ...] = ("reproduced", "rule", "weak rule", "no per-task data",
                             PRINTED_AS_ZERO, "unexplained")
#: Statuses that count as *explained*: reproduced, or by a strong rule.
EXPLAINED: tuple[str, ...] = STATUSES[:2]
#: The accounting classes of a cell (module docstring).
ACCOUNTING: tuple[str, ...] = ("plain formula", "transcription copy",
                               "formula switched per model", "fitted constant",
                               "no per-task data", PRINTED_AS_ZERO, "unexplained")
#: Classes of a rule that count as a strong explanation.
STRONG_CLASSES: tuple[str, ...] = ACCOUNTING[:2]
RATIO_TOLERANCE = 0.002
OFFSET_TOLERANCE = 0.03
MIN_GROUP = 3
#: A pooled denominator must be shared by this many models.
MIN_DENOMINATOR_MODELS = 2
#: Denominators are searched up to this multiple of the modality's task count.
MAX_DENOMINATOR_FACTOR = 10

_OPEN = "deviating"          # working status of a cell with data that no test has claimed
_NO_DATA = "no per-task data"


@dataclass(frozen=True)
class Reproduction:
    """The comparison: ``cells`` (one row per published non-zero modality cell, and
    per cell printed as 0 that recomputes non-zero, with ``status``, ``category``,
    ``accounting`` class and ``evidence``), ``rules`` (each rule applied uniformly:
    fixed, broken, free numbers, class, and the cells credited to it), the
    Level-4/5 facts, the overall-column check, the coincidence rates that grade
    single-value matches and the published-vs-recomputed ``rankings``."""

    profile: str
    tolerance: float
    cells: pd.DataFrame
    rules: pd.DataFrame
    level4_paper: pd.DataFrame
    level4_recomputed: pd.DataFrame
    level5: dict[str, list[str]]
    overall_rows: int
    overall_consistent: int
    zero_published_nonzero: int
    chance: pd.DataFrame
    rankings: dict = field(default_factory=dict)
    #: every cell the paper prints in Tables 12/14/16, zeros included, in its
    #: order: ``table, level, model, name, row_in_table, modality, published,
    #: recomputed`` (``NaN``: no per-task data behind a non-zero published cell,
    #: or a model without any Appendix B row) -- the rows of :func:`glscore.io.latex.reproduction_latex`
    printed: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def published_nonzero(self) -> int:
        return int((self.cells["status"] != PRINTED_AS_ZERO).sum())

    @property
    def with_data(self) -> int:
        return int((~self.cells["status"].isin([_NO_DATA, PRINTED_AS_ZERO])).sum())

    @property
    def reproduced(self) -> int:
        return int((self.cells["status"] == "reproduced").sum())

    @property
    def explained(self) -> int:
        """Cells reproduced or explained by a strong rule."""
        return int(self.cells["status"].isin(EXPLAINED).sum())

    @property
    def free_numbers(self) -> int:
        """Free numbers over the rules credited with a cell."""
        used = self.rules[self.rules["recovers"] > 0]
        return int(used["free_numbers"].sum())

    def count(self, status: str) -> int:
        """Cells with ``status`` (one of :data:`STATUSES`)."""
        return int((self.cells["status"] == status).sum())

    def status_counts(self) -> pd.DataFrame:
        """Cells per status, every status listed (the published non-zero cells, then
        the cells printed as 0 that recompute non-zero)."""
        counts = self.cells["status"].value_counts().reindex(list(STATUSES), fill_value=0)
        return counts.rename_axis("status").reset_index(name="cells")

    def accounting_counts(self) -> pd.DataFrame:
        """Cells per accounting class (:data:`ACCOUNTING`), every class listed, with the
        free numbers the rules of that class use."""
        counts = self.cells["accounting"].value_counts().reindex(list(ACCOUNTING), fill_value=0)
        used = self.rules[self.rules["recovers"] > 0]
        free = used.groupby("class")["free_numbers"].sum().reindex(list(ACCOUNTING),
                                                                   fill_value=0)
        return pd.DataFrame({"class": list(ACCOUNTING), "cells": counts.to_numpy(),
                             "free_numbers": free.to_numpy().astype(int)})

    def category_counts(self) -> pd.DataFrame:
        """Cells with data that do not reproduce, per category (rules first)."""
        dev = self.cells[~self.cells["status"].isin(["reproduced", _NO_DATA])]
        counts = dev["category"].value_counts().reindex(list(CATEGORIES), fill_value=0)
        return counts[counts > 0].rename_axis("category").reset_index(name="cells")

    def deviations(self) -> pd.DataFrame:
        """Cells with data that do not reproduce under the profile (printed-as-0 cells
        included)."""
        cols = ["model", "level", "modality", "published", "recomputed", "status", "category",
                "evidence"]
        keep = ~self.cells["status"].isin(["reproduced", _NO_DATA])
        return self.cells.loc[keep, cols].reset_index(drop=True)

    def explained_by(self, category: str) -> pd.DataFrame:
        """The cells one rule is credited with, with its evidence."""
        cols = ["model", "level", "modality", "published", "recomputed", "evidence"]
        return self.cells.loc[self.cells["category"] == category, cols].reset_index(drop=True)

    def accounting(self) -> pd.DataFrame:
        """Every cell with its status and class: the final table."""
        cols = ["table", "model", "modality", "published", "recomputed", "status", "accounting",
                "category"]
        return self.cells[cols]

    def to_json(self) -> dict:
        """The object printed by ``glscore reproduce --json``."""
        def cell(r) -> dict:
            rec = None if np.isnan(r.recomputed) else round(float(r.recomputed), 4)
            return {"table": int(r.table), "model": r.model, "level": int(r.level),
                    "modality": r.modality, "published": float(r.published),
                    "recomputed": rec, "status": r.status, "accounting": r.accounting,
                    "category": r.category, "evidence": r.evidence}

        def rule(row: dict) -> dict:
            return {k: (None if v is pd.NA or (isinstance(v, float) and np.isnan(v)) else
                        int(v) if isinstance(v, np.integer) else v)
                    for k, v in row.items()}

        dev = self.cells[~self.cells["status"].isin(["reproduced", _NO_DATA])]
        classes = self.accounting_counts()
        return {
            "profile": self.profile,
            "tolerance": self.tolerance,
            "published_nonzero": self.published_nonzero,
            "with_data": self.with_data,
            "reproduced": self.reproduced,
            "explained": self.explained,
            "not_reproducible": self.count(_NO_DATA),
            "free_numbers": self.free_numbers,
            "statuses": dict(zip(*self.status_counts().to_dict("list").values(), strict=True)),
            "accounting": {r["class"]: {"cells": int(r["cells"]),
                                        "free_numbers": int(r["free_numbers"])}
                           for r in classes.to_dict("records")},
            "categories": dict(zip(*self.category_counts().to_dict("list").values(),
                                   strict=True)),
            "rules": [rule(r) for r in self.rules.astype(object).to_dict("records")],
            "cells": [cell(r) for r in self.cells.itertuples()],
            "deviations": [cell(r) for r in dev.itertuples()],
            "level4_paper": self.level4_paper["model"].tolist(),
            "level4_recomputed": self.level4_recomputed["model"].tolist(),
            "level5_models": self.level5,
            "overall_consistent": [self.overall_consistent, self.overall_rows],
            "published_zero_recomputed_nonzero": self.zero_published_nonzero,
            "rankings": self.rankings,
        }

    def findings(self) -> list[str]:
        """The headline, the rules and the Level-4/5 facts, as sentences."""
        out = [reproduction_paragraph(self)]
        for r in self.rules[self.rules["recovers"] > 0].to_dict("records"):
            out.append(f"Rule '{r['category']}': {_uniform_text(r)}; credited with "
                       f"{r['recovers']} cell(s): {r['evidence']}")
        unexplained = self.cells[self.cells["status"] == "unexplained"]
        if len(unexplained):
            out.append("Unexplained: " + "; ".join(
                f"{n} Level-{lv} {m}" for n, lv, m in zip(
                    unexplained["name"], unexplained["level"], unexplained["modality"],
                    strict=True)) + ".")
        out.append(
            f"The printed overall column equals the mean of the four printed modality cells "
            f"(within 0.01) in {self.overall_consistent} of {self.overall_rows} non-zero rows; "
            "it is not compared separately.")
        zero = self.cells[self.cells["status"] == PRINTED_AS_ZERO]
        out.append(
            f"{self.zero_published_nonzero} cells the paper prints as 0 are non-zero when "
            "recomputed" + (": " + "; ".join(
                f"{n} Level-{lv} {m} {v:.2f}" for n, lv, m, v in zip(
                    zero["name"], zero["level"], zero["modality"], zero["recomputed"],
                    strict=True)) if len(zero) else "") + ".")
        paper4 = ", ".join(f"{m} ({v:.2f})" for m, v in zip(
            self.level4_paper["name"], self.level4_paper["overall"], strict=True))
        rec4 = ", ".join(f"{m} ({v:.2f})" for m, v in zip(
            self.level4_recomputed["name"], self.level4_recomputed["level4"], strict=True))
        out.append(f"Level-4 in the paper (Table 16, overall): {paper4}.")
        out.append(f"Level-4 recomputed under '{self.profile}' (overall Level-4 > 0): "
                   f"{rec4 or 'none'}.")
        out.append("Level-5 (a non-zero Level-5 score, against the paper's printed SoTA table) "
                   "is reached by " + "; ".join(
                       f"{len(n)} model(s) under '{p}'" + (f" ({', '.join(n)})" if n else "")
                       for p, n in self.level5.items()) + ".")
        if self.rankings:
            out.append(self.rankings["sentence"])
        return out


def _applies(broken: object) -> bool:
    """A rule row's ``broken`` is a count (the rule applies to every model), not missing."""
    return broken is not None and broken is not pd.NA and not (
        isinstance(broken, float) and np.isnan(broken))


def _uniform_text(r: dict) -> str:
    """What a rule does when applied to every model, as a phrase."""
    if not _applies(r["broken"]):
        uniform = "not a formula that applies to other cells"
    else:
        uniform = (f"applied to every model it fixes {int(r['fixed'])} and breaks "
                   f"{int(r['broken'])} already-matched cell(s)"
                   + (f" and makes {int(r['broken_zero'])} cell(s) printed as 0 non-zero"
                      if r["broken_zero"] else ""))
    return f"{r['class']}, {int(r['free_numbers'])} free number(s); {uniform}"


def reproduction_headline(rep: Reproduction) -> str:
    """One sentence: the published non-zero cells a plain formula or a copy
    reproduces, and what the free numbers buy (the accounting figure's title
    and the README's line)."""
    return (f"{rep.explained} of {rep.published_nonzero} published non-zero cells of Tables "
            f"12/14/16 reproduce with a plain formula or a copy; {rep.free_numbers} free numbers "
            f"buy {rep.count('weak rule')} more, {rep.count(_NO_DATA)} have no per-task data")


def reproduction_paragraph(rep: Reproduction) -> str:
    """The README's reproduction paragraph, built from the numbers of ``rep``: the
    cells by accounting class, each rule applied to every model."""
    classes = rep.accounting_counts().set_index("class")
    used = rep.rules[rep.rules["recovers"] > 0]

    def rules_of(cls: str) -> str:
        parts = []
        for r in used[used["class"] == cls].to_dict("records"):
            text = f"{r['category']} {r['recovers']}"
            if _applies(r["broken"]):
                text += (f" [applied to every model: fixes {int(r['fixed'])}, breaks "
                         f"{int(r['broken'])}]")
            parts.append(text)
        return ", ".join(parts) or "none"

    def n(cls: str) -> int:
        return int(classes.at[cls, "cells"])

    def free(cls: str) -> int:
        return int(classes.at[cls, "free_numbers"])

    plain_rules = int(used.loc[used["class"] == "plain formula", "recovers"].sum())
    return (
        f"Of {rep.published_nonzero} non-zero per-modality cells of Tables 12/14/16, "
        f"{rep.with_data} have per-task data. By accounting class: {rep.reproduced} reproduce "
        f"within {rep.tolerance:g} with the paper's formula"
        + (f" and {plain_rules} more with another plain formula that breaks no matched cell "
           f"({rules_of('plain formula')})" if plain_rules else "")
        + f"; {n('transcription copy')} are transcription copies with no free number "
        f"({rules_of('transcription copy')}); {n('formula switched per model')} reproduce only "
        f"with a formula switched on per model, which breaks already-matched cells when "
        f"applied to every model ({rules_of('formula switched per model')}; "
        f"{free('formula switched per model')} free numbers, one per model switched); "
        f"{n('fitted constant')} only with a fitted constant ({rules_of('fitted constant')}; "
        f"{free('fitted constant')} free numbers); {n('unexplained')} stay unexplained; "
        f"{rep.count(_NO_DATA)} cannot be recomputed (no per-task data). In all, "
        f"{rep.explained} of {rep.published_nonzero} cells are reproduced by a plain formula "
        f"or a transcription copy, {rep.explained + n('formula switched per model') + n('fitted constant')} "
        f"with {rep.free_numbers} free numbers (profile '{rep.profile}'); "
        f"{rep.count(PRINTED_AS_ZERO)} cells the paper prints as 0 recompute non-zero."
    )


# ------------------------------------------------------------------ inputs

def with_alternates(bench: Benchmark, data_dir: Path | str = paths.DATA_DIR) -> Benchmark:
    """The benchmark with every cell the paper prints twice taken from its other row
    (the one in ``scores_alternates.csv``)."""
    alt = read_data_csv(Path(data_dir) / "scores_alternates.csv")
    rows = pd.Index(bench.models).get_indexer(alt["model_id"])
    cols = pd.Index(bench.tasks["task_id"]).get_indexer(alt["task_id"])
    keep = (rows >= 0) & (cols >= 0)
    values = bench.values.copy()
    values[rows[keep], cols[keep]] = alt["value"].to_numpy(float)[keep]
    return bench.with_values(values)


def recomputed_cells(scores: Scores) -> pd.DataFrame:
    """Long table of recomputed per-modality Level-2/3/4 (with the halves and counts)."""
    per = scores.per_modality()
    return per[["model", "modality", "comp2", "gen2", "comp3", "gen3", "level2", "level3",
                "level4", "supported", "wins", "tasks"]]


def pooled_sums(scoring: Scoring) -> pd.DataFrame:
    """Per (model, modality): ``sum2 = sum_{t in m} s_t`` (normalised scores) and
    ``sum3 = sum_{t in m} credit_t`` over all the modality's tasks, ``tasks = |m|``
    and ``unsupported`` (tasks of m without a value)."""
    modality = scoring.bench.tasks["modality"].to_numpy()
    frames = []
    for m in MODALITIES:
        mask = modality == m
        n = int(mask.sum())
        frames.append(pd.DataFrame({
            "model": scoring.bench.models, "modality": m,
            "sum2": levels.group_mean(scoring.norm.scores, mask) * n,
            "sum3": levels.group_mean(scoring.credit, mask) * n,
            "tasks": n,
            "unsupported": n - np.isfinite(scoring.norm.scores[:, mask]).sum(axis=1),
        }))
    return pd.concat(frames, ignore_index=True)


def modality_mean_cells(run: Scoring | Benchmark, prof: Profile | None = None) -> pd.DataFrame:
    """Per (model, modality) of a scoring pass: Level-2 ``= sum_{t in m} score_t / |m|``
    and Level-3 ``= sum_{t in m} credit_t / |m|`` over all the modality's tasks at
    once (no comprehension/generation halves; Level-4 undefined, NaN). A benchmark
    is scored under ``prof`` (default ``paper``) first."""
    if isinstance(run, Benchmark):
        run = score_detailed(run, "paper" if prof is None else prof)
    sums = pooled_sums(run)
    return pd.DataFrame({"model": sums["model"], "modality": sums["modality"],
                         "level2": sums["sum2"] / sums["tasks"],
                         "level3": sums["sum3"] / sums["tasks"], "level4": np.nan})


def unsupported_as_zero(bench: Benchmark, metric: str) -> Benchmark:
    """The benchmark with every missing cell of ``metric`` tasks set to 0 (as printed)."""
    columns = (bench.tasks["metric"] == metric).to_numpy()
    values = bench.values.copy()
    values[:, columns] = np.nan_to_num(values[:, columns], nan=0.0)
    return bench.with_values(values)


def _lookup(cells: pd.DataFrame, recomputed: pd.DataFrame) -> np.ndarray:
    """The recomputed value of each cell's level (NaN where the model is unknown)."""
    merged = cells[["model", "modality", "level"]].merge(recomputed, on=["model", "modality"],
                                                         how="left")
    stacked = merged[["level2", "level3", "level4"]].to_numpy(float)
    return stacked[np.arange(len(merged)), merged["level"].to_numpy(int) - 2]


def _close(a: np.ndarray | pd.Series, b: np.ndarray | pd.Series, tolerance: float) -> np.ndarray:
    """``|a - b| <= tolerance`` (NaN never close), with a hair of float slack."""
    with np.errstate(invalid="ignore"):
        return np.abs(np.asarray(a, float) - np.asarray(b, float)) <= tolerance + 1e-9


# ------------------------------------------------------------------ pooled denominator

def denominator_interval(published: np.ndarray, total: np.ndarray, tolerance: float
                         ) -> tuple[np.ndarray, np.ndarray]:
    """The denominators ``D`` with ``|total / D - published| <= tolerance``:
    ``[total / (published + tol), total / (published - tol)]`` (upper end infinite
    where ``published <= tol``).

    >>> lo, hi = denominator_interval(np.array([8.31]), np.array([3067.9]), 0.005)
    >>> (round(float(lo[0]), 2), round(float(hi[0]), 2))
    (368.96, 369.4)
    """
    published = np.asarray(published, float)
    total = np.asarray(total, float)
    lo = total / (published + tolerance)
    with np.errstate(divide="ignore"):
        hi = np.where(published > tolerance, total / np.maximum(published - tolerance, 1e-300),
                      np.inf)
    return lo, hi


def integers_in(lo: float, hi: float) -> np.ndarray:
    """The integers ``D >= 1`` with ``lo <= D <= hi``."""
    if not np.isfinite(hi):
        return np.array([], dtype=int)
    return np.arange(max(int(np.ceil(lo - 1e-9)), 1), int(np.floor(hi + 1e-9)) + 1)


def fit_denominator(lo: np.ndarray, hi: np.ndarray, models: np.ndarray,
                    exclude: tuple[int, ...] = (), min_cells: int = MIN_GROUP,
                    min_models: int = MIN_DENOMINATOR_MODELS, limit: int = 100_000
                    ) -> tuple[int, np.ndarray] | None:
    """The integer denominator shared by the most cells (intervals ``[lo, hi]``).

    Counts, for every integer ``D`` in ``1..limit``, the cells whose interval
    holds it (one difference array), and returns ``(D, mask of its cells)`` for
    the ``D`` with the most cells (then the most models, then the smallest), if
    it has ``>= min_cells`` cells of ``>= min_models`` models; else None.
    """
    hi = np.minimum(hi, limit)
    finite = np.isfinite(hi) & (hi >= 1)
    if not finite.any():
        return None
    top = int(np.floor(hi[finite].max() + 1e-9))
    start = np.clip(np.ceil(lo - 1e-9).astype(int), 1, top + 1)
    stop = np.clip(np.floor(np.where(finite, hi, 0) + 1e-9).astype(int), 0, top)
    ok = finite & (stop >= start)
    diff = np.zeros(top + 2, dtype=int)
    np.add.at(diff, start[ok], 1)
    np.add.at(diff, stop[ok] + 1, -1)
    counts = np.cumsum(diff)
    for d in exclude:
        if 0 <= d < len(counts):
            counts[d] = 0
    if counts.max(initial=0) < min_cells:
        return None
    best = None
    for tied in np.flatnonzero(counts == counts.max()):   # a handful of tied integers
        mask = ok & (lo <= tied + 1e-9) & (hi >= tied - 1e-9)
        key = (int(mask.sum()), len(set(models[mask])), -int(tied))
        if best is None or key > best[0]:
            best = (key, int(tied), mask)
    assert best is not None
    _, d, mask = best
    if len(set(models[mask])) < min_models:
        return None
    return d, mask


def out_of_sample(lo: np.ndarray, hi: np.ndarray, models: np.ndarray) -> pd.DataFrame:
    """Leave one model out: do the *other* models' cells predict this model's?

    One row per model: ``model``, ``allowed`` (the integers in the intersection
    of the other models' intervals, as text) and ``predicts``: at least one
    integer is allowed and every allowed integer lies in each of this model's
    intervals (so its cells are reproduced whichever of them is taken).
    """
    rows = []
    for m in sorted(set(models)):   # the few models of one group
        others, own = models != m, models == m
        allowed = integers_in(float(lo[others].max()), float(hi[others].min()))
        predicts = len(allowed) > 0 and bool(
            ((allowed[:, None] >= lo[own] - 1e-9) & (allowed[:, None] <= hi[own] + 1e-9)).all())
        rows.append({"model": m, "allowed": " ".join(str(d) for d in allowed),
                     "predicts": predicts})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ comparison

def reproduce(profile: str | Profile = "paper", tolerance: float = TOLERANCE,
              data_dir: Path | str = paths.DATA_DIR) -> Reproduction:
    """Compare every published per-modality cell with its recomputation and give
    each a status (see the module docstring for the rules and their order)."""
    prof = get_profile(profile)
    bench = load_paper(data_dir)
    scoring = score_detailed(bench, prof)
    base = scoring.scores
    rec = recomputed_cells(base)
    allcells = published_cells(data_dir)
    names = dict(zip(base.models, base.model_names, strict=True))

    cells = allcells[allcells["published"] != 0].reset_index(drop=True)
    present = rows_present(data_dir).assign(_has=True)
    cells = cells.merge(present, on=["model", "modality"], how="left")
    has = cells.pop("_has").fillna(False).astype(bool).to_numpy()
    cells["name"] = cells["model"].map(names).fillna(cells["model_printed"])
    cells["recomputed"] = np.where(has, _lookup(cells, rec), np.nan)
    info = cells[["model", "modality"]].merge(rec, on=["model", "modality"], how="left")
    cells["wins"] = info["wins"].fillna(0).astype(int).to_numpy()
    ok = has & _close(cells["published"], cells["recomputed"], tolerance)
    cells["status"] = np.where(~has, _NO_DATA, np.where(ok, "reproduced", _OPEN))
    cells["category"] = ""
    cells["evidence"] = ""
    # the cells printed as 0 with per-task data: recomputed 0 (matched) or not
    zeros = allcells[allcells["published"] == 0].merge(present, on=["model", "modality"])
    zeros = zeros.drop(columns="_has").reset_index(drop=True)
    zero_value = _lookup(zeros, rec)
    printed_zero = zeros[np.nan_to_num(zero_value) > tolerance].reset_index(drop=True)
    zero_ok = zeros[_close(zero_value, 0.0, tolerance)].reset_index(drop=True)

    ctx = _Context(bench, prof, scoring, rec, pooled_sums(scoring), allcells, names,
                   tolerance, data_dir)
    rule_rows = []
    tried: dict[str, np.ndarray] = {}       # rule label -> value per cell (for "ruled out")
    variants: dict[str, pd.DataFrame] = {}  # category -> its recomputed cells (every model)
    for category, label, value in _variants(ctx):
        variants[category] = value
        tried[_short(category)] = _lookup(cells, value)
        hit = _open(cells) & _close(cells["published"], tried[_short(category)], tolerance)
        _claim(cells, hit, category, [f"{label}: {v:.2f}" for v in tried[_short(category)][hit]])
        rule_rows.append(_rule_row(category, label, int(hit.sum()), label))
    denominators: dict[str, dict[str, int]] = {}
    rule_rows += _pooled_denominator(cells, ctx, tried, denominators)
    chance = _chance(cells, ctx)
    rule_rows.append(_another_row(cells, ctx, chance))
    rule_rows.append(_not_halved(cells, ctx))
    rule_rows.append(_no_filter(cells, ctx))
    _no_win(cells)
    _systematic(cells)
    _name_ambiguity(cells, rec, tolerance, chance)
    rest = _open(cells)
    cells.loc[rest, "category"] = "unexplained"
    _ruled_out(cells, rest | (cells["category"].isin(DESCRIPTIVE_CATEGORIES)
                              & (cells["status"] == _OPEN)).to_numpy(), tried)
    # evidence for cells without data: does another model's recomputation match?
    _another_row(cells, ctx, chance, status=_NO_DATA)
    _name_ambiguity(cells, rec, tolerance, chance, status=_NO_DATA)
    rules = _finalise_rules(rule_rows, cells, ctx,
                            _uniform(cells, ctx, variants, denominators),
                            _uniform(zero_ok, ctx, variants, denominators))
    strength = {r["category"]: ("rule" if r["class"] in STRONG_CLASSES else "weak rule")
                for r in rules.to_dict("records")}
    still = cells["status"] == _OPEN
    cells.loc[still, "status"] = cells.loc[still, "category"].map(strength).fillna("unexplained")
    cells = pd.concat([cells, _printed_as_zero(printed_zero, ctx)], ignore_index=True)
    # the paper's order: table, row, modality (the printed-as-0 cells join their rows)
    order = allcells.reset_index()[["table", "model", "modality", "index"]]
    cells = (cells.merge(order, on=["table", "model", "modality"], how="left")
             .sort_values("index", kind="stable").drop(columns="index").reset_index(drop=True))
    rule_class = rules.set_index("category")["class"]
    cells["accounting"] = np.select(
        [cells["status"] == "reproduced", cells["status"].isin(["rule", "weak rule"])],
        ["plain formula", cells["category"].map(rule_class).fillna("")],
        default=cells["status"].where(cells["status"] != _OPEN, "unexplained"))

    pub = read_data_csv(Path(data_dir) / "published_levels.csv")
    mean4 = pub[list(MODALITIES)].mean(axis=1)
    nonzero_rows = pub["overall"] != 0
    consistent = int(((mean4 - pub["overall"]).abs() <= 0.01)[nonzero_rows].sum())
    l4 = pub[pub["table"] == 16].rename(columns={"model_id": "model"})
    l4 = l4.assign(name=l4["model"].map(names).fillna(l4["model_printed"]))
    overall = base.to_frame().reset_index()
    rec4 = overall[overall["level4"] > 0].sort_values(["level4", "name"], ascending=[False, True])
    level5 = {}
    for p in PROFILES:
        s5 = base if p == prof.name else score(bench, p)
        level5[p] = sorted(n for n, v in zip(s5.model_names, s5.level5, strict=True) if v > 0)
    columns = ["table", "level", "model", "name", "modality", "published", "recomputed",
               "status", "accounting", "category", "evidence", "wins"]
    return Reproduction(
        profile=prof.name, tolerance=tolerance, cells=cells[columns],
        rules=rules, level4_paper=l4[["model", "name", "overall"]],
        level4_recomputed=rec4[["model", "name", "level4"]].reset_index(drop=True),
        level5=level5, overall_rows=int(nonzero_rows.sum()), overall_consistent=consistent,
        zero_published_nonzero=len(printed_zero), chance=chance,
        rankings=rankings.compare(ctx.published, base, cells),
        printed=printed_cells(allcells, present, rec, names),
    )


def printed_cells(allcells: pd.DataFrame, present: pd.DataFrame, rec: pd.DataFrame,
                  names: dict[str, str]) -> pd.DataFrame:
    """Every printed cell of Tables 12/14/16 beside its recomputation (see
    :attr:`Reproduction.printed`): the recomputed value where Appendix B has the
    model's rows in that modality, or where the paper prints 0 for a model and
    modality it never scores (an unsupported modality recomputes to 0 as
    well); ``NaN`` for a model and modality the paper scores somewhere (a
    non-zero cell in any of the tables) without per-task rows, and for a model
    Appendix B lacks entirely."""
    frame = allcells.merge(present, on=["model", "modality"], how="left")
    has = frame.pop("_has").fillna(False).astype(bool).to_numpy()
    known = frame["model"].isin(set(rec["model"])).to_numpy()
    value = _lookup(frame, rec)
    scored = frame["published"].to_numpy(float) != 0
    without = pd.Series(scored & ~has).groupby([frame["model"], frame["modality"]]).transform("any")
    usable = known & ~without.to_numpy(dtype=bool) & (has | ~scored)
    frame["recomputed"] = np.where(usable, value, np.nan)
    frame["name"] = frame["model"].map(names).fillna(frame["model_printed"])
    return frame[["table", "level", "model", "name", "row_in_table", "modality", "published",
                  "recomputed"]].reset_index(drop=True)


@dataclass(frozen=True)
class _Context:
    bench: Benchmark
    prof: Profile
    scoring: Scoring
    rec: pd.DataFrame
    sums: pd.DataFrame
    published: pd.DataFrame     # every published cell, zeros included
    names: dict
    tolerance: float
    data_dir: Path | str


def _open(cells: pd.DataFrame) -> np.ndarray:
    return ((cells["status"] == _OPEN) & (cells["category"] == "")).to_numpy()


def _claim(cells: pd.DataFrame, mask: np.ndarray, category: str, evidence: list[str]) -> None:
    cells.loc[mask, "category"] = category
    cells.loc[mask, "evidence"] = evidence


def _rule_row(category: str, rule: str, recovers: int, evidence: str) -> dict:
    """A rule's row before :func:`_finalise_rules` adds what it does to every model."""
    return {"category": category, "rule": rule, "recovers": recovers, "evidence": evidence}


#: Level-3 rules: the value each gives for a Level-3 cell, from the recomputed halves.
_LEVEL3_RULES: dict[str, str] = {"Level-3 not halved": "comp3 + gen3",
                                 "Level-3 without synergy filter": "level2"}


def _uniform(cellset: pd.DataFrame, ctx: _Context, variants: dict[str, pd.DataFrame],
             denominators: dict[str, dict[str, int]]) -> dict[str, np.ndarray]:
    """Each rule applied to every model: its value for every cell of ``cellset``
    (NaN where the rule says nothing, e.g. a Level-4 cell under a denominator).
    Rules without a uniform form (a copied row, a sum fitted per model) are absent."""
    out = {category: _lookup(cellset, value) for category, value in variants.items()}
    totals = _cell_sums(cellset, ctx.sums)["total"].to_numpy(float)
    for category, by_modality in denominators.items():
        d = cellset["modality"].map(by_modality).to_numpy(float)
        with np.errstate(invalid="ignore"):
            out[category] = totals / d
    halves = cellset[["model", "modality"]].merge(ctx.rec, on=["model", "modality"], how="left")
    level3 = (cellset["level"] == 3).to_numpy()
    for category, formula in _LEVEL3_RULES.items():
        out[category] = np.where(level3, halves.eval(formula).to_numpy(float), np.nan)
    return out


def _finalise_rules(rows: list[dict], cells: pd.DataFrame, ctx: _Context,
                    uniform: dict[str, np.ndarray], uniform_zero: dict[str, np.ndarray]
                    ) -> pd.DataFrame:
    """Every rule applied uniformly: ``fixed`` (open cells with data it reproduces),
    ``broken`` (reproduced non-zero cells it does not), ``broken_zero`` (cells printed
    as 0 and recomputed 0 that it makes non-zero), ``models`` (credited), the fitted
    ``constants``, ``free_numbers`` and the accounting ``class`` (module docstring)."""
    tol = ctx.tolerance
    published = cells["published"].to_numpy(float)
    reproduced = (cells["status"] == "reproduced").to_numpy()
    open_ = ~reproduced & (cells["status"] != _NO_DATA).to_numpy()
    out = []
    for row in rows:
        category = row["category"]
        claimed = (cells["category"] == category).to_numpy()
        models = int(cells.loc[claimed, "model"].nunique())
        kind = RULE_KINDS[category]
        constants = (0 if kind != "constant" or not models else
                     models if category == "pooled denominator, unseen wins" else 1)
        if category in uniform:
            value = uniform[category]
            fixed = int((open_ & _close(published, value, tol)).sum())
            broken: int | None = int((reproduced & np.isfinite(value)
                                      & ~_close(published, value, tol)).sum())
            zero = uniform_zero[category]
            broken_zero: int | None = int((np.isfinite(zero) & ~_close(zero, 0.0, tol)).sum())
        else:
            fixed, broken, broken_zero = row["recovers"], None, None
        switched = bool(broken) or bool(broken_zero)
        cls = ("fitted constant" if kind == "constant" else
               "formula switched per model" if switched else
               "transcription copy" if kind == "copy" else "plain formula")
        free = constants + (models if switched else 0)
        out.append({"category": category, "rule": row["rule"], "kind": kind, "class": cls,
                    "strength": "strong" if cls in STRONG_CLASSES else "weak",
                    "recovers": row["recovers"], "models": models, "fixed": fixed,
                    "broken": broken, "broken_zero": broken_zero, "constants": constants,
                    "free_numbers": free, "evidence": row["evidence"]})
    frame = pd.DataFrame(out)
    return frame.astype({"broken": "Int64", "broken_zero": "Int64"})


def _printed_as_zero(zeros: pd.DataFrame, ctx: _Context) -> pd.DataFrame:
    """The cells the paper prints as 0 that recompute non-zero, as rows of ``cells``
    (status and category ``printed as 0``), with what the data hold for them."""
    rec = ctx.rec.set_index(["model", "modality"])
    pub = ctx.published
    rows = []
    for r in zeros.itertuples():   # a handful of cells
        got = rec.loc[(r.model, r.modality)]
        value = float(got[f"level{r.level}"])
        row_printed = pub[(pub["table"] == r.table) & (pub["model"] == r.model)]
        all_zero = bool((row_printed["published"] == 0).all())
        name = ctx.names.get(r.model, r.model_printed)
        rows.append({
            "table": r.table, "level": r.level, "model": r.model, "name": name,
            "modality": r.modality, "published": 0.0, "recomputed": value,
            "status": PRINTED_AS_ZERO, "category": PRINTED_AS_ZERO, "wins": int(got["wins"]),
            "evidence": (f"{int(got['supported'])} supported {r.modality} task(s), "
                         f"{int(got['wins'])} win(s) over SoTA"
                         + (f"; the whole Table {r.table} row is printed as 0 (unranked)"
                            if all_zero else "")),
        })
    return pd.DataFrame(rows, columns=["table", "level", "model", "name", "modality",
                                       "published", "recomputed", "status", "category",
                                       "evidence", "wins"])


_SHORT = {"duplicated rows": "other printed row", "WER in percent": "WER read the other way",
          "metric alias": "other metric matching", "unsupported MS-SSIM read as 0":
          "MS-SSIM as 0", "one mean per modality": "one mean"}


def _short(category: str) -> str:
    return _SHORT.get(category, category)


def _variants(ctx: _Context) -> list[tuple[str, str, pd.DataFrame]]:
    """Each single-rule alternative: (category, rule, its recomputed cells)."""
    bench, prof = ctx.bench, ctx.prof
    wer = "WER as a fraction (1 - x)" if prof.wer_percent else "WER in percent (1 - x/100)"
    match: Literal["exact", "alias"] = "alias" if prof.metric_matching == "exact" else "exact"
    sums = ctx.sums
    one_mean = pd.DataFrame({"model": sums["model"], "modality": sums["modality"],
                             "level2": sums["sum2"] / sums["tasks"],
                             "level3": sums["sum3"] / sums["tasks"], "level4": np.nan})
    return [
        ("duplicated rows", "the other printed row of a model printed twice",
         recomputed_cells(score(with_alternates(bench, ctx.data_dir), prof))),
        ("WER in percent", wer, recomputed_cells(
            score(bench, replace(prof, name=f"{prof.name}-wer", wer_percent=not prof.wer_percent)))),
        ("metric alias", f"{match} metric-name matching", recomputed_cells(
            score(bench, replace(prof, name=f"{prof.name}-{match}", metric_matching=match)))),
        ("unsupported MS-SSIM read as 0", "unsupported MS-SSIM cells scored as (0 + 1) / 2 = 50",
         recomputed_cells(score(unsupported_as_zero(bench, "MS-SSIM"), prof))),
        ("one mean per modality", "Level-2/3 of a modality = one mean over all its tasks",
         one_mean),
    ]


def _cell_sums(cells: pd.DataFrame, sums: pd.DataFrame) -> pd.DataFrame:
    """Per cell: its pooled sum (``sum2`` for Level-2, ``sum3`` for Level-3), tasks,
    unsupported; NaN for Level-4 cells."""
    merged = cells[["model", "modality", "level"]].merge(sums, on=["model", "modality"],
                                                         how="left")
    total = np.where(merged["level"] == 2, merged["sum2"],
                     np.where(merged["level"] == 3, merged["sum3"], np.nan))
    return merged.assign(total=total)


def _pooled_denominator(cells: pd.DataFrame, ctx: _Context, tried: dict[str, np.ndarray],
                        denominators: dict[str, dict[str, int]]) -> list[dict]:
    """Find integer denominators ``D`` shared by open cells (``sum / D`` reproduces
    them), per modality; strong when each model's peers predict ``D``. Then the weak
    extension: a model whose Level-2 and Level-3 both fit ``(sum + X) / D`` with one
    unseen sum ``X`` of winning scores."""
    tol = ctx.tolerance
    info = _cell_sums(cells, ctx.sums)
    rows = []
    strong = weak = unpredicted = 0
    texts, weak_texts, wins_texts = [], [], []
    for m in MODALITIES:     # four modalities
        while True:
            todo = _open(cells) & (cells["modality"] == m).to_numpy() & (info["total"] > 0
                                                                         ).to_numpy()
            if todo.sum() < MIN_GROUP:
                break
            idx = np.flatnonzero(todo)
            lo, hi = denominator_interval(cells["published"].to_numpy()[idx],
                                          info["total"].to_numpy()[idx], tol)
            models = cells["model"].to_numpy()[idx]
            n_tasks = int(ctx.sums.loc[ctx.sums["modality"] == m, "tasks"].iloc[0])
            found = fit_denominator(lo, hi, models, exclude=(n_tasks,),
                                    limit=MAX_DENOMINATOR_FACTOR * n_tasks)
            if found is None:
                break
            d, mask = found
            group = idx[mask]
            check = out_of_sample(lo[mask], hi[mask], models[mask])
            confirmed = bool(check["predicts"].all())
            value = info["total"].to_numpy()[group] / d
            category = "pooled denominator" if confirmed else "pooled denominator, not predicted"
            denominators.setdefault(category, {}).setdefault(m, d)
            _claim(cells, np.isin(np.arange(len(cells)), group), category, [
                f"sum over the {n_tasks} {m} tasks / {d} = {t:.2f} / {d} = {v:.2f}"
                for t, v in zip(info["total"].to_numpy()[group], value, strict=True)])
            tried[f"/ {d}"] = np.where(cells["modality"] == m,
                                       info["total"].to_numpy() / d, np.nan)
            names = ", ".join(ctx.names.get(x, x) for x in sorted(set(models[mask])))
            common = integers_in(float(lo[mask].max()), float(hi[mask].min()))
            shared = ("the only integer in every cell's interval" if list(common) == [d] else
                      f"integers in every cell's interval: {' '.join(map(str, common)) or 'none'}")
            loo = "; ".join(f"without {ctx.names.get(r.model, r.model)}: {r.allowed or 'none'}"
                            for r in check.itertuples())
            text = (f"{m} Level-2/3 = sum of the normalised scores (Level-2) or of the "
                    f"winning scores (Level-3) over all {n_tasks} {m} tasks / {d}, for "
                    f"{int(mask.sum())} cells of {names} ({shared}; the integers the other "
                    f"models' cells allow, {loo})")
            if confirmed:
                strong += int(mask.sum())
                texts.append(text)
            else:
                unpredicted += int(mask.sum())
                weak_texts.append(text + "; some model's cells are not predicted by its peers")
            w, wt = _unseen_wins(cells, ctx, info, m, d, sorted(set(models[mask])))
            weak += w
            wins_texts += wt
    rows.append(_rule_row("pooled denominator", "Level-2/3 = pooled sum / a shared integer D",
                          strong, "; ".join(texts) or "no shared denominator"))
    rows.append(_rule_row("pooled denominator, not predicted",
                          "as 'pooled denominator', but the peers do not predict every model",
                          unpredicted, "; ".join(weak_texts) or "none"))
    rows.append(_rule_row("pooled denominator, unseen wins",
                          "Level-2 and Level-3 = (pooled sum + X) / D, X unseen wins",
                          weak, "; ".join(wins_texts) or "no model fits"))
    return rows


def _unseen_wins(cells: pd.DataFrame, ctx: _Context, info: pd.DataFrame, modality: str,
                 d: int, group: list[str]) -> tuple[int, list[str]]:
    """Models of ``modality`` whose open Level-2 and Level-3 cells both fit
    ``(sum + X) / d`` with one ``X``: a sum of scores on tasks the data shows as
    unsupported, every one of them a win (so it adds to Level-2 and Level-3 alike).
    ``X`` must lie in ``[0, 100 * unsupported]``."""
    tol = ctx.tolerance
    todo = _open(cells) & (cells["modality"] == modality).to_numpy()
    texts = []
    n = 0
    for model in sorted(set(cells.loc[todo, "model"])):     # the few open models left
        pick = todo & (cells["model"] == model).to_numpy()
        lv = cells.loc[pick, "level"].to_numpy()
        if sorted(lv) != [2, 3]:
            continue
        k2, k3 = np.flatnonzero(pick & (cells["level"] == 2).to_numpy())[0], np.flatnonzero(
            pick & (cells["level"] == 3).to_numpy())[0]
        p2, p3 = cells.at[k2, "published"], cells.at[k3, "published"]
        s2, s3 = info.at[k2, "total"], info.at[k3, "total"]
        lo = max((p2 - tol) * d - s2, (p3 - tol) * d - s3, 0.0)
        hi = min((p2 + tol) * d - s2, (p3 + tol) * d - s3,
                 100.0 * float(info.at[k2, "unsupported"]))
        if lo > hi:
            continue
        x = (lo + hi) / 2
        unsupported = int(info.at[k2, "unsupported"])
        peers = _peer_only_tasks(ctx, model, group, modality)
        ev = [f"(sum {s:.2f} + X) / {d} with X in [{lo:.1f}, {hi:.1f}] (one free number for "
              f"two cells: winning scores on some of its {unsupported} unsupported {modality} "
              f"tasks; {peers}); X = {x:.1f} gives {(s + x) / d:.2f}" for s in (s2, s3)]
        _claim(cells, np.isin(np.arange(len(cells)), [k2, k3]),
               "pooled denominator, unseen wins", ev)
        texts.append(f"{ctx.names.get(model, model)} {modality}: Level-2 and Level-3 both fit "
                     f"(sum + X) / {d} for X in [{lo:.1f}, {hi:.1f}]")
        n += 2
    return n, texts


def _peer_only_tasks(ctx: _Context, model: str, group: list[str], modality: str) -> str:
    """The tasks of ``modality`` that a model of ``group`` supports and ``model`` does
    not, with how many of them those peers win and the SoTA sum over them."""
    bench, norm = ctx.bench, ctx.scoring.norm
    cols = (bench.tasks["modality"] == modality).to_numpy()
    rows = [bench.models.index(g) for g in group]
    own = np.isfinite(norm.scores[bench.models.index(model), cols])
    peers = np.isfinite(norm.scores[rows][:, cols]).any(axis=0) & ~own
    wins = levels.beats_sota(norm.scores[rows][:, cols], norm.sota[cols]).any(axis=0) & peers
    ids = bench.tasks["task_id"].to_numpy()[cols][peers]
    span = f"{ids[0]}..{ids[-1]}" if len(ids) else "none"
    best = np.nanmax(np.where(levels.beats_sota(norm.scores[rows][:, cols], norm.sota[cols]),
                              norm.scores[rows][:, cols], -np.inf), axis=0)
    return (f"{int(peers.sum())} of them ({span}) are supported by "
            f"{', '.join(ctx.names.get(g, g) for g in group)}, which win {int(wins.sum())} "
            f"of those (SoTA sum {float(norm.sota[cols][wins].sum()):.1f}, the peers' best "
            f"winning values sum to {float(best[wins].sum()):.1f})")


def _published_pairs(ctx: _Context) -> pd.DataFrame:
    """Per (model, modality): published Level-2 ``p2`` and Level-3 ``p3`` (zeros kept)."""
    pub = ctx.published[ctx.published["level"].isin([2, 3])]
    wide = pub.pivot_table(index=["model", "modality"], columns="level", values="published",
                           aggfunc="first").reset_index()
    wide.columns = ["model", "modality", "p2", "p3"]
    return wide


def _pair_matches(ctx: _Context) -> pd.DataFrame:
    """(model, modality, other): the published Level-2 *and* Level-3 of the model equal
    the other model's recomputed Level-2 and Level-3 (within the tolerance)."""
    pairs = _published_pairs(ctx)
    pairs = pairs[pairs["p2"] > 0]
    other = ctx.rec[["model", "modality", "level2", "level3"]].rename(columns={"model": "other"})
    m = pairs.merge(other, on="modality")
    m = m[(m["other"] != m["model"]) & _close(m["p2"], m["level2"], ctx.tolerance)
          & _close(m["p3"], m["level3"], ctx.tolerance)]
    return m.reset_index(drop=True)


def _chance(cells: pd.DataFrame, ctx: _Context) -> pd.DataFrame:
    """How often a match with another model happens by chance: among cells whose own
    recomputation reproduces them, the share that also equal another model's
    recomputed value -- on one level (``single``), or as a (Level-2, Level-3) row
    (``row``)."""
    tol = ctx.tolerance
    ok = cells[(cells["status"] == "reproduced") & cells["level"].isin([2, 3])]
    long = ctx.rec.melt(id_vars=["model", "modality"], value_vars=["level2", "level3"],
                        var_name="lv", value_name="value")
    long = long[long["value"] > 0].assign(level=lambda f: f["lv"].str[-1].astype(int))
    m = ok.reset_index().merge(long.rename(columns={"model": "other"}),
                               on=["modality", "level"])
    m = m[(m["other"] != m["model"]) & _close(m["published"], m["value"], tol)]
    single = int(m["index"].nunique())
    pairs = _published_pairs(ctx).merge(ctx.rec[["model", "modality", "level2", "level3"]],
                                        on=["model", "modality"])
    own = pairs[(pairs["p2"] > 0) & _close(pairs["p2"], pairs["level2"], tol)
                & _close(pairs["p3"], pairs["level3"], tol)]
    match = _pair_matches(ctx)
    row = int(own.merge(match[["model", "modality"]].drop_duplicates(),
                        on=["model", "modality"]).shape[0])
    return pd.DataFrame({"match": ["single", "row"], "cells": [len(ok), len(own)],
                         "also_match_another_model": [single, row],
                         "rate": [single / max(len(ok), 1), row / max(len(own), 1)]})


def _another_row(cells: pd.DataFrame, ctx: _Context, chance: pd.DataFrame,
                 status: str = _OPEN) -> dict:
    """Open cells (or, as evidence only, cells of ``status``) whose model's published
    (Level-2, Level-3) pair equals another model's recomputed pair."""
    match = _pair_matches(ctx)
    rate = chance.set_index("match").loc["row"]
    todo = (cells["status"] == status) & (cells["category"] == "") & cells["level"].isin([2, 3])
    hits = cells[todo].reset_index().merge(match[["model", "modality", "other", "p2", "p3",
                                                  "level2", "level3"]],
                                           on=["model", "modality"])
    rows = _published_pairs(ctx).set_index(["model", "modality"])
    pub = ctx.published.set_index(["model", "modality", "table"])
    texts = []
    for r in hits.drop_duplicates("index").itertuples():   # the few matched cells
        own = ctx.rec.set_index(["model", "modality"]).loc[(r.model, r.modality)]
        back = rows.loc[(r.other, r.modality)] if (r.other, r.modality) in rows.index else None
        where = ", ".join(
            f"Table {t} rows {int(pub.loc[(r.model, r.modality, t), 'row_in_table'])} and "
            f"{int(pub.loc[(r.other, r.modality, t), 'row_in_table'])}"
            for t in (12, 14) if (r.other, r.modality, t) in pub.index
            and (r.model, r.modality, t) in pub.index)
        reverse = "" if back is None or status != _OPEN else (
            f"; the reverse does not hold ({ctx.names.get(r.other, r.other)} printed "
            f"{back['p2']:.2f} / {back['p3']:.2f}, {ctx.names.get(r.model, r.model)} "
            f"recomputes {own['level2']:.2f} / {own['level3']:.2f})"
            if not (_close(back["p2"], own["level2"], ctx.tolerance)
                    and _close(back["p3"], own["level3"], ctx.tolerance)) else
            "; and the reverse holds too (a swap)")
        text = (f"published Level-2 / Level-3 {r.p2:.2f} / {r.p3:.2f} = "
                f"{ctx.names.get(r.other, r.other)}'s recomputed {r.level2:.2f} / "
                f"{r.level3:.2f} ({where}{reverse}; {int(rate['also_match_another_model'])} of "
                f"{int(rate['cells'])} rows that reproduce also match another model's row)")
        if status == _OPEN:
            cells.loc[r.index, ["category", "evidence"]] = ["another model's row", text]
        else:
            cells.loc[r.index, "evidence"] = f"{text}; no per-task data of its own"
        texts.append(f"{ctx.names.get(r.model, r.model)} {r.modality} Level-{r.level}")
    n = int((cells["category"] == "another model's row").sum())
    return _rule_row("another model's row",
                     "the modality's Level-2 and Level-3 are another model's recomputed pair",
                     n if status == _OPEN else 0,
                     ", ".join(texts) + (f": {text}" if texts else "") if texts else
                     "no model")


def _not_halved(cells: pd.DataFrame, ctx: _Context) -> dict:
    """Open Level-3 cells equal to ``mean_C(credit) + mean_G(credit)`` (no ``/ 2``)."""
    info = cells[["model", "modality"]].merge(ctx.rec, on=["model", "modality"], how="left")
    total = (info["comp3"] + info["gen3"]).to_numpy()
    hit = _open(cells) & (cells["level"] == 3).to_numpy() & _close(cells["published"], total,
                                                                   ctx.tolerance)
    hit &= total != cells["recomputed"].to_numpy()
    ev = [f"mean_C(credit) + mean_G(credit) = {c:.4f} + {g:.4f} = {c + g:.2f}, not halved "
          f"(the recomputed Level-3 is {(c + g) / 2:.2f})"
          for c, g in zip(info.loc[hit, "comp3"], info.loc[hit, "gen3"], strict=True)]
    _claim(cells, hit, "Level-3 not halved", ev)
    who = ", ".join(f"{n} {m}" for n, m in zip(cells.loc[hit, "name"], cells.loc[hit, "modality"],
                                                strict=True))
    return _rule_row("Level-3 not halved", "Level-3 = mean_C(credit) + mean_G(credit)",
                     int(hit.sum()), f"{who or 'no cell'}: one cell, a single slip")


def _no_filter(cells: pd.DataFrame, ctx: _Context) -> dict:
    """Open Level-3 cells equal to the model's recomputed Level-2 (every supported
    score credited, no comparison with the SoTA)."""
    info = cells[["model", "modality"]].merge(ctx.rec, on=["model", "modality"], how="left")
    l2 = info["level2"].to_numpy()
    hit = (_open(cells) & (cells["level"] == 3).to_numpy()
           & _close(cells["published"], l2, ctx.tolerance) & (l2 != cells["recomputed"]))
    pub = _published_pairs(ctx).set_index(["model", "modality"])
    ev = []
    for k in np.flatnonzero(hit):      # one or two cells
        model, m = cells.at[k, "model"], cells.at[k, "modality"]
        same = _close(pub.at[(model, m), "p2"], pub.at[(model, m), "p3"], 0.0)
        ev.append(f"the recomputed Level-2 {l2[k]:.2f} ({int(info.at[k, 'wins'])} wins, so "
                  f"Level-3 with the filter is 0)"
                  + ("; the model's Table 14 cell equals its Table 12 cell" if same else ""))
    _claim(cells, hit, "Level-3 without synergy filter", ev)
    pairs = _published_pairs(ctx)
    copies = pairs[(pairs["p2"] > 0) & (pairs["p2"] == pairs["p3"])]
    who = ", ".join(f"{n} {m}" for n, m in zip(cells.loc[hit, "name"], cells.loc[hit, "modality"],
                                                strict=True))
    return _rule_row("Level-3 without synergy filter", "Level-3 = the recomputed Level-2",
                     int(hit.sum()),
                     f"{who or 'no cell'}: one cell; {len(copies)} non-zero Table 14 cell(s) "
                     "equal the same model's Table 12 cell")


def _name_ambiguity(cells: pd.DataFrame, rec: pd.DataFrame, tolerance: float,
                    chance: pd.DataFrame, status: str = _OPEN) -> None:
    """Mark cells whose published value equals another model's recomputed cell on that
    level alone (rejected as an explanation: the chance rate says why)."""
    todo = (cells["status"] == status) & (cells["category"] == "") & (cells["evidence"] == "")
    if not todo.any():
        return
    rate = chance.set_index("match").loc["single"]
    long = rec.melt(id_vars=["model", "modality"], value_vars=["level2", "level3", "level4"],
                    var_name="lv", value_name="value")
    long = long[long["value"] > 0].assign(level=lambda f: f["lv"].str[-1].astype(int))
    cand = cells.loc[todo, ["model", "modality", "level", "published"]].reset_index().merge(
        long.rename(columns={"model": "other"}), on=["modality", "level"])
    cand = cand[(cand["other"] != cand["model"])
                & _close(cand["published"], cand["value"], tolerance)]
    found = cand.groupby("index").agg(other=("other", lambda s: ", ".join(sorted(s))),
                                      value=("value", "first"))
    if status == _OPEN:
        cells.loc[found.index, "category"] = "name ambiguity"
    cells.loc[found.index, "evidence"] = [
        f"equals the recomputed value of {o} ({v:.2f}) on this level only; rejected as an "
        f"explanation: {int(rate['also_match_another_model'])} of {int(rate['cells'])} "
        f"reproduced cells ({rate['rate']:.0%}) also equal another model's value"
        for o, v in zip(found["other"], found["value"], strict=True)]


def _no_win(cells: pd.DataFrame) -> None:
    todo = _open(cells) & (cells["level"] >= 3).to_numpy() & (cells["wins"] == 0).to_numpy()
    cells.loc[todo, "category"] = "no win in the data"
    cells.loc[todo, "evidence"] = [
        f"no {m} task reaches SoTA in Appendix B, so Level-{lv} must be 0"
        for m, lv in zip(cells.loc[todo, "modality"], cells.loc[todo, "level"], strict=True)]


def _systematic(cells: pd.DataFrame) -> None:
    todo = np.flatnonzero(_open(cells) & (cells["recomputed"] > 0).to_numpy())
    if len(todo) == 0:
        return
    pub = cells["published"].to_numpy()[todo]
    rec = cells["recomputed"].to_numpy()[todo]
    ratio, diff = pub / rec, pub - rec
    same_ratio = np.abs(ratio[:, None] / ratio[None, :] - 1) <= RATIO_TOLERANCE
    n_ratio = same_ratio.sum(axis=1)
    key = (cells["level"].astype(str) + cells["modality"]).to_numpy()[todo]
    same_offset = (np.abs(diff[:, None] - diff[None, :]) <= OFFSET_TOLERANCE) & (
        key[:, None] == key[None, :])
    n_offset = same_offset.sum(axis=1)
    for k, j in enumerate(todo):     # the few cells left open
        if n_offset[k] >= MIN_GROUP:
            cells.loc[j, ["category", "evidence"]] = [
                "constant offset",
                f"published - recomputed = {diff[k]:+.2f}, shared by {n_offset[k]} "
                f"Level-{cells.loc[j, 'level']} {cells.loc[j, 'modality']} cells (cause unknown)"]
        elif n_ratio[k] >= MIN_GROUP:
            cells.loc[j, ["category", "evidence"]] = [
                "constant ratio",
                f"published / recomputed = {ratio[k]:.3f}, shared by {n_ratio[k]} cells "
                f"(cause unknown)"]


def _ruled_out(cells: pd.DataFrame, mask: np.ndarray, tried: dict[str, np.ndarray]) -> None:
    """Append to each unexplained cell what every tested rule gives for it."""
    for k in np.flatnonzero(mask):     # the unexplained cells (a handful)
        rec = cells.at[k, "recomputed"]
        parts = [f"{label} {v[k]:.2f}" for label, v in tried.items()
                 if np.isfinite(v[k]) and not _close(v[k], rec, 0.005)]
        same = [label for label, v in tried.items()
                if np.isfinite(v[k]) and _close(v[k], rec, 0.005)]
        head = (f"published {cells.at[k, 'published']:.2f}, recomputed {rec:.2f} "
                f"({cells.at[k, 'wins']} win(s) over SoTA in the modality)")
        text = head + "; ruled out: " + (", ".join(parts) if parts else "-")
        if same:
            text += f" ({', '.join(same)}: unchanged)"
        text += "; no other model's (Level-2, Level-3) row"
        old = cells.at[k, "evidence"]
        cells.at[k, "evidence"] = f"{old}; {text}" if old else text


# ------------------------------------------------------------------ twice-printed rows

def printed_rows_effect(profile: str | Profile = "paper",
                        data_dir: Path | str = paths.DATA_DIR) -> pd.DataFrame:
    """For every model printed twice: its recomputed per-modality Level-2/3 from the
    primary row (``scores.csv``) and from the other printed row (``scores_alternates.csv``),
    beside the published cell. Only (model, modality) pairs the other row changes."""
    prof = get_profile(profile)
    bench = load_paper(data_dir)
    alt = read_data_csv(Path(data_dir) / "scores_alternates.csv")
    primary = recomputed_cells(score(bench, prof))
    other = recomputed_cells(score(with_alternates(bench, data_dir), prof))
    modality = bench.tasks.set_index("task_id")["modality"]
    twice = alt.assign(modality=alt["task_id"].map(modality))
    twice = twice.groupby(["model_id", "modality"])["occurrence"].agg(
        lambda s: " ".join(str(o) for o in sorted(set(s)))).reset_index()
    twice = twice.rename(columns={"model_id": "model", "occurrence": "other_occurrence"})
    twice = twice[twice["modality"].isin(MODALITIES)]
    pub = published_cells(data_dir)
    rows = []
    for level in (2, 3):
        col = f"level{level}"
        part = twice.merge(primary[["model", "modality", col]], on=["model", "modality"])
        part = part.merge(other[["model", "modality", col]].rename(columns={col: "other"}),
                          on=["model", "modality"])
        part = part.merge(pub.loc[pub["level"] == level, ["model", "modality", "published"]],
                          on=["model", "modality"], how="left")
        rows.append(part.rename(columns={col: "primary"}).assign(level=level))
    out = pd.concat(rows, ignore_index=True)
    out = out[out["primary"] != out["other"]]
    return out[["model", "modality", "level", "published", "primary", "other",
                "other_occurrence"]].sort_values(["model", "modality", "level"]).reset_index(
        drop=True)
