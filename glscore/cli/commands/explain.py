"""``glscore explain MODEL``: why a model is at its level and what lifts it.

Markdown by default (:func:`glscore.analysis.explain.explain_markdown`),
strict JSON with ``--json`` (keys ``model``, ``name``, ``level``, ``scores``,
``why``, ``wins``, ``contributions``, ``next_level``, ``fragile_wins``,
``expected_level3``, ``level3_interval``, ``p_level``, ``noise``, ``origin``,
``sota``). The noise study draws ``--draws`` times (``--seed``) from the
standard errors the input carries, else from the noise model of the data.
"""

from __future__ import annotations

import argparse

from glscore.cli.commands.common import (
    add_scoring_options,
    add_source_options,
    add_uncertainty_options,
    dumps,
    load_benchmark,
    model_origins,
    scoring_kwargs,
    sota_label,
    uncertainty_inputs,
    uncertainty_settings,
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("explain", description=__doc__)
    parser.add_argument("name", metavar="MODEL",
                        help="model id or display name (paper data), or the model column / "
                             "name in --results (case-insensitive)")
    add_source_options(parser, with_paper=False, with_model=False)
    add_scoring_options(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    add_uncertainty_options(parser, composition=False)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from glscore.analysis.explain import explain, explain_markdown

    args.model = args.name   # the model to load: the argument (there is no --model)
    settings = uncertainty_settings(args)
    bench = load_benchmark(args)
    se, sota_se = uncertainty_inputs(bench, sota_label(args))
    result = explain(bench, args.name, **scoring_kwargs(args), draws=settings.draws,
                     seed=settings.seed, se=se, sota_se=sota_se)
    origin = dict(zip(bench.models, model_origins(args, bench), strict=True))
    result["origin"] = origin[result["model"]]
    result["sota"] = sota_label(args)
    print(dumps(result) if args.json else explain_markdown(result, heading=1))
    return 0
