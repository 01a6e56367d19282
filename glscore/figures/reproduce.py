"""Figures of :mod:`glscore.analysis.reproduce`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import numpy as np

from glscore.analysis.reproduce import RULE_CATEGORIES, Reproduction


def scatter_figure(rep: Reproduction):
    """Published vs recomputed per level, coloured by status/category."""
    import matplotlib.pyplot as plt

    from glscore.figures import style as plots

    colours = {"reproduced": plots.OKABE_ITO["bluish green"],
               "reproduced by one alternative rule": plots.OKABE_ITO["orange"],
               "deviation, not explained": plots.OKABE_ITO["vermillion"]}
    cells = rep.cells[rep.cells["status"] != "not reproducible"]
    kind = np.where(cells["status"] == "reproduced", "reproduced",
                    np.where(cells["category"].isin(RULE_CATEGORIES),
                             "reproduced by one alternative rule", "deviation, not explained"))
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
    by_rule = int(cells["category"].isin(RULE_CATEGORIES).sum())
    fig.suptitle(f"{rep.reproduced} of {rep.with_data} published cells with data reproduce, "
                 f"{by_rule} more under one alternative rule (profile '{rep.profile}')",
                 fontsize="medium")
    return fig
