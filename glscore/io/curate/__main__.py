"""``python -m glscore.io.curate``: rebuild ``data/`` (see :mod:`glscore.io.curate.build`)."""

import sys

from glscore.io.curate.build import main

sys.exit(main())
