"""Figures of :mod:`glscore.analysis.audit`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from glscore.analysis.audit import normalisation_differences, normalised_difference_matrix
from glscore.core.benchmark import Benchmark
from glscore.core.scoring import LEVEL_COLUMNS


def plot_score_shift(comparison: pd.DataFrame, top_n: int = 15, atol: float = 1e-6):
    """Dumbbell chart per level: official vs paper score of the models whose
    score moves most (at most ``top_n`` per panel; levels with no shift
    larger than ``atol`` are left out)."""
    import matplotlib.pyplot as plt

    from glscore.figures.style import PROFILE_COLORS

    ks = [c[-1] for c in LEVEL_COLUMNS
          if (comparison[f"level{c[-1]}_shift"].abs() > atol).any()] or ["2"]
    fig, axes = plt.subplots(1, len(ks), figsize=(4.0 * len(ks), 4.5), squeeze=False)
    summary = []
    for ax, k in zip(axes[0], ks, strict=True):
        shift = comparison[f"level{k}_shift"]
        moved = comparison[shift.abs() > atol].assign(_a=shift.abs())
        moved = moved.sort_values(["_a", "name"], ascending=[False, True]).head(top_n)[::-1]
        y = np.arange(len(moved))
        off, pap = moved[f"level{k}_official"], moved[f"level{k}_paper"]
        ax.hlines(y, np.minimum(off, pap), np.maximum(off, pap), color="#BBBBBB", lw=1.5)
        ax.scatter(pap, y, color=PROFILE_COLORS["paper"], label="paper", zorder=3, s=22)
        ax.scatter(off, y, color=PROFILE_COLORS["official"], label="official", zorder=3,
                   s=22, marker="D")
        ax.set_yticks(y, moved["name"])
        ax.set_xlabel(f"Level-{k} score (0-100 scale; points)")
        ax.set_title(f"Level-{k}: {int((shift.abs() > atol).sum())} models move",
                     fontsize=10)
        summary.append(f"Level-{k} {int((shift.abs() > atol).sum())}")
    axes[0][-1].legend(loc="center right")
    lv = int((comparison["level_change"] != 0).sum())
    fig.suptitle(f"Official vs paper profile: scores move ({', '.join(summary)} models); "
                 f"{lv} models change level")
    return fig


def plot_difference_map(bench: Benchmark, top_n: int = 15, atol: float = 1e-9):
    """Heatmap of official - paper normalised values: the tasks normalised
    differently (rows) x the SoTA and the ``top_n`` models with the largest
    total |difference| (columns), on a symmetric-log colour scale."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import SymLogNorm

    matrix = normalised_difference_matrix(bench)
    diffs = normalisation_differences(bench, atol=atol)
    rows = matrix.loc[diffs["task_id"]]
    models = rows.drop(columns="SoTA").abs().sum(axis=0)
    models = models[models > atol].sort_values(ascending=False, kind="stable").head(top_n)
    shown = rows[["SoTA", *models.index]]
    metric = diffs["mapped_paper"].where(diffs["mapped_paper"] != "", diffs["metric"])
    labels = [f"{t} {m}" for t, m in zip(diffs["task_id"], metric.str.slice(0, 12), strict=True)]
    fig, ax = plt.subplots(figsize=(8.0, 5.5))
    limit = float(np.nanmax(np.abs(shown.to_numpy()))) if shown.notna().any().any() else 1.0
    image = ax.imshow(shown.to_numpy(dtype=float), aspect="auto", cmap="PuOr_r",
                      norm=SymLogNorm(linthresh=1.0, vmin=-limit, vmax=limit, base=10),
                      interpolation="nearest")
    ax.set_facecolor("#CCCCCC")
    ax.grid(False)
    ax.set_xticks(np.arange(shown.shape[1]), shown.columns, rotation=60, ha="right",
                  fontsize=7)
    ax.set_yticks(np.arange(len(labels)), labels, fontsize=7)
    ax.set_xlabel("SoTA and models (grey: not supported)")
    ax.set_ylabel("task (metric)")
    fig.colorbar(image, ax=ax, label="official - paper (normalised points, symlog)")
    worst = diffs.loc[diffs["sota_shift"].abs().idxmax()]
    ax.set_title(f"{len(diffs)} tasks normalise differently; largest SoTA gap "
                 f"{worst['task_id']} ({worst['sota_shift']:+.0f} points)")
    return fig
