"""What changed between two scored results, and which tasks caused it.

Inputs are two :class:`~glscore.io.snapshot.Snapshot` s (score JSON, board
JSON, or a report folder). A (board, model) row *changes* when its level or
rank differs, or when it is listed on one side only (``added`` / ``removed``).
Score records carry no rank: they are ranked as Scope-A ranks
(:func:`glscore.analysis.leaderboard.rank_keys` /
:func:`~glscore.analysis.leaderboard.rank_order` on Level-2..5; models with no
supported task are not listed).

The *causes* of a change are traced as far as the inputs allow:

* two runs (report folders): the tasks of that board (the boards of
  :func:`glscore.analysis.scopes.boards` over the run's tasks table) where the
  model's value, its win or its support differs: ``won`` / ``lost`` (the win
  flips), ``added`` / ``dropped`` (a value on one side only), ``value`` (the
  raw value moved, the win did not);
* two score JSONs: the modalities (and NLP) whose Level-2..4, ``S_L``, wins or
  supported tasks differ;
* otherwise (boards): the row's own counts (wins, supported tasks) when they differ.

:func:`diff` returns a :class:`Diff`; :meth:`Diff.summary` is the sentence,
:meth:`Diff.records` the JSON-ready list, :meth:`Diff.text` the plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from glscore.analysis.leaderboard import rank_keys, rank_order
from glscore.analysis.scopes import SCOPES, boards
from glscore.io.snapshot import Snapshot

#: Columns of :attr:`Diff.changes`.
CHANGE_COLUMNS: tuple[str, ...] = ("scope", "board", "model", "name", "change", "rank_a",
                                   "rank_b", "level_a", "level_b", "score_a", "score_b")
#: Columns of :attr:`Diff.causes`.
CAUSE_COLUMNS: tuple[str, ...] = ("scope", "board", "model", "task_id", "modality", "what",
                                  "before", "after")
#: Numbers closer than this (relative, and absolute near 0) are the same number.
RTOL = 1e-9
#: Causes listed per change in text before "and k more".
TEXT_CAUSES = 8


@dataclass(frozen=True)
class Diff:
    """The changed rows (:data:`CHANGE_COLUMNS`; ``change`` is ``level``,
    ``rank``, ``added`` or ``removed``) and their causes (:data:`CAUSE_COLUMNS`),
    between ``a`` and ``b`` (labels), and how the causes were traced (``traced``:
    ``tasks``, ``modalities`` or ``counts``)."""

    a: str
    b: str
    changes: pd.DataFrame
    causes: pd.DataFrame
    traced: str
    boards_compared: int

    def summary(self) -> str:
        """One sentence: how many models change level or rank, on how many boards."""
        c = self.changes
        level = c[c["change"] == "level"]
        rank = c[c["change"] == "rank"]
        moved = c[c["change"].isin(["added", "removed"])]
        if c.empty:
            return (f"No change between {self.a} and {self.b}: every level and rank on the "
                    f"{self.boards_compared} boards compared is the same.")
        how = {"tasks": "tasks whose value, win or support differs",
               "modalities": "modalities whose levels, wins or support differ",
               "counts": "the rows' own win and support counts"}[self.traced]
        n_level, n_rank = level["model"].nunique(), rank["model"].nunique()
        return (f"From {self.a} to {self.b}, over {_count(self.boards_compared, 'board')}: "
                f"{_count(n_level, 'model')} {'changes' if n_level == 1 else 'change'} level "
                f"({_count(len(level), 'board row')}), {n_rank} "
                f"{'changes' if n_rank == 1 else 'change'} rank only "
                f"({_count(len(rank), 'row')}), and {_count(len(moved), 'row')} "
                f"{'is' if len(moved) == 1 else 'are'} listed on one side only; causes traced "
                f"to {how}.")

    def records(self) -> list[dict]:
        """One JSON-ready object per change, with its ``causes``."""
        grouped: dict[tuple, list[dict]] = {}
        for x in self.causes.to_dict("records"):
            grouped.setdefault((x["scope"], x["board"], x["model"]), []).append(
                {k: _plain(v) for k, v in x.items() if k not in KEYS})
        out = []
        for r in self.changes.to_dict("records"):
            item = {k: _plain(v) for k, v in r.items()}
            item["causes"] = grouped.get((r["scope"], r["board"], r["model"]), [])
            out.append(item)
        return out

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "boards_compared": self.boards_compared,
                "traced": self.traced, "summary": self.summary(), "changes": self.records()}

    def text(self) -> str:
        """The summary, then one line per change with its first causes."""
        lines = [self.summary()]
        for item in self.records():
            lines.append(f"Scope-{item['scope']} '{item['board']}': {item['name']}: "
                         + change_phrase(item) + cause_phrase(item["causes"]))
        return "\n".join(lines)


def _count(n: int, word: str) -> str:
    """``1 board``, ``2 boards``."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def _plain(value: object) -> object:
    """numpy scalars as Python, NaN as ``None``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _level(value: object) -> str:
    return "-" if value is None else f"Level-{int(value)}"  # type: ignore[call-overload]


def _rank(value: object) -> str:
    return "-" if value is None else f"#{int(value)}"  # type: ignore[call-overload]


def change_phrase(item: dict) -> str:
    """``rank #3 -> #1, Level-3 -> Level-4 (score 2.10 -> 1.05)`` (or listed/not listed)."""
    if item["change"] == "added":
        return f"now listed at {_rank(item['rank_b'])}, {_level(item['level_b'])}"
    if item["change"] == "removed":
        return f"no longer listed (was {_rank(item['rank_a'])}, {_level(item['level_a'])})"
    score = ""
    if item["score_a"] is not None and item["score_b"] is not None:
        score = f" (score {item['score_a']:.2f} -> {item['score_b']:.2f})"
    return (f"rank {_rank(item['rank_a'])} -> {_rank(item['rank_b'])}, "
            f"{_level(item['level_a'])} -> {_level(item['level_b'])}{score}")


