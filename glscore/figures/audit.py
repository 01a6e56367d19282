"""Figures of :mod:`glscore.analysis.audit`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from glscore.analysis.audit import (
    difference_headline,
    normalisation_differences,
    normalised_difference_matrix,
    official_raw_cells,
)
from glscore.core.benchmark import Benchmark
from glscore.core.scoring import LEVEL_COLUMNS
from glscore.figures.style import (
    FULL_WIDTH,
    PROFILE_COLORS,
    STATUS_COLORS,
    STATUS_HATCHES,
    house_style,
)


@house_style
def plot_score_shift(comparison: pd.DataFrame, top_n: int = 15, atol: float = 1e-6):
    """Dumbbell chart per level: official vs paper score of the models whose
    score moves most (at most ``top_n`` per panel; levels with no shift
    larger than ``atol`` are left out). Panels are stacked, each as tall as
    its number of models; the 0-100 range of the scale is shaded, so a score
    pushed below 0 shows as such. Full width."""
    ks = [c[-1] for c in LEVEL_COLUMNS
          if (comparison[f"level{c[-1]}_shift"].abs() > atol).any()] or ["2"]
    panels = []
    for k in ks:
        shift = comparison[f"level{k}_shift"]
        moved = comparison[shift.abs() > atol].assign(_a=shift.abs())
        moved = moved.sort_values(["_a", "name"], ascending=[False, True]).head(top_n)[::-1]
        panels.append((k, moved, int((shift.abs() > atol).sum())))
    heights = [max(len(moved), 1) + 1.6 for _, moved, _ in panels]
    fig = Figure(figsize=(FULL_WIDTH, 0.9 + 0.26 * sum(heights)))
    axes = fig.subplots(len(panels), 1, height_ratios=heights, squeeze=False)
    summary = []
    for ax, (k, moved, n_moved) in zip(axes[:, 0], panels, strict=True):
        y = np.arange(len(moved))
        off, pap = moved[f"level{k}_official"], moved[f"level{k}_paper"]
        ax.hlines(y, np.minimum(off, pap), np.maximum(off, pap), color="#BBBBBB", lw=1.5)
        ax.scatter(pap, y, color=PROFILE_COLORS["paper"], label="paper", zorder=3, s=24)
        ax.scatter(off, y, color=PROFILE_COLORS["official"], label="official", zorder=3,
                   s=24, marker="D")
        ax.set_yticks(y, moved["name"], fontsize=7.5)
        ax.tick_params(axis="x", labelsize=7.5)
        ax.set_ylim(-0.7, len(moved) - 0.3)
        low = float(min(off.min(), pap.min(), 0.0))
        high = float(max(off.max(), pap.max()))
        pad = 0.05 * (high - low or 1.0)
        ax.set_xlim(low - pad, high + pad)
        if low < 0 or high > 100:  # off the scale: show where the scale is
            ax.axvspan(0, 100, color="#EEEEEE", zorder=0, linewidth=0)
            ax.set_xlabel(f"Level-{k} score (points; shaded: the 0-100 scale)", fontsize=7.5)
        else:
            ax.set_xlabel(f"Level-{k} score (points on the 0-100 scale)", fontsize=7.5)
        ax.set_title(f"Level-{k}: {n_moved} models move", fontsize=8)
        summary.append(f"Level-{k} of {n_moved}")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=2, title="profile",
               fontsize=7.5, title_fontsize=7.5)
    lv = int((comparison["level_change"] != 0).sum())
    fig.suptitle(textwrap.fill(f"Official vs paper: {', '.join(summary)} models move; "
                               f"{lv} change level", 90), fontsize=8.5, fontweight="bold",
                 x=0.01, ha="left")
    return fig


def _signed(value: float) -> str:
    """A cell annotation: whole points, or two significant digits below 1, with
    a real minus sign.

    >>> _signed(-0.0123), _signed(6540.01), _signed(0.0)
    ('\u22120.012', '+6540', '0')
    """
    if value == 0:
        return "0"
    text = f"{value:+.2g}" if abs(value) < 1 else f"{value:+.0f}"
    return text.replace("-", "\u2212")


@house_style
def plot_difference_map(bench: Benchmark, top_n: int = 7, atol: float = 1e-9,
                        linear: float = 1.0):
    """Annotated heatmap of official - paper normalised values: the tasks
    normalised differently (rows) x the SoTA and the ``top_n`` models with
    the largest total |difference| (columns); full width.

    Every cell prints its difference. The colour is a diverging symmetric-log
    scale (linear within ``+-linear``, logarithmic beyond, up to the largest
    difference), so -100 and -9900 get different colours. A cell marked with
    a dagger holds, on the official side, the metric's raw value (the
    official scorer does not map it: :func:`~glscore.analysis.audit.official_raw_cells`),
    so its difference mixes the metric's unit with points. Unsupported cells
    are hatched.
    """
    from matplotlib.colors import SymLogNorm
    from matplotlib.patches import Rectangle

    matrix = normalised_difference_matrix(bench)
    raw = official_raw_cells(bench)
    diffs = normalisation_differences(bench, atol=atol)
    rows = matrix.loc[diffs["task_id"]]
    models = rows.drop(columns="SoTA").abs().sum(axis=0)
    models = models[models > atol].sort_values(ascending=False, kind="stable").head(top_n)
    shown = rows[["SoTA", *models.index]]
    marked = raw.loc[diffs["task_id"], list(shown.columns)].to_numpy(dtype=bool)
    values = shown.to_numpy(dtype=float)
    metric = diffs["mapped_paper"].where(diffs["mapped_paper"] != "", diffs["metric"])
    labels = [f"{t} {m}" for t, m in zip(diffs["task_id"], metric.str.slice(0, 12), strict=True)]
    n_rows, n_cols = values.shape
    fig = Figure(figsize=(FULL_WIDTH, 1.9 + 0.27 * n_rows))
    ax = fig.subplots()
    top = float(np.nanmax(np.abs(values), initial=linear * 10))
    norm = SymLogNorm(linthresh=linear, vmin=-top, vmax=top, base=10)
    image = ax.imshow(values, aspect="auto", cmap="PuOr_r", norm=norm, interpolation="nearest")
    ax.grid(False)
    for i, j in zip(*np.nonzero(np.isnan(values)), strict=True):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="white",
                               edgecolor=STATUS_COLORS["not supported"],
                               hatch=STATUS_HATCHES["not supported"], linewidth=0))
    for i, j in zip(*np.nonzero(np.isfinite(values)), strict=True):
        value = values[i, j]
        dark = abs(float(norm(value)) - 0.5) > 0.3
        ax.text(j, i, _signed(value) + ("\u2020" if marked[i, j] else ""), ha="center",
                va="center", fontsize=7, color="white" if dark else "black")
    ax.axvline(0.5, color="black", linewidth=1.0)
    ax.set_xticks(np.arange(n_cols), shown.columns, rotation=30, ha="right", fontsize=7)
    ax.set_yticks(np.arange(n_rows), labels, fontsize=7)
    ax.set_xlabel("SoTA specialist, then the models with the largest differences "
                  "(hatched: not supported)", fontsize=7.5)
    ax.set_ylabel("task (metric)", fontsize=7.5)
    decades = [10.0 ** k for k in range(0, int(np.floor(np.log10(top))) + 1)]
    ticks = [-d for d in decades[::-1]] + [0.0] + decades
    bar = fig.colorbar(image, ax=ax, ticks=ticks)
    bar.ax.set_yticklabels([_signed(t) for t in ticks], fontsize=7)
    bar.set_label("official - paper (points; symmetric log scale, linear within "
                  f"\u00b1{linear:g})", fontsize=7)
    fig.suptitle(textwrap.fill(difference_headline(diffs), 90), fontsize=8.5,
                 fontweight="bold", x=0.01, ha="left")
    if marked.any():
        fig.supxlabel(textwrap.fill(
            "\u2020 the official scorer leaves this value raw (a Chamfer distance, a "
            "translation error, an RMSE): the difference mixes the metric's unit with "
            "points", 120), fontsize=7, x=0.01, ha="left")
    return fig
