"""Sentences stating what the rank uncertainty shows, built from the frames
and facts of :mod:`glscore.analysis.uncertainty` (never typed by hand).

Every sentence names its method (draws, seed, the sources and whether the
noise was measured or assumed) and, where alternatives are given, what the
headline becomes under them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

#: How many names a list in a sentence shows before "and k more".
LIST_LIMIT = 5


def _names(items: Sequence[str], limit: int = LIST_LIMIT) -> str:
    items = list(items)
    if not items:
        return "none"
    head = ", ".join(items[:limit])
    return head + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _board_label(facts: Mapping) -> str:
    return "Scope-A" if facts["scope"] == "A" else f"Scope-{facts['scope']} '{facts['board']}'"


def _measurement(facts: Mapping) -> Mapping | None:
    """The measurement facts of a board's facts dict or of a row of
    :meth:`Uncertainty.facts_frame` (flattened ``noise``, ``scale``, ...)."""
    if "measurement" in facts:
        return facts["measurement"]
    if isinstance(facts.get("noise"), str):
        return {k: facts[k] for k in ("noise", "scale", "measured_cells", "cells")}
    return None


def method_phrase(facts: Mapping) -> str:
    """``1000 draws, seed 0: skill groups resampled ... and assumed noise (...)``."""
    parts = []
    if facts.get("composition"):
        unit = "skill groups" if facts["unit"] == "skill" else "tasks"
        parts.append(f"{unit} resampled within modality x paradigm")
    m = _measurement(facts)
    if m:
        if m["noise"] == "measured":
            parts.append("measured noise (se given)")
        elif m["noise"] == "assumed":
            parts.append(f"assumed noise (noise model c = {m['scale']:.3g})")
        else:
            parts.append(f"mixed noise (se given for {m['measured_cells']} of {m['cells']} "
                         f"cells, else noise model c = {m['scale']:.3g})")
    return f"{facts['draws']} draws, seed {facts['seed']}: " + " and ".join(parts)


def finding_board(frame: pd.DataFrame, facts: Mapping) -> str:
    """Who ties with #1 and how many adjacent pairs are separated, on one board."""
    n = facts["ranked"]
    if not n:
        return f"{_board_label(facts)}: no model is ranked."
    leader = frame.iloc[0]
    tied = facts["tied_with_first"]
    return (f"{_board_label(facts)} ({method_phrase(facts)}): {len(tied)} of {n} models have a "
            f"95% rank interval that includes 1 ({_names(tied)}); the leader {leader['name']} "
            f"is first in {leader['p_first']:.0%} of draws (ranks {int(leader['rank_lo'])}-"
            f"{int(leader['rank_hi'])}). {facts['distinguishable_adjacent']} of "
            f"{facts['adjacent_pairs']} adjacent pairs are separated by non-overlapping 95% "
            f"intervals of (level, score); {facts['distinguishable_adjacent_p95']} keep their "
            f"order in at least 95% of draws.")


def board_sentences(frames: Sequence[pd.DataFrame], facts: Sequence[Mapping]) -> str:
    """:func:`finding_board` of every board, one per line."""
    return "\n".join(finding_board(f, x) for f, x in zip(frames, facts, strict=True))


def finding_sensitivity(main: Mapping, alternatives: Mapping[str, Mapping]) -> str:
    """The tie group with #1 and the separated pairs under each alternative
    (label -> facts of the same board), beside the main result."""
    def one(facts: Mapping) -> str:
        return (f"{len(facts['tied_with_first'])} tied with #1, "
                f"{facts['distinguishable_adjacent']} separated pairs, "
                f"{facts['distinguishable_adjacent_p95']} ordered in 95%")

    rest = "; ".join(f"{label}: {one(f)}" for label, f in alternatives.items())
    return (f"Under the alternatives the {_board_label(main)} picture is ({one(main)} with both "
            f"sources) -- {rest}.")


def finding_published(frame: pd.DataFrame, published: pd.DataFrame) -> str:
    """Where the published #1 (as the paper's level tables rank,
    :func:`glscore.analysis.uncertainty.published.published_ranks`) and the
    recomputed #1 stand, with their intervals. ``frame`` is one board's frame
    (:func:`glscore.analysis.uncertainty.published.with_published`)."""
    board = frame["board"].iloc[0]
    label = "Scope-A" if frame["scope"].iloc[0] == "A" else f"'{board}'"
    pub = published[published["board"] == board].sort_values("published_rank")
    if pub.empty:
        return f"The paper publishes no ranking for {label}."
    ranked = set(frame["model"])
    text = f"On {label} the published level tables put "
    head = pub.iloc[0]
    if head["model"] not in ranked:
        text += (f"{head['published_name']} first (Level-{int(head['published_level'])}, "
                 f"{head['published_score']:.2f}), a model without per-task data and so not "
                 "on the recomputed board; of the models recomputed they put ")
        pub = pub[pub["model"].isin(ranked)]
    first = frame.set_index("model").loc[pub.iloc[0]["model"]]
    top = frame.iloc[0]
    text += (f"{first['name']} first (published rank {int(first['published_rank'])}, "
             f"Level-{int(first['published_level'])}, {first['published_score']:.2f}); "
             f"recomputed it ranks {int(first['rank'])} (95% interval {int(first['rank_lo'])}-"
             f"{int(first['rank_hi'])}, first in {first['p_first']:.0%} of draws), and the "
             f"recomputed #1 {top['name']} has published rank ")
    return text + (f"{int(top['published_rank'])}." if pd.notna(top["published_rank"])
                   else "none.")