def cause_phrase(causes: list[dict], limit: int = TEXT_CAUSES) -> str:
    """``; causes: IC-001 won, ...`` (the first ``limit``), or nothing."""
    if not causes:
        return ""
    words = []
    for c in causes[:limit]:
        where = c["task_id"] or c["modality"] or ""
        what = f"{where} {c['what']}".strip()
        if c["what"] in ("value", "level2", "level3", "level4", "s_l", "wins", "supported"):
            before, after = _pair(c["before"], c["after"])
            words.append(f"{what} {before} -> {after}")
        else:
            words.append(what)
    more = f" and {len(causes) - limit} more" if len(causes) > limit else ""
    return "; causes: " + ", ".join(words) + more


def _pair(before: object, after: object) -> tuple[str, str]:
    """Two numbers with 4 significant digits, or as many as tell them apart (up to 12).

    >>> _pair(4.587413970310653, 4.587413670620609)
    ('4.587414', '4.5874137')
    """
    for digits in range(4, 13):
        a, b = (("-" if v is None else f"{v:.{digits}g}" if isinstance(v, float) else str(v))
                for v in (before, after))
        if a != b:
            return a, b
    return a, b


def same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Equal, or within :data:`RTOL` of each other (the same number reached by
    another order of floating-point operations)."""
    x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
    return np.isclose(x, y, rtol=RTOL, atol=RTOL)


# ------------------------------------------------------------------ ranking
def ranked(snapshot: Snapshot) -> pd.DataFrame:
    """The snapshot's rows with ``rank`` and ``score`` filled: as they are for
    boards; for score records, ranked as Scope-A is (models supporting no
    task left off)."""
    rows = snapshot.rows.copy()
    if snapshot.kind != "scores":
        return rows
    rows = rows[rows["supported"] > 0].reset_index(drop=True)
    stacked = rows[["level2", "level3", "level4", "level5"]].to_numpy(dtype=float)
    reached, at, below = rank_keys(stacked)
    order = rank_order(reached, at, below, rows["name"].to_numpy(dtype=str))
    rank = np.empty(len(rows))
    rank[order] = np.arange(1, len(rows) + 1)
    rows["rank"] = rank
    rows["score"] = at
    return rows


# ------------------------------------------------------------------ diff
KEYS = ["scope", "board", "model"]


def diff(a: Snapshot, b: Snapshot) -> Diff:
    """The changes from ``a`` to ``b`` and their causes (module docstring)."""
    left, right = ranked(a), ranked(b)
    both_boards = set(a.boards) & set(b.boards)
    left = left[[k in both_boards for k in zip(left["scope"], left["board"], strict=True)]]
    right = right[[k in both_boards for k in zip(right["scope"], right["board"], strict=True)]]
    merged = left.merge(right, on=KEYS, how="outer", suffixes=("_a", "_b"), indicator=True)
    merged["name"] = merged["name_b"].fillna(merged["name_a"])
    level_moved = merged["level_a"] != merged["level_b"]
    rank_moved = merged["rank_a"] != merged["rank_b"]
    merged["change"] = np.select(
        [merged["_merge"] == "right_only", merged["_merge"] == "left_only", level_moved,
         rank_moved], ["added", "removed", "level", "rank"], default="")
    changes = merged[merged["change"] != ""]
    order = {s: k for k, s in enumerate(SCOPES)}
    changes = (changes.assign(_s=changes["scope"].map(order).fillna(len(SCOPES)),
                              _r=changes["rank_b"].fillna(changes["rank_a"]))
               .sort_values(["_s", "board", "_r", "model"], kind="stable")
               [list(CHANGE_COLUMNS)].reset_index(drop=True))
    causes, traced = _causes(a, b, left, right, changes)
    return Diff(a.label, b.label, changes, causes, traced, len(both_boards))


def _causes(a: Snapshot, b: Snapshot, left: pd.DataFrame, right: pd.DataFrame,
            changes: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if a.cells is not None and b.cells is not None and b.tasks is not None:
        return _task_causes(a.cells, b.cells, b.tasks, changes), "tasks"
    if a.modalities is not None and b.modalities is not None:
        return _modality_causes(a.modalities, b.modalities, changes), "modalities"
    return _count_causes(left, right, changes), "counts"


def _task_causes(cells_a: pd.DataFrame, cells_b: pd.DataFrame, tasks: pd.DataFrame,
                 changes: pd.DataFrame) -> pd.DataFrame:
    cols = ["model", "task_id", "value", "win"]
    m = cells_a[cols].merge(cells_b[cols], on=["model", "task_id"], how="outer",
                            suffixes=("_a", "_b"), indicator=True)
    win_a = m["win_a"].fillna(False).astype(bool)
    win_b = m["win_b"].fillna(False).astype(bool)
    what = np.select([m["_merge"] == "right_only", m["_merge"] == "left_only",
                      win_b & ~win_a, win_a & ~win_b, ~same(m["value_a"], m["value_b"])],
                     ["added", "dropped", "won", "lost", "value"], default="")
    m = m.assign(what=what)[what != ""]
    modality = tasks.set_index("task_id")["modality"]
    m = m.assign(modality=m["task_id"].map(modality), before=m["value_a"], after=m["value_b"])
    keys = changes[["scope", "board", "model"]].drop_duplicates()
    joined = keys.merge(m, on="model")  # every changed row x its model's changed tasks
    members = _board_tasks(tasks)
    member = pd.DataFrame([(sc, bd, t) for (sc, bd), ids in members.items() for t in sorted(ids)],
                          columns=["scope", "board", "task_id"])
    known = np.array([k in members for k in zip(joined["scope"], joined["board"], strict=True)],
                     dtype=bool)
    on_board = joined[known].merge(member, on=["scope", "board", "task_id"])
    frame = pd.concat([on_board, joined[~known]], ignore_index=True)  # unknown boards: all
    return frame.reindex(columns=list(CAUSE_COLUMNS)).reset_index(drop=True)


def _board_tasks(tasks: pd.DataFrame) -> dict[tuple[str, str], set[str]]:
    """(scope, board name) -> the task ids it counts, from the tasks table."""
    out = {}
    ids = tasks["task_id"].astype(str).to_numpy()
    for scope in SCOPES:
        if scope == "D" and "skill_group_id" not in tasks.columns:
            continue
        for board in boards(tasks, scope):
            out[(scope, board.name)] = set(ids[board.counted_mask])
    return out


def _modality_causes(mods_a: pd.DataFrame, mods_b: pd.DataFrame,
                     changes: pd.DataFrame) -> pd.DataFrame:
    m = mods_a.merge(mods_b, on=["model", "modality"], how="outer", suffixes=("_a", "_b"))
    parts = []
    for key in ("level2", "level3", "level4", "s_l", "wins", "supported"):
        a, b = m[f"{key}_a"], m[f"{key}_b"]
        moved = ~(same(a, b) | (a.isna() & b.isna()))
        parts.append(pd.DataFrame({"model": m.loc[moved, "model"],
                                   "modality": m.loc[moved, "modality"], "what": key,
                                   "before": a[moved], "after": b[moved]}))
    found = pd.concat(parts, ignore_index=True)
    keys = changes[["scope", "board", "model"]].drop_duplicates()
    frame = keys.merge(found, on="model").assign(task_id=None)
    return frame.reindex(columns=list(CAUSE_COLUMNS)).reset_index(drop=True)


def _count_causes(left: pd.DataFrame, right: pd.DataFrame,
                  changes: pd.DataFrame) -> pd.DataFrame:
    m = changes[KEYS].merge(left, on=KEYS, how="left").merge(right, on=KEYS, how="left",
                                                             suffixes=("_a", "_b"))
    parts = []
    for key in ("wins", "supported"):
        a, b = m[f"{key}_a"], m[f"{key}_b"]
        moved = (a != b) & a.notna() & b.notna()
        parts.append(pd.DataFrame({"scope": m.loc[moved, "scope"], "board": m.loc[moved, "board"],
                                   "model": m.loc[moved, "model"], "task_id": None,
                                   "modality": None, "what": key, "before": a[moved],
                                   "after": b[moved]}))
    return pd.concat(parts, ignore_index=True).reindex(columns=list(CAUSE_COLUMNS))
