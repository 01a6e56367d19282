"""The mapping file: which harness task and metric stands for which General-Bench task.

No evaluation harness ships General-Bench's tasks, and nothing public says
which harness task measures which of its 699 tasks; the mapping is the
researcher's statement of it, one CSV row per task (format version
:data:`MAPPING_VERSION`; the optional first line ``# glscore-mapping 1``
says so, :func:`template` writes it)::

    # glscore-mapping 1
    harness,task,metric,task_id,scale,provenance,se_metric,note
    lm-eval,gb_nlp_sentiment,"f1,none",NLP-070,fraction,general-bench,,
    lm-eval,gsm8k,"exact_match,strict-match",NLP-041,fraction,proxy,,GSM8K for word problems

Columns:

* ``harness`` -- one of :data:`HARNESSES` (any case);
* ``task`` -- the harness's own task name, exactly as its output spells it;
* ``metric`` -- the metric key in that output (``acc,none`` for
  lm-evaluation-harness); a key's base name (``acc``) is enough when it
  picks out one key of the task (see :mod:`glscore.io.harness`);
* ``task_id`` -- the General-Bench task (``data/tasks.csv``);
* ``scale`` -- how the harness reports the value (:data:`SCALES`):
  ``fraction`` 0-1, multiplied by 100; ``percent`` 0-100, as given; ``raw``
  the metric's own unit (an FID, a PSNR in dB), taken as given and
  normalised as usual. A value outside its scale's range is an error (a
  ``raw`` value of a percentage metric too: it must lie in [0, 100]), and
  ``fraction``/``percent`` on a task whose metric is not a percentage (FID,
  PSNR, MOS, ...; WER is one) is a conflict;
* ``provenance`` -- ``general-bench`` when the harness ran General-Bench's
  own data for the task, ``proxy`` when an upstream dataset stands in for
  it (flagged in every output; ``--no-proxy`` leaves such values out);
* ``se_metric`` (optional) -- the key holding the value's standard error
  when it is not the harness's default (``acc_stderr,none`` for ``acc,none``);
* ``note`` (optional) -- free text.

The template's reference columns (:data:`INFO_COLUMNS`: ``sheet``,
``task_name``, ``task_metric``, ``direction``) may stay in the file and are
not read; any other column is an error (a misspelt ``se_metric`` would
otherwise be ignored in silence). Rows whose ``harness``, ``task``, ``metric``,
``scale`` and ``provenance`` are all empty are unfilled template rows and are
skipped; a row filled in part is an error naming the empty column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from glscore import paths
from glscore.core import metrics, vocabulary
from glscore.errors import InputError, did_you_mean
from glscore.io.guard import require_file
from glscore.io.loaders import PROVENANCES, _Place, _text, load_tasks, read_table

#: The format version this glscore reads and writes.
MAPPING_VERSION = 1
VERSION_LINE = f"# glscore-mapping {MAPPING_VERSION}"
_VERSION = re.compile(r"#\s*glscore-mapping\s+(\S+)\s*$")
#: The harnesses whose outputs glscore reads (the ``harness`` column): the vocabulary's.
HARNESSES: tuple[str, ...] = vocabulary.HARNESSES
#: How a harness reports a value.
SCALES: tuple[str, ...] = ("fraction", "percent", "raw")
#: Inclusive range of a value on each scale (``raw``: any number).
SCALE_RANGES: dict[str, tuple[float, float]] = {
    "fraction": (0.0, 1.0), "percent": (0.0, 100.0), "raw": (-np.inf, np.inf)}
REQUIRED_COLUMNS: tuple[str, ...] = ("harness", "task", "metric", "task_id", "scale",
                                     "provenance")
OPTIONAL_COLUMNS: tuple[str, ...] = ("se_metric", "note")
#: Columns the template adds for reference; the reader skips them.
INFO_COLUMNS: tuple[str, ...] = ("sheet", "task_name", "task_metric", "direction")
#: The columns that make a row "filled in" (the rest may be pre-filled by the template).
_FILLED = ("harness", "task", "metric", "scale", "provenance")


@dataclass(frozen=True)
class Mapping:
    """A validated mapping: one row per filled line (``rows``), its file and version.

    ``rows`` has the columns :data:`REQUIRED_COLUMNS`, ``se_metric`` and
    ``note`` (``""`` where empty), ``percentage`` (the task's metric is a
    percentage: a plain metric or WER) and ``line`` (the CSV line, for
    messages); ``harness``, ``scale`` and ``provenance`` are lower-case.
    """

    rows: pd.DataFrame
    path: Path
    version: int

    def where(self, line: int) -> str:
        """``'map.csv', line 7`` for messages."""
        return f"'{self.path}', line {line}"

    def summary(self, tasks: pd.DataFrame) -> dict:
        """Counts for ``glscore mapping --check``: rows, per harness, provenance, sheets."""
        rows = self.rows
        sheet = tasks.set_index(tasks["task_id"].astype(str))["sheet"]
        return {
            "mapping": str(self.path),
            "version": self.version,
            "rows": len(rows),
            "harnesses": {h: int(n) for h, n in rows["harness"].value_counts().sort_index().items()},
            "provenance": {p: int((rows["provenance"] == p).sum()) for p in PROVENANCES},
            "tasks": int(rows["task_id"].nunique()),
            "sheets": {s: int(n) for s, n in
                       sheet.loc[rows["task_id"]].value_counts().sort_index().items()},
            "tasks_unmapped": int(len(tasks) - rows["task_id"].nunique()),
        }


def read_mapping(path: Path | str, tasks: pd.DataFrame | None = None) -> Mapping:
    """Read and validate a mapping against ``tasks`` (default ``data/tasks.csv``).

    Every problem is an :class:`~glscore.errors.InputError` naming the file,
    the line and the column: a newer format version, a missing or unknown
    column, a partly filled row, an unknown harness, task id, scale or
    provenance, a harness task and metric mapped twice, two rows of one
    harness for one General-Bench task (a duplicate target), a scale that
    does not fit the task's metric, ``se_metric`` equal to ``metric``.
    """
    path = Path(path)
    if tasks is None:
        tasks = load_tasks(paths.TASKS_CSV)
    skip, version = _preamble(path)
    frame = read_table(path, skip=skip)
    place = _Place(path, "line")
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"'{path}': missing column(s) {missing} of a mapping; columns found: "
                         f"{list(frame.columns)}{did_you_mean(missing[0], frame.columns, 1)} "
                         "(glscore mapping --template writes one)")
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + INFO_COLUMNS
    unknown = [c for c in frame.columns if c not in known]
    if unknown:
        raise InputError(f"'{path}': unknown column '{unknown[0]}' in a mapping; expected "
                         f"{list(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)} (and the template's "
                         f"{list(INFO_COLUMNS)}){did_you_mean(unknown[0], known, 1)}")
    text = pd.DataFrame({c: _cells(frame, c) for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS},
                        index=frame.index)
    filled = (text[list(_FILLED)] != "").any(axis=1).to_numpy()
    text = text.loc[filled]
    if text.empty:
        raise InputError(f"'{path}': no row is filled in (each needs harness, task, metric, "
                         "scale and provenance)")
    blank = (text[list(REQUIRED_COLUMNS)] == "").to_numpy()
    if blank.any():
        i, j = (int(k[0]) for k in np.nonzero(blank))
        raise InputError(f"{place.at(int(text.index[i]), REQUIRED_COLUMNS[j])}empty; a mapping "
                         f"row needs {list(REQUIRED_COLUMNS)}")
    for column, allowed in (("harness", HARNESSES), ("scale", SCALES),
                            ("provenance", PROVENANCES)):
        text[column] = text[column].str.lower()
        _check_vocabulary(text, column, allowed, place)
    ids = tasks["task_id"].astype(str)
    bad = ~text["task_id"].isin(ids).to_numpy()
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        value = text["task_id"].iloc[k]
        raise InputError(f"{place.at(int(text.index[k]), 'task_id')}unknown General-Bench task "
                         f"'{value}'{did_you_mean(value, ids)}")
    _check_unique(text, ["harness", "task", "metric"], place,
                  "harness task '{task}' metric '{metric}' is mapped twice")
    _check_unique(text, ["harness", "task_id"], place,
                  "duplicate target: {harness} maps two rows to task {task_id}")
    same = (text["se_metric"] == text["metric"]).to_numpy()
    if same.any():
        k = int(np.flatnonzero(same)[0])
        raise InputError(f"{place.at(int(text.index[k]), 'se_metric')}se_metric is the metric "
                         f"itself ('{text['metric'].iloc[k]}'); name the key of its standard "
                         "error, or leave it empty")
    text["percentage"] = _check_scales(text, tasks, place)
    rows = text.reset_index(names="line")
    rows["line"] = rows["line"].astype(int) + 2
    columns = list(REQUIRED_COLUMNS + OPTIONAL_COLUMNS) + ["percentage", "line"]
    return Mapping(rows[columns], path, version)


def value_range(scale: str, percentage: bool) -> tuple[float, float]:
    """The inclusive range of a value on ``scale``: :data:`SCALE_RANGES`, and [0, 100]
    for a ``raw`` value of a percentage metric (the task table's unit)."""
    if scale == "raw" and percentage:
        return SCALE_RANGES["percent"]
    return SCALE_RANGES[scale]


def _preamble(path: Path) -> tuple[int, int]:
    """Leading ``#`` lines to skip and the format version they state (default 1)."""
    require_file(path)
    skip, version = 0, MAPPING_VERSION
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            skip += 1
            match = _VERSION.match(line.strip())
            if match:
                try:
                    version = int(match.group(1))
                except ValueError:
                    raise InputError(f"'{path}', line {skip}: mapping version "
                                     f"'{match.group(1)}' is not a whole number") from None
                if version > MAPPING_VERSION or version < 1:
                    raise InputError(f"'{path}', line {skip}: mapping format version {version}; "
                                     f"this glscore reads version {MAPPING_VERSION}")
    return skip, version


def _cells(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text, ``""`` where empty (or absent, for optional columns)."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    raw = frame[column].astype(object).where(frame[column].notna(), "")
    return raw.map(lambda v: _text(v).strip())


def _check_vocabulary(text: pd.DataFrame, column: str, allowed: Sequence[str],
                      place: _Place) -> None:
    bad = ~text[column].isin(allowed).to_numpy()
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        value = text[column].iloc[k]
        raise InputError(f"{place.at(int(text.index[k]), column)}unknown {column} '{value}'; "
                         f"expected one of {list(allowed)}{did_you_mean(value, allowed, 1)}")


def _check_unique(text: pd.DataFrame, key: list[str], place: _Place, what: str) -> None:
    twice = text.duplicated(key, keep=False).to_numpy()
    if twice.any():
        first = text.loc[twice].iloc[0]
        later = text.loc[twice & (text[key] == first[key]).all(axis=1).to_numpy()]
        lines = [int(i) + 2 for i in later.index]
        raise InputError(f"{place.at(int(later.index[1]))}{what.format(**first.to_dict())} "
                         f"(lines {lines[0]} and {lines[1]})")


def _check_scales(text: pd.DataFrame, tasks: pd.DataFrame, place: _Place) -> np.ndarray:
    """``fraction``/``percent`` only for percentage metrics (plain ones, and WER);
    returns per row whether the task's metric is a percentage."""
    metric_of = tasks.set_index(tasks["task_id"].astype(str))["metric"]
    task_metric = metric_of.loc[text["task_id"]].to_numpy()
    # fraction/percent apply to percent-like metrics (plain scores, WER): the metric registry
    not_percent = np.array([not metrics.domain_of(m).percent_like for m in task_metric],
                           dtype=bool)
    conflict = not_percent & (text["scale"] != "raw").to_numpy()
    if conflict.any():
        k = int(np.flatnonzero(conflict)[0])
        row = text.iloc[k]
        raise InputError(f"{place.at(int(text.index[k]), 'scale')}scale '{row['scale']}' "
                         f"conflicts with task {row['task_id']}'s metric '{task_metric[k]}', "
                         "which is not a percentage: use scale raw (the metric's own unit)")
    return ~not_percent


def template(tasks: pd.DataFrame | None = None) -> str:
    """The mapping template: the version line, then one row per task with the
    harness columns empty and the task's ``sheet``, ``task_name``,
    ``task_metric`` and ``direction`` for reference (``data/tasks.csv`` by default)."""
    if tasks is None:
        tasks = load_tasks(paths.TASKS_CSV)
    frame = pd.DataFrame({c: "" for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS},
                         index=range(len(tasks)))
    frame["task_id"] = tasks["task_id"].astype(str).to_numpy()
    frame["sheet"] = tasks["sheet"].astype(str).to_numpy()
    frame["task_name"] = tasks["task_name"].astype(str).str.strip().to_numpy()
    frame["task_metric"] = tasks["metric"].astype(str).to_numpy()
    frame["direction"] = tasks["direction"].astype(str).to_numpy()
    body = frame.to_csv(index=False, lineterminator="\n")
    return f"{VERSION_LINE}\n{body}"
