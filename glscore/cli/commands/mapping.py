"""``glscore mapping``: write a mapping template, or check a mapping.

``--template`` writes every task of the SoTA table (id, sheet, name, metric,
direction) with empty harness columns, to standard output or ``--out FILE``;
``--check FILE`` validates a mapping (:func:`glscore.io.mapping.read_mapping`)
and prints what it maps (``--json`` for an object). The format is described
in :mod:`glscore.io.mapping`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from glscore import paths
from glscore.cli.commands.common import dumps
from glscore.cli.options import output_option
from glscore.errors import InputError
from glscore.io.export import write
from glscore.io.loaders import COMMITTED_SOTA_LABEL, load_tasks
from glscore.io.mapping import read_mapping, template


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("mapping", description=__doc__)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--template", action="store_true",
                      help="write a template with every task and empty harness columns")
    what.add_argument("--check", type=Path, metavar="MAP.csv", help="validate a mapping file")
    parser.add_argument("--out", type=output_option("--out"), metavar="FILE",
                        help="with --template: write the template here (default: standard "
                             "output)")
    parser.add_argument("--sota", type=Path, metavar="FILE",
                        help="the tasks: an official sota_result.xlsx or a tasks .csv/.parquet "
                             f"(default: the committed task table {COMMITTED_SOTA_LABEL})")
    parser.add_argument("--json", action="store_true", help="with --check: print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    tasks = load_tasks(args.sota if args.sota is not None else paths.TASKS_CSV)
    if args.template:
        if args.json:
            raise InputError("--json goes with --check")
        text = template(tasks)
        if args.out is None:
            sys.stdout.write(text)
        else:
            if args.sota is not None and args.out.resolve() == args.sota.resolve():
                raise InputError(f"'{args.out}': is the --sota input; glscore never writes over "
                                 "its inputs")
            write(args.out, text.encode("utf-8"))
            print(f"wrote {args.out} ({len(tasks)} tasks)", file=sys.stderr)
        return 0
    if args.out is not None:
        raise InputError("--out goes with --template")
    summary = read_mapping(args.check, tasks).summary(tasks)
    print(dumps(summary) if args.json else check_sentence(summary))
    return 0


def check_sentence(summary: dict) -> str:
    """The ``--check`` result as one sentence."""
    harnesses = ", ".join(f"{h} {n}" for h, n in summary["harnesses"].items())
    provenance = ", ".join(f"{n} {p}" for p, n in summary["provenance"].items())
    sheets = ", ".join(f"{s} {n}" for s, n in summary["sheets"].items())
    return (f"'{summary['mapping']}': mapping format {summary['version']}, valid: "
            f"{summary['rows']} row(s) ({harnesses}; {provenance}) for {summary['tasks']} "
            f"General-Bench task(s) ({sheets}); {summary['tasks_unmapped']} task(s) unmapped.")
