"""``glscore score``: General-Level scores of one or more models."""

from __future__ import annotations

import argparse
import json
from dataclasses import fields, replace

import numpy as np
import pandas as pd

from glscore.cli.commands.common import (
    add_scoring_options,
    add_source_options,
    load_benchmark,
    scoring_kwargs,
)
from glscore.core import synergy
from glscore.core.scoring import Scores, score
from glscore.io.loaders import load_source


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("score", help="score models (paper data, workbooks or tidy files)",
                            description=__doc__)
    add_source_options(parser)
    add_scoring_options(parser)
    parser.add_argument("--json", action="store_true",
                        help="print JSON (one object per model; a list for several)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    kwargs = scoring_kwargs(args)
    bench = load_benchmark(args)
    if (args.model and not args.results
            and synergy.resolve(args.rule or "strict", kwargs["rule_params"]).takes_context):
        # A context rule compares a model with others (its base model, say): score
        # every model of the paper data, then keep the one asked for.
        scores = take(score(load_source("paper"), **kwargs), bench.models)
    else:
        scores = score(bench, **kwargs)
    if args.json:
        records = scores.records()
        print(json.dumps(records[0] if len(records) == 1 else records, indent=2))
    else:
        print(render_table(scores))
    return 0


def render_table(scores: Scores) -> str:
    """A readable table: level, Level-2..5, then Level-2/3/4 per modality."""
    table = scores.overall().drop(columns=["model"]).set_index("name")
    per = scores.per_modality()
    for modality in scores.modalities:
        part = per[per["modality"] == modality]
        for level in ("level2", "level3", "level4"):
            table[f"{modality}:{level[-1]}"] = part[level].to_numpy()
    table = table.sort_values(["level", "level5", "level4", "level3", "level2"],
                              ascending=False, kind="stable")
    header = f"profile={scores.profile} rule={scores.rule} models={len(table)}"
    with pd.option_context("display.width", 250, "display.max_columns", 50,
                           "display.max_rows", 500):
        return header + "\n" + table.to_string(float_format=lambda v: f"{v:.2f}")


def take(scores: Scores, models: tuple[str, ...]) -> Scores:
    """The rows of ``models`` (ids) of every per-model array of ``scores``."""
    rows = [scores.models.index(m) for m in models]
    per_model = {f.name: getattr(scores, f.name)[rows] for f in fields(scores)
                 if isinstance(getattr(scores, f.name), np.ndarray) and f.name != "tasks_m"}
    return replace(scores, models=tuple(models),
                   model_names=tuple(scores.model_names[i] for i in rows), **per_model)

