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
    scores.to_frame().sort_values("level3", ascending=False).head()
    scores["vitron-v1"]                    # one model's record
    "vitron-v1" in scores                  # ids (and display names)
    run = score_detailed(bench)            # the whole pass, for the analyses
    for s in score_blocks(bench.tasks, perturbed_matrices): ...   # Monte-Carlo

Register a synergy rule with ``@glscore.register_rule("name")``.

The names below are imported on first use (PEP 562), so that
``import glscore.core`` loads the scoring core alone and ``import glscore``
(and the command line's ``glscore --help``) loads neither numpy nor pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public name -> (module, attribute), imported on first access.
_LAZY: dict[str, tuple[str, str]] = {
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
    "UnknownModelError": ("glscore.errors", "UnknownModelError"),
    "load_paper": ("glscore.io.loaders", "load_paper"),
    "load_source": ("glscore.io.loaders", "load_source"),
    "load_tasks": ("glscore.io.loaders", "load_tasks"),
    "load_tidy": ("glscore.io.loaders", "load_tidy"),
    "load_workbooks": ("glscore.io.loaders", "load_workbooks"),
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    """Import a public name on first access (PEP 562) and keep it."""
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'glscore' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
