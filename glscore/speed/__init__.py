"""How fast glscore is, measured as ratios against floors implemented beside them.

One module per target of ``glscore bench``: :mod:`~glscore.speed.startup`
(start-up and one workbook end to end against the reference scorer),
:mod:`~glscore.speed.kernel` (the scoring kernel against a numpy floor),
:mod:`~glscore.speed.montecarlo` (the noise study against a sparse floor, and
the bootstrap's resampling), :mod:`~glscore.speed.report` (the machine, the
targets and the README's Speed section).
"""
