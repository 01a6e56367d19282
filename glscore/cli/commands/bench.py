"""``glscore bench``: how fast glscore is, as ratios against floors, on this machine.

Every target is a ratio measured in one run, against a floor or reference
implemented in the same module of :mod:`glscore.speed` (rerun it, read it):

1. ``startup`` (:mod:`glscore.speed.startup`): ``glscore --help`` in CPU
   seconds (target < 0.15 s), and ``glscore score`` on one official workbook
   end to end against the reference scorer ``ranker.py`` (target: at least 4x
   faster; ``--reference DIR`` or ``$GLSCORE_REFERENCE``, skipped with the
   reason without it).
2. ``kernel`` (:mod:`glscore.speed.kernel`): scoring under both profiles at
   ``--sizes`` models against a numpy floor doing the same work (targets:
   within 2x at 100 models, within 1.3x at 100,000).
3. ``montecarlo`` (:mod:`glscore.speed.montecarlo`): ``noise --draws N`` at
   the robust scale against a sparse floor (target: within 1.3x), and the
   bootstrap's integer draws against multinomial counts.
4. ``uncertainty``: the rank uncertainty of every board of Scopes A-D
   (seconds only, no target).

The results are printed as one JSON object (``--out FILE`` writes it there
too; ``make bench`` writes ``benchmarks/latest.json``, from which
``python -m glscore.speed.report`` regenerates the README's Speed section)
and the targets as a Markdown table on standard error. ``--only PART`` runs
one part (``scoring`` = ``startup`` and ``kernel``). Timings are never
asserted by a test: they depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from glscore.errors import InputError

PARTS: tuple[str, ...] = ("startup", "kernel", "montecarlo", "uncertainty")
#: ``--only`` choices: every part, and ``scoring`` (startup and kernel).
ONLY: tuple[str, ...] = (*PARTS, "scoring")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=ONLY, help="run one part only")
    parser.add_argument("--reference", type=Path, metavar="DIR",
                        help="folder of the reference scorer's ranker.py (default: "
                             "$GLSCORE_REFERENCE; without it the comparison is skipped)")
    parser.add_argument("--runs", type=int, default=7, metavar="N",
                        help="paired end-to-end runs (default: %(default)s)")
    parser.add_argument("--sizes", type=int, nargs="+", default=None, metavar="N",
                        help="models of the kernel table (default: 100 1000 10000 100000)")
    parser.add_argument("--draws", type=int, default=10_000, metavar="N",
                        help="draws of the noise study (default: %(default)s)")
    parser.add_argument("--pairs", type=int, default=3, metavar="K",
                        help="paired runs of the noise study (default: %(default)s)")
    parser.add_argument("--uncertainty-draws", type=int, default=1000, metavar="N",
                        help="draws of the 139-board uncertainty timing (default: %(default)s)")
    parser.add_argument("--uncertainty-repeat", type=int, default=3, metavar="K",
                        help="runs of the uncertainty timing (best is kept; default: "
                             "%(default)s)")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="also write the JSON results to FILE (e.g. benchmarks/latest.json)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from glscore.speed import report

    for name in ("runs", "draws", "pairs", "uncertainty_draws", "uncertainty_repeat"):
        if getattr(args, name) < 1:
            raise InputError(f"--{name.replace('_', '-')} {getattr(args, name)}: expected a "
                             "positive number")
    if args.sizes is not None and any(n < 1 or n > 1_000_000 for n in args.sizes):
        raise InputError(f"--sizes {args.sizes}: expected model counts from 1 to 1,000,000")
    parts = ([p for p in PARTS if args.only is None or p == args.only
              or (args.only == "scoring" and p in ("startup", "kernel"))])
    results: dict[str, object] = {"machine": report.machine()}
    with tqdm(total=len(parts), desc="bench", unit="part", file=sys.stderr,
              disable=None) as bar:
        for part in parts:
            bar.set_postfix_str(part)
            results.update(_measure(part, args))
            bar.update(1)
    text = json.dumps(results, indent=2, sort_keys=True)
    if args.out is not None:
        from glscore.io.files import write_text_if_changed

        write_text_if_changed(args.out, text + "\n")
    print(text)
    from glscore.io import markdown

    print(markdown.table(["what", "glscore", "floor / reference", "ratio", "target", "met"],
                         report.targets(results)), file=sys.stderr)
    return 0


def _measure(part: str, args: argparse.Namespace) -> dict[str, object]:
    """The results of one part of the benchmark."""
    match part:
        case "startup":
            from glscore.speed import startup

            return {"startup": {"help": startup.help_timing(),
                                "score": startup.score_timing(args.runs, args.reference)}}
        case "kernel":
            from glscore.io.loaders import load_paper
            from glscore.speed import kernel

            sizes = tuple(args.sizes) if args.sizes else kernel.SIZES
            return {"kernel": kernel.kernel_table(load_paper(), sizes)}
        case "montecarlo":
            from glscore.speed import montecarlo

            return {"noise": montecarlo.noise_timing(args.draws, args.pairs),
                    "bootstrap": montecarlo.bootstrap_timing()}
        case "uncertainty":
            return {"uncertainty": uncertainty_timing(args.uncertainty_draws,
                                                      args.uncertainty_repeat)}
        case _:
            raise InputError(f"unknown part '{part}'; choose one of {list(PARTS)}")


def uncertainty_timing(draws: int = 1000, repeat: int = 3) -> dict[str, object]:
    """Seconds to compute the uncertainty of every board of Scopes A-D of the
    paper data (best of ``repeat``), with both sources and each alone."""
    from glscore.analysis.noise import measured_noise_scale
    from glscore.analysis.uncertainty import SOURCES, board_uncertainty
    from glscore.core.scoring import score_detailed
    from glscore.io.loaders import load_paper

    start = time.perf_counter()
    measured_noise_scale()                     # fitted once per process
    noise_s = time.perf_counter() - start
    ctx = score_detailed(load_paper(), "paper")
    out: dict[str, object] = {"draws": draws, "noise_scale_fit_s": round(noise_s, 3)}
    for label, sources in (("both", SOURCES), ("composition", ("composition",)),
                           ("measurement", ("measurement",))):
        best, result = float("inf"), None
        for _ in range(max(repeat, 1)):
            t0 = time.perf_counter()
            result = board_uncertainty(ctx, draws=draws, sources=sources)
            best = min(best, time.perf_counter() - t0)
        assert result is not None
        out[f"{label}_s"] = round(best, 3)
        out["boards"] = len(result.frames)
        out["entries"] = int(sum(len(f) for f in result.frames))
    return out
