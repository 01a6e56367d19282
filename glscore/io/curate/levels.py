"""``published_levels.csv``: Tables 12, 14 and 16 (the published Level-2/3/4
leaderboards) in printed order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from glscore.io.curate.schema import (
    LEVEL_COLUMNS,
    LEVEL_TABLES,
    MODALITY_COLUMNS,
    SOURCE_LEVEL_COLUMNS,
    CurationError,
)
from glscore.io.curate.source import SourceRow, parse_float, parse_int, read_source_csv


def read_level_rows(source_dir: Path) -> list[SourceRow]:
    """Rows of ``level_tables.csv``."""
    return read_source_csv(source_dir / "level_tables.csv", SOURCE_LEVEL_COLUMNS)


def level_table_number(row: SourceRow) -> int:
    """12, 14 or 16 from the ``source`` column (``...Table12``)."""
    match = re.search(r"Table\s*(\d+)\s*$", row.get("source"))
    if not match or int(match.group(1)) not in LEVEL_TABLES:
        raise CurationError(f"{row.where('source')}: not Table 12, 14 or 16: {row.get('source')!r}")
    return int(match.group(1))


def parse_rank(row: SourceRow) -> int | None:
    """The printed rank; ``/`` (unranked) gives None."""
    if row.get("rank") == "/":
        return None
    return parse_int(row, "rank")


def level_record(row: SourceRow, alias: Mapping[str, str], position: int) -> dict[str, object]:
    """One ``published_levels.csv`` record."""
    table = level_table_number(row)
    level = parse_int(row, "level")
    if level != LEVEL_TABLES[table]:
        raise CurationError(f"{row.where('level')}: Table {table} is Level-{LEVEL_TABLES[table]}")
    record: dict[str, object] = {
        "table": table,
        "level": level,
        "model_id": alias[row.get("model")],
        "model_printed": row.get("model"),
        "paradigm": row.get("paradigm"),
    }
    for source_column, column in MODALITY_COLUMNS:
        record[column] = parse_float(row, source_column)
    record["overall"] = parse_float(row, "overall")
    record["rank"] = parse_rank(row)
    record["row_in_table"] = position
    return record


def build_published_levels(source_dir: Path, alias: Mapping[str, str]) -> pd.DataFrame:
    """``published_levels.csv``: Tables 12/14/16 in printed order."""
    records: list[dict[str, object]] = []
    positions: dict[int, int] = {}
    for row in read_level_rows(source_dir):
        table = level_table_number(row)
        positions[table] = positions.get(table, 0) + 1
        records.append(level_record(row, alias, positions[table]))
    frame = pd.DataFrame(records, columns=list(LEVEL_COLUMNS))
    duplicated = frame.duplicated(["table", "model_id"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise CurationError(
            f"level_tables.csv: Table {first['table']} lists model {first['model_id']} twice"
        )
    frame = frame.sort_values(["table", "row_in_table"], kind="stable")
    frame["rank"] = frame["rank"].astype("Int64")
    return frame.reset_index(drop=True)
