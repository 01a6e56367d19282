"""Figures of :mod:`glscore.analysis.natural` and :mod:`glscore.analysis.noise`.

Each function takes those modules' frames and returns a
:class:`matplotlib.figure.Figure` (it never saves it), sized for print
(:data:`~glscore.figures.style.FULL_WIDTH` wide). No text is smaller than
:data:`MIN_FONT` points at that size.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from glscore.analysis.natural import DEFAULT_CALL, EXTERNAL, MODES, TIERS, forest_headline
from glscore.figures.style import FULL_WIDTH, house_style

if TYPE_CHECKING:
    from matplotlib.artist import Artist

MIN_FONT = 7.0
"""Smallest font size used (points)."""
BAND_COLOR = "#DDDDDD"


def tier_colors() -> dict[str, str]:
    """One Okabe-Ito colour per evidence tier (and one for size ladders)."""
    from glscore.figures.style import OKABE_ITO

    return {"exact": OKABE_ITO["blue"], "version": OKABE_ITO["orange"],
            "sibling": OKABE_ITO["reddish purple"], EXTERNAL: OKABE_ITO["black"],
            "ladder": OKABE_ITO["bluish green"]}


def _band(ax, band: float, vertical: bool = True) -> None:
    if not np.isfinite(band):
        return
    span = ax.axvspan if vertical else ax.axhspan
    span(-band, band, color=BAND_COLOR, zorder=0, lw=0)
    (ax.axvline if vertical else ax.axhline)(0.0, color="black", lw=0.6, zorder=1)


@house_style
def plot_forest(table: pd.DataFrame, band: float, pool: pd.DataFrame | None = None) -> Figure:
    """Forest plot of each pair's mean MLLM - base difference on NLP, by tier.

    Per pair: the task-bootstrap 95% interval (thick) and the skill-group
    95% interval of the call's test, which adds the variance of re-running
    one model (thin); a filled dot is a clear difference after Holm's
    adjustment, a hollow one is indistinguishable. Per tier a diamond spans
    the pooled HKSJ interval (REML tau^2), with the prediction interval as a
    line through it. The external-tier pair is drawn apart, as a sensitivity.
    The band shaded grey holds 95% of re-runs of one model (``band``).
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    usable = table[table["n"] > 0].copy()
    colors = tier_colors()
    rows, labels, ys = [], [], []
    y = 0.0
    pooled_y = {}
    for tier in (*TIERS, EXTERNAL):
        part = usable[usable["tier"] == tier].sort_values("mean_diff", kind="stable")
        if not len(part):
            continue
        if pool is not None and tier in TIERS:
            pooled_y[tier] = y
            labels.append(f"pooled {tier} ({len(part)} pairs)")
            ys.append(y)
            y -= 1.0
        for row in part.itertuples(index=False):
            rows.append((y, row))
            suffix = " (external)" if tier == EXTERNAL else ""
            labels.append(f"{row.mllm_name} - {row.base_name}{suffix}")
            ys.append(y)
            y -= 1.0
        y -= 0.6
    fig = Figure(figsize=(FULL_WIDTH, 0.118 * len(labels) + 2.3))
    ax = fig.add_subplot()
    _band(ax, band)
    for yy, row in rows:
        c = colors[row.tier]
        ax.plot([row.call_cluster_low, row.call_cluster_high], [yy, yy], color=c, lw=0.7,
                alpha=0.8)
        ax.plot([row.ci_low, row.ci_high], [yy, yy], color=c, lw=2.2)
        clear = getattr(row, DEFAULT_CALL) in ("better", "worse")
        ax.plot([row.mean_diff], [yy], "o", ms=3.2, color=c,
                markerfacecolor=c if clear else "white", markeredgewidth=0.8)
    if pool is not None:
        for tier, yy in pooled_y.items():
            p = pool[(pool["group"] == tier) & (pool["method"] == "hksj")].iloc[0]
            ax.plot([p["pi_low"], p["pi_high"]], [yy, yy], color=colors[tier], lw=0.7)
            ax.fill([p["ci_low"], p["mu"], p["ci_high"], p["mu"]],
                    [yy, yy + 0.42, yy, yy - 0.42], color=colors[tier])
    ax.set_yticks(ys, labels, fontsize=MIN_FONT)
    ax.set_ylim(y + 0.6, 1.0)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel("MLLM minus the language model it is compared with on NLP (points)",
                  fontsize=8)
    fig.suptitle(textwrap.fill(forest_headline(table, pool), 95), fontsize=8.5,
                 fontweight="bold", x=0.01, ha="left")
    handles: list[Artist] = [Line2D([], [], color=colors[t], lw=2.2, label=t)
                             for t in (*TIERS, EXTERNAL) if (usable["tier"] == t).any()]
    grey = "#666666"
    handles += [
        Line2D([], [], color=grey, lw=2.2, label="thick: 95% task bootstrap"),
        Line2D([], [], color=grey, lw=0.7,
               label="thin: 95% skill-group test (re-run variance added)"),
        Line2D([], [], marker="o", ls="", color=grey, ms=3.2,
               label="filled dot: clear difference after Holm"),
        Line2D([], [], marker="o", ls="", color=grey, ms=3.2, markerfacecolor="white",
               label="hollow dot: indistinguishable"),
        Patch(color=grey, label="diamond: pooled (HKSJ), line: prediction interval"),
    ]
    if np.isfinite(band):
        handles.append(Patch(color=BAND_COLOR, label=f"grey band: 95% of re-runs, ±{band:.1f}"))
    fig.legend(handles=handles, fontsize=MIN_FONT, loc="outside lower center", ncols=3)
    ax.grid(axis="y", visible=False)
    return fig


