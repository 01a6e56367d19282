"""Loaders that build a :class:`~glscore.core.benchmark.Benchmark` from files.

Loaders only read and validate; they never normalise or score. Sources:

* :func:`load_paper` -- the curated paper data committed in ``data/``;
* :func:`load_workbooks` -- official-layout result workbooks against a SoTA
  table (the official ``sota_result.xlsx``, or by default the committed task
  table ``data/tasks.csv``), tasks aligned by sheet and row, names checked;
* :func:`load_tidy` -- a CSV/Parquet file with ``model, task_id, value``.

**Every value is a number, a "not supported" marker, or an error.** Numbers
are numeric cells of any real export type (int, float, float32, decimals,
pandas nullable) or text that Python's ``float`` reads (``" 12.5 "``,
``1e-3``). "Not supported" is an empty cell, a null, or one of
:data:`NOT_SUPPORTED_MARKERS` (case-insensitive). Anything else (``85.3%``,
``12,5``, ``abc``, a boolean, a date, ``-inf``, a magnitude above
:data:`MAX_MAGNITUDE`, a formula cell without a saved value) is an
:class:`~glscore.errors.InputError` whose one line names the file, the sheet
and row as the spreadsheet shows them (workbooks) or the line (CSV) / row
(Parquet), the column and the value.

Workbooks and CSV files are read into plain structures (a
:class:`~glscore.core.table.Table` of text columns with each row's line),
validated once, and become a :class:`Benchmark` without pandas: ``glscore
score --json`` on a workbook or a tidy CSV never imports it (about 0.4 s of
start-up). The pandas views (:func:`read_table`, :func:`load_tasks`) are
built on top of the same readers; Parquet is read by pandas.
"""


from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import decimal
import functools
import math
import re
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from glscore import paths
from glscore.core import metrics
from glscore.core import names as naming
from glscore.core.benchmark import (
    SHEET_NAMES,
    SHEETS,
    TASK_COLUMNS,
    Benchmark,
)
from glscore.core.table import Table, missing
from glscore.core.vocabulary import SCALES
from glscore.errors import InputError, did_you_mean, plain, where
from glscore.io.guard import check_table, check_workbook, require_file

if TYPE_CHECKING:  # pandas builds the table views and reads Parquet; scoring a file needs none
    import pandas as pd

#: Header of an official workbook sheet, before the score columns.
WORKBOOK_KEY_COLUMNS: tuple[str, ...] = ("No", "Task Name", "Task Short Name", "Metrics")
SOTA_COLUMN = "SoTA Performance"
IGNORED_SHEETS = ("level-scores",)
#: Cell texts meaning "not supported" (compared case-insensitively after
#: stripping); an empty cell or a null means the same.
NOT_SUPPORTED_MARKERS: tuple[str, ...] = ("∞", "inf", "+inf", "infinity", "nan", "n/a", "-")
#: Largest magnitude accepted as a score: beyond it a mapping or a mean can
#: overflow, and no metric of the benchmark comes near it.
MAX_MAGNITUDE = 1e12
#: The committed task table, the default SoTA for workbooks and tidy files.
COMMITTED_SOTA_LABEL = "data/tasks.csv"

_MARKER_SET = frozenset(NOT_SUPPORTED_MARKERS)
_MARKER_TEXT = ", ".join(f"'{m}'" for m in NOT_SUPPORTED_MARKERS)


class InputWarning(UserWarning):
    """Input that is scored but deserves a look (the CLI prints it on stderr)."""


class CellError(ValueError):
    """A cell that is neither a number nor a marker; ``str()`` is the reason."""


# --------------------------------------------------------------------------- values

def parse_cell(value: object) -> float:
    """One cell as a float, ``NaN`` for "not supported", else :class:`CellError`.

    >>> parse_cell(" 12.5 "), parse_cell("∞"), parse_cell("N/A"), parse_cell(3), parse_cell(None)
    (12.5, nan, nan, 3.0, nan)
    >>> parse_cell("85.3%")
    Traceback (most recent call last):
    ...
    glscore.io.loaders.CellError: '85.3%' is not a number (write 85.3 without '%')
    """
    if missing(value):
        return math.nan
    if isinstance(value, bool | np.bool_):
        raise CellError(f"{value} is a boolean, not a score")
    if isinstance(value, _dt.date | _dt.time | _dt.timedelta | np.datetime64):
        raise CellError(f"'{value}' is a date or time, not a number")
    if isinstance(value, np.floating) and value.dtype.itemsize < 8:
        number = float(str(value))  # float32 keeps the decimal the exporter wrote
    elif isinstance(value, int | float | np.integer | np.floating | decimal.Decimal):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text == "" or text.lower() in _MARKER_SET:
            return math.nan
        if text == "-∞":
            text = "-inf"
        try:
            number = float(text)
        except ValueError:
            raise CellError(f"'{text}' is not a number{_hint(text)}") from None
        spelled = text.lower().lstrip("+-") in ("inf", "infinity", "nan")
        if not math.isfinite(number) and not spelled:
            raise CellError(f"'{text}' overflows: not a score")
    else:
        raise CellError(f"'{value}' ({type(value).__name__}) is not a number")
    if math.isnan(number) or number == math.inf:
        return math.nan
    if number == -math.inf:
        raise CellError("-inf is not a score (write a number, or a marker for "
                        "'not supported')")
    if abs(number) > MAX_MAGNITUDE:
        raise CellError(f"{plain(number)} is too large to be a score "
                        f"(magnitude above {MAX_MAGNITUDE:.0e})")
    return number


def _hint(text: str) -> str:
    if text.endswith("%"):
        return f" (write {text[:-1].strip()} without '%')"
    if "," in text:
        try:
            float(text.replace(",", "."))
            return f" (decimal comma? write {text.replace(',', '.')})"
        except ValueError:
            pass
    return (f"; write a number, or leave the cell empty or write one of {_MARKER_TEXT} "
            "for 'not supported'")


def parse_values(cells: Sequence[object] | np.ndarray | pd.Series) -> np.ndarray:
    """:func:`parse_cell` over a column; a :class:`CellError` carries ``.index``.

    Numeric columns (float, int, float32, pandas nullable) are converted
    without a Python loop; text and other columns cell by cell, plain
    decimal numbers on a fast path (the value ``float`` gives).
    """
    pandas = sys.modules.get("pandas")  # a Series exists only if pandas is loaded
    if pandas is not None and isinstance(cells, pandas.Series):
        dtype = cells.dtype
        if pandas.api.types.is_bool_dtype(dtype):
            return _parse_objects(cells.to_numpy(dtype=object).tolist())
        if pandas.api.types.is_numeric_dtype(dtype):
            if getattr(dtype, "itemsize", 8) < 8 and pandas.api.types.is_float_dtype(dtype):
                return _parse_float32(cells.to_numpy(dtype=np.float32, na_value=np.nan))
            return _check_numeric(cells.to_numpy(dtype=float, na_value=np.nan))
        return _parse_objects(cells.to_numpy(dtype=object).tolist())
    if isinstance(cells, list):
        return _parse_objects(cells)
    arr = np.asarray(cells)
    if arr.dtype.kind in "fiu":
        if arr.dtype.kind == "f" and arr.dtype.itemsize < 8:
            return _parse_float32(arr)
        return _check_numeric(arr.astype(float))
    return _parse_objects(arr.tolist())


def _parse_float32(values: np.ndarray) -> np.ndarray:
    """float32 keeps the decimal the exporter wrote: its shortest repr."""
    return _check_numeric(values.astype(np.float32).astype(str).astype(float))


_PLAIN_NUMBER = r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*"


_IS_PLAIN_NUMBER = re.compile(_PLAIN_NUMBER).fullmatch


def _parse_objects(cells: Sequence[object]) -> np.ndarray:
    """Cell by cell: a text holding a plain decimal number is converted at once
    (the value ``float`` gives), every other cell through :func:`parse_cell`."""
    out: np.ndarray = np.empty(len(cells), dtype=np.float64)
    for i, cell in enumerate(cells):
        if type(cell) is str and _IS_PLAIN_NUMBER(cell):
            number = float(cell)
            if abs(number) <= MAX_MAGNITUDE:  # else (huge, overflow) parse_cell says why
                out[i] = number
                continue
        try:
            out[i] = parse_cell(cell)
        except CellError as exc:
            exc.index = i  # type: ignore[attr-defined]
            raise
    return out


