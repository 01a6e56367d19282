"""Ranked General-Level leaderboards for the boards of :mod:`glscore.analysis.scopes`.

Scores per board (``m`` a modality, ``B`` the board's tasks):

* Scope-A: the profile's overall Level-2..5 of :func:`glscore.core.scoring.score`,
  with the per-modality Level-2/3/4 beside them;
* Scope-B, one modality: that modality's Level-2/3/4 (``Scores.level*_m``);
  combined board: the mean over its modalities of the per-modality values;
* Scope-C and D: Level-2 ``= sum_{t in B} score_t / |B|`` and Level-3
  ``= sum_{t in B} credit_t / |B|`` (unsupported = 0, credit from the
  synergy rule); one paradigm only, so no Level-4.

The level reached is the highest ``k <= cap`` with a non-zero Level-k (1 if
none). Ranking: level (high first), the score at that level, the next lower
level's score, then the model's display name (A-Z). Models that support no
task of a board are left off (``BoardTable.left_off``). Every row carries
``coverage`` = supported / tasks of the board (Scope-A: modality and NLP
tasks) and ``low_coverage`` = ``coverage < LOW_COVERAGE`` (5%): the rank
stays as the framework gives it, the flag says it rests on few tasks. Normalisation and
credit are computed once for a scope; every board is a few matrix
operations on them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from glscore.analysis._passes import as_pass
from glscore.analysis.scopes import Board, boards, check_scope
from glscore.core import levels
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import Scoring
from glscore.core.synergy import Rule

LEVEL_NAMES: tuple[str, ...] = ("level2", "level3", "level4", "level5")
#: A row rests on little coverage (``low_coverage``) when the model supports
#: fewer than this share of the board's tasks; it keeps the framework's rank.
LOW_COVERAGE = 0.05


@dataclass(frozen=True)
class BoardTable:
    """A ranked board: ``table`` (one row per listed model) and ``left_off``."""

    board: Board
    table: pd.DataFrame
    left_off: int

    def summary(self) -> dict:
        """One line of facts: board, models ranked, best model, its level and score."""
        top = self.table.iloc[0] if len(self.table) else None
        return {
            "scope": self.board.scope, "board": self.board.name, "tasks": self.board.n_tasks,
            "ranked": len(self.table), "left_off": self.left_off,
            "best": None if top is None else str(top["name"]),
            "level": None if top is None else int(top["level"]),
            "score": None if top is None else float(top["score"]),
        }

    def display(self) -> pd.DataFrame:
        """The table for reading: display names only (no ``model`` id), and
        without columns that are empty (all NaN) or all zero on this board."""
        return display_columns(self.table.drop(columns="model"))

    def sentence(self) -> str:
        """The summary as a sentence."""
        s = self.summary()
        head = f"Scope-{s['scope']} '{s['board']}' ({s['tasks']} tasks): {s['ranked']} models ranked"
        if s["best"] is None:
            return f"{head}, {s['left_off']} left off; no model supports a task."
        return (f"{head}, {s['left_off']} left off; best {s['best']} at Level-{s['level']} "
                f"({s['score']:.2f}).")


def board_table(source: Benchmark | Scoring, board: Board, profile: str | Profile | None = None,
                rule: str | Rule | None = None,
                rule_params: Mapping[str, float] | None = None) -> BoardTable:
    """The ranked table of one board (see the module docstring), from a
    scoring pass (or a benchmark, scored under ``profile``/``rule``, default
    ``paper``)."""
    return _table(as_pass(source, profile, rule, rule_params), board)


def scope_tables(source: Benchmark | Scoring, scope: str, profile: str | Profile | None = None,
                 rule: str | Rule | None = None, rule_params: Mapping[str, float] | None = None,
                 combined: Sequence[Sequence[str]] | None = None) -> list[BoardTable]:
    """Every board of ``scope`` from one scoring pass (or a benchmark, scored
    once under ``profile``/``rule``)."""
    ctx = as_pass(source, profile, rule, rule_params)
    board_list = boards(ctx.bench.tasks, check_scope(scope), combined)
    return [_table(ctx, b) for b in board_list]


def _table(ctx: Scoring, board: Board) -> BoardTable:
    bench, s = ctx.bench, ctx.scores
    mask = np.asarray(board.mask, dtype=bool)
    n_models = len(bench.models)
    nan = np.full(n_models, np.nan)
    cols = [k for k, m in enumerate(s.modalities) if m in board.modalities]
    if board.scope == "A":
        lv = {"level2": s.level2, "level3": s.level3, "level4": s.level4, "level5": s.level5}
    elif board.scope == "B":
        lv = {name: (getattr(s, f"{name}_m")[:, cols].sum(axis=1) / len(board.modalities))
              for name in ("level2", "level3", "level4")}
    else:
        lv = {"level2": levels.group_mean(ctx.norm.scores, mask),
              "level3": levels.group_mean(ctx.credit, mask), "level4": nan}
    counted = mask | ((bench.tasks["paradigm"] == "nlp").to_numpy() if board.scope == "A"
                      else False)
    supported = ctx.supported()[:, counted].sum(axis=1)
    wins = ctx.wins()[:, counted].sum(axis=1)

    stacked = np.stack([np.nan_to_num(lv[n]) for n in LEVEL_NAMES[:board.cap - 1]], axis=1)
    padded = np.pad(stacked, ((0, 0), (0, 5 - board.cap)))
    reached = levels.level_reached(*padded.T)
    at = levels.score_at_level(reached, *padded.T)
    below = levels.score_at_level(np.maximum(reached - 1, 1), *padded.T)

    frame = pd.DataFrame({
        "model": bench.models, "name": bench.model_names, "level": reached, "score": at,
        "level2": lv["level2"], "level3": lv["level3"],
        "level4": lv["level4"] if board.cap >= 4 else nan,
    })
    if board.scope == "A":
        frame["level5"] = lv["level5"]
    frame["supported"] = supported.astype(int)
    frame["tasks"] = int(counted.sum())
    frame["wins"] = wins.astype(int)
    frame["coverage"] = supported / max(int(counted.sum()), 1)
    frame["low_coverage"] = frame["coverage"] < LOW_COVERAGE
    if board.scope == "A":
        for k, m in enumerate(s.modalities):
            for name in ("level2", "level3", "level4"):
                frame[f"{m}_{name}"] = getattr(s, f"{name}_m")[:, k]
    keep = supported > 0
    order = np.lexsort((frame["name"].to_numpy(dtype=str), -below, -at, -reached))
    order = order[keep[order]]
    table = frame.iloc[order].reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return BoardTable(board, table, int((~keep).sum()))


def display_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without its all-NaN and all-zero numeric columns."""
    numeric = frame.select_dtypes("number")
    empty = [c for c in numeric.columns
             if numeric[c].isna().all() or (numeric[c].fillna(0) == 0).all()]
    return frame.drop(columns=empty)


