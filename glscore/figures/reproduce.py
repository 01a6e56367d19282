"""Figures of :mod:`glscore.analysis.reproduce`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import numpy as np

from glscore.analysis.reproduce import Reproduction


def scatter_figure(rep: Reproduction):
    """Published vs recomputed per level, coloured by status/category."""
    import matplotlib.pyplot as plt

    from glscore.figures import style as plots

    colours = {"reproduced": plots.OKABE_ITO["bluish green"],
               "reproduced by one alternative rule": plots.OKABE_ITO["orange"],
               "weak rule": plots.OKABE_ITO["sky blue"],
               "deviation, not explained": plots.OKABE_ITO["vermillion"]}
    cells = rep.cells[rep.cells["status"] != "no per-task data"]
    kind = cells["status"].map({"reproduced": "reproduced",
                                "rule": "reproduced by one alternative rule",
                                "weak rule": "weak rule",
                                "unexplained": "deviation, not explained"}).to_numpy()
    fig, axes = plt.subplots(1, 3, figsize=(9.0, 3.6))
    for ax, level in zip(axes, (2, 3, 4), strict=True):
        sel = (cells["level"] == level).to_numpy()
        top = max(float(cells.loc[sel, ["published", "recomputed"]].max().max()), 1.0) * 1.05
        ax.plot([0, top], [0, top], color="#999999", linewidth=0.8)
        for label, colour in colours.items():
            part = sel & (kind == label)
            ax.scatter(cells["published"][part], cells["recomputed"][part], s=14, color=colour,
                       label=f"{label} ({int(part.sum())})" if level == 2 else label)
        ax.set_title(f"Level-{level}: {int((sel & (kind == 'reproduced')).sum())} of "
                     f"{int(sel.sum())} reproduce", fontsize="medium")
        ax.set_xlabel("published score")
    axes[0].set_ylabel("recomputed score")
    axes[0].legend(fontsize="x-small", loc="upper left")
    by_rule = rep.count("rule")
    fig.suptitle(f"{rep.reproduced} of {rep.with_data} published cells with data reproduce, "
                 f"{by_rule} more under one alternative rule (profile '{rep.profile}')",
                 fontsize="medium")
    return fig


def accounting_figure(rep: Reproduction):
    """Every published non-zero cell by status, one bar per table (12, 14, 16)."""
    import matplotlib.pyplot as plt

    from glscore.analysis.reproduce import STATUSES
    from glscore.figures import style as plots

    colours = dict(zip(STATUSES, (plots.OKABE_ITO["bluish green"], plots.OKABE_ITO["orange"],
                                  plots.OKABE_ITO["sky blue"], "#BBBBBB",
                                  plots.OKABE_ITO["vermillion"]), strict=True))
    counts = (rep.cells.groupby(["table", "status"]).size().unstack(fill_value=0)
              .reindex(columns=list(STATUSES), fill_value=0))
    fig, ax = plt.subplots(figsize=(8.5, 3.0), layout="constrained")
    left = np.zeros(len(counts))
    labels = [f"Table {t} (Level-{t // 2 - 4})" for t in counts.index]
    for status in STATUSES:
        n = counts[status].to_numpy()
        ax.barh(labels, n, left=left, color=colours[status],
                label=f"{status} ({int(n.sum())})")
        left += n
    ax.invert_yaxis()
    ax.set_xlabel("published non-zero per-modality cells")
    ax.legend(fontsize="x-small", loc="lower right", ncols=2)
    ax.set_title(f"{rep.explained} of {rep.published_nonzero} cells reproduced or explained "
                 f"by a strong rule, {rep.count('unexplained')} unexplained", fontsize="medium")
    return fig
