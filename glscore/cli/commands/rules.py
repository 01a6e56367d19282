"""``glscore rules``: every synergy rule available, with its formula and parameters.

Built-in rules first, then the rules installed packages declare in the
entry-point group ``glscore.rules``. ``--json`` prints a list of objects
``{"name", "source", "target", "form", "formula", "params", "note"}``
(``form``: ``cell`` or ``context``; ``params``: name -> default).
"""

from __future__ import annotations

import argparse
import json

from glscore.core import synergy


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("rules", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    infos = synergy.catalogue()
    if args.json:
        print(json.dumps([info.as_dict() for info in infos], indent=2, allow_nan=False))
        return 0
    for info in infos:
        params = synergy.format_parameters(info.params)
        print(f"{info.name}({params})  [{info.source}, {info.form} rule, {info.target}]")
        if info.formula:
            print(f"    {info.formula}")
        if info.note:
            print(f"    note: {info.note}")
    return 0
