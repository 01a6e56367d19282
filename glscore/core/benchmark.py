"""The :class:`Benchmark` type: tasks table, model ids and the raw score matrix.

A benchmark is three things side by side:

* ``tasks``  -- one row per task (``task_id``, ``modality``, ``paradigm``,
  ``sheet``, ``sheet_row``, ``task_name``, ``metric``, ``direction``, ``sota``);
* ``models`` -- the model identifiers, one per row of ``values``;
* ``values`` -- a float matrix (models x tasks) of raw scores as reported,
  ``NaN`` where a model does not support a task.

Two optional matrices of the same shape ride along; scoring never reads
them, so scores are the same with or without them:

* ``se`` -- the standard error of each value, in the value's own unit
  (``NaN`` = unknown; ``None`` when the input carries none). Evaluation
  harnesses report one per task (``acc_stderr``); tidy files in a ``se``
  column. A scale conversion applies to it as to the value (``x100`` for a
  fraction).
* ``proxy`` -- ``True`` where a value comes from an upstream dataset standing
  in for the General-Bench task (``provenance = proxy`` in a harness
  mapping or a tidy file), ``None`` when the input says nothing about it.

The vocabulary of sheets, modalities and paradigms is defined here, once.
Loaders that build a Benchmark from files live in :mod:`glscore.io.loaders`.
"""


from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from glscore.core import names as naming
from glscore.core.table import Table, missing
from glscore.core.vocabulary import (
    DIRECTIONS,
    MODALITIES,
    PARADIGMS,
    SHEET_NAMES,
    SHEETS,
    TASK_COLUMNS,
    TASK_MODALITIES,
    TASK_PARADIGMS,
)
from glscore.errors import InputError, did_you_mean, plain

if TYPE_CHECKING:  # the DataFrame view only; the core never imports pandas
    import pandas as pd

# The vocabulary is re-exported here (older imports read it from this module).
__all__ = ["DIRECTIONS", "MODALITIES", "PARADIGMS", "SHEETS", "SHEET_NAMES", "TASK_COLUMNS",
           "TASK_MODALITIES", "TASK_PARADIGMS", "Benchmark", "Table", "validate_tasks"]


