"""``glscore score``: General-Level scores of one or more models."""

from __future__ import annotations

import argparse
import json

import pandas as pd

from glscore.cli.commands.common import (
    add_scoring_options,
    add_source_options,
    load_benchmark,
    scoring_kwargs,
)
from glscore.core.scoring import Scores, score
from glscore.io.latex import latex_table


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("score", help="score models (paper data, workbooks or tidy files)",
                            description=__doc__)
    add_source_options(parser)
    add_scoring_options(parser)
    parser.add_argument("--json", action="store_true",
                        help="print JSON (one object per model; a list for several)")
    parser.add_argument("--format", choices=("table", "json", "latex"), default="table",
                        help="output format (default table; --json is --format json)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    scores = score(load_benchmark(args), **scoring_kwargs(args))
    if args.json or args.format == "json":
        records = scores.records()
        print(json.dumps(records[0] if len(records) == 1 else records, indent=2))
    else:
        print(render_table(scores, args.format))
    return 0


def render_table(scores: Scores, fmt: str = "table") -> str:
    """A readable table (or booktabs LaTeX): level, Level-2..5, Level-2/3/4 per modality."""
    table = scores.overall().drop(columns=["model"]).set_index("name")
    per = scores.per_modality()
    for modality in scores.modalities:
        part = per[per["modality"] == modality]
        for level in ("level2", "level3", "level4"):
            table[f"{modality}:{level[-1]}"] = part[level].to_numpy()
    table = table.sort_values(["level", "level5", "level4", "level3", "level2"],
                              ascending=False, kind="stable")
    if fmt == "latex":
        caption = f"General-Level scores (profile {scores.profile}, rule {scores.rule})"
        return latex_table(table.reset_index(), caption=caption).rstrip("\n")
    header = f"profile={scores.profile} rule={scores.rule} models={len(table)}"
    with pd.option_context("display.width", 250, "display.max_columns", 50,
                           "display.max_rows", 500):
        return header + "\n" + table.to_string(float_format=lambda v: f"{v:.2f}")
