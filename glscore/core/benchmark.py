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

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from glscore.core import names as naming
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

# The vocabulary is re-exported here (older imports read it from this module).
__all__ = ["DIRECTIONS", "MODALITIES", "PARADIGMS", "SHEETS", "SHEET_NAMES", "TASK_COLUMNS",
           "TASK_MODALITIES", "TASK_PARADIGMS", "Benchmark", "validate_tasks"]


@dataclass(frozen=True)
class Benchmark:
    """Tasks, models and the raw score matrix (``NaN`` = not supported).

    ``sheets`` names the sheets the source had (a modality is *present* when
    one of its sheets is, even with no rows: the reference scorer averages
    over present modalities). ``source`` says where the data came from.
    ``metadata`` is the model-metadata table the loader knows (``model_id``
    plus, where known, ``base_model_id`` and ``base_tier``: what context
    rules such as ``beats_base`` read; ``None``: nothing known). The loaders
    of :mod:`glscore.io.loaders` fill it from ``data/models.csv``; set your
    own with :meth:`with_metadata`.
    """

    tasks: pd.DataFrame
    models: tuple[str, ...]
    values: np.ndarray
    sheets: tuple[str, ...] = SHEET_NAMES
    source: str = ""
    model_names: tuple[str, ...] = field(default=())
    # keyword-only: optional companions of the matrix, never mistaken for one another
    se: np.ndarray | None = field(default=None, repr=False, compare=False, kw_only=True)
    proxy: np.ndarray | None = field(default=None, repr=False, compare=False, kw_only=True)
    metadata: pd.DataFrame | None = field(default=None, repr=False, compare=False,
                                          kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _read_only(self.values))
        object.__setattr__(self, "models", _canonical_ids(self.models, self.source))
        if self.model_names:
            object.__setattr__(self, "model_names", tuple(
                naming.canonical(n, f"{self.source}: ") for n in self.model_names))
        missing = [c for c in TASK_COLUMNS if c not in self.tasks.columns]
        if missing:
            raise InputError(f"{self.source}: tasks table lacks column(s) {missing}")
        shape = (len(self.models), len(self.tasks))
        if self.values.shape != shape:
            raise InputError(
                f"{self.source}: score matrix has shape {self.values.shape}, expected {shape}"
            )
        if not self.model_names:
            object.__setattr__(self, "model_names", tuple(self.models))
        validate_tasks(self.tasks, self.models, self.source)
        if self.se is not None:
            object.__setattr__(self, "se", _read_only(_check_se(self.se, shape, self.source)))
        if self.proxy is not None:
            object.__setattr__(self, "proxy",
                               _read_only(_check_proxy(self.proxy, shape, self.source)))
        if self.metadata is not None and (not isinstance(self.metadata, pd.DataFrame)
                                          or "model_id" not in self.metadata.columns):
            raise InputError(f"{self.source}: model metadata must be a table with a "
                             "'model_id' column")

    def __repr__(self) -> str:
        supported = int(np.isfinite(self.values).sum())
        return (f"Benchmark({self.source!r}: {len(self.models)} models x {len(self.tasks)} "
                f"tasks, {len(self.sheets)} sheets, {supported:,} of {self.values.size:,} "
                "cells supported)")

    def __len__(self) -> int:
        return len(self.models)

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
        frame = pd.DataFrame([tuple(r) for r in rows],
                             columns=["task_id", "metric", "direction", "sota"])
        prefix = frame["task_id"].astype(str).str.split("-").str[0]
        unknown = sorted(set(prefix) - set(by_prefix))
        if unknown:
            raise InputError(f"{source}: unknown task-id prefix(es) {unknown}; "
                             f"choose from {list(by_prefix)}")
        frame["sheet"] = [by_prefix[x][0] for x in prefix]
        frame["modality"] = [by_prefix[x][1] for x in prefix]
        frame["paradigm"] = [by_prefix[x][2] for x in prefix]
        frame["sheet_row"] = frame.groupby("sheet").cumcount() + 1
        frame["task_name"] = frame["task_id"]
        frame["task_short_name"] = frame["task_id"]
        frame["sota"] = frame["sota"].astype(float)
        for name, column in columns.items():
            frame[name] = list(column)
        if "task_name" in columns and "task_short_name" not in columns:
            frame["task_short_name"] = frame["task_name"]
        matrix = np.asarray(values, dtype=float).reshape(-1, len(frame))
        models = tuple(models) if models is not None else tuple(
            f"m{i}" for i in range(matrix.shape[0]))
        extra = [c for c in frame.columns if c not in TASK_COLUMNS]
        return cls(frame[list(TASK_COLUMNS) + extra], models, matrix,
                   SHEET_NAMES if sheets is None else tuple(sheets), source,
                   tuple(names) if names is not None else ())

    @property
    def sota(self) -> np.ndarray:
        """The SoTA specialist's raw score per task (``NaN`` where missing)."""
        return np.asarray(self.tasks["sota"].to_numpy(dtype=float))

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

    def select_tasks(self, mask: np.ndarray | pd.Series) -> Benchmark:
        """The same benchmark restricted to the tasks where ``mask`` is true."""
        keep = np.asarray(mask, dtype=bool)
        return replace(self, tasks=self.tasks.loc[keep].reset_index(drop=True),
                       values=self.values[:, keep],
                       se=None if self.se is None else self.se[:, keep],
                       proxy=None if self.proxy is None else self.proxy[:, keep])

    def proxy_cells(self) -> np.ndarray:
        """Models x tasks: a supported value that is a proxy (all ``False`` without a mask)."""
        if self.proxy is None:
            return np.zeros(self.values.shape, dtype=bool)
        return np.asarray(self.proxy & np.isfinite(self.values))

    def with_values(self, values: np.ndarray) -> Benchmark:
        """The same benchmark (tasks, models, metadata) with another score matrix
        (standard errors and proxy marks, which belong to the old values, dropped)."""
        return replace(self, values=values, se=None, proxy=None)

    def with_metadata(self, metadata: pd.DataFrame | None) -> Benchmark:
        """The same benchmark with another model-metadata table (see the class)."""
        return replace(self, metadata=metadata)