@dataclass(frozen=True, init=False)
class Benchmark:
    """Tasks, models and the raw score matrix (``NaN`` = not supported).

    ``task_table`` is the tasks table as a :class:`~glscore.core.table.Table`
    (a pandas DataFrame is accepted and converted; :attr:`tasks` is the
    DataFrame view, built on first use: the scoring core reads the table and
    never imports pandas). ``sheets`` names the sheets the source had (a
    modality is *present* when one of its sheets is, even with no rows: the
    reference scorer averages over present modalities). ``source`` says where
    the data came from. ``metadata`` is the model-metadata table the loader
    knows (``model_id`` plus, where known, ``base_model_id`` and
    ``base_tier``: what context rules such as ``beats_base`` read; ``None``:
    nothing known), a :class:`~glscore.core.table.Table` (a DataFrame is
    converted). The loaders of :mod:`glscore.io.loaders` fill it from
    ``data/models.csv``; set your own with :meth:`with_metadata`.
    """

    task_table: Table
    models: tuple[str, ...]
    values: np.ndarray
    sheets: tuple[str, ...] = SHEET_NAMES
    source: str = ""
    model_names: tuple[str, ...] = field(default=())
    # keyword-only: optional companions of the matrix, never mistaken for one another
    se: np.ndarray | None = field(default=None, repr=False, compare=False, kw_only=True)
    proxy: np.ndarray | None = field(default=None, repr=False, compare=False, kw_only=True)
    metadata: Table | None = field(default=None, repr=False, compare=False, kw_only=True)

    def __init__(self, tasks: Table | pd.DataFrame | None = None, models: Sequence[str] = (),
                 values: object = None, sheets: Sequence[str] = SHEET_NAMES, source: str = "",
                 model_names: Sequence[str] = (), *, se: object = None, proxy: object = None,
                 metadata: Table | pd.DataFrame | None = None,
                 task_table: Table | None = None) -> None:
        """``Benchmark(tasks, models, values, sheets, source, model_names, se=,
        proxy=, metadata=)``; ``task_table`` is ``tasks`` by its field's name
        (what :func:`dataclasses.replace` passes)."""
        if tasks is not None and task_table is not None:
            raise TypeError("Benchmark: give the tasks table once (tasks or task_table)")
        table = task_table if task_table is not None else tasks
        if table is None:
            raise InputError(f"{source}: a benchmark needs a tasks table")
        if values is None:
            raise InputError(f"{source}: a benchmark needs a score matrix (models x tasks)")
        table = Table.of(table)
        for name, value in (("task_table", table), ("models", tuple(models)),
                            ("values", _read_only(values)), ("sheets", tuple(sheets)),
                            ("source", source), ("model_names", tuple(model_names)),
                            ("se", se), ("proxy", proxy), ("metadata", metadata)):
            object.__setattr__(self, name, value)
        self._validate()

    def _validate(self) -> None:
        table = self.task_table
        absent = [c for c in TASK_COLUMNS if c not in table]
        if absent:
            raise InputError(f"{self.source}: tasks table lacks column(s) {absent}")
        object.__setattr__(self, "models", _canonical_ids(self.models, self.source))
        if self.model_names:
            object.__setattr__(self, "model_names", tuple(
                naming.canonical(n, f"{self.source}: ") for n in self.model_names))
        shape = (len(self.models), len(table))
        if self.values.shape != shape:
            raise InputError(
                f"{self.source}: score matrix has shape {self.values.shape}, expected {shape}"
            )
        _check_values(self.values, self.source)
        if not self.model_names:
            object.__setattr__(self, "model_names", tuple(self.models))
        validate_tasks(table, self.models, self.source)
        if self.se is not None:
            object.__setattr__(self, "se", _read_only(_check_se(self.se, shape, self.source)))
        if self.proxy is not None:
            object.__setattr__(self, "proxy",
                               _read_only(_check_proxy(self.proxy, shape, self.source)))
        if self.metadata is not None:
            try:
                metadata = Table.of(self.metadata)
            except InputError:
                metadata = None
            if metadata is None or "model_id" not in metadata:
                raise InputError(f"{self.source}: model metadata must be a table with a "
                                 "'model_id' column")
            object.__setattr__(self, "metadata", metadata)

    def __repr__(self) -> str:
        supported = int(np.isfinite(self.values).sum())
        return (f"Benchmark({self.source!r}: {len(self.models)} models x "
                f"{len(self.task_table)} tasks, {len(self.sheets)} sheets, {supported:,} of "
                f"{self.values.size:,} cells supported)")

    def __len__(self) -> int:
        return len(self.models)

    @cached_property
    def tasks(self) -> pd.DataFrame:
        """The tasks table as a pandas DataFrame (built on first use; the frame
        the benchmark was made from, when it was made from one)."""
        return self.task_table.to_frame()

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[object]], values: object,
                  models: Sequence[str] | None = None, names: Sequence[str] | None = None,
                  sheets: Sequence[str] | None = None, source: str = "tiny",
                  **columns: Sequence[object]) -> Benchmark:
        """A small benchmark from one short row per task, for tests and examples.

        Each row is ``(task_id, metric, direction, sota)``; the id's prefix
        before ``-`` names the sheet (``IC`` Image-Comprehension, ``IG``,
        ``VC``, ``VG``, ``AC``, ``AG``, ``3C``, ``3G``, ``NLP``), which gives the
        modality and paradigm; ``sheet_row`` counts within the sheet; the task
        name and short name default to the id. ``values`` is models x tasks
        (``NaN`` = not supported); models default to ``m0, m1, ...``, display
        ``names`` to the models; ``sheets`` default to every sheet; further
        ``columns`` (``task_name=[...]``, ``skill_group_id=[...]``) are set as given.

        >>> Benchmark.from_rows([("IC-001", "Acc", "higher", 50.0)], [[60.0]])
        Benchmark('tiny': 1 models x 1 tasks, 9 sheets, 1 of 1 cells supported)
        """
        by_prefix = {prefix: (name, m, p) for name, m, p, prefix in SHEETS}
        rows = [tuple(r) for r in rows]
        ids = [str(r[0]) for r in rows]
        prefix = [i.split("-")[0] for i in ids]
        unknown = sorted(set(prefix) - set(by_prefix))
        if unknown:
            raise InputError(f"{source}: unknown task-id prefix(es) {unknown}; "
                             f"choose from {list(by_prefix)}")
        counted: dict[str, int] = {}
        sheet_rows = []
        for p in prefix:
            counted[p] = counted.get(p, 0) + 1
            sheet_rows.append(counted[p])
        data: dict[str, object] = {
            "task_id": ids,
            "modality": [by_prefix[p][1] for p in prefix],
            "paradigm": [by_prefix[p][2] for p in prefix],
            "sheet": [by_prefix[p][0] for p in prefix],
            "sheet_row": np.array(sheet_rows, dtype=np.int64),
            "task_name": ids,
            "task_short_name": ids,
            "metric": [r[1] for r in rows],
            "direction": [r[2] for r in rows],
            "sota": np.array([r[3] for r in rows], dtype=float),
        }
        extra = {name: list(column) for name, column in columns.items()}
        if "task_name" in extra and "task_short_name" not in extra:
            extra["task_short_name"] = extra["task_name"]
        data.update(extra)
        order = list(TASK_COLUMNS) + [c for c in data if c not in TASK_COLUMNS]
        matrix = np.asarray(values, dtype=float).reshape(-1, len(rows))
        models = tuple(models) if models is not None else tuple(
            f"m{i}" for i in range(matrix.shape[0]))
        return cls(Table({c: data[c] for c in order}), models, matrix,
                   SHEET_NAMES if sheets is None else tuple(sheets), source,
                   tuple(names) if names is not None else ())

    def with_values(self, values: object) -> Benchmark:
        """The same tasks, models, names, sheets, source and metadata with
        another score matrix of the same shape (no standard errors or proxy
        flags: they belonged to the old values). The matrix is checked as in
        construction (numbers, no infinity); the ids and the tasks, already
        validated, are not checked again (a Monte-Carlo study rescoring
        thousands of perturbed matrices, :func:`glscore.core.scoring.score_blocks`)."""
        matrix = _read_only(values)
        if matrix.shape != self.values.shape:
            raise InputError(f"{self.source}: score matrix has shape {matrix.shape}, expected "
                             f"{self.values.shape}")
        _check_values(matrix, self.source)
        out = object.__new__(Benchmark)
        for f in fields(self):
            object.__setattr__(out, f.name, getattr(self, f.name))
        for name, value in (("values", matrix), ("se", None), ("proxy", None)):
            object.__setattr__(out, name, value)
        return out

    @cached_property
    def sota(self) -> np.ndarray:
        """The SoTA specialist's raw score per task (``NaN`` where missing; read-only)."""
        return _read_only(sota_values(self.task_table["sota"]))

    def checked_once(self, key: Hashable, check: Callable[[], None]) -> None:
        """Run ``check`` (a scan of the values that raises on bad input) unless
        it passed on this benchmark before under ``key``: the benchmark is
        immutable, so a check that passed stays passed."""
        done: set[Hashable] = self.__dict__.setdefault("_passed_checks", set())
        if key not in done:
            check()
            done.add(key)

    def task_column(self, name: str) -> np.ndarray:
        """One column of the tasks table as a numpy array (no pandas)."""
        return self.task_table[name]

    @property
    def modalities_present(self) -> tuple[str, ...]:
        """Modalities with at least one sheet in the source, canonical order."""
        present = {s[1] for s in SHEETS if s[0] in self.sheets}
        return tuple(m for m in MODALITIES if m in present)

    @property
    def has_nlp(self) -> bool:
        return "NLP" in self.sheets

    def select_models(self, models: Sequence[str]) -> Benchmark:
        """The same benchmark restricted to ``models`` (in that order)."""
        index = {m: i for i, m in enumerate(self.models)}
        unknown = [m for m in models if m not in index]
        if unknown:
            raise InputError(f"{self.source}: unknown model(s) {unknown}")
        rows = [index[m] for m in models]
        return replace(self, models=tuple(models), values=self.values[rows],
                       model_names=tuple(self.model_names[i] for i in rows),
                       se=None if self.se is None else self.se[rows],
                       proxy=None if self.proxy is None else self.proxy[rows])

    def select_tasks(self, mask: object) -> Benchmark:
        """The same benchmark restricted to the tasks where ``mask`` is true."""
        keep = np.asarray(mask, dtype=bool)
        return replace(self, task_table=self.task_table.take(keep),
                       values=self.values[:, keep],
                       se=None if self.se is None else self.se[:, keep],
                       proxy=None if self.proxy is None else self.proxy[:, keep])

    def proxy_cells(self) -> np.ndarray:
        """Models x tasks: a supported value that is a proxy (all ``False`` without a mask)."""
        if self.proxy is None:
            return np.zeros(self.values.shape, dtype=bool)
        return np.asarray(self.proxy & np.isfinite(self.values))

    def with_tasks(self, tasks: Table | pd.DataFrame) -> Benchmark:
        """The same benchmark with another tasks table (same tasks, in the same order)."""
        return replace(self, task_table=Table.of(tasks))

    def with_metadata(self, metadata: Table | pd.DataFrame | None) -> Benchmark:
        """The same benchmark with another model-metadata table (see the class)."""
        return replace(self, metadata=None if metadata is None else Table.of(metadata))


