"""OpenCompass: ``<work_dir>/summary/summary_<YYYYMMDD_HHMMSS>.csv``.

Checked against open-compass/opencompass at commit a5acc4bb (2026-08-19):
``opencompass/summarizers/default.py`` (``_format_table``,
``_output_to_file``) writes one row per dataset and metric under the header
``dataset,version,metric,mode,<model_1>,<model_2>,...``; a score is
``'{:.02f}'`` of the parsed result and ``-`` where the model has none (a
dataset without results has ``-`` in every column). Commas inside a cell are
replaced by spaces and nothing is quoted. Scores are mostly 0-100; no
standard errors.

Read: every model column is a model (several models in one file), the
dataset is the task, ``metric`` the metric key; ``-`` is "not supported".
"""

from __future__ import annotations

from glscore.errors import InputError
from glscore.io.harness.documents import Document, Observation

NAME = "opencompass"
PATTERNS: tuple[str, ...] = ("summary_*.csv",)
HEADER: tuple[str, ...] = ("dataset", "version", "metric", "mode")


def matches(doc: Document) -> bool:
    """A CSV whose header starts ``dataset,version,metric,mode``."""
    return doc.kind == "csv" and tuple(h.strip() for h in doc.rows[0][:4]) == HEADER


def observations(doc: Document) -> list[Observation]:
    """``(model, dataset, metric, cell, where)`` for every model column and row."""
    if not matches(doc):
        raise InputError(f"'{doc.path}': not an OpenCompass summary: expected the header "
                         f"'{','.join(HEADER)},<model>,...'")
    header = [h.strip() for h in doc.rows[0]]
    models = header[4:]
    if not models or any(not m for m in models):
        raise InputError(f"'{doc.path}', line 1: an OpenCompass summary names its models after "
                         f"'mode'; found {models}")
    out: list[Observation] = []
    for i, row in enumerate(doc.rows[1:]):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"'{doc.path}', line {i + 2}: {len(row)} fields, the header has "
                             f"{len(header)}")
        dataset, metric = row[0].strip(), row[2].strip()
        if metric in ("", "-"):
            continue  # a dataset without results
        for j, model in enumerate(models):
            out.append((model, dataset, metric, row[4 + j], f"line {i + 2}, column '{model}'"))
    return out


def se_key(metric: str) -> str | None:
    """OpenCompass summaries carry no standard errors."""
    return None


def base(metric: str) -> str:
    return metric
