"""The ranks the paper's own tables imply, to set beside the recomputed boards.

The paper prints three level tables (Tables 12, 14, 16: Level-2, 3, 4), each
with a per-modality and an overall score and a rank *within the table*; it
prints no board that ranks across levels. Read as a board ranks
(:mod:`glscore.analysis.leaderboard`), a model's *published level* on a
board is the highest ``k`` whose published Level-k is non-zero (the overall
column for Scope-A, the modality's column for a one-modality Scope-B
board), its *published score* that value, and the *published rank* the
order by (level, score), ties by name. Combined Scope-B boards and Level-5
have no published numbers (``NaN``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from glscore import paths
from glscore.core.benchmark import MODALITIES
from glscore.io.loaders import read_data_csv

#: The published columns behind each board that has one.
BOARD_COLUMNS: dict[str, str] = {"full": "overall", **{m: m for m in MODALITIES}}


def published_ranks(data_dir: Path | str = paths.DATA_DIR) -> pd.DataFrame:
    """One row per (board, model) with a published level: ``board, model,
    published_name`` (as printed), ``published_level, published_score,
    published_rank``."""
    pub = read_data_csv(Path(data_dir) / "published_levels.csv")
    printed = pub.drop_duplicates("model_id").set_index("model_id")["model_printed"]
    parts = []
    for board, column in BOARD_COLUMNS.items():
        wide = pub.pivot_table(index="model_id", columns="level", values=column,
                               aggfunc="first")
        values = np.nan_to_num(wide.to_numpy(dtype=float))
        shown = wide.columns.to_numpy(dtype=int)           # the levels printed, ascending
        nonzero = values != 0
        last = len(shown) - 1 - np.argmax(nonzero[:, ::-1], axis=1)   # highest non-zero
        reached = nonzero.any(axis=1)
        level = np.where(reached, shown[last], 1)
        score = np.where(reached, values[np.arange(len(values)), last], 0.0)
        frame = pd.DataFrame({"board": board, "model": wide.index.to_numpy(dtype=object),
                              "published_name": printed.loc[wide.index].to_numpy(dtype=object),
                              "published_level": level, "published_score": score})
        frame = frame.sort_values(["published_level", "published_score", "model"],
                                  ascending=[False, False, True], kind="stable")
        frame["published_rank"] = np.arange(1, len(frame) + 1)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def with_published(frame: pd.DataFrame, data_dir: Path | str = paths.DATA_DIR) -> pd.DataFrame:
    """A board frame with the published level, score and rank beside each row
    (``NaN`` where the paper publishes none)."""
    pub = published_ranks(data_dir).drop(columns="published_name")
    return frame.merge(pub, on=["board", "model"], how="left")