def sota_values(column: np.ndarray) -> np.ndarray:
    """A ``sota`` column as floats (``None`` and NaN -> ``NaN``); the column
    passed :func:`validate_tasks`."""
    if column.dtype.kind in "fiu":
        return column.astype(float)
    return np.array([math.nan if missing(v) else float(v) for v in column.tolist()],
                    dtype=float)


def validate_tasks(tasks: Table | pd.DataFrame, models: Sequence[str], source: str = "") -> None:
    """Check a tasks table against the vocabulary (:mod:`glscore.core.vocabulary`).

    ``modality``, ``paradigm`` and ``direction`` take known values only (a
    paradigm spelt ``Comprehension`` would otherwise score silently as
    neither paradigm), NLP tasks and only they have paradigm ``nlp``, task ids
    and model ids are unique, and ``sota`` is numeric (``NaN`` = no SoTA).
    One pass per column over the tasks (never over the scores); the first
    problem is an :class:`InputError`.
    """
    table = Table.of(tasks)
    ids = table["task_id"].tolist()
    where = f"{source}: " if source else ""
    for column, allowed in (("modality", TASK_MODALITIES), ("paradigm", TASK_PARADIGMS),
                            ("direction", DIRECTIONS)):
        known = frozenset(allowed)
        values = table[column].tolist()
        for j, value in enumerate(values):
            if not _hashable_in(value, known):
                raise InputError(
                    f"{where}task '{ids[j]}': unknown {column} '{value}'; "
                    f"expected one of {list(allowed)}{did_you_mean(value, allowed, 1)}"
                )
    modality, paradigm = table["modality"], table["paradigm"]
    mismatch = (modality == "NLP") != (paradigm == "nlp")
    if mismatch.any():
        j = int(np.flatnonzero(mismatch)[0])
        raise InputError(f"{where}task '{ids[j]}': modality '{modality[j]}' with paradigm "
                         f"'{paradigm[j]}' (NLP goes with nlp, and only it)")
    twice = _first_duplicate(ids)
    if twice is not None:
        raise InputError(f"{where}task id '{twice}' appears twice in the tasks table")
    twice = _first_duplicate(list(models))
    if twice is not None:
        raise InputError(f"{where}model id '{twice}' appears twice")
    sota = table["sota"]
    if sota.dtype.kind in "fiu":
        return
    for j, value in enumerate(sota.tolist()):
        if missing(value):
            continue
        ok = not isinstance(value, bool | np.bool_)
        if ok:
            try:
                float(value)
            except (TypeError, ValueError):
                ok = False
        if not ok:
            raise InputError(f"{where}task '{ids[j]}': SoTA '{value}' is not a number")