def _check_numeric(values: np.ndarray) -> np.ndarray:
    """Numeric column: ``+inf``/``NaN`` -> not supported; ``-inf`` or huge -> error."""
    with np.errstate(invalid="ignore"):
        bad = (values == -np.inf) | (np.isfinite(values) & (np.abs(values) > MAX_MAGNITUDE))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        try:
            parse_cell(float(values[i]))
        except CellError as exc:
            exc.index = i  # type: ignore[attr-defined]
            raise
    return np.where(np.isposinf(values), np.nan, values)


@dataclass(frozen=True)
class _Place:
    """How a file names its rows: workbook rows, CSV lines or Parquet rows."""

    path: Path
    kind: str  # "sheet", "line" or "row"
    sheet: str | None = None

    def at(self, index: int | None = None, column: str | None = None,
           letter: int | None = None) -> str:
        """Location prefix for data row ``index`` (0-based) and ``column``."""
        parts = [f"'{self.path}'"]
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if index is not None:
            # workbooks and CSV: header is row/line 1; Parquet rows count data rows from 1
            number = index + 1 if self.kind == "row" else index + 2
            parts.append(f"{self.kind if self.kind != 'sheet' else 'row'} {number}")
        if column is not None:
            col = f"column '{column}'"
            if letter is not None:  # openpyxl only on this error path (its import is slow)
                from openpyxl.utils.cell import get_column_letter

                col += f" ({get_column_letter(letter + 1)})"
            parts.append(col)
        return ", ".join(parts) + ": "


def _parse_column(cells: Sequence[object] | np.ndarray | pd.Series, place: _Place, column: str,
                  letter: int | None = None) -> np.ndarray:
    try:
        return parse_values(cells)
    except CellError as exc:
        raise InputError(f"{place.at(getattr(exc, 'index', None), column, letter)}{exc}") from None


# --------------------------------------------------------------------------- paper data

def load_paper(data_dir: Path | str = paths.DATA_DIR) -> Benchmark:
    """The paper's Appendix B results, as curated in ``data/``.

    Models are ``model_id`` of ``data/models.csv`` (display names beside);
    only models with at least one per-task row are in the matrix.
    """
    import pandas as pd

    data_dir = Path(data_dir)
    tasks = read_data_csv(data_dir / "tasks.csv")
    scores = read_data_csv(data_dir / "scores.csv")
    models = read_data_csv(data_dir / "models.csv")
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
        metadata=read_model_metadata(data_dir / "models.csv"),
    )


def read_model_metadata(path: Path | str = paths.MODELS_CSV) -> Table:
    """The model metadata of ``data/models.csv`` (``model_id``, ``base_model_id``,
    ``base_tier``, ...) as text columns, an empty cell as ``""``; an empty table
    if the file is absent. Every loader attaches it to the benchmark it builds
    (:attr:`~glscore.core.benchmark.Benchmark.metadata`): what context rules
    such as ``beats_base`` read. (``.to_frame()`` is the pandas view.)"""
    path = Path(path)
    if not path.is_file():
        return Table({"model_id": np.empty(0, dtype=object)})
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            records = list(csv.reader(handle))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"'{path}': not a readable CSV ({_first_line(exc)})") from exc
    if not records:
        raise InputError(f"'{path}': not a readable CSV (no header)")
    header, body = _header_names(records[0]), [r for r in records[1:] if r]
    width = len(header)
    if any(len(r) > width for r in body):
        raise InputError(f"'{path}': not a readable CSV (a line has more fields than the "
                         "header)")
    return Table({name: np.array([r[k] if k < len(r) else "" for r in body] or [],
                                 dtype=object)
                  for k, name in enumerate(header)})


def _paper_source_label(data_dir: Path) -> str:
    """``paper data`` for the committed folder, else the folder's path."""
    if data_dir.resolve() == paths.DATA_DIR.resolve():
        return "paper data (data/)"
    return f"paper data ({data_dir})"


def read_data_csv(path: Path | str) -> pd.DataFrame:
    """A committed ``data/`` CSV with its column types (an empty cell is ``NaN``;
    text such as ``NA`` stays text). User files go through :func:`read_table`."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise InputError(f"'{path}': file not found")
    try:
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"'{path}': not a readable CSV ({_first_line(exc)})") from exc


def _require_columns(frame: pd.DataFrame | Table, columns: Iterable[str], path: object) -> None:
    found = list(frame.columns)
    absent = [c for c in columns if c not in found]
    if absent:
        hint = "".join(did_you_mean(c, found, 1) for c in absent[:1])
        raise InputError(
            f"'{path}': missing column(s) {absent}; columns found: "
            f"{[str(c) for c in found]}{hint}"
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --------------------------------------------------------------------------- workbooks

@dataclass(frozen=True)
class _Sheet:
    header: list[str]
    rows: list[list[object]]
    #: (data row index, column index) of formula cells (empty in ``rows``: no saved value)
    formulas: frozenset[tuple[int, int]] = frozenset()
    #: (data row index, column index) -> the Excel error of an error cell (``#N/A``,
    #: ``#DIV/0!``, ...), which calamine reads as empty
    errors: Mapping[tuple[int, int], str] = field(default_factory=dict)


def _read_workbook(path: Path) -> dict[str, _Sheet]:
    """All sheets of a workbook (header row + data rows), via calamine."""
    import python_calamine

    require_file(path)
    if path.stat().st_size == 0:
        raise InputError(f"'{path}': file is empty, not an Excel workbook")
    errors = check_workbook(path)  # dimensions and inflated size, before calamine reads
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
    unsaved = _unsaved_formulas(path)
    return {name: _Sheet(s.header, s.rows, frozenset(unsaved.get(name, ())),
                         errors.get(name, {}))
            for name, s in sheets.items()}


#: A formula element in a worksheet part (``<f>``, ``<f t="shared" .../>``, or
#: namespace-prefixed ``<x:f>``): a cheap screen that decides whether openpyxl
#: must look at the workbook at all, not a parser.
_FORMULA_SCREEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _unsaved_formulas(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Per sheet, the (data row, column) of every formula cell.

    A workbook written by a script (openpyxl, xlsxwriter) stores formulas but
    no results until a spreadsheet program recalculates and saves it; calamine
    then reads those cells as empty, and :func:`_sheet_values` reports a
    formula cell read as empty. openpyxl (read-only, formulas as written) finds
    the formula cells; it runs only when a worksheet part holds a formula
    element at all (:data:`_FORMULA_SCREEN`), so a workbook of plain values is
    read by calamine alone. Only ``.xlsx``/``.xlsm`` are inspected.
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not _has_formulas(path):
        return {}
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # unreadable here: calamine's reading stands (openpyxl raises many types)
        return {}
    try:
        out: dict[str, set[tuple[int, int]]] = {}
        for sheet in book.worksheets:
            cells = {(cell.row - 2, cell.column - 1) for row in sheet.iter_rows()
                     for cell in row if getattr(cell, "data_type", None) == "f"}
            if cells:
                out[sheet.title] = cells
        return out
    finally:
        book.close()


def _has_formulas(path: Path) -> bool:
    """Whether a worksheet part of the ``.xlsx`` archive holds a formula element."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = (archive.read(name) for name in archive.namelist()
                     if name.startswith("xl/worksheets/") and name.endswith(".xml"))
            # substring tests first (fast); the pattern only where one may be there
            return any((b"<f" in xml or b":f" in xml) and _FORMULA_SCREEN.search(xml)
                       for xml in parts)
    except (zipfile.BadZipFile, OSError):
        return False


def _header_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _column(sheet: _Sheet, name: str, path: Path, sheet_name: str) -> list[object]:
    if name not in sheet.header:
        raise InputError(
            f"{where(path, sheet_name)}no column '{name}'; columns found: {sheet.header}"
            f"{did_you_mean(name, sheet.header, 1)}"
        )
    j = sheet.header.index(name)
    return [row[j] if j < len(row) else "" for row in sheet.rows]


