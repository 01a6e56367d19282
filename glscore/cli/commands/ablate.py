"""``glscore ablate``: how the levels depend on the scoring relaxation.

Scores the paper benchmark under a grid of variants (synergy rule and its
parameters, aggregation, Level-4 mean), compares each with the published
variant and resamples the benchmark's composition (skill groups within
modality x paradigm strata by default, ``--unit task`` for single tasks);
prints the variant summary (``--json``: one object with the variants). No
timing is printed unless asked (``--timings``: the seconds of the grid, the
bootstrap and the whole run, in the text and under ``timing_s`` in JSON).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from glscore.analysis import ablation
from glscore.cli.commands.common import check_count, dumps, progress_bar, seed_value
from glscore.cli.params import load_spec


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("ablate", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--rules", nargs="+", metavar="RULE[,KEY=VALUE...]",
        help="rules to compare, e.g. strict soft,k=5 noisy_sota,s=1 mymod:myrule "
             "(default: " + " ".join(
                 n + "".join(f",{k}={v:g}" for k, v in p.items())
                 for n, p in ablation.DEFAULT_RULES) + ")")
    parser.add_argument("--margins", nargs="*", type=float, metavar="TAU",
                        default=list(ablation.DEFAULT_MARGINS),
                        help="relative margins of the margin rule, one variant each "
                             "(default: " + " ".join(f"{m:g}" for m in ablation.DEFAULT_MARGINS)
                             + "; --margins with no value: no margin variants)")
    parser.add_argument("--aggregations", nargs="+", choices=ablation.AGGREGATIONS,
                        default=list(ablation.AGGREGATIONS))
    parser.add_argument("--level4-means", nargs="+", choices=ablation.LEVEL4_MEANS,
                        default=list(ablation.LEVEL4_MEANS))
    parser.add_argument("--design", choices=("one_at_a_time", "full"), default="one_at_a_time",
                        help="vary one factor at a time from the published variant, or all")
    parser.add_argument("--n-boot", type=int, default=1000, metavar="N",
                        help="bootstrap resamples (default: %(default)s)")
    parser.add_argument("--unit", choices=ablation.UNITS, default=ablation.UNITS[0],
                        help="resampling unit within modality x paradigm strata "
                             "(default: %(default)s)")
    parser.add_argument("--seed", type=seed_value, default=0,
                        help="bootstrap seed, a whole number >= 0 (default: 0)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--timings", action="store_true",
                        help="also print how long the grid and the bootstrap took (JSON: "
                             "timing_s); off by default, so outputs are reproducible")
    parser.set_defaults(run=run)


def parse_rule(spec: str) -> tuple[str, dict[str, float]]:
    """``"soft,k=5"`` -> ``("soft", {"k": 5.0})``, the rule loaded (a
    ``module:function`` from the command line's rule folders: :func:`load_spec`)."""
    rule = load_spec(spec, where="--rules")
    return rule.name, dict(rule.params)


def run(args: argparse.Namespace) -> int:
    check_count("--n-boot", args.n_boot, minimum=0)  # 0: no bootstrap
    start = time.perf_counter()
    rules = [parse_rule(s) for s in args.rules] if args.rules else None
    variants = ablation.make_grid(rules, args.margins, args.aggregations, args.level4_means,
                                  design=args.design)
    bar = progress_bar(args.n_boot * len(variants), "resamples")
    try:
        result = ablation.run_ablation(None, variants, n_boot=args.n_boot, seed=args.seed,
                                       unit=args.unit, progress=bar.update)
    finally:
        bar.close()
    result.timing["total_s"] = time.perf_counter() - start  # data loading included
    if args.json:
        print(dumps(ablation.summary_json(result, timings=args.timings)))
        return 0
    table = result.summary().drop(columns=["rule", "params", "aggregation", "level4_mean"])
    with pd.option_context("display.width", 250, "display.max_columns", 50,
                           "display.max_colwidth", 60):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print()
    for finding in (ablation.finding_levels, ablation.finding_migration,
                    ablation.finding_agreement, ablation.finding_level4,
                    ablation.finding_bootstrap):
        print(finding(result))
    if args.timings:
        t = result.timing
        print(f"\n{len(variants)} variants, {args.n_boot} resamples: grid {t['grid_s']:.2f} s, "
              f"bootstrap {t['bootstrap_s']:.2f} s, total {t['total_s']:.2f} s")
    return 0
