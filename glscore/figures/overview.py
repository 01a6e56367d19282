"""Figures of :mod:`glscore.analysis.overview`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from glscore.analysis.overview import LEVELS
from glscore.figures import style as plots


def levels_by_profile_figure(counts: pd.DataFrame):
    """Grouped bars: models per level reached, one colour per profile."""
    fig = Figure(figsize=(7.0, 4.0), layout="constrained")
    ax = fig.subplots()
    n = len(counts)
    width = 0.8 / max(n, 1)
    x = np.arange(len(LEVELS))
    for k, (profile, row) in enumerate(counts.iterrows()):
        color = plots.PROFILE_COLORS.get(str(profile), plots.OKABE_ITO["blue"])
        offset = (k - (n - 1) / 2) * width
        bars = ax.bar(x + offset, row.to_numpy(), width, label=str(profile), color=color)
        ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_xticks(x, [f"Level-{k}" for k in LEVELS])
    ax.set_xlabel("level reached (recomputed from the per-task results)")
    ax.set_ylabel("models (count)")
    first = counts.iloc[0]
    level5 = ", ".join(f"{int(v)} under {p}" for p, v in counts["Level-5"].items())
    ax.set_title(f"Most generalists stop at {first.idxmax()}; Level-5: {level5}", fontsize=10)
    ax.legend(title="profile", frameon=False)
    ax.set_ylim(0, counts.to_numpy().max() * 1.15 + 1)
    return fig