def coverage_pair(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The board's #1 and the model most often first over the draws (the
    first in rank order on ties; the #1 itself when it is the most often first)."""
    return frame.iloc[0], frame.loc[frame["p_first"].idxmax()]


def marked_models(frame: pd.DataFrame, min_level: int = 3) -> list[str]:
    """Names worth a label on a coverage plot: the #1, the model most often
    first, and the widest rank interval at ``min_level`` or above."""
    top, often = coverage_pair(frame)
    part = frame[frame["level"] >= min_level]
    names = [str(top["name"]), str(often["name"])]
    if len(part):
        widest = part.loc[(part["rank_hi"] - part["rank_lo"]).idxmax()]
        names.append(str(widest["name"]))
    return list(dict.fromkeys(names))


def coverage_correlation(frame: pd.DataFrame, min_level: int = 3) -> tuple[float, int]:
    """Spearman's rho between the tasks a model supports and the width of its
    rank interval (``rank_hi - rank_lo + 1``), over the ranked models at
    ``min_level`` or above (those whose rank rests on wins); and their number."""
    from scipy.stats import spearmanr

    part = frame[frame["level"] >= min_level]
    if len(part) < 3:
        return float("nan"), len(part)
    width = part["rank_hi"] - part["rank_lo"] + 1
    return float(spearmanr(part["supported"], width).statistic), len(part)


def finding_coverage(frame: pd.DataFrame, min_level: int = 3) -> str:
    """The #1 against the model most often first (tasks supported, P(first),
    rank interval), and how rank-interval width goes with coverage on the
    board. When the #1 loses its level in 1-5% of draws the sentence says
    that the upper end of its interval sits on those draws (and so moves
    with the seed)."""
    top, often = coverage_pair(frame)
    rho, n = coverage_correlation(frame, min_level)

    def one(row: pd.Series) -> str:
        return (f"{row['name']} (#{int(row['rank'])}, {int(row['supported'])} of "
                f"{int(row['tasks'])} tasks) is first in {row['p_first']:.0%} of draws "
                f"(95% rank interval {int(row['rank_lo'])}-{int(row['rank_hi'])})")

    text = one(top)
    kept = frame[f"p_level{int(top['level'])}"].iloc[0] if int(top["level"]) >= 2 else 1.0
    if 0.01 <= 1.0 - kept <= 0.05:
        text += (f"; it loses Level-{int(top['level'])} in {1.0 - kept:.1%} of draws, so the "
                 "upper end of its interval rests on those few draws and moves with the seed")
    if often["model"] != top["model"]:
        text += f", while {one(often)}"
    return (f"{text}. Over the {n} models at Level-{min_level} or above, fewer supported tasks "
            f"go with wider rank intervals (Spearman rho = {rho:.2f}).")


def finding_boards(facts: pd.DataFrame) -> str:
    """Across many boards (a :meth:`Uncertainty.facts_frame`): how often the
    leader is clearly first, how large the tie groups are, how many adjacent
    pairs are separated."""
    n = len(facts)
    clear = int((facts["leader_p_first"] >= 0.5).sum())
    alone = int((facts["n_tied_with_first"] == 1).sum())
    pairs = int(facts["adjacent_pairs"].sum())
    separated = int(facts["distinguishable_adjacent"].sum())
    ordered = int(facts["distinguishable_adjacent_p95"].sum())
    scopes = sorted(facts["scope"].unique())
    where = (f"the {n} Scope-{scopes[0]} boards" if len(scopes) == 1
             else f"all {n} boards of Scopes {'/'.join(scopes)}")
    return (f"Across {where} ({method_phrase(facts.iloc[0])}), the "
            f"leader is first in at least half the draws on {clear} and alone in its tie group "
            f"on {alone}; the median tie group with #1 holds "
            f"{facts['n_tied_with_first'].median():.0f} models; {separated} of {pairs} adjacent "
            f"pairs are separated by non-overlapping intervals and {ordered} keep their order in "
            "at least 95% of draws.")
