"""Analyses built on one scoring pass: leaderboards, reproduction of the paper's
tables, the official-scorer audit, the relaxation ablation, level distributions, data-quality
checks (copied rows, shared values).
They return frames, numbers and sentences; figures live in :mod:`glscore.figures`.
"""

# Registers the measured noise scale, the default noise of context rules such as
# noise_margin (the core does not import analyses; see glscore.core.synergy).
from glscore.analysis import noise as _noise  # noqa: F401
