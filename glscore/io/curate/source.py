"""Reading the transcribed source tables: rows with their line numbers, and
the parsers of their fields (numbers, choices, sheets, printed scores); a
malformed field is a :class:`~glscore.io.curate.schema.CurationError` naming
file, line and column.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from glscore.io.curate.schema import (
    DIRECTIONS,
    NOT_SUPPORTED_MARK,
    SHEET_BY_NAME,
    CurationError,
    Sheet,
)


@dataclass(frozen=True)
class SourceRow:
    """One data row of a source CSV with its 1-based line number."""

    file: str
    line: int
    fields: Mapping[str, str]

    def where(self, column: str) -> str:
        """Location text for error messages."""
        return f"{self.file}, line {self.line}, column '{column}'"

    def get(self, column: str) -> str:
        """The field, stripped of surrounding white space."""
        return self.fields[column].strip()


def read_source_csv(path: Path, required: Sequence[str]) -> list[SourceRow]:
    """Read a UTF-8 CSV and check that the ``required`` columns exist."""
    if not path.is_file():
        raise CurationError(f"{path.name}: file not found in {path.parent}")
    text = path.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise CurationError(f"{path.name}: file is empty")
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise CurationError(f"{path.name}, line 1: missing column(s) {', '.join(missing)}")
    rows: list[SourceRow] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise CurationError(
                f"{path.name}, line {line}: {len(record)} fields, expected {len(header)}"
            )
        rows.append(SourceRow(path.name, line, dict(zip(header, record, strict=True))))
    return rows


def parse_float(row: SourceRow, column: str) -> float:
    """A finite float from ``row[column]``, else :class:`CurationError`."""
    text = row.get(column)
    try:
        value = float(text)
    except ValueError:
        raise CurationError(f"{row.where(column)}: not a number: {text!r}") from None
    if not math.isfinite(value):
        raise CurationError(f"{row.where(column)}: not a finite number: {text!r}")
    return value


def parse_int(row: SourceRow, column: str) -> int:
    """A positive integer from ``row[column]``, else :class:`CurationError`."""
    text = row.get(column)
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise CurationError(f"{row.where(column)}: not a positive integer: {text!r}")
    return int(text)


def parse_choice(row: SourceRow, column: str, choices: Mapping[str, str]) -> str:
    """``choices[row[column]]``, else :class:`CurationError`."""
    text = row.get(column)
    if text not in choices:
        allowed = ", ".join(sorted(choices))
        raise CurationError(f"{row.where(column)}: {text!r} is not one of {allowed}")
    return choices[text]


def parse_sheet(row: SourceRow) -> Sheet:
    """The :class:`Sheet` named in ``row['sheet']``."""
    return SHEET_BY_NAME[parse_choice(row, "sheet", {n: n for n in SHEET_BY_NAME})]


def task_id(sheet: Sheet, sheet_row: int) -> str:
    """Stable task key: sheet code + 3-digit sheet row, e.g. ``IC-001``."""
    return f"{sheet.code}-{sheet_row:03d}"


def is_supported(value_printed: str, direction: str) -> bool:
    """Whether a printed cell is a real score.

    ``∞`` means "not supported" on any task. ``0.00`` means "not supported" on
    a higher-is-better task; on a lower-is-better task (two FID cells of
    IG-008) an exact zero error is unattainable, so it is read the same way.
    """
    text = value_printed.strip()
    if text == NOT_SUPPORTED_MARK:
        return False
    if direction not in DIRECTIONS.values():
        raise ValueError(f"unknown direction {direction!r}")
    return float(text) != 0.0


def parse_value(value_printed: str, direction: str) -> float:
    """The score as a float, NaN where :func:`is_supported` is false."""
    if not is_supported(value_printed, direction):
        return math.nan
    return float(value_printed)
