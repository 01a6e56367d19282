"""``glscore run``: execute the numbered notebooks in order (in place by default).

Every check (parameter names against each notebook, the output folder) runs
before the first notebook starts: a bad invocation is one line, exit status
2, and nothing written. ``--output-dir DIR`` writes the executed notebooks,
their figures and tables to DIR and leaves the checkout as it was; ``-p
NAME=VALUE`` (a Python literal or a bare string) sets a notebook parameter
and needs ``--output-dir``. ``-j N`` runs N notebooks at once (each in its
own process, with its own kernel; they are independent). Ctrl-C stops the
run with one line and status 130; the notebook being executed is not written. ``python -m
glscore.pipeline`` is the same command. See :mod:`glscore.pipeline.runner`.
"""

from __future__ import annotations

import argparse
import ast
import cmath
import logging
import re
import signal
import sys
from pathlib import Path
from typing import Any

from glscore.cli.options import output_option
from glscore.errors import InputError
from glscore.paths import NOTEBOOKS_DIR
from glscore.pipeline import DEFAULT_TIMEOUT


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", metavar="PATTERN", help="run only notebooks matching PATTERN")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="S",
                        help=f"per-cell timeout in seconds, 1 to {MAX_TIMEOUT:,} "
                             f"(default {DEFAULT_TIMEOUT})")
    parser.add_argument("--directory", type=Path, default=NOTEBOOKS_DIR,
                        help="notebook folder (default: notebooks/)")
    parser.add_argument("--output-dir", type=output_option("--output-dir"), default=None,
                        help="write the executed notebooks, figures and tables here, all of "
                             "them or (after a failure) none (default: in place, figures/)")
    parser.add_argument("--force", action="store_true",
                        help="allow an --output-dir inside the checkout (figures/ included)")
    parser.add_argument("-p", "--parameter", dest="parameters", action="append",
                        type=parse_parameter, default=[], metavar="NAME=VALUE",
                        help="notebook parameter (Python literal or bare string); "
                             "needs --output-dir")
    parser.add_argument("--kernel", default="python3", help="Jupyter kernel name")
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                        help="run N notebooks at once, each with its own kernel (they are "
                             "independent; default 1: one after the other)")
    parser.set_defaults(run=run)


#: Longest per-cell timeout (seconds): a week.
MAX_TIMEOUT = 7 * 24 * 3600
#: Longest ``-p`` value (characters): a notebook parameter is a literal, not a data file.
MAX_PARAMETER_LENGTH = 100_000
#: Deepest nesting of a ``-p`` literal (lists in lists ...).
MAX_PARAMETER_DEPTH = 32


def parse_parameter(text: str) -> tuple[str, Any]:
    """``NAME=VALUE``: the value as a Python literal, else as a bare string.

    A value that starts like a literal (a digit, a sign, a quote or a bracket)
    must be one: ``1e999`` (not finite), a number of 5,000 digits, brackets
    nested 100,000 deep or a value over :data:`MAX_PARAMETER_LENGTH` characters
    are usage errors, never a string in disguise or a crash of the parser.

    >>> parse_parameter("alpha=7"), parse_parameter("profile=official")
    (('alpha', 7), ('profile', 'official'))
    >>> parse_parameter("rules=[['soft', {'k': 5}]]")
    ('rules', [['soft', {'k': 5}]])
    """
    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text[:60]!r}")
    if len(value) > MAX_PARAMETER_LENGTH:
        raise argparse.ArgumentTypeError(f"-p {name.strip()}: the value has {len(value):,} "
                                         f"characters, more than {MAX_PARAMETER_LENGTH:,}")
    try:
        parsed: Any = ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError) as exc:
        if value.strip()[:1] and value.strip()[0] in "0123456789+-.([{'\"":
            reason = re.sub(r"<([\w.]+) object at 0x[0-9a-f]+>", r"\1",
                            str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__)
            raise argparse.ArgumentTypeError(
                f"-p {name.strip()}: {value[:40]!r}... is not a Python literal ({reason}); "
                "quote a string") from None
        parsed = value  # a bare word is a string
    _check_literal(name.strip(), parsed)
    return name.strip(), parsed


def _check_literal(name: str, value: Any, depth: int = 0) -> None:
    """Finite numbers, bounded nesting (a kernel would choke on ``inf``)."""
    if depth > MAX_PARAMETER_DEPTH:
        raise argparse.ArgumentTypeError(f"-p {name}: nested more than {MAX_PARAMETER_DEPTH} "
                                         "deep")
    if isinstance(value, float | complex) and not cmath.isfinite(value):
        raise argparse.ArgumentTypeError(f"-p {name}: {value} is not a finite number")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_literal(name, key, depth + 1)
            _check_literal(name, item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check_literal(name, item, depth + 1)


def run(args: argparse.Namespace) -> int:
    from glscore.pipeline import runner  # nbformat, papermill: the notebooks extra

    if not 1 <= args.timeout <= MAX_TIMEOUT:
        raise InputError(f"--timeout {args.timeout}: expected 1 to {MAX_TIMEOUT:,} seconds")
    names = [name for name, _ in args.parameters]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(f"-p {twice[0]} given twice: give each parameter once")
    current: Path | None = None
    previous_handler = signal.signal(signal.SIGINT, _interrupt)
    try:
        def started(notebook: Path) -> None:
            nonlocal current
            current = notebook
            announce(notebook)

        runner.run_all(args.directory, args.timeout, output_dir=args.output_dir,
                       only=args.only, kernel=args.kernel, parameters=dict(args.parameters),
                       jobs=args.jobs, started=started if args.jobs == 1 else announce,
                       force=args.force)
    except KeyboardInterrupt:
        where = (f"while running {runner.display_path(current)} (not written)" if current
                 else "(the notebooks being run are not written)" if args.jobs > 1 else "")
        raise KeyboardInterrupt(where) from None
    except (ValueError, runner.NotebookExecutionError, OSError) as exc:
        if getattr(args, "debug", False):
            for line in getattr(exc, "traceback", []):
                print(line, file=sys.stderr)
            raise
        raise InputError(str(exc)) from None
    finally:
        signal.signal(signal.SIGINT, previous_handler)
    return 0


def announce(notebook: Path) -> None:
    """The line each notebook prints on standard error as it starts (a
    module-level function: a parallel run calls it in the worker process)."""
    from glscore.pipeline import runner

    print(f"running {runner.display_path(notebook)}", file=sys.stderr, flush=True)


def _interrupt(signum: int, frame: Any) -> None:
    """Ctrl-C: silence the loggers that would report the run being torn down
    (nbclient's "Kernel died", asyncio's never-retrieved task errors), then
    stop with ``KeyboardInterrupt`` as usual."""
    for name in ("papermill", "nbclient", "asyncio", "traitlets"):
        logging.getLogger(name).disabled = True
    raise KeyboardInterrupt