def leaders_frame(tables: Sequence[BoardTable]) -> pd.DataFrame:
    """One row per board: the leader, its level and score, the runner-up and
    the margin.

    Columns: ``board, tasks, ranked, leader, level, score, runner_up,
    runner_up_level, margin``; ``margin`` is the leader's score minus the
    runner-up's score at the leader's level (``level{k}``), so it is the
    leader's whole score when the runner-up is a level below. Boards that
    rank fewer than two models have an empty runner-up and a NaN margin.
    """
    rows = []
    for t in tables:
        top = t.table.head(2)
        row: dict = {"board": t.board.name, "tasks": t.board.n_tasks, "ranked": len(t.table),
                     "leader": None, "level": None, "score": np.nan, "runner_up": None,
                     "runner_up_level": None, "margin": np.nan}
        if len(top):
            first = top.iloc[0]
            row.update(leader=str(first["name"]), level=int(first["level"]),
                       score=float(first["score"]))
        if len(top) > 1:
            second = top.iloc[1]
            at = f"level{int(first['level'])}"
            row.update(runner_up=str(second["name"]), runner_up_level=int(second["level"]),
                       margin=float(first["score"]) - float(np.nan_to_num(second[at])))
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.astype({"level": "Int64", "runner_up_level": "Int64"}) if len(frame) else frame


def summary_frame(tables: Sequence[BoardTable]) -> pd.DataFrame:
    """One row per board: models ranked, left off, best model, its level and score."""
    frame = pd.DataFrame([t.summary() for t in tables])
    return frame.astype({"level": "Int64"}) if len(frame) else frame


def long_frame(tables: Sequence[BoardTable]) -> pd.DataFrame:
    """All boards of a scope in one table, with a ``board`` column first."""
    parts = [t.table.assign(board=t.board.name) for t in tables]
    frame = pd.concat(parts, ignore_index=True)
    return frame[["board"] + [c for c in frame.columns if c != "board"]]
