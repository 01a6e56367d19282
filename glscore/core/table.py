"""A small, immutable column store: what the core reads of a tasks table.

The scoring core works on numpy arrays and small plain structures, so that a
file can be read, scored and written as JSON without importing pandas (about
0.4 s of start-up). A :class:`Table` is that structure: named columns, each a
read-only one-dimensional numpy array of one length (text as ``object``
arrays of Python strings). pandas views are built on top, on demand
(:meth:`Table.to_frame`, :attr:`glscore.core.benchmark.Benchmark.tasks`).

A table has a content key (:attr:`Table.key`: a digest of its column names,
types and values), and equality and hashing follow it, so two tables with the
same content are one key of a cache (the scoring plan and task groups are
cached per tasks table and profile, :mod:`glscore.core.normalise`).

>>> t = Table({"task_id": ["IC-001", "IG-001"], "sota": [50.0, 20.0]})
>>> len(t), t.columns, t["task_id"].tolist()
(2, ('task_id', 'sota'), ['IC-001', 'IG-001'])
>>> t == Table({"task_id": ["IC-001", "IG-001"], "sota": [50.0, 20.0]})
True
>>> t.take([1])["sota"].tolist()
[20.0]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from glscore.errors import InputError

if TYPE_CHECKING:  # pandas is imported only where a frame is asked for
    import pandas as pd


class Table:
    """Named, read-only columns of one length (see the module docstring).

    ``columns`` maps a name to anything :func:`numpy.asarray` makes one
    dimension of (a list, an array); text becomes an ``object`` array.
    ``length`` is the number of rows of a table without columns (with
    columns, it must agree with them).
    """

    __slots__ = ("_columns", "_frame", "_key", "_length")

    def __init__(self, columns: Mapping[str, object], length: int | None = None) -> None:
        out: dict[str, np.ndarray] = {}
        for name, values in columns.items():
            array = _column(values)
            if array.ndim != 1:
                raise InputError(f"table column '{name}' is not one-dimensional")
            if length is None:
                length = len(array)
            elif len(array) != length:
                raise InputError(f"table column '{name}' has {len(array)} rows, the others "
                                 f"{length}")
            out[str(name)] = array
        self._columns = out
        self._length = 0 if length is None else int(length)
        self._key: str | None = None
        self._frame: pd.DataFrame | None = None

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Table:
        """The columns of a pandas DataFrame (its index is dropped); the frame
        is kept as this table's :meth:`to_frame` (no round trip)."""
        table = cls({str(c): frame[c].to_numpy() for c in frame.columns}, len(frame))
        table._frame = frame
        return table

    @classmethod
    def of(cls, tasks: Table | pd.DataFrame | Mapping[str, object]) -> Table:
        """``tasks`` as a :class:`Table` (itself when it is one)."""
        if isinstance(tasks, Table):
            return tasks
        if isinstance(tasks, Mapping):
            return cls(tasks)
        if hasattr(tasks, "columns") and hasattr(tasks, "to_numpy"):
            return cls.from_frame(tasks)
        raise InputError(f"a table must be a Table, a DataFrame or a mapping of columns, got "
                         f"{type(tasks).__name__}")

    # ------------------------------------------------------------------ access

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self._columns)

    def __len__(self) -> int:
        return self._length

    def __contains__(self, name: object) -> bool:
        return name in self._columns

    def __iter__(self) -> Iterator[str]:
        """The column names (as iterating a DataFrame)."""
        return iter(self._columns)

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self._columns[name]
        except KeyError:
            raise KeyError(f"no column '{name}'; columns: {list(self._columns)}") from None

    def get(self, name: str, default: np.ndarray | None = None) -> np.ndarray | None:
        return self._columns.get(name, default)

    def text(self, name: str) -> list[str]:
        """A column as a list of ``str`` (a missing value as ``""``)."""
        return ["" if missing(v) else str(v) for v in self._columns[name].tolist()]

    def __repr__(self) -> str:
        return f"Table({self._length} rows: {', '.join(self._columns)})"

    # ------------------------------------------------------------------ derived tables

    def take(self, rows: Sequence[int] | np.ndarray) -> Table:
        """The rows ``rows`` (positions, or a boolean mask), in that order."""
        index = np.asarray(rows)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        return Table({name: column[index] for name, column in self._columns.items()},
                     len(index))

    def with_columns(self, columns: Mapping[str, object]) -> Table:
        """This table with ``columns`` added or replaced (same number of rows)."""
        return Table({**self._columns, **columns}, self._length)

    # ------------------------------------------------------------------ pandas

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame of the columns (built once, then kept)."""
        if self._frame is None:
            import pandas as pd

            self._frame = pd.DataFrame(dict(self._columns))
        return self._frame

    # ------------------------------------------------------------------ content key

    @property
    def key(self) -> str:
        """A digest of the column names, types and values (computed once)."""
        if self._key is None:
            digest = hashlib.blake2b(digest_size=16)
            digest.update(f"{self._length}\x1e".encode())
            for name, column in self._columns.items():
                digest.update(name.encode() + b"\x00" + column.dtype.str.encode() + b"\x00")
                if column.dtype == object:
                    digest.update("\x1f".join(map(repr, column.tolist())).encode())
                else:
                    digest.update(np.ascontiguousarray(column).tobytes())
                digest.update(b"\x1e")
            self._key = digest.hexdigest()
        return self._key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return NotImplemented
        return self is other or self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __getstate__(self) -> dict[str, Any]:
        return {"columns": self._columns, "length": self._length}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["columns"], state["length"])  # type: ignore[misc]


def _column(values: object) -> np.ndarray:
    """One read-only column: text (and anything not numeric) as ``object``."""
    if isinstance(values, np.ndarray):
        array = values
    elif isinstance(values, list | tuple):
        array = np.asarray(values) if values and _all_numbers(values) else \
            np.empty(len(values), dtype=object)
        if array.dtype == object:
            array[:] = list(values)
    else:
        array = np.asarray(values)
    if array.dtype.kind in "USV":
        array = array.astype(object)
    view = array.view()
    view.flags.writeable = False
    return view


def _all_numbers(values: Sequence[object]) -> bool:
    return all(isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
               for v in values)


def missing(value: object) -> bool:
    """A missing cell: ``None``, a float NaN, or pandas' ``NA``/``NaT`` (told
    by type, so that pandas need not be imported).

    >>> missing(None), missing(float("nan")), missing(""), missing(0.0)
    (True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return bool(value != value)
    kind = type(value)
    return kind.__name__ in ("NAType", "NaTType") and kind.__module__.startswith("pandas")
