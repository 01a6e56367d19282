"""Figures of :mod:`glscore.analysis.audit`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from glscore.analysis.audit import normalisation_differences, normalised_difference_matrix
from glscore.core.benchmark import Benchmark
from glscore.core.scoring import LEVEL_COLUMNS


def plot_score_shift(comparison: pd.DataFrame, top_n: int = 15, atol: float = 1e-6):
    """Dumbbell chart per level: official vs paper score of the models whose
    score moves most (at most ``top_n`` per panel; levels with no shift
    larger than ``atol`` are left out). Panels are stacked, each as tall as
    its number of models; the 0-100 range of the scale is shaded, so a score
    pushed below 0 shows as such."""
    from glscore.figures.style import PROFILE_COLORS

    ks = [c[-1] for c in LEVEL_COLUMNS
          if (comparison[f"level{c[-1]}_shift"].abs() > atol).any()] or ["2"]
    panels = []
    for k in ks:
        shift = comparison[f"level{k}_shift"]
        moved = comparison[shift.abs() > atol].assign(_a=shift.abs())
        moved = moved.sort_values(["_a", "name"], ascending=[False, True]).head(top_n)[::-1]
        panels.append((k, moved, int((shift.abs() > atol).sum())))
    heights = [max(len(moved), 1) + 1.6 for _, moved, _ in panels]
    fig = Figure(figsize=(7.0, 0.8 + 0.3 * sum(heights)))
    axes = fig.subplots(len(panels), 1, height_ratios=heights, squeeze=False)
    summary = []
    for ax, (k, moved, n_moved) in zip(axes[:, 0], panels, strict=True):
        y = np.arange(len(moved))
        off, pap = moved[f"level{k}_official"], moved[f"level{k}_paper"]
        ax.hlines(y, np.minimum(off, pap), np.maximum(off, pap), color="#BBBBBB", lw=1.5)
        ax.scatter(pap, y, color=PROFILE_COLORS["paper"], label="paper", zorder=3, s=24)
        ax.scatter(off, y, color=PROFILE_COLORS["official"], label="official", zorder=3,
                   s=24, marker="D")
        ax.set_yticks(y, moved["name"])
        ax.set_ylim(-0.7, len(moved) - 0.3)
        low = float(min(off.min(), pap.min(), 0.0))
        high = float(max(off.max(), pap.max()))
        pad = 0.05 * (high - low or 1.0)
        ax.set_xlim(low - pad, high + pad)
        if low < 0 or high > 100:  # off the scale: show where the scale is
            ax.axvspan(0, 100, color="#EEEEEE", zorder=0, linewidth=0)
            ax.set_xlabel(f"Level-{k} score (points; shaded: the 0-100 scale)")
        else:
            ax.set_xlabel(f"Level-{k} score (points on the 0-100 scale)")
        ax.set_title(f"Level-{k}: {n_moved} models move", fontsize=10)
        summary.append(f"Level-{k} of {n_moved}")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=2, title="profile")
    lv = int((comparison["level_change"] != 0).sum())
    fig.suptitle(f"Official vs paper: {', '.join(summary)} models move; "
                 f"{lv} change level", fontsize=11, fontweight="bold")
    return fig


def _signed(value: float) -> str:
    """A cell annotation: whole points, or two significant digits below 1."""
    if value == 0:
        return "0"
    if abs(value) < 1:
        return f"{value:+.2g}"
    return f"{value:+.0f}"


def plot_difference_map(bench: Benchmark, top_n: int = 15, atol: float = 1e-9,
                        clip: float = 100.0):
    """Annotated heatmap of official - paper normalised values: the tasks
    normalised differently (rows) x the SoTA and the ``top_n`` models with
    the largest total |difference| (columns).

    Every cell prints its difference in points; the colour is a diverging
    scale clipped at ``+-clip`` (the width of the 0-100 scale), so a cell
    pushed off the scale is saturated and its number tells how far.
    Unsupported cells are hatched, apart from a difference of 0.
    """
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    matrix = normalised_difference_matrix(bench)
    diffs = normalisation_differences(bench, atol=atol)
    rows = matrix.loc[diffs["task_id"]]
    models = rows.drop(columns="SoTA").abs().sum(axis=0)
    models = models[models > atol].sort_values(ascending=False, kind="stable").head(top_n)
    shown = rows[["SoTA", *models.index]]
    values = shown.to_numpy(dtype=float)
    metric = diffs["mapped_paper"].where(diffs["mapped_paper"] != "", diffs["metric"])
    labels = [f"{t} {m}" for t, m in zip(diffs["task_id"], metric.str.slice(0, 12), strict=True)]
    n_rows, n_cols = values.shape
    fig = Figure(figsize=(8.0, 1.6 + 0.36 * n_rows))
    ax = fig.subplots()
    norm = Normalize(vmin=-clip, vmax=clip)
    image = ax.imshow(np.clip(values, -clip, clip), aspect="auto", cmap="PuOr_r", norm=norm,
                      interpolation="nearest")
    ax.grid(False)
    for i, j in zip(*np.nonzero(np.isnan(values)), strict=True):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="white",
                               edgecolor="#BBBBBB", hatch="////", linewidth=0))
    for i, j in zip(*np.nonzero(np.isfinite(values)), strict=True):
        value = values[i, j]
        dark = abs(norm(np.clip(value, -clip, clip)) - 0.5) > 0.3
        ax.text(j, i, _signed(value), ha="center", va="center", fontsize=7.5,
                color="white" if dark else "black")
    ax.axvline(0.5, color="black", linewidth=1.0)
    ax.set_xticks(np.arange(n_cols), shown.columns, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(np.arange(n_rows), labels, fontsize=8)
    ax.set_xlabel("SoTA specialist, then the models with the largest differences "
                  "(hatched: not supported)")
    ax.set_ylabel("task (metric)")
    fig.colorbar(image, ax=ax, extend="both",
                 label=f"official - paper (points; colour clipped at \u00b1{clip:g})")
    worst = diffs.loc[diffs["sota_shift"].abs().idxmax()]
    ax.set_title(f"{len(diffs)} tasks normalise differently; the largest SoTA gap is "
                 f"{worst['task_id']}, {worst['sota_shift']:+.0f} points", fontsize=10)
    return fig
