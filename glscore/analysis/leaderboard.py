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
``coverage`` = supported / tasks of the board (``Board.counted``, the same
tasks ``tasks`` counts; Scope-A: modality and NLP tasks) and ``low_coverage``
= ``coverage < LOW_COVERAGE`` (not for a row a hybrid view fills).

**Coverage policy.** A board ranks only the rows at or above a minimum
coverage of its own tasks (``min_coverage``, default
:data:`DEFAULT_MIN_COVERAGE` = 6%); the other rows are listed below the
ranked ones, in the same order, with ``rank`` empty (``<NA>``) and
``ranked`` false, never dropped (``BoardTable.listed_below`` counts them).
General-Level credits synergy wherever a model has results and ranks by the
level reached before the score, so a model run on a handful of tasks can sit
above models run on every task (a 40-task model reaching Level-5 on Scope-A
would rank first). Why 6%: on the paper data the coverage of the 102 models
on Scope-A has a gap between 2.3% (LISA-7B, 16 of 699 tasks; LM4LV has 8)
and 7.2% (MotionGPT-T5, 50 tasks), and the threshold sits in it, so the
default ranks every published model evaluated on 50 tasks or more and lists
the two below; a 40-task model (5.7%) is listed, not ranked. On the Scope-B
boards it lists the models with one or two tasks of a modality (the
MotionGPTs and AvatarGPT, 1 of 52 3D tasks) and, on the combined boards,
models that run almost none of a combined board's tasks. ``min_coverage=0``
ranks every row, as the framework does (the rows below :data:`LOW_COVERAGE`
stay flagged); notebook 01 shows the boards under 0, 6%, 10% and 20%.
Normalisation and credit are computed once for a scope; every board is a few
matrix operations on them.

Data states and flagged SoTAs (every row, every view):

* ``no_task_data`` -- the board's modalities where the paper prints a non-zero
  level for the model but Appendix B has no per-task rows
  (:mod:`glscore.analysis.datastates`): recomputed, they count as unsupported;
* ``flagged_wins`` -- wins on tasks whose SoTA the audit flags
  (:func:`glscore.analysis.audit.flagged_sota`: raw or percent units, a
  saturated mapped SoTA), included in ``wins``;
* ``proxy`` -- only when the input has proxy values (harness results mapped
  with ``provenance=proxy``, :meth:`Benchmark.proxy_cells`): how many of the
  row's values on the board's tasks are proxies.

