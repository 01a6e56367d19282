"""Loaders that build a :class:`~glscore.core.benchmark.Benchmark` from files.

Loaders only read and validate; they never normalise or score. Sources:

* :func:`load_paper` -- the curated paper data committed in ``data/``;
* :func:`load_workbooks` -- the official scorer's SoTA workbook and result
  workbooks (tasks aligned by sheet and row, task names checked);
* :func:`load_tidy` -- a CSV/Parquet file with ``model, task_id, value``.

Every problem is an :class:`~glscore.errors.InputError` with a one-line
message naming the file, sheet, row or column.
"""


from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from glscore import paths
from glscore.core import metrics
from glscore.core.benchmark import (
    SHEET_NAMES,
    SHEETS,
    TASK_COLUMNS,
    Benchmark,
)
from glscore.errors import InputError, where

#: Header of an official workbook sheet, before the score columns.
WORKBOOK_KEY_COLUMNS: tuple[str, ...] = ("No", "Task Name", "Task Short Name", "Metrics")
SOTA_COLUMN = "SoTA Performance"
IGNORED_SHEETS = ("level-scores",)


# --------------------------------------------------------------------------- paper data

def load_paper(data_dir: Path | str = paths.DATA_DIR) -> Benchmark:
    """The paper's Appendix B results, as curated in ``data/``.

    Models are ``model_id`` of ``data/models.csv`` (display names beside);
    only models with at least one per-task row are in the matrix.
    """
    data_dir = Path(data_dir)
    tasks = _read_csv(data_dir / "tasks.csv")
    scores = _read_csv(data_dir / "scores.csv")
    models = _read_csv(data_dir / "models.csv")
    _require_columns(tasks, TASK_COLUMNS, data_dir / "tasks.csv")
    _require_columns(scores, ("model_id", "task_id", "value"), data_dir / "scores.csv")
    _require_columns(models, ("model_id", "display_name"), data_dir / "models.csv")
    tasks = tasks.astype({"sota": float, "sheet_row": int})
    task_pos = pd.Index(tasks["task_id"])
    model_ids = tuple(sorted(scores["model_id"].unique()))
    model_pos = pd.Index(model_ids)
    cols = task_pos.get_indexer(scores["task_id"])
    if (cols < 0).any():
        bad = scores.loc[cols < 0, "task_id"].iloc[0]
        raise InputError(f"{data_dir / 'scores.csv'}: unknown task_id '{bad}'")
    values = np.full((len(model_ids), len(tasks)), np.nan)
    values[model_pos.get_indexer(scores["model_id"]), cols] = scores["value"].to_numpy(float)
    names = models.set_index("model_id")["display_name"]
    return Benchmark(
        tasks, model_ids, values, SHEET_NAMES, _paper_source_label(data_dir),
        tuple(str(names.get(m, m)) for m in model_ids),
    )


def _paper_source_label(data_dir: Path) -> str:
    """``paper data`` for the committed folder, else the folder's path."""
    if data_dir.resolve() == paths.DATA_DIR.resolve():
        return "paper data (data/)"
    return f"paper data ({data_dir})"


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(f"'{path}': file not found")
    try:
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"'{path}': not a readable CSV ({_first_line(exc)})") from exc


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], path: object) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"'{path}': missing column(s) {missing}; columns found: {list(frame.columns)}"
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --------------------------------------------------------------------------- workbooks

def parse_cell(value: object) -> float:
    """A workbook cell as the reference scorer reads it; ``NaN`` = missing.

    Numbers (and booleans) are taken as they are; text is converted with
    Python's ``float`` after the markers ``∞`` and ``inf``; empty cells,
    ``∞``/``inf``/``nan`` and any text that is not a number are missing.
    ``-inf`` is returned as is (the caller rejects it).

    >>> parse_cell(" 12.5 "), parse_cell("∞"), parse_cell("n/a"), parse_cell(3)
    (12.5, nan, nan, 3.0)
    """
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text == "∞" or text.lower() == "inf":
            return math.nan
        try:
            number = float(text)
        except ValueError:
            return math.nan
    else:
        return math.nan
    if math.isnan(number) or number == math.inf:
        return math.nan
    return number


