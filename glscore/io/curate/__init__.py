"""Build the curated ``data/`` folder from the transcribed paper tables.

Source: ``paths.paper_source_dir()`` (tables of arXiv 2505.04620 v1,
read-only). Rules: the judgement calls, as data files with their evidence
in ``data/curation/``. Output: ``tasks.csv``, ``models.csv``, ``scores.csv``,
``scores_alternates.csv`` and ``published_levels.csv`` in ``paths.DATA_DIR``.
Rebuild with ``python -m glscore.io.curate [--source DIR] [--out DIR]
[--rules DIR]``; the rebuild is byte for byte.

One module per job:

===============  ==============================================================
``schema``       sheets, marks, the columns of every file read and written, the error
``source``       reading the source CSVs (rows with line numbers) and parsing fields
``rules``        the rule files of ``data/curation/`` (aliases, backbones, doubts, ...)
``names``        printed model names -> ``model_id`` (alias rules, slugs)
``tasks``        ``tasks.csv``
``copies``       printed rows that copy another model's row
``scores``       ``scores.csv`` and ``scores_alternates.csv`` (primary and other cells)
``levels``       ``published_levels.csv`` (Tables 12/14/16)
``table4``       Table 4 metadata and each generalist's base language model
``models``       ``models.csv``
``build``        every table at once, the deterministic CSV writer, the command line
===============  ==============================================================

Every function is pure (source and rule folders in, DataFrames out) except
:func:`write_data` and :func:`main`. Malformed source or rules raise
:class:`CurationError` with a one-line message naming file, line and column.
"""

from __future__ import annotations

from glscore.io.curate.build import build_all, format_cell, frame_to_csv, main, write_data
from glscore.io.curate.copies import MIN_COPY_RUN, copied_printed_rows
from glscore.io.curate.models import with_external_bases
from glscore.io.curate.names import build_alias_map, slugify
from glscore.io.curate.rules import (
    EXTERNAL_TIER,
    RULES_DIR,
    Backbone,
    ModelRule,
    Table4Doubt,
    backbones,
    external_bases,
    language_models,
    model_rules,
    support_words,
    table4_doubts,
)
from glscore.io.curate.schema import (
    OUTPUT_FILES,
    SCORE_COLUMNS,
    SHEET_ORDER,
    SHEETS,
    TASK_COLUMNS,
    CurationError,
)
from glscore.io.curate.scores import split_primary
from glscore.io.curate.source import is_supported, parse_value
from glscore.io.curate.table4 import (
    TABLE4_FILE,
    Table4Row,
    link_tier,
    parse_size,
    parse_support,
    table4_model_ids,
    weaker,
)

__all__ = [
    "EXTERNAL_TIER",
    "MIN_COPY_RUN",
    "OUTPUT_FILES",
    "RULES_DIR",
    "SCORE_COLUMNS",
    "SHEETS",
    "SHEET_ORDER",
    "TABLE4_FILE",
    "TASK_COLUMNS",
    "Backbone",
    "CurationError",
    "ModelRule",
    "Table4Doubt",
    "Table4Row",
    "backbones",
    "build_alias_map",
    "build_all",
    "copied_printed_rows",
    "external_bases",
    "format_cell",
    "frame_to_csv",
    "is_supported",
    "language_models",
    "link_tier",
    "main",
    "model_rules",
    "parse_size",
    "parse_support",
    "parse_value",
    "slugify",
    "split_primary",
    "support_words",
    "table4_doubts",
    "table4_model_ids",
    "weaker",
    "with_external_bases",
    "write_data",
]