def _sheet_values(sheet: _Sheet, name: str, path: Path, sheet_name: str) -> np.ndarray:
    """The numbers of column ``name`` (markers -> NaN, formulas without values -> error)."""
    j = sheet.header.index(name)
    cells = _column(sheet, name, path, sheet_name)
    place = _Place(path, "sheet", sheet_name)
    for i, cell in enumerate(cells):
        if (i, j) in sheet.errors and cell in ("", None):
            raise InputError(
                f"{place.at(i, name, j)}Excel error '{sheet.errors[(i, j)]}' is not a score: "
                "fix the formula, or leave the cell empty (or write a marker) for 'not "
                "supported'"
            )
        if (i, j) in sheet.formulas and cell in ("", None):
            raise InputError(
                f"{place.at(i, name, j)}formula without a saved value: open and save the "
                "workbook in a spreadsheet program, or export values"
            )
    return _parse_column(cells, place, name, j)


#: Suffix of the sheet that holds the standard errors of a task sheet (``NLP SE``).
SE_SUFFIX = " SE"


def _data_sheets(book: dict[str, _Sheet]) -> list[str]:
    """The task sheets: every sheet but the ignored ones and the standard-error
    sheets of a task sheet (``<sheet> SE``)."""
    return [s for s in book if s.lower() not in IGNORED_SHEETS
            and not (s.endswith(SE_SUFFIX) and s[:-len(SE_SUFFIX)] in book)]


def _se_sheets(path: Path, book: dict[str, _Sheet]) -> dict[str, _Sheet]:
    """The standard-error sheets of a workbook, by the task sheet they belong to;
    a ``... SE`` sheet without its task sheet is an error."""
    out = {}
    for name, sheet in book.items():
        if name.endswith(SE_SUFFIX):
            base = name[:-len(SE_SUFFIX)]
            if base not in book:
                raise InputError(f"'{path}': sheet '{name}' holds standard errors, but the "
                                 f"workbook has no sheet '{base}'")
            out[base] = sheet
    return out


def _sota_tasks(path: Path, book: dict[str, _Sheet]) -> Table:
    """The tasks table of an official SoTA workbook (canonical sheet order)."""
    names = _data_sheets(book)
    unknown = [s for s in names if s not in SHEET_NAMES]
    if unknown:
        hint = did_you_mean(unknown[0], SHEET_NAMES, 1)
        raise InputError(
            f"'{path}': unexpected sheet(s) {unknown}; expected some of {list(SHEET_NAMES)}"
            f"{hint}"
        )
    columns: dict[str, list[object]] = {c: [] for c in TASK_COLUMNS}
    sotas: list[np.ndarray] = []
    sota_ses: list[np.ndarray] = []
    se_sheets = _se_sheets(path, book)
    found = False
    for sheet_name, modality, paradigm, prefix in SHEETS:
        if sheet_name not in book:
            continue
        found = True
        sheet = book[sheet_name]
        task_names = _column(sheet, "Task Name", path, sheet_name)
        short = _column(sheet, "Task Short Name", path, sheet_name)
        metric = [_text(x) for x in _column(sheet, "Metrics", path, sheet_name)]
        sotas.append(_sheet_values(sheet, SOTA_COLUMN, path, sheet_name))
        n = len(sheet.rows)
        sota_se = _sota_se(path, sheet_name, se_sheets, [_text(x) for x in task_names])
        sota_ses.append(np.full(n, np.nan) if sota_se is None else sota_se)
        columns["task_id"] += [f"{prefix}-{i:03d}" for i in range(1, n + 1)]
        columns["modality"] += [modality] * n
        columns["paradigm"] += [paradigm] * n
        columns["sheet"] += [sheet_name] * n
        columns["sheet_row"] += list(range(1, n + 1))
        columns["task_name"] += [_text(x) for x in task_names]
        columns["task_short_name"] += [_text(x) for x in short]
        columns["metric"] += metric
        columns["direction"] += [_direction(m) for m in metric]
    if not found:
        raise InputError(f"'{path}': no task sheets; expected some of {list(SHEET_NAMES)}")
    if not columns["task_id"]:
        raise InputError(f"'{path}': the task sheets have a header but no task rows")
    tasks = Table({**{c: np.array(v, dtype=object) for c, v in columns.items()},
                   "sheet_row": np.array(columns["sheet_row"], dtype=np.int64),
                   "sota": np.concatenate(sotas),
                   **({"sota_se": np.concatenate(sota_ses)} if se_sheets else {})})

    def locate(j: int) -> str:
        sheet = str(tasks["sheet"][j])
        at = book[sheet].header.index(SOTA_COLUMN)
        return _Place(path, "sheet", sheet).at(int(tasks["sheet_row"][j]) - 1, SOTA_COLUMN, at)

    check_sota_domains(tasks, locate)
    return tasks


def _sota_se(path: Path, sheet_name: str, se_sheets: Mapping[str, _Sheet],
             task_names: list[str]) -> np.ndarray | None:
    """The SoTA's standard errors of a task sheet from its ``<sheet> SE`` sheet (the
    same task rows, a ``SoTA Performance`` column), ``None`` without one."""
    sheet = se_sheets.get(sheet_name)
    if sheet is None:
        return None
    name = f"{sheet_name}{SE_SUFFIX}"
    _check_rows(path, name, task_names, [_text(x) for x in _column(sheet, "Task Name", path,
                                                                     name)])
    values = _sheet_values(sheet, SOTA_COLUMN, path, name)
    _check_standard_errors(values, lambda i: _Place(path, "sheet", name).at(i, SOTA_COLUMN))
    return values


def _check_standard_errors(values: np.ndarray, locate: Callable[[int], str]) -> None:
    """Standard errors are numbers >= 0 (NaN: unknown); the first negative one is an
    :class:`InputError` placed by ``locate(index)``."""
    with np.errstate(invalid="ignore"):
        negative = values < 0
    if negative.any():
        i = int(np.flatnonzero(negative)[0])
        raise InputError(f"{locate(i)}standard error {plain(values[i])} is negative")


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)


def _direction(metric: str) -> str:
    special = metrics.match_alias(metric)
    return special.direction if special else "higher"


def _model_columns(path: Path, sheet_name: str, sheet: _Sheet,
                   model: str | None) -> list[str]:
    """Score columns to read: the one named ``model`` (case-insensitive) or all.

    A column after the key columns with values but no header is an error (a
    model needs a name); an empty column without a header is ignored.
    """
    key = set(WORKBOOK_KEY_COLUMNS) | {SOTA_COLUMN}
    for j, h in enumerate(sheet.header):
        if h in ("", "None") and any(j < len(r) and r[j] not in ("", None) for r in sheet.rows):
            from openpyxl.utils.cell import get_column_letter

            raise InputError(
                f"{where(path, sheet_name)}column {get_column_letter(j + 1)} has values but no "
                "model name in row 1: write the model's name there"
            )
    candidates = [h for h in sheet.header if h not in key and h not in ("", "None")]
    if model is None:
        return candidates
    wanted = naming.key(model)
    return [h for h in candidates if naming.key(h) == wanted]