@dataclass(frozen=True)
class _Sheet:
    header: list[str]
    rows: list[list[object]]


def _read_workbook(path: Path) -> dict[str, _Sheet]:
    """All sheets of a workbook (header row + data rows), via calamine."""
    import python_calamine

    if not path.is_file():
        raise InputError(f"'{path}': file not found")
    if path.stat().st_size == 0:
        raise InputError(f"'{path}': file is empty, not an Excel workbook")
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = {}
        for name in book.sheet_names:
            table = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            header = [_header_text(c) for c in table[0]] if table else []
            sheets[name] = _Sheet(header, [list(r) for r in table[1:]])
    except Exception as exc:  # calamine raises several unrelated types
        raise InputError(
            f"'{path}': not a readable Excel workbook ({_first_line(exc)})"
        ) from exc
    return sheets


def _header_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _column(sheet: _Sheet, name: str, path: Path, sheet_name: str) -> list[object]:
    if name not in sheet.header:
        raise InputError(
            f"{where(path, sheet_name)}no column '{name}'; columns found: {sheet.header}"
        )
    j = sheet.header.index(name)
    return [row[j] if j < len(row) else "" for row in sheet.rows]


def _data_sheets(book: dict[str, _Sheet]) -> list[str]:
    return [s for s in book if s.lower() not in IGNORED_SHEETS]


def _sota_tasks(path: Path, book: dict[str, _Sheet]) -> pd.DataFrame:
    """The tasks table of an official SoTA workbook (canonical sheet order)."""
    names = _data_sheets(book)
    unknown = [s for s in names if s not in SHEET_NAMES]
    if unknown:
        raise InputError(
            f"'{path}': unexpected sheet(s) {unknown}; expected some of {list(SHEET_NAMES)}"
        )
    frames = []
    for sheet_name, modality, paradigm, prefix in SHEETS:
        if sheet_name not in book:
            continue
        sheet = book[sheet_name]
        task_names = _column(sheet, "Task Name", path, sheet_name)
        short = _column(sheet, "Task Short Name", path, sheet_name)
        metric = _column(sheet, "Metrics", path, sheet_name)
        sota_cells = _column(sheet, SOTA_COLUMN, path, sheet_name)
        sota = [parse_cell(c) for c in sota_cells]
        for i, s in enumerate(sota):
            if s == -math.inf:
                raise InputError(f"{where(path, sheet_name, i + 2, SOTA_COLUMN)}value is -inf")
        n = len(sheet.rows)
        frames.append(pd.DataFrame({
            "task_id": [f"{prefix}-{i:03d}" for i in range(1, n + 1)],
            "modality": modality,
            "paradigm": paradigm,
            "sheet": sheet_name,
            "sheet_row": np.arange(1, n + 1),
            "task_name": [_text(x) for x in task_names],
            "task_short_name": [_text(x) for x in short],
            "metric": [_text(x) for x in metric],
            "direction": [_direction(_text(x)) for x in metric],
            "sota": np.array(sota, dtype=float),
        }))
    if not frames:
        raise InputError(f"'{path}': no task sheets; expected some of {list(SHEET_NAMES)}")
    return pd.concat(frames, ignore_index=True)


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)


def _direction(metric: str) -> str:
    special = metrics.match_alias(metric)
    return special.direction if special else "higher"


def _model_columns(header: list[str], model: str | None) -> list[str]:
    """Score columns to read: the one named ``model`` (case-insensitive) or all."""
    candidates = [h for h in header if h not in WORKBOOK_KEY_COLUMNS and h != SOTA_COLUMN]
    if model is None:
        return [h for h in candidates if h and h != "None"]
    return [h for h in header if h.lower() == model.lower()]


