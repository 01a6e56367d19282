"""``glscore compare-sota A B``: two SoTA tables, task by task.

``A`` and ``B`` are each ``paper`` (the committed paper data, ``data/``), an
official ``sota_result.xlsx``, or a tasks ``.csv``/``.parquet`` (columns
``task_id, modality, paradigm, metric, sota``; ``task_name`` and ``sheet``
recommended). Tasks are matched by sheet and normalised task name, never by
row number or the workbook's ``No`` column; tasks found on one side only are
reported as such. Every row gives the metric(s), value A, value B,
``difference = B - A``, ``ratio = B / A`` and a category (equal, rounding,
scale x100, scale x0.01, round amount, differs, only in A/B, missing in A/B;
see :func:`glscore.analysis.audit.compare_sota`).

By default only the tasks that are not ``equal`` are printed (``--all`` prints
every task). CSV goes to standard output; ``--format json`` prints an object
with the inputs, the tolerance, the count per category and the rows. A
one-line summary goes to standard error.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import pandas as pd

from glscore.analysis import audit
from glscore.cli.commands.common import dumps
from glscore.io.loaders import load_paper, load_tasks

PAPER = "paper"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "compare-sota", help="compare two SoTA tables task by task",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", metavar="A", help="'paper', a sota_result.xlsx or a tasks CSV/Parquet")
    parser.add_argument("b", metavar="B", help="the same kinds as A")
    parser.add_argument("--format", choices=("csv", "json"), default="csv",
                        help="output format (default csv)")
    parser.add_argument("--tolerance", type=float, default=1e-6, metavar="X",
                        help="|B - A| <= X counts as equal (default 1e-6)")
    parser.add_argument("--all", action="store_true", help="also print the equal tasks")
    parser.set_defaults(run=run)


def load_sota(spec: str) -> pd.DataFrame:
    """The tasks table named by ``spec`` (``paper`` or a file path)."""
    if spec == PAPER:
        return load_paper().tasks
    return load_tasks(Path(spec))


def run(args: argparse.Namespace) -> int:
    from glscore.errors import InputError

    if not math.isfinite(args.tolerance) or args.tolerance < 0:
        raise InputError(f"--tolerance {args.tolerance!r}: expected a number >= 0")
    table = audit.compare_sota(load_sota(args.a), load_sota(args.b), tolerance=args.tolerance)
    print(audit.sota_finding(table, "A", "B"), file=sys.stderr)
    shown = table if args.all else table[table["category"] != "equal"]
    if args.format == "json":
        counts = table["category"].value_counts()
        payload = {
            "a": args.a, "b": args.b, "tolerance": args.tolerance, "tasks": len(table),
            "counts": {c: int(counts[c]) for c in audit.SOTA_CATEGORIES if c in counts},
            "rows": [_json_row(r) for r in shown.to_dict(orient="records")],
        }
        print(dumps(payload))
    else:
        sys.stdout.write(shown.to_csv(index=False, lineterminator="\n"))  # full precision
    return 0


def _json_row(row: dict) -> dict:
    out: dict[str, object] = {}
    for key, value in row.items():
        if value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
            out[key] = None
        elif hasattr(value, "item"):
            out[key] = value.item()
        else:
            out[key] = value
    return out