def load_workbooks(
    sota_path: Path | str | None,
    result_paths: Sequence[Path | str],
    model: str | None = None,
    scale: str = "auto",
) -> Benchmark:
    """Official-layout result workbooks against a SoTA table.

    ``sota_path`` is an official SoTA workbook (``sota_result.xlsx``), a tasks
    CSV/Parquet with ``sheet``, ``sheet_row`` and ``task_name``, or ``None``
    for the committed task table ``data/tasks.csv``. Each result workbook must
    have the SoTA table's sheets (a sheet named ``level-scores`` is ignored,
    as the reference does) and, in every sheet, the same task rows in the same
    order (checked by ``Task Name``). The model column is found by
    case-insensitive name; without ``model`` every column after ``Metrics`` is
    a model. ``scale`` is passed to :func:`check_scale`.
    """
    if sota_path is None:
        tasks, label = read_tasks(paths.TASKS_CSV), COMMITTED_SOTA_LABEL
        present = set(tasks["sheet"].tolist())
    elif Path(sota_path).suffix.lower() in WORKBOOK_SUFFIXES:
        sota_book = _read_workbook(Path(sota_path))
        tasks, label = _sota_tasks(Path(sota_path), sota_book), str(sota_path)
        present = set(_data_sheets(sota_book))  # a sheet without rows still counts
    else:
        tasks, label = read_tasks(sota_path), str(sota_path)
        present = set(tasks["sheet"].tolist())
    if any(missing(v) for v in tasks["sheet"].tolist()) or all(
            t == "" for t in tasks.text("task_name")):
        raise InputError(f"'{label}': a SoTA table for workbooks needs the columns 'sheet', "
                         "'sheet_row' and 'task_name'")
    tasks = tasks.take(_sheet_order(tasks))
    sheets = tuple(s for s in SHEET_NAMES if s in present)
    names: list[str] = []
    rows: list[np.ndarray] = []
    errors: list[np.ndarray] = []
    if not result_paths:
        raise InputError("no result workbook given")
    origin: list[tuple[Path, dict[str, tuple[str, int]]]] = []
    for result_path in map(Path, result_paths):
        book = _read_workbook(result_path)
        _se_sheets(result_path, book)  # an SE sheet names its task sheet
        _check_sheets(label, set(sheets), result_path, book)
        read = _result_columns(result_path, book, tasks, model)
        errors += _result_se(result_path, book, tasks, [(c, at) for c, _, at in read])
        for column, vector, at in read:
            origin.append((result_path, at))
            same = [n for n in names if naming.key(n) == naming.key(column)]
            if same:
                raise InputError(f"'{result_path}': {naming.clash(column, same[0])}, read "
                                 "from an earlier file")
            names.append(column)
            rows.append(vector)
    if not names:
        raise InputError(f"'{result_paths[0]}': no model column after 'Metrics'")
    values = np.vstack(rows)
    se = np.where(np.isfinite(values), np.vstack(errors), np.nan)  # no error without a value
    bench = Benchmark(tasks, tuple(names), values, sheets, f"workbooks (SoTA: {label})",
                      se=se if np.isfinite(se).any() else None, metadata=read_model_metadata())
    files = [str(p) for p in result_paths]
    _check_has_scores(bench, files)
    bench = check_scale(bench, scale, files)

    def locate(i: int, j: int) -> str:
        sheet, row = str(tasks["sheet"][j]), int(tasks["sheet_row"][j])
        header, letter = origin[i][1][sheet]
        return _Place(origin[i][0], "sheet", sheet).at(row - 1, header, letter)

    check_value_domains(bench, locate)
    return bench


def _sheet_order(tasks: Table) -> np.ndarray:
    """The rows of a tasks table by sheet (canonical order; an unknown sheet
    last) and row within it, stably."""
    rank = {s: k for k, s in enumerate(SHEET_NAMES)}
    sheet = np.array([rank.get(s, len(rank)) for s in tasks["sheet"].tolist()], dtype=np.int64)
    return np.lexsort((np.asarray(tasks["sheet_row"]), sheet))


def _check_sheets(sota_label: str, expected: set[str], result_path: Path, book: dict) -> None:
    found = set(_data_sheets(book))
    if found != expected:
        missing = sorted(expected - found)
        extra = sorted(found - expected)
        detail = "; ".join(
            part for part in (
                f"missing sheet(s) {missing}" if missing else "",
                f"extra sheet(s) {extra}" if extra else "",
            ) if part
        )
        raise InputError(f"'{result_path}': sheets do not match '{sota_label}': {detail}")


def _result_columns(
    path: Path, book: dict[str, _Sheet], tasks: Table, model: str | None
) -> list[tuple[str, np.ndarray, dict[str, tuple[str, int]]]]:
    """Per model column of one result workbook, its values in task order and,
    per sheet, the column's header and index (to name a cell in messages)."""
    columns: list[str] | None = None
    blocks: dict[str, list[np.ndarray]] = {}
    found_at: dict[str, dict[str, tuple[str, int]]] = {}
    task_names = tasks.text("task_name")
    sheet_of = tasks["sheet"].tolist()
    for sheet_name in dict.fromkeys(sheet_of):
        sheet = book[sheet_name]
        expected = [n for n, s in zip(task_names, sheet_of, strict=True) if s == sheet_name]
        found = [_text(x) for x in _column(sheet, "Task Name", path, sheet_name)]
        _check_rows(path, sheet_name, expected, found)
        wanted = _model_columns(path, sheet_name, sheet, model)
        if model is not None and len(wanted) > 1:
            raise InputError(
                f"{where(path, sheet_name)}{len(wanted)} columns match model '{model}': {wanted}"
            )
        if not wanted:
            candidates = [h for h in sheet.header if h not in WORKBOOK_KEY_COLUMNS]
            what = (f"no column for model '{model}'{did_you_mean(model, candidates)}"
                    if model else "no model column")
            raise InputError(f"{where(path, sheet_name)}{what}; columns found: {sheet.header}")
        spelled = [naming.canonical(w, f"{where(path, sheet_name, 1)}column '{w}': ")
                   for w in wanted]
        hit = naming.first_clash(spelled)
        if hit is not None:
            raise InputError(f"{where(path, sheet_name)}{naming.clash(hit[1], hit[2])}")
        if columns is None:
            columns = spelled
        elif [naming.key(w) for w in spelled] != [naming.key(c) for c in columns]:
            raise InputError(
                f"{where(path, sheet_name)}model columns {spelled} differ from {columns}"
            )
        for name, col_name in zip(columns, wanted, strict=True):
            blocks.setdefault(name, []).append(_sheet_values(sheet, col_name, path, sheet_name))
            found_at.setdefault(name, {})[sheet_name] = (col_name, sheet.header.index(col_name))
    if columns is None:
        return []
    return [(name, np.concatenate(blocks[name]), found_at[name]) for name in columns]


def _result_se(path: Path, book: dict[str, _Sheet], tasks: Table,
               columns: list[tuple[str, dict[str, tuple[str, int]]]]) -> list[np.ndarray]:
    """Per model column (``columns``: name and, per sheet, its header), the standard
    errors in task order from the ``<sheet> SE`` sheets, NaN where a sheet has none.

    An SE sheet repeats its task sheet's layout: the same task rows (checked by
    ``Task Name``) and the same model columns; each cell is the standard error
    of the value beside it, in the value's unit (empty or a marker: unknown; a
    number >= 0, else an error naming the cell)."""
    se_sheets = _se_sheets(path, book)
    out = [np.full(len(tasks), np.nan) for _ in columns]
    for base, sheet in se_sheets.items():
        name = f"{base}{SE_SUFFIX}"
        if base not in set(tasks["sheet"].tolist()):
            continue
        task_rows = np.flatnonzero(tasks["sheet"] == base)
        expected = [tasks.text("task_name")[k] for k in task_rows.tolist()]
        _check_rows(path, name, expected, [_text(x) for x in _column(sheet, "Task Name", path,
                                                                     name)])
        given = {naming.key(h): h for h in sheet.header
                 if h not in set(WORKBOOK_KEY_COLUMNS) | {SOTA_COLUMN} and h not in ("", "None")}
        wanted = {naming.key(c): c for c, _ in columns}
        extra = [h for k, h in given.items() if k not in wanted]
        absent = [c for k, c in wanted.items() if k not in given]
        if extra or absent:
            detail = "; ".join(p for p in (f"model column(s) {extra} not in '{base}'" if extra
                                           else "", f"no column for {absent}" if absent
                                           else "") if p)
            raise InputError(f"{where(path, name)}the standard errors must have the model "
                             f"columns of '{base}': {detail}")
        for k, (column, _) in enumerate(columns):
            header = given[naming.key(column)]
            values = _sheet_values(sheet, header, path, name)
            _check_standard_errors(values, functools.partial(
                _Place(path, "sheet", name).at, column=header, letter=sheet.header.index(header)))
            out[k][task_rows] = values
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


def _check_has_scores(bench: Benchmark, files: Sequence[str]) -> None:
    """Every model has at least one supported value."""
    empty = ~np.isfinite(bench.values).any(axis=1)
    if empty.any():
        i = int(np.flatnonzero(empty)[0])
        origin = f"'{files[0]}': " if len(files) == 1 else ""
        raise InputError(
            f"{origin}model '{bench.models[i]}' has no scores (every cell empty or a "
            "'not supported' marker): did you pick the right column?"
        )


# --------------------------------------------------------------------------- tidy files