Views (:data:`VIEWS`): ``recomputed`` (the default, per-task data only);
``hybrid`` (Scopes A and B: a modality without per-task data takes the
published Level-2/3/4 of Tables 12/14/16; the overall levels are the mean over
the modalities, Level-5 ``= Level-4 * S_L / 100``; models the paper prints but
Appendix B lacks entirely, Mini-Gemini, are added; ``filled_from_paper`` names
the filled modalities); ``complete-case`` (models with a ``no_task_data``
modality on the board are left out, counted in ``excluded``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from glscore.analysis import datastates
from glscore.analysis._passes import as_pass
from glscore.analysis.audit import flagged_sota
from glscore.analysis.scopes import Board, boards, check_scope
from glscore.core import levels, vocabulary
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import Scoring
from glscore.core.synergy import Rule
from glscore.errors import InputError

LEVEL_NAMES: tuple[str, ...] = ("level2", "level3", "level4", "level5")
#: Boards rank the rows covering at least this share of their tasks by
#: default; the others are listed below, unranked (module docstring: why 6%).
#: A row under it is also flagged ``low_coverage``, and stays flagged when
#: ``min_coverage=0`` ranks it (the one value is
#: :data:`glscore.core.vocabulary.LOW_COVERAGE`).
LOW_COVERAGE = vocabulary.LOW_COVERAGE
DEFAULT_MIN_COVERAGE = LOW_COVERAGE
#: How a board treats modalities without per-task data (module docstring).
VIEWS: tuple[str, ...] = ("recomputed", "hybrid", "complete-case")
#: The view's label in titles and sentences.
VIEW_LABELS: dict[str, str] = {
    "recomputed": "recomputed",
    "hybrid": "hybrid: modalities without per-task data filled from the published Tables "
              "12/14/16",
    "complete-case": "complete-case: models without per-task data in a board modality "
                     "left out",
}


@dataclass(frozen=True)
class BoardTable:
    """A ranked board: ``table`` (one row per listed model), ``left_off``
    (models supporting no task of it; ``left_off_no_task_data`` of them have a
    board modality the paper scores without per-task data), the ``view``,
    ``excluded`` (models a complete-case view leaves out), ``filled``
    (model-modality cells a hybrid view takes from the published tables) and
    the audit-``flagged_tasks`` of the board."""

    board: Board
    table: pd.DataFrame
    left_off: int
    view: str = "recomputed"
    excluded: int = 0
    filled: int = 0
    flagged_tasks: tuple[str, ...] = ()
    left_off_no_task_data: int = 0
    min_coverage: float = DEFAULT_MIN_COVERAGE

    @property
    def ranked_table(self) -> pd.DataFrame:
        """The ranked rows only (the coverage policy's; ``table`` lists the others below)."""
        return self.table[self.table["ranked"].to_numpy(dtype=bool)]

    @property
    def listed_below(self) -> int:
        """Rows listed below the ranked ones: coverage under ``min_coverage``."""
        return int((~self.table["ranked"].to_numpy(dtype=bool)).sum())

    @property
    def counted_tasks(self) -> int:
        """The tasks coverage counts: the board's, and on Scope-A the NLP tasks too."""
        return int(self.table["tasks"].iloc[0]) if len(self.table) else self.board.n_tasks

    def tasks_label(self) -> str:
        """``"52 tasks"``; on Scope-A ``"699 tasks: 584 modality, 115 NLP"`` (the
        denominator of ``coverage``, with the board's own modality tasks)."""
        counted, own = self.counted_tasks, self.board.n_tasks
        if counted == own:
            return f"{own} tasks"
        return f"{counted} tasks: {own} modality, {counted - own} NLP"

    def policy_label(self) -> str:
        """How the board ranks, one line: the key and the coverage policy."""
        rule = "ranked by level reached, then the score at that level"
        if self.min_coverage <= 0:
            return f"{rule}; every row ranked (no minimum coverage)"
        return (f"{rule}; rows covering under {self.min_coverage:.0%} of the board's "
                "tasks listed below, unranked")

    def summary(self) -> dict:
        """One line of facts: board, view, models ranked and listed below, best
        model, its level and score, ranked models with a ``no_task_data``
        modality and with flagged wins."""
        ranked = self.ranked_table
        top = ranked.iloc[0] if len(ranked) else None
        return {
            "scope": self.board.scope, "board": self.board.name, "view": self.view,
            "tasks": self.board.n_tasks, "counted_tasks": self.counted_tasks,
            "ranked": len(ranked), "listed_below": self.listed_below,
            "min_coverage": self.min_coverage, "left_off": self.left_off,
            "best": None if top is None else str(top["name"]),
            "level": None if top is None else int(top["level"]),
            "score": None if top is None else float(top["score"]),
            "no_task_data": int((ranked["no_task_data"] != "").sum()),
            "flagged_wins": int((ranked["flagged_wins"] > 0).sum()),
            "left_off_no_task_data": self.left_off_no_task_data,
            "excluded": self.excluded, "filled": self.filled,
        }

    def display(self) -> pd.DataFrame:
        """The table for reading: display names only (no ``model`` id), and
        without columns that are empty (all NaN) or all zero on this board."""
        return display_columns(self.table.drop(columns="model"))

    def sentence(self) -> str:
        """The summary as a sentence, qualified by the data states: how many
        ranked models lack per-task data in a board modality (or were filled or
        left out, by view), and whether the leader's wins include flagged tasks."""
        s = self.summary()
        view = "" if self.view == "recomputed" else f", {self.view}"
        head = (f"Scope-{s['scope']} '{s['board']}' ({self.tasks_label()}{view}): "
                f"{s['ranked']} models ranked")
        if self.listed_below:
            below = self.table[~self.table["ranked"].to_numpy(dtype=bool)]
            names = ", ".join(below["name"].astype(str).head(3))
            more = f" and {self.listed_below - 3} more" if self.listed_below > 3 else ""
            head += (f", {self.listed_below} listed below unranked (coverage under "
                     f"{self.min_coverage:.0%}: {names}{more})")
        if s["left_off"]:  # said only when some are: never "0 left off"
            head += f", {s['left_off']} supporting none of its tasks left off"
        if self.left_off_no_task_data:
            head += (f" ({self.left_off_no_task_data} of them with a published level here but "
                     "no per-task data)")
        if s["best"] is None:
            return f"{head}; no model supports a task."
        text = f"{head}; best {s['best']} at Level-{s['level']} ({s['score']:.2f})"
        top = self.ranked_table.iloc[0]
        if int(top["flagged_wins"]):
            text += (f", {int(top['flagged_wins'])} of its {int(top['wins'])} wins on tasks "
                     "whose SoTA the audit flags")
        if self.view == "hybrid":
            text += (f"; {self.filled} model-modality cells filled from the published "
                     f"tables ({s['no_task_data']} models)")
        elif self.view == "complete-case":
            text += f"; {self.excluded} models without per-task data in a board modality left out"
        elif s["no_task_data"]:
            text += (f"; {s['no_task_data']} ranked models have a board modality the paper "
                     "scores without per-task data (counted as unsupported; column "
                     "no_task_data)")
        return text + "."


def board_table(source: Benchmark | Scoring, board: Board, profile: str | Profile | None = None,
                rule: str | Rule | None = None,
                rule_params: Mapping[str, float] | None = None,
                view: str = "recomputed",
                min_coverage: float = DEFAULT_MIN_COVERAGE) -> BoardTable:
    """The ranked table of one board (see the module docstring), from a
    scoring pass (or a benchmark, scored under ``profile``/``rule``, default
    ``paper``); rows under ``min_coverage`` listed below, unranked."""
    ctx = as_pass(source, profile, rule, rule_params)
    return _table(ctx, board, _check_view(view, ctx, board.scope), _Extras.of(ctx),
                  check_min_coverage(min_coverage))


def scope_tables(source: Benchmark | Scoring, scope: str, profile: str | Profile | None = None,
                 rule: str | Rule | None = None, rule_params: Mapping[str, float] | None = None,
                 combined: Sequence[Sequence[str]] | None = None,
                 view: str = "recomputed",
                 min_coverage: float = DEFAULT_MIN_COVERAGE) -> list[BoardTable]:
    """Every board of ``scope`` from one scoring pass (or a benchmark, scored
    once under ``profile``/``rule``), in ``view`` (:data:`VIEWS`), ranking the
    rows at or above ``min_coverage`` of each board's tasks."""
    ctx = as_pass(source, profile, rule, rule_params)
    scope = check_scope(scope)
    view = _check_view(view, ctx, scope)
    minimum = check_min_coverage(min_coverage)
    board_list = boards(ctx.bench.tasks, scope, combined)
    extras = _Extras.of(ctx)
    return [_table(ctx, b, view, extras, minimum) for b in board_list]


def check_min_coverage(value: object, where: str = "min_coverage") -> float:
    """``value`` as a share in [0, 1] (an :class:`InputError` naming ``where`` otherwise).

    >>> check_min_coverage(0.06), check_min_coverage(0)
    (0.06, 0.0)
    """
    try:
        share = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{where} {value!r}: expected a share of the board's tasks from 0 "
                         "to 1 (e.g. 0.06)") from None
    if not 0.0 <= share <= 1.0:
        raise InputError(f"{where} {value!r}: expected a share of the board's tasks from 0 "
                         "to 1 (e.g. 0.06 for 6%)")
    return share


