"""``python -m glscore.pipeline``: run the notebooks (see :mod:`glscore.pipeline.runner`)."""

import sys

from glscore.pipeline.runner import main

sys.exit(main())
