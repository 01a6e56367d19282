"""Options and loading shared by the commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from glscore.core import synergy
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import DEFAULT_PROFILE, PROFILES
from glscore.io.loaders import SCALES, load_source


def add_source_options(parser: argparse.ArgumentParser) -> None:
    """``--results``, ``--model``, ``--sota``, ``--scale``."""
    parser.add_argument(
        "--results", nargs="+", type=Path, metavar="FILE",
        help="result workbooks (.xlsx, official format) or one tidy .csv/.parquet "
             "(model, task_id, value); default: the paper data in data/")
    parser.add_argument("--model", help="model column / model name (case-insensitive)")
    parser.add_argument(
        "--sota", type=Path, metavar="FILE",
        help="SoTA table: official sota_result.xlsx, or a tasks .csv/.parquet "
             "(default for workbooks: ../shared/data/general-level-official/sota_result.xlsx; "
             "for tidy files: data/tasks.csv)")
    parser.add_argument(
        "--scale", choices=SCALES, default="auto",
        help="scale of result values: auto (error on 0-1 values against a 0-100 SoTA), "
             "percent (as given) or fraction (x100 for plain metrics)")


def add_scoring_options(parser: argparse.ArgumentParser) -> None:
    """``--profile``, ``--rule``, ``--param``, ``--aggregation``, ``--level4-mean``."""
    parser.add_argument("--profile", default=DEFAULT_PROFILE, metavar="NAME",
                        help=f"scoring profile: {' | '.join(sorted(PROFILES))} "
                             f"(default {DEFAULT_PROFILE})")
    parser.add_argument("--rule", metavar="NAME",
                        help="synergy rule: a registered name or module:function "
                             "(default: the profile's, strict)")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="a numeric parameter of the synergy rule (repeatable)")
    parser.add_argument("--aggregation", choices=("per_modality", "pooled"),
                        help="per-modality means (published) or pooled means")
    parser.add_argument("--level4-mean", choices=("harmonic", "geometric", "arithmetic"),
                        help="the mean of Level-4 (published: harmonic)")


def rule_params(pairs: list[str], rule: str | None = None) -> dict[str, float]:
    """``["tau=0.1", "k=5"]`` -> ``{"tau": 0.1, "k": 5.0}`` (:func:`synergy.parse_params`:
    finite numbers only; an error lists the parameters of ``rule``)."""
    return synergy.parse_params(pairs, rule)


def scoring_kwargs(args: argparse.Namespace) -> dict:
    """Keyword arguments of :func:`glscore.score` from the parsed options."""
    return {
        "profile": args.profile,
        "rule": args.rule,
        "rule_params": rule_params(args.param, args.rule or "strict"),
        "aggregation": args.aggregation,
        "level4_mean": args.level4_mean,
    }


def load_benchmark(args: argparse.Namespace) -> Benchmark:
    """The benchmark the source options name (the paper data by default)."""
    return load_source(args.results or "paper", sota=args.sota, model=args.model,
                       scale=args.scale)