def ranked_rows(supported: np.ndarray, tasks: int, min_coverage: float) -> np.ndarray:
    """Which rows a board ranks: ``supported / tasks >= min_coverage`` and at
    least one supported task (the coverage policy; the one test every ranking
    uses: the boards, the rank uncertainty and the noise study).

    >>> ranked_rows(np.array([0, 8, 42, 50]), 699, 0.06).tolist()
    [False, False, True, True]
    """
    supported = np.asarray(supported)
    return (supported > 0) & (supported / max(int(tasks), 1) >= min_coverage)


def _check_view(view: str, ctx: Scoring, scope: str) -> str:
    if view not in VIEWS:
        raise InputError(f"unknown board view '{view}'; choose one of {list(VIEWS)}")
    if view == "hybrid" and scope not in ("A", "B"):
        raise InputError(f"the hybrid view fills whole modalities from the published Tables "
                         f"12/14/16, which have no per-paradigm or per-skill cells: Scope-{scope}"
                         " has no hybrid board (use Scope-A or B)")
    if view == "hybrid" and ctx.profile.aggregation == "pooled":
        raise InputError("the hybrid view fills per-modality levels: it needs the per_modality "
                         "aggregation, not pooled")
    return view


@dataclass(frozen=True)
class _Extras:
    """What every board of a pass shares: the no-per-task-data mask (models x
    the pass's modalities), the published per-modality levels, the models the
    paper prints without any Appendix B row, and the flagged SoTA tasks."""

    no_data: np.ndarray
    published: dict[str, np.ndarray]
    extra_models: tuple[str, ...]
    extra_no_data: np.ndarray
    flagged: np.ndarray
    flagged_ids: tuple[str, ...]

    @classmethod
    def of(cls, ctx: Scoring) -> _Extras:
        bench, mods = ctx.bench, ctx.modalities
        extra = tuple(datastates.published_only_models(bench))
        everyone = list(bench.models) + list(extra)
        cells = datastates.no_task_data(None)
        extra_no_data = np.zeros((len(extra), len(mods)), dtype=bool)
        for r, model in enumerate(extra):  # Mini-Gemini: one row
            extra_no_data[r] = np.isin(mods, cells.loc[cells["model"] == model, "modality"])
        flags = flagged_sota(ctx)
        ids = bench.tasks["task_id"].astype(str)
        return cls(datastates.no_task_data_mask(bench, mods),
                   datastates.published_modality_levels(everyone, mods), extra, extra_no_data,
                   ids.isin(list(flags)).to_numpy(), tuple(flags))


