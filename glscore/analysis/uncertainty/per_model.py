"""One model under measurement noise: which wins are fragile, what its
Level-3 and its level become (for :mod:`glscore.analysis.explain`).

* ``fragile_wins``: the tasks the model wins (normalised score >= SoTA)
  whose win probability ``Phi((m - s) / sqrt(se_m^2 + se_s^2))``
  (:func:`.measurement.win_probability`) is below ``threshold`` (0.9),
  weakest first;
* ``expected_level3`` and ``level3_interval``: the mean and the 95%
  interval of its Scope-A Level-3 over ``draws`` draws of the measurement
  noise (its own cells and every SoTA perturbed, the credit recomputed);
* ``p_level``: ``P(level reached >= k)``, k = 2..5, over the same draws.

The composition of the benchmark is not resampled here: the question is how
sure one model's own result is, not how the board would look with other
tasks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from glscore.analysis.leaderboard import scope_tables
from glscore.analysis.uncertainty.engine import Settings, simulate
from glscore.analysis.uncertainty.measurement import Noise, noise_for, win_probability
from glscore.analysis.uncertainty.summary import quantile_index
from glscore.core import levels
from glscore.core.scoring import Scoring

#: A win is fragile below this probability.
FRAGILE = 0.9


def model_uncertainty(ctx: Scoring, rows: Sequence[int], draws: int = 1000, seed: int = 0,
                      se: np.ndarray | None = None, sota_se: np.ndarray | None = None,
                      noise: Noise | None = None, threshold: float = FRAGILE) -> list[dict]:
    """Per model of ``rows`` (indices into ``ctx``): a JSON-ready dict with
    ``fragile_wins``, ``expected_level3``, ``level3_interval``, ``p_level`` and
    ``noise`` (how it was computed: draws, seed, measured or assumed)."""
    rows = [int(r) for r in rows]
    settings = Settings(int(draws), int(seed), "skill", ("measurement",))
    noise = noise_for(ctx, se, sota_se) if noise is None else noise
    tasks = ctx.bench.tasks
    scores, sota = ctx.norm.scores[rows], ctx.norm.sota
    p_win = win_probability(scores, sota, noise.scores[rows], noise.sota)
    wins = levels.beats_sota(scores, sota)
    board = scope_tables(ctx, "A", min_coverage=0.0)  # levels, not ranks: every model
    sim = simulate(ctx, board, settings, noise, rows)
    draws_a = sim.boards[0]
    where = {int(r): k for k, r in enumerate(draws_a.rows)}
    reached_all, _, _ = draws_a.keys()
    lo_q, hi_q = quantile_index(draws, 0.025), quantile_index(draws, 0.975)
    method = {"draws": settings.draws, "seed": settings.seed, "sources": ["measurement"],
              "threshold": threshold, **noise.describe()}
    names = {c: tasks[c].to_numpy(dtype=object) for c in ("task_id", "task_name", "modality",
                                                           "paradigm")}
    out = []
    for k, row in enumerate(rows):
        fragile = np.flatnonzero(wins[k] & (p_win[k] < threshold))
        fragile = fragile[np.argsort(p_win[k, fragile], kind="stable")]
        entry: dict = {
            "fragile_wins": [{
                "task_id": str(names["task_id"][j]),
                "task_name": str(names["task_name"][j]),
                "modality": str(names["modality"][j]),
                "paradigm": str(names["paradigm"][j]),
                "score": float(scores[k, j]), "sota": float(sota[j]),
                "score_se": float(noise.scores[row, j]), "sota_se": float(noise.sota[j]),
                "p_win": float(p_win[k, j]),
            } for j in fragile],
            "won_tasks": int(wins[k].sum()),
            "noise": method,
        }
        if row in where:
            level3 = np.sort(draws_a.levels[:, where[row], 1])
            reached = reached_all[:, where[row]]
            entry.update({
                "expected_level3": float(level3.mean()),
                "level3_interval": [float(level3[lo_q]), float(level3[hi_q])],
                "p_level": {str(j): float((reached >= j).mean()) for j in range(2, 6)},
            })
        else:  # supports no task of the board: Level-1 in every draw
            entry.update({"expected_level3": 0.0, "level3_interval": [0.0, 0.0],
                          "p_level": {str(j): 0.0 for j in range(2, 6)}})
        out.append(entry)
    return out
