"""``glscore report --out DIR``: build the static HTML report.

Every board of Scopes A-D, one page per model (what ``glscore explain``
prints, and the boards it is on) and every executed notebook, from
``data/`` and the committed notebooks, in one scoring pass; offline and
byte-for-byte deterministic. Writes only inside DIR. ``python -m
glscore.report`` is the same command. See :mod:`glscore.report`.
"""

from __future__ import annotations

import argparse

from glscore.cli.commands.common import add_profile_option
from glscore.cli.options import output_option


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=output_option("--out"), required=True, metavar="DIR",
                        help="output folder (e.g. report): new, empty, or an earlier report")
    add_profile_option(parser)
    parser.add_argument("--rule", metavar="NAME",
                        help="synergy rule: a registered name or module:function "
                             "(default: the profile's, strict)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from glscore.report import build  # jinja2, mistune, nbconvert: the report extra

    written = build(args.out, args.profile, args.rule)
    print(f"report: {len(written)} files in {args.out}")
    return 0
