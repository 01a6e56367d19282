"""``glscore natural``: each generalist against its own base LLM on the NLP tasks.

Pairs come from ``base_model_id`` of ``data/models.csv`` (Table 4 of the
paper, with an evidence tier). Prints the pairs table (MLLM minus base on
the normalised scale), the noise floor and the pooled differences;
``--json``: ``{"pairs": [...], "copies": [...], ...}`` with, per pair,
``mllm, base, tier, n, mean_diff, ci, wins, losses, sign_p`` and, per
possible transcription copy, the two models, the sheet and the run.
"""

from __future__ import annotations

import argparse

from glscore.cli.commands.common import add_profile_option, dumps
from glscore.errors import InputError

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
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default: 0)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from glscore.analysis import natural

    if args.n_boot < 0:
        raise InputError(f"--n-boot must be >= 0, got {args.n_boot}")
    nat = natural.prepare(profile=args.profile)
    table = natural.pairs_table(nat, args.mode, args.n_boot, args.seed)
    floor = natural.noise_floor(nat)
    band = natural.noise_band(floor)
    pool = natural.pooled(table)
    if args.json:
        out = natural.pairs_json(table, nat.copies)
        out.update({"profile": nat.scoring.profile.name, "mode": args.mode,
                    "noise_band": band,
                    "pooled": [{k: (v if not isinstance(v, float) or v == v else None)
                                for k, v in row.items()} for row in pool.to_dict("records")]})
        print(dumps(out))
        return 0
    cols = ["mllm_name", "base_name", "tier", "n", "mean_diff", "ci_low", "ci_high",
            "cluster_low", "cluster_high", "wins", "losses", "sign_p", "wilcoxon_p"]
    print(table[cols].to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print()
    print(pool.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print()
    for line in (natural.finding_pairs(table, band), natural.finding_floor(floor, band),
                 natural.finding_pooled(pool), natural.finding_copies(nat.copies, nat.shared)):
        print(line)
    return 0
