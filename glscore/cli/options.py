"""Argument types shared by the commands, light enough for any command's parser
(argparse and pathlib only: ``glscore run --help`` loads no numpy).

An option's value is checked where argparse reads it, so a bad value is a
usage error (one line, exit 2) before anything is loaded.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

__all__ = ["MAX_SEED", "output_option", "seed_value"]


def output_option(option: str) -> Callable[[str], Path]:
    """An argparse ``type`` for an output path: an empty or blank path is a usage
    error (``Path("")`` is the current folder, where a build would write)."""
    def parse(text: str) -> Path:
        if not str(text).strip():
            raise argparse.ArgumentTypeError(f"empty path (name a file or folder for {option})")
        return Path(text)

    parse.__name__ = "path"
    return parse


#: Seeds glscore accepts: what numpy's SeedSequence takes, bounded so that a
#: pathological literal is a usage error rather than work.
MAX_SEED = 2**128 - 1


def seed_value(text: str) -> int:
    """An argparse ``type`` for a seed: a whole number from 0 to 2**128 - 1.

    >>> seed_value("7"), seed_value(" 0 ")
    (7, 0)
    """
    try:
        value = int(str(text).strip(), 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{str(text)[:40]}' is not a whole number (a seed is "
                                         "0, 1, 2, ...)") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"{str(value)[:40]} is not a seed: a whole number from "
                                         "0 to 2**128 - 1")
    return value


seed_value.__name__ = "seed"
