"""``glscore natural``: each generalist against a language model of its family on NLP.

Pairs come from ``base_model_id`` of ``data/models.csv`` (Table 4 of the
paper, with an evidence tier; LLaMA-Omni's ``external`` link from its own
paper is a sensitivity row). Prints the pairs table (MLLM minus base on the
normalised scale) with the calls, the noise floor, the pooled tiers under
every method and the sentences. ``--json``: ``{"pairs", "calls", "apart",
"pooled", "pooled_by_mode", "external", "floor", "copies", ...}``: per pair
the statistics, bootstrap intervals and, under ``tests.cluster`` and
``tests.task``, the p-value, interval and call under each adjustment
(``holm``, ``bh``, ``none``); per group of tiers in ``pooled`` the HKSJ
interval and prediction interval (``hksj``), the cluster-robust by base
(``cluster``) and one-estimate-per-base (``per_base``) results, and the
other methods.
"""

from __future__ import annotations

import argparse

from glscore.cli.commands.common import add_profile_option, check_count, dumps, seed_value

MODES = ("drop", "zero", "clean")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("natural", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    add_profile_option(parser)
    parser.add_argument("--mode", choices=MODES, default="drop",
                        help="unsupported cells: drop (default), zero (count 0), clean (drop, "
                             "and leave out cells flagged as copies or shared values)")
    parser.add_argument("--n-boot", type=int, default=2000, metavar="N",
                        help="bootstrap resamples for the intervals (default: %(default)s)")
    parser.add_argument("--seed", type=seed_value, default=0,
                        help="bootstrap seed, a whole number >= 0 (default: 0)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from glscore.analysis import floor, natural

    check_count("--n-boot", args.n_boot, minimum=0)  # 0: no bootstrap intervals
    nat = natural.prepare(profile=args.profile)
    screened = floor.screen(nat)
    f = floor.floor_sd(screened)
    table = natural.pairs_table(nat, args.mode, args.n_boot, args.seed, floor_sd=f)
    pool = natural.pooling_table(nat, table, args.mode)
    by_mode = natural.pooled_by_mode(nat, f)
    ext = natural.external_table(nat, table)
    if args.json:
        out = natural.natural_json(table, pool, by_mode, screened, f, ext, nat.copies)
        print(dumps({"profile": nat.scoring.profile.name, "mode": args.mode,
                     "n_boot": args.n_boot, **out}))
        return 0
    cols = ["mllm_name", "base_name", "tier", "n", "mean_diff", "ci_low", "ci_high",
            "call_cluster_low", "call_cluster_high", "p_cluster", "call_cluster_holm",
            "call_task_none"]
    print(table[cols].to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print()
    shown = pool[["group", "label", "k", "units", "mu", "ci_low", "ci_high", "pi_low",
                  "pi_high", "tau"]]
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    print()
    for line in (natural.finding_pairs(table, f, floor.used_count(screened)),
                 natural.finding_apart(table), floor.finding_floor(screened),
                 natural.finding_paper_comparison(pool, by_mode),
                 natural.finding_mode_pooled(by_mode), natural.finding_external(ext),
                 natural.finding_copies(nat.copies, nat.shared)):
        print(line)
    return 0
