"""The ``glscore`` command line: ``glscore <command> [options]``.

Every command lives in its own module under :mod:`glscore.cli.commands` and
exposes ``add_parser(subparsers)`` (which sets ``run=run``) and
``run(args) -> int``; :data:`COMMANDS` lists them with the line ``--help``
shows. Only the module of the command being run is imported (``glscore
--help`` loads neither numpy nor pandas), so a command's own dependencies are
loaded when, and only when, it runs.

One parser base and one error handler for every command (``glscore run``
and ``glscore report`` included; ``python -m glscore.pipeline`` and
``python -m glscore.report`` delegate here):

* a usage error is one line and exit status 2 (:class:`OneLineParser`);
* bad input (:class:`~glscore.errors.InputError`) is one line,
  ``glscore: error: ...``, exit status 2;
* a missing optional dependency is one line naming the extra that brings it
  (``glscore run needs the notebooks extra ...: pip install
  'glscore[notebooks]'``), exit status 2;
* Ctrl-C is one line, ``glscore: interrupted`` (and what was interrupted),
  exit status 130;
* anything else is one line, ``glscore: internal error: ...``, exit status 1;
  ``--debug`` (before or after the command name) shows the traceback instead.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from glscore import __version__
from glscore.errors import InputError, visible


@dataclass(frozen=True)
class Command:
    """A command: its name, the line ``glscore --help`` shows, and the optional
    extra (``pip install 'glscore[extra]'``) its dependencies come from."""

    name: str
    summary: str
    extra: str | None = None

    @property
    def module(self) -> str:
        return f"glscore.cli.commands.{self.name.replace('-', '_')}"


#: The commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("score", "score models (paper data, workbooks, tidy files, harness outputs)"),
    Command("explain", "why a model is at its level, and the smallest change to the next"),
    Command("bench", "speed ratios against floors: start-up, kernel, Monte-Carlo"),
    Command("compare-sota", "compare two SoTA tables task by task"),
    Command("mapping", "harness-to-General-Bench mapping: template or check"),
    Command("export", "write results as an official workbook or a tidy table"),
    Command("leaderboard", "ranked leaderboards of a scope (A, B, C, D)"),
    Command("reproduce", "recompute the paper's level tables and compare"),
    Command("ablate", "ablate the scoring relaxation (rules, aggregation)"),
    Command("rules", "list the synergy rules (built-in and installed)"),
    Command("natural", "generalists against their own base LLM on NLP"),
    Command("noise", "Monte-Carlo stability of levels and ranks"),
    Command("run", "execute the numbered notebooks in order (regenerates figures/)",
            "notebooks"),
    Command("report", "build the static HTML report (boards, models, notebooks)", "report"),
    Command("diff", "what changed between two scored results (levels, ranks, their tasks)"),
)
BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}


class StoreOnce(argparse._StoreAction):
    """``store``, but an option given twice is a usage error: ``--seed 1 --seed 2``
    or ``--results a.csv --results b.csv`` would otherwise keep the last one in
    silence. (Repeatable options say so: ``--param``, ``-p`` append.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the namespaces this option was set in (a Namespace is unhashable: by id, checked
        # against a weak reference so that a reused id is not taken for a repeat)
        self._seen: dict[int, weakref.ref[argparse.Namespace]] = {}

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        earlier = self._seen.get(id(namespace))
        if option_string is not None and earlier is not None and earlier() is namespace:
            parser.error(f"{'/'.join(self.option_strings)} given twice: give it once"
                         + (" (list every value after one option)" if self.nargs in ("+", "*")
                            else ""))
        self._seen[id(namespace)] = weakref.ref(namespace)
        super().__call__(parser, namespace, values, option_string)


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit 2, and whose
    single-valued options may be given once (:class:`StoreOnce`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", None, StoreOnce)
        self.register("action", "store", StoreOnce)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {visible(message)} (see --help)\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of ``glscore``; only ``command``'s module is imported and
    gives its options (every other command is listed by name and summary)."""
    parser = OneLineParser(
        prog="glscore",
        description="General-Level scores, leaderboards and analyses for multimodal generalists.",
    )
    parser.add_argument("--version", action="version", version=f"glscore {__version__}")
    _add_debug(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    sub.required = True
    for c in COMMANDS:
        if c.name == command:
            importlib.import_module(c.module).add_parser(sub)
            _add_debug(sub.choices[c.name])
            _plain_help(sub.choices[c.name])
        else:
            sub.add_parser(c.name, help=c.summary)
    return parser


_ROLE = re.compile(r":[a-z]+:`~?([^`<]*?)(?: <[^>]*>)?`")
_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)


def plain_text(text: str | None) -> str | None:
    """``text`` (a docstring used as help) without reStructuredText markup:
    ``:func:`~a.b.c``` -> ``c`` (the ``~`` form shows the last name, else the
    whole target), ````--json```` -> ``--json``, a doubled backslash -> one.

    >>> plain_text("Uses :mod:`glscore.analysis.uncertainty` and :func:`~a.b.rank` (``--top N``).")
    'Uses glscore.analysis.uncertainty and rank (--top N).'
    """
    if text is None:
        return None

    def role(match: re.Match[str]) -> str:
        target = match.group(1)
        return target.rsplit(".", 1)[-1] if match.group(0).count("`~") else target

    return _LITERAL.sub(r"\1", _ROLE.sub(role, text)).replace("\\\\", "\\")


def _plain_help(parser: argparse.ArgumentParser) -> None:
    """The parser's description, epilog and option help as plain text."""
    parser.description = plain_text(parser.description)
    parser.epilog = plain_text(parser.epilog)
    for action in parser._actions:
        if action.help not in (None, argparse.SUPPRESS):
            action.help = plain_text(action.help)


def _add_debug(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: the flag given before or after the command name is not reset by the other
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the traceback of a failure")


def command_name(argv: Sequence[str]) -> str | None:
    """The command named in ``argv``: its first word that is not an option."""
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    name = command_name(words)
    command = BY_NAME.get(name or "")
    debug = "--debug" in words
    stdout = sys.stdout
    if _is_terminal(stdout):  # what reaches a terminal cannot act on it (names are data)
        sys.stdout = VisibleStream(stdout)
    try:
        args = build_parser(command.name if command else None).parse_args(words)
        return int(args.run(args) or 0)
    except InputError as exc:
        if debug:
            raise
        print(f"glscore: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        what = f" {exc}" if str(exc) else ""
        print(f"glscore: interrupted{what}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if debug or command is None or not missing or missing == "glscore":
            raise
        extra = f"the {command.extra} extra" if command.extra else missing
        install = f"glscore[{command.extra}]" if command.extra else missing
        print(f"glscore: error: glscore {command.name} needs {extra} ({missing} is not "
              f"installed): pip install '{install}'", file=sys.stderr)
        return 2
    except Exception as exc:  # an unexpected failure: one line unless --debug
        if debug:
            raise
        print(f"glscore: internal error: {type(exc).__name__}: {visible(exc)} (rerun with "
              "--debug)", file=sys.stderr)
        return 1
    finally:
        sys.stdout = stdout


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


class VisibleStream:
    """Standard output bound for a terminal: every write has its control and
    formatting characters shown as escapes (:func:`glscore.errors.visible`; line
    breaks and tabs kept), so an escape sequence in a model name printed in a
    CSV or a table is text. Output to a file or a pipe is left as it is."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible(text, keep="\n\t"))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


if __name__ == "__main__":
    sys.exit(main())
