"""Figures of :mod:`glscore.analysis.natural` and :mod:`glscore.analysis.noise`.

Each function takes those modules' frames and returns a
:class:`matplotlib.figure.Figure` (it never saves it). No text is smaller
than :data:`MIN_FONT` points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from glscore.analysis.natural import MODES, TIERS, beyond_band

if TYPE_CHECKING:
    from matplotlib.artist import Artist

MIN_FONT = 7.0
"""Smallest font size used (points)."""
BAND_COLOR = "#DDDDDD"


def tier_colors() -> dict[str, str]:
    """One Okabe-Ito colour per evidence tier (and one for size ladders)."""
    from glscore.figures.style import OKABE_ITO

    return {"exact": OKABE_ITO["blue"], "version": OKABE_ITO["orange"],
            "sibling": OKABE_ITO["reddish purple"], "ladder": OKABE_ITO["bluish green"]}


def _band(ax, band: float, vertical: bool = True) -> None:
    if not np.isfinite(band):
        return
    span = ax.axvspan if vertical else ax.axhspan
    span(-band, band, color=BAND_COLOR, zorder=0, lw=0,
         label=f"noise band ±{band:.1f}")
    (ax.axvline if vertical else ax.axhline)(0.0, color="black", lw=0.6, zorder=1)


def plot_forest(table: pd.DataFrame, band: float, pool: pd.DataFrame | None = None):
    """Forest plot: each pair's mean MLLM - base difference on NLP with its task-
    bootstrap interval (thick) and skill-group interval (thin), grouped by
    tier, the noise band shaded, the pooled estimate of each tier as a diamond."""
    from matplotlib.figure import Figure

    usable = table[table["n"] > 0].copy()
    colors = tier_colors()
    rows, labels, ys = [], [], []
    y = 0.0
    pooled_y = {}
    for tier in TIERS:
        part = usable[usable["tier"] == tier].sort_values("mean_diff", kind="stable")
        if not len(part):
            continue
        if pool is not None:
            pooled_y[tier] = y
            labels.append(f"pooled {tier}")
            ys.append(y)
            y -= 1.0
        for row in part.itertuples(index=False):
            rows.append((y, row))
            labels.append(f"{row.mllm_name} - {row.base_name}")
            ys.append(y)
            y -= 1.0
        y -= 0.6
    fig = Figure(figsize=(7.5, 0.17 * len(labels) + 1.6))
    ax = fig.add_subplot()
    _band(ax, band)
    for yy, row in rows:
        c = colors[row.tier]
        ax.plot([row.cluster_low, row.cluster_high], [yy, yy], color=c, lw=0.8, alpha=0.6)
        ax.plot([row.ci_low, row.ci_high], [yy, yy], color=c, lw=2.2)
        ax.plot([row.mean_diff], [yy], "o", color=c, ms=3.5)
    if pool is not None:
        for tier, yy in pooled_y.items():
            p = pool[pool["tier"] == tier].iloc[0]
            ax.fill([p["ci_low"], p["mu"], p["ci_high"], p["mu"]],
                    [yy, yy + 0.4, yy, yy - 0.4], color=colors[tier])
    ax.set_yticks(ys, labels, fontsize=MIN_FONT)
    ax.set_ylim(y + 0.6, 1.0)
    ax.set_xlabel("MLLM minus its base LLM on NLP (points, 0-100)")
    beyond = beyond_band(usable, band)
    up = int((beyond & (usable["mean_diff"] > 0)).sum())
    down = int((beyond & (usable["mean_diff"] < 0)).sum())
    ax.set_title(f"{down} of {len(usable)} generalists score below their base LLM on NLP\n"
                 f"beyond the noise band; {up} score above it", fontsize=10)
    handles: list[Artist] = [ax.plot([], [], color=colors[t], lw=2.2, label=t)[0]
                             for t in TIERS if (usable["tier"] == t).any()]
    if np.isfinite(band):
        from matplotlib.patches import Patch

        handles.append(Patch(color=BAND_COLOR, label=f"noise band ±{band:.1f}"))
    ax.legend(handles=handles, fontsize=MIN_FONT + 1, loc="upper left")
    ax.grid(axis="y", visible=False)
    return fig


def plot_skill_groups(groups: pd.DataFrame, band: float):
    """Mean difference per NLP skill group, one line per tier, with the noise band."""
    from matplotlib.figure import Figure

    colors = tier_colors()
    order = list(dict.fromkeys(groups["skill_group_id"]))
    short = dict(zip(groups["skill_group_id"], groups["skill_short_name"], strict=False))
    x = np.arange(len(order))
    fig = Figure(figsize=(8.0, 4.2))
    ax = fig.add_subplot()
    _band(ax, band, vertical=False)
    below = {}
    for k, tier in enumerate(TIERS):
        part = groups[groups["tier"] == tier].set_index("skill_group_id").reindex(order)
        if part["mean_diff"].notna().any():
            ax.plot(x + 0.2 * (k - 1), part["mean_diff"], "o", color=colors[tier], ms=4.5,
                    label=tier)
            below[tier] = int((part["mean_diff"] < -band).sum())
    ax.set_xticks(x, [f"{g} {short[g]}" for g in order], rotation=60, ha="right",
                  fontsize=MIN_FONT)
    ax.set_ylabel("mean difference, MLLM - base (points)")
    worst = max(below, key=lambda k: below[k]) if below else "none"
    ax.set_title(f"The {worst}-tier generalists fall below the noise band on "
                 f"{below.get(worst, 0)} of {len(order)} NLP skill groups", fontsize=10)
    ax.legend(fontsize=MIN_FONT + 1, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def plot_sensitivity(shift: pd.DataFrame, band: float):
    """Each pair's mean difference with unsupported cells dropped (x) against
    zero-filled and without flagged cells (y), one panel each."""
    from matplotlib.figure import Figure

    colors = tier_colors()
    others = [m for m in MODES if m != "drop"]
    fig = Figure(figsize=(8.0, 4.0))
    axes = fig.subplots(1, len(others), sharey=True)
    moves = {}
    for ax, mode in zip(np.atleast_1d(axes), others, strict=True):
        ok = shift["drop"].notna() & shift[mode].notna()
        part = shift[ok]
        lim = [float(np.nanmin(part[["drop", mode]].to_numpy())) - 2,
               float(np.nanmax(part[["drop", mode]].to_numpy())) + 2]
        ax.axhspan(-band, band, color=BAND_COLOR, lw=0, zorder=0)
        ax.axvspan(-band, band, color=BAND_COLOR, lw=0, zorder=0)
        ax.plot(lim, lim, color="black", lw=0.6)
        for tier in TIERS:
            sel = part[part["tier"] == tier]
            ax.plot(sel["drop"], sel[mode], "o", color=colors[tier], ms=4, label=tier)
        moves[mode] = float((part[mode] - part["drop"]).abs().max()) if len(part) else 0.0
        ax.set_xlabel("mean difference, cells dropped (points)")
        ax.set_title({"zero": "unsupported cells read as 0",
                      "clean": "flagged cells left out"}[mode], fontsize=9)
    np.atleast_1d(axes)[0].set_ylabel("mean difference under the alternative (points)")
    np.atleast_1d(axes)[0].legend(fontsize=MIN_FONT + 1, loc="upper left")
    fig.suptitle(f"Zero-filling moves a pair by up to {moves.get('zero', 0):.1f} points, "
                 f"leaving out suspicious cells by up to {moves.get('clean', 0):.1f}",
                 fontsize=10)
    return fig


def plot_rank_intervals(summary: pd.DataFrame, board: str = "full", top: int = 30,
                        threshold: float = 0.95):
    """Scope-A (or one board) under noise: each model's rank recomputed from the published scores and its
    5-95% rank interval over the draws, coloured by the recomputed level, for
    the ``top`` models."""
    from matplotlib.figure import Figure

    from glscore.figures.style import LEVEL_COLORS

    part = summary[summary["board"] == board].sort_values("rank").head(top)
    fig = Figure(figsize=(7.5, 0.17 * len(part) + 1.6))
    ax = fig.add_subplot()
    y = -np.arange(len(part))
    for yy, row in zip(y, part.itertuples(index=False), strict=True):
        c = LEVEL_COLORS[f"Level-{row.level}"]
        ax.plot([row.rank_low, row.rank_high], [yy, yy], color=c, lw=2.0)
        ax.plot([row.rank], [yy], "o", color=c, ms=4)
    for level in sorted(set(part["level"])):
        ax.plot([], [], color=LEVEL_COLORS[f"Level-{level}"], lw=2.0, label=f"Level-{level}")
    ax.set_yticks(y, [f"{n} (P level kept {p:.2f})" for n, p in
                      zip(part["name"], part["p_level"], strict=True)], fontsize=MIN_FONT)
    ax.set_xlabel("rank (recomputed without noise as a dot, 5-95% of draws as a bar)")
    ax.invert_xaxis()
    all_rows = summary[summary["board"] == board]
    kept = int((all_rows["p_level"] >= threshold).sum())
    ax.set_title(f"Under measured noise {kept} of {len(all_rows)} models keep their "
                 f"{'Scope-A' if board == 'full' else board} level\nin {threshold:.0%} of "
                 "draws; ranks move by several places", fontsize=10)
    ax.legend(fontsize=MIN_FONT + 1, loc="lower left")
    ax.grid(axis="y", visible=False)
    return fig
