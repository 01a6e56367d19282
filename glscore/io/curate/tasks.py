"""``tasks.csv``: one row per task of General-Bench, from the source's task
table and skill groups.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from glscore.core import metrics
from glscore.io.curate.schema import (
    DIRECTIONS,
    SHEET_ORDER,
    SOURCE_SKILL_COLUMNS,
    SOURCE_TASK_COLUMNS,
    TASK_COLUMNS,
    CurationError,
)
from glscore.io.curate.source import (
    SourceRow,
    parse_choice,
    parse_float,
    parse_int,
    parse_sheet,
    read_source_csv,
    task_id,
)


def read_skill_groups(source_dir: Path) -> set[tuple[str, str]]:
    """(sheet, skill_group_id) pairs declared in ``skill_groups.csv``."""
    rows = read_source_csv(source_dir / "skill_groups.csv", SOURCE_SKILL_COLUMNS)
    return {(parse_sheet(r).name, r.get("skill_group_id")) for r in rows}


def task_record(row: SourceRow, groups: set[tuple[str, str]]) -> dict[str, object]:
    """One ``tasks.csv`` record from a source row."""
    sheet = parse_sheet(row)
    sheet_row = parse_int(row, "sheet_row")
    group = row.get("skill_group_id")
    printed = parse_choice(row, "direction", DIRECTIONS)
    special = metrics.match_alias(row.get("metric"))
    if (sheet.name, group) not in groups:
        raise CurationError(
            f"{row.where('skill_group_id')}: {group!r} is not a skill group of {sheet.name}"
        )
    return {
        "task_id": task_id(sheet, sheet_row),
        "modality": sheet.modality,
        "paradigm": sheet.paradigm,
        "sheet": sheet.name,
        "sheet_row": sheet_row,
        "task_name": row.get("task_name"),
        "task_short_name": row.get("task_short_name"),
        "metric": row.get("metric"),
        # the direction scoring uses: the metric's own where it is a special metric
        # (NLP-061's RMSE is printed among higher-is-better metrics), else as printed
        "direction": special.direction if special is not None else printed,
        "skill_group_id": group,
        "skill_short_name": row.get("skill_short_name"),
        "task_idx_in_group": parse_int(row, "task_idx_in_group"),
        "appendix_table": parse_int(row, "appendix_table"),
        "direction_printed": printed,
        "sota_printed": row.get("sota_paper"),
        "sota": parse_float(row, "sota_paper"),
    }


def build_tasks(source_dir: Path) -> pd.DataFrame:
    """``tasks.csv``: one row per task, in sheet order then sheet row."""
    groups = read_skill_groups(source_dir)
    rows = read_source_csv(source_dir / "tasks.csv", SOURCE_TASK_COLUMNS)
    records: list[dict[str, object]] = []
    seen: set[str] = set()
    for row in rows:
        record = task_record(row, groups)
        if record["task_id"] in seen:
            raise CurationError(f"{row.where('sheet_row')}: duplicate task {record['task_id']}")
        seen.add(str(record["task_id"]))
        records.append(record)
    records.sort(key=lambda r: (SHEET_ORDER[str(r["sheet"])], r["sheet_row"]))
    return pd.DataFrame(records, columns=list(TASK_COLUMNS))
