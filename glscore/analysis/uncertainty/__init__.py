"""How sure is each rank? Uncertainty on every board of Scopes A-D.

Two sources, modelled apart and combined (:mod:`.engine`):

* **composition**: which tasks the benchmark happens to hold. A stratified
  bootstrap (:mod:`glscore.analysis.resample`) redraws skill groups (or tasks) within each
  modality x paradigm pair, NLP its own stratum; a Scope-D board redraws the
  tasks of its skill group;
* **measurement**: how noisy each number is (:mod:`.measurement`): per-cell
  standard errors where the input has them (``se``, ``sota_se``), the noise
  model of the data where it does not, the SoTA's own noise included, so a
  win has probability ``Phi((m - s) / sqrt(se_m^2 + se_s^2))``.

Every draw is ranked exactly as the boards are; :mod:`.summary` turns the
draws into a tidy frame per board (rank interval, conservative rank,
``P(first)``, ``P(level >= k)``, the interval of the score) and a dict of
board facts (who ties with #1, how many adjacent pairs are
distinguishable); :mod:`.findings` builds the sentences. Every output says
which sources were used, the seed and the number of draws, and whether the
noise was measured or assumed.

>>> from glscore import load_paper                                  # doctest: +SKIP
>>> u = board_uncertainty(load_paper(), scopes=("A",), draws=1000)  # doctest: +SKIP
>>> u.frames[0][["name", "rank", "rank_lo", "rank_hi", "p_first"]]  # doctest: +SKIP
>>> u.facts[0]["tied_with_first"]                                   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from glscore.analysis._passes import as_pass
from glscore.analysis.leaderboard import DEFAULT_MIN_COVERAGE, BoardTable, scope_tables
from glscore.analysis.scopes import SCOPES, check_scope, find_board
from glscore.analysis.uncertainty.engine import (
    MAX_DRAWS,
    MAX_STORED,
    SOURCES,
    UNITS,
    BoardDraws,
    Progress,
    Settings,
    Simulation,
    check_size,
    simulate,
)
from glscore.analysis.uncertainty.measurement import Noise, noise_for, win_probability
from glscore.analysis.uncertainty.summary import (
    FRAME_COLUMNS,
    board_columns,
    board_facts,
    board_frame,
    pairwise,
)
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import Scoring
from glscore.core.synergy import Rule
from glscore.errors import InputError

__all__ = [
    "FRAME_COLUMNS", "MAX_DRAWS", "MAX_STORED", "SOURCES", "UNITS", "BoardDraws", "Noise",
    "Settings", "Simulation", "Uncertainty", "board_columns", "board_facts", "board_frame",
    "board_uncertainty", "noise_for", "pairwise", "simulate", "uncertainty_of",
    "win_probability",
]


@dataclass(frozen=True)
class Uncertainty:
    """The uncertainty of some boards: one tidy frame and one facts dict per
    board (same order as ``simulation.boards``)."""

    simulation: Simulation
    frames: tuple[pd.DataFrame, ...]
    facts: tuple[dict, ...]

    @property
    def settings(self) -> Settings:
        return self.simulation.settings

    def frame(self) -> pd.DataFrame:
        """Every board's frame in one long table (``scope``, ``board`` first)."""
        return pd.concat(self.frames, ignore_index=True)

    def scope(self, scope: str) -> tuple[list[pd.DataFrame], list[dict]]:
        """The frames and the facts of the boards of one scope."""
        keep = [k for k, f in enumerate(self.facts) if f["scope"] == check_scope(scope)]
        return [self.frames[k] for k in keep], [self.facts[k] for k in keep]

    def facts_frame(self, scope: str | None = None) -> pd.DataFrame:
        """The board facts (of one ``scope``, default all) as a table (lists
        joined with ``; ``, the measurement facts flattened into ``noise``,
        ``scale``, ``measured_cells``, ...)."""
        facts = self.facts if scope is None else self.scope(scope)[1]
        rows = []
        for f in facts:
            row = {k: v for k, v in f.items() if k not in ("measurement", "sources")}
            row["sources"] = "+".join(f["sources"])
            for key in ("noise", "scale", "measured_cells", "cells", "measured_sota",
                        "sota_tasks"):
                row[key] = (f["measurement"] or {}).get(key)
            for key in ("tied_with_first", "tied_with_first_models", "conservative_first"):
                row[key] = "; ".join(f[key])
            row["n_tied_with_first"] = len(f["tied_with_first"])
            rows.append(row)
        return pd.DataFrame(rows)

    def index(self, board: str) -> int:
        names = [b.board.name for b in self.simulation.boards]
        if board not in names:
            raise InputError(f"no board '{board}' in this result; have {names[:8]}")
        return names.index(board)

    def board(self, board: str) -> tuple[pd.DataFrame, dict]:
        """The frame and the facts of one board (by name)."""
        k = self.index(board)
        return self.frames[k], self.facts[k]

    def pairwise(self, board: str, top: int = 10) -> pd.DataFrame:
        """``P(row ranks above column)`` for the first ``top`` models of a board."""
        return pairwise(self.simulation.boards[self.index(board)], top)