def load_workbooks(
    sota_path: Path | str,
    result_paths: Sequence[Path | str],
    model: str | None = None,
    scale: str = "auto",
) -> Benchmark:
    """Official workbooks: the SoTA table and one or more result workbooks.

    Each result workbook must have the SoTA workbook's sheets (a sheet named
    ``level-scores`` is ignored, as the reference does) and, in every sheet,
    the same task rows in the same order (checked by ``Task Name``). The
    model column is found by case-insensitive name; without ``model`` every
    column after ``Metrics`` is a model. ``scale`` is passed to
    :func:`check_scale`.
    """
    sota_path = Path(sota_path)
    sota_book = _read_workbook(sota_path)
    tasks = _sota_tasks(sota_path, sota_book)
    sheets = tuple(s for s in SHEET_NAMES if s in sota_book)
    names: list[str] = []
    rows: list[np.ndarray] = []
    for result_path in map(Path, result_paths):
        book = _read_workbook(result_path)
        _check_sheets(sota_path, sota_book, result_path, book)
        for column, vector in _result_columns(result_path, book, tasks, model):
            if column.lower() in (n.lower() for n in names):
                raise InputError(
                    f"'{result_path}': model '{column}' is already read from another file"
                )
            names.append(column)
            rows.append(vector)
    if not names:
        raise InputError("no result workbook given")
    values = np.vstack(rows)
    bench = Benchmark(tasks, tuple(names), values, sheets, f"workbooks ({sota_path.name})")
    return check_scale(bench, scale, [str(p) for p in result_paths])


def _check_sheets(sota_path: Path, sota_book: dict, result_path: Path, book: dict) -> None:
    expected, found = set(_data_sheets(sota_book)), set(_data_sheets(book))
    if found != expected:
        missing = sorted(expected - found)
        extra = sorted(found - expected)
        detail = "; ".join(
            part for part in (
                f"missing sheet(s) {missing}" if missing else "",
                f"extra sheet(s) {extra}" if extra else "",
            ) if part
        )
        raise InputError(f"'{result_path}': sheets do not match '{sota_path}': {detail}")


def _result_columns(
    path: Path, book: dict[str, _Sheet], tasks: pd.DataFrame, model: str | None
) -> list[tuple[str, np.ndarray]]:
    """Per model column of one result workbook, its values in task order."""
    columns: list[str] | None = None
    blocks: dict[str, list[np.ndarray]] = {}
    for sheet_name in tasks["sheet"].unique():
        sheet = book[sheet_name]
        expected = tasks.loc[tasks["sheet"] == sheet_name, "task_name"].tolist()
        found = [_text(x) for x in _column(sheet, "Task Name", path, sheet_name)]
        _check_rows(path, sheet_name, expected, found)
        wanted = _model_columns(sheet.header, model)
        if model is not None and len(wanted) > 1:
            raise InputError(
                f"{where(path, sheet_name)}{len(wanted)} columns match model '{model}': {wanted}"
            )
        if not wanted:
            what = f"no column for model '{model}'" if model else "no model column"
            raise InputError(f"{where(path, sheet_name)}{what}; columns found: {sheet.header}")
        if columns is None:
            columns = wanted
        elif [w.lower() for w in wanted] != [c.lower() for c in columns]:
            raise InputError(
                f"{where(path, sheet_name)}model columns {wanted} differ from {columns}"
            )
        for name, col_name in zip(columns, wanted, strict=True):
            cells = _column(sheet, col_name, path, sheet_name)
            vector = np.array([parse_cell(c) for c in cells], dtype=float)
            bad = np.flatnonzero(vector == -math.inf)
            if bad.size:
                raise InputError(f"{where(path, sheet_name, int(bad[0]) + 2, col_name)}value is -inf")
            blocks.setdefault(name, []).append(vector)
    if columns is None:
        return []
    n_tasks = len(tasks)
    out = []
    for name in columns:
        vector = np.concatenate(blocks[name]) if blocks[name] else np.empty(0)
        assert vector.shape == (n_tasks,)
        out.append((name, vector))
    return out


def _check_rows(path: Path, sheet: str, expected: list[str], found: list[str]) -> None:
    if len(found) != len(expected):
        raise InputError(
            f"{where(path, sheet)}{len(found)} task rows, the SoTA table has {len(expected)}"
        )
    for i, (want, got) in enumerate(zip(expected, found, strict=True)):
        if want.strip() != got.strip():
            raise InputError(
                f"{where(path, sheet, i + 2, 'Task Name')}task '{got}' does not match "
                f"the SoTA table's '{want}'"
            )


