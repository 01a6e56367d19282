"""The ``glscore`` command line: ``glscore <command> [options]``.

Every command lives in its own module under :mod:`glscore.cli.commands` and
exposes ``add_parser(subparsers)`` and ``run(args) -> int``. Bad input ends
with one line on standard error and exit status 2; ``--debug`` shows the
traceback of unexpected failures.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from glscore import __version__
from glscore.errors import InputError

#: Command modules, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "score",
    "explain",
    "bench",
    "compare-sota",
    "mapping",
    "export",
    "leaderboard",
    "reproduce",
    "ablate",
    "rules",
    "natural",
    "noise",
)


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="glscore",
        description="General-Level scores, leaderboards and analyses for multimodal generalists.",
    )
    parser.add_argument("--version", action="version", version=f"glscore {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"glscore.cli.commands.{name.replace('-', '_')}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except InputError as exc:
        print(f"glscore: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an unexpected failure: one line unless --debug
        if args.debug:
            raise
        print(f"glscore: internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
