"""``glscore explain MODEL``: why a model is at its level and what lifts it.

Markdown by default (:func:`glscore.analysis.explain.explain_markdown`),
strict JSON with ``--json`` (keys ``model``, ``name``, ``level``, ``scores``,
``why``, ``wins``, ``contributions``, ``next_level``, ``origin``, ``sota``).
"""

from __future__ import annotations

import argparse

from glscore.cli.commands.common import (
    add_scoring_options,
    add_source_options,
    dumps,
    load_benchmark,
    model_origins,
    scoring_kwargs,
    sota_label,
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("explain", description=__doc__)
    parser.add_argument("name", metavar="MODEL",
                        help="model id or display name (paper data), or the model column / "
                             "name in --results (case-insensitive)")
    add_source_options(parser, with_paper=False)
    add_scoring_options(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from glscore.analysis.explain import explain, explain_markdown

    if args.model is not None:
        from glscore.errors import InputError

        raise InputError("glscore explain takes the model as its argument, not --model")
    args.model = args.name
    bench = load_benchmark(args)
    result = explain(bench, args.name, **scoring_kwargs(args))
    origin = dict(zip(bench.models, model_origins(args, bench), strict=True))
    result["origin"] = origin[result["model"]]
    result["sota"] = sota_label(args)
    print(dumps(result) if args.json else explain_markdown(result, heading=1))
    return 0
