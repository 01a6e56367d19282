"""``scores.csv`` and ``scores_alternates.csv``: every printed cell of
Appendix B, the primary one per (model, task) and the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from glscore.io.curate.copies import copied_printed_rows
from glscore.io.curate.schema import (
    ALTERNATE_COLUMNS,
    NOT_SUPPORTED_MARK,
    SCORE_COLUMNS,
    SOURCE_SCORE_COLUMNS,
    CurationError,
)
from glscore.io.curate.source import (
    SourceRow,
    is_supported,
    parse_float,
    parse_int,
    parse_sheet,
    parse_value,
    read_source_csv,
    task_id,
)


def score_record(
    row: SourceRow, tasks: Mapping[str, Mapping[str, object]], alias: Mapping[str, str]
) -> dict[str, object]:
    """One score record (with ``occurrence`` and source ``line``)."""
    sheet = parse_sheet(row)
    tid = task_id(sheet, parse_int(row, "sheet_row"))
    if tid not in tasks:
        raise CurationError(f"{row.where('sheet_row')}: no task {tid} in tasks.csv")
    direction = str(tasks[tid]["direction_printed"])  # "0.00 not supported" reads the print
    printed = row.get("value")
    if printed != NOT_SUPPORTED_MARK:
        parse_float(row, "value")
    model = row.get("model")
    if not model:
        raise CurationError(f"{row.where('model')}: empty model name")
    return {
        "model_id": alias[model],
        "task_id": tid,
        "model_printed": model,
        "appendix_table": parse_int(row, "appendix_table"),
        "value_printed": printed,
        "value": parse_value(printed, direction),
        "supported": is_supported(printed, direction),
        "occurrence": parse_int(row, "occurrence"),
        "line": row.line,
    }


def read_score_rows(source_dir: Path) -> list[SourceRow]:
    """Rows of ``scores_long.csv``."""
    return read_source_csv(source_dir / "scores_long.csv", SOURCE_SCORE_COLUMNS)


def split_primary(
    records: pd.DataFrame, tasks: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split score records into primary and alternate cells.

    Per (model_id, task_id) the primary cell is the first printed one (lowest
    occurrence, then earliest source line), except that a printed row which
    copies another model's row (:func:`copied_printed_rows`, checked when
    ``tasks`` is given) comes after a row that does not; every other cell is
    an alternate.
    """
    copy = pd.Series(False, index=records.index)
    if tasks is not None:
        copies = copied_printed_rows(records, tasks)
        keys = set(zip(copies["model_id"], copies["occurrence"], strict=True))
        copy = pd.Series([k in keys for k in zip(records["model_id"], records["occurrence"],
                                                 strict=True)], index=records.index)
    ordered = records.assign(_copy=copy).sort_values(
        ["model_id", "task_id", "_copy", "occurrence", "line"], kind="stable")
    duplicated = ordered.duplicated(["model_id", "task_id"], keep="first")
    ordered = ordered.drop(columns="_copy")
    return ordered[~duplicated], ordered[duplicated]


def order_scores(frame: pd.DataFrame, tasks: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Sort by task order, then model_id (then occurrence), keep ``columns``."""
    rank = {tid: i for i, tid in enumerate(tasks["task_id"])}
    keyed = frame.assign(_task_rank=frame["task_id"].map(rank))
    keys = ["_task_rank", "model_id"] + (["occurrence", "line"] if "occurrence" in columns else [])
    keyed = keyed.sort_values(keys, kind="stable")
    return keyed[list(columns)].reset_index(drop=True)


def build_scores(
    source_dir: Path, tasks: pd.DataFrame, alias: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``scores.csv`` and ``scores_alternates.csv``."""
    by_id = tasks.set_index("task_id").to_dict(orient="index")
    rows = read_score_rows(source_dir)
    keys: set[tuple[str, str, str]] = set()
    records = []
    for row in rows:
        record = score_record(row, by_id, alias)
        key = (str(record["task_id"]), str(record["model_printed"]), str(record["occurrence"]))
        if key in keys:
            raise CurationError(
                f"{row.where('occurrence')}: {key[1]!r} occurrence {key[2]} "
                f"printed twice for {key[0]}"
            )
        keys.add(key)
        records.append(record)
    frame = pd.DataFrame(records)
    primary, alternates = split_primary(frame, tasks)
    return (
        order_scores(primary, tasks, SCORE_COLUMNS),
        order_scores(alternates, tasks, ALTERNATE_COLUMNS),
    )
