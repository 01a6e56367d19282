"""``python -m glscore``: the command line (see :mod:`glscore.cli`)."""

import sys

from glscore.cli import main

sys.exit(main())
