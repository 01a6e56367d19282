"""``glscore reproduce``: the paper's Tables 12/14/16 recomputed from Appendix B."""

from __future__ import annotations

import argparse
import math

from glscore.analysis.reproduce import TOLERANCE, reproduce
from glscore.cli.commands.common import add_profile_option, dumps, output_format
from glscore.errors import InputError
from glscore.io.latex import accounting_latex, reproduction_latex


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("reproduce", description=__doc__)
    add_profile_option(parser)
    parser.add_argument("--tolerance", type=float, default=TOLERANCE,
                        help=f"largest |published - recomputed| that reproduces "
                             f"(default {TOLERANCE})")
    parser.add_argument("--json", action="store_true",
                        help="print the comparison as JSON (counts, 'explained', the accounting "
                             "classes, every rule applied to every model with 'fixed', 'broken', "
                             "'free_numbers', every cell with its 'status', and 'rankings'); "
                             "same as --format json")
    parser.add_argument("--format", choices=("text", "json", "latex"), default=None,
                        help="output format (default text; latex: Tables 12/14/16, published "
                             "beside recomputed)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    fmt = output_format(args, "text")
    if not math.isfinite(args.tolerance) or args.tolerance < 0:
        raise InputError(f"--tolerance {args.tolerance}: expected a finite number >= 0")
    rep = reproduce(args.profile, args.tolerance)
    if fmt == "json":
        print(dumps(rep.to_json()))
        return 0
    if fmt == "latex":
        print(reproduction_latex(rep.printed, rep.profile), end="")
        print()
        print(accounting_latex(rep.accounting_counts(), rep.rules, rep.profile), end="")
        return 0
    print("\n".join(rep.findings()))
    print()
    print(rep.accounting_counts().to_string(index=False))
    print()
    print(rep.rules.drop(columns=["evidence", "rule"]).to_string(index=False))
    print()
    print(rep.deviations().to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    return 0

