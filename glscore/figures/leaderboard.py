"""Figures of :mod:`glscore.analysis.leaderboard`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import numpy as np

from glscore.analysis.leaderboard import LEVEL_NAMES, BoardTable


def top_figure(table: BoardTable, top_n: int = 10):
    """Bars of Level-2..5 for the top models of a board (Scope-A headline)."""
    import matplotlib.pyplot as plt

    from glscore.figures import style as plots

    head = table.table.head(top_n)
    fig, ax = plt.subplots(figsize=(7.0, 4.5))
    names = [n for n in LEVEL_NAMES if n in head.columns and head[n].notna().any()]
    width = 0.8 / len(names)
    y = np.arange(len(head))
    for k, name in enumerate(names):
        ax.barh(y + (k - (len(names) - 1) / 2) * width, head[name].fillna(0), height=width,
                color=plots.LEVEL_COLORS[f"Level-{name[-1]}"], label=f"Level-{name[-1]}")
    ax.set_yticks(y, [f"{r} (L{lv})" for r, lv in zip(head["name"], head["level"], strict=True)])
    ax.invert_yaxis()
    ax.set_xlabel("score (0-100)")
    ax.legend(loc="lower right", fontsize="small")
    levels_top = head["level"].max() if len(head) else 1
    best = head.iloc[0]["name"] if len(head) else "none"
    ax.set_title(f"Scope-{table.board.scope}: {best} leads; the top {len(head)} reach at most "
                 f"Level-{levels_top}", fontsize="medium")
    return fig
