"""The curation's rule for twice-printed rows: a row that copies another model's row
is not primary (``glscore.io.curate.split_primary``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from glscore.io import curate


def _tasks(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "task_id": [f"VC-{k:03d}" for k in range(1, n + 1)], "modality": "Video",
        "paradigm": "comprehension", "sheet": "Video-Comprehension",
        "sheet_row": range(1, n + 1), "task_name": "t", "task_short_name": "t",
        "metric": "ACC", "direction": "higher", "sota": 50.0})


def _records(rows: dict[tuple[str, int], list[float]], tasks: pd.DataFrame) -> pd.DataFrame:
    """Score records, one per (printed row, task), lines in print order."""
    out = []
    for (model, occurrence), values in rows.items():
        for tid, v in zip(tasks["task_id"], values, strict=True):
            out.append({"model_id": model, "task_id": tid, "occurrence": occurrence,
                        "value": v, "line": len(out) + 2})
    return pd.DataFrame(out)


Y = [10.0, 11.0, 12.0, 13.0, np.nan, 15.0, 16.0, 17.0, 18.0]   # 8 supported values
OWN = [20.0, 21.0, 22.0, 23.0, np.nan, 25.0, 26.0, 27.0, 28.0]


def test_copied_first_row_is_not_primary():
    tasks = _tasks(9)
    # x is printed twice; its first row is y's row (8 equal values, task 5 missing in both)
    records = _records({("y", 1): Y, ("x", 1): list(Y), ("x", 2): OWN}, tasks)
    copies = curate.copied_printed_rows(records, tasks)
    assert copies[["model_id", "occurrence", "copy_of", "first_task", "last_task",
                   "length"]].to_dict("records") == [
        {"model_id": "x", "occurrence": 1, "copy_of": "y", "first_task": "VC-001",
         "last_task": "VC-009", "length": 8}]
    primary, alternates = curate.split_primary(records, tasks)
    x = primary[primary["model_id"] == "x"]
    assert x["occurrence"].unique().tolist() == [2]
    assert x["value"].tolist()[:2] == [20.0, 21.0]
    assert alternates["occurrence"].unique().tolist() == [1]
    # without the tasks table (no copy check) the first printed row stays primary
    old, _ = curate.split_primary(records)
    assert old.loc[old["model_id"] == "x", "occurrence"].unique().tolist() == [1]


def test_no_copy_keeps_first_printed_row():
    tasks = _tasks(9)
    records = _records({("y", 1): Y, ("x", 1): OWN, ("x", 2): [v + 1 for v in OWN]}, tasks)
    assert curate.copied_printed_rows(records, tasks).empty
    primary, _ = curate.split_primary(records, tasks)
    assert primary.loc[primary["model_id"] == "x", "occurrence"].unique().tolist() == [1]


def test_short_or_partial_runs_are_not_copies():
    tasks = _tasks(9)
    # 7 equal values (< MIN_COPY_RUN = 8): no copy
    short = list(Y)
    short[0] = np.nan
    y_short = list(short)
    records = _records({("y", 1): y_short, ("x", 1): short, ("x", 2): OWN}, tasks)
    assert curate.MIN_COPY_RUN == 8
    assert curate.copied_printed_rows(records, tasks).empty
    # x prints 99 on task 5 where y prints nothing: the run breaks into 4 + 4 values
    partial = list(Y)
    partial[4] = 99.0
    records = _records({("y", 1): Y, ("x", 1): partial, ("x", 2): OWN}, tasks)
    assert curate.copied_printed_rows(records, tasks).empty


def test_same_model_rows_are_not_copies():
    tasks = _tasks(9)
    # x's two printed rows agree with each other (as AnyGPT's NLP rows do on 59 tasks)
    records = _records({("y", 1): OWN, ("x", 1): Y, ("x", 2): list(Y)}, tasks)
    assert curate.copied_printed_rows(records, tasks).empty


def test_internvl2_26b_first_video_row_is_internvl25_26b(curated):
    frames = curated.frames  # the build of the paper source (tests/conftest.py)
    scores, alternates = frames["scores"], frames["scores_alternates"]
    alt = alternates[alternates["model_id"] == "internvl-2-26b"]
    # Tables 72-74: 3 tables x 8 tasks = 24 cells, the first printed row is the copy
    assert len(alt) == 24 and set(alt["occurrence"]) == {1}
    assert sorted(set(alt["appendix_table"])) == [72, 73, 74]
    # the copy: equal to InternVL-2.5-26B on every one of the 24 cells (as printed)
    other = scores[scores["model_id"] == "internvl-2.5-26b"].set_index("task_id")
    assert (alt.set_index("task_id")["value_printed"]
            == other.loc[alt["task_id"], "value_printed"]).all()
    # the primary is the second printed row: VC-027 printed 72.20 (the copy prints 65.70)
    row = scores[(scores["model_id"] == "internvl-2-26b") & (scores["task_id"] == "VC-027")]
    assert row["value_printed"].tolist() == ["72.20"]
    # the other twice-printed models keep their first printed row
    assert set(alternates.loc[alternates["model_id"] != "internvl-2-26b", "occurrence"]) == {2}