def uncertainty_of(ctx: Scoring, tables: Sequence[BoardTable], settings: Settings,
                   se: np.ndarray | None = None, sota_se: np.ndarray | None = None,
                   scale: float | None = None, rows: Sequence[int] | None = None,
                   progress: Progress | None = None) -> Uncertainty:
    """Simulate ``tables`` (boards of ``ctx``) and summarise every board.

    ``se`` (models x tasks) and ``sota_se`` (tasks) are standard errors in
    the raw units of the values (NaN = not measured; the noise model fills
    in); ``scale`` overrides the noise model's ``c``.
    """
    check_size(tables, settings.draws)
    noise = noise_for(ctx, se, sota_se, scale) if settings.measurement else None
    sim = simulate(ctx, tables, settings, noise, rows, progress)
    columns = [board_columns(b, settings.level) for b in sim.boards]
    frames = tuple(pd.DataFrame(c, columns=list(FRAME_COLUMNS)) for c in columns)
    facts = tuple(board_facts(c, b, sim) for c, b in zip(columns, sim.boards, strict=True))
    return Uncertainty(sim, frames, facts)


def board_uncertainty(source: Benchmark | Scoring, scopes: Sequence[str] = SCOPES,
                      boards: Sequence[str] | None = None, *, draws: int = 1000,
                      seed: int = 0, unit: str = "skill", sources: Sequence[str] = SOURCES,
                      level: float = 0.95, se: np.ndarray | None = None,
                      sota_se: np.ndarray | None = None, scale: float | None = None,
                      combined: Sequence[Sequence[str]] | None = None,
                      profile: str | Profile | None = None, rule: str | Rule | None = None,
                      rule_params: Mapping[str, float] | None = None,
                      progress: Progress | None = None,
                      min_coverage: float = DEFAULT_MIN_COVERAGE) -> Uncertainty:
    """The uncertainty of every board of ``scopes`` (or of the named ``boards``)
    from one scoring pass (a benchmark is scored once under ``profile``/``rule``),
    ranking the rows each board ranks (``min_coverage``, the boards' policy)."""
    settings = Settings(int(draws), int(seed), unit, tuple(sources), float(level))
    ctx = as_pass(source, profile, rule, rule_params)
    tables: list[BoardTable] = []
    for scope in scopes:
        tables += scope_tables(ctx, check_scope(scope), combined=combined,
                               min_coverage=min_coverage)
    if boards is not None:
        chosen = {find_board([t.board for t in tables], name).name for name in boards}
        tables = [t for t in tables if t.board.name in chosen]
    return uncertainty_of(ctx, tables, settings, se, sota_se, scale, progress=progress)
