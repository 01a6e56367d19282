"""A board's uncertainty as a tidy frame and a small dict of board facts.

Per row (a ranked model), from the draws of :func:`.engine.simulate`, with
``q = (1 - level) / 2`` (2.5% at the default level 0.95) and quantiles
taken as the inverted empirical CDF (the smallest value whose cumulative
share reaches ``q``):

* ``rank_lo``, ``rank_hi`` (``rank_interval``): the ``q`` and ``1 - q``
  quantiles of the model's rank over the draws;
* ``p_first``: the share of draws in which it ranks first;
* ``p_above_next``: the share in which it ranks above the next row;
* ``p_level2`` .. ``p_level5``: ``P(level reached >= k)`` (NaN above the
  board's cap);
* ``score_lo``, ``score_hi``: the interval of the score at the level the
  board gives the model (Level-k with ``k`` its recomputed level; 0 at
  Level-1), i.e. the same quantity in every draw;
* ``bound_lo_*``, ``bound_hi_*``: the ``q`` and ``1 - q`` quantiles of the
  *ranking key* ``(level reached, score at that level)`` in the board's own
  (lexicographic) order: a model's key sorted over the draws, read at the
  two quantiles;
* ``rank_conservative``: Chatbot Arena's "Rank (UB)" on that key: ``1 +``
  the number of models whose lower bound beats this model's upper bound
  (a higher level, or the same level and a higher score).

Per board (:func:`board_facts`): ``tied_with_first`` (models whose rank
interval includes 1), ``distinguishable_adjacent`` (adjacent pairs of the
board whose upper model's lower bound beats the lower model's upper bound,
the same test as the conservative rank), and the alternatives beside them:
``conservative_first`` (conservative rank 1) and
``distinguishable_adjacent_p95`` (the upper model ranks above the lower in at
least 95% of draws).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from glscore.analysis.uncertainty.engine import BoardDraws, Simulation

#: Columns of :func:`board_frame`, after the board's own identification.
FRAME_COLUMNS: tuple[str, ...] = (
    "scope", "board", "rank", "model", "name", "level", "score", "supported", "tasks",
    "coverage", "rank_lo", "rank_hi", "rank_conservative", "p_first", "p_above_next",
    "p_level2", "p_level3", "p_level4", "p_level5", "score_lo", "score_hi",
    "bound_lo_level", "bound_lo_score", "bound_hi_level", "bound_hi_score",
)
#: Share of draws above which an adjacent pair counts as ordered (the alternative test).
P_ORDERED = 0.95


def quantile_index(n: int, q: float) -> int:
    """Index of the ``q`` quantile in ``n`` sorted values (inverted CDF):
    ``ceil(q n) - 1``, within ``[0, n - 1]``.

    >>> quantile_index(1000, 0.025), quantile_index(1000, 0.975), quantile_index(1, 0.5)
    (24, 974, 0)
    """
    return int(min(max(int(np.ceil(q * n - 1e-9)) - 1, 0), n - 1))


def key_bounds(reached: np.ndarray, at: np.ndarray, q: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per model (column), the ``q`` and ``1 - q`` quantiles of the key
    ``(reached, at)`` over the draws (rows) in lexicographic order:
    ``(level_lo, score_lo, level_hi, score_hi)``.

    >>> key_bounds(np.array([[3], [4], [3]]), np.array([[9.0], [1.0], [2.0]]), 0.0)
    (array([3]), array([2.]), array([4]), array([1.]))
    """
    n = reached.shape[0]
    order = np.lexsort((at, reached), axis=0)
    lo, hi = quantile_index(n, q), quantile_index(n, 1.0 - q)
    cols = np.arange(reached.shape[1])
    return (reached[order[lo], cols], at[order[lo], cols],
            reached[order[hi], cols], at[order[hi], cols])


def beats(level_a: np.ndarray, score_a: np.ndarray, level_b: np.ndarray,
          score_b: np.ndarray) -> np.ndarray:
    """``(level_a, score_a) > (level_b, score_b)`` in the board's order."""
    return (level_a > level_b) | ((level_a == level_b) & (score_a > score_b))


def conservative_rank(lo_level: np.ndarray, lo_score: np.ndarray, hi_level: np.ndarray,
                      hi_score: np.ndarray) -> np.ndarray:
    """``1 + #{j : lower bound of j beats upper bound of i}`` per model ``i``.

    Lower bounds (4, 1), (3, 5), (3, 1); upper bounds (4, 3), (4, 0.5), (3, 4):
    nothing beats (4, 3); (4, 1) beats (4, 0.5); (4, 1) and (3, 5) beat (3, 4).

    >>> conservative_rank(np.array([4, 3, 3]), np.array([1.0, 5.0, 1.0]),
    ...                   np.array([4, 4, 3]), np.array([3.0, 0.5, 4.0])).tolist()
    [1, 2, 3]
    """
    matrix = beats(lo_level[:, None], lo_score[:, None], hi_level[None, :], hi_score[None, :])
    return 1 + matrix.sum(axis=0)


