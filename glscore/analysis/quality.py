"""Data-quality checks on a score matrix: copied rows and shared values.

Two patterns that a transcription or an evaluation pipeline leaves behind,
both found from the raw matrix alone (no SoTA, no normalisation):

* :func:`copied_runs` -- two models that print *the same value* on a run of
  consecutive tasks of one sheet (one row printed under another model's
  name, or two pipelines that returned one model's results twice);
* :func:`shared_values` -- one value printed by many models on one task
  (a floor value such as chance accuracy, a failure value, or a backbone's
  result copied into every model built on it).

Both return one row per finding and leave the judging to the caller: a run
made only of floor values (``distinct`` small) is weaker evidence of a copy
than a run of many different values.

>>> import numpy as np, pandas as pd
>>> tasks = pd.DataFrame({"task_id": ["T1", "T2", "T3"], "modality": "Image",
...     "paradigm": "comprehension", "sheet": "Image-Comprehension",
...     "sheet_row": [1, 2, 3], "task_name": "t", "task_short_name": "t",
...     "metric": "ACC", "direction": "higher", "sota": 50.0})
>>> bench = Benchmark(tasks, ("a", "b"), np.array([[1.0, np.nan, 3.0],
...                                                [1.0, np.nan, 3.0]]))
>>> copied_runs(bench, min_run=2)[["model_a", "model_b", "first_task", "last_task",
...                                "length", "span"]].to_dict("records")
[{'model_a': 'a', 'model_b': 'b', 'first_task': 'T1', 'last_task': 'T3', 'length': 2, 'span': 3}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from glscore.core.benchmark import Benchmark
from glscore.errors import InputError

#: Pairs of models compared at once (bounds memory: pairs x tasks of a sheet).
PAIR_CHUNK = 20_000

RUN_COLUMNS: tuple[str, ...] = (
    "model_a", "model_b", "sheet", "first_task", "last_task", "length", "span",
    "both_missing", "distinct", "supported_a", "supported_b", "covers_a", "covers_b",
)
SHARED_COLUMNS: tuple[str, ...] = (
    "task_id", "sheet", "value", "n_models", "n_supported", "share", "models",
)


def copied_runs(bench: Benchmark, min_run: int = 8) -> pd.DataFrame:
    """Runs of identical values shared by two models within one sheet.

    Tasks are taken in the order of ``bench.tasks`` within each sheet. For a
    pair of models (a, b) a task is

    * *equal*   -- both support it with the same value (``a_t == b_t``);
    * *neutral* -- neither supports it (both ``NaN``);
    * a *break* -- otherwise (one value missing, or two different values).

    A run is a maximal stretch of tasks without a break; its ``length`` is the
    number of equal tasks in it (neutral tasks do not count but do not end
    it). Every run with ``length >= min_run`` is returned, one row each:

    ``model_a``, ``model_b`` (a before b in ``bench.models``), ``sheet``,
    ``first_task``/``last_task`` (the first and last *equal* task),
    ``length``, ``span`` (tasks from first to last, neutral ones included),
    ``both_missing`` (``span - length``), ``distinct`` (distinct values in the
    run: 1 or 2 means a floor value rather than a copied row),
    ``supported_a``/``supported_b`` (tasks of the sheet each supports) and
    ``covers_a = length / supported_a``, ``covers_b`` (1.0: the whole row of
    that model in the sheet is the run).

    Sorted by ``length`` (longest first), then sheet order, model order.
    Cost: ``n (n - 1) / 2`` pairs x tasks, in chunks of :data:`PAIR_CHUNK` pairs
    (about 0.3 s for the paper's 102 models x 699 tasks).
    """
    if min_run < 1:
        raise InputError(f"copied_runs: min_run must be >= 1, got {min_run}")
    models = np.array(bench.models, dtype=object)
    task_ids = bench.tasks["task_id"].to_numpy(dtype=object)
    sheets = bench.tasks["sheet"].to_numpy(dtype=object)
    first_a, first_b = np.triu_indices(len(models), k=1)
    frames = []
    for sheet in pd.unique(sheets):
        cols = np.flatnonzero(sheets == sheet)
        sub = bench.values[:, cols]
        supported = np.isfinite(sub).sum(axis=1)
        for start in range(0, len(first_a), PAIR_CHUNK):
            ia, ib = first_a[start:start + PAIR_CHUNK], first_b[start:start + PAIR_CHUNK]
            runs = _runs(sub[ia], sub[ib], min_run)
            if runs is None:
                continue
            pair, t_first, t_last, length, distinct = runs
            a, b = ia[pair], ib[pair]
            span = t_last - t_first + 1
            frames.append(pd.DataFrame({
                "model_a": models[a], "model_b": models[b], "sheet": sheet,
                "first_task": task_ids[cols[t_first]], "last_task": task_ids[cols[t_last]],
                "length": length, "span": span, "both_missing": span - length,
                "distinct": distinct, "supported_a": supported[a], "supported_b": supported[b],
                "covers_a": length / supported[a], "covers_b": length / supported[b],
            }))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=_RUN_DTYPES.get(c, object)) for c in RUN_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    order = {s: k for k, s in enumerate(pd.unique(sheets))}
    rank = {m: k for k, m in enumerate(bench.models)}
    out = out.assign(_s=out["sheet"].map(order), _a=out["model_a"].map(rank),
                     _b=out["model_b"].map(rank))
    out = out.sort_values(["length", "_s", "_a", "_b", "first_task"],
                          ascending=[False, True, True, True, True], kind="stable")
    return out.drop(columns=["_s", "_a", "_b"]).reset_index(drop=True)[list(RUN_COLUMNS)]


_RUN_DTYPES = {"length": "int64", "span": "int64", "both_missing": "int64",
               "distinct": "int64", "supported_a": "int64", "supported_b": "int64",
               "covers_a": "float64", "covers_b": "float64"}


def _runs(a: np.ndarray, b: np.ndarray, min_run: int
          ) -> tuple[np.ndarray, ...] | None:
    """Runs of ``a == b`` (pairs x tasks), NaN in both neutral; see :func:`copied_runs`.

    Returns (pair, first, last, length, distinct) for runs of ``length >= min_run``.
    """
    equal = a == b
    breaks = ~(equal | (np.isnan(a) & np.isnan(b)))
    segment = np.cumsum(breaks, axis=1)
    pair, task = np.nonzero(equal)          # row-major: sorted by pair, then task
    if len(pair) == 0:
        return None
    key = pair * (a.shape[1] + 1) + segment[pair, task]   # non-decreasing
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    length = ends - starts
    keep = length >= min_run
    if not keep.any():
        return None
    starts, ends, length = starts[keep], ends[keep], length[keep]
    # distinct values per run: sort each run's values, count changes
    run_of = np.repeat(np.arange(len(starts)), length)
    offsets = np.r_[0, np.cumsum(length)[:-1]]
    members = np.repeat(starts - offsets, length) + np.arange(int(length.sum()))
    vals = a[pair[members], task[members]]
    order = np.lexsort((vals, run_of))
    v, r = vals[order], run_of[order]
    new = np.r_[True, (v[1:] != v[:-1]) | (r[1:] != r[:-1])]
    distinct = np.bincount(r[new], minlength=len(starts))
    return pair[starts], task[starts], task[ends - 1], length, distinct


def shared_values(bench: Benchmark, min_models: int = 5) -> pd.DataFrame:
    """Values printed by at least ``min_models`` models on one task.

    One row per (task, value) with ``n_models >= min_models``: ``task_id``,
    ``sheet``, ``value``, ``n_models`` (models printing exactly that value),
    ``n_supported`` (models supporting the task), ``share = n_models /
    n_supported`` and ``models`` (their ids, ``bench.models`` order, joined
    by ``", "``). Sorted by ``n_models`` (largest first), then task order,
    then value. Unsupported cells (``NaN``) are never a shared value.
    """
    if min_models < 2:
        raise InputError(f"shared_values: min_models must be >= 2, got {min_models}")
    rows, cols = np.nonzero(np.isfinite(bench.values))
    if len(rows) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SHARED_COLUMNS})
    cells = pd.DataFrame({"row": rows, "col": cols, "value": bench.values[rows, cols]})
    cells = cells.sort_values(["col", "value", "row"], kind="stable")
    groups = cells.groupby(["col", "value"], sort=False)
    size = groups["row"].transform("size")
    big = cells[size >= min_models]
    if big.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SHARED_COLUMNS})
    models = np.array(bench.models, dtype=object)
    found = big.groupby(["col", "value"], sort=True)["row"].agg(
        n_models="size", models=lambda r: ", ".join(models[np.sort(r.to_numpy())]))
    found = found.reset_index()
    n_supported = np.isfinite(bench.values).sum(axis=0)
    col = found["col"].to_numpy()
    out = pd.DataFrame({
        "task_id": bench.tasks["task_id"].to_numpy(dtype=object)[col],
        "sheet": bench.tasks["sheet"].to_numpy(dtype=object)[col],
        "value": found["value"].to_numpy(float),
        "n_models": found["n_models"].to_numpy(int),
        "n_supported": n_supported[col],
        "share": found["n_models"].to_numpy(int) / n_supported[col],
        "models": found["models"].to_numpy(dtype=object),
        "_col": col,
    })
    out = out.sort_values(["n_models", "_col", "value"], ascending=[False, True, True],
                          kind="stable")
    return out.drop(columns="_col").reset_index(drop=True)