@house_style
def plot_skill_groups(groups: pd.DataFrame, band: float) -> Figure:
    """Mean difference per NLP skill group, one marker per tier, with the band of re-runs."""
    colors = tier_colors()
    order = list(dict.fromkeys(groups["skill_group_id"]))
    short = dict(zip(groups["skill_group_id"], groups["skill_short_name"], strict=False))
    x = np.arange(len(order))
    fig = Figure(figsize=(FULL_WIDTH, 3.8))
    ax = fig.add_subplot()
    _band(ax, band, vertical=False)
    below: dict[str, int] = {}
    for k, tier in enumerate(TIERS):
        part = groups[groups["tier"] == tier].set_index("skill_group_id").reindex(order)
        if part["mean_diff"].notna().any():
            ax.plot(x + 0.2 * (k - 1), part["mean_diff"], "o", color=colors[tier], ms=4,
                    label=tier)
            below[tier] = int((part["mean_diff"] < -band).sum())
    ax.set_xticks(x, [f"{g} {short[g]}" for g in order], rotation=60, ha="right",
                  fontsize=MIN_FONT)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylabel("mean difference, MLLM - base (points)", fontsize=8)
    worst = max(below, key=lambda t: below[t]) if below else "none"
    fig.suptitle(f"The {worst}-tier generalists fall below the band of re-runs on "
                 f"{below.get(worst, 0)} of {len(order)} NLP skill groups", fontsize=9,
                 fontweight="bold")
    ax.legend(fontsize=MIN_FONT, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


@house_style
def plot_sensitivity(shift: pd.DataFrame, band: float) -> Figure:
    """Each pair's mean difference with unsupported cells dropped (x) against
    zero-filled and without flagged cells (y), one panel each."""
    colors = tier_colors()
    others = [m for m in MODES if m != "drop"]
    fig = Figure(figsize=(FULL_WIDTH, 3.4))
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
            ax.plot(sel["drop"], sel[mode], "o", color=colors[tier], ms=3.5, label=tier)
        moves[mode] = float((part[mode] - part["drop"]).abs().max()) if len(part) else 0.0
        ax.set_xlabel("mean difference, cells dropped (points)", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.set_title({"zero": "unsupported cells read as 0",
                      "clean": "flagged cells left out"}[mode], fontsize=8)
    first = np.atleast_1d(axes)[0]
    first.set_ylabel("mean difference under the alternative (points)", fontsize=8)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = [Line2D([], [], marker="o", ls="", color=colors[t], ms=3.5, label=t)
                             for t in TIERS if (shift["tier"] == t).any()]
    handles += [Line2D([], [], color="black", lw=0.6, label="no change (diagonal)"),
                Patch(color=BAND_COLOR, label=f"grey bands: 95% of re-runs of one model "
                                              f"(\u00b1{band:.1f}) on either axis")]
    fig.legend(handles=handles, fontsize=MIN_FONT, loc="outside lower center", ncols=3)
    fig.suptitle(f"Zero-filling moves a pair by up to {moves.get('zero', 0):.1f} points, "
                 f"leaving out suspicious cells by up to {moves.get('clean', 0):.1f}",
                 fontsize=8.5, fontweight="bold", x=0.01, ha="left")
    return fig


def _share(p: float) -> str:
    """A share of draws in percent; never rounds a share below 1 up to 100%."""
    return "100%" if p >= 1 else f"{min(100 * p, 99.0):.0f}%" if p >= 0.01 else f"{100 * p:.1g}%"


@house_style
def plot_rank_intervals(summary: pd.DataFrame, board: str = "full", top: int = 30,
                        threshold: float = 0.95, scale: float | None = None,
                        draws: int | None = None) -> Figure:
    """Scope-A (or one board) under measurement noise only: each model's rank
    recomputed from the published scores (dot) and its 5-95% rank interval
    over the draws (bar), rank 1 on the left, coloured by the recomputed
    level, for the first ``top`` ranked models; the label gives the share of
    draws that keep the model's level. The title counts the models that keep
    their level and the median width of the rank intervals; ``scale`` (the
    noise model's ``c``) and ``draws`` say what was simulated. The rows the
    board lists below unranked (coverage policy) are not shown."""
    from glscore.figures.style import level_color

    ranked = summary[(summary["board"] == board) & summary["rank"].notna()]
    part = ranked.sort_values("rank").head(top)
    fig = Figure(figsize=(FULL_WIDTH, 0.125 * len(part) + 1.55))
    ax = fig.add_subplot()
    y = -np.arange(len(part))
    for yy, row in zip(y, part.itertuples(index=False), strict=True):
        c = level_color(int(row.level))
        ax.plot([row.rank_low, row.rank_high], [yy, yy], color=c, lw=2.0)
        ax.plot([row.rank], [yy], "o", color=c, ms=3.5)
    for level in sorted(set(part["level"])):
        ax.plot([], [], color=level_color(int(level)), lw=2.0, label=f"Level-{level}")
    ax.set_yticks(y, [f"{n} (level kept {_share(p)})" for n, p in
                      zip(part["name"], part["p_level"], strict=True)], fontsize=MIN_FONT)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlim(0, float(part["rank_high"].max()) + 1)
    ax.set_xlabel("rank (1 = first): recomputed without noise (dot), 5-95% of draws (bar)",
                  fontsize=8)
    rows = summary[(summary["board"] == board) & summary["multimodal"]]
    kept = int((rows["p_level"] >= threshold).sum())
    width = (ranked["rank_high"] - ranked["rank_low"] + 1).astype(float)
    what = "measurement noise only" + (f" (c = {scale:.3f}" if scale is not None else "") + (
        f", {draws} draws)" if draws is not None else (")" if scale is not None else ""))
    where = "Scope-A" if board == "full" else board
    fig.suptitle(textwrap.fill(
        f"Under {what}, {kept} of {len(rows)} models with multimodal support keep their {where} "
        f"level in at least {threshold:.0%} of draws; the median 5-95% rank interval spans "
        f"{width.median():.0f} places (widest {width.max():.0f})", 95),
        fontsize=8.5, fontweight="bold", x=0.01, ha="left")
    fig.legend(fontsize=MIN_FONT, loc="outside lower center", ncols=5)
    ax.grid(axis="y", visible=False)
    return fig