def rank_interval(rank: np.ndarray, q: float) -> tuple[np.ndarray, np.ndarray]:
    """The ``q`` and ``1 - q`` quantiles of each column of ``rank`` (draws x models)."""
    ranks = np.sort(rank, axis=0)
    n = rank.shape[0]
    return ranks[quantile_index(n, q)], ranks[quantile_index(n, 1.0 - q)]


def board_columns(draws: BoardDraws, level: float = 0.95) -> dict[str, np.ndarray]:
    """The columns of :func:`board_frame` as arrays (module docstring)."""
    table = draws.table.table
    board = draws.board
    q = (1.0 - level) / 2.0
    reached, at, _ = draws.keys()
    rank = draws.rank
    n = rank.shape[1]
    lo, hi = rank_interval(rank, q)
    b = key_bounds(reached, at, q)
    point_level = table["level"].to_numpy(dtype=int)
    with_level1 = np.concatenate([np.zeros(draws.levels.shape[:2] + (1,)), draws.levels], -1)
    index = np.clip(point_level - 1, 0, board.cap - 1)[None, :, None]
    at_sorted = np.sort(np.take_along_axis(with_level1, index, axis=-1)[..., 0], axis=0)
    above = np.full(n, np.nan)
    if n > 1:
        above[:-1] = (rank[:, :-1] < rank[:, 1:]).mean(axis=0)
    nan = np.full(n, np.nan)
    return {
        "scope": np.full(n, board.scope, dtype=object),
        "board": np.full(n, board.name, dtype=object),
        "rank": table["rank"].to_numpy(), "model": table["model"].to_numpy(dtype=object),
        "name": table["name"].to_numpy(dtype=object), "level": point_level,
        "score": table["score"].to_numpy(dtype=float),
        "supported": table["supported"].to_numpy(), "tasks": table["tasks"].to_numpy(),
        "coverage": table["coverage"].to_numpy(dtype=float),
        "rank_lo": lo.astype(int), "rank_hi": hi.astype(int),
        "rank_conservative": conservative_rank(*b).astype(int),
        "p_first": (rank == 1).mean(axis=0), "p_above_next": above,
        **{f"p_level{k}": (reached >= k).mean(axis=0) if k <= board.cap else nan
           for k in range(2, 6)},
        "score_lo": at_sorted[quantile_index(len(at_sorted), q)],
        "score_hi": at_sorted[quantile_index(len(at_sorted), 1.0 - q)],
        "bound_lo_level": b[0].astype(int), "bound_lo_score": b[1],
        "bound_hi_level": b[2].astype(int), "bound_hi_score": b[3],
    }


def board_frame(draws: BoardDraws, level: float = 0.95) -> pd.DataFrame:
    """The tidy frame of one board (module docstring), one row per ranked model."""
    return pd.DataFrame(board_columns(draws, level), columns=list(FRAME_COLUMNS))


def board_facts(columns: dict[str, np.ndarray], draws: BoardDraws, sim: Simulation) -> dict:
    """The board-level facts (JSON-ready) from a board's :func:`board_columns`."""
    s = sim.settings
    c = columns
    separated = beats(c["bound_lo_level"][:-1], c["bound_lo_score"][:-1],
                      c["bound_hi_level"][1:], c["bound_hi_score"][1:])
    ordered = c["p_above_next"][:-1] >= P_ORDERED
    tied = c["rank_lo"] == 1
    n = len(c["rank"])
    return {
        "scope": draws.board.scope, "board": draws.board.name, "tasks": draws.board.n_tasks,
        "ranked": n, "left_off": draws.table.left_off,
        "draws": s.draws, "seed": s.seed, "unit": s.unit if s.composition else None,
        "sources": list(s.sources), "interval": s.level,
        "composition": s.resampling(),
        "measurement": sim.noise.describe() if sim.noise is not None else None,
        "leader": str(c["name"][0]) if n else None,
        "leader_p_first": float(c["p_first"][0]) if n else None,
        "tied_with_first": [str(x) for x in c["name"][tied]],
        "tied_with_first_models": [str(x) for x in c["model"][tied]],
        "conservative_first": [str(x) for x in c["name"][c["rank_conservative"] == 1]],
        "adjacent_pairs": max(n - 1, 0),
        "distinguishable_adjacent": int(separated.sum()),
        "distinguishable_adjacent_p95": int(ordered.sum()),
    }


def pairwise(draws: BoardDraws, top: int = 10) -> pd.DataFrame:
    """``P(row ranks above column)`` over the draws for the board's first
    ``top`` models (display names; the diagonal is NaN).

    >>> import numpy as np                                      # doctest: +SKIP
    >>> pairwise(sim.board("full"), 5).round(2)                 # doctest: +SKIP
    """
    k = min(top, draws.rank.shape[1])
    rank = draws.rank[:, :k]
    p = (rank[:, :, None] < rank[:, None, :]).mean(axis=0)
    np.fill_diagonal(p, np.nan)
    names = [str(x) for x in draws.table.table["name"].iloc[:k]]
    return pd.DataFrame(p, index=pd.Index(names, name="above"), columns=names)
