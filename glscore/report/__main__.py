"""``python -m glscore.report``: the same as ``glscore report`` (see :mod:`glscore.cli`)."""

import sys

from glscore.cli import main

sys.exit(main(["report", *sys.argv[1:]]))
