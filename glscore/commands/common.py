"""Options and loading shared by the commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from glscore import paths
from glscore.bench import SCALES, Benchmark, load_paper, load_tasks, load_tidy, load_workbooks
from glscore.errors import InputError
from glscore.profiles import DEFAULT_PROFILE, PROFILES

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


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


def rule_params(pairs: list[str]) -> dict[str, float]:
    """``["tau=0.1", "k=5"]`` -> ``{"tau": 0.1, "k": 5.0}``."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        try:
            if not sep or not key:
                raise ValueError
            params[key.strip()] = float(value)
        except ValueError:
            raise InputError(f"--param '{pair}': expected KEY=NUMBER") from None
    return params


def scoring_kwargs(args: argparse.Namespace) -> dict:
    """Keyword arguments of :func:`glscore.score` from the parsed options."""
    return {
        "profile": args.profile,
        "rule": args.rule,
        "rule_params": rule_params(args.param),
        "aggregation": args.aggregation,
        "level4_mean": args.level4_mean,
    }


def load_benchmark(args: argparse.Namespace) -> Benchmark:
    """The benchmark the source options name (the paper data by default)."""
    if not args.results:
        if args.sota is not None:
            raise InputError("--sota needs --results")
        bench = load_paper()
        return select_model(bench, args.model) if args.model else bench
    files = list(args.results)
    workbooks = [f for f in files if f.suffix.lower() in WORKBOOK_SUFFIXES]
    if workbooks and len(workbooks) != len(files):
        raise InputError("--results mixes workbooks and tidy files; score them separately")
    if workbooks:
        sota = args.sota or paths.official_dir() / "sota_result.xlsx"
        if not Path(sota).is_file():
            raise InputError(f"SoTA workbook '{sota}' not found; pass --sota FILE")
        return load_workbooks(sota, files, model=args.model, scale=args.scale)
    if len(files) != 1:
        raise InputError("give one tidy results file at a time")
    tasks = load_tasks(args.sota) if args.sota else None
    return load_tidy(files[0], tasks=tasks, scale=args.scale, model=args.model)


def select_model(bench: Benchmark, model: str) -> Benchmark:
    """Restrict to one model, by id or display name, case-insensitive."""
    wanted = model.lower()
    hits = [m for m, n in zip(bench.models, bench.model_names, strict=True)
            if wanted in (m.lower(), n.lower())]
    if not hits:
        raise InputError(f"{bench.source}: no model '{model}'; e.g. {list(bench.models[:5])}")
    return bench.select_models(hits[:1])
