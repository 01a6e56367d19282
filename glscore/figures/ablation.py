"""Figures of :mod:`glscore.analysis.ablation`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import textwrap

import numpy as np

from glscore.analysis.ablation import LEVEL_RANGE, TOP_K, UNIT_WORDS, AblationResult, forest_table
from glscore.figures.style import FULL_WIDTH, house_style, level_color, text_color_on


def _level_colors() -> list[str]:
    return [level_color(k) for k in LEVEL_RANGE]


@house_style
def plot_levels(result: AblationResult):
    """Stacked bars: models at each level under each variant, with counts.

    Segments wide enough carry their count; the Level-4 and Level-5 counts,
    often slivers, are also printed right of each bar.
    """
    from matplotlib.figure import Figure

    counts = result.level_counts()
    n = len(result.models)
    fig = Figure(figsize=(FULL_WIDTH, 0.3 * len(counts) + 1.6))
    ax = fig.add_subplot()
    y = np.arange(len(counts))[::-1]
    left = np.zeros(len(counts))
    for k, color in zip(LEVEL_RANGE, _level_colors(), strict=True):
        values = counts[f"level{k}"].to_numpy()
        bars = ax.barh(y, values, left=left, color=color, label=f"Level-{k}", height=0.75)
        ax.bar_label(bars, labels=[str(v) if v >= 5 else "" for v in values],
                     label_type="center", fontsize=7, color=text_color_on(color))
        left += values
    for yy, l4, l5 in zip(y, counts["level4"], counts["level5"], strict=True):
        ax.text(n * 1.01, yy, f"L4 {int(l4)} \u00b7 L5 {int(l5)}", va="center", fontsize=7)
    ax.set_xlim(0, n * 1.2)
    ax.set_yticks(y, counts.index, fontsize=7.5)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(f"models (count, of {n})", fontsize=8)
    ax.grid(axis="y", visible=False)
    top = counts["level4"] + counts["level5"]
    fig.suptitle(f"Level-4+ holds {int(top.min())} to {int(top.max())} models across variants "
                 f"(strict rule: {int(top.iloc[0])})", fontsize=9, fontweight="bold")
    fig.legend(*ax.get_legend_handles_labels(), ncols=5, loc="outside lower center",
               fontsize=7.5)
    return fig


def migration_groups(result: AblationResult) -> list[list[int]]:
    """Variants (indices, the published one excluded) grouped by identical
    migration matrices, in the order of their first member."""
    groups: list[list[int]] = []
    for i in range(1, len(result.variants)):
        m = result.migration(i).to_numpy()
        for group in groups:
            if np.array_equal(result.migration(group[0]).to_numpy(), m):
                group.append(i)
                break
        else:
            groups.append([i])
    return groups


@house_style
def plot_migration(result: AblationResult, ncols: int = 3):
    """Small multiples: migration matrix of each variant vs the strict rule.

    Variants with identical matrices share one panel (its title lists them):
    the level reached depends only on which scores are non-zero, so every
    rule that credits all supported scores below the SoTA gives the same one.
    """
    from matplotlib.figure import Figure

    groups = migration_groups(result)
    ncols = max(1, min(ncols, len(groups)))
    nrows = max(1, -(-len(groups) // ncols))
    fig = Figure(figsize=(FULL_WIDTH, 2.35 * nrows + 0.9))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    n = len(result.models)
    for ax, group in zip(axes, groups, strict=False):
        m = result.migration(group[0]).to_numpy()
        moved = n - int(np.trace(m))
        ax.imshow(np.log1p(m), cmap="Blues", vmin=0, vmax=np.log1p(n))
        for (r, c), value in np.ndenumerate(m):
            if value:
                ax.text(c, r, str(value), ha="center", va="center", fontsize=7.5,
                        color="white" if value > n / 3 else "black")
        ax.set_xticks(range(5), [str(k) for k in LEVEL_RANGE], fontsize=7)
        ax.set_yticks(range(5), [str(k) for k in LEVEL_RANGE], fontsize=7)
        names = " = ".join(result.labels[i] for i in group)
        shown = "\n".join(textwrap.wrap(names, 34, break_on_hyphens=False))
        ax.set_title(f"{shown}\n{moved} moved", fontsize=7, fontweight="normal")
        ax.set_xlabel("level under the variant", fontsize=7)
        ax.set_ylabel("strict-rule level", fontsize=7)
        ax.grid(False)
    for ax in axes[len(groups):]:
        ax.set_axis_off()
    moves = [n - int(np.trace(result.migration(g[0]).to_numpy())) for g in groups] or [0]
    fig.suptitle(f"Between {min(moves)} and {max(moves)} of {n} models change level "
                 "when the relaxation changes\n(recomputed levels)", fontsize=9,
                 fontweight="bold")
    shared = [g for g in groups if len(g) > 1]
    if shared:
        fig.supxlabel("Panels list every variant with that matrix: the level reached "
                      "depends only on which scores are non-zero,\nso rules that credit "
                      "every supported score below the SoTA move the same models.",
                      fontsize=7)
    return fig


@house_style
def plot_tau_matrix(result: AblationResult):
    """Kendall's tau-b of each variant's ranking with the strict rule's, as a
    dot plot (variants sorted by it, strict first as the reference at 1), with
    a grey line over the range of its tau with every other variant and the
    strict-rule top-10 members it keeps printed at the right. The title gives
    the range against the strict rule (as
    :func:`glscore.analysis.ablation.finding_agreement`) and how many variants
    rank the models exactly as it does."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from glscore.figures.style import OKABE_ITO

    tau = result.tau_matrix()
    summary = result.summary().set_index("variant")
    values = tau.to_numpy()
    n = len(tau)
    others = np.where(np.eye(n, dtype=bool), np.nan, values)
    strict = values[:, 0]
    order = [0, *sorted(range(1, n), key=lambda i: (-strict[i], tau.index[i]))]
    fig = Figure(figsize=(FULL_WIDTH, 0.19 * n + 1.35))
    ax = fig.add_subplot()
    y = np.arange(n)
    low = np.nanmin(others[order], axis=1, initial=1.0)
    high = np.nanmax(others[order], axis=1, initial=0.0)
    ax.hlines(y, low, high, color="#BBBBBB", lw=2.5, zorder=1)
    ax.scatter(strict[order], y, color=OKABE_ITO["blue"], s=22, zorder=3)
    ax.axvline(1.0, color="black", lw=0.6, ls=":")
    kept = summary["top10_overlap"].reindex(tau.index[order]).to_numpy()
    for yy, k in zip(y, kept, strict=True):
        ax.text(1.015, float(yy), f"{int(k)}/{TOP_K}", va="center", fontsize=7, color="#333333",
                transform=ax.get_yaxis_transform())
    ax.text(1.015, -1.0, f"top-{TOP_K}\nkept", va="bottom", fontsize=7, color="#333333",
            transform=ax.get_yaxis_transform())
    ax.set_yticks(y, [str(tau.index[i]) for i in order], fontsize=7)
    ax.set_ylim(n - 0.5, -0.7)
    pairs = values[np.tril_indices(n, k=-1)] if n > 1 else np.array([1.0])
    left = float(np.floor(min(np.nanmin(pairs), np.nanmin(strict)) * 20) / 20) - 0.05
    ax.set_xlim(left, 1.03)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel(f"Kendall's tau-b of the ranking ({int(result.multimodal.sum())} models with "
                  "multimodal support)", fontsize=7.5)
    ax.grid(axis="y", visible=False)
    fig.legend(handles=[Line2D([], [], marker="o", ls="", color=OKABE_ITO["blue"], ms=4.5,
                               label="tau with the strict rule"),
                        Line2D([], [], color="#BBBBBB", lw=2.5,
                               label="range of tau with every other variant")],
               fontsize=7, loc="outside lower center", ncols=2)
    first = strict[1:] if n > 1 else np.array([1.0])
    same = int(np.isclose(first, 1.0).sum())
    worst = tau.index[1 + int(np.argmin(first))] if n > 1 else tau.index[0]
    fig.suptitle(textwrap.fill(f"Kendall's tau with the strict ranking: {first.min():.2f} "
                               f"({worst}) to {first.max():.2f}; {same} of {n - 1} variants "
                               "rank the models as it does", 90),
                 fontsize=8.5, fontweight="bold", x=0.01, ha="left")
    return fig


