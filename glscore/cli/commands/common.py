"""Options, loading and output shared by the commands.

Output rules every command follows: JSON is strict (``allow_nan=False``:
never ``NaN``/``Infinity``; a missing number is ``null``), warnings about the
input go to standard error as ``glscore: warning: ...`` lines, and a result
that is not a finite number is an :class:`~glscore.errors.InputError`.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from glscore.cli.params import load_rule, parse_params
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import DEFAULT_PROFILE, PROFILES, get_profile
from glscore.core.synergy import Rule
from glscore.core.vocabulary import AGGREGATIONS, LEVEL4_MEANS
from glscore.errors import InputError
from glscore.io.loaders import COMMITTED_SOTA_LABEL, SCALES, InputWarning, load_source, origins


def add_source_options(parser: argparse.ArgumentParser, with_paper: bool = True) -> None:
    """``--results``, ``--model``, ``--sota``, ``--scale`` (and ``--with-paper``)."""
    parser.add_argument(
        "--results", nargs="+", type=Path, metavar="FILE",
        help="result workbooks (.xlsx, official layout) or one tidy .csv/.parquet "
             "(model, task_id, value); default: the paper data in data/")
    parser.add_argument("--model", help="model column / model name (case-insensitive)")
    parser.add_argument(
        "--sota", type=Path, metavar="FILE",
        help="SoTA table: an official sota_result.xlsx, or a tasks .csv/.parquet "
             f"(default: the committed task table {COMMITTED_SOTA_LABEL})")
    parser.add_argument(
        "--scale", choices=SCALES, default="auto",
        help="scale of result values: auto (error on 0-1 values against a 0-100 SoTA), "
             "percent (as given) or fraction (x100 for plain metrics)")
    if with_paper:
        parser.add_argument(
            "--with-paper", action="store_true",
            help="score the --results models together with the committed paper models "
                 "(same profile, rule and SoTA table); rows say their origin")


def add_profile_option(parser: argparse.ArgumentParser) -> None:
    """``--profile NAME`` (one of :data:`glscore.core.profiles.PROFILES`)."""
    parser.add_argument("--profile", default=DEFAULT_PROFILE, metavar="NAME",
                        help=f"scoring profile: {' | '.join(sorted(PROFILES))} "
                             f"(default {DEFAULT_PROFILE})")


def add_scoring_options(parser: argparse.ArgumentParser) -> None:
    """``--profile``, ``--rule``, ``--param``, ``--aggregation``, ``--level4-mean``."""
    add_profile_option(parser)
    parser.add_argument("--rule", metavar="NAME",
                        help="synergy rule: a registered name or module:function "
                             "(default: the profile's, strict)")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="a numeric parameter of the synergy rule (repeatable)")
    parser.add_argument("--aggregation", choices=AGGREGATIONS,
                        help="per-modality means (published) or pooled means")
    parser.add_argument("--level4-mean", choices=LEVEL4_MEANS,
                        help="the mean of Level-4 (published: harmonic)")


def rule_option(args: argparse.Namespace) -> Rule:
    """The rule of ``--rule`` (default: the profile's) with its ``--param`` values,
    resolved with the command line's rule folders (:func:`glscore.cli.params.load_rule`)."""
    name = args.rule or get_profile(args.profile).rule
    return load_rule(name, parse_params(args.param, name))


def scoring_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of :func:`glscore.score` from the parsed options (the
    rule resolved, its parameters in it)."""
    return {
        "profile": args.profile,
        "rule": rule_option(args),
        "aggregation": args.aggregation,
        "level4_mean": args.level4_mean,
    }


def load_benchmark(args: argparse.Namespace) -> Benchmark:
    """The benchmark the source options name (the paper data by default).

    Input warnings (a scale that cannot be told, a renamed model) are printed
    on standard error, one line each.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        bench = load_source(args.results or "paper", sota=args.sota, model=args.model,
                            scale=args.scale, with_paper=getattr(args, "with_paper", False))
    for w in caught:
        if issubclass(w.category, InputWarning):
            warn(str(w.message))
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return bench


def warn(message: str) -> None:
    """One ``glscore: warning: ...`` line on standard error."""
    print(f"glscore: warning: {' '.join(message.split())}", file=sys.stderr)


def sota_label(args: argparse.Namespace) -> str:
    """Which SoTA table the scores used: the ``--sota`` file or the committed table."""
    return str(args.sota) if args.sota is not None else COMMITTED_SOTA_LABEL


def model_origins(args: argparse.Namespace, bench: Benchmark) -> list[str]:
    """``paper`` / ``input`` per model of ``bench`` (see :func:`glscore.io.loaders.origins`)."""
    return origins(bench.models, from_files=bool(args.results))


def frame_records(frame) -> list[dict]:
    """A DataFrame as JSON-ready records at full precision (``NaN``/``NA`` -> ``None``,
    numpy scalars -> Python numbers); unlike ``DataFrame.to_json`` it does not round."""
    out = []
    for row in frame.astype(object).to_dict(orient="records"):
        clean: dict[str, object] = {}
        for key, value in row.items():
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                clean[str(key)] = None
            elif isinstance(value, np.generic):
                item = value.item()
                clean[str(key)] = None if isinstance(item, float) and math.isnan(item) else item
            else:
                clean[str(key)] = value
        out.append(clean)
    return out


def dumps(obj: object) -> str:
    """Strict JSON (indent 2): a non-finite float is an error, never ``NaN``."""
    bad = _first_non_finite(obj)
    if bad is not None:
        raise InputError(f"result {bad} is not a finite number: an input value overflows "
                         "a mapping or a mean")
    return json.dumps(obj, indent=2, allow_nan=False, ensure_ascii=False, default=_json_scalar)


def _json_scalar(value: object) -> object:
    """numpy scalars as Python numbers (``json`` knows only the built-in types)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _first_non_finite(obj: object, path: str = "") -> str | None:
    if isinstance(obj, float):
        return None if math.isfinite(obj) else (path or "value")
    if isinstance(obj, dict):
        for k, v in obj.items():
            hit = _first_non_finite(v, f"{path}.{k}" if path else str(k))
            if hit:
                return hit
    elif isinstance(obj, list | tuple):
        for k, v in enumerate(obj):
            hit = _first_non_finite(v, f"{path}[{k}]")
            if hit:
                return hit
    return None