def _hashable_in(value: object, allowed: frozenset[str]) -> bool:
    try:
        return value in allowed
    except TypeError:  # an unhashable cell
        return False


def _first_duplicate(items: Sequence[object]) -> object | None:
    """The first item seen a second time (``None`` if all are distinct)."""
    seen: set[object] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None


def _check_values(values: np.ndarray, source: str) -> None:
    """The score matrix holds numbers: ``NaN`` (not supported) or finite values;
    an infinity is an :class:`InputError` naming the cell (one scan, once per
    benchmark: scoring then needs no other finiteness check)."""
    if values.dtype.kind not in "fiu":
        raise InputError(f"{source}: the score matrix must hold numbers, got {values.dtype}")
    if values.dtype.kind == "f" and np.isinf(values).any():
        i, j = (int(k[0]) for k in np.nonzero(np.isinf(values)))
        raise InputError(f"{source}: score {plain(values[i, j])} (model {i + 1}, task {j + 1}) "
                         "is infinite: write a number, or NaN for 'not supported'")


def _canonical_ids(models: Sequence[str], source: str) -> tuple[str, ...]:
    """Model ids in their canonical spelling (:mod:`glscore.core.names`), each a
    string with something visible, no two the same name once normalised."""
    where = f"{source}: " if source else ""
    bad = [m for m in models if not isinstance(m, str)]
    if bad:
        raise InputError(f"{where}model id {bad[0]!r} is not a string")
    ids = tuple(naming.canonical(m, where) for m in models)
    hit = naming.first_clash(ids)
    if hit is not None:
        what = (f"model id '{hit[1]}' appears twice" if hit[1] == hit[2]
                else naming.clash(hit[1], hit[2]))
        raise InputError(f"{where}{what}")
    return ids


