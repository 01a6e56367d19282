"""Analyses built on one scoring pass: leaderboards, reproduction of the paper's
tables, the official-scorer audit, the relaxation ablation, level distributions, data-quality
checks (copied rows, shared values).
They return frames, numbers and sentences; figures live in :mod:`glscore.figures`.
"""
