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

The names below are imported on first use (PEP 562), so ``import glscore``
(and the command line's ``glscore --help``) loads neither numpy nor pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> (module, attribute) it is imported from on first use.
_EXPORTS: dict[str, tuple[str, str]] = {
    "Benchmark": ("glscore.core.benchmark", "Benchmark"),
    "OFFICIAL": ("glscore.core.profiles", "OFFICIAL"),
    "PAPER": ("glscore.core.profiles", "PAPER"),
    "PROFILES": ("glscore.core.profiles", "PROFILES"),
    "Profile": ("glscore.core.profiles", "Profile"),
    "get_profile": ("glscore.core.profiles", "get_profile"),
    "Scores": ("glscore.core.scoring", "Scores"),
    "Scoring": ("glscore.core.scoring", "Scoring"),
    "score": ("glscore.core.scoring", "score"),
    "score_blocks": ("glscore.core.scoring", "score_blocks"),
    "score_detailed": ("glscore.core.scoring", "score_detailed"),
    "register_rule": ("glscore.core.synergy", "register"),
    "resolve_rule": ("glscore.core.synergy", "resolve"),
    "InputError": ("glscore.errors", "InputError"),
    "load_paper": ("glscore.io.loaders", "load_paper"),
    "load_source": ("glscore.io.loaders", "load_source"),
    "load_tasks": ("glscore.io.loaders", "load_tasks"),
    "load_tidy": ("glscore.io.loaders", "load_tidy"),
    "load_workbooks": ("glscore.io.loaders", "load_workbooks"),
}

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

if TYPE_CHECKING:
    from glscore.core.benchmark import Benchmark
    from glscore.core.profiles import OFFICIAL, PAPER, PROFILES, Profile, get_profile
    from glscore.core.scoring import Scores, Scoring, score, score_blocks, score_detailed
    from glscore.core.synergy import register as register_rule
    from glscore.core.synergy import resolve as resolve_rule
    from glscore.errors import InputError
    from glscore.io.loaders import load_paper, load_source, load_tasks, load_tidy, load_workbooks


def __getattr__(name: str) -> Any:
    """Import a public name on first use (and keep it)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'glscore' has no attribute {name!r}")
    # glscore.analysis registers the measured noise scale, the default noise of
    # context rules such as noise_margin (the core does not import analyses).
    importlib.import_module("glscore.analysis")
    module, attribute = _EXPORTS[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