# --------------------------------------------------------------------------- tidy files

def read_table(path: Path | str) -> pd.DataFrame:
    """A CSV or Parquet file as a DataFrame, with precise errors."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"'{path}': file not found")
    if path.stat().st_size == 0:
        raise InputError(f"'{path}': file is empty")
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
        if suffix in (".csv", ".txt", ".tsv"):
            sep = "\t" if suffix == ".tsv" else ","
            return pd.read_csv(path, sep=sep, keep_default_na=False, na_values=[""])
    except Exception as exc:  # pyarrow and the csv parser raise many types
        raise InputError(f"'{path}': not a readable table ({_first_line(exc)})") from exc
    raise InputError(f"'{path}': unknown file type '{suffix}' (expected .csv or .parquet)")


def load_tidy(
    results_path: Path | str,
    tasks: pd.DataFrame | None = None,
    scale: str = "auto",
    model: str | None = None,
) -> Benchmark:
    """A tidy results file (``model, task_id, value``) against a tasks table.

    ``tasks`` defaults to the committed paper tasks (``data/tasks.csv``).
    Values are read as workbook cells are (``∞``, empty or text = missing);
    a (model, task) pair given twice is an error.
    """
    path = Path(results_path)
    frame = read_table(path)
    _require_columns(frame, ("model", "task_id", "value"), path)
    if tasks is None:
        tasks = load_tasks(paths.TASKS_CSV)
    if model is not None:
        frame = frame[frame["model"].astype(str).str.lower() == model.lower()]
        if frame.empty:
            raise InputError(f"'{path}': no rows for model '{model}'")
    task_pos = pd.Index(tasks["task_id"]).get_indexer(frame["task_id"].astype(str))
    if (task_pos < 0).any():
        row = int(np.flatnonzero(task_pos < 0)[0])
        raise InputError(
            f"{where(path, row=row + 2, column='task_id')}unknown task '{frame['task_id'].iloc[row]}'"
        )
    dup = frame.duplicated(["model", "task_id"], keep="first").to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0])
        raise InputError(
            f"{where(path, row=row + 2)}model '{frame['model'].iloc[row]}' and task "
            f"'{frame['task_id'].iloc[row]}' appear twice"
        )
    model_names = tuple(dict.fromkeys(frame["model"].astype(str)))
    values = np.full((len(model_names), len(tasks)), np.nan)
    model_pos = pd.Index(model_names).get_indexer(frame["model"].astype(str))
    values[model_pos, task_pos] = [parse_cell(v) for v in frame["value"].tolist()]
    if (values == -math.inf).any():
        raise InputError(f"'{path}': column 'value' holds -inf")
    bench = Benchmark(tasks.reset_index(drop=True), model_names, values,
                      tuple(tasks["sheet"].unique()), f"tidy ({path.name})")
    return check_scale(bench, scale, [str(path)])


def load_tasks(path: Path | str) -> pd.DataFrame:
    """A tasks table: an official SoTA workbook, or a CSV/Parquet tasks file."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _sota_tasks(path, _read_workbook(path))
    frame = read_table(path)
    _require_columns(frame, ("task_id", "modality", "paradigm", "metric", "sota"), path)
    frame = frame.copy()
    for column, default in (("sheet", None), ("sheet_row", 0), ("task_name", ""),
                            ("task_short_name", ""), ("direction", None)):
        if column not in frame.columns:
            frame[column] = default
    if frame["sheet"].isna().all():
        sheet_of = {(m, p): s for s, m, p, _ in SHEETS}
        frame["sheet"] = [sheet_of.get((m, p), "NLP") for m, p in
                          zip(frame["modality"], frame["paradigm"], strict=True)]
    if frame["direction"].isna().all():
        frame["direction"] = [_direction(str(m)) for m in frame["metric"]]
    frame["sota"] = [parse_cell(v) for v in frame["sota"].tolist()]
    return frame


