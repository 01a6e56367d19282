"""What a synergy rule sees: the :class:`Context` of one scoring pass.

Every rule is credited through a Context (:meth:`glscore.core.synergy.Rule.credit`):
a per-cell rule reads only ``scores``, ``sota`` and ``tasks``; a context
rule may also compare a model with another model (``models``,
``metadata``) or with the noise of a task (``noise``). Whoever builds the
Context passes everything in: the core reads no file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from glscore.core.levels import beats_sota
from glscore.core.synergy.noise import binomial_noise
from glscore.core.table import Table
from glscore.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

#: Evidence tiers of a ``base_model_id`` link (``data/models.csv``), strongest first;
#: ``external`` (a base named by the model's own paper, not by Table 4) comes last.
BASE_TIERS: Mapping[str, int] = {"exact": 1, "version": 2, "sibling": 3, "external": 4}


@dataclass(frozen=True, eq=False)
class Context:
    """The inputs of a rule: the whole pass, not one cell.

    ``tasks`` (the tasks table, a :class:`~glscore.core.table.Table`:
    ``tasks["paradigm"]`` is a numpy array, ``tasks.to_frame()`` a pandas
    DataFrame; a DataFrame given here is converted), ``scores`` (normalised,
    models x tasks, NaN = not supported), ``sota`` (normalised, tasks),
    ``models`` (ids, one per row of ``scores``; a rule that compares models
    needs them), ``metadata`` (one row per model: a ``model_id`` column, or
    index of a DataFrame, and where known ``base_model_id`` and
    ``base_tier``; ``None``: no model has a known base; a Table), ``noise`` (the noise of each task in normalised points, NaN = not
    measured; ``None``: see :meth:`task_noise`), ``wins`` (the winners mask
    ``score >= SoTA`` where both are known, when the caller has computed it;
    :meth:`winners` computes it otherwise).

    >>> ctx = Context(Table({"paradigm": ["nlp"]}), np.array([[1.0]]), np.array([2.0]))
    >>> ctx.scores.shape
    (1, 1)
    """

    tasks: Table
    scores: np.ndarray
    sota: np.ndarray
    models: tuple[str, ...] = ()
    metadata: Table | None = None
    noise: np.ndarray | None = None
    wins: np.ndarray | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tasks", Table.of(self.tasks))
        if self.metadata is not None:
            object.__setattr__(self, "metadata", _metadata_table(self.metadata))
        scores, sota = np.asarray(self.scores), np.asarray(self.sota)
        if scores.ndim != 2 or sota.shape != (scores.shape[1],):
            raise InputError(f"synergy context: scores of shape {scores.shape} and SoTA of "
                             f"shape {sota.shape} do not match (models x tasks, tasks)")
        if len(self.tasks) != scores.shape[1]:
            raise InputError(f"synergy context: {len(self.tasks)} task rows for "
                             f"{scores.shape[1]} score columns")
        if self.models and len(self.models) != scores.shape[0]:
            raise InputError(f"synergy context: {len(self.models)} model ids for "
                             f"{scores.shape[0]} score rows")

    def winners(self) -> np.ndarray:
        """Models x tasks: ``score >= SoTA`` where both are known (the pass's
        one winners mask when it passed ``wins``, else computed once here)."""
        if self.wins is None:
            object.__setattr__(self, "wins", beats_sota(self.scores, self.sota))
        assert self.wins is not None
        return self.wins

    @cached_property
    def metadata_rows(self) -> np.ndarray:
        """Row of each model of ``models`` in ``metadata`` (-1 where it is not
        listed); a ``model_id`` listed twice is an :class:`InputError`."""
        if self.metadata is None or "model_id" not in self.metadata:
            return np.full(len(self.models), -1)
        index: dict[object, int] = {}
        for row, model in enumerate(self.metadata["model_id"].tolist()):
            if model in index:
                raise InputError(f"model metadata: model_id {model!r} appears more than once")
            index[model] = row
        return np.array([index.get(m, -1) for m in self.models], dtype=np.int64)

    @cached_property
    def model_table(self) -> pd.DataFrame:
        """``metadata`` with one row per model of ``models``, in that order
        (rows of models it does not list are empty): a pandas view."""
        import pandas as pd

        self.metadata_rows  # noqa: B018 -- a model_id listed twice is an error here too
        meta = (self.metadata.to_frame() if self.metadata is not None
                else pd.DataFrame({"model_id": []}))
        meta = meta.set_index("model_id") if "model_id" in meta.columns else meta
        return meta.reindex(pd.Index(list(self.models), name="model_id"))

    def _metadata_text(self, column: str) -> list[str]:
        """A metadata column per model of ``models`` as text (``""`` where unknown)."""
        rows = self.metadata_rows
        if self.metadata is None or column not in self.metadata:
            return [""] * len(rows)
        values = self.metadata.text(column)
        return [values[r] if r >= 0 else "" for r in rows.tolist()]

    def base_rows(self, max_tier: float = 3) -> np.ndarray:
        """Row of each model's base model in ``scores``, -1 where none.

        A link counts when its evidence tier (1 exact, 2 version, 3 sibling,
        4 external; :data:`BASE_TIERS`) is at most ``max_tier`` and the base is one of
        ``models`` other than the model itself. Without model ids (and at
        least one row) this is an :class:`InputError`: a rule that compares a
        model with its base cannot run on anonymous rows.
        """
        n = self.scores.shape[0]
        if len(self.models) != n:
            raise InputError("a context rule that compares models needs the model ids: "
                             "build the Context with models=(one id per row)")
        base = self._metadata_text("base_model_id")
        named = self._metadata_text("base_tier")
        for model, tier_name in zip(self.models, named, strict=True):
            if tier_name and tier_name not in BASE_TIERS:
                raise InputError(f"model metadata: base_tier {tier_name!r} of model "
                                 f"{model!r} is not one of {list(BASE_TIERS)}")
        tier = np.array([BASE_TIERS.get(t, np.nan) for t in named], dtype=float)
        position = {m: i for i, m in enumerate(self.models)}
        rows = np.array([position.get(b, -1) for b in base], dtype=np.int64)
        rows[(np.array(base, dtype=object) == "") | ~(tier <= max_tier)
             | (rows == np.arange(n))] = -1
        return rows

    def task_noise(self, c: float) -> np.ndarray:
        """The noise of each task: ``noise`` checked (one non-negative value per
        task, NaN = unknown) when given, else :func:`binomial_noise` at the SoTA
        with scale ``c``: ``c * sqrt(SoTA (100 - SoTA))``.

        >>> Context(Table({"x": [1]}), np.array([[1.0]]), np.array([50.0])).task_noise(0.1)
        array([5.])
        """
        if self.noise is None:
            return binomial_noise(self.sota, c)
        noise = np.asarray(self.noise, dtype=float)
        if noise.shape != (len(self.tasks),):
            raise InputError(f"noise has shape {noise.shape}, expected ({len(self.tasks)},)")
        if (noise < 0).any() or np.isinf(noise).any():
            raise InputError("noise must be finite and >= 0 (NaN = not measured)")
        return noise


def _metadata_table(metadata: Table | pd.DataFrame) -> Table:
    """Model metadata as a :class:`Table` (a DataFrame indexed by ``model_id``
    keeps the ids as a column)."""
    if isinstance(metadata, Table):
        return metadata
    if "model_id" not in metadata.columns and metadata.index.name == "model_id":
        metadata = metadata.reset_index()
    return Table.of(metadata)
