"""The published and the recomputed leaderboards compared as rankings.

Published: the paper's Tables 12/14/16 (``data/published_levels.csv``). A
model's published level is the highest ``k`` whose table prints a non-zero
overall Level-k (Table 16 lists the Level-4 models only; no Level-5 is
printed), 1 if none. Recomputed: the pass's overall Level-2..5 and level
reached. Over the models in both:

* ``confusion`` -- published level (rows) x recomputed level (columns), 1..5;
* ``tau_b`` -- Kendall's tau-b (:func:`kendall_tau_b`) of the overall Level-2
  (Table 12 vs recomputed) and of the overall Level-3 (Table 14 vs recomputed);
* ``top10`` -- the first ten of each leaderboard ranked as Scope-A is (level
  reached, the score at that level, the next lower level's score, the name) and
  how many they share;
* ``changed`` -- the models whose level changes, each with its cause: the
  published cells of the higher level and what the reproduction says of them
  (no per-task data, unexplained, ...), or the cells printed as 0 that
  recompute non-zero.

:func:`compare` returns a JSON-ready ``dict`` with a ``sentence``.

>>> round(kendall_tau_b([1, 2, 3, 4], [1, 3, 2, 4]), 4)   # 5 concordant, 1 discordant
0.6667
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from glscore import paths
from glscore.analysis.datastates import published_overall
from glscore.core import levels
from glscore.core.scoring import Scores

LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
TOP_K = 10


def kendall_tau_b(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Kendall's tau-b: ``(C - D) / sqrt((P - T_x) (P - T_y))`` over the ``P``
    pairs, with ``C``/``D`` the concordant/discordant pairs and ``T_x``/``T_y``
    the pairs tied in ``x``/``y``; NaN when either is constant. All pairs at
    once (``n^2`` signs: fine for the ~100 models of a leaderboard).

    >>> kendall_tau_b([1, 1, 2], [1, 2, 3])   # 2 concordant, 1 tied in x: 2 / sqrt(2 * 3)
    0.8164965809277261
    """
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    upper = np.triu_indices(len(a), 1)
    sx = np.sign(a[:, None] - a[None, :])[upper]
    sy = np.sign(b[:, None] - b[None, :])[upper]
    denominator = math.sqrt(float(np.count_nonzero(sx)) * float(np.count_nonzero(sy)))
    return float((sx * sy).sum() / denominator) if denominator else math.nan


def published_levels(data_dir: str | paths.Path = paths.DATA_DIR) -> pd.DataFrame:
    """Per published model: the printed overall Level-2/3/4 (0 where a table does
    not print it) and the published level reached."""
    overall = published_overall(data_dir)
    wide = overall.pivot_table(index="model", columns="level", values="overall",
                               aggfunc="first").reindex(columns=[2, 3, 4]).fillna(0.0)
    wide.columns = ["level2", "level3", "level4"]
    stacked = wide[["level2", "level3", "level4"]].to_numpy()
    zero = np.zeros(len(wide))
    wide["level"] = levels.level_reached(stacked[:, 0], stacked[:, 1], stacked[:, 2], zero)
    return wide.reset_index()


def _order(level: np.ndarray, at: np.ndarray, below: np.ndarray, names: np.ndarray) -> np.ndarray:
    """Scope-A's ranking: level, score at it, the next lower level's score, name."""
    return np.lexsort((names.astype(str), -below, -at, -level))