def _table(ctx: Scoring, board: Board, view: str = "recomputed",
           extras: _Extras | None = None,
           min_coverage: float = DEFAULT_MIN_COVERAGE) -> BoardTable:
    bench, s = ctx.bench, ctx.scores
    extras = _Extras.of(ctx) if extras is None else extras
    mask = np.asarray(board.mask, dtype=bool)
    cols = [k for k, m in enumerate(s.modalities) if m in board.modalities]
    counted = board.counted_mask
    won = ctx.wins()[:, counted]
    supported = ctx.supported()[:, counted].sum(axis=1)
    wins = won.sum(axis=1)
    flagged_wins = won[:, extras.flagged[counted]].sum(axis=1)
    proxy_cells = bench.proxy_cells()
    proxies = proxy_cells[:, counted].sum(axis=1) if proxy_cells.any() else None
    no_data = extras.no_data[:, cols]
    models, names = list(bench.models), list(bench.model_names)
    per = {name: getattr(s, f"{name}_m") for name in ("level2", "level3", "level4")}
    s_l = s.s_l
    filled = np.zeros_like(no_data)
    if view == "hybrid":
        n_extra = len(extras.extra_models)
        models += list(extras.extra_models)
        names += [datastates.display_name(m) for m in extras.extra_models]
        pad = np.zeros(n_extra)
        supported, wins, flagged_wins = (np.concatenate([a, pad]) for a in
                                         (supported, wins, flagged_wins))
        if proxies is not None:
            proxies = np.concatenate([proxies, pad])
        s_l = np.concatenate([s_l, pad])
        every = np.concatenate([extras.no_data, extras.extra_no_data])
        no_data = every[:, cols]
        filled = no_data
        per = {name: np.where(every, np.nan_to_num(extras.published[name]),
                              np.concatenate([a, np.zeros((n_extra, a.shape[1]))]))
               for name, a in per.items()}
    n_models = len(models)
    nan = np.full(n_models, np.nan)
    if board.scope == "A":
        n_mod = max(len(s.modalities), 1)
        lv = {name: a.sum(axis=1) / n_mod for name, a in per.items()}
        lv["level5"] = lv["level4"] * s_l / 100.0
        if view != "hybrid":   # the pass's own numbers, bit for bit
            lv = {"level2": s.level2, "level3": s.level3, "level4": s.level4,
                  "level5": s.level5}
    elif board.scope == "B":
        lv = {name: a[:, cols].sum(axis=1) / len(board.modalities) for name, a in per.items()}
    else:
        lv = {"level2": levels.group_mean(ctx.norm.scores, mask),
              "level3": levels.group_mean(ctx.credit, mask), "level4": nan}

    stacked = np.stack([lv[n] for n in LEVEL_NAMES[:board.cap - 1]], axis=-1)
    reached, at, below = rank_keys(stacked)

    board_mods = [s.modalities[k] for k in cols]
    columns: dict[str, object] = {
        "model": models, "name": names, "level": reached, "score": at,
        "level2": lv["level2"], "level3": lv["level3"],
        "level4": lv["level4"] if board.cap >= 4 else nan,
    }
    if board.scope == "A":
        columns["level5"] = lv["level5"]
    coverage = supported / max(int(counted.sum()), 1)
    columns |= {
        "supported": supported.astype(int), "tasks": int(counted.sum()),
        "wins": wins.astype(int), "flagged_wins": flagged_wins.astype(int),
        **({} if proxies is None else {"proxy": proxies.astype(int)}),
        # a row filled from the published tables rests on them, not on its tasks
        "coverage": coverage, "low_coverage": (coverage < LOW_COVERAGE) & ~filled.any(axis=1),
        "no_task_data": datastates.modality_labels(no_data, board_mods),
    }
    if view == "hybrid":
        columns["filled_from_paper"] = datastates.modality_labels(filled, board_mods)
    if board.scope == "A":
        for k, m in enumerate(s.modalities):
            for name in ("level2", "level3", "level4"):
                columns[f"{m}_{name}"] = per[name][:, k]
    ranked = ranked_rows(supported, int(counted.sum()), min_coverage) | filled.any(axis=1)
    columns["ranked"] = ranked
    frame = pd.DataFrame(columns)
    listed = supported > 0
    if view == "hybrid":
        listed |= filled.any(axis=1)
    keep = listed & ~no_data.any(axis=1) if view == "complete-case" else listed
    order = rank_order(reached, at, below, frame["name"].to_numpy(dtype=str))
    order = order[keep[order]]
    order = np.concatenate([order[ranked[order]], order[~ranked[order]]])  # ranked first
    table = frame.iloc[order].reset_index(drop=True)
    n_ranked = int(ranked[order].sum())
    rank = pd.array(np.arange(1, len(table) + 1), dtype="Int64")
    rank[n_ranked:] = pd.NA
    table.insert(0, "rank", rank)
    if view != "recomputed":
        table.insert(table.columns.get_loc("name") + 1, "view", view)
    flagged_ids = tuple(bench.tasks["task_id"].astype(str).to_numpy()[extras.flagged & counted])
    return BoardTable(board, table, int((~listed).sum()), view,
                      excluded=int((listed & ~keep).sum()), filled=int(filled.sum()),
                      flagged_tasks=flagged_ids,
                      left_off_no_task_data=int((~listed & no_data.any(axis=1)).sum()),
                      min_coverage=min_coverage)


