"""Write a benchmark's results in the official scorer's layout or as a tidy table.

* :func:`workbook_bytes` -- the official result workbook: one sheet per task
  sheet, in the official template's order (``NLP`` first,
  :data:`OFFICIAL_SHEET_ORDER`), columns ``No, Task Name, Task Short Name,
  Metrics`` and one column per model, one row per task in the tasks
  table's order (the reference scorer aligns rows by position; glscore's
  loader by row and task name). A missing value is an empty cell ("not
  supported" for both). ``No`` is the row within the sheet: the official
  template numbers some sheets otherwise, and neither scorer reads it.
  Standard errors and provenance have no place in this layout; write the
  tidy table to keep them.
* :func:`tidy_frame` / :func:`tidy_bytes` -- ``model, task_id, value, se,
  provenance, source``, one row per supported cell, values at full
  precision (a CSV read back gives the same floats); ``.csv`` or
  ``.parquet``.

Bytes are deterministic: the workbook is re-zipped with fixed timestamps
(:func:`rezip`), the CSV has ``\\n`` line ends. :func:`write` goes through
the atomic writer of :mod:`glscore.io.files` and refuses to overwrite an
input.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from glscore.core.benchmark import Benchmark
from glscore.core.vocabulary import SHEET_NAMES
from glscore.errors import InputError
from glscore.io.files import write_if_changed
from glscore.io.loaders import PROVENANCES, WORKBOOK_KEY_COLUMNS

#: Sheet order of the official template (``references/template_result.xlsx``).
OFFICIAL_SHEET_ORDER: tuple[str, ...] = ("NLP",) + tuple(s for s in SHEET_NAMES if s != "NLP")
#: Columns of the tidy export.
TIDY_COLUMNS: tuple[str, ...] = ("model", "task_id", "value", "se", "provenance", "source")
FIXED_TIME = _dt.datetime(2025, 1, 1)
#: What ``--to`` accepts, with the file suffixes of each.
TARGETS: dict[str, tuple[str, ...]] = {"workbook": (".xlsx",), "tidy": (".csv", ".parquet")}


def workbook_bytes(tasks: pd.DataFrame, columns: Mapping[str, Sequence[object]],
                   sheets: Sequence[str] = OFFICIAL_SHEET_ORDER,
                   creator: str = "glscore.io.export") -> bytes:
    """An official-layout workbook: per sheet of ``sheets`` (a sheet without tasks
    keeps its header: the modality is present), the key columns and one column per
    entry of ``columns`` (header -> one cell per task of ``tasks``, in its order;
    ``None`` or ``NaN`` is an empty cell)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.creator = creator
    names = list(columns)
    cells = {name: list(values) for name, values in columns.items()}
    for sheet_name in sheets:
        rows = np.flatnonzero((tasks["sheet"] == sheet_name).to_numpy())
        sheet = book.create_sheet(sheet_name)
        _append(sheet, list(WORKBOOK_KEY_COLUMNS) + names)
        for i in rows:
            task = tasks.iloc[int(i)]
            _append(sheet, [int(task["sheet_row"]), task["task_name"], task["task_short_name"],
                            task["metric"]] + [_cell(cells[n][int(i)]) for n in names])
    raw = io.BytesIO()
    with _exact_numbers():
        book.save(raw)
    return rezip(raw.getvalue())


@contextlib.contextmanager
def _exact_numbers() -> Iterator[None]:
    """openpyxl writes a number as ``%.16g``, which drops the 17th significant digit
    some doubles need (``48.209999999999994`` would come back as ``48.20999999999999``);
    while saving, such a float is written with ``repr`` (exact), every other value as
    openpyxl writes it. A test reads the values back bit for bit."""
    from openpyxl.cell import _writer

    original = _writer.safe_string

    def exact(value: object) -> str:
        text = original(value)
        if isinstance(value, float) and text and float(text) != value:
            return repr(value)
        return text

    _writer.safe_string = exact
    try:
        yield
    finally:
        _writer.safe_string = original


def _append(sheet: Any, values: Sequence[object]) -> None:
    """One row of a sheet, every text cell stored as text: openpyxl takes a
    string that starts with ``=`` for a formula, so a model or task named
    ``=HYPERLINK(...)`` would become a live formula in the workbook."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float | np.floating) and np.isnan(value)):
        return None
    if isinstance(value, np.floating):
        return float(value)
    return value


def rezip(data: bytes) -> bytes:
    """The same archive with fixed member timestamps (and fixed core-properties dates)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                member = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                rb"\g<1>2025-01-01T00:00:00Z\g<2>", member)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, member)
    return out.getvalue()


def benchmark_workbook(bench: Benchmark) -> bytes:
    """``bench``'s values in the official layout, one column per model (its display
    name), the benchmark's sheets in the official order."""
    sheets = [s for s in OFFICIAL_SHEET_ORDER if s in bench.sheets]
    return workbook_bytes(bench.tasks, dict(zip(bench.model_names, bench.values, strict=True)),
                          sheets)


def tidy_frame(bench: Benchmark, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The tidy table of ``bench``: one row per supported cell, models in order, tasks
    in table order. ``se`` empty where unknown; ``provenance`` from the proxy mask;
    ``source`` from ``sources`` (``model, task_id, source``) where given, else the
    benchmark's source."""
    rows, cols = np.nonzero(np.isfinite(bench.values))
    ids = bench.tasks["task_id"].astype(str).to_numpy()
    se = bench.se[rows, cols] if bench.se is not None else np.full(len(rows), np.nan)
    proxy = bench.proxy_cells()[rows, cols]
    frame = pd.DataFrame({
        "model": np.array(bench.models, dtype=object)[rows],
        "task_id": ids[cols],
        "value": bench.values[rows, cols],
        "se": se,
        "provenance": np.where(proxy, PROVENANCES[1], PROVENANCES[0]),
        "source": bench.source,
    })
    if sources is not None and len(frame):
        key = pd.MultiIndex.from_frame(sources[["model", "task_id"]])
        hit = key.get_indexer(pd.MultiIndex.from_frame(frame[["model", "task_id"]]))
        found = hit >= 0
        frame.loc[found, "source"] = sources["source"].to_numpy()[hit[found]]
    return frame


def tidy_bytes(frame: pd.DataFrame, suffix: str) -> bytes:
    """The tidy table as ``.csv`` (``\\n`` line ends, floats as ``repr``) or ``.parquet``."""
    if suffix == ".parquet":
        raw = io.BytesIO()
        frame.to_parquet(raw, index=False)
        return raw.getvalue()
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def check_target(kind: str, out: Path, inputs: Sequence[Path]) -> None:
    """``kind`` is known, ``out`` has one of its suffixes and is none of ``inputs``."""
    if kind not in TARGETS:
        raise InputError(f"--to {kind}: choose one of {list(TARGETS)}")
    suffix = out.suffix.lower()
    if suffix not in TARGETS[kind]:
        raise InputError(f"'{out}': a {kind} export is written as "
                         f"{' or '.join(TARGETS[kind])}, not '{suffix or out.name}'")
    target = out.resolve()
    for given in inputs:
        if target == Path(given).resolve():
            raise InputError(f"'{out}': is an input ('{given}'); glscore never writes over "
                             "its inputs")


def write(out: Path, data: bytes) -> bool:
    """Write ``data`` to ``out`` atomically (see :func:`glscore.io.files.write_if_changed`)."""
    if out.is_dir():
        raise InputError(f"'{out}': is a folder; give a file name")
    return write_if_changed(out, data)
