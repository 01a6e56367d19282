"""``glscore report --out DIR``: build the static HTML report.

Every board of Scopes A-D (marks, rank intervals, tie brackets, a page per
board with P(level >= k) and the pairwise matrix), one page per model (what
``glscore explain`` prints, every value per task, the boards it is on),
downloads of every board and of the whole data, and every executed notebook,
in one scoring pass; offline and byte-for-byte deterministic. Writes only
inside DIR. ``python -m glscore.report`` is the same command.

``--results FILE`` (with ``--mapping`` for harness outputs, ``--rule``,
``--param``) puts your models in the report beside the paper's, marked
"yours" on every board they qualify for. ``--diff A B`` adds a "what
changed" page (as ``glscore diff A B``). ``--draws``/``--seed`` set the rank
uncertainty (default 1000 draws, seed 0); ``--draws 0`` leaves it out. See
:mod:`glscore.report`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from glscore.cli.commands.common import add_scoring_options, add_source_options
from glscore.cli.options import output_option, seed_value


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=output_option("--out"), required=True, metavar="DIR",
                        help="output folder (e.g. report): new, empty, or an earlier report")
    add_source_options(parser, with_paper=False)
    add_scoring_options(parser)
    parser.add_argument("--draws", type=int, default=1000, metavar="N",
                        help="draws of the rank uncertainty (0 leaves it out; default "
                             "%(default)s)")
    parser.add_argument("--seed", type=seed_value, default=0,
                        help="seed (default: %(default)s)")
    parser.add_argument("--notebooks", type=Path, metavar="DIR",
                        help="folder of executed NN_*.ipynb notebooks to render (default: the "
                             "checkout's notebooks/; a folder without any leaves them out)")
    parser.add_argument("--diff", nargs=2, type=Path, metavar=("A", "B"),
                        help="add a 'what changed' page between two score or board JSON "
                             "files or two report folders (as glscore diff A B)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from glscore import paths
    from glscore.analysis.uncertainty import MAX_DRAWS, Settings
    from glscore.cli.commands.common import (
        check_count,
        load_benchmark,
        model_origins,
        scoring_kwargs,
        sota_label,
        with_input_warnings,
    )
    from glscore.core.profiles import get_profile
    from glscore.errors import InputError

    if args.notebooks is not None and not args.notebooks.is_dir():
        raise InputError(f"--notebooks {args.notebooks}: not a folder")
    if not 0 <= args.draws <= MAX_DRAWS:
        raise InputError(f"--draws {args.draws}: expected a number from 0 (no uncertainty) to "
                         f"{MAX_DRAWS:,}")
    check_count("--draws", args.draws, minimum=0)
    changes = None
    if args.diff is not None:  # read and compare first: a bad file fails before the work
        from glscore.analysis.diff import diff
        from glscore.io.snapshot import read_snapshot

        changes = diff(read_snapshot(args.diff[0]), read_snapshot(args.diff[1]))
    from glscore.report import build  # jinja2, mistune, nbconvert: the report extra
    from glscore.report.build import Options

    args.with_paper = bool(args.results)  # your models beside the paper's
    bench = load_benchmark(args)
    kwargs = scoring_kwargs(args)
    options = {k: v for k, v in (("aggregation", kwargs.pop("aggregation")),
                                 ("level4_mean", kwargs.pop("level4_mean"))) if v is not None}
    profile = get_profile(args.profile).with_options(**options)
    settings = Settings(args.draws, args.seed) if args.draws else None
    progress = Progress(settings.draws if settings is not None else 0)
    try:
        written = with_input_warnings(
            build, args.out, profile, kwargs["rule"], bench=bench,
            notebooks_dir=args.notebooks if args.notebooks is not None else paths.NOTEBOOKS_DIR,
            options=Options(origins=model_origins(args, bench), settings=settings,
                            sota=sota_label(args) if args.results else None, changes=changes,
                            progress=progress.draw, step=progress.step))
    finally:
        progress.close()
    print(f"report: {len(written)} files in {args.out}")
    return 0


class Progress:
    """Progress on standard error (tqdm, shown for runs over a second): one bar
    over the build's stages, and one over the draws while the rank
    uncertainty is simulated."""

    def __init__(self, draws: int) -> None:
        from glscore.cli.commands.common import progress_bar
        from glscore.report.build import STAGES

        self.draws = draws
        self.stages = progress_bar(len(STAGES), "stages")
        self.bar = None

    def step(self, name: str) -> None:
        from glscore.cli.commands.common import progress_bar

        self._close_draws()
        self.stages.set_description(name)
        self.stages.update(1)
        if name == "rank uncertainty" and self.draws:
            self.bar = progress_bar(self.draws)

    def draw(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def _close_draws(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def close(self) -> None:
        self._close_draws()
        self.stages.close()