def compare(published_cells: pd.DataFrame, scores: Scores, cells: pd.DataFrame,
            data_dir: str | paths.Path = paths.DATA_DIR) -> dict:
    """Published vs recomputed as rankings (module docstring). ``published_cells``:
    every published per-modality cell (``table, level, model, modality,
    published``); ``cells``: the reproduction's cells with ``status`` and
    ``category``, used to name causes."""
    pub = published_levels(data_dir)
    index = {m: i for i, m in enumerate(scores.models)}
    pub = pub[pub["model"].isin(index)].reset_index(drop=True)
    rows = pub["model"].map(index).to_numpy(int)
    names = np.array(scores.model_names, dtype=object)[rows]
    rec = {k: getattr(scores, f"level{k}")[rows] for k in (2, 3, 4, 5)}
    rec_level = scores.level[rows].astype(int)
    pub_level = pub["level"].to_numpy(int)

    confusion = np.zeros((len(LEVELS), len(LEVELS)), dtype=int)
    np.add.at(confusion, (pub_level - 1, rec_level - 1), 1)

    zero = np.zeros(len(pub))
    p_stack = [pub[f"level{k}"].to_numpy(float) for k in (2, 3, 4)] + [zero]
    r_stack = [rec[k] for k in (2, 3, 4, 5)]
    p_at = levels.score_at_level(pub_level, *p_stack)
    p_below = levels.score_at_level(np.maximum(pub_level - 1, 1), *p_stack)
    r_at = levels.score_at_level(rec_level, *r_stack)
    r_below = levels.score_at_level(np.maximum(rec_level - 1, 1), *r_stack)
    p_top = names[_order(pub_level, p_at, p_below, names)][:TOP_K]
    r_top = names[_order(rec_level, r_at, r_below, names)][:TOP_K]
    shared = sorted(set(p_top) & set(r_top))

    tau = {f"level{k}": kendall_tau_b(pub[f"level{k}"], rec[k]) for k in (2, 3)}
    moved = np.flatnonzero(pub_level != rec_level)
    changed = [{"model": str(pub.at[i, "model"]), "name": str(names[i]),
                "published_level": int(pub_level[i]), "recomputed_level": int(rec_level[i]),
                "cause": _cause(str(pub.at[i, "model"]), int(pub_level[i]), int(rec_level[i]),
                                published_cells, cells)}
               for i in moved]
    out = {
        "models": len(pub),
        "levels": list(LEVELS),
        "confusion": confusion.tolist(),
        "same_level": int((pub_level == rec_level).sum()),
        "tau_b": tau,
        "top10": {"published": p_top.tolist(), "recomputed": r_top.tolist(),
                  "shared": len(shared), "only_published": [n for n in p_top if n not in shared],
                  "only_recomputed": [n for n in r_top if n not in shared]},
        "changed": changed,
    }
    out["sentence"] = rankings_sentence(out)
    return out


def _cause(model: str, published: int, recomputed: int, published_cells: pd.DataFrame,
           cells: pd.DataFrame) -> str:
    """Why a model's level differs: the cells of the higher of the two levels."""
    mine = cells[cells["model"] == model]
    if recomputed < published:
        # the published level rests on non-zero cells of its table that do not recompute
        top = mine[(mine["level"] == published) & (mine["published"] != 0)]
        parts = [f"{r.modality} {r.published:.2f} ({r.status}"
                 + (f": {r.category}" if r.category and r.category != r.status else "") + ")"
                 for r in top.itertuples()]
        return (f"published Level-{published} rests on Table {12 + 2 * (published - 2)} "
                + "; ".join(parts) + f", recomputed Level-{published} is 0" if parts else
                f"published Level-{published}, recomputed Level-{recomputed}")
    zero = mine[(mine["status"] == "printed as 0") & (mine["level"] > published)]
    parts = [f"{r.modality} Level-{r.level} printed as 0, recomputed {r.recomputed:.2f} "
             f"({r.evidence})" for r in zero.itertuples()]
    if recomputed >= 4 and not ((published_cells["model"] == model)
                                & (published_cells["table"] == 16)).any():
        parts.append("Table 16 does not list it, recomputed Level-4 is non-zero")
    return "; ".join(parts) or f"recomputed Level-{recomputed}, published Level-{published}"


def rankings_sentence(r: dict) -> str:
    """The comparison in one sentence."""
    moves = "; ".join(f"{c['name']} {c['published_level']}->{c['recomputed_level']} "
                      f"({c['cause']})" for c in r["changed"])
    tau = r["tau_b"]
    return (f"Published against recomputed over the {r['models']} models in both: "
            f"{len(r['changed'])} change level" + (f" ({moves})" if moves else "")
            + f"; Kendall tau-b of the overall Level-2 {tau['level2']:.2f} and of the overall "
            f"Level-3 {tau['level3']:.2f}; the two top-{TOP_K} lists share "
            f"{r['top10']['shared']} models.")


def confusion_frame(r: dict) -> pd.DataFrame:
    """The level confusion matrix of :func:`compare` as a table: published level
    (rows) x recomputed level (columns), model counts."""
    labels = [f"Level-{k}" for k in r["levels"]]
    frame = pd.DataFrame(r["confusion"], index=pd.Index(labels, name="published"),
                         columns=pd.Index(labels, name="recomputed"))
    return frame


def changed_frame(r: dict) -> pd.DataFrame:
    """The models whose level changes (:func:`compare`), one row each with its cause."""
    columns = ["model", "name", "published_level", "recomputed_level", "cause"]
    return pd.DataFrame(r["changed"], columns=columns)
