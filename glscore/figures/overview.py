"""Figures of :mod:`glscore.analysis.overview`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from glscore.analysis.overview import LEVELS
from glscore.figures import style as plots


@plots.house_style
def levels_by_profile_figure(counts: pd.DataFrame):
    """Grouped bars: models per level reached, one colour per profile; one
    column wide (:data:`~glscore.figures.style.COLUMN_WIDTH`)."""
    fig = Figure(figsize=(plots.COLUMN_WIDTH, 2.7), layout="constrained")
    ax = fig.subplots()
    n = len(counts)
    width = 0.8 / max(n, 1)
    x = np.arange(len(LEVELS))
    for k, (profile, row) in enumerate(counts.iterrows()):
        color = plots.PROFILE_COLORS.get(str(profile), plots.OKABE_ITO["blue"])
        offset = (k - (n - 1) / 2) * width
        bars = ax.bar(x + offset, row.to_numpy(), width, label=str(profile), color=color)
        ax.bar_label(bars, padding=1.5, fontsize=7)
    ax.set_xticks(x, [f"L{k}" for k in LEVELS], fontsize=7.5)
    ax.tick_params(axis="y", labelsize=7.5)
    ax.set_xlabel("level reached (recomputed)", fontsize=8)
    ax.set_ylabel("models (count)", fontsize=8)
    first = counts.iloc[0]
    level5 = ", ".join(f"{int(v)} under {p}" for p, v in counts["Level-5"].items())
    title = (f"{int(first.max())} of {int(first.sum())} models stop at {first.idxmax()} "
             f"({counts.index[0]}); Level-5: {level5}")
    ax.set_title("\n".join(textwrap.wrap(title, 48)), fontsize=8)
    ax.legend(title="profile", frameon=False, fontsize=7, title_fontsize=7)
    ax.set_ylim(0, counts.to_numpy().max() * 1.15 + 1)
    return fig
