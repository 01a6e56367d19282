"""The vocabulary of the curation: the source's sheets and marks, the columns
of every source file read and of every ``data/`` file written, and the error
type. No logic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from glscore.core import vocabulary
from glscore.errors import InputError

NOT_SUPPORTED_MARK = "∞"
"""Printed instead of a score where a model does not support a task."""


APPENDIX_B = "Appendix B"


@dataclass(frozen=True)
class Sheet:
    """One of the nine task sheets of General-Bench."""

    name: str
    code: str
    modality: str
    paradigm: str


#: The sheet table of ``core.vocabulary`` (defined there once), as records.
SHEETS: tuple[Sheet, ...] = tuple(Sheet(name, code, modality, paradigm)
                                  for name, modality, paradigm, code in vocabulary.SHEETS)


SHEET_BY_NAME: Mapping[str, Sheet] = {s.name: s for s in SHEETS}


SHEET_ORDER: Mapping[str, int] = {s.name: i for i, s in enumerate(SHEETS)}


DIRECTIONS: Mapping[str, str] = {"↑": "higher", "↓": "lower"}


LEVEL_TABLES: Mapping[int, int] = {12: 2, 14: 3, 16: 4}
"""Published leaderboard table number -> General-Level level."""


MODALITY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("image", "Image"),
    ("video", "Video"),
    ("audio", "Audio"),
    ("3d", "3D"),
)


#: Columns of ``data/tasks.csv``: the tasks-table columns every Benchmark has
#: (``core.vocabulary.TASK_COLUMNS``, ending with ``sota``) with the curation
#: columns before ``sota``.
TASK_COLUMNS = (
    *vocabulary.TASK_COLUMNS[:-1],
    "skill_group_id",
    "skill_short_name",
    "task_idx_in_group",
    "appendix_table",
    "direction_printed",
    "sota_printed",
    vocabulary.TASK_COLUMNS[-1],
)


SCORE_COLUMNS = (
    "model_id",
    "task_id",
    "model_printed",
    "appendix_table",
    "value_printed",
    "value",
    "supported",
)


ALTERNATE_COLUMNS = (*SCORE_COLUMNS, "occurrence")


TABLE4_COLUMNS = (
    "group",
    "table4_name",
    "citation",
    "backbone_printed",
    "size_printed",
    "params_b",
    "modalities",
    "paradigms",
    "backbone_lineage",
    "backbone_version",
    "backbone_params_b",
    "base_model_id",
    "base_tier",
    "base_evidence",
    "table4_notes",
    "table4_doubtful",
)
"""Model metadata from Table 4 (see :func:`build_table4`), after the registry columns."""


MODEL_COLUMNS = (
    "model_id",
    "display_name",
    "aliases",
    "in_appendix_b",
    "in_level_tables",
    "notes",
    *TABLE4_COLUMNS,
)


LEVEL_COLUMNS = (
    "table",
    "level",
    "model_id",
    "model_printed",
    "paradigm",
    "Image",
    "Video",
    "Audio",
    "3D",
    "overall",
    "rank",
    "row_in_table",
)


SOURCE_TASK_COLUMNS = (
    "sheet",
    "sheet_row",
    "task_name",
    "task_short_name",
    "metric",
    "direction",
    "skill_group_id",
    "skill_short_name",
    "task_idx_in_group",
    "appendix_table",
    "sota_paper",
)


SOURCE_SCORE_COLUMNS = (
    "sheet",
    "sheet_row",
    "appendix_table",
    "model",
    "occurrence",
    "value",
)


SOURCE_LEVEL_COLUMNS = (
    "source",
    "level",
    "model",
    "paradigm",
    "image",
    "video",
    "audio",
    "3d",
    "overall",
    "rank",
)


SOURCE_SKILL_COLUMNS = ("sheet", "skill_group_id")


OUTPUT_FILES: Mapping[str, str] = {
    "tasks": "tasks.csv",
    "models": "models.csv",
    "scores": "scores.csv",
    "scores_alternates": "scores_alternates.csv",
    "published_levels": "published_levels.csv",
}


class CurationError(InputError):
    """The source material is malformed; the message names file/line/column.

    A :class:`ValueError` (through the package-wide :class:`InputError`).
    """
