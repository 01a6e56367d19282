"""Figures: the house style and ``save_figure`` (:mod:`glscore.figures.style`) and
one module of figure functions per analysis.
"""