def rank_keys(stacked: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three ranking keys of a board from its levels.

    ``stacked`` holds Level-2 .. Level-cap along the last axis (``..., models,
    cap - 1``; NaN read as 0); any leading axes (draws) are kept. Returns the
    level reached (the highest ``k <= cap`` with a non-zero Level-k, 1 if none),
    the score at that level and the score one level below (0 at Level-1 and 2).

    >>> reached, at, below = rank_keys(np.array([[5.0, 0.0], [5.0, 2.0]]))
    >>> reached.tolist(), at.tolist(), below.tolist()
    ([2, 3], [5.0, 2.0], [0.0, 5.0])
    """
    stacked = np.nan_to_num(np.asarray(stacked, dtype=float))
    zero = np.zeros(stacked.shape[:-1])
    columns = [stacked[..., j] for j in range(stacked.shape[-1])]
    columns += [zero] * (4 - len(columns))
    reached = levels.level_reached(*columns)
    at = levels.score_at_level(reached, *columns)
    below = levels.score_at_level(np.maximum(reached - 1, 1), *columns)
    return reached, at, below


def rank_order(reached: np.ndarray, at: np.ndarray, below: np.ndarray,
               tiebreak: np.ndarray) -> np.ndarray:
    """Row indices best first along the last axis: level reached (high first),
    the score at it, the score one level below, then ``tiebreak`` (the display
    name, or its rank) ascending. Leading axes (draws) rank independently.

    >>> rank_order(np.array([3, 4, 3]), np.array([1.0, 0.5, 2.0]), np.zeros(3),
    ...            np.array(["a", "b", "c"])).tolist()
    [1, 2, 0]
    """
    tiebreak = np.broadcast_to(tiebreak, np.shape(reached))
    return np.lexsort((tiebreak, -below, -at, -reached), axis=-1)


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
        top = t.ranked_table.head(2)
        row: dict = {"board": t.board.name, "tasks": t.board.n_tasks,
                     "ranked": len(t.ranked_table),
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


def top_frame(table: BoardTable, published: pd.DataFrame | None = None,
              top_n: int = 10) -> pd.DataFrame:
    """The first ``top_n`` ranked rows of a board with what a reader needs to
    read the rank: ``rank, model, name, level, score`` (the score at the level
    reached: the ranking key), ``supported, tasks, coverage`` and, from
    ``published`` (:func:`glscore.analysis.uncertainty.published.published_ranks`,
    rows of this board), ``published_rank`` and ``published_level`` (``<NA>``
    where the paper publishes none)."""
    head = table.ranked_table.head(top_n)
    frame = head[["rank", "model", "name", "level", "score", "supported", "tasks",
                  "coverage"]].reset_index(drop=True)
    if published is None:
        return frame.assign(published_rank=pd.array([pd.NA] * len(frame), dtype="Int64"),
                            published_level=pd.array([pd.NA] * len(frame), dtype="Int64"))
    mine = published[published["board"] == table.board.name].set_index("model")
    return frame.assign(
        published_rank=pd.array(mine["published_rank"].reindex(frame["model"]), dtype="Int64"),
        published_level=pd.array(mine["published_level"].reindex(frame["model"]),
                                 dtype="Int64"))


def absent_published(table: BoardTable, published: pd.DataFrame,
                     top_n: int = 10) -> pd.DataFrame:
    """The models the paper ranks in its top ``top_n`` on this board that the
    board does not list at all (no per-task data: Mini-Gemini on Scope-A)."""
    mine = published[(published["board"] == table.board.name)
                     & (published["published_rank"] <= top_n)]
    return mine[~mine["model"].isin(table.table["model"])].reset_index(drop=True)


def top_headline(table: BoardTable, top_n: int = 10) -> str:
    """The title of a board's top-``top_n`` chart: the leader, its level, score
    and coverage, and how many of the top reach each level.

    Built from the board only (recomputed numbers)."""
    head = table.ranked_table.head(top_n)
    if not len(head):
        return f"Scope-{table.board.scope} '{table.board.name}': no model ranked"
    first = head.iloc[0]
    counts = head["level"].value_counts().sort_index(ascending=False)
    levels = ", ".join(f"{int(n)} at Level-{int(k)}" for k, n in counts.items())
    where = "Scope-A" if table.board.scope == "A" else f"Scope-{table.board.scope} {table.board.name}"
    return (f"{where} top {len(head)} (recomputed): {levels}; {first['name']} leads at "
            f"Level-{int(first['level'])} ({first['score']:.2f}) on {int(first['supported'])} "
            f"of {int(first['tasks'])} tasks")


def ranking_note(table: BoardTable, absent: pd.DataFrame | None = None,
                 top_n: int = 10) -> str:
    """How a board is ranked, in words a caption can carry: the key (level, then
    the score at it, with an example from the board where a lower score ranks
    higher), the rows listed below by the coverage policy, and the published
    models absent from the board (``absent``, :func:`absent_published`)."""
    head = table.ranked_table.head(top_n)
    parts = ["Ranked by the level reached, then the score at that level"]
    flip = head[(head["level"].shift(-1) < head["level"])
                & (head["score"].shift(-1) > head["score"])]
    if len(flip):
        upper = flip.iloc[0]
        lower = head.loc[flip.index[0] + 1]
        parts[0] += (f" (so {upper['name']}, Level-{int(upper['level'])} {upper['score']:.2f}, "
                     f"ranks above {lower['name']}, Level-{int(lower['level'])} "
                     f"{lower['score']:.2f})")
    if table.listed_below:
        below = table.table[~table.table["ranked"].to_numpy(dtype=bool)]
        parts.append(f"{table.listed_below} models covering under {table.min_coverage:.0%} of "
                     f"the {table.counted_tasks} tasks are listed below the board, unranked "
                     f"({', '.join(below['name'].astype(str).head(4))}"
                     f"{' and more' if table.listed_below > 4 else ''})")
    for row in ([] if absent is None else absent.itertuples(index=False)):
        parts.append(f"not on the board: {row.published_name} (published #{row.published_rank}, "
                     f"Level-{row.published_level}, {row.published_score:.2f}), which has no "
                     "per-task data")
    return "; ".join(parts) + "."


#: The minimum coverages notebook 01 compares (0: the framework's ranking).
POLICY_ALTERNATIVES: tuple[float, ...] = (0.0, 0.05, DEFAULT_MIN_COVERAGE, 0.10, 0.20)


def coverage_policy_frame(source: Benchmark | Scoring, scopes: Sequence[str] = ("A", "B"),
                          thresholds: Sequence[float] = POLICY_ALTERNATIVES,
                          profile: str | Profile | None = None) -> pd.DataFrame:
    """The boards of ``scopes`` under each minimum coverage of ``thresholds``:
    one row per (threshold, board) with the rows ranked and listed below and
    the leader (name, level, score, coverage)."""
    ctx = as_pass(source, profile)
    rows = []
    for minimum in thresholds:
        for t in (t for scope in scopes for t in scope_tables(ctx, scope, min_coverage=minimum)):
            ranked = t.ranked_table
            top = ranked.iloc[0] if len(ranked) else None
            rows.append({
                "min_coverage": float(minimum), "scope": t.board.scope, "board": t.board.name,
                "ranked": len(ranked), "listed_below": t.listed_below,
                "leader": None if top is None else str(top["name"]),
                "level": None if top is None else int(top["level"]),
                "score": np.nan if top is None else float(top["score"]),
                "leader_coverage": np.nan if top is None else float(top["coverage"]),
            })
    frame = pd.DataFrame(rows)
    return frame.astype({"level": "Int64"}) if len(frame) else frame


def coverage_policy_finding(frame: pd.DataFrame, board: str = "full") -> str:
    """The coverage policy on one board (:func:`coverage_policy_frame`): what the
    default ranks and lists below, and what the board becomes at every other
    threshold (rows ranked, leader)."""
    mine = frame[frame["board"] == board].reset_index(drop=True)
    default = mine[np.isclose(mine["min_coverage"], DEFAULT_MIN_COVERAGE)]
    if not len(default):
        raise InputError(f"coverage_policy_finding: no row at the default {DEFAULT_MIN_COVERAGE}")
    d = default.iloc[0]
    name = "Scope-A" if board == "full" else f"board '{board}'"

    def leader(r: pd.Series) -> str:
        if r["leader"] is None or pd.isna(r["level"]):
            return "no model ranked"
        return (f"leader {r['leader']} (Level-{int(r['level'])}, {r['score']:.2f}, coverage "
                f"{r['leader_coverage']:.1%})")

    alternatives = "; ".join(
        f"{r['min_coverage']:.0%}: {int(r['ranked'])} ranked, {leader(r)}"
        for _, r in mine.iterrows() if not np.isclose(r["min_coverage"], DEFAULT_MIN_COVERAGE))
    return (f"On {name} the default minimum coverage ({DEFAULT_MIN_COVERAGE:.0%} of the board's "
            f"tasks) ranks {int(d['ranked'])} models and lists {int(d['listed_below'])} below "
            f"unranked, {leader(d)}. Under the alternatives -- {alternatives}.")
