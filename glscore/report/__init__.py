"""A static HTML report: the leaderboards for people who do not run Python.

``make report`` (``python -m glscore.report --out report``) writes, from
``data/`` and the committed notebooks only::

    report/index.html            every board of Scopes A-D, sortable and filterable
    report/models/<model>.html   one page per model: `glscore explain`, and its boards
    report/notebooks/<nb>.html   every executed notebook, figures embedded

Everything is computed by glscore in one pass per scope
(:func:`glscore.analysis.leaderboard.scope_tables`); the level reached is shown
in the house colours of :data:`glscore.figures.style.LEVEL_COLORS`, coverage
as ``supported / tasks`` of the board, and every page names the profile and
the synergy rule. The pages work offline (inline style and script, no
request to any host) and are deterministic: the same inputs give the same
bytes. Files are written only inside the output folder; stale pages in its
``models/`` and ``notebooks/`` subfolders are removed.
"""

from __future__ import annotations

from glscore.report.build import build

__all__ = ["build"]
