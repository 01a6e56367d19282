"""Figures of :mod:`glscore.analysis.leaderboard`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from glscore.analysis.leaderboard import LEVEL_NAMES, BoardTable


def top_figure(table: BoardTable, top_n: int = 10):
    """Bars of Level-2..5 for the top models of a board (Scope-A headline)."""
    from glscore.figures import style as plots

    head = table.table.head(top_n)
    # A level no model of the panel reaches has no bars: no legend entry either.
    names = [n for n in LEVEL_NAMES if n in head.columns and (head[n].fillna(0) > 0).any()]
    fig = Figure(figsize=(7.0, 1.4 + 0.14 * len(head) * max(len(names), 1)))
    ax = fig.subplots()
    width = 0.8 / max(len(names), 1)
    y = np.arange(len(head))
    for k, name in enumerate(names):
        values = head[name].fillna(0).to_numpy(dtype=float)
        bars = ax.barh(y + (k - (len(names) - 1) / 2) * width, values, height=width,
                       color=plots.LEVEL_COLORS[f"Level-{name[-1]}"], label=f"Level-{name[-1]}")
        ax.bar_label(bars, labels=[f"{v:.2f}" if v > 0 else "" for v in values],
                     padding=2, fontsize=7)
    ax.set_yticks(y, [f"{r} (L{lv})" for r, lv in zip(head["name"], head["level"], strict=True)])
    ax.invert_yaxis()
    ax.set_xlabel("score (points on the 0-100 scale)")
    ax.set_ylabel("model (recomputed level reached)")
    ax.margins(x=0.08)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", title="score at")
    levels_top = head["level"].max() if len(head) else 1
    best = head.iloc[0]["name"] if len(head) else "none"
    fig.suptitle(f"Scope-{table.board.scope}: {best} leads; the top {len(head)} reach at most "
                 f"Level-{levels_top}", fontsize="medium", fontweight="bold")
    return fig