def validate_tasks(tasks: pd.DataFrame, models: Sequence[str], source: str = "") -> None:
    """Check a tasks table against the vocabulary (:mod:`glscore.core.vocabulary`).

    ``modality``, ``paradigm`` and ``direction`` take known values only (a
    paradigm spelt ``Comprehension`` would otherwise score silently as
    neither paradigm), NLP tasks and only they have paradigm ``nlp``, task ids
    and model ids are unique, and ``sota`` is numeric (``NaN`` = no SoTA).
    One vectorised pass; the first problem is an :class:`InputError`.
    """
    where = f"{source}: " if source else ""
    for column, allowed in (("modality", TASK_MODALITIES), ("paradigm", TASK_PARADIGMS),
                            ("direction", DIRECTIONS)):
        bad = ~tasks[column].isin(allowed).to_numpy()
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            value = tasks[column].iloc[j]
            raise InputError(
                f"{where}task '{tasks['task_id'].iloc[j]}': unknown {column} '{value}'; "
                f"expected one of {list(allowed)}{did_you_mean(value, allowed, 1)}"
            )
    mismatch = ((tasks["modality"] == "NLP") != (tasks["paradigm"] == "nlp")).to_numpy()
    if mismatch.any():
        j = int(np.flatnonzero(mismatch)[0])
        raise InputError(f"{where}task '{tasks['task_id'].iloc[j]}': modality "
                         f"'{tasks['modality'].iloc[j]}' with paradigm "
                         f"'{tasks['paradigm'].iloc[j]}' (NLP goes with nlp, and only it)")
    dup = tasks["task_id"].duplicated().to_numpy()
    if dup.any():
        raise InputError(f"{where}task id '{tasks['task_id'].iloc[int(np.flatnonzero(dup)[0])]}' "
                         "appears twice in the tasks table")
    seen = pd.Index(models)
    if not seen.is_unique:
        raise InputError(f"{where}model id '{seen[seen.duplicated()][0]}' appears twice")
    sota = tasks["sota"]
    if pd.api.types.is_bool_dtype(sota) or not pd.api.types.is_numeric_dtype(sota):
        text = sota.astype(object)
        bad = np.array(pd.to_numeric(text, errors="coerce").isna() & text.notna(), dtype=bool)
        bad |= np.array([isinstance(v, bool | np.bool_) for v in text], dtype=bool)
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            raise InputError(f"{where}task '{tasks['task_id'].iloc[j]}': SoTA "
                             f"'{sota.iloc[j]}' is not a number")


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
