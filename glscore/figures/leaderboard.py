"""Figures of :mod:`glscore.analysis.leaderboard`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from glscore.analysis.leaderboard import (
    BoardTable,
    absent_published,
    ranking_note,
    top_frame,
    top_headline,
)
from glscore.figures import style as plots


def top_figure(table: BoardTable, published: pd.DataFrame | None = None, top_n: int = 10):
    """The first ``top_n`` ranked rows of a board (:func:`top_rows_figure` of
    :func:`~glscore.analysis.leaderboard.top_frame`), titled by
    :func:`~glscore.analysis.leaderboard.top_headline` and captioned by
    :func:`~glscore.analysis.leaderboard.ranking_note`; ``published`` (the
    ranks the paper's tables imply,
    :func:`glscore.analysis.uncertainty.published.published_ranks`) adds the
    published rank of each row and names the published models the board lacks."""
    absent = None if published is None else absent_published(table, published, top_n)
    return top_rows_figure(top_frame(table, published, top_n), top_headline(table, top_n),
                           ranking_note(table, absent, top_n))


@plots.house_style
def top_rows_figure(frame: pd.DataFrame, title: str, note: str = ""):
    """A board's top rows as the board ranks them, full width.

    ``frame`` is :func:`glscore.analysis.leaderboard.top_frame` (rank, name,
    level, score, supported, tasks, coverage, published rank). Left: the score
    at the level reached (the ranking key after the level) as a lollipop in
    the level's colour, the rows of one level grouped between rules. Middle:
    coverage, the share of the counted tasks the model runs. Right: the rank
    the paper's level tables imply (``--`` where it publishes none). ``title``
    and ``note`` (:func:`~glscore.analysis.leaderboard.top_headline`,
    :func:`~glscore.analysis.leaderboard.ranking_note`) are printed above and
    below.
    """
    from matplotlib.patches import Patch

    n = len(frame)
    fig = Figure(figsize=(plots.FULL_WIDTH, 1.45 + 0.2 * n + 0.12 * len(note) / 95))
    ax, cov, pub = fig.subplots(1, 3, sharey=True, width_ratios=[3.2, 1.3, 0.75])
    y = np.arange(n)
    colors = [plots.level_color(int(lv)) for lv in frame["level"]]
    score = frame["score"].to_numpy(dtype=float)
    ax.hlines(y, 0, score, colors=colors, lw=1.6)
    ax.scatter(score, y, c=colors, s=22, zorder=3)
    for yy, value in zip(y, score, strict=True):
        ax.text(value, yy - 0.32, f" {value:.2f}", fontsize=7, va="center", ha="left",
                color="#333333")
    levels = frame["level"].to_numpy(dtype=int)
    for k in np.flatnonzero(levels[1:] != levels[:-1]):   # a rule between two levels
        for axis in (ax, cov, pub):
            axis.axhline(k + 0.5, color="#888888", lw=0.6, ls="--")
    ax.set_yticks(y, [f"{int(r)}. {name}" for r, name in zip(frame["rank"], frame["name"],
                                                              strict=True)], fontsize=7.5)
    ax.set_ylim(n - 0.5, -0.7)
    ax.set_xlim(0, max(float(score.max(initial=0)), 1.0) * 1.18)
    ax.set_xlabel("score at the level reached\n(points, 0-100 scale)", fontsize=7.5)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="y", visible=False)
    shown = sorted(set(levels), reverse=True)
    ax.legend(handles=[Patch(color=plots.level_color(k), label=f"Level-{k}") for k in shown],
              fontsize=7, loc="lower right", title="level reached", title_fontsize=7)

    share = frame["coverage"].to_numpy(dtype=float) * 100
    cov.barh(y, share, color="#BBBBBB", height=0.55)
    for yy, s, k, t in zip(y, share, frame["supported"], frame["tasks"], strict=True):
        cov.text(s + 2, yy, f"{int(k)}/{int(t)}", fontsize=7, va="center")
    cov.set_xlim(0, 130)
    cov.set_xticks([0, 50, 100])
    cov.tick_params(axis="x", labelsize=7)
    cov.tick_params(axis="y", left=False)
    cov.set_xlabel("coverage\n(% of the tasks run)", fontsize=7.5)
    cov.grid(axis="y", visible=False)

    for yy, r in zip(y, frame["published_rank"], strict=True):
        pub.text(0.5, yy, "--" if pd.isna(r) else f"#{int(r)}", fontsize=7.5, va="center",
                 ha="center")
    pub.set_xlim(0, 1)
    pub.set_xticks([])
    pub.tick_params(axis="y", left=False)
    pub.set_xlabel("published\nrank", fontsize=7.5)
    pub.grid(False)
    pub.spines[["bottom", "left"]].set_visible(False)
    fig.suptitle("\n".join(textwrap.wrap(title, 88)), fontsize=8.5, fontweight="bold",
                 x=0.01, ha="left")
    if note:
        fig.supxlabel("\n".join(textwrap.wrap(note, 112)), fontsize=7, x=0.01, ha="left")
    return fig
