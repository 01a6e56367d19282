"""Data-quality checks: copied runs and shared values, by hand and on a known copy."""

import numpy as np
import pandas as pd
import pytest

from glscore import paths
from glscore.core.benchmark import Benchmark
from glscore.errors import InputError
from glscore.io.loaders import load_paper
from glscore.io.quality import RUN_COLUMNS, copied_runs, shared_values

NAN = np.nan


def _tasks(sheet_sizes):
    rows = []
    for sheet, n in sheet_sizes:
        for r in range(1, n + 1):
            rows.append({"task_id": f"{sheet[:2]}{r}", "modality": "Image",
                         "paradigm": "comprehension", "sheet": sheet, "sheet_row": r,
                         "task_name": "t", "task_short_name": "t", "metric": "ACC",
                         "direction": "higher", "sota": 50.0})
    return pd.DataFrame(rows)


def _tiny():
    # sheet S1: 5 tasks, sheet S2: 2 tasks
    tasks = _tasks([("S1", 5), ("S2", 2)])
    values = np.array([
        #  S1: t1   t2   t3   t4   t5  | S2: t1  t2
        [1.0, 2.0, NAN, 3.0, 4.0, 5.0, 6.0],   # a
        [1.0, 2.0, NAN, 3.0, 9.0, 5.0, 6.0],   # b: a's values, except S1 t5
        [1.0, NAN, NAN, 3.0, 4.0, 7.0, 6.0],   # c: misses S1 t2 where a has 2
    ])
    return Benchmark(tasks, ("a", "b", "c"), values, source="tiny")


def test_copied_runs_by_hand():
    runs = copied_runs(_tiny(), min_run=2)
    assert list(runs.columns) == list(RUN_COLUMNS)
    got = {(r.model_a, r.model_b, r.sheet): (r.first_task, r.last_task, r.length, r.span)
           for r in runs.itertuples()}
    # a/b in S1: t1, t2 equal, t3 missing in both (neutral), t4 equal, t5 differs (4 vs 9)
    #   -> one run t1..t4, length 3 (equal tasks), span 4
    # a/b in S2: t1, t2 equal -> length 2
    # a/c in S1: t1 equal, t2 break (2 vs missing), t3 neutral, t4, t5 equal -> run t3..t5,
    #   length 2, first/last equal tasks t4..t5, span 2
    # b/c in S1: t1 equal | t2 break | t3 neutral, t4 equal, t5 break (9 vs 4) -> length 1
    # a/c, b/c in S2: t1 differs (5 vs 7), t2 equal -> length 1
    assert got == {
        ("a", "b", "S1"): ("S11", "S14", 3, 4),
        ("a", "b", "S2"): ("S21", "S22", 2, 2),
        ("a", "c", "S1"): ("S14", "S15", 2, 2),
    }
    ab = runs[(runs["model_a"] == "a") & (runs["sheet"] == "S1") & (runs["model_b"] == "b")]
    row = ab.iloc[0]
    # a supports 4 tasks of S1 (t3 missing): covers_a = 3/4; values 1, 2, 3 distinct
    assert row["supported_a"] == 4 and row["covers_a"] == pytest.approx(3 / 4)
    assert row["both_missing"] == 1 and row["distinct"] == 3
    # longest first
    assert runs["length"].tolist() == [3, 2, 2]
    assert copied_runs(_tiny(), min_run=4).empty


def test_copied_runs_distinct_counts_floor_values():
    tasks = _tasks([("S1", 4)])
    values = np.array([[25.0, 25.0, 25.0, 10.0], [25.0, 25.0, 25.0, 10.0]])
    runs = copied_runs(Benchmark(tasks, ("x", "y"), values, source="tiny"), min_run=4)
    # four equal values, only two different ones (25 three times, 10 once)
    assert runs["length"].tolist() == [4] and runs["distinct"].tolist() == [2]


def test_copied_runs_rejects_bad_min_run():
    with pytest.raises(InputError, match="min_run must be >= 1"):
        copied_runs(_tiny(), min_run=0)


def _both_internvl2_26b_rows() -> Benchmark:
    """InternVL-2.5-26B and the two printed Video rows of InternVL-2-26B, whichever
    of them the curation made primary (the other is in scores_alternates.csv), on the
    tasks printed twice."""
    bench = load_paper()
    alt = pd.read_csv(paths.DATA_DIR / "scores_alternates.csv", keep_default_na=False,
                      na_values=[""])
    alt = alt[alt["model_id"] == "internvl-2-26b"]
    primary = bench.values[bench.models.index("internvl-2-26b")].copy()
    other = primary.copy()
    other[pd.Index(bench.tasks["task_id"]).get_indexer(alt["task_id"])] = alt["value"]
    twice = bench.tasks["task_id"].isin(alt["task_id"]).to_numpy()
    values = np.stack([bench.values[bench.models.index("internvl-2.5-26b")], primary, other])
    three = Benchmark(bench.tasks, ("internvl-2.5-26b", "row-primary", "row-alternate"), values)
    return three.select_tasks(twice)