TIDY_SUFFIXES = (".csv", ".txt", ".tsv", ".parquet", ".pq")


@dataclass(frozen=True)
class FileTable:
    """A table read from a file: its columns (:class:`~glscore.core.table.Table`;
    every CSV column is text, ``""`` for an empty cell; Parquet keeps its
    types) and the position of every row as the file counts it, ``index``
    (0-based: a CSV row is on line ``index + 2``, header on line 1; a Parquet
    row is row ``index + 1``), so that an error names the place."""

    table: Table
    index: np.ndarray

    @property
    def columns(self) -> tuple[str, ...]:
        return self.table.columns

    def __len__(self) -> int:
        return len(self.table)

    def take(self, rows: np.ndarray) -> FileTable:
        return FileTable(self.table.take(rows), self.index[rows])

    def to_frame(self) -> pd.DataFrame:
        """The pandas view: the columns, indexed by :attr:`index`."""
        frame = self.table.to_frame().copy()
        frame.index = self.index
        return frame

    @classmethod
    def of(cls, frame: FileTable | pd.DataFrame) -> FileTable:
        """A :class:`FileTable` (a DataFrame's index gives the row positions)."""
        if isinstance(frame, FileTable):
            return frame
        return cls(Table.from_frame(frame), np.asarray(frame.index.to_numpy(), dtype=np.int64))


def read_rows(path: Path | str, skip: int = 0) -> FileTable:
    """A CSV or Parquet file as a :class:`FileTable`, with precise errors.

    CSV cells are read as text (``""`` for an empty cell; the standard
    library's reader, no pandas), so that values are judged by
    :func:`parse_cell` and not guessed by the CSV parser; blank lines are
    dropped but every row keeps its line (a quoted field may span lines),
    counting the ``skip`` lines before the header as well. Parquet keeps its
    column types (read by pandas). A file with a header and no rows is an
    error; column names are stripped, and lower-cased when that keeps them
    distinct (they are matched case-insensitively).
    """
    path = Path(path)
    require_file(path)
    if path.stat().st_size == 0:
        raise InputError(f"'{path}': file is empty")
    suffix = path.suffix.lower()
    if suffix not in TIDY_SUFFIXES:
        raise InputError(f"'{path}': unknown file type '{suffix}' (expected .csv or .parquet)")
    check_table(path)
    try:
        if suffix in (".parquet", ".pq"):
            import pandas as pd

            frame = pd.read_parquet(path)
            _check_distinct_names(path, [str(c).strip() for c in frame.columns])
            frame.columns = _column_names([str(c).strip() for c in frame.columns])
            rows = FileTable(Table.from_frame(frame), np.arange(len(frame), dtype=np.int64))
        else:
            rows = _read_csv(path, "\t" if suffix == ".tsv" else ",", skip)
    except InputError:
        raise
    except Exception as exc:  # pyarrow and the csv reader raise many types
        raise InputError(f"'{path}': not a readable table ({_first_line(exc)})") from exc
    if not len(rows) or not rows.columns:
        raise InputError(f"'{path}': a header but no rows (columns {list(rows.columns)})")
    if suffix != ".tsv" and len(rows.columns) == 1:
        for other in (";", "\t", "|"):
            if other in rows.columns[0]:
                raise InputError(f"'{path}': one column '{rows.columns[0]}': is the file "
                                 f"separated by {other!r}? glscore reads comma-separated "
                                 ".csv and tab-separated .tsv")
    return rows


def read_table(path: Path | str, skip: int = 0) -> pd.DataFrame:
    """:func:`read_rows` as a pandas DataFrame, indexed by row position
    (a CSV row is on line ``index + 2``)."""
    return read_rows(path, skip).to_frame()


def _check_distinct_names(path: Path, names: Sequence[str]) -> None:
    """Two columns whose names differ at most in case (``value,Value``) are an
    error: names are matched case-insensitively, and one would be dropped."""
    lowered = [n.lower() for n in names]
    for k, name in enumerate(names):
        if name and lowered.index(name.lower()) < k:
            first = names[lowered.index(name.lower())]
            raise InputError(f"'{path}': columns '{first}' and '{name}' have the same name "
                             "(column names are matched case-insensitively): keep one")


