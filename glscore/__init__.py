"""glscore: the General-Level scale for multimodal generalists, reproduced.

General-Level (Fei et al., ICML 2025) ranks multimodal generalists on five
levels by *synergy*. This package implements its formulas over a models x
tasks matrix, reads the paper's published results (``data/``), the official
scorer's workbooks and tidy files, and reproduces the analyses of the
notebooks in ``notebooks/``.

Quick start::

    from glscore import load_paper, score, score_detailed
    bench = load_paper()                   # Benchmark(tasks, models, values)
    scores = score(bench, profile="paper")  # Scores: one row per model
    scores.frame().sort_values("level3", ascending=False).head()
    scores["vitron-v1"]                    # one model's record
    run = score_detailed(bench)            # the whole pass, for the analyses
    for s in score_blocks(bench.tasks, perturbed_matrices): ...   # Monte-Carlo

Register a synergy rule with ``@glscore.register_rule("name")``.
"""

# Registers the measured noise scale, the default noise of context rules such as
# noise_margin (the core does not import analyses).
from glscore.analysis import noise as _noise  # noqa: F401
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import OFFICIAL, PAPER, PROFILES, Profile, get_profile
from glscore.core.scoring import Scores, Scoring, score, score_blocks, score_detailed
from glscore.core.synergy import register as register_rule
from glscore.core.synergy import resolve as resolve_rule
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
    "Scoring",
    "__version__",
    "get_profile",
    "load_paper",
    "load_source",
    "load_tasks",
    "load_tidy",
    "load_workbooks",
    "register_rule",
    "resolve_rule",
    "score",
    "score_blocks",
    "score_detailed",
]
