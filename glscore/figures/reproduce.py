"""Figures of :mod:`glscore.analysis.reproduce`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import numpy as np

from glscore.analysis.reproduce import RULE_CATEGORIES, Reproduction


def scatter_figure(rep: Reproduction):
    """Published vs recomputed per level, coloured by status/category."""
    import matplotlib.pyplot as plt

    from glscore.figures import style as plots

    # Colour and marker shape both carry the status (readable in greyscale too).
    styles = {
        "reproduced": (plots.OKABE_ITO["bluish green"], "o"),
        "reproduced by one alternative rule": (plots.OKABE_ITO["blue"], "s"),
        "deviation, not explained": (plots.OKABE_ITO["vermillion"], "^"),
    }
    cells = rep.cells[rep.cells["status"] != "not reproducible"]
    kind = np.where(cells["status"] == "reproduced", "reproduced",
                    np.where(cells["category"].isin(RULE_CATEGORIES),
                             "reproduced by one alternative rule", "deviation, not explained"))
    fig, axes = plt.subplots(1, 3, figsize=(9.0, 3.9))
    for ax, level in zip(axes, (2, 3, 4), strict=True):
        sel = (cells["level"] == level).to_numpy()
        top = max(float(cells.loc[sel, ["published", "recomputed"]].max().max()), 1.0) * 1.05
        ax.plot([0, top], [0, top], color="#999999", linewidth=0.8)
        for label, (colour, marker) in styles.items():
            part = sel & (kind == label)
            ax.scatter(cells["published"][part], cells["recomputed"][part], s=16, color=colour,
                       marker=marker, alpha=0.85, linewidths=0)
        n_rule = int((sel & (kind == "reproduced by one alternative rule")).sum())
        n_dev = int((sel & (kind == "deviation, not explained")).sum())
        ax.set_title(f"Level-{level}: {int((sel & (kind == 'reproduced')).sum())} of "
                     f"{int(sel.sum())} reproduce\n{n_rule} by a rule, {n_dev} unexplained",
                     fontsize="medium")
        ax.set_xlabel("published score (paper)")
    axes[0].set_ylabel("recomputed score (glscore)")
    # One legend for the figure, with totals over the three panels (as the title).
    handles = [
        plt.Line2D([], [], color=colour, marker=marker, linestyle="", markersize=5,
                   label=f"{label} ({int((kind == label).sum())})")
        for label, (colour, marker) in styles.items()
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, title="all panels")
    by_rule = int((kind == "reproduced by one alternative rule").sum())
    fig.suptitle(f"{rep.reproduced} of {rep.with_data} published cells with data reproduce, "
                 f"{by_rule} more under one alternative rule (profile '{rep.profile}')",
                 fontsize="medium", fontweight="bold")
    return fig
