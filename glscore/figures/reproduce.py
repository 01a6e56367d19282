"""Figures of :mod:`glscore.analysis.reproduce`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from glscore.analysis.reproduce import Reproduction


def scatter_figure(rep: Reproduction):
    """Published vs recomputed per level, coloured by status/category."""
    from glscore.figures import style as plots

    # Colour and marker shape both carry the status (readable in greyscale too).
    styles = {
        "reproduced": (plots.OKABE_ITO["bluish green"], "o"),
        "reproduced by a strong rule": (plots.OKABE_ITO["blue"], "s"),
        "weak rule": (plots.OKABE_ITO["orange"], "D"),
        "deviation, not explained": (plots.OKABE_ITO["vermillion"], "^"),
    }
    cells = rep.cells[rep.cells["status"] != "no per-task data"]
    kind = cells["status"].map({"reproduced": "reproduced",
                                "rule": "reproduced by a strong rule",
                                "weak rule": "weak rule",
                                "unexplained": "deviation, not explained"}).to_numpy()
    fig = Figure(figsize=(9.0, 3.9))
    axes = fig.subplots(1, 3)
    for ax, level in zip(axes, (2, 3, 4), strict=True):
        sel = (cells["level"] == level).to_numpy()
        top = max(float(cells.loc[sel, ["published", "recomputed"]].max().max()), 1.0) * 1.05
        ax.plot([0, top], [0, top], color="#999999", linewidth=0.8)
        for label, (colour, marker) in styles.items():
            part = sel & (kind == label)
            ax.scatter(cells["published"][part], cells["recomputed"][part], s=16, color=colour,
                       marker=marker, alpha=0.85, linewidths=0)
        n_rule = int((sel & (kind == "reproduced by a strong rule")).sum())
        n_weak = int((sel & (kind == "weak rule")).sum())
        n_dev = int((sel & (kind == "deviation, not explained")).sum())
        ax.set_title(f"Level-{level}: {int((sel & (kind == 'reproduced')).sum())} of "
                     f"{int(sel.sum())} reproduce\n{n_rule} by a rule, {n_weak} weak, "
                     f"{n_dev} unexplained",
                     fontsize="medium")
        ax.set_xlabel("published score (paper)")
    axes[0].set_ylabel("recomputed score (glscore)")
    # One legend for the figure, with totals over the three panels (as the title).
    handles = [
        Line2D([], [], color=colour, marker=marker, linestyle="", markersize=5,
                   label=f"{label} ({int((kind == label).sum())})")
        for label, (colour, marker) in styles.items()
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, title="all panels")
    by_rule = int((kind == "reproduced by a strong rule").sum())
    fig.suptitle(f"{rep.reproduced} of {rep.with_data} published cells with data reproduce, "
                 f"{by_rule} more by a strong rule (profile '{rep.profile}')",
                 fontsize="medium", fontweight="bold")
    return fig


def accounting_figure(rep: Reproduction):
    """Every published non-zero cell by status, one bar per table (12, 14, 16)."""
    from glscore.analysis.reproduce import STATUSES
    from glscore.figures import style as plots

    colours = dict(zip(STATUSES, (plots.OKABE_ITO["bluish green"], plots.OKABE_ITO["orange"],
                                  plots.OKABE_ITO["sky blue"], "#BBBBBB",
                                  plots.OKABE_ITO["vermillion"]), strict=True))
    counts = (rep.cells.groupby(["table", "status"]).size().unstack(fill_value=0)
              .reindex(columns=list(STATUSES), fill_value=0))
    fig = Figure(figsize=(8.5, 3.0), layout="constrained")
    ax = fig.subplots()
    left = np.zeros(len(counts))
    labels = [f"Table {t} (Level-{t // 2 - 4})" for t in counts.index]
    for status in STATUSES:
        n = counts[status].to_numpy()
        ax.barh(labels, n, left=left, color=colours[status],
                label=f"{status} ({int(n.sum())})")
        left += n
    ax.invert_yaxis()
    ax.set_xlabel("published non-zero per-modality cells")
    ax.legend(fontsize="small", loc="lower right", ncols=2)
    ax.set_title(f"{rep.explained} of {rep.published_nonzero} cells reproduced or explained "
                 f"by a strong rule, {rep.count('unexplained')} unexplained", fontsize="medium")
    return fig
