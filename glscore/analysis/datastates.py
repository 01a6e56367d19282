"""What the data can say about a (model, modality) cell: three states, kept apart.

A model's modality is, in the paper data,

* **scored**            -- Appendix B has per-task rows for it (supported or not,
  task by task), so its Level-2..4 are recomputed;
* **not supported**     -- no per-task value and no published level: the model
  does not run the modality;
* **no per-task data**  -- the paper prints a non-zero level for it (Tables
  12/14/16, ``data/published_levels.csv``) but Appendix B has no rows for the
  model in that modality (``data/scores.csv``). The recomputation can only
  count it as unsupported; every output says so (``no_task_data``).

:func:`no_task_data` lists the published non-zero cells of the third state,
with the table and the value; :func:`no_task_data_mask` is the same as a
models x modalities mask for boards and figures; :func:`published_modality_levels`
gives the published Level-2/3/4 per (model, modality) that a *hybrid* board
(:mod:`glscore.analysis.leaderboard`) fills such modalities with. Everything
is derived from the committed ``data/`` files (read once per folder).

>>> cells = no_task_data()                                # doctest: +SKIP
>>> len(cells), cells["model"].nunique()                  # doctest: +SKIP
(50, 21)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from glscore import paths
from glscore.core.benchmark import Benchmark
from glscore.core.vocabulary import MODALITIES
from glscore.io.loaders import read_data_csv

#: The published level tables and the level each prints.
LEVEL_TABLES: dict[int, int] = {12: 2, 14: 3, 16: 4}
#: The state of a (model, modality) cell: see the module docstring.
STATES: tuple[str, ...] = ("scored", "not supported", "no per-task data")
NO_TASK_DATA = STATES[2]
#: Columns of :func:`no_task_data`.
NO_DATA_COLUMNS: tuple[str, ...] = ("model", "name", "modality", "table", "level", "published")


@lru_cache(maxsize=4)
def _published(data_dir: str) -> pd.DataFrame:
    pub = read_data_csv(Path(data_dir) / "published_levels.csv")
    long = pub.melt(id_vars=["table", "level", "model_id", "model_printed", "row_in_table"],
                    value_vars=list(MODALITIES), var_name="modality", value_name="published")
    long = long.rename(columns={"model_id": "model"})
    order = {m: k for k, m in enumerate(MODALITIES)}
    long["_m"] = long["modality"].map(order)
    return long.sort_values(["table", "row_in_table", "_m"]).drop(columns="_m").reset_index(
        drop=True)


def published_cells(data_dir: Path | str = paths.DATA_DIR) -> pd.DataFrame:
    """Tables 12/14/16 as long cells: ``table, level, model, model_printed,
    row_in_table, modality, published`` (zeros included)."""
    return _published(str(data_dir)).copy()


@lru_cache(maxsize=4)
def _overall(data_dir: str) -> pd.DataFrame:
    pub = read_data_csv(Path(data_dir) / "published_levels.csv")
    return pub.rename(columns={"model_id": "model"})[["table", "level", "model", "overall"]]


def published_overall(data_dir: Path | str = paths.DATA_DIR) -> pd.DataFrame:
    """The printed ``overall`` column of Tables 12/14/16: ``table, level, model,
    overall`` (a model absent from a table is absent here)."""
    return _overall(str(data_dir)).copy()


@lru_cache(maxsize=4)
def _present(data_dir: str) -> pd.DataFrame:
    scores = read_data_csv(Path(data_dir) / "scores.csv")[["model_id", "task_id"]]
    tasks = read_data_csv(Path(data_dir) / "tasks.csv")
    modality = tasks.set_index("task_id")["modality"]
    pairs = scores.assign(modality=scores["task_id"].map(modality))
    return (pairs[["model_id", "modality"]].drop_duplicates()
            .rename(columns={"model_id": "model"}).reset_index(drop=True))


def rows_present(data_dir: Path | str = paths.DATA_DIR) -> pd.DataFrame:
    """(model, modality) pairs with at least one Appendix B row (supported or not)."""
    return _present(str(data_dir)).copy()


@lru_cache(maxsize=4)
def _display_names(data_dir: str) -> dict[str, str]:
    models = read_data_csv(Path(data_dir) / "models.csv")
    return dict(zip(models["model_id"], models["display_name"], strict=True))


def no_task_data(bench: Benchmark | None = None,
                 data_dir: Path | str = paths.DATA_DIR) -> pd.DataFrame:
    """Published non-zero per-modality cells without per-task data.

    One row per cell of Tables 12/14/16 with ``published != 0`` whose model has
    no Appendix B row in that modality: ``model, name, modality, table, level,
    published``, in table order. With ``bench``: only its models, and only
    where ``bench`` holds no value in that modality either (a user's own
    results for a published model fill the gap and clear the state); without:
    every published model (Mini-Gemini, with no Appendix B row at all,
    included).
    """
    cells = _published(str(data_dir))
    cells = cells[cells["published"] != 0]
    has_rows = cells.merge(_present(str(data_dir)).assign(_rows=True),
                           on=["model", "modality"], how="left")["_rows"].notna().to_numpy()
    out = cells.loc[~has_rows].copy()
    if bench is not None:
        index = pd.Index(bench.models)
        rows = index.get_indexer(out["model"])
        keep = rows >= 0
        values = np.isfinite(bench.values)
        modality = bench.tasks["modality"].to_numpy()
        held = np.array([values[r, modality == m].any() if r >= 0 else False
                         for r, m in zip(rows, out["modality"], strict=True)])  # <= 50 cells
        out = out.loc[keep & ~held]
        names = dict(zip(bench.models, bench.model_names, strict=True))
    else:
        names = {}
    fallback = _display_names(str(data_dir))
    out["name"] = [names.get(m) or fallback.get(m) or printed
                   for m, printed in zip(out["model"], out["model_printed"], strict=True)]
    return out[list(NO_DATA_COLUMNS)].reset_index(drop=True)


def no_task_data_mask(bench: Benchmark, modalities: Sequence[str] = MODALITIES,
                      data_dir: Path | str = paths.DATA_DIR) -> np.ndarray:
    """Boolean models x ``modalities``: the paper prints a non-zero level for the
    model there and neither Appendix B nor ``bench`` has a per-task value."""
    cells = no_task_data(bench, data_dir)
    mask = np.zeros((len(bench.models), len(modalities)), dtype=bool)
    rows = pd.Index(bench.models).get_indexer(cells["model"])
    cols = pd.Index(list(modalities)).get_indexer(cells["modality"])
    ok = cols >= 0
    mask[rows[ok], cols[ok]] = True
    return mask


def modality_labels(mask: np.ndarray, modalities: Sequence[str]) -> list[str]:
    """Per row of a models x modalities mask: the modalities set, ``", "``-joined
    (``""`` for none).

    >>> modality_labels(np.array([[True, False, True], [False] * 3]), ["Image", "Video", "3D"])
    ['Image, 3D', '']
    """
    names = np.array(list(modalities), dtype=object)
    return [", ".join(names[row]) for row in np.asarray(mask, dtype=bool)]


def published_modality_levels(models: Sequence[str], modalities: Sequence[str] = MODALITIES,
                              data_dir: Path | str = paths.DATA_DIR) -> dict[str, np.ndarray]:
    """The published Level-2/3/4 per (model, modality): ``{"level2": models x
    modalities, "level3": ..., "level4": ...}`` from Tables 12, 14 and 16; 0
    where a table does not print the model (Table 16 lists the three Level-4
    models only), NaN for models the paper does not print at all."""
    cells = _published(str(data_dir))
    unprinted = ~pd.Index(list(models)).isin(cells["model"])
    out = {}
    for table, level in LEVEL_TABLES.items():
        part = cells[cells["table"] == table].drop_duplicates(["model", "modality"])
        wide = part.pivot(index="model", columns="modality", values="published")
        values = np.array(wide.reindex(index=list(models), columns=list(modalities))
                          .fillna(0.0), dtype=float)
        values[unprinted] = np.nan
        out[f"level{level}"] = values
    return out


def published_only_models(bench: Benchmark, data_dir: Path | str = paths.DATA_DIR) -> list[str]:
    """Models the paper prints a non-zero level for but that have no row in
    ``bench`` at all (Mini-Gemini in the paper data), in table order."""
    cells = no_task_data(None, data_dir)
    return [m for m in dict.fromkeys(cells["model"]) if m not in set(bench.models)]


def display_name(model: str, data_dir: Path | str = paths.DATA_DIR) -> str:
    """A published model's display name (``data/models.csv``; the id if unknown)."""
    return _display_names(str(data_dir)).get(model, model)


def no_task_data_finding(cells: pd.DataFrame, models_scored: int | None = None) -> str:
    """One sentence: how many published cells, (model, modality) pairs and models
    lack per-task data, and that they count as unsupported when recomputed."""
    pairs = cells.drop_duplicates(["model", "modality"])
    by_modality = pairs["modality"].value_counts().reindex(list(MODALITIES)).dropna()
    shown = ", ".join(f"{m} {int(n)}" for m, n in by_modality.items())
    text = (f"{len(cells)} published non-zero per-modality cells (Tables 12/14/16) have no "
            f"per-task rows in Appendix B: {len(pairs)} model-modality pairs ({shown}) of "
            f"{cells['model'].nunique()} models")
    if models_scored is not None:
        text += f", {models_scored} of them among the scored models"
    return (text + "; the recomputed levels can only count those modalities as unsupported, "
            "and every board marks them (no_task_data).")
