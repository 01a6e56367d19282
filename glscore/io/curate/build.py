"""Build every curated table and write ``data/``: ``python -m glscore.io.curate``.

Rebuild with ``python -m glscore.io.curate [--source DIR] [--out DIR]
[--rules DIR]``: the source is ``paths.paper_source_dir()`` (tables of arXiv
2505.04620 v1, read-only), the rules ``data/curation``, the output
``data/``. Files are written with ``\\n`` line endings and deterministic
cells, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from glscore import paths
from glscore.io.curate.levels import build_published_levels, read_level_rows
from glscore.io.curate.models import build_models
from glscore.io.curate.names import build_alias_map
from glscore.io.curate.rules import RULES_DIR, model_rules, table4_doubts
from glscore.io.curate.schema import OUTPUT_FILES, CurationError
from glscore.io.curate.scores import build_scores, read_score_rows
from glscore.io.curate.table4 import build_table4, read_table4, table4_model_ids
from glscore.io.curate.tasks import build_tasks
from glscore.io.files import write_text_if_changed


def build_all(source_dir: Path, rules_dir: Path = RULES_DIR) -> dict[str, pd.DataFrame]:
    """Every curated table, keyed as in :data:`OUTPUT_FILES`, from the source
    folder and the rule files of ``rules_dir`` (``data/curation``)."""
    rules = model_rules(rules_dir)
    tasks = build_tasks(source_dir)
    score_rows = read_score_rows(source_dir)
    level_rows = read_level_rows(source_dir)
    names = [r.get("model") for r in score_rows] + [r.get("model") for r in level_rows]
    alias = build_alias_map(names, rules)
    scores, alternates = build_scores(source_dir, tasks, alias)
    levels = build_published_levels(source_dir, alias)
    table4_rows = read_table4(source_dir)
    table4_ids = table4_model_ids(table4_rows, alias, table4_doubts(rules_dir))
    table4 = build_table4(table4_rows, table4_ids, rules_dir)
    models = build_models(scores, alternates, levels, tasks, score_rows, alias, rules, table4)
    return {
        "tasks": tasks,
        "models": models,
        "scores": scores,
        "scores_alternates": alternates,
        "published_levels": levels,
    }


def format_cell(value: object) -> str:
    """Deterministic text of one cell: floats by ``repr``, NaN/None empty."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if hasattr(value, "item"):  # numpy scalar
        return format_cell(value.item())
    return str(value)


def frame_to_csv(frame: pd.DataFrame) -> str:
    """CSV text with ``\\n`` line endings and minimal quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([format_cell(v) for v in row])
    return buffer.getvalue()


def write_data(frames: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each frame to ``out_dir`` under its :data:`OUTPUT_FILES` name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for key, frame in frames.items():
        path = out_dir / OUTPUT_FILES[key]
        write_text_if_changed(path, frame_to_csv(frame))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: rebuild ``data/`` from the paper source folder."""
    parser = argparse.ArgumentParser(
        prog="python -m glscore.io.curate", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--source", type=Path, default=None, help="source folder")
    parser.add_argument("--out", type=Path, default=paths.DATA_DIR, help="output folder")
    parser.add_argument("--rules", type=Path, default=RULES_DIR,
                        help="folder of the rule files (default data/curation)")
    args = parser.parse_args(argv)
    source = args.source if args.source is not None else paths.paper_source_dir()
    try:
        frames = build_all(source, args.rules)
    except CurationError as error:
        print(f"curate: {error}", file=sys.stderr)
        return 2
    for path in write_data(frames, args.out):
        print(f"wrote {path}")
    return 0
