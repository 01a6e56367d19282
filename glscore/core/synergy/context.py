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

import numpy as np
import pandas as pd

from glscore.core.synergy.noise import binomial_noise
from glscore.errors import InputError

#: Evidence tiers of a ``base_model_id`` link (``data/models.csv``), strongest first;
#: ``external`` (a base named by the model's own paper, not by Table 4) comes last.
BASE_TIERS: Mapping[str, int] = {"exact": 1, "version": 2, "sibling": 3, "external": 4}


@dataclass(frozen=True, eq=False)
class Context:
    """The inputs of a rule: the whole pass, not one cell.

    ``tasks`` (the tasks table), ``scores`` (normalised, models x tasks, NaN =
    not supported), ``sota`` (normalised, tasks), ``models`` (ids, one per
    row of ``scores``; a rule that compares models needs them), ``metadata``
    (one row per model: a ``model_id`` column or index, and where known
    ``base_model_id`` and ``base_tier``; ``None``: no model has a known
    base), ``noise`` (the noise of each task in normalised points, NaN = not
    measured; ``None``: see :meth:`task_noise`).

    >>> ctx = Context(pd.DataFrame({"paradigm": ["nlp"]}), np.array([[1.0]]), np.array([2.0]))
    >>> ctx.scores.shape
    (1, 1)
    """

    tasks: pd.DataFrame
    scores: np.ndarray
    sota: np.ndarray
    models: tuple[str, ...] = ()
    metadata: pd.DataFrame | None = None
    noise: np.ndarray | None = None

    def __post_init__(self) -> None:
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

    @cached_property
    def model_table(self) -> pd.DataFrame:
        """``metadata`` with one row per model of ``models``, in that order
        (rows of models it does not list are empty)."""
        meta = self.metadata if self.metadata is not None else pd.DataFrame({"model_id": []})
        if "model_id" in meta.columns:
            meta = meta.set_index("model_id")
        doubled = meta.index[meta.index.duplicated()].unique().tolist()
        if doubled:
            raise InputError(f"model metadata: model_id {doubled[0]!r} appears more than once")
        return meta.reindex(pd.Index(list(self.models), name="model_id"))

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
        table = self.model_table
        if "base_model_id" not in table.columns:
            return np.full(n, -1)
        base = table["base_model_id"].fillna("").astype(str).to_numpy()
        named = (table["base_tier"].fillna("").astype(str) if "base_tier" in table.columns
                 else pd.Series("", index=table.index))
        unknown = named[(named != "") & ~named.isin(list(BASE_TIERS))]
        if len(unknown):
            raise InputError(f"model metadata: base_tier {unknown.iloc[0]!r} of model "
                             f"{unknown.index[0]!r} is not one of {list(BASE_TIERS)}")
        tier = named.map(BASE_TIERS).to_numpy(dtype=float)
        rows = pd.Index(list(self.models)).get_indexer(base)
        rows[(base == "") | ~(tier <= max_tier) | (rows == np.arange(n))] = -1
        return np.asarray(rows)

    def task_noise(self, c: float) -> np.ndarray:
        """The noise of each task: ``noise`` checked (one non-negative value per
        task, NaN = unknown) when given, else :func:`binomial_noise` at the SoTA
        with scale ``c``: ``c * sqrt(SoTA (100 - SoTA))``.

        >>> Context(pd.DataFrame({"x": [1]}), np.array([[1.0]]), np.array([50.0])).task_noise(0.1)
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
