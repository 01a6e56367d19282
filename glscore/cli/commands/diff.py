"""``glscore diff A B``: what changed between two scored results.

A and B are each a score JSON (``glscore score --json``), a board JSON
(``glscore leaderboard --format json``, with or without ``--uncertainty``), or
a run: a folder written by ``glscore report`` (or its ``downloads/``). Prints
the models whose level or rank changed on a board both sides hold, with the
tasks that caused it (runs: tasks whose value, win or support differs; score
JSON: the modalities whose levels, wins or support differ; boards: the rows'
win and support counts). ``glscore report --diff A B`` adds the same as a
"what changed" page. See :mod:`glscore.analysis.diff`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

FORMATS = ("text", "json")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("diff", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", type=Path, metavar="A", help="the earlier result (file or folder)")
    parser.add_argument("b", type=Path, metavar="B", help="the later result (file or folder)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="plain text (default) or JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from glscore.analysis.diff import diff
    from glscore.cli.commands.common import dumps
    from glscore.io.snapshot import read_snapshot

    result = diff(read_snapshot(args.a), read_snapshot(args.b))
    print(dumps(result.to_dict()) if args.format == "json" else result.text())
    return 0