def test_known_copy_internvl2_26b_tables_72_74():
    runs = copied_runs(_both_internvl2_26b_rows(), min_run=8)
    # Tables 72-74 print 3 x 8 = 24 Video-Comprehension tasks (VC-027..VC-050) twice for
    # InternVL-2-26B; one of the two rows equals InternVL-2.5-26B's on all 24, of which
    # 5 are printed 0.00 (not supported) in both: 24 - 5 = 19 equal values, span 24.
    copies = runs[runs["model_a"] == "internvl-2.5-26b"]
    assert len(copies) == 1
    row = copies.iloc[0]
    assert (row["first_task"], row["last_task"], row["length"], row["span"]) == (
        "VC-027", "VC-050", 19, 24)
    # the two printed rows of InternVL-2-26B share no run of 8
    assert runs[runs["model_a"] == "row-primary"].empty


def test_shared_values_by_hand():
    tasks = _tasks([("S1", 2)])
    values = np.array([[25.0, 1.0], [25.0, 2.0], [25.0, NAN], [40.0, 3.0]])
    shared = shared_values(Benchmark(tasks, ("a", "b", "c", "d"), values, source="t"),
                           min_models=3)
    # task 1: 25 printed by a, b, c (3 of 4 supporting models); task 2: all different
    assert shared[["task_id", "value", "n_models", "n_supported", "models"]].to_dict(
        "records") == [{"task_id": "S11", "value": 25.0, "n_models": 3, "n_supported": 4,
                        "models": "a, b, c"}]
    assert shared["share"].tolist() == [pytest.approx(3 / 4)]
    with pytest.raises(InputError, match="min_models must be >= 2"):
        shared_values(Benchmark(tasks, ("a", "b", "c", "d"), values), min_models=1)


def test_shared_values_on_paper_data_are_floor_or_copied():
    shared = shared_values(load_paper(), min_models=15)
    # VC-011 prints 100.00 for most of its supporting models: a ceiling value
    # (counted here from data/scores.csv, not by the code under test)
    cells = pd.read_csv(paths.DATA_DIR / "scores.csv")
    cells = cells[(cells["task_id"] == "VC-011") & cells["value"].notna()]
    row = shared[shared["task_id"] == "VC-011"].iloc[0]
    assert row["value"] == 100.0 and row["n_supported"] == len(cells)
    assert row["n_models"] == int((cells["value"] == 100.0).sum()) >= 15
    assert shared["n_models"].is_monotonic_decreasing


def _runs_by_loop(values, sheets, min_run):
    """Oracle: walk every pair and every sheet task by task."""
    found = set()
    n = len(values)
    for a in range(n):
        for b in range(a + 1, n):
            for sheet in dict.fromkeys(sheets):
                cols = [j for j, s in enumerate(sheets) if s == sheet]
                equal = []
                for j in cols + [None]:
                    if j is not None:
                        x, y = values[a][j], values[b][j]
                        if np.isnan(x) and np.isnan(y):
                            continue
                        if x == y:
                            equal.append(j)
                            continue
                    if len(equal) >= min_run:
                        found.add((a, b, equal[0], equal[-1], len(equal)))
                    equal = []
    return found


def test_copied_runs_matches_a_loop_oracle():
    rng = np.random.default_rng(7)
    sheets = ["S1"] * 7 + ["S2"] * 5
    tasks = pd.DataFrame({"task_id": [f"T{j}" for j in range(12)], "modality": "Image",
                          "paradigm": "comprehension", "sheet": sheets,
                          "sheet_row": range(12), "task_name": "t", "task_short_name": "t",
                          "metric": "ACC", "direction": "higher", "sota": 50.0})
    for _ in range(30):
        # few distinct values and many NaNs, so that runs of all kinds occur
        values = rng.choice([1.0, 2.0, np.nan], size=(6, 12), p=[0.45, 0.35, 0.2])
        models = tuple(f"m{i}" for i in range(6))
        runs = copied_runs(Benchmark(tasks, models, values, source="random"), min_run=2)
        index = {t: j for j, t in enumerate(tasks["task_id"])}
        got = {(models.index(r.model_a), models.index(r.model_b), index[r.first_task],
                index[r.last_task], r.length) for r in runs.itertuples()}
        assert got == _runs_by_loop(values, sheets, 2)
