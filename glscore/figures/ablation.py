"""Figures of :mod:`glscore.analysis.ablation`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import numpy as np

from glscore.analysis.ablation import LEVEL_RANGE, TOP_K, AblationResult, forest_table


def _level_colors() -> list[str]:
    from glscore.figures.style import LEVEL_COLORS, LEVELS

    return [LEVEL_COLORS[name] for name in LEVELS]


def plot_levels(result: AblationResult):
    """Stacked bars: models at each level under each variant."""
    from matplotlib.figure import Figure

    counts = result.level_counts()
    fig = Figure(figsize=(8.0, 0.35 * len(counts) + 1.6))
    ax = fig.add_subplot()
    y = np.arange(len(counts))[::-1]
    left = np.zeros(len(counts))
    for k, color in zip(LEVEL_RANGE, _level_colors(), strict=True):
        values = counts[f"level{k}"].to_numpy()
        ax.barh(y, values, left=left, color=color, label=f"Level-{k}")
        left += values
    ax.set_yticks(y, counts.index)
    ax.set_xlabel("models (count)")
    top = counts["level4"] + counts["level5"]
    ax.set_title(f"Level-4+ holds {int(top.min())} to {int(top.max())} models across "
                 f"variants\n(published: {int(top.iloc[0])})")
    ax.legend(ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.4 / len(counts)),
              frameon=False)
    return fig


def plot_migration(result: AblationResult, ncols: int = 4):
    """Small multiples: migration matrix of every variant vs the published one."""
    from matplotlib.figure import Figure

    others = list(range(1, len(result.variants)))
    nrows = max(1, -(-len(others) // ncols))
    fig = Figure(figsize=(2.6 * ncols, 2.5 * nrows + 0.6))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    n = len(result.models)
    for ax, i in zip(axes, others, strict=False):
        m = result.migration(i).to_numpy()
        moved = n - int(np.trace(m))
        ax.imshow(np.log1p(m), cmap="Blues", vmin=0, vmax=np.log1p(n))
        for (r, c), value in np.ndenumerate(m):
            if value:
                ax.text(c, r, str(value), ha="center", va="center", fontsize=7,
                        color="white" if value > n / 3 else "black")
        ax.set_xticks(range(5), [str(k) for k in LEVEL_RANGE], fontsize=7)
        ax.set_yticks(range(5), [str(k) for k in LEVEL_RANGE], fontsize=7)
        ax.set_title(f"{result.labels[i]}\n{moved} moved", fontsize=8)
        ax.set_xlabel("variant level", fontsize=7)
        ax.set_ylabel("published level", fontsize=7)
        ax.grid(False)
    for ax in axes[len(others):]:
        ax.set_axis_off()
    moves = [n - int(np.trace(result.migration(i).to_numpy())) for i in others] or [0]
    fig.suptitle(f"Between {min(moves)} and {max(moves)} of {n} models change level "
                 "when the relaxation changes")
    return fig


def plot_tau_matrix(result: AblationResult):
    """Heatmap of Kendall's tau between the rankings of all variants."""
    from matplotlib.figure import Figure

    tau = result.tau_matrix()
    n = len(tau)
    fig = Figure(figsize=(0.55 * n + 3.2, 0.5 * n + 1.8))
    ax = fig.add_subplot()
    image = ax.imshow(tau.to_numpy(), cmap="viridis", vmin=min(0.0, np.nanmin(tau.to_numpy())),
                      vmax=1.0)
    for (r, c), value in np.ndenumerate(tau.to_numpy()):
        ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=6,
                color="black" if value > 0.7 else "white")
    ax.set_xticks(range(n), tau.columns, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(n), tau.index, fontsize=7)
    ax.grid(False)
    fig.colorbar(image, ax=ax, label="Kendall's tau-b")
    off = tau.to_numpy()[np.triu_indices(n, 1)] if n > 1 else np.array([1.0])
    ax.set_title(f"Rankings agree with tau between {off.min():.2f} and {off.max():.2f}")
    return fig


def plot_level4_club(result: AblationResult):
    """Bootstrap P(Level-4+) of every model at Level-4 under some variant;
    a dot marks the variant's own (unresampled) verdict."""
    from matplotlib.figure import Figure

    probs = result.level4_probability()
    rows, cols = probs.shape
    fig = Figure(figsize=(0.5 * cols + 3.5, 0.32 * rows + 2.4))
    ax = fig.add_subplot()
    image = ax.imshow(probs.to_numpy(), cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto")
    index = {name: j for j, name in enumerate(result.names)}
    for r, name in enumerate(probs.index):
        at4 = np.flatnonzero(result.levels[:, index[name]] >= 4)
        ax.scatter(at4, np.full(len(at4), r), s=8, color="white", edgecolors="black",
                   linewidths=0.5)
    ax.set_xticks(range(cols), probs.columns, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(rows), probs.index, fontsize=7)
    ax.grid(False)
    fig.colorbar(image, ax=ax, label="P(Level >= 4) over task resamples")
    club = int((result.levels[0] >= 4).sum())
    always = int(((result.levels >= 4).all(axis=0)).sum())
    ax.set_title(f"{always} of {club} published Level-4 models hold it under every variant")
    return fig


def plot_forest(result: AblationResult, top: int = TOP_K):
    """95% bootstrap intervals of Level-2/3/4 for the published top models."""
    from matplotlib.figure import Figure

    from glscore.figures.style import LEVEL_COLORS

    table = forest_table(result, top)
    fig = Figure(figsize=(7.5, 0.42 * len(table) + 1.6))
    ax = fig.add_subplot()
    y = np.arange(len(table))[::-1].astype(float)
    for offset, name in ((0.22, "level2"), (0.0, "level3"), (-0.22, "level4")):
        color = LEVEL_COLORS[f"Level-{name[-1]}"]
        point = table[name].to_numpy()
        ax.errorbar(point, y + offset,
                    xerr=[point - table[f"{name}_lo"], table[f"{name}_hi"] - point],
                    fmt="o", ms=3.5, color=color, capsize=2, lw=1,
                    label=f"Level-{name[-1]}")
    ax.set_yticks(y, [f"{r}. {n} (L{lv})" for r, n, lv in
                      zip(table["rank"], table["name"], table["level"], strict=True)], fontsize=8)
    ax.set_xlabel("score (0-100), point and 95% bootstrap interval over tasks")
    pairs = result.boot[0].pair_stability(result.published_order[:top])
    stable = int((pairs["p_kept"] >= 0.95).sum())
    ax.set_title(f"Top-{top}: {stable} of {len(pairs)} adjacent pairs keep their order\n"
                 "in >= 95% of task resamples")
    ax.legend(loc="lower right", fontsize=8)
    return fig
