"""A first look at a benchmark's scores: facts, level counts, one chart.

Used by ``notebooks/00_quickstart.ipynb``; every sentence here is built from
the numbers it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from glscore.core.benchmark import Benchmark
from glscore.core.scoring import Scores
from glscore.errors import InputError
from glscore.io.loaders import COMMITTED_SOTA_LABEL

LEVELS = (1, 2, 3, 4, 5)


def describe(bench: Benchmark) -> str:
    """One sentence: models, tasks per modality, supported cells."""
    per_modality = bench.tasks["modality"].value_counts()
    order = [m for m in ("Image", "Video", "Audio", "3D", "NLP") if m in per_modality]
    parts = ", ".join(f"{m} {int(per_modality[m])}" for m in order)
    supported = int(np.isfinite(bench.values).sum())
    return (f"{bench.source}: {len(bench.models)} models x {len(bench.tasks)} tasks ({parts}); "
            f"{supported:,} of {bench.values.size:,} model-task cells are supported.")


def level_counts(all_scores: Iterable[Scores]) -> pd.DataFrame:
    """Models per level reached (columns ``Level-1`` .. ``Level-5``), one row per profile."""
    rows = {}
    for s in all_scores:
        counts = np.bincount(np.asarray(s.level, dtype=int), minlength=6)[1:6]
        rows[s.profile] = {f"Level-{k}": int(c) for k, c in zip(LEVELS, counts, strict=True)}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "profile"
    return frame


def sota_table_label(sota: str | Path | None = None) -> str:
    """How a sentence names the SoTA table: the committed one (the paper's printed
    table) when ``sota`` is None, else the file's name."""
    if sota is None:
        return f"the paper's printed SoTA table ({COMMITTED_SOTA_LABEL})"
    return f"the SoTA table {Path(sota).name}"


def level_counts_sentence(counts: pd.DataFrame, sota: str | Path | None = None) -> str:
    """Where most models stand, and who reaches Level-4 and Level-5, per profile,
    against the SoTA table ``sota`` (named: Level-5 depends on it)."""
    parts = []
    for profile, row in counts.iterrows():
        mode = row.idxmax()
        parts.append(f"under '{profile}' {int(row[mode])} of {int(row.sum())} models stop at "
                     f"{mode}, {int(row['Level-4'])} reach Level-4 and "
                     f"{int(row['Level-5'])} Level-5")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + f" (against {sota_table_label(sota)})."


def level_changes(a: Scores, b: Scores) -> pd.DataFrame:
    """Models whose level reached differs between two scorings of the same models."""
    if a.models != b.models:
        raise InputError("the two scorings cover different models")
    frame = pd.DataFrame({
        "name": a.model_names,
        f"level ({a.profile})": a.level,
        f"level ({b.profile})": b.level,
        f"level4 ({a.profile})": a.level4,
        f"level4 ({b.profile})": b.level4,
        f"level5 ({b.profile})": b.level5,
    })
    changed = frame[a.level != b.level]
    return changed.sort_values("name", kind="stable").reset_index(drop=True)


def level_changes_sentence(changes: pd.DataFrame, a: str, b: str) -> str:
    """How many models change level between profiles ``a`` and ``b``, and who."""
    if changes.empty:
        return f"No model changes level between '{a}' and '{b}'."
    moves = ", ".join(
        f"{row['name']} (Level-{row[f'level ({a})']} -> Level-{row[f'level ({b})']})"
        for _, row in changes.iterrows()
    )
    return f"{len(changes)} model(s) change level from '{a}' to '{b}': {moves}."
