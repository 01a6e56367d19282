"""``glscore noise``: how stable are the levels and ranks under measured noise?

Fits the noise scale on the data's own repeat measurements (the comparisons
of a model with itself that the floor screening accepts), perturbs every
published score ``--draws`` times at each scale of ``--scales`` (default:
the robust estimate, and 0.5, 1 and 2 times the mean-of-squares one),
rescores, and prints per model of Scope-A (``--board`` for a Scope-B board)
the probability of keeping its level and rank and its rank interval at the
first scale, then the headline sentences with their Monte-Carlo standard
errors. Progress goes to standard error. ``--json``: both estimates of the
scale, the draws, per scale the headline counts with their Monte-Carlo
standard errors (stability over the models with multimodal support),
P(Level-5) per model, and the rank summary of every board. No timing is
printed unless asked (``--timings``: one line on standard error).
"""

from __future__ import annotations

import argparse
import sys

from glscore import limits
from glscore.cli.commands.common import add_profile_option, check_count, dumps, seed_value
from glscore.errors import InputError


def add_parser(sub: argparse._SubParsersAction) -> None:
    from glscore.analysis.noise import DEFAULT_CHUNK, DEFAULT_DRAWS, SCALES

    parser = sub.add_parser("noise", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    add_profile_option(parser)
    parser.add_argument("--draws", type=int, default=DEFAULT_DRAWS, metavar="N",
                        help="perturbed copies of the matrix (default: %(default)s)")
    parser.add_argument("--scales", default=",".join(SCALES), metavar="LIST",
                        help="noise scales, comma-separated, the first the one tabled: robust, "
                             "x0.5, x1, x2 (times the mean-of-squares c; default: %(default)s)")
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, metavar="K",
                        help="draws scored together (memory ~ K x models x tasks; "
                             "default: %(default)s)")
    parser.add_argument("--seed", type=seed_value, default=0,
                        help="seed, a whole number >= 0 (default: 0)")
    parser.add_argument("--board", default="full", metavar="NAME",
                        help="board to print: full (Scope-A) or a Scope-B board such as Image")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--timings", action="store_true",
                        help="print how long perturbing, scoring and counting took (standard "
                             "error); off by default")
    parser.set_defaults(run=run)


def parse_scales(text: str) -> list[str]:
    """``"robust,x1"`` -> ``["robust", "x1"]``; an unknown or repeated scale is an error."""
    from glscore.analysis.noise import SCALES

    scales = [s.strip() for s in str(text).split(",") if s.strip()]
    bad = [s for s in scales if s not in SCALES]
    if not scales or bad or len(set(scales)) != len(scales):
        raise InputError(f"--scales '{text}': choose distinct names among {list(SCALES)}")
    return scales


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from glscore.analysis import floor, natural, noise

    check_count("--draws", args.draws)
    check_count("--chunk", args.chunk)
    noise.check_draws(args.draws, args.chunk)
    scales = parse_scales(args.scales)
    nat = natural.prepare(profile=args.profile)
    cells = natural.published(nat).values.size
    limits.HELD_VALUES.check(min(args.chunk, args.draws) * cells,
                             f"--chunk {args.chunk} ({cells:,} values per draw)")
    fit = noise.noise_fit(floor.cells(nat), natural.mapped_tasks(nat))
    models = [fit.model(s) for s in scales]
    with tqdm(total=args.draws * len(scales), desc="noise draws", unit="draw",
              file=sys.stderr, disable=None) as bar:
        studies = dict(zip(scales, noise.simulate_scales(
            natural.published(nat), models, args.draws, args.profile, args.seed, args.chunk,
            progress=lambda k: bar.update(k * len(scales))), strict=True))
    first = studies[scales[0]]
    summary = noise.rank_summary(first)
    boards = list(dict.fromkeys(summary["board"]))
    wanted = [b for b in boards if b.lower() == args.board.strip().lower()]
    if not wanted:
        raise InputError(f"--board '{args.board}': choose one of {boards}")
    level5 = noise.level5_table(studies)
    if args.json:
        print(dumps(noise.study_json(fit, studies, summary, level5)))
        return 0
    part = summary[summary["board"] == wanted[0]].drop(columns=["scope", "board", "model"])
    print(part.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print()
    print(fit.sentence())
    print(noise.finding_noise(noise.headlines(studies)))
    print(noise.finding_level5(level5, scales, args.draws))
    if args.timings:
        t = first.timing
        print(f"{args.draws} draws x {len(scales)} scale(s) in chunks of {first.chunk}: "
              f"{first.seconds:.1f} s (perturbing {t['perturb_s']:.1f} s, scoring "
              f"{t['score_s']:.1f} s, counting {t['count_s']:.1f} s)", file=sys.stderr)
    return 0
