"""``python -m glscore.report --out report``: build the static report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from glscore.errors import InputError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m glscore.report", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="output folder (e.g. report)")
    parser.add_argument("--profile", default="paper", help="scoring profile (default paper)")
    parser.add_argument("--rule", help="synergy rule (default: the profile's, strict)")
    args = parser.parse_args(argv)
    from glscore.report import build

    try:
        written = build(args.out, args.profile, args.rule)
    except InputError as exc:
        print(f"glscore.report: error: {exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:  # mistune, nbconvert, nbformat: the `report` extra
        print(f"glscore.report: error: the report needs {exc.name} "
              "(pip install 'glscore[report]')", file=sys.stderr)
        return 2
    print(f"report: {len(written)} pages in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
