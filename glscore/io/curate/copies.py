"""Printed rows that copy another model's row: which of a twice-printed
model's rows is a copy (see ``data/README.md``, "Printed rows that copy
another model's row").
"""

from __future__ import annotations

import pandas as pd

from glscore.io.quality import copied_runs

#: A printed row counts as a copy of another model's row only when the run of
#: identical values they share has at least this many values (one appendix
#: table prints 7 to 14 tasks of a sheet).
MIN_COPY_RUN = 8


COPY_COLUMNS = ("model_id", "occurrence", "copy_of", "sheet", "first_task", "last_task",
                "length")


def copied_printed_rows(
    records: pd.DataFrame, tasks: pd.DataFrame, min_run: int = MIN_COPY_RUN
) -> pd.DataFrame:
    """The printed rows of twice-printed models that copy another model's row.

    For each model printed twice (``occurrence`` 2 somewhere), on the tasks
    where it is printed twice, each of its printed rows is compared with every
    other printed row on those tasks by :func:`glscore.io.quality.copied_runs`.
    A row is a *copy* when one run of identical values shared with a row of a
    *different* model covers all its supported cells there (``covers == 1``)
    and holds at least ``min_run`` values. One row per copy:
    ``model_id, occurrence, copy_of, sheet, first_task, last_task, length``.
    """
    from glscore.core.benchmark import Benchmark

    found = []
    twice_printed = sorted(records.loc[records["occurrence"] > 1, "model_id"].unique())
    for model in twice_printed:  # a handful of models
        twice = records.loc[(records["model_id"] == model) & (records["occurrence"] > 1),
                            "task_id"].unique()
        part = records[records["task_id"].isin(twice)].sort_values("line", kind="stable")
        part = part.assign(row=part["model_id"] + "#" + part["occurrence"].astype(str))
        part = part.drop_duplicates(["row", "task_id"], keep="first")
        sub = tasks[tasks["task_id"].isin(twice)].reset_index(drop=True)
        matrix = part.pivot(index="row", columns="task_id", values="value")
        matrix = matrix.reindex(columns=sub["task_id"])
        bench = Benchmark(sub, tuple(matrix.index), matrix.to_numpy(float), source="curation")
        runs = copied_runs(bench, min_run=min_run)
        for side, other, covers in (("model_a", "model_b", "covers_a"),
                                    ("model_b", "model_a", "covers_b")):
            mine = runs[side].str.rsplit("#", n=1).str[0] == model
            theirs = runs[other].str.rsplit("#", n=1).str[0] != model
            hit = runs[mine & theirs & (runs[covers] == 1.0)]
            found.append(pd.DataFrame({
                "model_id": model,
                "occurrence": hit[side].str.rsplit("#", n=1).str[1].astype(int),
                "copy_of": hit[other].str.rsplit("#", n=1).str[0],
                "sheet": hit["sheet"], "first_task": hit["first_task"],
                "last_task": hit["last_task"], "length": hit["length"],
            }))
    if not found:
        return pd.DataFrame(columns=list(COPY_COLUMNS))
    out = pd.concat(found, ignore_index=True)
    return out.sort_values(["model_id", "occurrence", "first_task"]).reset_index(drop=True)
