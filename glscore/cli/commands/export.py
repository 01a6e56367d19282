"""``glscore export``: results in the official scorer's layout, or as a tidy table.

``--to workbook OUT.xlsx`` writes the official result workbook (nine sheets,
``No, Task Name, Task Short Name, Metrics`` and one column per model), which
the reference scorer and glscore's workbook loader read; ``--to tidy
OUT.csv|OUT.parquet`` writes ``model, task_id, value, se, provenance,
source``. Either, read back, scores exactly as the input. The input is any
``--results`` glscore reads (harness outputs with ``--mapping``). The official
layout cannot mark proxy values or hold standard errors: with proxy values,
``--to workbook`` needs ``--no-proxy`` (leave them out) or ``--keep-proxy``
(write them as plain values, said on standard error); standard errors are
left out with a warning. Nothing is written over an input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from glscore import paths
from glscore.cli.commands.common import add_source_options, warn, warn_all, with_input_warnings
from glscore.core.benchmark import Benchmark
from glscore.errors import InputError
from glscore.io import export
from glscore.io.loaders import (
    COMMITTED_SOTA_LABEL,
    load_source,
    load_tasks,
    select_model,
    without_proxy,
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("export", description=__doc__)
    parser.add_argument("--to", nargs=2, required=True, metavar=("KIND", "OUT"),
                        help="workbook OUT.xlsx (official layout) or tidy OUT.csv|OUT.parquet")
    parser.add_argument("--keep-proxy", action="store_true",
                        help="--to workbook: write proxy values as plain values (the layout "
                             "cannot mark them)")
    add_source_options(parser, with_paper=False)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.to[1].strip():
        raise InputError("--to: empty path (name the output file)")
    kind, out = args.to[0], Path(args.to[1])
    if not args.results:
        raise InputError("glscore export needs --results (the files to export)")
    inputs = list(args.results) + [p for p in (args.mapping, args.sota) if p is not None]
    export.check_target(kind, out, inputs)
    if args.keep_proxy and (kind != "workbook" or args.no_proxy):
        raise InputError("--keep-proxy goes with --to workbook, without --no-proxy")
    bench, sources = with_input_warnings(read, args)
    bench = _scored_models(bench)
    if kind == "workbook":
        data = export.benchmark_workbook(_workbook_ready(bench, args.keep_proxy))
    else:
        data = export.tidy_bytes(export.tidy_frame(bench, sources), out.suffix.lower())
    export.write(out, data)
    print(f"wrote {out} ({len(bench.models)} model(s), "
          f"{int(np.isfinite(bench.values).sum())} value(s))", file=sys.stderr)
    return 0


def read(args: argparse.Namespace):
    """The benchmark to export and, for harness outputs, the source of every value."""
    if args.mapping is None:
        bench = load_source(args.results, sota=args.sota, model=args.model, scale=args.scale,
                            input_format=args.input_format, no_proxy=args.no_proxy)
        return bench, None
    from glscore.io.harness import harness_table, table_benchmark

    if args.scale != "auto":
        raise InputError(f"--scale {args.scale} does not apply to harness outputs: each "
                         "mapping row states its value's scale")
    tasks = load_tasks(args.sota if args.sota is not None else paths.TASKS_CSV)
    label = str(args.sota) if args.sota is not None else COMMITTED_SOTA_LABEL
    table = harness_table(args.results, args.mapping, tasks, args.input_format, progress=True)
    bench = table_benchmark(table, tasks, label)
    if args.model is not None:
        bench = select_model(bench, args.model)
    return (without_proxy(bench) if args.no_proxy else bench), table.frame


def _scored_models(bench: Benchmark) -> Benchmark:
    """Models with at least one value (a model left empty by --no-proxy is left out)."""
    empty = ~np.isfinite(bench.values).any(axis=1)
    warn_all([f"model '{bench.models[int(i)]}' has no value left: not exported"
              for i in np.flatnonzero(empty)])
    if empty.all():
        raise InputError("no model has a value to export")
    return bench.select_models([m for m, e in zip(bench.models, empty, strict=True) if not e])


def _workbook_ready(bench: Benchmark, keep_proxy: bool) -> Benchmark:
    """The official layout holds values only: proxy values need a decision, standard
    errors are dropped with a warning."""
    proxies = int(bench.proxy_cells().sum())
    if proxies and not keep_proxy:
        raise InputError(f"{proxies} value(s) are proxies, which the official layout cannot "
                         "mark: pass --no-proxy to leave them out, or --keep-proxy to write "
                         "them as plain values (or export --to tidy, which keeps provenance)")
    if proxies:
        warn(f"--keep-proxy: {proxies} proxy value(s) written as plain values; the workbook "
             "does not say which")
    if bench.se is not None and np.isfinite(bench.se).any():
        warn(f"the official layout has no place for standard errors: "
             f"{int(np.isfinite(bench.se).sum())} left out (--to tidy keeps them)")
    return bench
