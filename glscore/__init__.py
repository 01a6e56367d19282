"""glscore: the General-Level scale for multimodal generalists, reproduced.

General-Level (Fei et al., ICML 2025) ranks multimodal generalists on five
levels by *synergy*. This package implements its formulas over a models x
tasks matrix, reads the paper's published results (``data/``), the official
scorer's workbooks and tidy files, and reproduces the analyses of the
notebooks in ``notebooks/``.

Quick start::

    from glscore import load_paper, score
    scores = score(load_paper(), profile="paper")
    scores.overall().sort_values("level3", ascending=False).head()
"""

from glscore.core.benchmark import Benchmark
from glscore.core.profiles import OFFICIAL, PAPER, PROFILES, Profile, get_profile
from glscore.core.scoring import Scores, score
from glscore.errors import InputError
from glscore.io.loaders import load_paper, load_source, load_tasks, load_tidy, load_workbooks

__version__ = "0.1.0"

__all__ = [
    "OFFICIAL",
    "PAPER",
    "PROFILES",
    "Benchmark",
    "InputError",
    "Profile",
    "Scores",
    "__version__",
    "get_profile",
    "load_paper",
    "load_source",
    "load_tasks",
    "load_tidy",
    "load_workbooks",
    "score",
]