def _read_csv(path: Path, sep: str, skip: int) -> FileTable:
    """The records of a CSV file as text columns with their first lines; a
    record with more fields than the header is an error naming its line."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for _ in range(skip):
            handle.readline()
        reader = csv.reader(handle, delimiter=sep)
        header = next(reader, None)
        if header is None:
            raise InputError(f"'{path}': not a readable table (no header line)")
        width = len(header)
        records: list[list[str]] = []
        starts: list[int] = []
        last = reader.line_num
        for record in reader:
            if len(record) > width:
                raise InputError(f"'{path}', line {reader.line_num + skip}: {len(record)} "
                                 f"fields, the header has {width}")
            if any(field.strip() for field in record):  # a blank line is dropped
                records.append(record + [""] * (width - len(record)))
                starts.append(last + 1)
            last = reader.line_num
    _check_distinct_names(path, [name.strip() for name in header])
    names = _column_names([name.strip() for name in _header_names(header)])
    columns = {name: np.array([r[k] for r in records] or [], dtype=object)
               for k, name in enumerate(names)}
    return FileTable(Table(columns), np.array(starts, dtype=np.int64) + skip - 2)


def _header_names(header: Sequence[str]) -> list[str]:
    """Header cells as a table's column names: an empty one is ``Unnamed: k``
    and a repeated one gets ``.1``, ``.2``, ... (as pandas names them)."""
    names: list[str] = []
    seen: set[str] = set()
    for k, cell in enumerate(header):
        name = cell if cell != "" else f"Unnamed: {k}"
        candidate, count = name, 0
        while candidate in seen:
            count += 1
            candidate = f"{name}.{count}"
        seen.add(candidate)
        names.append(candidate)
    return names


def _column_names(names: list[str]) -> list[str]:
    """Column names lower-cased when that keeps them distinct (names are
    matched case-insensitively)."""
    lowered = [n.lower() for n in names]
    return lowered if len(set(lowered)) == len(lowered) else names


def _place_of(path: Path) -> _Place:
    return _Place(path, "row" if path.suffix.lower() in (".parquet", ".pq") else "line")


def _text_column(rows: FileTable, column: str, place: _Place, what: str) -> np.ndarray:
    """A column of names/ids as stripped text; an empty or null cell, and a cell
    that is not text or a number (a boolean, a date, a Parquet struct or list, bytes),
    are errors."""
    raw = rows.table[column]
    cells = raw.tolist()
    odd = (np.ones(len(cells), dtype=bool) if raw.dtype.kind in "bMm"
           else np.array([_not_text(v) for v in cells], dtype=bool) if raw.dtype == object
           else np.zeros(len(cells), dtype=bool))
    if odd.any():
        k = int(np.flatnonzero(odd)[0])
        value = raw[k]
        raise InputError(f"{place.at(int(rows.index[k]), column)}a "
                         f"{type(value).__name__} ({str(value)[:60]}) is not a {what}: "
                         "write text")
    text = np.array(["" if missing(v) else _text(v).strip() for v in cells], dtype=object)
    empty = text == ""
    if empty.any():
        k = int(np.flatnonzero(empty)[0])
        raise InputError(f"{place.at(int(rows.index[k]), column)}empty {what}")
    return text


def _not_text(value: object) -> bool:
    """A cell that cannot stand for a name or an id (numbers and text can)."""
    return (not missing(value) and not isinstance(
        value, str | int | float | np.integer | np.floating | decimal.Decimal)) or isinstance(
        value, bool | np.bool_)


#: Where a value comes from (tidy column ``provenance``, mapping column of the same
#: name): General-Bench's own data, or an upstream dataset standing in for a task.
PROVENANCES: tuple[str, ...] = ("general-bench", "proxy")


def load_tidy(
    results_path: Path | str,
    tasks: Table | pd.DataFrame | None = None,
    scale: str = "auto",
    model: str | None = None,
    sota_label: str = COMMITTED_SOTA_LABEL,
) -> Benchmark:
    """A tidy results file (``model, task_id, value``) against a tasks table.

    ``tasks`` defaults to the committed paper tasks (``data/tasks.csv``).
    Values follow :func:`parse_cell`; model names are stripped and compared
    case-insensitively (two spellings of one name are an error, as in
    workbooks); a (model, task) pair given twice is an error. Optional
    columns: ``se`` (the value's standard error, same unit; empty or a marker
    = unknown), ``provenance`` (:data:`PROVENANCES`, empty =
    ``general-bench``) and ``source`` (ignored: where a value came from, as
    ``glscore export --to tidy`` writes it). See :func:`tidy_benchmark`.
    """
    path = Path(results_path)
    return tidy_benchmark(read_rows(path), _place_of(path), tasks, scale, model,
                          f"tidy ({path.name}; SoTA: {sota_label})")


def tidy_benchmark(
    frame: FileTable | pd.DataFrame,
    place: _Place,
    tasks: Table | pd.DataFrame | None = None,
    scale: str = "auto",
    model: str | None = None,
    label: str | None = None,
    located: bool = False,
) -> Benchmark:
    """The :class:`Benchmark` of a tidy table (the body of :func:`load_tidy`).

    ``frame`` is a :class:`FileTable` (or a DataFrame whose index gives the
    rows' positions); ``place`` names the rows in messages (the file and its
    lines or rows); the harness readers build their tidy table and come
    through here too (``located``: the table's ``source`` column says where
    each value was read, and a value outside its metric's domain is named by
    it). ``se`` becomes :attr:`Benchmark.se` (``None`` without the column),
    ``provenance == "proxy"`` :attr:`Benchmark.proxy` (``None`` without the
    column). A standard error is a number >= 0 or a marker (unknown); one
    given for a missing value is dropped with it.
    """
    rows = FileTable.of(frame)
    path = place.path
    _require_columns(rows, ("model", "task_id", "value"), path)
    table = read_tasks(paths.TASKS_CSV) if tasks is None else Table.of(tasks)
    names = _text_column(rows, "model", place, "model name")
    task_ids = _text_column(rows, "task_id", place, "task_id")
    lines = rows.index
    names = _canonical_names(names, place, lines)
    if model is not None:
        wanted = naming.key(model)
        keep = np.array([naming.key(n) == wanted for n in names.tolist()], dtype=bool)
        if not keep.any():
            found = list(dict.fromkeys(names.tolist()))
            raise InputError(f"'{path}': no rows for model '{model}'"
                             f"{did_you_mean(model, found) or f'; models found: {found[:5]}'}")
        rows, names, task_ids, lines = rows.take(keep), names[keep], task_ids[keep], lines[keep]
    known = table.text("task_id")
    position = {t: j for j, t in enumerate(known)}
    task_pos = np.array([position.get(t, -1) for t in task_ids.tolist()], dtype=np.int64)
    if (task_pos < 0).any():
        k = int(np.flatnonzero(task_pos < 0)[0])
        raise InputError(f"{place.at(int(lines[k]), 'task_id')}unknown task '{task_ids[k]}'"
                         f"{did_you_mean(task_ids[k], known)}")
    model_names = tuple(dict.fromkeys(names.tolist()))
    model_pos = {m: i for i, m in enumerate(model_names)}
    model_rows = np.array([model_pos[n] for n in names.tolist()], dtype=np.int64)
    cell_keys = model_rows * len(known) + task_pos
    seen: set[int] = set()
    for k, key in enumerate(cell_keys.tolist()):
        if key in seen:
            raise InputError(f"{place.at(int(lines[k]))}model '{names[k]}' and task "
                             f"'{task_ids[k]}' appear twice")
        seen.add(key)
    parsed = _parse_rows(rows.table["value"], place, lines, "value")
    cells = (model_rows, task_pos)
    shape = (len(model_names), len(known))
    values = np.full(shape, np.nan)
    values[cells] = parsed
    se = proxy = None
    if "se" in rows.columns:
        errors = _parse_rows(rows.table["se"], place, lines, "se")
        _check_standard_errors(errors, lambda k: place.at(int(lines[k]), "se"))
        se = np.full(shape, np.nan)
        se[cells] = np.where(np.isfinite(parsed), errors, np.nan)
    if "provenance" in rows.columns:
        given = rows.table["provenance"].tolist()
        text = ["" if missing(v) else _text(v).strip().lower() for v in given]
        text = [t or PROVENANCES[0] for t in text]
        for k, value in enumerate(text):
            if value not in PROVENANCES:
                raise InputError(f"{place.at(int(lines[k]), 'provenance')}unknown provenance "
                                 f"'{given[k]}'; expected one of {list(PROVENANCES)} (empty = "
                                 f"{PROVENANCES[0]}){did_you_mean(value, PROVENANCES, 1)}")
        proxy = np.zeros(shape, dtype=bool)
        proxy[cells] = np.array(text, dtype=object) == "proxy"
    source = label if label is not None else f"tidy ({path.name})"
    bench = Benchmark(table, model_names, values,
                      tuple(dict.fromkeys(table["sheet"].tolist())), source, se=se, proxy=proxy,
                      metadata=read_model_metadata())
    _check_has_scores(bench, [str(path)])
    bench = check_scale(bench, scale, [str(path)])
    rows_of = cells[0]
    where_column = ([str(v) for v in rows.table["source"].tolist()] if located
                    else None)

    def locate(i: int, j: int) -> str:
        k = int(np.flatnonzero((rows_of == i) & (task_pos == j))[0])
        if where_column is not None:
            return f"'{where_column[k]}' (model '{names[k]}', task {task_ids[k]}): "
        return place.at(int(lines[k]), "value")

    check_value_domains(bench, locate)
    return bench


def _canonical_names(names: np.ndarray, place: _Place, lines: np.ndarray) -> np.ndarray:
    """The model column in canonical spelling (:func:`glscore.core.names.canonical`:
    NFC, something visible); two distinct spellings of one name are an error
    naming the line of the second. Each distinct name is looked at once."""
    firsts: dict[str, int] = {}  # distinct names and their first positions
    for k, name in enumerate(names.tolist()):
        firsts.setdefault(name, k)
    spelled = {name: naming.canonical(name, place.at(int(lines[k]), "model"))
               for name, k in firsts.items()}
    hit = naming.first_clash(dict.fromkeys(spelled.values()))
    if hit is not None:
        k = next(k for name, k in firsts.items() if spelled[name] == hit[1])
        raise InputError(f"{place.at(int(lines[k]), 'model')}{naming.clash(hit[1], hit[2])}")
    return np.array([spelled[n] for n in names.tolist()], dtype=object)


def _parse_rows(cells: np.ndarray, place: _Place, lines: np.ndarray, column: str) -> np.ndarray:
    """:func:`parse_values` of a tidy column; an error names the row and column."""
    try:
        return parse_values(cells)
    except CellError as exc:
        k = getattr(exc, "index", 0)
        raise InputError(f"{place.at(int(lines[k]), column)}{exc}") from None


def read_tasks(path: Path | str) -> Table:
    """A tasks table: an official SoTA workbook, or a CSV/Parquet tasks file,
    as a :class:`~glscore.core.table.Table` (no pandas for a workbook or a CSV;
    :func:`load_tasks` is the DataFrame view).

    Columns ``task_id, modality, paradigm, metric, sota`` are required;
    ``sheet`` defaults from modality and paradigm, ``direction`` from the
    metric, ``sheet_row`` to the row within the sheet. ``sota`` follows
    :func:`parse_cell` (a marker = no SoTA for that task). Further text
    columns whose every non-empty cell is a number become numbers (whole
    numbers ``int64``). The vocabulary is checked when the Benchmark is built.
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _sota_tasks(path, _read_workbook(path))
    rows = read_rows(path)
    _require_columns(rows, ("task_id", "modality", "paradigm", "metric", "sota"), path)
    place = _place_of(path)
    columns: dict[str, np.ndarray] = {c: rows.table[c] for c in rows.columns}
    text: dict[str, list[str]] = {}
    for column in ("task_id", "modality", "paradigm", "metric"):
        text[column] = _text_column(rows, column, place, column).tolist()
    for column in ("sheet", "task_name", "task_short_name", "direction"):
        given = rows.table.get(column)
        text[column] = ([""] * len(rows) if given is None
                        else ["" if missing(v) else _text(v).strip() for v in given.tolist()])
    sheet_of = {(m, p): s for s, m, p, _ in SHEETS}
    text["sheet"] = [s or sheet_of.get((m, p), "NLP") for s, m, p in
                     zip(text["sheet"], text["modality"], text["paradigm"], strict=True)]
    text["direction"] = [d or _direction(m)
                         for d, m in zip(text["direction"], text["metric"], strict=True)]
    for k, (metric, direction) in enumerate(zip(text["metric"], text["direction"],
                                                strict=True)):
        special = metrics.match_alias(metric)
        if special is not None and direction != special.direction:
            raise InputError(f"{place.at(int(rows.index[k]), 'direction')}'{direction}' "
                             f"disagrees with the metric '{metric}': {special.name} is "
                             f"{special.direction}-is-better (leave the cell empty, or write "
                             f"'{special.direction}')")
    for column, values in text.items():
        columns[column] = np.array(values, dtype=object)
    if "sheet_row" in rows.columns:
        numbers = _parse_column(rows.table["sheet_row"], place, "sheet_row")
        with np.errstate(invalid="ignore"):
            bad = ~np.isfinite(numbers) | (numbers != np.round(numbers))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise InputError(f"{place.at(int(rows.index[k]), 'sheet_row')}expected a whole "
                             f"number, got '{rows.table['sheet_row'][k]}'")
        columns["sheet_row"] = numbers.astype(np.int64)
    else:
        counted: dict[str, int] = {}
        within = []
        for s in text["sheet"]:
            counted[s] = counted.get(s, 0) + 1
            within.append(counted[s])
        columns["sheet_row"] = np.array(within, dtype=np.int64)
    columns["sota"] = _parse_column(rows.table["sota"], place, "sota")
    check_sota_domains(Table(columns), lambda j: place.at(int(rows.index[j]), "sota"))
    for column in columns:  # extra text columns: numbers where every cell is one
        if column not in TASK_COLUMNS:
            columns[column] = _typed(rows.table[column])
    return Table(columns)