@house_style
def plot_level4_club(result: AblationResult):
    """Bootstrap P(Level-4+) of every model at Level-4 under some variant,
    printed in each cell; a corner mark shows the variant's own verdict on the full
    benchmark (the model is at Level-4 or above there)."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    probs = result.level4_probability()
    rows, cols = probs.shape
    fig = Figure(figsize=(FULL_WIDTH, 0.3 * rows + 3.0))
    ax = fig.add_subplot()
    values = probs.to_numpy()
    image = ax.imshow(100 * values, cmap="viridis", vmin=0.0, vmax=100.0, aspect="auto")
    index = {name: j for j, name in enumerate(result.names)}
    for r, name in enumerate(probs.index):
        at4 = np.flatnonzero(result.levels[:, index[name]] >= 4)
        edge = np.where(values[r, at4] > 0.6, "black", "white")  # contrast with the cell
        ax.scatter(at4 + 0.32, np.full(len(at4), r - 0.26), s=12, marker="v", color=edge,
                   linewidths=0)
    for (r, c), value in np.ndenumerate(values):
        ax.text(c, r, f"{100 * value:.0f}", ha="center", va="center", fontsize=7,
                color="black" if value > 0.6 else "white")
    ax.set_xticks(range(cols), probs.columns, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(rows), probs.index, fontsize=7)
    ax.set_xlabel("variant of the scoring relaxation", fontsize=8)
    ax.grid(False)
    unit = UNIT_WORDS[result.boot[0].unit] if result.boot else "tasks"
    bar = fig.colorbar(image, ax=ax)
    bar.set_label(f"P(Level >= 4) (% of resamples of {unit})", fontsize=7.5)
    bar.ax.tick_params(labelsize=7)
    ring = Line2D([], [], marker="v", linestyle="", markersize=5, color="black",
                  label="corner mark: at Level-4+ on the full benchmark")
    fig.legend(handles=[ring], loc="outside lower right", fontsize=7,
               title="cells: % of resamples at Level-4+", title_fontsize=7)
    club = int((result.levels[0] >= 4).sum())
    always = int(((result.levels >= 4).all(axis=0)).sum())
    fig.suptitle(f"{always} of the {club} strict-rule Level-4 models (recomputed) hold "
                 "Level-4 under every variant", fontsize=9, fontweight="bold")
    return fig


@house_style
def plot_forest(result: AblationResult, top: int = TOP_K, threshold: float = 0.95):
    """Left: 95% bootstrap intervals of Level-2/3/4 for the strict-rule top
    models (resampling the benchmark's composition: skill groups or tasks).
    Right, on the same rows: for each adjacent pair, the share of resamples
    that keep the upper model at least as high (the pair stability the title
    counts), with the ``threshold`` marked."""
    from matplotlib.figure import Figure

    from glscore.figures.style import LEVEL_COLORS, OKABE_ITO

    table = forest_table(result, top)
    unit = UNIT_WORDS[result.boot[0].unit]
    fig = Figure(figsize=(FULL_WIDTH, 0.42 * len(table) + 1.9))
    ax, right = fig.subplots(1, 2, sharey=True, width_ratios=[3, 1.25])
    y = np.arange(len(table))[::-1].astype(float)
    for offset, name in ((0.22, "level2"), (0.0, "level3"), (-0.22, "level4")):
        color = LEVEL_COLORS[f"Level-{name[-1]}"]
        point = table[name].to_numpy()
        ax.errorbar(point, y + offset,
                    xerr=[point - table[f"{name}_lo"], table[f"{name}_hi"] - point],
                    fmt="o", ms=3.5, color=color, capsize=2, lw=1,
                    label=f"Level-{name[-1]}")
    ax.set_yticks(y, [f"{r}. {n} (L{lv})" for r, n, lv in
                      zip(table["rank"], table["name"], table["level"], strict=True)],
                  fontsize=7.5)
    ax.tick_params(axis="x", labelsize=7.5)
    ax.set_xlabel(f"score (points, 0-100): point and 95% interval,\nresampling {unit}",
                  fontsize=7.5)
    ax.legend(loc="lower right", fontsize=7, title="score at", title_fontsize=7)

    pairs = result.boot[0].pair_stability(result.published_order[:top])
    kept = pairs["p_kept"].to_numpy()
    between = (y[:-1] + y[1:]) / 2  # a pair sits between its two rows
    stable = kept >= threshold
    right.barh(between, kept, height=0.55,
               color=np.where(stable, OKABE_ITO["bluish green"], "#AAAAAA"))   # not a level
    for yy, value in zip(between, kept, strict=True):
        right.text(min(value, 1.0) + 0.02, yy, f"{100 * value:.0f}%", va="center", fontsize=7)
    right.axvline(threshold, color="black", linewidth=0.8, linestyle="--")
    right.set_xlim(0, 1.35)
    right.set_xticks([0, 0.5, threshold], ["0", "0.5", f"{threshold:g}"])
    right.tick_params(axis="x", labelsize=7.5)
    right.set_xlabel(f"P(pair keeps its order)\ngreen: at least {threshold:.0%}",
                     fontsize=7.5)
    right.tick_params(axis="y", left=False)
    ax.set_ylim(-0.6, len(table) - 0.4)
    fig.suptitle(f"Strict-rule top-{top} (recomputed): {int(stable.sum())} of {len(pairs)} "
                 f"adjacent pairs keep their order in >= {100 * threshold:.0f}% of\nresamples "
                 f"of {unit} (sensitivity to benchmark composition)", fontsize=9,
                 fontweight="bold")
    return fig