def _check_se(se: object, shape: tuple[int, int], source: str) -> np.ndarray:
    """Standard errors: a float matrix of ``shape``, each ``NaN`` (unknown) or finite and >= 0."""
    arr = np.asarray(se, dtype=float)
    if arr.shape != shape:
        raise InputError(f"{source}: standard errors have shape {arr.shape}, expected {shape}")
    with np.errstate(invalid="ignore"):
        bad = np.isinf(arr) | (arr < 0)
    if bad.any():
        i, j = (int(k[0]) for k in np.nonzero(bad))
        raise InputError(f"{source}: standard error {plain(arr[i, j])} (model {i + 1}, task "
                         f"{j + 1}) is not a finite number >= 0")
    return arr


def _check_proxy(proxy: object, shape: tuple[int, int], source: str) -> np.ndarray:
    """The proxy mask: a boolean matrix of ``shape``."""
    arr = np.asarray(proxy)
    if arr.shape != shape or arr.dtype != bool:
        raise InputError(f"{source}: the proxy mask must be a boolean matrix of shape {shape}, "
                         f"got {arr.dtype} {arr.shape}")
    return arr


def _read_only(values: object) -> np.ndarray:
    """A read-only view of ``values`` (the caller's array itself stays writable)."""
    view = np.asarray(values).view()
    view.flags.writeable = False
    return view