def load_tasks(path: Path | str) -> pd.DataFrame:
    """:func:`read_tasks` as a pandas DataFrame."""
    return read_tasks(path).to_frame()


_NUMBER_TEXT = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*|\s*[+-]?inf(inity)?\s*",
                          re.IGNORECASE).fullmatch


def _typed(column: np.ndarray) -> np.ndarray:
    """A text column as numbers when every non-empty cell is one (empty =
    ``NaN``; whole numbers with no empty cell as ``int64``), else as it is."""
    if column.dtype != object:
        return column
    cells = column.tolist()
    if not all(isinstance(v, str) or missing(v) for v in cells):
        return column
    text = ["" if missing(v) else v.strip() for v in cells]
    if not all(t == "" or _NUMBER_TEXT(t) for t in text):
        return column
    numbers = np.array([float(t) if t else math.nan for t in text], dtype=float)
    if np.isfinite(numbers).all() and (numbers == np.round(numbers)).all():
        return numbers.astype(np.int64)
    return numbers


# --------------------------------------------------------------------------- domains

def check_value_domains(bench: Benchmark, locate: Callable[[int, int], str]) -> None:
    """The first model value outside its metric's domain
    (:func:`glscore.core.metrics.domain_of`) is an :class:`InputError` that
    ``locate(model row, task column)`` places in the file. A value of exactly 0
    of a special metric is left to the profile (``official`` reads it as
    missing; under ``paper`` the scoring pass refuses it where the map cannot
    take it)."""
    tasks = bench.task_table
    hit = metrics.first_outside(_zero_special_as_missing(bench.values, tasks),
                                tasks["metric"].tolist())
    if hit is not None:
        i, j = hit
        raise InputError(f"{locate(i, j)}{_domain_reason(tasks, j, bench.values[i, j])}")


def check_sota_domains(tasks: Table, locate: Callable[[int], str]) -> None:
    """The first SoTA outside its metric's domain is an :class:`InputError`
    placed by ``locate(task row)`` (a 0 of a special metric as in
    :func:`check_value_domains`)."""
    sota = np.asarray(tasks["sota"], dtype=float)[None, :]
    hit = metrics.first_outside(_zero_special_as_missing(sota, tasks), tasks["metric"].tolist())
    if hit is not None:
        j = hit[1]
        raise InputError(f"{locate(j)}SoTA: {_domain_reason(tasks, j, sota[0, j])}")


def _zero_special_as_missing(values: np.ndarray, tasks: Table) -> np.ndarray:
    special = np.array([metrics.match_alias(m) is not None for m in tasks["metric"].tolist()],
                       dtype=bool)
    if not special.any():
        return values
    return np.where(special & (values == 0), np.nan, values)


def _domain_reason(tasks: Table, j: int, value: float) -> str:
    metric = str(tasks["metric"][j])
    return (f"task {tasks['task_id'][j]}: "
            f"{metrics.domain_of(metric).reason(float(value), metric)}")


# --------------------------------------------------------------------------- scale

MIN_CELLS_FOR_SCALE_CHECK = 3


def check_scale(bench: Benchmark, scale: str, files: Sequence[str] = ()) -> Benchmark:
    """Guard against results on a 0-1 scale where the SoTA is on 0-100.

    Only percent-like metrics (plain scores and WER:
    :attr:`glscore.core.metrics.Domain.percent_like`) on tasks whose SoTA is above 1 decide,
    so that a few small SoTA values (an accuracy of 1.0, a depth error) cannot
    disable the guard. ``auto``: for each model, ``n`` = its non-zero values
    on those tasks; when all of them lie in [-1, 1], ``n >= 3`` is an error
    and ``n`` of 1 or 2 a warning (:class:`InputWarning`: too few values to
    tell a 0-1 scale from low scores). ``percent``: values as given.
    ``fraction``: every percent-like value times 100 (and its standard error).
    """
    if scale not in SCALES:
        raise InputError(f"unknown scale '{scale}'; choose one of {list(SCALES)}")
    if scale == "percent":
        return bench
    plain_metric = np.array([metrics.domain_of(m).percent_like
                             for m in bench.task_table["metric"].tolist()], dtype=bool)
    if scale == "fraction":
        values = bench.values.copy()
        values[:, plain_metric] *= 100.0
        se = None if bench.se is None else bench.se.copy()
        if se is not None:
            se[:, plain_metric] *= 100.0
        return dataclasses.replace(bench, values=values, se=se)
    with np.errstate(invalid="ignore"):
        deciding = plain_metric & (bench.sota > 1.0)
        seen = deciding[None, :] & np.isfinite(bench.values)
        nonzero = (seen & (bench.values != 0)).sum(axis=1)
        small = np.where(seen, np.abs(bench.values) <= 1.0, True).all(axis=1)
    origin = f"'{files[0]}': " if len(files) == 1 else ""
    suspect = small & (nonzero >= MIN_CELLS_FOR_SCALE_CHECK)
    if suspect.any():
        i = int(np.flatnonzero(suspect)[0])
        raise InputError(
            f"{origin}model '{bench.models[i]}': all {int(seen[i].sum())} scores on tasks whose "
            "SoTA is above 1 lie within 0-1 while the SoTA is on 0-100; pass --scale fraction "
            "to multiply them by 100, or --scale percent to take them as they are"
        )
    for k in np.flatnonzero(small & (nonzero > 0) & (nonzero < MIN_CELLS_FOR_SCALE_CHECK)):
        warnings.warn(
            f"{origin}model '{bench.models[k]}': only {int(nonzero[k])} value(s) on tasks whose "
            "SoTA is above 1, all within 0-1: too few to tell a 0-1 scale from low scores; "
            "pass --scale fraction if they are fractions", InputWarning, stacklevel=2)
    return bench


