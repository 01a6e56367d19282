"""``python -m glscore.pipeline``: the same as ``glscore run`` (see :mod:`glscore.cli`)."""

import sys

from glscore.cli import main

sys.exit(main(["run", *sys.argv[1:]]))
