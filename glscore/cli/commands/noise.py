"""``glscore noise``: how stable are the levels and ranks under measured noise?

Fits the noise model on the data's own repeats (rows printed twice,
near-identical models), perturbs every published score ``--draws`` times,
rescores, and prints per model of Scope-A (``--board`` for a Scope-B board)
the probability of keeping its level and rank, and its rank interval;
``--json``: the noise model, the timing and the rank summary of every board.
"""

from __future__ import annotations

import argparse

from glscore.cli.commands.common import add_profile_option, dumps
from glscore.errors import InputError


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("noise", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    add_profile_option(parser)
    parser.add_argument("--draws", type=int, default=1000, metavar="N",
                        help="perturbed copies of the matrix (default: %(default)s)")
    parser.add_argument("--chunk", type=int, default=50, metavar="K",
                        help="draws scored together (memory ~ K x models x tasks; "
                             "default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed (default: 0)")
    parser.add_argument("--board", default="full", metavar="NAME",
                        help="board to print: full (Scope-A) or a Scope-B board such as Image")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from glscore.analysis import natural, noise

    if args.draws < 1 or args.chunk < 1:
        raise InputError(f"--draws and --chunk must be >= 1, got {args.draws} and {args.chunk}")
    nat = natural.prepare(profile=args.profile)
    model = noise.fit_noise(natural.floor_cells(nat), natural.mapped_tasks(nat))
    mc = noise.simulate(natural.published(nat), model, args.draws, args.profile, args.seed,
                        args.chunk)
    summary = noise.rank_summary(mc)
    boards = list(dict.fromkeys(summary["board"]))
    wanted = [b for b in boards if b.lower() == args.board.strip().lower()]
    if not wanted:
        raise InputError(f"--board '{args.board}': choose one of {boards}")
    if args.json:
        out = {"noise_model": {"c": model.c, "cells": model.n_cells},
               "draws": mc.n_draws, "chunk": mc.chunk, "seconds": mc.seconds,
               "timing": mc.timing,
               "boards": {b: summary[summary["board"] == b].drop(columns=["scope", "board"])
                          .to_dict("records") for b in boards}}
        print(dumps(out))
        return 0
    part = summary[summary["board"] == wanted[0]].drop(columns=["scope", "board", "model"])
    print(part.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print()
    print(model.sentence())
    print(noise.finding_noise(summary))
    t = mc.timing
    print(f"{mc.n_draws} draws in chunks of {mc.chunk}: {mc.seconds:.1f} s (perturbing "
          f"{t['perturb_s']:.1f} s, scoring {t['score_s']:.1f} s, counting {t['count_s']:.1f} s)")
    return 0