# --------------------------------------------------------------------------- dispatch

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def load_source(
    results: str | Path | Sequence[str | Path] = "paper",
    sota: str | Path | None = None,
    model: str | None = None,
    scale: str = "auto",
    with_paper: bool = False,
    mapping: str | Path | None = None,
    input_format: str = "auto",
    no_proxy: bool = False,
    progress: bool = False,
) -> Benchmark:
    """Any source by its name: ``"paper"`` (default), result workbooks, a tidy file,
    or evaluation-harness outputs (files or folders) with a ``mapping``.

    Workbooks, tidy files and harness outputs are read against ``sota`` (an
    official SoTA workbook or a tasks CSV/Parquet), by default the committed
    task table ``data/tasks.csv``. Harness outputs need a mapping
    (:mod:`glscore.io.mapping`, :func:`glscore.io.harness.load_harness`),
    whose rows state each value's scale (``scale`` must stay ``auto``);
    ``input_format`` forces one harness reader. ``no_proxy=True`` leaves
    proxy values out (:func:`without_proxy`); ``with_paper=True`` then adds
    the committed paper models (see :func:`with_paper_models`).
    """
    if isinstance(results, str | Path) and str(results) == "paper":
        if sota is not None:
            raise InputError("a SoTA table goes with result files, not with the paper data")
        if with_paper:
            raise InputError("--with-paper adds the paper models to result files: pass --results")
        if mapping is not None:
            raise InputError("--mapping reads evaluation-harness outputs: pass them with --results")
        bench = load_paper()
        return select_model(bench, model) if model else bench
    files = [Path(results)] if isinstance(results, str | Path) else [Path(f) for f in results]
    label = str(sota) if sota is not None else COMMITTED_SOTA_LABEL
    if mapping is not None:
        from glscore.io.harness import load_harness

        if scale != "auto":
            raise InputError(f"--scale {scale} does not apply to harness outputs: each mapping "
                             "row states its value's scale")
        tasks = load_tasks(sota if sota is not None else paths.TASKS_CSV)
        bench = load_harness(files, mapping, tasks, label, input_format, model, progress)
    else:
        _check_not_harness(files, input_format)
        workbooks = [f for f in files if f.suffix.lower() in WORKBOOK_SUFFIXES]
        if workbooks and len(workbooks) != len(files):
            raise InputError("results mix workbooks and tidy files; score them separately")
        if workbooks:
            bench = load_workbooks(sota, files, model=model, scale=scale)
        else:
            if len(files) != 1:
                raise InputError("give one tidy results file at a time")
            tasks = read_tasks(sota) if sota is not None else None
            bench = load_tidy(files[0], tasks=tasks, scale=scale, model=model, sota_label=label)
    if no_proxy:
        bench = without_proxy(bench)
    return with_paper_models(bench) if with_paper else bench


def _check_not_harness(files: Sequence[Path], input_format: str) -> None:
    """Without a mapping, a folder or a JSON file is a harness output glscore cannot place."""
    hint = "pass --mapping MAP.csv (glscore mapping --template writes one)"
    if input_format != "auto":
        raise InputError(f"--input-format {input_format} reads evaluation-harness outputs: {hint}")
    for path in files:
        if path.is_dir() or path.suffix.lower() == ".json":
            raise InputError(f"'{path}': evaluation-harness output: {hint}")


def without_proxy(bench: Benchmark) -> Benchmark:
    """``bench`` with its proxy values "not supported" (``--no-proxy``); a warning says
    how many were left out. Unchanged without a proxy mask."""
    drop = bench.proxy_cells()
    if not drop.any():
        return bench
    values = np.where(drop, np.nan, bench.values)
    se = None if bench.se is None else np.where(drop, np.nan, bench.se)
    tasks = np.array(bench.task_table.text("task_id"), dtype=object)[drop.any(axis=0)]
    warnings.warn(f"--no-proxy: {int(drop.sum())} proxy value(s) left out, on task(s) "
                  f"{', '.join(tasks[:8])}{' ...' if len(tasks) > 8 else ''}", InputWarning,
                  stacklevel=3)
    return dataclasses.replace(bench, values=values, se=se,
                               proxy=np.zeros(bench.values.shape, dtype=bool))


#: Suffix given to an input model whose name is also a paper model's.
INPUT_SUFFIX = " [input]"


def with_paper_models(bench: Benchmark, paper: Benchmark | None = None) -> Benchmark:
    """``bench`` (the input models) followed by the committed paper models.

    The paper models' raw values are placed on ``bench``'s tasks table, so
    that everybody is scored against the same SoTA: tasks are matched by
    ``task_id`` (tidy files against the committed table) or by sheet and row
    with the task name checked (workbooks). An input model whose id or
    display name is also a paper model's (case-insensitive) is renamed
    ``NAME [input]``. Which rows are input: :func:`origins`.
    """
    import pandas as pd

    paper = load_paper() if paper is None else paper
    ptasks = paper.tasks
    by_id = pd.Index(ptasks["task_id"]).get_indexer(bench.tasks["task_id"].astype(str))
    if (by_id < 0).any():
        key = pd.MultiIndex.from_frame(ptasks[["sheet", "sheet_row"]])
        by_id = key.get_indexer(pd.MultiIndex.from_frame(bench.tasks[["sheet", "sheet_row"]]))
    if (by_id < 0).any():
        j = int(np.flatnonzero(by_id < 0)[0])
        row = bench.tasks.iloc[j]
        raise InputError(f"{bench.source}: task {row['task_id']} (sheet '{row['sheet']}', row "
                         f"{int(row['sheet_row'])}) is not in the paper data; --with-paper "
                         "needs the benchmark's tasks")
    names_in = bench.tasks["task_name"].astype(str).str.strip().to_numpy()
    names_paper = ptasks["task_name"].astype(str).str.strip().to_numpy()[by_id]
    same_ids = (bench.tasks["task_id"].astype(str).to_numpy()
                == ptasks["task_id"].astype(str).to_numpy()[by_id])
    # matched by sheet and row (other task ids): the task names must say it is the same task
    differ = (~same_ids | (names_in != "")) & (names_in != names_paper)
    if differ.any():
        j = int(np.flatnonzero(differ)[0])
        row = bench.tasks.iloc[j]
        named = f", named '{names_in[j]}'" if names_in[j] else ", without a task_name"
        raise InputError(f"{bench.source}: task '{row['task_id']}' (sheet '{row['sheet']}', row "
                         f"{int(row['sheet_row'])}{named}) is '{names_paper[j]}' in the paper "
                         "data; --with-paper needs the same task rows (the paper's task ids, "
                         "or the same sheet, row and task name)")
    taken = {naming.key(n) for n in paper.models + paper.model_names}
    ids = tuple(m + INPUT_SUFFIX if naming.key(m) in taken else m for m in bench.models)
    names = tuple(n + INPUT_SUFFIX if (naming.key(n) in taken or naming.key(m) in taken) else n
                  for m, n in zip(bench.models, bench.model_names, strict=True))
    for old, new in zip(bench.models, ids, strict=True):
        if old != new:
            warnings.warn(f"model '{old}' is also a paper model; the input's row is "
                          f"'{new}'", InputWarning, stacklevel=2)
    values = np.vstack([bench.values, paper.values[:, by_id]])
    none = np.zeros((len(paper.models), len(bench.tasks)))
    se = None if bench.se is None else np.vstack([bench.se, none + np.nan])
    proxy = None if bench.proxy is None else np.vstack([bench.proxy, none.astype(bool)])
    return Benchmark(bench.tasks, ids + paper.models, values, bench.sheets,
                     f"{bench.source} + {paper.source}", names + paper.model_names, se=se,
                     proxy=proxy, metadata=paper.metadata)


def origins(bench_models: Sequence[str], from_files: bool) -> list[str]:
    """``"paper"`` or ``"input"`` per model id: everything is ``paper`` for the paper
    data; for files, ids of the committed paper models (added by
    :func:`with_paper_models`) are ``paper`` and every other is ``input``."""
    if not from_files:
        return ["paper"] * len(bench_models)
    paper_ids = set(read_model_metadata(paths.MODELS_CSV).text("model_id"))
    return ["paper" if m in paper_ids else "input" for m in bench_models]


def select_model(bench: Benchmark, model: str) -> Benchmark:
    """Restrict to one model, by id or display name, case-insensitive."""
    wanted = naming.key(model)
    hits = [m for m, n in zip(bench.models, bench.model_names, strict=True)
            if wanted in (naming.key(m), naming.key(n))]
    if not hits:
        hint = did_you_mean(model, bench.models + bench.model_names) or (
            f"; e.g. {list(bench.models[:5])}")
        raise InputError(f"{bench.source}: no model '{model}'{hint}")
    return bench.select_models(hits[:1])