# --------------------------------------------------------------------------- scale

SCALES = ("auto", "percent", "fraction")
MIN_CELLS_FOR_SCALE_CHECK = 3


def check_scale(bench: Benchmark, scale: str, files: Sequence[str] = ()) -> Benchmark:
    """Guard against results on a 0-1 scale where the SoTA is on 0-100.

    Only plain (non-special) metrics are concerned. ``auto``: error when all
    of a model's supported plain scores lie in [0, 1] (at least
    ``MIN_CELLS_FOR_SCALE_CHECK`` of them non-zero) while every one of the
    matching SoTA values exceeds 1. ``percent``: take values as given.
    ``fraction``: multiply every model's plain-metric values by 100.
    """
    if scale not in SCALES:
        raise InputError(f"unknown scale '{scale}'; choose one of {list(SCALES)}")
    if scale == "percent":
        return bench
    plain = np.array([metrics.match_alias(m) is None for m in bench.tasks["metric"]], dtype=bool)
    if scale == "fraction":
        values = bench.values.copy()
        values[:, plain] *= 100.0
        return Benchmark(bench.tasks, bench.models, values, bench.sheets, bench.source,
                         bench.model_names)
    sota = bench.sota
    for i, name in enumerate(bench.models):
        seen = plain & np.isfinite(bench.values[i]) & np.isfinite(sota)
        nonzero = seen & (bench.values[i] != 0)
        if (
            nonzero.sum() >= MIN_CELLS_FOR_SCALE_CHECK
            and (np.abs(bench.values[i, seen]) <= 1.0).all()
            and (sota[seen] > 1.0).all()
        ):
            origin = f"'{files[0]}': " if len(files) == 1 else ""
            raise InputError(
                f"{origin}model '{name}': all {int(seen.sum())} scores lie within 0-1 while the "
                "SoTA is on 0-100; pass --scale fraction to multiply them by 100, "
                "or --scale percent to take them as they are"
            )
    return bench


# --------------------------------------------------------------------------- dispatch

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def load_source(
    results: str | Path | Sequence[str | Path] = "paper",
    sota: str | Path | None = None,
    model: str | None = None,
    scale: str = "auto",
) -> Benchmark:
    """Any source by its name: ``"paper"`` (default), result workbooks or a tidy file.

    Workbooks need the SoTA workbook ``sota`` (default: the official
    ``sota_result.xlsx`` beside the repository, when present); a tidy file is
    read against ``sota`` as a tasks table, or the committed paper tasks.
    """
    if isinstance(results, str | Path) and str(results) == "paper":
        if sota is not None:
            raise InputError("a SoTA table goes with result files, not with the paper data")
        bench = load_paper()
        return select_model(bench, model) if model else bench
    files = [Path(results)] if isinstance(results, str | Path) else [Path(f) for f in results]
    workbooks = [f for f in files if f.suffix.lower() in WORKBOOK_SUFFIXES]
    if workbooks and len(workbooks) != len(files):
        raise InputError("results mix workbooks and tidy files; score them separately")
    if workbooks:
        sota_path = Path(sota) if sota is not None else paths.official_dir() / "sota_result.xlsx"
        if not sota_path.is_file():
            raise InputError(f"SoTA workbook '{sota_path}' not found; pass --sota FILE")
        return load_workbooks(sota_path, files, model=model, scale=scale)
    if len(files) != 1:
        raise InputError("give one tidy results file at a time")
    tasks = load_tasks(sota) if sota is not None else None
    return load_tidy(files[0], tasks=tasks, scale=scale, model=model)


def select_model(bench: Benchmark, model: str) -> Benchmark:
    """Restrict to one model, by id or display name, case-insensitive."""
    wanted = model.lower()
    hits = [m for m, n in zip(bench.models, bench.model_names, strict=True)
            if wanted in (m.lower(), n.lower())]
    if not hits:
        raise InputError(f"{bench.source}: no model '{model}'; e.g. {list(bench.models[:5])}")
    return bench.select_models(hits[:1])
